"""Relationships' panels on the pages contacts owns (docs/architecture.md, "Panels"), registered by
RelationshipsConfig.ready(): on the contact page the relationship, the timeline with its quick-log
form and the connections; on the organization page its timeline; on the pre-call brief the last
touches and who they know. Each panel is one query (the relationship with its owner, the latest
interactions with their recruiter, the connections with both contacts).

It also registers links: the contact page's Merge and Hand off actions, and under the organization
page's people the link to everyone who works there (the contact list, filtered).

A form that failed validation without htmx comes back bound in `request.panel_forms[<name>]`
(see contacts.views.pages), so its errors show next to its fields.
"""

from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from contacts.models import Contact, Organization
from contacts.panels import (
    CONTACT_ACTIONS,
    CONTACT_BRIEF,
    CONTACT_PAGE,
    ORGANIZATION_PAGE,
    ORGANIZATION_PEOPLE,
)
from core.panels import Link, Panel
from relationships import selectors
from relationships.forms.timeline import ConnectionForm, InteractionForm, RelationshipTierForm
from relationships.models import Connection
from relationships.permissions import can_change_relationship

TIMELINE_LIMIT = selectors.TIMELINE_LIMIT
BRIEF_TIMELINE_LIMIT = 10

RELATIONSHIP = "relationship"
TIMELINE = "timeline"
CONNECTIONS = "connections"


def bound_form(request: HttpRequest, name: str) -> forms.Form | None:
    return getattr(request, "panel_forms", {}).get(name)


def relationship_panel_context(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    relationship = selectors.relationship_get(contact=contact)
    can_change = relationship is not None and can_change_relationship(request.user, relationship)
    tier_form = bound_form(request, RELATIONSHIP)
    if tier_form is None and can_change:
        tier_form = RelationshipTierForm(initial={"tier": relationship.tier})
    return {
        "contact": contact,
        "relationship": relationship,
        "can_change": can_change,
        "tier_form": tier_form,
    }


def timeline_panel_context(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    # One more than shown says whether there is more, without counting.
    interactions = selectors.interaction_list(contact=contact, limit=TIMELINE_LIMIT + 1)
    return {
        "contact": contact,
        "interactions": interactions[:TIMELINE_LIMIT],
        "more": len(interactions) > TIMELINE_LIMIT,
        "limit": TIMELINE_LIMIT,
        "log_form": bound_form(request, TIMELINE) or InteractionForm(),
    }


def connection_rows(contact: Contact, connections: list[Connection]) -> list[dict[str, Any]]:
    """Each connection seen from `contact`: the other person and which way it reads."""
    return [
        {
            "connection": connection,
            "outgoing": connection.from_contact_id == contact.pk,
            "other": connection.to_contact
            if connection.from_contact_id == contact.pk
            else connection.from_contact,
        }
        for connection in connections
    ]


def connections_panel_context(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    return {
        "contact": contact,
        "rows": connection_rows(contact, selectors.connection_list(contact=contact)),
        "connection_form": bound_form(request, CONNECTIONS) or ConnectionForm(contact=contact),
    }


def organization_timeline_panel_context(
    request: HttpRequest, organization: Organization
) -> dict[str, Any]:
    interactions = selectors.organization_interaction_list(
        organization_id=organization.pk, limit=TIMELINE_LIMIT + 1
    )
    return {
        "organization": organization,
        "interactions": interactions[:TIMELINE_LIMIT],
        "more": len(interactions) > TIMELINE_LIMIT,
        "limit": TIMELINE_LIMIT,
    }


def brief_touches_panel_context(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    return {
        "contact": contact,
        "relationship": selectors.relationship_get(contact=contact),
        "interactions": selectors.interaction_list(contact=contact, limit=BRIEF_TIMELINE_LIMIT),
    }


def brief_connections_panel_context(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    return {
        "contact": contact,
        "rows": connection_rows(contact, selectors.connection_list(contact=contact)),
    }


def panel_render_context(
    name: str, request: HttpRequest, contact: Contact, *, oob: bool = False
) -> dict[str, Any]:
    """The context of one contact-page panel's partial alone, to answer htmx with; `oob` renders
    it as an out-of-band swap that replaces the panel already on the page."""
    panel = CONTACT_PAGE_PANELS[name]
    context = panel.context(request, contact)
    return {"panel": {"name": name, "template": panel.template, "oob": oob, **context}}


CONTACT_PAGE_PANELS = {
    panel.name: panel
    for panel in (
        Panel(
            RELATIONSHIP,
            "relationships/partials/relationship.html",
            relationship_panel_context,
            order=10,
            related=("relationship__owner",),
        ),
        Panel(TIMELINE, "relationships/partials/timeline.html", timeline_panel_context, order=20),
        Panel(
            CONNECTIONS,
            "relationships/partials/connections.html",
            connections_panel_context,
            order=30,
        ),
    )
}


def merge_url(contact: Contact) -> str:
    return reverse("relationships:contact-merge", args=[contact.pk])


def handoff_url(contact: Contact) -> str:
    return f"{reverse('relationships:handoff-new')}?{urlencode({'contact': contact.pk})}"


def organization_people_url(organization: Organization) -> str:
    query = urlencode({"organization": organization.pk})
    return f"{reverse('relationships:contact-list')}?{query}"


def panels_register() -> None:
    CONTACT_ACTIONS.register(Link("merge", "Merge with…", merge_url, order=10))
    CONTACT_ACTIONS.register(Link("handoff", "Hand off", handoff_url, order=20))
    ORGANIZATION_PEOPLE.register(
        Link(
            "everyone",
            lambda organization: f"Everyone at {organization.name}",
            organization_people_url,
        )
    )
    for panel in CONTACT_PAGE_PANELS.values():
        CONTACT_PAGE.register(panel)
    ORGANIZATION_PAGE.register(
        Panel(
            TIMELINE,
            "relationships/partials/organization_timeline.html",
            organization_timeline_panel_context,
            order=20,
        )
    )
    CONTACT_BRIEF.register(
        Panel(
            "touches",
            "relationships/partials/brief_touches.html",
            brief_touches_panel_context,
            order=10,
            related=("relationship__owner",),
        )
    )
    CONTACT_BRIEF.register(
        Panel(
            CONNECTIONS,
            "relationships/partials/brief_connections.html",
            brief_connections_panel_context,
            order=30,
        )
    )
