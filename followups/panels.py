"""Follow-through's panels, registered by FollowupsConfig.ready(): on "My day" (core.panels.MY_DAY)
the recruiter's follow-ups (overdue, today, upcoming) and the messages about to go out on their
behalf, one query each; on the job page (jobs.panels.JOB_PAGE) the job's policy with its
overrides and its next scheduled messages, three queries; on the contact page
(contacts.panels.CONTACT_PAGE) a one-off email form, no query (one when it answers a reply)."""

from typing import Any

from django.http import HttpRequest

from contacts.models import Contact
from contacts.panels import CONTACT_PAGE
from core.panels import MY_DAY, Panel
from followups import selectors
from followups.forms import (
    SNOOZE_PRESETS,
    FollowUpCompleteForm,
    OneOffEmailForm,
    snooze_preset_until,
)
from jobs.models import Job
from jobs.panels import JOB_PAGE
from jobs.permissions import can_change_job


def agenda_panel_context(request: HttpRequest, subject: Any = None) -> dict[str, Any]:
    return {
        "agenda": selectors.followup_agenda(user=request.user),
        "complete_form": FollowUpCompleteForm(),
        "snooze_presets": [
            {"name": name, "label": label, "until": snooze_preset_until(name)}
            for name, (label, _) in SNOOZE_PRESETS.items()
        ],
    }


def outgoing_panel_context(request: HttpRequest, subject: Any = None) -> dict[str, Any]:
    return {"messages_out": selectors.message_outgoing_list(user=request.user)}


def job_panel_context(request: HttpRequest, job: Job) -> dict[str, Any]:
    return {
        "followthrough": selectors.job_followthrough(job=job),
        "can_change_policy": can_change_job(request.user, job),
    }


def one_off_panel_context(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    """The form, its subject pre-filled when the page was opened from a reply's "Reply" button
    on the timeline (?reply_to=<the reply's timeline row>)."""
    subject = selectors.reply_subject(
        contact_id=contact.pk, interaction_id=request.GET.get("reply_to")
    )
    return {"contact": contact, "email_form": OneOffEmailForm(initial={"subject": subject})}


def panels_register() -> None:
    CONTACT_PAGE.register(
        Panel(
            "one_off_email",
            "followups/partials/one_off_panel.html",
            one_off_panel_context,
            order=90,
        )
    )
    JOB_PAGE.register(
        Panel("followthrough", "followups/partials/job_panel.html", job_panel_context, order=10)
    )
    MY_DAY.register(
        Panel("followups", "followups/partials/agenda_panel.html", agenda_panel_context, order=10)
    )
    MY_DAY.register(
        Panel(
            "outgoing", "followups/partials/outgoing_panel.html", outgoing_panel_context, order=20
        )
    )
