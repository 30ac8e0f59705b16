"""Anymail's webhook events update the outbox (docs/architecture.md, "Delivery tracking").

Events are kept once by event id (a replay changes nothing); a message's status only moves
forward (sent → delivered → bounced → complained); bounces and complaints suppress the address
and turn an undelivered obligation into a "call instead" follow-up."""

from datetime import datetime
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType
from django.db import IntegrityError, transaction
from django.utils import timezone

from followups.models import Message, Suppression, TrackingEvent
from followups.services import call_instead_plan, contact_unsubscribe, suppression_add

EVENT_STATUS = {
    EventType.DELIVERED: Message.Status.DELIVERED,
    EventType.BOUNCED: Message.Status.BOUNCED,
    EventType.REJECTED: Message.Status.BOUNCED,
    EventType.COMPLAINED: Message.Status.COMPLAINED,
}
SUPPRESS = {
    Message.Status.BOUNCED: Suppression.Reason.BOUNCED,
    Message.Status.COMPLAINED: Suppression.Reason.COMPLAINED,
}


def _event_key(event: AnymailTrackingEvent, esp_name: str) -> str:
    """The ESP's event id, or (for ESPs that send none for some events) one derived from what
    identifies the event, so a replay still maps to the same key."""
    if event.event_id:
        return f"{esp_name}:{event.event_id}"[:200]
    stamp = event.timestamp.isoformat() if event.timestamp else ""
    return f"{esp_name}:{event.event_type}:{event.message_id}:{event.recipient}:{stamp}"[:200]


def _raw(event: AnymailTrackingEvent) -> dict[str, Any]:
    return {
        "event_type": event.event_type,
        "message_id": str(event.message_id or ""),
        "recipient": event.recipient or "",
        "reject_reason": event.reject_reason or "",
        "description": event.description or "",
        "mta_response": event.mta_response or "",
    }


@transaction.atomic
def tracking_event_record(
    *, event: AnymailTrackingEvent, esp_name: str, now: datetime | None = None
) -> TrackingEvent | None:
    """Apply one tracking event; None when it was already applied (a replay)."""
    now = now or timezone.now()
    esp_message_id = str(event.message_id or "")
    message = None
    if esp_message_id:
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("contact")
            .filter(esp_message_id=esp_message_id)
            .order_by("-sent_at", "-id")
            .first()
        )
    try:
        with transaction.atomic():
            record = TrackingEvent.objects.create(
                event_id=_event_key(event, esp_name),
                event_type=event.event_type,
                esp_message_id=esp_message_id[:200],
                message=message,
                recipient=(event.recipient or "")[:254],
                occurred_at=event.timestamp,
                raw=_raw(event),
            )
    except IntegrityError:
        return None
    if message is None:
        return record
    if event.event_type == EventType.UNSUBSCRIBED:
        if message.contact is not None:  # a user's digest: the opt-out is on their profile
            contact_unsubscribe(contact=message.contact)
        return record
    status = EVENT_STATUS.get(event.event_type)
    current = Message.PROGRESS.get(message.status)
    if status is None or current is None or Message.PROGRESS[status] <= current:
        return record
    Message.objects.filter(pk=message.pk).update(status=status, updated_at=now)
    if status in SUPPRESS:
        # Only ever the message's own recipient: the event's address is whatever the payload
        # says, and a bounce naming someone else must not stop mail to them.
        suppression_add(email=message.recipient, reason=SUPPRESS[status], message=message)
        call_instead_plan(now=now, message_ids=[message.pk])
    return record


def tracking_received(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    """anymail's `tracking` signal receiver (connected in FollowupsConfig.ready())."""
    tracking_event_record(event=event, esp_name=esp_name)
