"""The retention review (README, "Privacy and security"): a candidate whose relationship nobody
has touched for RETENTION_CANDIDATE_MONTHS, and whose lawful basis is as old, comes up on their
owner's My day, "Due for a privacy review". The owner renews the basis (it still holds), asks the
person again (the re-consent email, followups.consent) or has them erased (crm.privacy.erasure:
the owner's manager or an admin erases; the owner asks their manager to).

A candidate is a contact who is or was one (`was_candidate` stays true once set). Someone asked
again stays on the list, whatever the email did to the relationship's last touch, until their
basis changes (renewed, consented) or they are erased. The list is computed on read: one query,
capped at REVIEW_LIMIT people, oldest touch first."""

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from contacts import services as contact_services
from contacts.models import Contact
from contacts.privacy import ERASED_FIRST_NAME, ERASED_LAST_NAME
from contacts.views.pages import contact_or_404
from core.panels import MY_DAY, Panel
from crm.privacy.rules import can_erase_person
from followups.consent import erasure_request, reconsent_ask
from followups.models import Message, MessageKind

REVIEW_LIMIT = 10


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_cutoff(today: dt.date | None = None) -> dt.date:
    """A basis older than this day, and no touch since, is due for review."""
    return months_before(today or timezone.localdate(), settings.RETENTION_CANDIDATE_MONTHS)


@dataclass(frozen=True)
class ReviewPage:
    contacts: Sequence[Contact]
    # More are due than the page shows: they come up as these are reviewed.
    more: bool


def privacy_review_due_list(
    *, owner: User, today: dt.date | None = None, limit: int = REVIEW_LIMIT
) -> ReviewPage:
    """The owner's candidates due for a privacy review, least recently touched first, each with
    `last_touch` (the relationship's last touch, else its start) and, when the person was asked
    again since their basis date, `reconsent_asked_at` and `reconsent_status`. One query."""
    cutoff = review_cutoff(today)
    cutoff_start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    asked = Message.objects.filter(
        contact=OuterRef("pk"),
        kind=MessageKind.RECONSENT,
        created_at__date__gte=OuterRef("lawful_basis_on"),
    ).order_by("-created_at", "-id")
    contacts = (
        Contact.objects.select_related("relationship__owner")
        .defer("search_vector")
        .annotate(
            last_touch=Coalesce("relationship__last_touch_at", "relationship__created_at"),
            reconsent_asked_at=Subquery(asked.values("created_at")[:1]),
            reconsent_status=Subquery(asked.values("status")[:1]),
        )
        .filter(relationship__owner=owner, was_candidate=True, lawful_basis_on__lt=cutoff)
        .filter(Q(last_touch__lt=cutoff_start) | Q(reconsent_asked_at__isnull=False))
        # An erased person keeps their row (crm.privacy.erasure): nothing left to review.
        .exclude(first_name=ERASED_FIRST_NAME, last_name=ERASED_LAST_NAME, emails=[])
        .order_by(F("last_touch").asc(nulls_first=True), "pk")
    )
    rows = list(contacts[: limit + 1])
    return ReviewPage(contacts=rows[:limit], more=len(rows) > limit)


# --- My day --------------------------------------------------------------------------------------


def review_panel_context(request: HttpRequest, subject: Any = None) -> dict[str, Any]:
    page = privacy_review_due_list(owner=request.user)
    return {
        "due": [
            {
                "contact": contact,
                "asked": contact.reconsent_asked_at is not None,
                "asked_status": (
                    Message.Status(contact.reconsent_status).label.lower()
                    if contact.reconsent_status
                    else ""
                ),
                # Only the owner's manager or an admin erases; the owner asks them to.
                "erase_url": (
                    reverse("privacy:erase", args=[contact.pk])
                    if can_erase_person(request.user, contact)
                    else ""
                ),
            }
            for contact in page.contacts
        ],
        "more": page.more,
        "months": settings.RETENTION_CANDIDATE_MONTHS,
    }


def panels_register() -> None:
    """Called from crm.apps.CrmConfig.ready()."""
    MY_DAY.register(
        Panel(
            "privacy_review",
            "crm/privacy/partials/review_panel.html",
            review_panel_context,
            order=30,
        )
    )


# --- the review's actions ------------------------------------------------------------------------


@require_POST
def review_renew(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk)
    contact_services.contact_lawful_basis_renew(contact=contact, user=request.user)
    messages.success(request, f"{contact}'s lawful basis is renewed from today.")
    return redirect("home")


@require_POST
def review_ask(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk)
    try:
        message, new = reconsent_ask(contact=contact, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if new:
            messages.success(request, f"The question to {contact} is on its way.")
        else:
            asked_on = timezone.localtime(message.created_at).strftime("%-d %b %Y")
            messages.info(request, f"{contact} was already asked on {asked_on}.")
    return redirect("home")


@require_POST
def review_erasure_request(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk)
    followup = erasure_request(contact=contact, requested_by=request.user)
    messages.success(request, f"Erasing {contact} is on {followup.owner}'s list.")
    return redirect("home")


app_name = "retention"
urlpatterns = [
    path("<int:pk>/renew", review_renew, name="renew"),
    path("<int:pk>/ask", review_ask, name="ask"),
    path("<int:pk>/erasure-request", review_erasure_request, name="erasure-request"),
]
