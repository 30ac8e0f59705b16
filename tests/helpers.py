"""Helpers shared by the tests: waiting on a condition (never a fixed sleep), the statements a
block runs, processes that end with the run, reading a page like a person would, walking API
pages, forging keyset cursors, a contact's career, logging in through the browser."""

import base64
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import psutil
from django.db import connection
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import Page, expect

T = TypeVar("T")

BASE_DIR = Path(__file__).resolve().parent.parent


# --- waiting -------------------------------------------------------------------------------------


def wait_until(condition: Callable[[], T], *, timeout: float = 30, what: str = "condition") -> T:
    """Return the first truthy value of `condition()`, polling until `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        pause.wait(0.05)


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL run inside the block, in order, without the savepoints `atomic` adds: what a
    service writes, whatever transaction it runs in."""
    captured: list[str] = []
    with CaptureQueriesContext(connection) as context:
        yield captured
    captured.extend(
        query["sql"]
        for query in context.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    )


# --- processes: every one a test starts ends with the run ----------------------------------------

# Every process started through `spawn`, each the leader of a process group of its own: the session
# guard (pytest_sessionfinish in tests/conftest.py) ends every group left when the run ends.
SPAWNED: list[subprocess.Popen] = []


def spawn(command: list[str], **options) -> subprocess.Popen:
    """`subprocess.Popen(command, **options)` as the leader of a new process group (what it starts
    joins the group, so `stop` ends all of it), recorded in SPAWNED for the session guard."""
    process = subprocess.Popen(command, start_new_session=True, **options)
    SPAWNED.append(process)
    return process


def run(command: list[str], *, timeout: float, **options) -> subprocess.CompletedProcess:
    """`subprocess.run(command, capture_output=True, text=True, timeout=timeout, **options)` through
    `spawn`: whatever happens (the command times out, the test fails), its whole group ends."""
    process = spawn(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        stop(process)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def group_members(process: subprocess.Popen) -> list[psutil.Process]:
    """The living processes of `process`'s group, among this process's descendants (where every one
    stays, see `adopt_orphans`). Reaps the leader once it has exited."""
    process.poll()
    members = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and os.getpgid(child.pid) == process.pid:
                members.append(child)
        except (psutil.Error, ProcessLookupError):
            continue
    return members


def _end_group(process: subprocess.Popen, steps: list[tuple[signal.Signals, float]]) -> None:
    for signum, timeout in steps:
        if not group_members(process):
            return
        # Safe: the group id is the leader's pid, still held by the living members found above.
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while group_members(process) and time.monotonic() < deadline:
            threading.Event().wait(0.05)
    if left := group_members(process):
        raise AssertionError(f"still alive after SIGKILL: {[member.pid for member in left]}")


def stop(process: subprocess.Popen, *, timeout: float = 20) -> None:
    """End `process` and every process of its group: SIGTERM, then SIGKILL after `timeout` s."""
    _end_group(process, [(signal.SIGTERM, timeout), (signal.SIGKILL, 10)])


def kill(process: subprocess.Popen) -> None:
    """SIGKILL `process` and its whole group at once, as a crash would."""
    _end_group(process, [(signal.SIGKILL, 10)])


def test_database_url() -> str:
    """The DATABASE_URL of pytest-django's test database, for processes started by tests."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def celery_worker_start(
    *, queue: str, hostname: str, log_path: Path, pool: str = "prefork", **env: str
) -> subprocess.Popen:
    """A `celery worker` running one task at a time from `queue`, on the test database (and
    `env`), through `spawn`: returned once ready, ended if it does not get there."""
    environment = {**os.environ, "DATABASE_URL": test_database_url(), "DJANGO_ENV": "test", **env}
    command = [
        sys.executable, "-m", "celery", "-A", "crm", "worker",
        "--queues", queue, "--hostname", hostname, "--pool", pool, "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = spawn(
            command, cwd=BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_until(
            lambda: "ready." in log_path.read_text() or process.poll() is not None,
            timeout=60,
            what="the Celery worker to be ready",
        )
        if process.poll() is not None:
            raise AssertionError(f"the Celery worker exited:\n{log_path.read_text()}")
    except BaseException:
        stop(process)
        raise
    return process


PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux: prctl), so that what a
    test's child leaves behind when it dies stays a descendant of the test run, where `survivors`
    and `group_members` see it. False where the system does not offer it."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def survivors(*, grace: float = 0) -> list[psutil.Process]:
    """The descendants of this process still alive (zombies aside), after up to `grace` seconds
    for those on their way out."""
    deadline = time.monotonic() + grace
    while True:
        alive = []
        for child in psutil.Process().children(recursive=True):
            try:
                if child.status() != psutil.STATUS_ZOMBIE:
                    alive.append(child)
            except psutil.Error:
                continue
        if not alive or time.monotonic() >= deadline:
            return alive
        threading.Event().wait(0.1)


def describe(process: psutil.Process) -> str:
    try:
        return f"pid {process.pid} (group {os.getpgid(process.pid)}): {' '.join(process.cmdline())}"
    except (psutil.Error, ProcessLookupError):
        return f"pid {process.pid} (gone)"


# --- pages: the text of the elements marked `data-testid="..."` ----------------------------------

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip


class _TestIdText(HTMLParser):
    def __init__(self, test_id: str) -> None:
        super().__init__()
        self.test_id = test_id
        self.found: list[list[str]] = []
        self.open: list[tuple[int, int]] = []  # (depth, index in found) of captured elements
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        self.depth += 1
        if dict(attrs).get("data-testid") == self.test_id:
            self.open.append((self.depth, len(self.found)))
            self.found.append([])

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if self.open and self.open[-1][0] == self.depth:
            self.open.pop()
        self.depth -= 1

    def handle_data(self, data):
        for _, index in self.open:
            self.found[index].append(data)


def texts(html: bytes | str, test_id: str) -> list[str]:
    """The whitespace-normalised text of every element with `data-testid=test_id`, in order."""
    parser = _TestIdText(test_id)
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return [" ".join("".join(parts).split()) for parts in parser.found]


def element_count(html: bytes | str, element_id: str) -> int:
    """How many elements carry `id=element_id` (an out-of-band swap repeats none)."""
    text = html.decode() if isinstance(html, bytes) else html
    return text.count(f'id="{element_id}"')


# --- the API -------------------------------------------------------------------------------------


def user_json(user) -> dict:
    """How the API shows a user."""
    return {"id": user.pk, "username": user.username, "name": str(user)}


def ids(response) -> list[int]:
    """The ids of one page of an API list."""
    return [row["id"] for row in response.json()["results"]]


def walk(api, url: str) -> list[list[int]]:
    """Follow `next` from `url`; the ids of every page."""
    pages = []
    while url:
        body = api.get(url).json()
        pages.append([row["id"] for row in body["results"]])
        url = body["next"]
    return pages


def cursor_of(raw: str) -> str:
    """A page cursor with `raw` inside, as a client could forge it."""
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# --- contacts ------------------------------------------------------------------------------------


def positions(contact) -> list[tuple]:
    """(organization name, title, started on, ended on) of each position, oldest first."""
    return [
        (e.organization_name, e.title, e.started_on, e.ended_on)
        for e in contact.employments.order_by("started_on", "id")
    ]


# --- the browser ---------------------------------------------------------------------------------


def log_in(page: Page, live_server, password: str, next_path: str = "/", username="rosa") -> None:
    """Log in through the login form and land on `next_path`."""
    page.goto(f"{live_server.url}/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}{next_path}")
