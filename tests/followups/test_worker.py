"""Follow-through end to end: a real Celery worker on the real broker runs the planners and the
relay; the test moves the clock (time-machine for the rows it creates, `at` for the tasks, since
the worker runs on the real clock). Emails go through anymail's test backend, recorded to a
file by the worker (tests.followups.backends.RecordingBackend)."""

import os
from collections import Counter
from datetime import timedelta

import pytest
import time_machine

from followups import tasks
from followups.models import Message, MessageKind
from followups.planners import plan_all
from followups.relay import lease, messages_sweep, relay_batch
from jobs.models import Candidacy
from jobs.services import candidacy_close, job_close
from relationships.models import Interaction
from tests.factories import CandidacyFactory, ContactFactory, JobFactory
from tests.followups.conftest import T0
from tests.followups.workers import worker_start
from tests.helpers import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        started = worker_start(tmp_path_factory.mktemp("followups"), name="followups")
    yield started
    started.stop()


@pytest.fixture
def clean_worker(worker):
    worker.record_path.write_text("")
    return worker


def tick(worker, at) -> None:
    """One minute of beat: the planners, then the relay, as of `at`."""
    worker.send(tasks.plan, at=at.isoformat())
    worker.send(tasks.relay, at=at.isoformat())
    worker.drain()


def test_quiet_candidacy_gets_exactly_one_update_per_cadence_period(clean_worker, recruiter):
    with time_machine.travel(T0, tick=False):
        candidacy = CandidacyFactory(job=JobFactory(owner=recruiter, title="Data lead"))

    for hours in range(0, 23 * 24, 12):
        tick(clean_worker, T0 + timedelta(hours=hours))

    sent = list(
        Message.objects.filter(kind=MessageKind.STATUS_UPDATE, status="sent")
        .order_by("sent_at")
        .values_list("idempotency_key", "sent_at")
    )
    # Due at 7 days (planned at the 168h tick, sent at 180h after the review window), then 7
    # days after each touch: planned at 348h and 528h.
    assert sent == [
        (f"status_update:{candidacy.pk}:2026-03-09", T0 + timedelta(hours=180)),
        (f"status_update:{candidacy.pk}:2026-03-16", T0 + timedelta(hours=360)),
        (f"status_update:{candidacy.pk}:2026-03-24", T0 + timedelta(hours=540)),
    ]
    assert Message.objects.count() == 3
    assert Counter(clean_worker.sent_keys()) == {key: 1 for key, _ in sent}
    candidacy.refresh_from_db()
    assert candidacy.last_candidate_touch_at == T0 + timedelta(hours=540)
    assert Interaction.objects.filter(contact=candidacy.contact, kind="message").count() == 3


def test_rejected_candidate_gets_one_closure_notice_after_undo_window_before_deadline(
    clean_worker, recruiter
):
    with time_machine.travel(T0, tick=False):
        candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
        candidacy_close(candidacy=candidacy, outcome="rejected_by_client", user=recruiter)

    for minutes in (0, 30, 59):
        tick(clean_worker, T0 + timedelta(minutes=minutes))
    assert Message.objects.get(kind=MessageKind.CLOSURE).status == "scheduled"
    assert clean_worker.sent_keys() == []

    for minutes in (61, 120, 24 * 60, 47 * 60, 49 * 60, 72 * 60):
        tick(clean_worker, T0 + timedelta(minutes=minutes))

    closure = Message.objects.get(kind=MessageKind.CLOSURE)
    assert (closure.status, closure.sent_at) == ("sent", T0 + timedelta(minutes=61))
    assert closure.sent_at < closure.deadline == T0 + timedelta(hours=48)
    assert clean_worker.sent_keys() == [f"closure:{candidacy.pk}"]
    assert Message.objects.count() == 1


def test_closing_a_job_notifies_every_open_candidate_and_the_client(clean_worker, recruiter):
    hank = ContactFactory(first_name="Hank", roles=["hiring_manager"])
    with time_machine.travel(T0, tick=False):
        job = JobFactory(owner=recruiter, hiring_manager=hank)
        candidacies = [CandidacyFactory(job=job) for _ in range(3)]
        job_close(job=job, status="cancelled", user=recruiter, reason="Budget frozen")

    for minutes in (0, 61, 120):
        tick(clean_worker, T0 + timedelta(minutes=minutes))

    expected = {f"closure:{c.pk}" for c in candidacies} | {f"job_closed:{job.pk}"}
    assert Counter(clean_worker.sent_keys()) == dict.fromkeys(expected, 1)
    recipients = set(Message.objects.filter(status="sent").values_list("contact_id", flat=True))
    assert recipients == {c.contact_id for c in candidacies} | {hank.pk}
    assert set(Candidacy.objects.values_list("outcome", flat=True)) == {"job_cancelled"}


def test_client_digest_goes_out_weekly(clean_worker, recruiter):
    hank = ContactFactory(first_name="Hank", roles=["hiring_manager"])
    with time_machine.travel(T0, tick=False):
        job = JobFactory(owner=recruiter, hiring_manager=hank, title="Data lead")
        CandidacyFactory(job=job)

    for days in range(0, 22):
        tick(clean_worker, T0 + timedelta(days=days, minutes=1))

    digests = list(
        Message.objects.filter(kind=MessageKind.CLIENT_DIGEST)
        .order_by("sent_at")
        .values_list("status", "sent_at", "subject")
    )
    assert digests == [
        ("sent", T0 + timedelta(days=days, minutes=1), "Data lead: where the search stands")
        for days in (7, 14, 21)
    ]
    digest_sends = Counter(k for k in clean_worker.sent_keys() if k.startswith("digest:"))
    assert digest_sends == {
        f"digest:{job.pk}:2026-03-09": 1,
        f"digest:{job.pk}:2026-03-16": 1,
        f"digest:{job.pk}:2026-03-23": 1,
    }


def test_worker_killed_mid_batch_loses_nothing_and_resends_nothing_recorded_as_sent(
    recruiter, tmp_path, settings, monkeypatch
):
    with time_machine.travel(T0, tick=False):
        job = JobFactory(owner=recruiter)
        for _ in range(30):
            CandidacyFactory(job=job)
    at = T0 + timedelta(days=7, hours=5)
    plan_all(now=T0 + timedelta(days=7, minutes=1))
    keys = set(Message.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == 30
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    # Records every 5 sends; holds after the 12th: 10 recorded as sent, 2 sent but not recorded.
    killable = worker_start(
        tmp_path,
        name="followups-killed",
        pool="solo",
        RELAY_HOLD_AT="12",
        RELAY_GATE=str(gate),
        FOLLOWUPS_RELAY_RECORD_EVERY="5",
        # One send at a time, so the hold lands after exactly the 12th send.
        FOLLOWUPS_RELAY_CONCURRENCY="1",
    )
    try:
        killable.send(tasks.relay, at=at.isoformat())
        wait_until(
            lambda: (
                len(killable.sent_keys()) == 12
                and Message.objects.filter(status="sent").count() == 10
            ),
            timeout=60,
            what="the relay to hold in the middle of its batch",
        )
        killable.kill()
    finally:
        killable.stop()

    recorded_sent = set(
        Message.objects.filter(status="sent").values_list("idempotency_key", flat=True)
    )
    assert len(recorded_sent) == 10
    assert Message.objects.filter(status="sending").count() == 20  # in flight when it died
    later = at + lease() + timedelta(seconds=1)
    monkeypatch.setenv("RELAY_RECORD_FILE", str(killable.record_path))
    settings.EMAIL_BACKEND = "tests.followups.backends.RecordingBackend"

    assert messages_sweep(now=later) == 20
    relay_batch(now=later)

    assert Message.objects.filter(status="sent").count() == 30
    sends = Counter(killable.sent_keys())
    assert set(sends) == keys
    assert all(sends[key] == 1 for key in recorded_sent)
    # The two that left but were not recorded when it died are the only ones sent twice.
    assert sorted(sends.values()) == [1] * 28 + [2] * 2


def test_database_connections_ended_mid_batch_leave_each_message_sent_once_or_in_the_outbox(
    recruiter, tmp_path
):
    """PostgreSQL ends the worker's connections while it holds a batch (as a failover or a
    restart would): the worker stays the same process and works on; what the database recorded
    as sent is never sent again, and the rest is back in the outbox after its lease."""
    from django.db import connection

    with time_machine.travel(T0, tick=False):
        job = JobFactory(owner=recruiter)
        for _ in range(30):
            CandidacyFactory(job=job)
    at = T0 + timedelta(days=7, hours=5)
    plan_all(now=T0 + timedelta(days=7, minutes=1))
    keys = set(Message.objects.values_list("idempotency_key", flat=True))
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    held = worker_start(
        tmp_path,
        name="followups-pg",
        pool="solo",
        RELAY_HOLD_AT="12",
        RELAY_GATE=str(gate),
        FOLLOWUPS_RELAY_RECORD_EVERY="5",
        FOLLOWUPS_RELAY_CONCURRENCY="1",
    )
    try:
        held.send(tasks.relay, at=at.isoformat())
        wait_until(
            lambda: (
                len(held.sent_keys()) == 12 and Message.objects.filter(status="sent").count() == 10
            ),
            timeout=60,
            what="the relay to hold in the middle of its batch",
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            (ended,) = cursor.fetchone()
        assert ended >= 1
        with gate.open("w") as release:
            release.write("go")
        # The batch's next write fails; the worker takes its next task on a new connection.
        held.drain()
        assert held.process.poll() is None
        first_pass = held.sent_keys()
        sent_before_sweep = set(
            Message.objects.filter(status="sent").values_list("idempotency_key", flat=True)
        )
        assert len(sent_before_sweep) == 10
        assert Message.objects.filter(status="sending").count() == 20
        # The same worker sweeps the stranded claims back after their lease and sends them.
        later = at + lease() + timedelta(seconds=1)
        held.send(tasks.sweep, at=later.isoformat())
        held.send(tasks.relay, at=later.isoformat())
        held.drain()
    finally:
        held.stop()

    assert Message.objects.filter(status="sent").count() == 30
    sends = Counter(held.sent_keys())
    assert set(sends) == keys
    assert all(sends[key] == 1 for key in sent_before_sweep)
    # Sent twice: exactly those that left after the last record. The chunk whose record failed
    # (sends 11 and 12; chunks are 2, half of RECORD_EVERY) and what of the next chunk, already
    # on its way, left before the failure stopped it (0 to 2 sends, as the threads raced):
    # within RECORD_EVERY (5).
    twice = sorted(key for key, count in sends.items() if count == 2)
    assert twice == sorted(first_pass[10:])
    assert 2 <= len(twice) <= 4
    # ... and the failed chunk said so in the worker's log, by message id.
    ids = sorted(
        Message.objects.filter(idempotency_key__in=first_pass[10:12]).values_list("pk", flat=True)
    )
    assert (
        "relay: the database failed recording 2 messages the ESP accepted; they are sent again "
        f"after their lease: {ids}"
    ) in held.log_path.read_text()
