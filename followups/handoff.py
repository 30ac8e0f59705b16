"""Follow-through's option on the handoff's confirm step (relationships.handoff_options),
registered by FollowupsConfig.ready(): introduce the new recruiter by email. It is ticked for
the contacts with something open, a candidacy or (as its client) an active job; a contact who
cannot be emailed is shown without a box. Two queries for the listed contacts."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from accounts.models import User
from followups import services
from jobs.models import Candidacy, Job
from relationships.handoff_options import HandoffDraft, HandoffOption
from relationships.models import Handoff

NAME = "introductions"


def _ids(data: Mapping[str, Any], name: str) -> list[int]:
    values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
    return sorted({int(value) for value in values if str(value).isdigit()})


def introductions_context(request: HttpRequest, draft: HandoffDraft) -> dict[str, Any]:
    ids = [contact.pk for contact in draft.contacts]
    candidates = set(
        Candidacy.objects.open().filter(contact_id__in=ids).values_list("contact_id", flat=True)
    )
    clients = set(
        Job.objects.filter(hiring_manager_id__in=ids, status__in=list(Job.ACTIVE_STATUSES))
        .values_list("hiring_manager_id", flat=True)
        .distinct()
    )
    rows = []
    for contact in draft.contacts:
        business = (
            "open candidacy" if contact.pk in candidates else "active job" if contact.pk in clients
            else ""
        )  # fmt: skip
        rows.append(
            {
                "contact": contact,
                "can_email": contact.can_email,
                "business": business,
                "checked": contact.can_email and bool(business),
            }
        )
    return {"to_recruiter": draft.to_recruiter, "rows": rows, "more": draft.more}


def introductions_choice(data: Mapping[str, Any], draft: HandoffDraft) -> dict[str, Any] | None:
    if not data.get("introductions_offered"):
        return None
    return {
        "contact_ids": _ids(data, "introduce"),
        "listed": _ids(data, "introduce_listed"),
        "with_business": bool(data.get("introduce_rest")),
    }


def introductions_perform(*, handoff: Handoff, user: User, choice: dict[str, Any]) -> str:
    if not choice["contact_ids"] and not choice["with_business"]:
        return ""
    count = services.handoff_introductions_schedule(
        handoff=handoff,
        user=user,
        contact_ids=choice["contact_ids"],
        with_business=choice["with_business"],
        except_ids=choice["listed"],
    )
    plural = "introduction" if count == 1 else "introductions"
    return f"{count} {plural} of {handoff.to_recruiter} by email scheduled"


OPTION = HandoffOption(
    name=NAME,
    template="followups/partials/handoff_introductions.html",
    context=introductions_context,
    choice=introductions_choice,
    perform=introductions_perform,
    order=10,
)
