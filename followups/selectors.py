"""Reads of follow-through shared by the pages and the API; each a constant number of queries."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from followups.content import render_list
from followups.models import (
    FollowUp,
    InboundReply,
    JobPolicy,
    MarketNoteUse,
    Message,
    MessageTemplate,
    PlannerRun,
    Policy,
    Rating,
)
from followups.ratings import ratings_preview_for
from followups.rendering import Rendered
from jobs.models import Job
from market import selectors as market_selectors
from market.models import MarketNote

AGENDA_LIMIT = 20


def followup_list(*, user: User, open_only: bool = False) -> QuerySet[FollowUp]:
    """Follow-ups the user may see: their own; a manager's or admin's, everyone's."""
    followups = FollowUp.objects.select_related("contact", "owner", "job")
    if open_only:
        followups = followups.open()
    return followups if user.is_manager else followups.filter(owner=user)


def followup_get(*, user: User, pk: int) -> FollowUp:
    return get_object_or_404(followup_list(user=user), pk=pk)


@dataclass
class Agenda:
    overdue: list[FollowUp]
    today: list[FollowUp]
    upcoming: list[FollowUp]
    # Answers owed to people who wrote back, soonest due first: shown above everything else.
    replies_owed: list[FollowUp] = field(default_factory=list)


def followup_agenda(*, user: User, now: datetime | None = None) -> Agenda:
    """The user's open follow-ups: replies owed first, then overdue (due before now), later today,
    and the next week (one query)."""
    now = now or timezone.now()
    start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end_of_today = start_of_today + timedelta(days=1)
    rows = list(
        FollowUp.objects.open()
        .filter(owner=user, due_at__lt=end_of_today + timedelta(days=7))
        .select_related("contact", "job")
        .order_by("due_at", "id")[: AGENDA_LIMIT * 3]
    )
    owed = [f for f in rows if f.reason == FollowUp.Reason.REPLY_OWED]
    rows = [f for f in rows if f.reason != FollowUp.Reason.REPLY_OWED]
    return Agenda(
        overdue=[f for f in rows if f.due_at < now][:AGENDA_LIMIT],
        today=[f for f in rows if now <= f.due_at < end_of_today][:AGENDA_LIMIT],
        upcoming=[f for f in rows if f.due_at >= end_of_today][:AGENDA_LIMIT],
        replies_owed=owed[:AGENDA_LIMIT],
    )


def message_list(*, user: User, status: str = "") -> QuerySet[Message]:
    """Messages the user may see: sent on their behalf; a manager's or admin's, everyone's."""
    messages = Message.objects.select_related("contact", "owner", "job", "candidacy")
    if status:
        messages = messages.filter(status=status)
    return messages if user.is_manager else messages.filter(owner=user)


def message_pending_list(*, user: User, limit: int) -> list[Message]:
    """The outbox's scheduled messages, soonest first."""
    return list(
        message_list(user=user, status=Message.Status.SCHEDULED).order_by("send_after", "id")[
            :limit
        ]
    )


def message_recent_list(*, user: User, limit: int) -> list[Message]:
    """The outbox's other messages (sent, skipped, failed...), latest first."""
    return list(
        message_list(user=user)
        .exclude(status=Message.Status.SCHEDULED)
        .order_by("-updated_at", "-id")[:limit]
    )


def message_get(*, user: User, pk: int) -> Message:
    return get_object_or_404(
        Message.objects.select_related("contact", "owner", "job__organization", "candidacy")
        if user.is_manager
        else Message.objects.select_related(
            "contact", "owner", "job__organization", "candidacy"
        ).filter(owner=user),
        pk=pk,
    )


def message_outgoing_list(*, user: User, limit: int = AGENDA_LIMIT) -> list[Message]:
    """Messages about to go out on the user's behalf, soonest first."""
    return list(
        Message.objects.filter(owner=user, status=Message.Status.SCHEDULED)
        .select_related("contact", "job")
        .order_by("send_after", "id")[:limit]
    )


def reply_subject(*, contact_id: int, interaction_id: str | None) -> str:
    """The subject for answering one of the contact's inbound emails on their timeline ("Re: "
    and the reply's subject), or "" when the id names none of them: one query, none without id."""
    if not interaction_id or not interaction_id.isdigit():
        return ""
    reply = (
        InboundReply.objects.filter(contact_id=contact_id, interaction_id=int(interaction_id))
        .values_list("subject", flat=True)
        .first()
    )
    if reply is None:
        return ""
    subject = reply.strip() or "your email"
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"[:300]


def message_preview(*, message: Message) -> Rendered:
    """What the message says if it left now (or what it said, once sent): a closure notice
    with the rating question it would ask (its links work only in the notice that leaves)."""
    if message.status in (Message.Status.SENT, Message.Status.DELIVERED) or message.edited:
        return Rendered(message.subject, message.text, message.html)
    ratings = ratings_preview_for([message], now=timezone.now())
    return render_list([message], ratings=ratings)[0]


JOB_MESSAGES_LIMIT = 5
JOB_POLICY_FIELDS = ("update_cadence_days", "digest_cadence_days", "chase_client_days")


@dataclass
class JobFollowThrough:
    """A job's follow-through settings (its override or the agency's default, per setting) and
    the next messages scheduled about it."""

    settings: list[tuple[str, int, bool]]  # (setting, days, overridden)
    override: JobPolicy | None
    upcoming: list[Message]


def template_kinds_saved() -> set[str]:
    """The kinds of message whose template an admin has saved (the others use the defaults)."""
    return set(MessageTemplate.objects.values_list("kind", flat=True))


def policy_job_get(*, job_id: int) -> Job:
    """The job whose overrides of the policy are shown, with its client; Job.DoesNotExist."""
    return Job.objects.select_related("organization").get(pk=job_id)


def job_policy_get(*, job: Job) -> JobPolicy | None:
    return JobPolicy.objects.filter(job=job).first()


def job_followthrough(*, job: Job) -> JobFollowThrough:
    """Three queries: the policy, the job's override, its next scheduled messages."""
    policy = Policy.current()
    override = job_policy_get(job=job)
    labels = {
        "update_cadence_days": "Candidate updates every",
        "digest_cadence_days": "Client digest every",
        "chase_client_days": "Chase the client after",
    }
    settings = []
    for name in JOB_POLICY_FIELDS:
        own = getattr(override, name) if override else None
        settings.append((labels[name], own or getattr(policy, name), own is not None))
    upcoming = list(
        Message.objects.filter(job=job, status=Message.Status.SCHEDULED)
        .select_related("contact")
        .order_by("send_after", "id")[:JOB_MESSAGES_LIMIT]
    )
    return JobFollowThrough(settings=settings, override=override, upcoming=upcoming)


def planner_run_list() -> list[PlannerRun]:
    """The planning task's last runs, for the system status page."""
    return list(PlannerRun.objects.order_by("name"))


def replies_unmatched(*, limit: int = 100) -> list[InboundReply]:
    """The replies no contact was found for, newest first (one query)."""
    return list(
        InboundReply.objects.filter(contact__isnull=True).order_by("-received_at", "-id")[:limit]
    )


def reply_get(*, pk: int) -> InboundReply:
    return get_object_or_404(
        InboundReply.objects.select_related("contact", "message", "assigned_by"), pk=pk
    )


def reply_list(*, user: User, unmatched_only: bool = False) -> QuerySet[InboundReply]:
    """Inbound replies the user may see: the unmatched ones and those on their contacts' (or
    their messages') timelines; a manager's or admin's, everyone's."""
    replies = InboundReply.objects.select_related("contact")
    if unmatched_only:
        replies = replies.filter(contact__isnull=True)
    if user.is_manager:
        return replies
    return replies.filter(
        Q(contact__isnull=True) | Q(contact__relationship__owner=user) | Q(message__owner=user)
    )


def reply_owed_list(*, user: User) -> QuerySet[FollowUp]:
    """Open replies owed: the user's; a manager's or admin's, everyone's."""
    owed = FollowUp.objects.open().filter(reason=FollowUp.Reason.REPLY_OWED)
    owed = owed.select_related("contact")
    return owed if user.is_manager else owed.filter(owner=user)


def rating_list(*, user: User) -> QuerySet[Rating]:
    """Ratings of messages sent on the user's behalf; a manager's or admin's, everyone's."""
    ratings = Rating.objects.select_related("contact", "message")
    return ratings if user.is_manager else ratings.filter(message__owner=user)


@dataclass
class MessageMarketNotes:
    """The note a message carries ({{ market_note }}) and what the recruiter could swap it for."""

    chosen: MarketNote | None
    removed: bool
    alternatives: list


def message_market_notes(*, message: Message, user: User, preview: Rendered) -> MessageMarketNotes:
    """Two queries: the chosen note, and the next most relevant ones the recipient has not had."""
    chosen = (
        MarketNote.objects.filter(pk=preview.market_note_id).first()
        if preview.market_note_id
        else None
    )
    if message.contact is None:  # a message to a user (the manager's digest) carries no note
        return MessageMarketNotes(
            chosen=chosen, removed=message.market_note_removed, alternatives=[]
        )
    used = MarketNoteUse.objects.filter(contact_id=message.contact.pk).values("note_id")
    alternatives = market_selectors.note_suggestions(
        user=user,
        terms=market_selectors.message_terms(contact=message.contact, job=message.job),
        exclude_ids=[chosen.pk] if chosen else [],
        exclude_query=used,
    )
    return MessageMarketNotes(
        chosen=chosen, removed=message.market_note_removed, alternatives=alternatives
    )


def market_note_use_list(
    *, user: User, contact_id: int | None = None, note_id: int | None = None
) -> QuerySet[MarketNoteUse]:
    """Which market notes went to whom, in which message, newest first: the uses of notes the
    user may see (a private note's uses are its author's to see)."""
    uses = MarketNoteUse.objects.filter(
        note__in=MarketNote.objects.visible_to(user).values("pk")
    ).select_related("note", "contact")
    if contact_id is not None:
        uses = uses.filter(contact_id=contact_id)
    if note_id is not None:
        uses = uses.filter(note_id=note_id)
    return uses
