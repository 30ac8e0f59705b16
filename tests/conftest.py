import contextlib
import os
import shutil
import signal
import sys
from pathlib import Path

import psutil
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from contacts.models import ContactImport
from contacts.tasks import import_preview
from tests.factories import PASSWORD, UserFactory
from tests.helpers import (
    SPAWNED,
    adopt_orphans,
    celery_worker_start,
    describe,
    stop,
    survivors,
)

# --- the run leaves nothing running --------------------------------------------------------------


def pytest_configure(config):
    # What a test's child leaves behind when it dies stays a descendant of the run, to be seen.
    adopt_orphans()
    # SIGTERM (`timeout`, a cancelled CI job, `kill`) ends the run as Ctrl-C does: the fixtures'
    # teardown and the guard below still run.
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"stopped by signal {signum}")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    """After every fixture's teardown, whatever the outcome: the guard ends every process group a
    test started through tests.helpers.spawn; then the check fails the run, naming them, if any
    process started during it is still alive (and ends those too)."""
    for process in reversed(SPAWNED):
        with contextlib.suppress(AssertionError):  # what resists is named below
            stop(process, timeout=10)
    left = survivors(grace=5)
    if not left:
        return
    title = f"{len(left)} process(es) started during the run outlived it"
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        sys.stderr.write("\n".join([title, *map(describe, left)]) + "\n")
    else:
        reporter.line("")
        reporter.write_sep("=", title, red=True)
        for process in left:
            reporter.write_line(describe(process), red=True)
    for process in left:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(left, timeout=10)
    if session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- personas ------------------------------------------------------------------------------------


@pytest.fixture
def recruiter(db) -> User:
    return UserFactory(username="rosa", first_name="Rosa", last_name="Reyes")


@pytest.fixture
def other_recruiter(db) -> User:
    return UserFactory(username="tom", first_name="Tom", last_name="Brandt")


@pytest.fixture
def manager(db) -> User:
    return UserFactory(username="maya", first_name="Maya", role=User.Role.MANAGER)


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(username="adam", first_name="Adam", role=User.Role.ADMIN, is_staff=True)


@pytest.fixture
def password() -> str:
    return PASSWORD


# --- logged-in clients ---------------------------------------------------------------------------


@pytest.fixture
def rosa_client(client, recruiter):
    """The test client with rosa logged in (a session)."""
    client.force_login(recruiter)
    return client


@pytest.fixture
def tom_client(client, other_recruiter):
    client.force_login(other_recruiter)
    return client


@pytest.fixture
def api() -> APIClient:
    """An API client with no credentials."""
    return APIClient()


@pytest.fixture
def rosa_api(api, recruiter) -> APIClient:
    """The API client with rosa logged in (a session: a page costs the session and user queries)."""
    api.force_login(recruiter)
    return api


@pytest.fixture
def tom_api(api, other_recruiter) -> APIClient:
    api.force_login(other_recruiter)
    return api


@pytest.fixture
def rosa_token(recruiter) -> dict[str, str]:
    """The header of an API token of rosa's, for a request: `api.get(url, **rosa_token)`."""
    token = Token.objects.create(user=recruiter)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


# --- a real Celery worker on the real broker -----------------------------------------------------


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A `celery worker` subprocess consuming the test queue, on the test database."""
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    with django_db_blocker.unblock():
        worker = celery_worker_start(
            queue=settings.CELERY_TASK_DEFAULT_QUEUE, hostname="test-worker@%h", log_path=log_path
        )
    yield worker
    stop(worker)


# --- a real browser ------------------------------------------------------------------------------


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")]
    return next((path for path in candidates if path and Path(path).exists()), None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        message = "No Chromium: install Debian's chromium package or set CHROMIUM_PATH."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": path,
        # The machine has no network beyond the package registries; keep Chromium from calling out.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


# --- the CSV import ------------------------------------------------------------------------------


@pytest.fixture
def csv_upload(django_capture_on_commit_callbacks):
    """Upload a CSV on the import page as `client`, then do here what the worker would do with
    what the upload queued: read it for its preview (contacts.import_preview). `read=False` leaves
    it queued, the import `reading`."""

    def upload(client, content: bytes, *, name="people.csv", on_duplicate="skip", read=True):
        file = SimpleUploadedFile(name, content, content_type="text/csv")
        before = set(ContactImport.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = client.post(
                "/contacts/import/", {"file": file, "on_duplicate": on_duplicate}
            )
        kept = ContactImport.objects.exclude(pk__in=before)
        assert len(queued) == kept.count()  # one reading queued for each upload kept
        if read:
            for contact_import in kept:
                import_preview.apply(args=[contact_import.pk])
        return response

    return upload
