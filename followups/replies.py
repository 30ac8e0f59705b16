"""Replies (docs/architecture.md, "Replies"): the other side of the conversation.

Every message Rapport sends carries Reply-To `reply+<token>@REPLY_DOMAIN`, the token a signed,
lowercase-safe form of the message's id. anymail's inbound webhooks hand each email to
`inbound_record`, which keeps it once (by the ESP's event id, else its Message-ID), matches it to a
contact (the token in any recipient; else In-Reply-To/References against the ESP ids of the
messages we sent; else a sender address that belongs to exactly one contact; else it waits in
"Unmatched replies" for a recruiter to assign) and writes it to that contact's timeline. A human
reply opens a "reply owed" follow-up for the owner, due `reply_target_hours` business hours after
it arrived; the owner's next outbound touch to the contact meets it (`reply_owed_touched`, a
touch listener of the timeline write). Auto-replies are recorded and start no clock.
"""

import base64
import re
import uuid
from collections.abc import Sequence
from datetime import datetime

import nh3
from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36
from django.utils.text import get_valid_filename
from mailparser_reply import EmailReplyParser

from accounts.models import User
from contacts.models import Contact
from followups.models import FollowUp, InboundReply, Message, MessageKind, Policy
from followups.servicelevels import business_hours_after
from followups.suppression import is_suppressed
from relationships import services as relationship_services
from relationships.models import Interaction

TOKEN_SALT = "followups.replies.reply-to"  # noqa: S105 - a salt, not a secret
TOKEN_RE = re.compile(r"^reply\+([0-9a-z]+)\.([a-z2-7]{16})@", re.IGNORECASE)

# --- the Reply-To token --------------------------------------------------------------------------


def _signature(value: str) -> str:
    """16 base32 characters (80 bits) of an HMAC of `value` under SECRET_KEY and this salt: the
    alphabet is one case, so a mail server that lowercases the address does not break it."""
    digest = salted_hmac(TOKEN_SALT, value, algorithm="sha256").digest()
    return base64.b32encode(digest[:10]).decode().lower()


def reply_token(message_id: int) -> str:
    value = int_to_base36(message_id)
    return f"{value}.{_signature(value)}"


def reply_address(message_id: int) -> str:
    """`reply+<token>@REPLY_DOMAIN`, or "" when REPLY_DOMAIN is not set."""
    domain = settings.REPLY_DOMAIN
    return f"reply+{reply_token(message_id)}@{domain}" if domain else ""


def reply_token_message_id(address: str) -> int | None:
    """The message id an inbound recipient address carries, or None (not ours, or tampered)."""
    match = TOKEN_RE.match((address or "").strip().lower())
    if not match:
        return None
    value, signature = match.groups()
    if not constant_time_compare(signature, _signature(value)):
        return None
    try:
        return base36_to_int(value)
    except ValueError:
        return None


# --- reading an inbound email --------------------------------------------------------------------

AUTO_PRECEDENCE = frozenset({"bulk", "auto_reply", "junk", "list"})


def is_auto_reply(message: AnymailInboundMessage) -> bool:
    """RFC 3834 Auto-Submitted other than "no", the X-Autoreply family, or a bulk Precedence."""
    auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    return (message.get("Precedence") or "").strip().lower() in AUTO_PRECEDENCE


def reply_text_strip(text: str) -> str:
    """The new text of a reply, without the quoted history (Gmail's "On … wrote:", Outlook's
    "From: … Sent: …" block, "> " quotes), by mail-parser-reply."""
    if not text.strip():
        return ""
    return EmailReplyParser(languages=["en"]).parse_reply(text=text).strip()


def html_sanitise(html: str) -> str:
    return nh3.clean(html) if html else ""


def _message_ids(value: str) -> list[str]:
    """The ids in an In-Reply-To or References header, each in the forms an ESP id may take:
    "<id@host>", "id@host" and the bare "id" (Postmark records its MessageID, a uuid, which is
    the local part of the Message-ID it sets)."""
    ids = []
    for raw in re.findall(r"<([^<>\s]+)>", value or "") or (value or "").split():
        ids += [f"<{raw}>", raw, raw.split("@", 1)[0]]
    return ids


def _addresses(message: AnymailInboundMessage) -> list[str]:
    found = []
    if message.envelope_recipient:
        found.append(message.envelope_recipient)
    for header in ("To", "Cc", "Delivered-To", "X-Original-To"):
        found += [address.addr_spec for address in message.get_address_header(header)]
    return [a.lower() for a in found if a]


def _event_key(event: AnymailInboundEvent, esp_name: str, message: AnymailInboundMessage) -> str:
    if event.event_id:
        return f"{esp_name}:{event.event_id}"[:300]
    message_id = (message.get("Message-ID") or "").strip()
    if message_id:
        return f"message-id:{message_id}"[:300]
    sender = message.from_email.addr_spec if message.from_email else ""
    stamp = message.get("Date") or ""
    return f"{esp_name}:{sender}:{stamp}:{message.subject or ''}"[:300]


# --- matching ------------------------------------------------------------------------------------


def _match(
    message: AnymailInboundMessage, sender: str
) -> tuple[Contact | None, Message | None, str]:
    for address in _addresses(message):
        message_id = reply_token_message_id(address)
        if message_id is not None:
            sent = (
                Message.objects.select_related("contact", "candidacy__job__owner")
                .filter(pk=message_id)
                .first()
            )
            if sent is not None:
                return sent.contact, sent, InboundReply.MatchedBy.TOKEN
    ids = _message_ids(message.get("In-Reply-To") or "") + _message_ids(
        message.get("References") or ""
    )
    if ids:
        sent = (
            Message.objects.select_related("contact", "candidacy__job__owner")
            .filter(esp_message_id__in=ids)
            .exclude(esp_message_id="")
            .order_by("-sent_at", "-id")
            .first()
        )
        if sent is not None:
            return sent.contact, sent, InboundReply.MatchedBy.THREAD
    if sender:
        contacts = list(Contact.objects.filter(emails__contains=[sender])[:2])
        if len(contacts) == 1:
            return contacts[0], None, InboundReply.MatchedBy.SENDER
    return None, None, ""


def _attachments_keep(reply: InboundReply, message: AnymailInboundMessage) -> list[dict]:
    """Name and size of every attachment; the file itself, in the default storage under a
    private path, only up to FOLLOWUPS_INBOUND_ATTACHMENT_MAX_BYTES. Never rendered inline."""
    limit = settings.FOLLOWUPS_INBOUND_ATTACHMENT_MAX_BYTES
    kept = []
    for index, attachment in enumerate(message.attachments):
        content = attachment.get_content_bytes() or b""
        name = attachment.get_filename() or f"attachment-{index + 1}"
        entry = {"name": name[:200], "size": len(content), "stored": ""}
        if len(content) <= limit:
            safe = get_valid_filename(name) or f"attachment-{index + 1}"
            entry["stored"] = default_storage.save(
                f"private/inbound/{reply.pk}/{index + 1}-{safe}", ContentFile(content)
            )
        kept.append(entry)
    return kept


# --- recording -----------------------------------------------------------------------------------


@transaction.atomic
def inbound_record(
    *, event: AnymailInboundEvent, esp_name: str, now: datetime | None = None
) -> InboundReply | None:
    """Keep one inbound email and land it on its contact's timeline; None when it was already
    kept (a replay)."""
    now = now or timezone.now()
    message = event.message
    sender = message.from_email.addr_spec.lower() if message.from_email else ""
    text = message.text or ""
    contact, sent, matched_by = _match(message, sender)
    try:
        with transaction.atomic():
            reply = InboundReply.objects.create(
                event_key=_event_key(event, esp_name, message),
                esp_name=esp_name[:32],
                message_id_header=(message.get("Message-ID") or "").strip()[:300],
                from_email=sender[:254],
                from_name=(message.from_email.display_name if message.from_email else "")[:200],
                recipients=", ".join(_addresses(message)),
                subject=(message.subject or "").strip()[:300],
                reply_text=reply_text_strip(text),
                text=text,
                html=html_sanitise(message.html or ""),
                is_auto=is_auto_reply(message),
                received_at=event.timestamp or now,
                message=sent,
                matched_by=matched_by,
            )
    except IntegrityError:
        return None
    if message.attachments:
        reply.attachments = _attachments_keep(reply, message)
        reply.save(update_fields=["attachments"])
    if contact is not None:
        _land(reply, contact=contact, now=now)
    return reply


def _owner(reply: InboundReply, contact: Contact) -> User | None:
    """Who owes the answer: the candidacy's owner when the reply threads to a message about a
    candidacy, else the contact's owner, else the recruiter the message went out for."""
    sent = reply.message
    if sent is not None and sent.candidacy_id:
        return sent.candidacy.job.owner
    relationship = getattr(contact, "relationship", None)
    if relationship is not None:
        return relationship.owner
    return sent.owner if sent is not None else None


def _land(reply: InboundReply, *, contact: Contact, now: datetime) -> None:
    """The reply on the contact's (and company's) timeline; a human reply opens a reply owed."""
    label = "Auto-reply" if reply.is_auto else "Reply"
    reply.contact = contact
    reply.interaction = relationship_services.interaction_log(
        contact=contact,
        kind=Interaction.Kind.EMAIL,
        direction=Interaction.Direction.INBOUND,
        summary=f"{label}: {reply.subject or '(no subject)'}"[:300],
        body=reply.reply_text or reply.text,
        occurred_at=reply.received_at,
    )
    owner = _owner(reply, contact)
    if not reply.is_auto and owner is not None and not contact.do_not_contact:
        policy = Policy.current()
        followup = FollowUp(
            owner=owner,
            contact=contact,
            candidacy_id=reply.message.candidacy_id if reply.message else None,
            job_id=reply.message.job_id if reply.message else None,
            message=reply.message,
            kind=FollowUp.Kind.EMAIL,
            reason=FollowUp.Reason.REPLY_OWED,
            summary=f"Answer {contact}: {reply.subject or 'their reply'}"[:300],
            due_at=business_hours_after(reply.received_at, policy.reply_target_hours),
            idempotency_key=f"reply_owed:{reply.pk}",
        )
        # The fields' own rules; the foreign keys are the instances above, checked by the
        # database without a query each, and the key is new with the reply.
        followup.clean_fields(exclude=["owner", "contact", "job", "candidacy", "message"])
        followup.save()
        reply.followup = followup
    reply.save(update_fields=["contact", "interaction", "followup"])


@transaction.atomic
def inbound_assign(*, reply: InboundReply, contact: Contact, user: User) -> InboundReply:
    """A recruiter gives an unmatched reply to a contact: it lands on that timeline."""
    if not user.is_active:
        raise PermissionDenied("Only active users assign replies.")
    reply = InboundReply.objects.select_for_update().get(pk=reply.pk)
    if reply.contact_id is not None:
        raise ValidationError("This reply is already on a contact's timeline.")
    reply.matched_by = InboundReply.MatchedBy.HAND
    reply.assigned_by = user
    reply.save(update_fields=["matched_by", "assigned_by"])
    _land(reply, contact=contact, now=timezone.now())
    return reply


def inbound_received(sender, event: AnymailInboundEvent, esp_name: str, **kwargs) -> None:
    """anymail's `inbound` signal receiver (connected in FollowupsConfig.ready())."""
    inbound_record(event=event, esp_name=esp_name)


# --- writing from Rapport -----------------------------------------------------------------------


@transaction.atomic
def one_off_email_queue(*, user: User, contact: Contact, subject: str, text: str) -> Message:
    """A recruiter's own email to a contact, into the outbox as written (`edited`: the relay
    sends its subject and text, no template), leaving at once through the same relay, tracking,
    suppression and Reply-To token; on the timeline when sent, where it meets a reply owed."""
    subject, text = subject.strip(), text.strip()
    errors = {}
    if not subject:
        errors["subject"] = "Write a subject."
    if not text:
        errors["text"] = "Write the email."
    recipient = contact.primary_email.lower()
    if contact.do_not_contact:
        errors["__all__"] = f"{contact} is marked do not contact."
    elif not recipient:
        errors["__all__"] = f"{contact} has no email address."
    elif is_suppressed(recipient):
        errors["__all__"] = f"{recipient} is suppressed: it bounced, complained or unsubscribed."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    message = Message(
        kind=MessageKind.ONE_OFF,
        owner=user,
        contact=contact,
        recipient=recipient,
        subject=subject[:300],
        text=text,
        edited=True,
        idempotency_key=f"one_off:{uuid.uuid4()}",
        send_after=now,
    )
    message.full_clean()
    message.save()
    return message


# --- a reply owed is met -------------------------------------------------------------------------


REPLY_OWED_MET_SQL = f"""
UPDATE {FollowUp._meta.db_table} AS f
SET completed_at = %(now)s, outcome = 'Answered.', updated_at = %(now)s
FROM unnest(%(contact_ids)s::bigint[], %(owner_ids)s::bigint[], %(ats)s::timestamptz[])
    AS t(contact_id, owner_id, at)
WHERE f.completed_at IS NULL AND f.reason = %(reason)s
  AND f.contact_id = t.contact_id AND f.owner_id = t.owner_id AND f.created_at <= t.at
"""  # noqa: S608 - the table name is the model's, every value a parameter


def reply_owed_touched(touches: Sequence[Interaction], clock_moved: set[int]) -> None:
    """A touch listener: the owner's outbound touch to a contact (a call, an email, a meeting, a
    message sent) meets their open replies owed to that contact that arrived before it. One
    UPDATE for the whole write, the touches as arrays (a relay batch's 50 would otherwise be an
    OR of 50 conditions for Django to build and PostgreSQL to plan)."""
    latest: dict[tuple[int, int], datetime] = {}
    for touch in touches:
        if touch.direction != Interaction.Direction.OUTBOUND or touch.recruiter_id is None:
            continue
        key = (touch.contact_id, touch.recruiter_id)
        if key not in latest or touch.occurred_at > latest[key]:
            latest[key] = touch.occurred_at
    if not latest:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            REPLY_OWED_MET_SQL,
            {
                "now": timezone.now(),
                "reason": FollowUp.Reason.REPLY_OWED,
                "contact_ids": [contact_id for contact_id, _ in latest],
                "owner_ids": [owner_id for _, owner_id in latest],
                "ats": list(latest.values()),
            },
        )
