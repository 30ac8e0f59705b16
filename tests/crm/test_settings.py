import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from crm.settings import celery_broker_url
from tests.helpers import run

BASE_DIR = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The test run's own switches must not leak into a production check.
    leaks = {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in leaks}
    environment.update(env)
    return run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, timeout=120)


PRODUCTION = {
    "DJANGO_ENV": "production",
    "ALLOWED_HOSTS": "rapport.example.com",
    "EMAIL_BACKEND": "anymail.backends.test.EmailBackend",
}


def test_check_deploy_with_production_settings_reports_no_issues():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_without_secret_key_stops_with_clear_message():
    result = manage("check", **PRODUCTION)

    assert result.returncode == 1
    assert result.stderr.startswith("Rapport cannot start: SECRET_KEY is not set.")
    assert "Traceback" not in result.stderr


def test_database_url_of_another_engine_is_refused():
    result = manage("check", DATABASE_URL="mysql://user@localhost/rapport")

    assert result.returncode == 1
    assert "Rapport runs on PostgreSQL only" in result.stderr


@pytest.mark.parametrize(
    ("redis_url", "broker_url"),
    [
        ("redis://cache:6379/2", "redis://cache:6379/2"),
        ("unix:///srv/redis.sock?db=3", "redis+socket:///srv/redis.sock?virtual_host=3"),
        ("unix:///srv/redis.sock", "redis+socket:///srv/redis.sock?virtual_host=0"),
    ],
)
def test_celery_broker_url_translates_unix_sockets(redis_url, broker_url):
    assert celery_broker_url(redis_url) == broker_url


def test_site_url_defaults_to_where_make_run_listens():
    show = "from django.conf import settings; print(settings.SITE_URL)"

    default = manage("shell", "--no-imports", "-c", show, HOST="", PORT="", SITE_URL="")
    elsewhere = manage(
        "shell", "--no-imports", "-c", show, HOST="rapport.local", PORT="9000", SITE_URL=""
    )
    given = manage("shell", "--no-imports", "-c", show, SITE_URL="https://rapport.example.com")

    assert default.stdout.strip() == "http://127.0.0.1:8000", default.stderr
    assert elsewhere.stdout.strip() == "http://rapport.local:9000", elsewhere.stderr
    assert given.stdout.strip() == "https://rapport.example.com", given.stderr
