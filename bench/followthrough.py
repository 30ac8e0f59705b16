"""Follow-through at scale: plan `--count` due status updates and relay them through real Celery
workers to anymail's test backend, with 1 and then 2 worker processes.

    python -m bench.followthrough --count 100000   (run by bench.run with its environment)

Prepares open candidacies quiet for 8 days on the benchmark database (a job per 1,000), times
`plan_all` (every planner: the beat task `followups.plan`), then for each worker count returns
the planned messages to the outbox, starts `celery worker --concurrency N`, queues N relay tasks
(each re-enqueues itself while work remains) and times until the outbox is empty, sampling the
workers' memory. Cleans up after itself (relationship clocks restored), so the dataset stays the
same for the next run. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django
import psutil

BASE_DIR = Path(__file__).resolve().parent.parent
QUEUE = "rapport-bench-relay"
USERNAME = "bench1"


def _sql(cursor, statement: str, params=None) -> int:
    cursor.execute(statement, params or {})
    return cursor.rowcount


def prepare(count: int, now: dt.datetime) -> list[int]:
    """Jobs and `count` open candidacies, last touched 8 days ago. Returns the job ids."""
    from django.db import connection, transaction

    from accounts.models import User
    from contacts.models import Organization
    from jobs.models import Job

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
            """
            CREATE TABLE IF NOT EXISTS bench_relationship_clock AS
            SELECT id, last_touch_at, next_touch_due FROM relationships_relationship LIMIT 0
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
            """
            INSERT INTO bench_relationship_clock
            SELECT DISTINCT r.id, r.last_touch_at, r.next_touch_due
            FROM relationships_relationship r
            JOIN jobs_candidacy c ON c.contact_id = r.contact_id
            WHERE c.job_id = ANY(%(jobs)s)
            """,
            {"jobs": job_ids},
        )
    return job_ids


def cleanup(job_ids: list[int], started: dt.datetime) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        params = {"jobs": job_ids, "started": started}
        _sql(cursor, "DELETE FROM followups_followup WHERE created_at >= %(started)s", params)
        _sql(
            cursor,
            "DELETE FROM relationships_interaction WHERE kind = 'message' "
            "AND occurred_at >= %(started)s",
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
        _sql(
            cursor,
            """
            UPDATE relationships_relationship r
            SET last_touch_at = b.last_touch_at, next_touch_due = b.next_touch_due
            FROM bench_relationship_clock b WHERE b.id = r.id
            """,
        )
        _sql(cursor, "DROP TABLE IF EXISTS bench_relationship_clock")


def hold_backlog(started: dt.datetime) -> int:
    """The backlog's messages wait a month, so the relay measures only the prepared ones
    (cleanup deletes them with everything else created since `started`)."""
    from followups.models import Message

    return Message.objects.filter(created_at__gte=started, status="scheduled").update(
        send_after=started + dt.timedelta(days=30)
    )


def outbox_reset(job_ids: list[int], now: dt.datetime, started: dt.datetime) -> None:
    """The planned status updates back in the outbox, due now, as if never sent."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        params = {"jobs": job_ids, "now": now, "started": started}
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


def pending(job_ids: list[int]) -> int:
    from followups.models import Message

    return Message.objects.filter(job_id__in=job_ids, status__in=["scheduled", "sending"]).count()


def relay_run(job_ids: list[int], workers: int, timeout: float) -> tuple[float, float, int]:
    """(seconds to empty the outbox, peak RSS of the worker processes in MiB, sent)."""
    from crm.celery import app
    from followups.models import Message

    env = {
        **os.environ,
        "CELERY_QUEUE": QUEUE,
        "EMAIL_BACKEND": "bench.backends.BenchEmailBackend",
        "LOG_LEVEL": "WARNING",
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
        peak = 0.0
        parent = psutil.Process(process.pid)
        while pending(job_ids):
            if time.perf_counter() - started > timeout:
                raise RuntimeError("the relay did not empty the outbox in time")
            rss = sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)])
            peak = max(peak, rss / 2**20)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.followthrough", description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    django.setup()
    from django.utils import timezone

    from followups.planners import plan_all

    started = timezone.now()
    figures: dict[str, float | int] = {"count": args.count}
    job_ids: list[int] = []
    try:
        # What the dataset itself has due is planned first (untimed) and kept out of the relay's
        # way: the timed run then sees an agency in its steady state plus `count` quiet
        # candidacies.
        backlog = plan_all(now=started)
        held = hold_backlog(started)
        print(f"[followthrough] the dataset's own backlog: {backlog.messages:,} messages "
              f"({held:,} held back), {backlog.cadence_followups + backlog.chase_followups:,} "
              "follow-ups", file=sys.stderr)  # fmt: skip
        job_ids = prepare(args.count, started)
        clock = time.perf_counter()
        result = plan_all(now=started)
        figures["plan_seconds"] = time.perf_counter() - clock
        figures["planned"] = result.status_updates
        clock = time.perf_counter()
        again = plan_all(now=started)
        figures["replan_seconds"] = time.perf_counter() - clock
        figures["replanned"] = again.messages + again.cadence_followups + again.chase_followups
        for workers in (1, 2):
            outbox_reset(job_ids, timezone.now(), started)
            seconds, peak, sent = relay_run(job_ids, workers, args.timeout)
            figures[f"relay_seconds_{workers}"] = seconds
            figures[f"relay_rate_{workers}"] = sent / seconds if seconds else 0.0
            figures[f"sent_{workers}"] = sent
            figures[f"peak_mib_{workers}"] = peak
    finally:
        cleanup(job_ids, started)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
