import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tests.helpers import wait_until

BASE_DIR = Path(__file__).resolve().parent.parent


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


def _test_database_url() -> str:
    """The DATABASE_URL of pytest-django's test database, for processes started by tests."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A `celery worker` subprocess consuming the test queue, on the test database."""
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    with django_db_blocker.unblock():
        database_url = _test_database_url()
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_ENV": "test"}
    command = [
        sys.executable, "-m", "celery", "-A", "crm", "worker",
        "--queues", settings.CELERY_TASK_DEFAULT_QUEUE,
        "--hostname", "test-worker@%h",
        "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel", "INFO",
    ]  # fmt: skip
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_until(
            lambda: "ready." in log_path.read_text() or worker.poll() is not None,
            timeout=60,
            what="the Celery worker to be ready",
        )
        if worker.poll() is not None:
            pytest.fail(f"the Celery worker exited:\n{log_path.read_text()}")
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


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
