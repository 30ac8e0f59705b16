"""What followups holds about one person, for a subject-access export and an erasure
(crm.privacy): the messages to them and their delivery events, their replies, ratings, the
market notes they were sent, the follow-ups about them, and the suppressions of their
addresses.

An erasure keeps every row the dashboards count (kinds, statuses, times, attempts) and empties
the words and addresses. Each of the person's addresses stays on the suppression list by its
keyed hash only (followups.suppression), so a later import of the address is never mailed."""

from collections.abc import Iterable
from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from contacts.models import Contact
from core.redaction import ERASED, Markers, erased_unless_blank
from followups.models import (
    FollowUp,
    InboundReply,
    MarketNoteUse,
    Message,
    Rating,
    Suppression,
    TrackingEvent,
)
from followups.suppression import email_hash

ERASED_SKIP_REASON = "the person was erased"


def subject_addresses(contact: Contact) -> set[str]:
    """Every address the person is known by here: theirs now, the ones we wrote to and the
    ones they wrote from (lowercased)."""
    addresses = {address.lower() for address in contact.emails}
    addresses |= {
        address.lower()
        for address in Message.objects.filter(contact=contact)
        .exclude(recipient="")
        .values_list("recipient", flat=True)
    }
    addresses |= {
        address.lower()
        for address in InboundReply.objects.filter(contact=contact)
        .exclude(from_email="")
        .values_list("from_email", flat=True)
    }
    return addresses


def _replies(contact: Contact) -> QuerySet[InboundReply]:
    return InboundReply.objects.filter(Q(contact=contact) | Q(message__contact=contact))


def subject_rows(contact: Contact) -> dict[str, QuerySet]:
    addresses = subject_addresses(contact)
    return {
        "messages": Message.objects.filter(contact=contact).order_by("send_after", "id"),
        "tracking_events": TrackingEvent.objects.filter(message__contact=contact).order_by(
            "received_at", "id"
        ),
        "inbound_replies": _replies(contact).order_by("received_at", "id"),
        "ratings": Rating.objects.filter(contact=contact).order_by("requested_at", "id"),
        "market_note_uses": MarketNoteUse.objects.filter(contact=contact).order_by("used_at", "id"),
        "followups": FollowUp.objects.filter(contact=contact).order_by("due_at", "id"),
        "suppressions": Suppression.objects.filter(
            Q(email__in=addresses) | Q(email_hash__in=[email_hash(a) for a in addresses])
        ).order_by("id"),
    }


def _suppress_by_hash(addresses: Iterable[str]) -> None:
    """Each address on the suppression list by its hash alone: an existing row (a bounce, an
    unsubscribe) keeps its reason and loses the address."""
    for address in addresses:
        hashed = email_hash(address)
        if Suppression.objects.filter(email_hash=hashed).exists():
            Suppression.objects.filter(email=address).delete()
        elif not Suppression.objects.filter(email=address).update(email="", email_hash=hashed):
            Suppression.objects.create(email_hash=hashed, reason=Suppression.Reason.ERASED)


def subject_erase(*, contact: Contact, addresses: Iterable[str], now: datetime) -> None:
    _suppress_by_hash(addresses)
    messages = Message.objects.filter(contact=contact)
    # What has not left never will: cancelled (not suppressed, which would plan a call).
    messages.filter(status__in=Message.PENDING_STATUSES).update(
        status=Message.Status.CANCELLED,
        skip_reason=ERASED_SKIP_REASON,
        claim_token=None,
        lease_until=None,
        claimed_at=None,
    )
    messages.update(
        recipient="",
        subject=ERASED,
        text="",
        html="",
        personal_note="",
        last_error="",
        updated_at=now,
    )
    messages.exclude(skip_reason=ERASED_SKIP_REASON).update(
        skip_reason=erased_unless_blank("skip_reason")
    )
    TrackingEvent.objects.filter(message__contact=contact).update(recipient="", raw={})
    _attachments_delete_on_commit(_replies(contact))
    _replies(contact).update(
        event_key=Concat(Value("erased:"), Cast("id", CharField())),
        message_id_header="",
        from_email="",
        from_name="",
        recipients="",
        subject=ERASED,
        reply_text="",
        text="",
        html="",
        attachments=[],
    )
    # "[erased]" where they had written something: the dashboards count ratings with comments.
    Rating.objects.filter(contact=contact).update(comment=erased_unless_blank("comment"))
    FollowUp.objects.filter(contact=contact).update(
        summary=ERASED, outcome=erased_unless_blank("outcome"), updated_at=now
    )


def _attachments_delete_on_commit(replies: QuerySet[InboundReply]) -> None:
    stored = [
        attachment["stored"]
        for attachments in replies.values_list("attachments", flat=True)
        for attachment in attachments or []
        if isinstance(attachment, dict) and attachment.get("stored")
    ]

    def delete() -> None:
        for name in stored:
            default_storage.delete(name)

    if stored:
        transaction.on_commit(delete)


def mentions_redact(*, contact: Contact, job_ids: Iterable[int], markers: Markers) -> set[int]:
    """Blot the person out of the messages to others that may name them (the digests of the
    jobs they were a candidate for, the managers' digests), the replies to those and others'
    follow-ups about their candidacies; returns the contacts those went to (their timeline
    copies name the person too)."""
    if not markers:
        return set()
    mentions = Q()
    for value in markers.values:
        mentions |= Q(subject__icontains=value) | Q(text__icontains=value)
        mentions |= Q(html__icontains=value) | Q(personal_note__icontains=value)
    messages = list(
        Message.objects.filter(Q(job_id__in=list(job_ids)) | Q(contact__isnull=True))
        .exclude(contact=contact)
        .filter(mentions)
    )
    for message in messages:
        message.subject = markers.redact_text(message.subject)[:300]
        message.text = markers.redact_text(message.text)
        message.html = markers.redact_text(message.html)
        message.personal_note = markers.redact_text(message.personal_note)
    Message.objects.bulk_update(messages, ["subject", "text", "html", "personal_note"])
    replies = list(InboundReply.objects.filter(message__in=[m.pk for m in messages]))
    for reply in replies:
        reply.subject = markers.redact_text(reply.subject)[:300]
        reply.reply_text = markers.redact_text(reply.reply_text)
        reply.text = markers.redact_text(reply.text)
        reply.html = markers.redact_text(reply.html)
    InboundReply.objects.bulk_update(replies, ["subject", "reply_text", "text", "html"])
    # Follow-ups about their candidacies owed to others (chasing the client for a decision).
    mentions = Q()
    for value in markers.values:
        mentions |= Q(summary__icontains=value) | Q(outcome__icontains=value)
    followups = list(
        FollowUp.objects.filter(mentions, candidacy__contact=contact).exclude(contact=contact)
    )
    for followup in followups:
        followup.summary = markers.redact_text(followup.summary)[:300]
        followup.outcome = markers.redact_text(followup.outcome)
    FollowUp.objects.bulk_update(followups, ["summary", "outcome"])
    return {m.contact_id for m in messages if m.contact_id is not None} | {
        f.contact_id for f in followups
    }
