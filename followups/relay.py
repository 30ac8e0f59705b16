"""The relay: due messages leave the outbox in batches (docs/architecture.md, "The outbox").

1. Claim: in a short transaction, `SELECT ... FOR UPDATE SKIP LOCKED` the due rows and mark them
   `sending` under this run's claim token with a lease (`lease_until`). Any number of workers
   share the outbox; a row another worker holds is skipped.
2. Send, a chunk (half of FOLLOWUPS_RELAY_RECORD_EVERY) at a time: renew the lease of the chunk's
   rows (`UPDATE ... WHERE claim_token = mine RETURNING id`) and send only the rows still held,
   up to FOLLOWUPS_RELAY_CONCURRENCY at once (the work waits on the ESP's network), under the ESP
   account's shared rate limit (followups.ratelimit). A live worker renews before every chunk, so
   its claim never expires under it; a stalled or dead one loses the rows it has not reached yet.
3. Record each chunk in one transaction, while the next chunk's sends are on their way: mark the
   sent ones `sent`, write their timeline rows and the candidacies' candidate-facing touches. A
   send the ESP accepted is recorded even if the claim was lost meanwhile. At any moment at most
   two chunks have left unrecorded (the one being recorded and the one sending), so a worker
   process killed mid-batch leaves at most FOLLOWUPS_RELAY_RECORD_EVERY messages sent but
   unrecorded: the sweeper returns those rows after the lease and they leave again. What was
   recorded as sent is never sent again.
"""

import logging
import os
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from requests.utils import get_environ_proxies, get_netrc_auth

from followups import ratelimit
from followups.content import render_list, templates_current, unsubscribe_url
from followups.models import (
    OBLIGATION_KINDS,
    UNSUBSCRIBABLE_KINDS,
    MarketNoteUse,
    Message,
    MessageKind,
    Policy,
)
from followups.ratings import ratings_open_for
from followups.rendering import Rendered
from followups.replies import reply_address
from followups.services import call_instead_plan
from followups.suppression import suppressed_among
from jobs import services as job_services
from relationships import services as relationship_services
from relationships.models import Interaction

logger = logging.getLogger(__name__)

BACKOFF_CEILING = timedelta(hours=1)


def relay_batch_size() -> int:
    return settings.FOLLOWUPS_RELAY_BATCH


def lease() -> timedelta:
    return timedelta(seconds=settings.FOLLOWUPS_RELAY_LEASE_SECONDS)


def relay_concurrency() -> int:
    return max(1, settings.FOLLOWUPS_RELAY_CONCURRENCY)


def send_margin() -> timedelta:
    """How much of the lease must remain for a send to start: the ESP call's own time limit, so
    no send is still in flight when the lease runs out (at most half the lease)."""
    timeout = timedelta(seconds=settings.FOLLOWUPS_RELAY_SEND_TIMEOUT)
    return min(timeout, lease() / 2)


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
    # (message, error, earliest retry the ESP asked for (e.g. a 429's Retry-After) or None,
    # when the ESP answered: the time since the batch's start)
    retry: list[tuple[Message, str, timedelta | None, timedelta]] = field(default_factory=list)
    # (message, error, whether a send was attempted)
    failed: list[tuple[Message, str, bool]] = field(default_factory=list)
    # (message, status, reason): cancelled, skipped or suppressed before sending.
    not_sent: list[tuple[Message, str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sent) + len(self.retry) + len(self.failed) + len(self.not_sent)


@dataclass(frozen=True)
class Claim:
    token: uuid.UUID
    ids: list[int]


def messages_claim(*, now: datetime, limit: int) -> Claim:
    """Mark up to `limit` due messages `sending` under a new claim token with a lease."""
    token = uuid.uuid4()
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
                claim_token=token,
                claimed_at=now,
                lease_until=now + lease(),
                updated_at=now,
            )
    return Claim(token=token, ids=ids)


RENEW_SQL = """
UPDATE followups_message SET lease_until = %(until)s
WHERE claim_token = %(token)s AND status = 'sending' AND id = ANY(%(ids)s)
RETURNING id
"""


def claim_renew(claim: Claim, *, ids: Sequence[int], until: datetime) -> set[int]:
    """Extend the lease of the claim's rows among `ids`; returns the ids still held."""
    if not ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(RENEW_SQL, {"until": until, "token": claim.token, "ids": list(ids)})
        return {row[0] for row in cursor.fetchall()}


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
    if contact is not None and contact.do_not_contact:
        return Message.Status.SKIPPED, "do not contact"
    if not message.recipient:
        return Message.Status.SUPPRESSED, "no email address"
    opted_out = contact is not None and contact.email_opt_out
    if opted_out and message.kind in UNSUBSCRIBABLE_KINDS | OBLIGATION_KINDS:
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
        reply_to=_reply_to(message),
        headers=headers,
    )
    if rendered.html:
        email.attach_alternative(rendered.html, "text/html")
    return email


def _reply_to(message: Message) -> list[str] | None:
    """The message's own reply address (followups.replies) when REPLY_DOMAIN is set, else the
    recruiter's address."""
    address = reply_address(message.pk)
    if address:
        return [address]
    return [message.owner.email] if message.owner.email else None


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
    """The wait before the next attempt: the base (FOLLOWUPS_RELAY_BACKOFF_SECONDS, 30 s),
    doubled for every attempt after the first, at most an hour."""
    base = timedelta(seconds=settings.FOLLOWUPS_RELAY_BACKOFF_SECONDS)
    return min(base * (2 ** max(attempts - 1, 0)), BACKOFF_CEILING)


def _retry_after(error: Exception) -> timedelta | None:
    """The wait a 429 or 503 asked for in its Retry-After header (seconds), if any."""
    response = getattr(error, "response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return timedelta(seconds=max(0, int(value))) if value is not None else None
    except ValueError:
        return None


def relay_batch(*, now: datetime, limit: int | None = None) -> RelayResult:
    """Claim, send and record one batch of due messages."""
    # The batch's clock is `now` (which tests move) plus the real time since this line: read
    # before the claim and the rendering, so an ESP's answer is never dated earlier than it came.
    started = time.monotonic()
    limit = limit or relay_batch_size()
    claim = messages_claim(now=now, limit=limit)
    result = RelayResult(claimed=len(claim.ids), more=len(claim.ids) == limit)
    if not claim.ids:
        return result
    messages = list(
        Message.objects.filter(pk__in=claim.ids)
        .select_related("contact", "owner", "job__organization", "candidacy")
        .order_by("send_after", "id")
    )
    recipients = {m.recipient.lower() for m in messages if m.recipient}
    suppressed = suppressed_among(recipients)
    policy = Policy.current()
    # The closure notices' ratings are opened as they leave (never for a preview).
    ratings = ratings_open_for(messages, now=now)
    rendered_all = render_list(messages, templates_current(), now=now, ratings=ratings)
    sender = _Sender()
    in_flight: _Chunk | None = None
    try:
        for chunk in _chunks(messages, rendered_all):
            # The lease counts on the batch's clock (`now`, which tests move), plus real time.
            until = now + timedelta(seconds=time.monotonic() - started) + lease()
            held = claim_renew(claim, ids=[m.pk for m, _ in chunk], until=until)
            # No send starts unless it can finish before the lease runs out.
            send_by = time.monotonic() + (lease() - send_margin()).total_seconds()
            outcomes = _Outcomes()
            sendable = []
            for message, rendered in chunk:
                if message.pk not in held:
                    continue  # the lease ran out while we were away: the row is someone else's
                status, reason = _not_sendable(message, suppressed, now)
                if status == Message.Status.FAILED:
                    outcomes.failed.append((message, reason, False))
                elif status:
                    outcomes.not_sent.append((message, status, reason))
                else:
                    sendable.append((message, rendered))
            sending = sender.submit(sendable, policy, send_by=send_by, started=started)
            # This chunk's sends are on their way while the one before is recorded.
            if in_flight is not None:
                _finish(in_flight, sender, claim=claim, now=now, result=result)
            in_flight = _Chunk(outcomes, sending)
        if in_flight is not None:
            _finish(in_flight, sender, claim=claim, now=now, result=result)
    finally:
        sender.close()
    return result


def _chunks(messages: list[Message], rendered: list[Rendered]):
    """The batch in chunks of half FOLLOWUPS_RELAY_RECORD_EVERY: a chunk's sends overlap the
    recording of the chunk before, so at most RECORD_EVERY messages have left unrecorded at any
    moment. Recording every send (1) overlaps nothing."""
    record_every = max(1, settings.FOLLOWUPS_RELAY_RECORD_EVERY)
    size = record_every // 2 if record_every > 1 else 1
    for start in range(0, len(messages), size):
        yield list(zip(messages[start : start + size], rendered[start : start + size], strict=True))


@dataclass
class _Chunk:
    outcomes: _Outcomes
    sending: list


def _finish(chunk: _Chunk, sender, *, claim: Claim, now: datetime, result: RelayResult) -> None:
    """Wait for a chunk's sends and record them."""
    sender.collect(chunk.sending, chunk.outcomes)
    try:
        _record(chunk.outcomes, claim=claim, now=now, result=result)
    except DatabaseError:
        # The at-least-once window, made visible: these left and will leave again.
        if chunk.outcomes.sent:
            logger.error(
                "relay: the database failed recording %s messages the ESP accepted; "
                "they are sent again after their lease: %s",
                len(chunk.outcomes.sent),
                sorted(m.pk for m, _, _ in chunk.outcomes.sent),
            )
        raise


class _Sender:
    """Sends a chunk with up to FOLLOWUPS_RELAY_CONCURRENCY messages in flight, each thread with
    its own open connection to the ESP (anymail's requests session is not shared between
    threads), every send waiting its turn under the ESP account's rate limit."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._backends: list = []
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(
            max_workers=relay_concurrency(), thread_name_prefix="relay-send"
        )

    def _backend(self):
        backend = getattr(self._local, "backend", None)
        if backend is None:
            backend = get_connection(fail_silently=False)
            backend.open()
            session_settle(backend)
            self._local.backend = backend
            with self._lock:
                self._backends.append(backend)
        return backend

    def submit(self, sendable, policy: Policy, *, send_by: float, started: float) -> list:
        """Start a chunk's sends; returns them, in order, for `collect`."""

        def send(message: Message, rendered: Rendered):
            ratelimit.esp_turn_wait()
            if time.monotonic() > send_by:
                # Stalled past the lease: the row may be someone else's now. Leave it.
                return "expired", "", None, None
            kind, detail, wait = _send_one(self._backend(), message, rendered, policy)
            return kind, detail, wait, timedelta(seconds=time.monotonic() - started)

        return [
            (message, rendered, self._pool.submit(send, message, rendered))
            for message, rendered in sendable
        ]

    def collect(self, sending: list, outcomes: _Outcomes) -> None:
        """Wait for the sends `submit` started and sort them into `outcomes`."""
        for message, rendered, future in sending:
            kind, detail, wait, answered = future.result()
            if kind == "sent":
                outcomes.sent.append((message, rendered, detail))
            elif kind == "retry":
                outcomes.retry.append((message, detail, wait, answered))
            elif kind == "failed":
                outcomes.failed.append((message, detail, True))
            else:
                logger.warning("relay: message %s left unsent, its lease ran out", message.pk)

    def close(self) -> None:
        # After a failure, the sends not yet started never start; those on their way finish.
        self._pool.shutdown(wait=True, cancel_futures=True)
        for backend in self._backends:
            backend.close()


def session_settle(backend) -> None:
    """Read what requests takes from the environment (proxies, the CA bundle, ~/.netrc) once for
    a sending thread's session instead of once per message. Left to itself, requests looks again
    for every request: a stat of ~/.netrc and a walk over os.environ per message. py-spy put an
    eighth of the sending threads' wall time there at 28 in flight (each stat hands the
    interpreter lock to another thread); the worker's CPU per message did not change measurably.
    Every request of a backend goes to its one API host, so the answers are the same for all of
    them. A backend without a requests session (anymail's test backend,
    SES's boto3) is left as it is."""
    session = getattr(backend, "session", None)
    url = getattr(backend, "api_url", None)
    if session is None or not url or not getattr(session, "trust_env", False):
        return
    session.proxies = {**get_environ_proxies(url), **session.proxies}
    if session.verify is True:
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        session.verify = bundle or True
    if session.auth is None:
        session.auth = get_netrc_auth(url)
    session.trust_env = False


def _send_one(
    backend, message: Message, rendered: Rendered, policy: Policy
) -> tuple[str, str, timedelta | None]:
    """("sent", ESP id, None), ("retry", error, earliest retry) or ("failed", error, None).
    Runs on a sending thread: no database access here."""
    email = _email(message, rendered)
    attempt = message.attempts + 1  # recorded with the outcome: attempts count real sends
    try:
        backend.send_messages([email])
    except Exception as error:  # noqa: BLE001 - every ESP error is classified and recorded
        text = _describe(error)
        logger.warning("relay: message %s not sent: %s", message.pk, text)
        if _is_transient(error) and attempt < policy.max_attempts:
            return "retry", text, _retry_after(error)
        return "failed", text, None
    status = getattr(email, "anymail_status", None)
    esp_id = str(status.message_id) if status is not None and status.message_id is not None else ""
    return "sent", esp_id, None


MARK_SENT_SQL = """
UPDATE followups_message AS m
SET status = 'sent', sent_at = %(now)s, updated_at = %(now)s, esp_message_id = v.esp_id,
    subject = v.subject, text = v.text, html = v.html, last_error = '',
    attempts = m.attempts + 1, lease_until = NULL
FROM unnest(%(ids)s::bigint[], %(esp_ids)s::text[], %(subjects)s::text[], %(texts)s::text[],
            %(htmls)s::text[]) AS v(id, esp_id, subject, text, html)
WHERE m.id = v.id AND m.status IN ('sending', 'scheduled')
RETURNING m.id, m.claim_token = %(token)s
"""


@transaction.atomic
def _record(outcomes: _Outcomes, *, claim: Claim, now: datetime, result: RelayResult) -> None:
    if outcomes.sent:
        _record_sent(outcomes.sent, claim=claim, now=now, result=result)
    held = Message.objects.filter(status=Message.Status.SENDING, claim_token=claim.token)
    for message, error, wait, answered in outcomes.retry:
        # The wait counts from the ESP's answer, on the batch's clock (`now` is its start).
        held.filter(pk=message.pk).update(
            status=Message.Status.SCHEDULED,
            send_after=now + answered + max(backoff(message.attempts + 1), wait or timedelta(0)),
            attempts=F("attempts") + 1,
            last_error=error,
            claim_token=None,
            lease_until=None,
            claimed_at=None,
            updated_at=now,
        )
        result.retried += 1
    for message, error, attempted in outcomes.failed:
        held.filter(pk=message.pk).update(
            status=Message.Status.FAILED,
            last_error=error,
            attempts=F("attempts") + (1 if attempted else 0),
            claim_token=None,
            lease_until=None,
            claimed_at=None,
            updated_at=now,
        )
        result.failed += 1
    for message, status, reason in outcomes.not_sent:
        held.filter(pk=message.pk).update(
            status=status,
            skip_reason=reason,
            claim_token=None,
            lease_until=None,
            claimed_at=None,
            updated_at=now,
        )
        result.not_sent += 1
    undeliverable = [m.pk for m, _, _ in outcomes.failed] + [
        m.pk for m, status, _ in outcomes.not_sent if status == Message.Status.SUPPRESSED
    ]
    if undeliverable:
        call_instead_plan(now=now, message_ids=undeliverable)


def _record_sent(
    sent_outcomes: list[tuple[Message, Rendered, str]],
    *,
    claim: Claim,
    now: datetime,
    result: RelayResult,
) -> None:
    """Mark what the ESP accepted as sent. A row whose claim ran out meanwhile (a stalled
    worker, back in the outbox or claimed by another) is recorded all the same, and logged: the
    email has left, and the other worker's renewal will no longer find it."""
    with connection.cursor() as cursor:
        cursor.execute(
            MARK_SENT_SQL,
            {
                "now": now,
                "token": claim.token,
                "ids": [m.pk for m, _, _ in sent_outcomes],
                "esp_ids": [esp for _, _, esp in sent_outcomes],
                "subjects": [r.subject[:300] for _, r, _ in sent_outcomes],
                "texts": [r.text for _, r, _ in sent_outcomes],
                "htmls": [r.html for _, r, _ in sent_outcomes],
            },
        )
        rows = cursor.fetchall()
    sent_ids = {pk for pk, _ in rows}
    lost = sorted(pk for pk, ours in rows if not ours)
    if lost:
        logger.warning("relay: recorded %s sent after their claim ran out: %s", len(lost), lost)
    sent = [(m, r) for m, r, _ in sent_outcomes if m.pk in sent_ids]
    _timeline_write(sent, now=now)
    _market_note_uses_record(sent, now=now)
    job_services.candidacy_candidate_touch_record(
        candidacy_ids=[
            m.candidacy_id for m, _ in sent if m.candidacy_id and m.kind in OBLIGATION_KINDS
        ],
        at=now,
    )
    result.sent += len(sent)


def _market_note_uses_record(sent: Sequence[tuple[Message, Rendered]], *, now: datetime) -> None:
    """Which market note each sent message carried, in one insert; a retried batch writes no
    second row (the unique constraint)."""
    MarketNoteUse.objects.bulk_create(
        [
            MarketNoteUse(
                contact_id=message.contact_id,
                note_id=rendered.market_note_id,
                message_id=message.pk,
                used_at=now,
            )
            for message, rendered in sent
            if rendered.market_note_id
        ],
        ignore_conflicts=True,
    )


def _timeline_write(sent: Sequence[tuple[Message, Rendered]], *, now: datetime) -> None:
    """A timeline row for each sent message, written in one insert per batch; a message is a
    touch, so the relationships' clocks move in one statement too."""
    relationship_services.interaction_bulk_log(
        entries=[
            relationship_services.TimelineEntry(
                contact=message.contact,
                kind=Interaction.Kind.MESSAGE,
                direction=Interaction.Direction.OUTBOUND,
                summary=f"{message.get_kind_display()} sent: {rendered.subject}"[:300],
                body=rendered.text,
                recruiter=message.owner,
                occurred_at=now,
            )
            for message, rendered in sent
            if message.contact_id is not None  # a message to a user is no one's timeline
        ]
    )


def messages_sweep(*, now: datetime) -> int:
    """Return messages whose lease ran out in `sending` (their worker died or stalled) to the
    outbox; those out of attempts fail into a call. Returns how many were recovered. A live
    worker renews its lease before every chunk, so it is never overtaken."""
    policy = Policy.current()
    stuck = Message.objects.filter(status=Message.Status.SENDING, lease_until__lt=now)
    with transaction.atomic():
        failed_ids = list(
            stuck.filter(attempts__gte=policy.max_attempts).values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=failed_ids).update(
            status=Message.Status.FAILED,
            last_error="The worker sending it stopped; out of attempts.",
            claim_token=None,
            lease_until=None,
            claimed_at=None,
            updated_at=now,
        )
        recovered = stuck.update(
            status=Message.Status.SCHEDULED,
            claim_token=None,
            lease_until=None,
            claimed_at=None,
            last_error="The worker sending it stopped before recording it; sent again.",
            updated_at=now,
        )
        call_instead_plan(now=now, message_ids=failed_ids)
    return recovered
