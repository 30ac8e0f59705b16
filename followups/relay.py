"""The relay: due messages leave the outbox in batches (DESIGN.md §4).

1. Claim: in a short transaction, `SELECT ... FOR UPDATE SKIP LOCKED` the due rows and mark them
   `sending` with a lease (`claimed_at`) and one more attempt. Any number of workers share the
   outbox; a row another worker holds is skipped.
2. Send: outside any transaction, render and hand each message to Django's email backend.
3. Record: every RECORD_EVERY messages, in one transaction, mark the sent ones `sent` (only if
   our claim still holds), write their timeline rows and the candidacies' candidate-facing
   touches. A worker killed between 2 and 3 leaves rows in `sending`: the sweeper returns them
   after the lease, so nothing is lost; what was recorded as sent is never sent again.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F

from followups.content import render_list, templates_current, unsubscribe_url
from followups.models import (
    OBLIGATION_KINDS,
    UNSUBSCRIBABLE_KINDS,
    Message,
    MessageKind,
    Policy,
    Suppression,
)
from followups.rendering import Rendered
from followups.services import call_instead_plan
from jobs import services as job_services
from relationships.models import Interaction

logger = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CEILING = timedelta(hours=1)


def relay_batch_size() -> int:
    return settings.FOLLOWUPS_RELAY_BATCH


def lease() -> timedelta:
    return timedelta(seconds=settings.FOLLOWUPS_RELAY_LEASE_SECONDS)


@dataclass
class RelayResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    not_sent: int = 0
    more: bool = False


@dataclass
class _Outcomes:
    sent: list[tuple[Message, Rendered, str]] = field(default_factory=list)
    retry: list[tuple[Message, str]] = field(default_factory=list)
    failed: list[tuple[Message, str]] = field(default_factory=list)
    # (message, status, reason): cancelled, skipped or suppressed before sending.
    not_sent: list[tuple[Message, str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sent) + len(self.retry) + len(self.failed) + len(self.not_sent)


def messages_claim(*, now: datetime, limit: int) -> list[int]:
    """Mark up to `limit` due messages `sending` for this worker; returns their ids."""
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Message.Status.SCHEDULED, send_after__lte=now)
            .order_by("send_after", "id")
            .values_list("id", flat=True)[:limit]
        )
        if ids:
            Message.objects.filter(pk__in=ids).update(
                status=Message.Status.SENDING,
                claimed_at=now,
                attempts=F("attempts") + 1,
                updated_at=now,
            )
    return ids


def _not_sendable(message: Message, suppressed: set[str], now: datetime) -> tuple[str, str]:
    """(status, reason) when the message must not leave, else ("", "")."""
    contact = message.contact
    candidacy = message.candidacy
    if message.kind == MessageKind.STATUS_UPDATE and candidacy and not candidacy.is_open:
        return Message.Status.CANCELLED, "the candidacy is closed"
    if message.kind == MessageKind.CLOSURE and candidacy and candidacy.is_open:
        return Message.Status.CANCELLED, "the decision was undone"
    if message.kind == MessageKind.CLIENT_DIGEST and message.job and not message.job.is_active:
        return Message.Status.CANCELLED, f"the job is {message.job.get_status_display().lower()}"
    if contact.do_not_contact:
        return Message.Status.SKIPPED, "do not contact"
    if not message.recipient:
        return Message.Status.SUPPRESSED, "no email address"
    if contact.email_opt_out and message.kind in UNSUBSCRIBABLE_KINDS | OBLIGATION_KINDS:
        return Message.Status.SUPPRESSED, "unsubscribed"
    if message.recipient.lower() in suppressed:
        return Message.Status.SUPPRESSED, "address suppressed"
    if message.deadline and now > message.deadline:
        return Message.Status.FAILED, "past the deadline"
    return "", ""


def _email(message: Message, rendered: Rendered) -> EmailMultiAlternatives:
    owner = message.owner
    from_name = _quoted(f"{owner.get_full_name() or owner.username} via Rapport")
    headers = {"X-Rapport-Message": message.idempotency_key}
    if message.kind in UNSUBSCRIBABLE_KINDS:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(message.contact_id)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=f"{from_name} <{_address(settings.DEFAULT_FROM_EMAIL)}>",
        to=[message.recipient],
        reply_to=[owner.email] if owner.email else None,
        headers=headers,
    )
    if rendered.html:
        email.attach_alternative(rendered.html, "text/html")
    return email


def _quoted(name: str) -> str:
    """A display name on one line and quoted: a name with "<", "@" or a quote in it cannot
    become an address."""
    name = " ".join(name.split())
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _address(from_email: str) -> str:
    return from_email.rsplit("<", 1)[-1].rstrip(">").strip()


def _is_transient(error: Exception) -> bool:
    """A refused recipient or a 4xx answer will not get better by retrying; a network error,
    a 429 or a 5xx may."""
    if isinstance(error, AnymailRecipientsRefused):
        return False
    status = getattr(error, "status_code", None)
    if isinstance(error, AnymailError) and status is not None:
        return status == 429 or status >= 500
    return True


def _describe(error: Exception) -> str:
    try:
        text = f"{type(error).__name__}: {error}"
    except Exception:  # noqa: BLE001 - an error that cannot describe itself still gets recorded
        text = f"{type(error).__name__}: {error.args!r}"
    return text[:2000]


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CEILING)


def relay_batch(*, now: datetime, limit: int | None = None) -> RelayResult:
    """Claim, send and record one batch of due messages."""
    limit = limit or relay_batch_size()
    ids = messages_claim(now=now, limit=limit)
    result = RelayResult(claimed=len(ids), more=len(ids) == limit)
    if not ids:
        return result
    messages = list(
        Message.objects.filter(pk__in=ids)
        .select_related("contact", "owner", "job__organization", "candidacy")
        .order_by("send_after", "id")
    )
    recipients = {m.recipient.lower() for m in messages if m.recipient}
    suppressed = set(
        Suppression.objects.filter(email__in=recipients).values_list("email", flat=True)
    )
    policy = Policy.current()
    words = templates_current()
    rendered_all = render_list(messages, words, now=now)
    record_every = settings.FOLLOWUPS_RELAY_RECORD_EVERY
    outcomes = _Outcomes()
    backend = get_connection(fail_silently=False)
    backend.open()
    try:
        for message, rendered in zip(messages, rendered_all, strict=True):
            status, reason = _not_sendable(message, suppressed, now)
            if status == Message.Status.FAILED:
                outcomes.failed.append((message, reason))
            elif status:
                outcomes.not_sent.append((message, status, reason))
            else:
                _send_one(backend, message, rendered, outcomes, policy)
            if len(outcomes) >= record_every:
                _record(outcomes, now=now, policy=policy, result=result)
                outcomes = _Outcomes()
    finally:
        backend.close()
        if len(outcomes):
            _record(outcomes, now=now, policy=policy, result=result)
    return result


def _send_one(backend, message: Message, rendered: Rendered, outcomes: _Outcomes, policy) -> None:
    email = _email(message, rendered)
    try:
        backend.send_messages([email])
    except Exception as error:  # noqa: BLE001 - every ESP error is classified and recorded
        text = _describe(error)
        if _is_transient(error) and message.attempts < policy.max_attempts:
            outcomes.retry.append((message, text))
        else:
            outcomes.failed.append((message, text))
        logger.warning("relay: message %s not sent: %s", message.pk, text)
        return
    status = getattr(email, "anymail_status", None)
    esp_id = str(status.message_id) if status is not None and status.message_id is not None else ""
    outcomes.sent.append((message, rendered, esp_id))


MARK_SENT_SQL = """
UPDATE followups_message AS m
SET status = 'sent', sent_at = %(now)s, updated_at = %(now)s, esp_message_id = v.esp_id,
    subject = v.subject, text = v.text, html = v.html, last_error = ''
FROM unnest(%(ids)s::bigint[], %(esp_ids)s::text[], %(subjects)s::text[], %(texts)s::text[],
            %(htmls)s::text[]) AS v(id, esp_id, subject, text, html)
WHERE m.id = v.id AND m.status = 'sending' AND m.claimed_at = %(claimed_at)s
RETURNING m.id
"""

TOUCH_SQL = """
UPDATE relationships_relationship
SET last_touch_at = %(now)s, updated_at = %(now)s,
    next_touch_due = %(now)s + make_interval(days => cadence_days)
WHERE contact_id = ANY(%(contact_ids)s) AND (last_touch_at IS NULL OR last_touch_at < %(now)s)
"""


@transaction.atomic
def _record(outcomes: _Outcomes, *, now: datetime, policy: Policy, result: RelayResult) -> None:
    sent_ids: set[int] = set()
    if outcomes.sent:
        with connection.cursor() as cursor:
            cursor.execute(
                MARK_SENT_SQL,
                {
                    "now": now,
                    "claimed_at": now,
                    "ids": [m.pk for m, _, _ in outcomes.sent],
                    "esp_ids": [esp for _, _, esp in outcomes.sent],
                    "subjects": [r.subject[:300] for _, r, _ in outcomes.sent],
                    "texts": [r.text for _, r, _ in outcomes.sent],
                    "htmls": [r.html for _, r, _ in outcomes.sent],
                },
            )
            sent_ids = {row[0] for row in cursor.fetchall()}
        sent = [(m, r) for m, r, _ in outcomes.sent if m.pk in sent_ids]
        _timeline_write(sent, now=now)
        job_services.candidacy_candidate_touch_record(
            candidacy_ids=[
                m.candidacy_id for m, _ in sent if m.candidacy_id and m.kind in OBLIGATION_KINDS
            ],
            at=now,
        )
        result.sent += len(sent)
    claimed = Message.objects.filter(status=Message.Status.SENDING, claimed_at=now)
    for message, error in outcomes.retry:
        claimed.filter(pk=message.pk).update(
            status=Message.Status.SCHEDULED,
            send_after=now + backoff(message.attempts),
            last_error=error,
            claimed_at=None,
            updated_at=now,
        )
        result.retried += 1
    for message, error in outcomes.failed:
        claimed.filter(pk=message.pk).update(
            status=Message.Status.FAILED, last_error=error, claimed_at=None, updated_at=now
        )
        result.failed += 1
    for message, status, reason in outcomes.not_sent:
        claimed.filter(pk=message.pk).update(
            status=status, skip_reason=reason, claimed_at=None, updated_at=now
        )
        result.not_sent += 1
    undeliverable = [m.pk for m, _ in outcomes.failed] + [
        m.pk for m, status, _ in outcomes.not_sent if status == Message.Status.SUPPRESSED
    ]
    if undeliverable:
        call_instead_plan(now=now, message_ids=undeliverable)


def _timeline_write(sent: Sequence[tuple[Message, Rendered]], *, now: datetime) -> None:
    """The timeline rows `relationships.services.interaction_log` writes for a sent message, in
    one insert per batch, and the relationships' clocks moved in one update (a message is a
    touch)."""
    if not sent:
        return
    Interaction.objects.bulk_create(
        [
            Interaction(
                contact_id=message.contact_id,
                organization_id=message.contact.organization_id,
                kind=Interaction.Kind.MESSAGE,
                direction=Interaction.Direction.OUTBOUND,
                summary=f"{message.get_kind_display()} sent: {rendered.subject}"[:300],
                body=rendered.text,
                recruiter_id=message.owner_id,
                occurred_at=now,
            )
            for message, rendered in sent
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            TOUCH_SQL, {"now": now, "contact_ids": sorted({m.contact_id for m, _ in sent})}
        )


def messages_sweep(*, now: datetime) -> int:
    """Return messages stuck in `sending` past the lease (their worker died) to the outbox;
    those out of attempts fail into a call. Returns how many were recovered."""
    policy = Policy.current()
    stuck = Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=now - lease())
    with transaction.atomic():
        failed_ids = list(
            stuck.filter(attempts__gte=policy.max_attempts).values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=failed_ids).update(
            status=Message.Status.FAILED,
            last_error="The worker sending it stopped; out of attempts.",
            claimed_at=None,
            updated_at=now,
        )
        recovered = stuck.update(
            status=Message.Status.SCHEDULED,
            claimed_at=None,
            last_error="The worker sending it stopped before recording it; sent again.",
            updated_at=now,
        )
        call_instead_plan(now=now, message_ids=failed_ids)
    return recovered
