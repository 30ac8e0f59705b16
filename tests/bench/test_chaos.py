"""The chaos run, short: 1,000 due messages through 2 workers and beat while 3 kills and a
Redis restart strike (bench/chaos.py; `make chaos` runs the long one). Nothing is lost, nothing
recorded as sent leaves again, the outbox empties, and each timeline row and call-instead is
there once."""

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers import run

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.bench


def run_database(suffix: str) -> str:
    """The run's own database, named after the test database (TEST_DATABASE_NAME when set) so
    that test sessions running side by side on one server do not recreate each other's."""
    base = os.environ.get("TEST_DATABASE_NAME") or urlsplit(os.environ["DATABASE_URL"]).path
    return f"{base.lstrip('/')}_{suffix}"


def test_chaos_loses_nothing_and_resends_nothing_recorded(tmp_path):
    output = tmp_path / "chaos.json"
    database = run_database("chaosrun")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}

    # In a process group of its own, that the workers, beat, Redis and the ESP join: all of it
    # ends with the test, whatever happens.
    result = run(
        [
            sys.executable, "-m", "bench.chaos", "--count", "1000", "--database", database,
            "--child-kills", "2", "--main-kills", "1", "--redis-restarts", "1",
            "--redis-down", "2", "--pg-terminations", "0", "--esp-bursts", "0",
            "--esp-rate", "100", "--first-fault", "1", "--fault-every", "1.5",
            "--lease", "10", "--sweep-seconds", "3", "--settle", "60", "--timeout", "150",
            "--output", str(output),
        ],
        cwd=BASE_DIR, env=env, timeout=300,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(output.read_text())
    assert figures["faults"] == {"child": 2, "main": 1, "redis": 1}
    assert figures["last_fault_to_empty_outbox_seconds"] is not None, figures  # not stuck
    # 1 contact in 100 has no address: suppressed, a call instead.
    assert figures["states"] == {"sent": 990, "suppressed": 10}
    assert figures["lost"] == 0
    assert figures["accepted_not_recorded_sent"] == 0
    assert figures["duplicates_after_recording"] == 0
    assert set(figures["sends_per_key"]) <= {"1", "2"}
    for kind, seen in figures["duplicates_by_fault"].items():
        assert seen["max"] <= seen["bound"], (kind, seen)
    assert figures["timeline_rows"] == figures["sent"] == 990
    assert figures["call_instead_missing"] == 0
    assert figures["call_instead_doubled"] == 0
    # A worker that exits by itself is restarted (as devtools.runner or a supervisor would), and
    # not counted here: the next test checks that a Redis restart makes none exit.


def test_redis_down_past_the_first_retry_leaves_the_workers_running(tmp_path):
    """Redis stopped for longer than the worker's first reconnection attempt (2 s) and started
    again, empty: each worker reconnects as the same process, beat's next kick finds the rest, and
    all of it leaves once. Under Celery 5.7 a worker holding an unacknowledged task exits here
    (AttributeError in kombu's Channel._connparams): the pin in pyproject.toml and
    docs/decisions/0008-celery-5-6-for-redis-restarts.md."""
    output = tmp_path / "chaos.json"
    database = run_database("chaosredis")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}

    result = run(
        [
            sys.executable, "-m", "bench.chaos", "--count", "400", "--database", database,
            "--child-kills", "0", "--main-kills", "0", "--redis-restarts", "1",
            "--redis-down", "5", "--pg-terminations", "0", "--esp-bursts", "0",
            "--batch", "50", "--latency", "0.05", "--first-fault", "1", "--lease", "10",
            "--sweep-seconds", "3",
            "--settle", "60", "--timeout", "120", "--output", str(output),
        ],
        cwd=BASE_DIR, env=env, timeout=300,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(output.read_text())
    assert figures["faults"] == {"redis": 1}
    assert figures["unexpected_exits"] == 0, figures["unexpected_exit_logs"]
    assert figures["starts"] == {"worker0": 1, "worker1": 1, "beat": 1}
    assert figures["states"] == {"sent": 396, "suppressed": 4}
    assert figures["lost"] == 0
    assert figures["sends_per_key"] == {"1": 396}
    assert figures["last_fault_to_empty_outbox_seconds"] is not None
