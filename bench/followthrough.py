"""Follow-through at scale: plan `--count` due status updates and relay them through real Celery
workers to anymail's test backend, with 1 and then 2 worker processes.

    python -m bench.followthrough --count 100000   (run by bench.run with its environment)

Prepares open candidacies quiet for 8 days on the benchmark database (a job per 1,000), times
`plan_all` (every planner: the beat task `followups.plan`), then for each worker count returns
the planned messages to the outbox, starts `celery worker --concurrency N`, queues N relay tasks
(each re-enqueues itself while work remains) and times until the outbox is empty, sampling the
workers' memory. Cleans up after itself (relationship clocks restored), so the dataset stays the
same for the next run. Prints the figures measured so far as one JSON line after each part.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import django
import psutil

from bench.fake_esp import backend_settings

BASE_DIR = Path(__file__).resolve().parent.parent
QUEUE = "rapport-bench-relay"
KICK_SECONDS = 5.0  # beat kicks the relay this often
USERNAME = "bench1"


# The fake ESP runs: at its latency alone, then with a share of 429s and 5xx.
ESP_RUNS = {
    "calm": {},
    "errors": {"share_429": 0.02, "share_5xx": 0.01},
}
# The errors run is judged on "each sent exactly once", not on its time: a 5 s backoff (the
# product's is 30 s, doubling) keeps its tail of retries from outlasting the section's bound.
ESP_RUN_SETTINGS = {"errors": {"FOLLOWUPS_RELAY_BACKOFF_SECONDS": "5"}}


def say(message: str) -> None:
    print(f"[followthrough] {message}", file=sys.stderr, flush=True)


def emit(figures: dict) -> None:
    """Every figure measured so far, as one JSON line on stdout, flushed: bench.run keeps the
    last line it read, so a section stopped at its time bound still reports what it measured."""
    print(json.dumps(figures), flush=True)


def _sql(cursor, statement: str, params=None) -> int:
    cursor.execute(statement, params or {})
    return cursor.rowcount


def prepare(count: int, now: dt.datetime) -> list[int]:
    """Jobs and `count` open candidacies, last touched 8 days ago. Returns the job ids."""
    from django.db import connection, transaction

    from accounts.models import User
    from contacts.models import Organization
    from jobs.models import Job
    from relationships.models import Relationship

    relationships = Relationship._meta.db_table
    owner = User.objects.get(username=USERNAME)
    organization = Organization.objects.order_by("id").first()
    jobs = Job.objects.bulk_create(
        Job(
            organization=organization,
            owner=owner,
            title=f"Bench follow-through {n}",
            status=Job.Status.OPEN,
            opened_at=now,
        )
        for n in range((count + 999) // 1000)
    )
    job_ids = [job.pk for job in jobs]
    with transaction.atomic(), connection.cursor() as cursor:
        _sql(
            cursor,
            f"""
            CREATE TABLE IF NOT EXISTS bench_relationship_clock AS
            SELECT id, last_touch_at, next_touch_due FROM {relationships} LIMIT 0
            """,
        )
        # A job per 1,000 candidacies; the n-th takes the n-th contact (wrapping around on a
        # dataset smaller than `count`, never twice in one job).
        _sql(
            cursor,
            """
            WITH c AS (
                SELECT id, row_number() OVER (ORDER BY id) - 1 AS i
                FROM contacts_contact ORDER BY id LIMIT %(count)s)
            INSERT INTO jobs_candidacy (
                created_at, updated_at, job_id, contact_id, stage, outcome, outcome_reason,
                stage_entered_at, decided_at, last_candidate_touch_at, copied_from_id)
            SELECT %(then)s, %(then)s, (%(jobs)s::bigint[])[1 + n / 1000], c.id,
                'screening', '', '', %(then)s, NULL, %(then)s, NULL
            FROM generate_series(0, %(count)s - 1) AS n
            JOIN c ON c.i = n %% (SELECT count(*) FROM c)
            """,
            {"then": now - dt.timedelta(days=8), "jobs": job_ids, "count": count},
        )
        _sql(
            cursor,
            f"""
            INSERT INTO bench_relationship_clock
            SELECT DISTINCT r.id, r.last_touch_at, r.next_touch_due
            FROM {relationships} r
            JOIN jobs_candidacy c ON c.contact_id = r.contact_id
            WHERE c.job_id = ANY(%(jobs)s)
            """,
            {"jobs": job_ids},
        )
    return job_ids


def cleanup(job_ids: list[int], started: dt.datetime) -> None:
    from django.db import connection, transaction

    from relationships.models import Relationship

    relationships = Relationship._meta.db_table

    with transaction.atomic(), connection.cursor() as cursor:
        params = {"jobs": job_ids, "started": started}
        _sql(cursor, "DELETE FROM followups_followup WHERE created_at >= %(started)s", params)
        _sql(
            cursor,
            "DELETE FROM relationships_interaction WHERE kind = 'message' "
            "AND occurred_at >= %(started)s",
            params,
        )
        # What a sent message left that points at it: the market notes it carried.
        _sql(
            cursor,
            "DELETE FROM followups_marketnoteuse WHERE message_id IN (SELECT id FROM "
            "followups_message WHERE created_at >= %(started)s OR job_id = ANY(%(jobs)s))",
            params,
        )
        _sql(
            cursor,
            "DELETE FROM followups_message WHERE created_at >= %(started)s "
            "OR job_id = ANY(%(jobs)s)",
            params,
        )
        _sql(cursor, "DELETE FROM jobs_candidacy WHERE job_id = ANY(%(jobs)s)", params)
        _sql(cursor, "DELETE FROM jobs_job WHERE id = ANY(%(jobs)s)", params)
        # (A run killed before `prepare` made no copy of the clocks: nothing to restore.)
        _sql(
            cursor,
            "CREATE TABLE IF NOT EXISTS bench_relationship_clock (id bigint, last_touch_at "
            "timestamptz, next_touch_due timestamptz)",
        )
        _sql(
            cursor,
            f"""
            UPDATE {relationships} r
            SET last_touch_at = b.last_touch_at, next_touch_due = b.next_touch_due
            FROM bench_relationship_clock b WHERE b.id = r.id
            """,
        )
        _sql(cursor, "DROP TABLE IF EXISTS bench_relationship_clock")


def run_mark(started: dt.datetime) -> None:
    """Remember when this run started, for `leftovers_cleanup` after a run killed mid-way."""
    from django.db import connection

    with connection.cursor() as cursor:
        _sql(cursor, "CREATE TABLE IF NOT EXISTS bench_followthrough_run (started timestamptz)")
        _sql(cursor, "DELETE FROM bench_followthrough_run")
        _sql(
            cursor, "INSERT INTO bench_followthrough_run VALUES (%(started)s)", {"started": started}
        )


def leftovers_cleanup() -> int:
    """What a run killed before its own cleanup left (bench.run kills the section's process
    group at its time bound): its jobs, candidacies, messages and timeline rows, and the
    relationships' clocks as they were. Returns the number of jobs removed."""
    from django.db import connection

    from jobs.models import Job

    with connection.cursor() as cursor:
        _sql(cursor, "CREATE TABLE IF NOT EXISTS bench_followthrough_run (started timestamptz)")
        cursor.execute("SELECT started FROM bench_followthrough_run")
        row = cursor.fetchone()
    if row is None:
        return 0
    job_ids = list(
        Job.objects.filter(title__startswith="Bench follow-through ").values_list("id", flat=True)
    )
    cleanup(job_ids, row[0])
    run_unmark()
    return len(job_ids)


def run_unmark() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        _sql(cursor, "DELETE FROM bench_followthrough_run")


def hold_backlog(started: dt.datetime) -> int:
    """The backlog's messages wait a month, so the relay measures only the prepared ones
    (cleanup deletes them with everything else created since `started`)."""
    from followups.models import Message

    return Message.objects.filter(created_at__gte=started, status="scheduled").update(
        send_after=started + dt.timedelta(days=30)
    )


def outbox_hold(job_ids: list[int], started: dt.datetime) -> int:
    """These jobs' messages wait a month, out of a run measured on the others."""
    from followups.models import Message

    return Message.objects.filter(job_id__in=job_ids, status="scheduled").update(
        send_after=started + dt.timedelta(days=30)
    )


def outbox_reset(job_ids: list[int], now: dt.datetime, started: dt.datetime) -> None:
    """The planned status updates back in the outbox, due now, as if never sent."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        params = {"jobs": job_ids, "now": now, "started": started}
        _sql(
            cursor,
            "DELETE FROM followups_marketnoteuse WHERE message_id IN (SELECT id FROM "
            "followups_message WHERE job_id = ANY(%(jobs)s) AND kind = 'status_update')",
            params,
        )
        _sql(
            cursor,
            """
            UPDATE followups_message SET status = 'scheduled', send_after = %(now)s,
                sent_at = NULL, claimed_at = NULL, claim_token = NULL, lease_until = NULL,
                attempts = 0, esp_message_id = '',
                subject = '', text = '', html = ''
            WHERE job_id = ANY(%(jobs)s) AND kind = 'status_update'
            """,
            params,
        )
        _sql(
            cursor,
            "DELETE FROM relationships_interaction WHERE kind = 'message' "
            "AND occurred_at >= %(started)s",
            params,
        )
        _sql(
            cursor,
            """
            UPDATE jobs_candidacy SET last_candidate_touch_at = %(now)s - interval '8 days'
            WHERE job_id = ANY(%(jobs)s)
            """,
            params,
        )


def sendable(job_ids: list[int]) -> int:
    """The messages the relay may send: an address, not opted out, not "do not contact", and
    not on the suppression list (the relay's own check, followups.suppression)."""
    from followups.models import Message
    from followups.suppression import suppressed_among

    recipients = list(
        Message.objects.filter(job_id__in=job_ids, kind="status_update")
        .exclude(recipient="")
        .exclude(contact__email_opt_out=True)
        .exclude(contact__do_not_contact=True)
        .values_list("recipient", flat=True)
    )
    suppressed = suppressed_among(set(recipients))
    return sum(1 for recipient in recipients if recipient.strip().lower() not in suppressed)


def pending(job_ids: list[int]) -> int:
    from followups.models import Message

    return Message.objects.filter(job_id__in=job_ids, status__in=["scheduled", "sending"]).count()


MEMORY_SAMPLE_SECONDS = 0.5


def worker_memory(parent: psutil.Process) -> tuple[float, float]:
    """(PSS, RSS) in MiB of a Celery worker: its main process and the pool's processes it forked.
    PSS, the figure judged, counts a page the processes share (the code and data the main process
    loaded before forking, copy-on-write) once, split among them: the memory the worker takes
    from the machine. RSS summed counts such a page in every process, so it overstates that by
    the shared part; it is kept beside PSS. Where the system has no PSS (macOS), RSS stands in."""
    pss = rss = 0
    for process in [parent, *parent.children(recursive=True)]:
        try:
            full = process.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += full.rss
        pss += getattr(full, "pss", full.rss)
    return pss / 2**20, rss / 2**20


def relay_run(
    job_ids: list[int],
    workers: int,
    timeout: float,
    *,
    backend_env: dict[str, str] | None = None,
    in_flight: int = 16,
) -> tuple[float, float, int]:
    """(seconds to empty the outbox, peak memory of the worker processes in MiB as
    (PSS, RSS), sent); see `worker_memory`. Like beat,
    kicks the relay every few seconds, so retried messages leave when they are due again."""
    from crm.celery import app
    from followups.models import Message

    env = {
        **os.environ,
        "CELERY_QUEUE": QUEUE,
        "EMAIL_BACKEND": "bench.backends.BenchEmailBackend",
        "FOLLOWUPS_RELAY_CONCURRENCY": str(in_flight),
        "LOG_LEVEL": "WARNING",
        # As in production: DEBUG keeps every query's SQL (the bodies too) and times it.
        "DEBUG": "false",
        **(backend_env or {}),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "crm", "worker", "--queues", QUEUE,
        "--concurrency", str(workers), "--hostname", f"bench-relay-{workers}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
    ]  # fmt: skip
    log_path = Path(tempfile.gettempdir()) / f"rapport-bench-relay-{os.getpid()}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the relay worker did not start:\n{log_path.read_text()}")
            time.sleep(0.1)
        started = time.perf_counter()
        for _ in range(workers):
            app.send_task("followups.relay", queue=QUEUE)
        peak, kicked, sampled = (0.0, 0.0), started, 0.0
        parent = psutil.Process(process.pid)
        while pending(job_ids):
            now = time.perf_counter()
            if now - started > timeout:
                raise RuntimeError(f"timed out after {timeout:.0f} s")
            if now - kicked >= KICK_SECONDS:
                app.send_task("followups.relay", queue=QUEUE)
                kicked = now
            if now - sampled >= MEMORY_SAMPLE_SECONDS:
                pss, rss = worker_memory(parent)
                peak, sampled = (max(peak[0], pss), max(peak[1], rss)), now
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log_path.unlink(missing_ok=True)
    sent = Message.objects.filter(job_id__in=job_ids, status="sent").count()
    return elapsed, peak, sent


class EspProcess:
    """bench.fake_esp in a process of its own, counting accepted sends by key in a log."""

    def __init__(self, **behaviour: float) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="rapport-fake-esp-"))
        self.log = self.folder / "accepted.log"
        self.ready = self.folder / "port"
        options = [f"--{name.replace('_', '-')}={value}" for name, value in behaviour.items()]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.fake_esp", "--log", str(self.log),
             "--ready", str(self.ready), *options],
            cwd=BASE_DIR,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not (self.ready.exists() and self.ready.read_text()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the fake ESP did not start")
            time.sleep(0.05)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.ready.read_text()}/"

    def accepted(self) -> Counter:
        return Counter(line.split()[1] for line in self.log.read_text().splitlines() if line)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def planners_started_together(now: dt.datetime) -> tuple[float, int]:
    """Two planning runs at once: (seconds the second took to return, what it planned)."""
    from django.db import connection

    from followups.planners import plan_all

    outcomes: list[tuple[float, object]] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            clock = time.perf_counter()
            result = plan_all(now=now)
            outcomes.append((time.perf_counter() - clock, result))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    # The second is the one that found the lock taken (or, on a dataset so small that the runs
    # did not overlap, the later one, which found everything planned).
    def planned(result) -> int:
        return result.messages + result.cadence_followups + result.chase_followups

    seconds, result = min(
        outcomes, key=lambda outcome: (not outcome[1].skipped, planned(outcome[1]))
    )
    return seconds, planned(result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.followthrough", description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--esp-latency", type=float, default=0.08)
    parser.add_argument(
        "--in-flight", type=int, default=28, help="sends in flight per worker process"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    django.setup()
    from django.utils import timezone

    from followups.planners import plan_all

    left = leftovers_cleanup()
    if left:
        say(f"removed {left} jobs an earlier, interrupted run left")
    started = timezone.now()
    run_mark(started)
    figures: dict[str, float | int] = {"count": args.count}
    job_ids: list[int] = []
    try:
        # The first planning run over the dataset's own backlog, as after importing a book:
        # budgeted keep-in-touch calls plus every quiet candidacy's update. Its messages are then
        # held back so the relay measures only the prepared ones.
        clock = time.perf_counter()
        backlog = plan_all(now=started)
        figures["first_plan_seconds"] = time.perf_counter() - clock
        figures["first_planned_messages"] = backlog.messages
        figures["first_planned_followups"] = backlog.cadence_followups + backlog.chase_followups
        hold_backlog(started)
        say(f"first planning run: {figures['first_plan_seconds']:.1f} s")
        emit(figures)
        job_ids = prepare(args.count, started)
        clock = time.perf_counter()
        result = plan_all(now=started)
        figures["plan_seconds"] = time.perf_counter() - clock
        figures["planned"] = result.status_updates
        clock = time.perf_counter()
        again = plan_all(now=started)
        figures["replan_seconds"] = time.perf_counter() - clock
        figures["replanned"] = again.messages + again.cadence_followups + again.chase_followups
        figures["second_run_seconds"], figures["second_run_planned"] = planners_started_together(
            started
        )
        say(f"planned {result.status_updates:,} in {figures['plan_seconds']:.1f} s")
        # Those the relay may send (a contact without an address or opted out is not).
        figures["sendable"] = sendable(job_ids)
        emit(figures)
        for workers in (1, 2):
            # One worker is measured on a tenth of the jobs: its figure is a rate (the one
            # beside two workers'), and the whole 100,000 would cost the bench five minutes.
            jobs = job_ids if workers == 2 else job_ids[: max(1, len(job_ids) // 10)]
            outbox_reset(job_ids, timezone.now(), started)
            outbox_hold(sorted(set(job_ids) - set(jobs)), started)
            seconds, peak, sent = relay_run(jobs, workers, args.timeout)
            figures[f"relay_seconds_{workers}"] = seconds
            figures[f"relay_rate_{workers}"] = sent / seconds if seconds else 0.0
            figures[f"sent_{workers}"] = sent
            figures[f"peak_mib_{workers}"], figures[f"peak_rss_mib_{workers}"] = peak
            say(f"test backend, {workers} worker(s): {sent:,} in {seconds:.1f} s")
            emit(figures)
        for name, behaviour in ESP_RUNS.items():
            esp = EspProcess(latency=args.esp_latency, **behaviour)
            try:
                outbox_reset(job_ids, timezone.now(), started)
                seconds, peak, sent = relay_run(
                    job_ids, 2, args.timeout,
                    backend_env={**backend_settings(esp.api_url), **ESP_RUN_SETTINGS.get(name, {})},
                    in_flight=args.in_flight,
                )  # fmt: skip
                accepted = esp.accepted()
            finally:
                esp.stop()
            figures[f"esp_{name}_seconds"] = seconds
            figures[f"esp_{name}_sent"] = sent
            figures[f"esp_{name}_peak_mib"], figures[f"esp_{name}_peak_rss_mib"] = peak
            figures[f"esp_{name}_accepted"] = sum(accepted.values())
            figures[f"esp_{name}_twice"] = sum(1 for n in accepted.values() if n > 1)
            say(f"fake ESP ({name}): {sent:,} in {seconds:.1f} s, {len(accepted):,} keys")
            emit(figures)
    finally:
        cleanup(job_ids, started)
        run_unmark()
    emit(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
