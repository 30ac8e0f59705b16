"""The relay through anymail's real Postmark backend, against the loopback fake ESP
(bench.fake_esp): HTTP, anymail's error mapping, Retry-After, concurrency, leases, the shared rate
limit across worker processes."""

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import pytest
import time_machine
from django.db import DatabaseError, connection
from django.utils import timezone
from requests.utils import get_netrc_auth

from bench.fake_esp import Behaviour, FakeEsp, backend_settings
from followups import tasks
from followups.models import FollowUp, Message
from followups.planners import plan_all
from followups.relay import backoff, messages_sweep, relay_batch
from tests.factories import CandidacyFactory, ContactFactory, JobFactory
from tests.followups.workers import worker_start
from tests.helpers import wait_until

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def esp_factory(settings):
    """Starts a fake ESP with the given behaviour and points anymail's Postmark backend at it."""
    started = []

    def start(**behaviour) -> FakeEsp:
        esp = FakeEsp(Behaviour(latency=behaviour.pop("latency", 0.0), **behaviour)).__enter__()
        started.append(esp)
        for name, value in backend_settings(esp.api_url).items():
            if name.startswith("ANYMAIL_"):
                settings.ANYMAIL = {**settings.ANYMAIL, name.removeprefix("ANYMAIL_"): value}
            else:
                setattr(settings, name, value)
        return esp

    yield start
    for esp in started:
        esp.__exit__(None, None, None)


def _due_updates(recruiter, count: int, **contact) -> list[Message]:
    """`count` status updates due now (planned for quiet candidacies, review window passed)."""
    with time_machine.travel(T0, tick=False):
        job = JobFactory(owner=recruiter)
        for _ in range(count):
            CandidacyFactory(job=job, contact=ContactFactory(**contact))
    plan_all(now=T0 + timedelta(days=8))
    Message.objects.update(send_after=timezone.now() - timedelta(seconds=1))
    return list(Message.objects.order_by("id"))


def test_a_429_is_retried_no_earlier_than_its_retry_after(recruiter, esp_factory):
    esp_factory(script=(429,), retry_after=120)
    _due_updates(recruiter, 1)
    now = timezone.now()

    result = relay_batch(now=now)

    message = Message.objects.get()
    assert (result.retried, message.status, message.attempts) == (1, "scheduled", 1)
    # 120 s from the ESP's answer, which came a moment after the batch's `now`.
    assert now + timedelta(seconds=120) < message.send_after < now + timedelta(seconds=125)
    assert "429" in message.last_error


def test_a_short_retry_after_still_waits_the_backoff(recruiter, esp_factory):
    esp = esp_factory(script=(429,), retry_after=2)
    _due_updates(recruiter, 1)
    now = timezone.now()

    relay_batch(now=now)
    message = Message.objects.get()
    # The wait counts from the ESP's answer, a moment after the batch's `now`.
    waited = message.send_after - now
    assert max(backoff(1), timedelta(seconds=2)) < waited < backoff(1) + timedelta(seconds=5)
    assert relay_batch(now=now + timedelta(seconds=2)).claimed == 0

    retried = relay_batch(now=message.send_after)

    message.refresh_from_db()
    assert (retried.sent, message.status, message.attempts) == (1, "sent", 2)
    assert esp.ledger.accepted == Counter({message.idempotency_key: 1})


def test_a_5xx_is_retried_with_growing_backoff(recruiter, esp_factory):
    esp_factory(script=(503, 503))
    _due_updates(recruiter, 1)
    now = timezone.now()

    relay_batch(now=now)
    first = Message.objects.get()
    relay_batch(now=first.send_after)
    second = Message.objects.get()

    # Each wait counts from the ESP's answer, a moment after the batch's `now`.
    assert first.attempts == 1
    assert timedelta(seconds=30) < first.send_after - now < timedelta(seconds=35)
    assert second.attempts == 2
    assert timedelta(seconds=60) < second.send_after - first.send_after < timedelta(seconds=65)
    assert second.status == "scheduled"


def test_a_refused_recipient_fails_into_a_call(recruiter, esp_factory):
    esp_factory(refused=frozenset({"gone@example.com"}))
    _due_updates(recruiter, 1, emails=["gone@example.com"])

    result = relay_batch(now=timezone.now())

    message = Message.objects.get()
    assert (result.failed, message.status, message.attempts) == (1, "failed", 1)
    call = FollowUp.objects.get(message=message)
    assert call.reason == "call_instead"


def test_concurrent_sends_each_leave_once_with_their_esp_id(recruiter, esp_factory, settings):
    settings.FOLLOWUPS_RELAY_CONCURRENCY = 8
    esp = esp_factory(latency=0.05)
    messages = _due_updates(recruiter, 24)

    result = relay_batch(now=timezone.now())

    assert (result.claimed, result.sent) == (24, 24)
    assert esp.ledger.accepted == Counter({m.idempotency_key: 1 for m in messages})
    esp_ids = set(Message.objects.values_list("esp_message_id", flat=True))
    assert len(esp_ids) == 24
    assert "" not in esp_ids


def test_requests_reads_the_environment_once_per_sending_thread_not_per_message(
    recruiter, esp_factory, settings
):
    settings.FOLLOWUPS_RELAY_CONCURRENCY = 2
    esp = esp_factory()
    messages = _due_updates(recruiter, 10)

    with patch("requests.sessions.get_netrc_auth", wraps=get_netrc_auth) as per_request:
        result = relay_batch(now=timezone.now())

    assert (result.sent, per_request.call_count) == (10, 0)
    assert esp.ledger.accepted == Counter({m.idempotency_key: 1 for m in messages})


def test_a_chunk_sends_while_the_one_before_is_recorded(recruiter, esp_factory, settings):
    """Chunks of half RECORD_EVERY: while chunk 0 is recorded, chunk 1 is already at the ESP."""
    settings.FOLLOWUPS_RELAY_RECORD_EVERY = 4
    settings.FOLLOWUPS_RELAY_CONCURRENCY = 4
    esp = esp_factory(latency=0.05)
    messages = _due_updates(recruiter, 6)
    from followups import relay

    at_ledger = []
    record = relay._record

    def record_noting_the_esp(outcomes, **kwargs):
        at_ledger.append(esp.ledger.requests)
        record(outcomes, **kwargs)

    with patch.object(relay, "_record", record_noting_the_esp):
        result = relay_batch(now=timezone.now())

    assert (result.sent, len(esp.ledger.accepted)) == (6, 6)
    # Three chunks recorded; recording chunk 0 (2 sent) began once chunk 1's 2 sends had
    # reached the ESP (before chunks overlapped, it began at 2).
    assert (len(at_ledger), at_ledger[0]) == (3, 4)
    assert Message.objects.filter(status="sent").count() == len(messages)


def test_a_failed_recording_starts_no_more_sends(recruiter, esp_factory, settings):
    """The database fails recording chunk 0: the send of chunk 1 already on its way finishes, the
    one queued behind it never starts. Left sent but unrecorded: 3, within RECORD_EVERY (4)."""
    settings.FOLLOWUPS_RELAY_RECORD_EVERY = 4
    settings.FOLLOWUPS_RELAY_CONCURRENCY = 1
    esp = esp_factory(latency=0.05)
    messages = _due_updates(recruiter, 10)
    from followups import relay

    def record_failing(outcomes, **kwargs):
        raise DatabaseError("the connection was lost")

    with patch.object(relay, "_record", record_failing), pytest.raises(DatabaseError):
        relay_batch(now=timezone.now())

    assert esp.ledger.accepted == Counter({m.idempotency_key: 1 for m in messages[:3]})
    assert Message.objects.filter(status="sending").count() == 10


@pytest.mark.django_db(transaction=True)
def test_a_batch_that_outlasts_the_lease_sends_each_message_once(recruiter, esp_factory, settings):
    """Another worker sweeps and relays all along; the owner renews its lease before each chunk,
    so it is never overtaken (before leases were renewed, this sent most messages twice)."""
    settings.FOLLOWUPS_RELAY_LEASE_SECONDS = 1
    settings.FOLLOWUPS_RELAY_RECORD_EVERY = 2
    settings.FOLLOWUPS_RELAY_CONCURRENCY = 1
    esp = esp_factory(latency=0.25)
    messages = _due_updates(recruiter, 10)
    done = threading.Event()

    def another_worker():
        try:
            while not done.is_set():
                messages_sweep(now=timezone.now())
                relay_batch(now=timezone.now())
                done.wait(0.05)
        finally:
            connection.close()

    rival = threading.Thread(target=another_worker)
    rival.start()
    try:
        relay_batch(now=timezone.now())
    finally:
        done.set()
        rival.join(timeout=30)

    assert esp.ledger.accepted == Counter({m.idempotency_key: 1 for m in messages})
    assert Message.objects.filter(status="sent").count() == 10


@pytest.mark.django_db(transaction=True)
def test_a_stalled_owner_sends_nothing_after_its_lease_ran_out(recruiter, esp_factory, settings):
    """The owner's 3rd send hangs at the ESP past the lease; meanwhile another worker sweeps,
    re-claims and sends the rest. The owner records its hung send when it returns, and sends
    nothing more: only the hung message goes twice."""
    settings.FOLLOWUPS_RELAY_LEASE_SECONDS = 2
    settings.FOLLOWUPS_RELAY_RECORD_EVERY = 4
    settings.FOLLOWUPS_RELAY_CONCURRENCY = 1
    esp = esp_factory(latency=0.0, stall={3: 3.5})
    messages = _due_updates(recruiter, 8)
    owner_done = threading.Event()

    def owner():
        try:
            relay_batch(now=timezone.now())
        finally:
            owner_done.set()
            connection.close()

    stalled = threading.Thread(target=owner)
    stalled.start()
    wait_until(lambda: esp.ledger.requests >= 3, timeout=10, what="the owner's stalled send")
    wait_until(
        lambda: (
            Message.objects.filter(status="sending", lease_until__lt=timezone.now()).count() == 6
        ),
        timeout=10,
        what="the lease of the six unrecorded messages to run out",
    )
    assert messages_sweep(now=timezone.now()) == 6
    relay_batch(now=timezone.now())
    stalled.join(timeout=30)

    keys = [m.idempotency_key for m in messages]
    # Chunks of 2 (half of RECORD_EVERY): 0 and 1 were recorded while 2 was sending; 2 hung,
    # then left once more from the rival; 3, 4 and 5, queued behind it, found their lease run
    # out and did not leave. (Before chunks overlapped their recording, with chunks of 4, 0 and
    # 1 went twice too.)
    assert esp.ledger.accepted == Counter({keys[2]: 2, **dict.fromkeys(keys[:2] + keys[3:], 1)})
    assert Message.objects.filter(status="sent").count() == 8


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_esp_rate_limit_holds_across_two_worker_processes(recruiter, tmp_path):
    messages = _due_updates(recruiter, 20)
    at = (timezone.now() + timedelta(seconds=1)).isoformat()
    with FakeEsp(Behaviour(latency=0.02)) as esp:
        env = {
            **backend_settings(esp.api_url),
            "TEST_EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
            "FOLLOWUPS_ESP_RATE": "5",
            "FOLLOWUPS_RELAY_BATCH": "10",
        }
        workers = [worker_start(tmp_path, name=f"rate-{n}", **env) for n in (1, 2)]
        try:
            for worker in workers:
                worker.send(tasks.relay, at=at)
            wait_until(
                lambda: Message.objects.filter(status="sent").count() == 20,
                timeout=60,
                what="both workers to send everything",
            )
        finally:
            for worker in workers:
                worker.stop()
        arrivals = sorted(moment for moment, _ in esp.ledger.accepted_at)

    assert esp.ledger.accepted == Counter({m.idempotency_key: 1 for m in messages})
    # 5 a second shared by both: the limiter gives each send a slot 0.2 s after the last, so 20
    # sends start over 19 intervals (3.8 s). Arrivals at the ESP lag their start by a varying
    # amount (a new connection's first send lags most): allow half a second of it. Unlimited,
    # these 20 sends take about 0.1 s.
    assert arrivals[-1] - arrivals[0] >= 19 * 0.2 - 0.5
    assert esp.ledger.max_per_second() <= 2 * 5


def _beat(worker, every: float = 0.25):
    """A condition for wait_until that also plays beat: it queues the relay at most every
    `every` seconds, as beat would each minute."""
    last = [0.0]

    def queue_relay() -> None:
        if time.monotonic() - last[0] >= every:
            worker.send(tasks.relay)
            last[0] = time.monotonic()

    return queue_relay


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_honours_retry_after_backs_off_a_5xx_and_fails_a_refusal_into_a_call(
    recruiter, tmp_path
):
    """One worker process on the real broker, anymail's Postmark backend over HTTP: the first
    send is answered 429 with Retry-After: 2, the second 503, the third accepts. A send to an
    address the ESP refuses fails into a call."""
    [message] = _due_updates(recruiter, 1)
    gone = frozenset({"gone@example.com"})
    with FakeEsp(Behaviour(latency=0.0, script=(429, 503), retry_after=2, refused=gone)) as esp:
        env = {
            **backend_settings(esp.api_url),
            "TEST_EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
            "FOLLOWUPS_RELAY_BACKOFF_SECONDS": "0.5",
        }
        worker = worker_start(tmp_path, name="retries", **env)
        beat = _beat(worker)
        try:

            def sent(key: int) -> bool:
                beat()
                return Message.objects.filter(pk=key, status__in=["sent", "failed"]).exists()

            wait_until(
                lambda: sent(message.pk), timeout=60, what=f"the send (log: {worker.log_path})"
            )
            [refused] = [
                m
                for m in _due_updates(recruiter, 1, emails=["gone@example.com"])
                if m.pk != message.pk
            ]
            wait_until(lambda: sent(refused.pk), timeout=60, what="the refused send")
        finally:
            worker.stop()
        answers = list(esp.ledger.answers)

    assert [status for _, status in answers] == [429, 503, 200, 422]
    (throttled, _), (unavailable, _), (accepted, _), _ = answers
    # Retry-After (2 s) is longer than the first backoff (0.5 s): it is the wait.
    assert unavailable - throttled >= 2.0
    # The second failure waits the doubled backoff, 1 s.
    assert accepted - unavailable >= 1.0
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 3)
    assert esp.ledger.accepted == Counter({message.idempotency_key: 1})
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert FollowUp.objects.get(message=refused).reason == "call_instead"
