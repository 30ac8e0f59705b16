"""Measure Rapport over real HTTP, as in production (gunicorn, DEBUG off, a logged-in session).

    python -m bench.run [--scale 1.0] [--skip-generate] [--requests 200] [--quick]

Generates the dataset (bench.generate) unless --skip-generate, starts gunicorn on the benchmark
database, warms up, then measures each page and API list: p50/p95/p99 latency and queries per
request; the same SQL run directly with psycopg (the database floor) and the ratio; requests per
second on the contact list with 4 connections; a 100,000-contact CSV import; peak memory of the web
workers. Prints a table with every figure beside its goal and writes bench/results/<date>.json.
Figures of parts that are not built yet are listed as such, never left out.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psutil
import psycopg

from bench import generate, inbound

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
USERNAME = "bench1"


@dataclass
class Figure:
    name: str
    value: float | None
    unit: str
    goal: str = ""
    ok: bool | None = None
    note: str = ""


@dataclass
class Report:
    scale: float
    started_at: str
    machine: dict
    dataset: dict
    figures: list[Figure] = field(default_factory=list)

    def add(self, name, value, unit, goal="", ok=None, note=""):
        figure = Figure(name, value, unit, goal, ok, note)
        self.figures.append(figure)
        print(figure_line(figure), flush=True)  # each figure as soon as it is measured


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(database: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": generate.database_url(database),
        "EMAIL_BACKEND": "anymail.backends.test.EmailBackend",
        # Plain HTTP on loopback: no redirect, and cookies that travel without TLS.
        "SECURE_SSL_REDIRECT": "false",
        "QUERY_COUNT_HEADER": "true",
        "LOG_LEVEL": "WARNING",
    }


class Server:
    def __init__(self, database: str, workers: int = 2, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.env = server_environment(database) | (env or {})
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=BASE_DIR, env=self.env, check=True,
        )  # fmt: skip
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "crm.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "--log-level", "warning",
            ],
            cwd=BASE_DIR, env=self.env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status = http_get(self.port, "/healthz", {})[0]
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()  # its workers notice their master is gone and exit
                self.process.wait(timeout=30)

    def peak_rss_mib(self) -> float:
        if not self.process:
            return 0.0
        children = psutil.Process(self.process.pid).children()
        return max((child.memory_info().rss for child in children), default=0) / 2**20


# --- HTTP ----------------------------------------------------------------------------------------


def http_get(port: int, path: str, cookies: dict[str, str], conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    if own:
        conn.close()
    return response.status, response.getheader("X-Query-Count"), body, response


def login(port: int, password: str) -> dict[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"csrfmiddlewaretoken": token, "username": USERNAME, "password": password})
    conn.request(
        "POST",
        "/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://127.0.0.1:{port}/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    cookies = dict(
        re.findall(r"(sessionid|csrftoken)=([^;]+)", response.getheader("Set-Cookie") or "")
    )
    if response.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"login as {USERNAME} failed: HTTP {response.status}")
    return cookies


@dataclass
class Timing:
    p50: float
    p95: float
    p99: float
    queries: int | None
    statuses: set


def measure(
    port: int, cookies: dict, paths: list[str], requests: int, warmup: int, bound: float = 120
) -> Timing:
    """Latency over `requests` requests, or as many as fit in `bound` seconds. A request that
    gets no answer (the server's or the client's time limit) ends the measurement: its status
    is recorded as "timeout"."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    samples, queries, statuses = [], [], set()
    stop = time.monotonic() + bound
    try:
        for n in range(warmup):
            if time.monotonic() > stop:
                break
            http_get(port, paths[n % len(paths)], cookies, conn)
        for n in range(requests):
            if time.monotonic() > stop and samples:
                break
            started = time.perf_counter()
            status, count, _, _ = http_get(port, paths[n % len(paths)], cookies, conn)
            samples.append((time.perf_counter() - started) * 1000)
            statuses.add(status)
            if count is not None:
                queries.append(int(count))
    except (OSError, http.client.HTTPException):
        statuses.add("timeout")
    finally:
        conn.close()
    if not samples:
        return Timing(0.0, 0.0, 0.0, None, statuses or {"timeout"})
    return Timing(*percentiles(samples), max(queries) if queries else None, statuses)


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    cuts = (
        statistics.quantiles(ordered, n=100, method="inclusive")
        if len(ordered) > 1
        else ordered * 99
    )
    return ordered[len(ordered) // 2], cuts[94], cuts[98]


def throughput(port: int, cookies: dict, path: str, connections: int, seconds: float) -> float:
    done = [0] * connections
    stop = time.monotonic() + seconds

    def worker(slot: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            http_get(port, path, cookies, conn)
            done[slot] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


# --- the database floor --------------------------------------------------------------------------


def sql_of_request(database: str, path: str) -> list[str]:
    """The SQL a request runs, captured in-process with Django's test client."""
    script = (
        "import json, django; django.setup();"
        "from django.test import Client; from django.db import connection;"
        "from django.test.utils import CaptureQueriesContext;"
        "from accounts.models import User;"
        f"c = Client(); c.force_login(User.objects.get(username={USERNAME!r}));"
        "ctx = CaptureQueriesContext(connection);\n"
        f"with ctx: r = c.get({path!r})\n"
        "print(json.dumps([q['sql'] for q in ctx.captured_queries]))"
    )
    env = {**server_environment(database), "DJANGO_SETTINGS_MODULE": "crm.settings"}
    env.pop("QUERY_COUNT_HEADER")
    try:
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True,
            text=True, check=True, timeout=120,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return []
    captured = json.loads(result.stdout.strip().splitlines()[-1])
    return [sql for sql in captured if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


def sql_floor_ms(database: str, statements: list[str], repeats: int = 30) -> float:
    """p50 of running the request's statements back to back over one psycopg connection."""
    # Session and auth lookups are part of every request; the floor includes them too.
    with psycopg.connect(generate.database_url(database), autocommit=True) as conn:
        samples = []
        for n in range(repeats + 5):
            started = time.perf_counter()
            for statement in statements:
                # Django's client-side binding captured the statements with their values in.
                conn.execute(statement).fetchall()
            if n >= 5:
                samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


# --- the run -------------------------------------------------------------------------------------

NOT_BUILT: list[tuple[str, str, str, str]] = [
    # figure, unit, goal, the issue that brings it
]
# The dashboards as the bench's manager (bench1, a team's manager) sees them, over the last
# quarter (the generated history ends a month before the run).
DASHBOARD = "scope=&period=quarter"
DASHBOARD_DRILLDOWNS = ["now.breached", "closure.without_notice", "deliver.bounced", "rel.overdue"]


def sample_ids(database: str, table: str, count: int, seed: int) -> list[int]:
    with psycopg.connect(generate.database_url(database)) as conn:
        top = conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 1
    rng = random.Random(seed)
    return [rng.randint(1, top) for _ in range(count)]


def endpoints(
    database: str, user_id: int
) -> list[tuple[str, list[str], float | None, float | None]]:
    """(name, paths, goal p50 ms, goal p95 ms) for every query-bound page and API list."""
    contacts = sample_ids(database, "contacts_contact", 50, seed=1)
    organizations = sample_ids(database, "contacts_organization", 50, seed=2)
    jobs = sample_ids(database, "jobs_job", 50, seed=3)
    return [
        ("contact list", ["/contacts/"], 30, 60),
        ("contact list, my overdue", [f"/contacts/?owner={user_id}&overdue=on"], 30, 60),
        ("search, common term", ["/search/?q=thomas"], None, 60),
        ("search, rare term", ["/search/?q=zephyrine"], None, 60),
        ("search, prefix", ["/search/?q=sch"], None, 60),
        ("search, two words", ["/search/?q=anna+schmidt"], None, 60),
        ("contact page", [f"/contacts/{pk}/" for pk in contacts], None, 60),
        ("organization page", [f"/organizations/{pk}/" for pk in organizations], None, 60),
        ("My day", ["/"], None, 60),
        ("job list", ["/jobs/"], None, 60),
        ("job board", [f"/jobs/{pk}/board" for pk in jobs], None, 60),
        ("API candidacies of a job", [f"/api/v1/candidacies/?job={pk}" for pk in jobs], None, 60),
        ("API contacts", ["/api/v1/contacts/"], None, 60),
        ("API organizations", ["/api/v1/organizations/"], None, 60),
        (
            "API interactions of a contact",
            [f"/api/v1/interactions/?contact={pk}" for pk in contacts],
            None,
            60,
        ),
        (
            "API market suggestions for a contact",
            [f"/api/v1/market-notes/suggestions/?contact={pk}" for pk in contacts],
            None,
            30,
        ),
        ("dashboard overview", [f"/dashboards/?{DASHBOARD}"], None, 150),
        ("dashboard trends", [f"/dashboards/trends/?{DASHBOARD}"], None, 200),
        *[
            (f"dashboard drill-down {key}", [f"/dashboards/{key}/?{DASHBOARD}"], None, 60)
            for key in DASHBOARD_DRILLDOWNS
        ],
    ]


def ascii_fold(name: str) -> str:
    """ "Zoë" -> "zoe": the part of an address before the @ is ASCII (the email rule)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower()) or "x"


def import_file(path: Path, rows: int) -> None:
    rng = random.Random(11)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "Email", "Phone", "Company", "Title", "Tags"])
        for n in range(rows):
            first, last = rng.choice(generate.names.FIRST), rng.choice(generate.names.LAST)
            email = f"{ascii_fold(first)}.{ascii_fold(last)}.import{n}@mail.bench.example"
            writer.writerow(
                [first, last, email,
                 f"+44 20 {n:08d}", rng.choice(generate.names.COMPANY_A) + " Imports",
                 rng.choice(generate.names.TITLES), rng.choice(generate.names.TAGS)]
            )  # fmt: skip


def imported_rows_delete(database: str, counts: dict[str, int]) -> None:
    """Remove what a CSV import added to the dataset (the generator numbers its rows from 1), so
    every run imports the same 100,000 new people into the same million."""
    with psycopg.connect(generate.database_url(database)) as conn:
        contacts, organizations = counts["contacts"], counts["organizations"]
        conn.execute("DELETE FROM relationships_relationship WHERE contact_id > %s", [contacts])
        # The import's timeline rows and "Connected on LinkedIn" facts.
        conn.execute("DELETE FROM relationships_interaction WHERE contact_id > %s", [contacts])
        conn.execute("DELETE FROM contacts_fact WHERE contact_id > %s", [contacts])
        conn.execute("DELETE FROM contacts_employment WHERE contact_id > %s", [contacts])
        conn.execute("DELETE FROM contacts_contact WHERE id > %s", [contacts])
        conn.execute("DELETE FROM contacts_organization WHERE id > %s", [organizations])


def measure_import(database: str, rows: int, timeout: float) -> tuple[float | None, str]:
    path = Path(tempfile.gettempdir()) / f"rapport-bench-import-{os.getpid()}.csv"
    import_file(path, rows)
    env = {**server_environment(database)}
    env.pop("QUERY_COUNT_HEADER")
    started = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "import_contacts", str(path), "--owner", USERNAME],
            cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False, timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s"
    finally:
        path.unlink(missing_ok=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        return None, (result.stderr or result.stdout).strip().splitlines()[-1][:200]
    return elapsed, ""


def run(args: argparse.Namespace) -> Report:
    counts = generate.sizes(args.scale)
    if args.skip_generate:
        generate.migrate(args.database)  # the code may have moved on since the data was made
    else:
        generate.generate(scale=args.scale, database=args.database, seed=7)
    report = Report(
        scale=args.scale,
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        machine={
            "cores": os.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        dataset=counts,
    )
    with psycopg.connect(generate.database_url(args.database)) as conn:
        user_id = conn.execute(
            "SELECT id FROM accounts_user WHERE username = %s", [USERNAME]
        ).fetchone()[0]
    with Server(args.database) as server:
        cookies = login(server.port, generate.BENCH_PASSWORD)
        for name, paths, goal50, goal95 in endpoints(args.database, user_id):
            timing = measure(server.port, cookies, paths, args.requests, warmup=args.warmup)
            if timing.statuses != {200}:
                goal = f"≤ {goal95} ms" if goal95 else ""
                statuses = sorted(map(str, timing.statuses))
                report.add(f"{name} p95", None, "ms", goal, False, f"HTTP {statuses}")
                continue
            if goal50 is not None:
                report.add(f"{name} p50", timing.p50, "ms", f"≤ {goal50} ms", timing.p50 <= goal50)
            report.add(
                f"{name} p95", timing.p95, "ms", f"≤ {goal95} ms" if goal95 else "",
                timing.p95 <= goal95 if goal95 else None,
            )  # fmt: skip
            report.add(f"{name} p99", timing.p99, "ms")
            most = 12 if name.startswith("dashboard") else 8
            report.add(
                f"{name} queries", timing.queries, "queries", f"≤ {most}",
                timing.queries is not None and timing.queries <= most,
            )  # fmt: skip
            statements = sql_of_request(args.database, paths[0])
            floor = sql_floor_ms(args.database, statements) if statements else None
            report.add(f"{name} SQL floor p50", floor, "ms")
            report.add(f"{name} overhead ratio", timing.p50 / floor if floor else None, "×")
        rps = throughput(server.port, cookies, "/contacts/", 4, args.throughput_seconds)
        report.add("contact list, 4 connections", rps, "req/s", "≥ 50 req/s", rps >= 50)
        rss = server.peak_rss_mib()
        report.add("web worker peak memory", rss, "MiB", "≤ 150 MiB", rss <= 150)
    measure_dashboard_compute(report, args.database, args.section_timeout)
    rows = max(100, round(100_000 * min(args.scale, 1.0)))
    imported_rows_delete(args.database, counts)  # left by an earlier, interrupted run
    seconds, problem = measure_import(args.database, rows, args.section_timeout)
    imported_rows_delete(args.database, counts)
    report.add(
        f"import of {rows:,} contacts with dedupe", seconds, "s", "≤ 30 s (100,000)",
        None if seconds is None else seconds <= 30 * rows / 100_000, problem,
    )  # fmt: skip
    measure_inbound(report, args.database, max(50, round(2_000 * min(args.scale, 1.0))))
    # Four relay runs of `rows` messages each (the test backend with 1 and 2 workers, the fake
    # ESP calm and with errors): twice a section's bound, so the ESP's figures are measured
    # rather than cut off by the runs before them.
    measure_follow_through(
        report, args.database, rows, server_environment(args.database), 2 * args.section_timeout
    )
    if args.growth and args.scale >= 0.5:
        measure_growth(report, args)
    for name, unit, goal, issue in NOT_BUILT:
        report.add(name, None, unit, goal, None, f"not built yet: arrives with the {issue}")
    return report


def measure_dashboard_compute(report: Report, database: str, timeout: float) -> None:
    """What the pages above were served from costs to compute: a snapshot refreshed cold
    (bench.dashboards prints each part and the plans of the three slowest)."""
    env = {**os.environ, "DATABASE_URL": generate.database_url(database), "LOG_LEVEL": "WARNING"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.dashboards"], cwd=BASE_DIR, env=env, check=True,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        report.add("dashboard overview computed", None, "ms", "", False, str(error)[:200])
        return
    *lines, last = done.stdout.strip().splitlines()
    for line in lines:
        print(line, flush=True)
    for name, ms in json.loads(last)["computed"].items():
        report.add(
            f"dashboard {name} computed (a snapshot's refresh)", ms, "ms", "",
            None, "cold, in a worker; pages serve the snapshot",
        )  # fmt: skip


def measure_inbound(report: Report, database: str, count: int) -> None:
    """Candidates' replies posted to one web worker's inbound webhook as the ESP would
    (bench.inbound), then the dashboards' "Replies answered" figures over them, computed cold
    for the bench's manager this week as a snapshot refresh does; the replies are removed after."""
    from django.test import override_settings

    from followups.replies import reply_token

    secret = f"bench:{secrets.token_urlsafe(16)}"
    env = {"ANYMAIL_WEBHOOK_SECRET": secret, "REPLY_DOMAIN": inbound.REPLY_DOMAIN}
    with psycopg.connect(generate.database_url(database), autocommit=True) as conn:
        inbound.cleanup(conn)  # left by an earlier, interrupted run
        messages = inbound.sent_messages(conn, count)
    name = "inbound replies recorded per second (1 web worker)"
    if not messages:
        report.add(name, None, "replies/s", "", None, "no sent messages to reply to")
        return
    try:
        with Server(database, workers=1, env=env) as server:
            # The tokens are signed with the server's secret key.
            with override_settings(SECRET_KEY=server.env["SECRET_KEY"]):
                bodies = inbound.payloads(messages, reply_token)
            say(f"posting {len(bodies):,} replies to the inbound webhook")
            seconds, statuses = inbound.post_replies(server.port, bodies, secret)
        with psycopg.connect(generate.database_url(database)) as conn:
            kept = inbound.recorded(conn)
        good = statuses == {"200": len(bodies)} and kept["on_timeline"] == len(bodies)
        report.add(
            name, len(bodies) / seconds, "replies/s", "", None if good else False,
            f"{len(bodies):,} in {seconds:.1f} s, 4 connections; {kept['by_token']:,} threaded "
            f"by token, {kept['on_timeline']:,} on a timeline, {kept['owed']:,} owed an answer"
            + ("" if good else f"; HTTP {dict(statuses)}"),
        )  # fmt: skip
        # In a process on the benchmark database, as a worker refreshing a snapshot.
        env = {**os.environ, "DATABASE_URL": generate.database_url(database)}
        done = subprocess.run(
            [sys.executable, "-m", "bench.inbound"], cwd=BASE_DIR, env=env, check=True,
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        got = json.loads(done.stdout.strip().splitlines()[-1])
        report.add(
            "dashboard overview with the replies owed, computed this week", got["ms"], "ms",
            "", None, f"{got['owed']:,} replies owed to the team, {got['waiting']:,} waiting; "
            "cold, in a worker",
        )  # fmt: skip
    finally:
        with psycopg.connect(generate.database_url(database), autocommit=True) as conn:
            inbound.cleanup(conn)


GROWTH_PAGES = [("contact list", "/contacts/"), ("search, prefix", "/search/?q=sch")]
PLAN_TIMER = (
    "import time, django; django.setup();"
    "from django.utils import timezone; from followups.planners import plan_all;"
    "plan_all(now=timezone.now()); t = time.perf_counter(); plan_all(now=timezone.now());"
    "print(time.perf_counter() - t)"
)


def minutely_plan_seconds(database: str) -> float:
    env = {**server_environment(database), "DJANGO_SETTINGS_MODULE": "crm.settings"}
    env.pop("QUERY_COUNT_HEADER")
    result = subprocess.run(
        [sys.executable, "-c", PLAN_TIMER], cwd=BASE_DIR, env=env, capture_output=True,
        text=True, check=True, timeout=1800,
    )  # fmt: skip
    return float(result.stdout.strip().splitlines()[-1])


def measure_growth(report: Report, args: argparse.Namespace) -> None:
    """The same pages and the minutely planner run on a dataset a tenth the size: the ratio says
    how cost grows with the book (1 means it does not)."""
    small_scale, small = args.scale / 10, f"{args.database}_small"
    say(f"growth: a dataset at scale {small_scale} in {small}")
    if args.skip_generate and generate.database_exists(small):
        generate.migrate(small)
    else:  # --skip-generate reuses the small dataset only when an earlier run left one
        generate.generate(scale=small_scale, database=small, seed=7)
    big = {f"{name} p95": figure.value for figure in report.figures for name, _ in GROWTH_PAGES
           if figure.name == f"{name} p95"}  # fmt: skip
    with Server(small) as server:
        cookies = login(server.port, generate.BENCH_PASSWORD)
        for name, path in GROWTH_PAGES:
            timing = measure(server.port, cookies, [path], args.requests, warmup=args.warmup)
            large = big.get(f"{name} p95")
            report.add(
                f"growth: {name} p95 at scale {small_scale}", timing.p95, "ms",
                note=f"cost at {args.scale} / at {small_scale}: "
                f"{large / timing.p95:.2f}×" if large and timing.p95 else "",
            )  # fmt: skip
    small_plan = minutely_plan_seconds(small)
    large_plan = minutely_plan_seconds(args.database)
    report.add(
        f"growth: minutely planner run at scale {small_scale}", small_plan, "s",
        note=f"{large_plan:.2f} s at {args.scale}: {large_plan / small_plan:.2f}×"
        if small_plan else "",
    )  # fmt: skip


def measure_follow_through(
    report: Report, database: str, count: int, env: dict, timeout: float
) -> None:
    """Plan `count` due status updates and relay them with real Celery workers: through anymail's
    test backend (1 and 2 workers), then through anymail's Postmark backend to the loopback fake
    ESP at 80 ms, calm and with 429s and 5xx (bench.followthrough, in its own process)."""
    env = {**env, "CELERY_QUEUE": "rapport-bench"}
    env.pop("QUERY_COUNT_HEADER")
    scaled = count / 100_000
    names = [
        ("first planning run over the book", "s", "≤ 60 s"),
        (f"planners, {count:,} due status updates", "s", ""),
        ("planners, nothing new due (the minutely run)", "s", "≤ 1 s"),
        ("planners, a second run started together", "s", "≤ 1 s, plans nothing"),
        ("relay, messages per second (1 worker)", "msg/s", ""),
        ("relay, messages per second (2 workers)", "msg/s", ""),
        (f"planned and sent, {count:,} status updates (2 workers)", "s", "≤ 45 s (100,000)"),
        (f"planned and sent via the fake ESP at 80 ms, {count:,} (2 workers)", "s",
         "≤ 150 s (100,000)"),
        ("fake ESP with 2% 429 and 1% 5xx: accepted exactly once", "messages",
         "each sendable once"),
        ("worker peak memory (2 processes, PSS)", "MiB", "≤ 300 MiB"),
    ]  # fmt: skip
    # Its own process group: a section that times out ends with every worker it started (an
    # orphaned worker would go on taking the next run's messages from the same queue).
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.followthrough", "--count", str(count)],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    got: dict = {}

    def read() -> None:  # each line holds every figure measured so far: keep the last whole one
        for line in process.stdout or ():
            try:
                figures = json.loads(line)
            except ValueError:
                continue  # a line cut off by the kill
            got.clear()
            got.update(figures)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    problem = ""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        problem = f"timed out after {timeout:.0f} s"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=10)
    if process.returncode != 0 and not problem:
        problem = "bench.followthrough failed: see above"

    def missing(index: int, *keys: str) -> bool:
        """True, and the figure reported MISSED with the problem, when a key was not measured."""
        if all(key in got for key in keys):
            return False
        name, unit, goal = names[index]
        report.add(name, None, unit, goal, False, problem or "not measured")
        return True

    if not missing(0, "first_plan_seconds"):
        first = got["first_plan_seconds"]
        report.add(
            names[0][0], first, "s", names[0][2], first <= 60,
            f"{got['first_planned_messages']:,} messages, {got['first_planned_followups']:,} "
            "follow-ups",
        )  # fmt: skip
    if not missing(1, "plan_seconds"):
        report.add(names[1][0], got["plan_seconds"], "s", note=f"planned {got['planned']:,}")
    if not missing(2, "replan_seconds"):
        replan = got["replan_seconds"]
        report.add(names[2][0], replan, "s", names[2][2], replan <= 1,
                   f"planned {got['replanned']:,}")  # fmt: skip
    if not missing(3, "second_run_seconds"):
        second, planned = got["second_run_seconds"], got["second_run_planned"]
        report.add(
            names[3][0], second, "s", names[3][2], second <= 1 and planned == 0,
            "it planned too: the lock did not hold" if planned else "returned at once",
        )  # fmt: skip
    for index, workers in ((4, 1), (5, 2)):
        if not missing(index, f"relay_rate_{workers}"):
            report.add(names[index][0], got[f"relay_rate_{workers}"], "msg/s",
                       note=f"sent {got[f'sent_{workers}']:,}")  # fmt: skip
    # Goals are for 100,000; a smaller run is dominated by fixed costs and only reported.
    judged = count >= 10_000
    if not missing(6, "plan_seconds", "relay_seconds_2"):
        total = got["plan_seconds"] + got["relay_seconds_2"]
        report.add(names[6][0], total, "s", names[6][2], total <= 45 * scaled if judged else None)
    if not missing(7, "plan_seconds", "esp_calm_seconds"):
        esp_total = got["plan_seconds"] + got["esp_calm_seconds"]
        rate = got["esp_calm_sent"] / got["esp_calm_seconds"] if got["esp_calm_seconds"] else 0
        report.add(
            names[7][0], esp_total, "s", names[7][2],
            esp_total <= 150 * scaled if judged else None,
            f"{rate:,.0f} msg/s, 28 in flight per process",
        )  # fmt: skip
    if not missing(8, "esp_errors_sent"):
        sent, accepted, twice = (
            got["esp_errors_sent"],
            got["esp_errors_accepted"],
            got["esp_errors_twice"],
        )
        report.add(
            names[8][0], accepted - twice, "messages", names[8][2],
            twice == 0 and accepted == sent == got["sendable"],
            f"{sent:,} recorded sent of {got['sendable']:,} sendable, {twice} accepted twice",
        )  # fmt: skip
    runs = [name for name in ("peak_mib_2", "esp_calm_peak_mib", "esp_errors_peak_mib")
            if name in got]  # fmt: skip
    if not runs:
        missing(9, "peak_mib_2")
        return
    # PSS: a page the forked processes share counts once (bench.followthrough.worker_memory).
    peak = max(got[name] for name in runs)
    rss = max(got.get(name.replace("peak_mib", "peak_rss_mib"), 0.0) for name in runs)
    report.add(
        names[9][0], peak, "MiB", names[9][2], peak <= 300,
        f"PSS of the main process and its 2; RSS summed {rss:,.1f} MiB",
    )  # fmt: skip


def figure_line(figure: Figure) -> str:
    value = "—" if figure.value is None else f"{figure.value:,.1f} {figure.unit}"
    verdict = {True: "ok", False: "MISSED", None: ""}[figure.ok]
    note = f"  ({figure.note})" if figure.note else ""
    return f"{figure.name:<58} {value:>14}  {figure.goal:<22} {verdict}{note}"


def table(report: Report) -> str:
    lines = [
        f"Rapport benchmark, scale {report.scale} ({report.dataset['contacts']:,} contacts), "
        f"{report.machine['cores']} cores, {report.machine['memory_gib']} GiB, {report.started_at}",
        f"{'figure':<58} {'value':>14}  {'goal':<22} verdict",
    ]
    lines += [figure_line(figure) for figure in report.figures]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", default="rapport_bench")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the last dataset")
    parser.add_argument(
        "--no-growth", dest="growth", action="store_false",
        help="skip the same figures at a tenth of the scale",
    )  # fmt: skip
    parser.add_argument("--requests", type=int, default=200, help="measured requests per figure")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--throughput-seconds", type=float, default=10.0)
    parser.add_argument(
        "--section-timeout", type=float, default=900, help="seconds a section may take"
    )
    parser.add_argument(
        "--output", type=Path, help="the JSON file (default bench/results/<date>.json)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    # Development settings: the password hasher must be one production also accepts.
    os.environ["DJANGO_ENV"] = "development"
    import django

    django.setup()
    report = run(args)
    print(table(report), flush=True)
    output = args.output or RESULTS_DIR / f"{dt.datetime.now(dt.UTC).date().isoformat()}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n")
    say(f"results written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
