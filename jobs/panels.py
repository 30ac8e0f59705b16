"""Jobs' panels on the contact page and the brief (docs/architecture.md, "Panels"), registered by
JobsConfig.ready(), and the job page's own registry (JOB_PAGE) for the apps to the right.

The contact page and the brief have a fixed query budget, so the candidacies panel costs no query
there: it loads its list with htmx (jobs.views.contact_panel), and links to the same list as a
page without JavaScript."""

from typing import Any

from django.http import HttpRequest

from contacts.models import Contact
from contacts.panels import CONTACT_BRIEF, CONTACT_PAGE
from core.panels import Panel, PanelRegistry

CANDIDACIES = "candidacies"

# The job page's side column: follow-through registers its policy and outgoing messages here.
JOB_PAGE = PanelRegistry("job_page")


def candidacies_panel_context(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    return {"contact": contact}


def panels_register() -> None:
    CONTACT_PAGE.register(
        Panel(
            CANDIDACIES,
            "jobs/partials/contact_candidacies_panel.html",
            candidacies_panel_context,
            order=25,
        )
    )
    CONTACT_BRIEF.register(
        Panel(
            CANDIDACIES,
            "jobs/partials/brief_candidacies_panel.html",
            candidacies_panel_context,
            order=20,
        )
    )
