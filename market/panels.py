"""Market's panels (docs/architecture.md, "Panels"), registered by MarketConfig.ready(): on the
contact page and the pre-call brief the three most relevant fresh notes with why each matched
(three queries); on the job page the notes for the job's terms and the salary facts beside its
compensation (two queries); on My day how many of the user's notes wait for review (one)."""

from typing import Any

from django.http import HttpRequest

from contacts.models import Contact
from contacts.panels import CONTACT_BRIEF, CONTACT_PAGE, SEARCH_RESULTS
from core.panels import MY_DAY, Panel
from jobs.models import Job
from jobs.panels import JOB_PAGE
from market import selectors
from market.models import MarketNote


def contact_panel_context(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    """The brief is read on paper: its notes are on it."""
    return {"suggestions": selectors.contact_suggestions(user=request.user, contact=contact)}


def contact_page_panel_context(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    """No query: the panel loads its notes with htmx (market.views.contact_notes_page)."""
    return {"contact": contact}


def job_panel_context(request: HttpRequest, job: Job) -> dict[str, Any]:
    terms = selectors.job_terms(job)
    notes = selectors.note_suggestions(user=request.user, terms=terms, limit=6)
    return {
        "job": job,
        "suggestions": [s for s in notes if s.note.kind != MarketNote.Kind.SALARY][:3],
        "salary_facts": [s for s in notes if s.note.kind == MarketNote.Kind.SALARY][:3],
    }


def my_day_panel_context(request: HttpRequest, subject: Any = None) -> dict[str, Any]:
    return {"stale_notes": selectors.stale_note_count(user=request.user)}


def search_panel_context(request: HttpRequest, query: str) -> dict[str, Any]:
    return {"notes": selectors.note_search(user=request.user, query=query)}


def panels_register() -> None:
    SEARCH_RESULTS.register(
        Panel("market", "market/partials/search_section.html", search_panel_context, order=50)
    )
    CONTACT_PAGE.register(
        Panel(
            "market",
            "market/partials/suggestions_panel.html",
            contact_page_panel_context,
            order=60,
        )
    )
    CONTACT_BRIEF.register(
        Panel("market", "market/partials/brief_panel.html", contact_panel_context, order=60)
    )
    JOB_PAGE.register(
        Panel("market", "market/partials/job_panel.html", job_panel_context, order=30)
    )
    MY_DAY.register(
        Panel("market", "market/partials/my_day_panel.html", my_day_panel_context, order=40)
    )
