"""`./manage.py` as the README shows it: run as a program, without an activated virtualenv."""

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]
FIXTURE = BASE_DIR / "tests" / "fixtures" / "csv" / "linkedin_connections_messy.csv"

pytestmark = pytest.mark.skipif(
    not (BASE_DIR / ".venv" / "bin" / "python").exists(), reason="no .venv to find"
)


def run(*args: str) -> subprocess.CompletedProcess:
    """./manage.py with a PATH that holds no virtualenv, on the test database."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    environment = {
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108 - only a fallback HOME
        "PATH": "/usr/bin:/bin",
        "DJANGO_ENV": "test",
        "DATABASE_URL": urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"])),
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    return subprocess.run(
        ["./manage.py", *args],
        cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_manage_py_runs_with_the_projects_virtualenv_and_a_dry_run_exits_zero():
    UserFactory(username="rosa", first_name="Rosa", last_name="Reyes")

    result = run("import_contacts", str(FIXTURE), "--owner", "rosa", "--dry-run")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "Would import 5 new contacts and update 0, with 4 new organizations, from 7 rows: "
        "2 merged into an earlier row, 0 already in Rapport, 1 with warnings, 1 empty."
    )
