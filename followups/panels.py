"""Follow-through's panels on "My day" (crm.panels.MY_DAY), registered by
FollowupsConfig.ready(): the recruiter's follow-ups (overdue, today, upcoming) and the messages
about to go out on their behalf. One query each."""

from typing import Any

from django.http import HttpRequest

from crm.panels import MY_DAY, Panel
from followups import selectors
from followups.forms import FollowUpCompleteForm


def agenda_panel_context(request: HttpRequest, subject: Any = None) -> dict[str, Any]:
    return {
        "agenda": selectors.followup_agenda(user=request.user),
        "complete_form": FollowUpCompleteForm(),
    }


def outgoing_panel_context(request: HttpRequest, subject: Any = None) -> dict[str, Any]:
    return {"messages_out": selectors.message_outgoing_list(user=request.user)}


def panels_register() -> None:
    MY_DAY.register(
        Panel("followups", "followups/partials/agenda_panel.html", agenda_panel_context, order=10)
    )
    MY_DAY.register(
        Panel(
            "outgoing", "followups/partials/outgoing_panel.html", outgoing_panel_context, order=20
        )
    )
