"""The embedded servers' database name: `rapport`, or the one RAPPORT_DATABASE names (the
simulated year's, for `make run`)."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def _database_name(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "RAPPORT_DATABASE"}
    result = subprocess.run(
        [sys.executable, "-c", "import devtools.services as s; print(s.DATABASE_NAME)"],
        cwd=BASE_DIR, env={**clean, **env}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def test_the_embedded_database_is_rapport_by_default():
    assert _database_name() == "rapport"
    assert _database_name(RAPPORT_DATABASE="") == "rapport"


def test_rapport_database_opens_another_database_on_the_embedded_server():
    assert _database_name(RAPPORT_DATABASE="rapport_simulate") == "rapport_simulate"
