"""The contact page and the printable pre-call brief.

Both show contacts' own sections (header, facts, career) and then every panel the higher apps
register in contacts.panels (docs/architecture.md, "Panels"), and the contact page the actions
they register in contacts.panels.CONTACT_ACTIONS: this module never imports them. Each section is
one query, so the page is a fixed number of queries whatever the contact's history.

A quick action posted without htmx that fails validation answers with the whole page and its bound
form next to its fields: the action's view puts the form in `request.panel_forms[<panel name>]`
(the panel's context function picks it up) and calls `contact_page_response`.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from contacts import selectors
from contacts.forms.facts import FactForm
from contacts.models import Contact
from contacts.panels import CONTACT_ACTIONS, CONTACT_BRIEF, CONTACT_PAGE

FACT_LIMIT = 100
CAREER_LIMIT = 30
BRIEF_FACT_LIMIT = 10
BRIEF_PEOPLE_LIMIT = 15
# How a former candidate's client-side role reads in their badge, most telling first.
CLIENT_SIDE_LABELS = [
    (Contact.Role.HIRING_MANAGER, "hiring manager"),
    (Contact.Role.CLIENT, "client contact"),
    (Contact.Role.INTERVIEWER, "interviewer"),
]


def contact_or_404(pk: int, related: tuple[str, ...] = ()) -> Contact:
    try:
        return selectors.contact_get(contact_id=pk, related=related)
    except Contact.DoesNotExist as error:
        raise Http404(f"There is no contact number {pk}.") from error


def contact_header_context(contact: Contact) -> dict[str, Any]:
    roles = set(contact.roles)
    return {
        "role_labels": [role.label for role in Contact.Role if role in roles],
        "former_candidate_label": former_candidate_label(contact),
    }


def former_candidate_label(contact: Contact) -> str:
    """ "Former candidate, now hiring manager at Acme", or "" when they are not one."""
    if not contact.former_candidate_now_client:
        return ""
    role = next(label for role, label in CLIENT_SIDE_LABELS if role in contact.roles)
    return f"Former candidate, now {role} at {contact.organization.name}"


def facts_context(
    request: HttpRequest, contact: Contact, form: FactForm | None = None
) -> dict[str, Any]:
    """The facts section (those the user may see): pinned first, then the most recently
    learned, and the form."""
    return {
        "contact": contact,
        "facts": list(selectors.fact_list(contact=contact, user=request.user)[:FACT_LIMIT]),
        "fact_form": form if form is not None else FactForm(),
    }


def contact_page_response(
    request: HttpRequest, contact: Contact, *, fact_form: FactForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        **contact_header_context(contact),
        **facts_context(request, contact, fact_form),
        "employments": list(selectors.employment_list(contact=contact)[:CAREER_LIMIT]),
        "actions": CONTACT_ACTIONS.render_list(contact),
        "panels": CONTACT_PAGE.render_list(request, contact),
    }
    return render(request, "contacts/contact_detail.html", context, status=status)


@require_GET
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return contact_page_response(request, contact_or_404(pk, related=CONTACT_PAGE.related()))


@require_GET
def contact_brief(request: HttpRequest, pk: int) -> HttpResponse:
    """One printable page to read before a call."""
    contact = contact_or_404(pk, related=CONTACT_BRIEF.related())
    colleagues: list[Contact] = []
    if contact.organization is not None:
        people = selectors.organization_people_list(
            organization=contact.organization, limit=BRIEF_PEOPLE_LIMIT + 1
        )
        colleagues = [person for person in people if person.pk != contact.pk][:BRIEF_PEOPLE_LIMIT]
    context = {
        "contact": contact,
        **contact_header_context(contact),
        "facts": list(selectors.fact_list(contact=contact, user=request.user)[:BRIEF_FACT_LIMIT]),
        "colleagues": colleagues,
        "panels": CONTACT_BRIEF.render_list(request, contact),
    }
    return render(request, "contacts/contact_brief.html", context)


urlpatterns = [
    path("contacts/<int:pk>/", contact_detail, name="contact-detail"),
    path("contacts/<int:pk>/brief/", contact_brief, name="contact-brief"),
]
