"""The simulated year, short: a 5-recruiter agency over 30 days (bench/simulate.py; `make
simulate` runs 50 recruiters over 365), hour by hour on 2 real workers through a real broker.
Every promise the dashboards count is kept, nothing leaves twice, every sent message is on its
contact's timeline."""

import json
import os
import sys

import pytest

from tests.bench.test_chaos import BASE_DIR, run_database
from tests.helpers import run

pytestmark = pytest.mark.bench


def test_a_simulated_month_keeps_every_promise(tmp_path):
    output = tmp_path / "simulate.json"
    database = run_database("simulate")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}

    # A fixed first day (a Monday) and seed: the same month every time.
    result = run(
        [
            sys.executable, "-m", "bench.simulate", "--days", "30", "--recruiters", "5",
            "--seed", "7", "--start", "2026-11-02", "--database", database, "--drop",
            "--output", str(output),
        ],
        cwd=BASE_DIR, env=env, timeout=600,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(output.read_text())
    assert (figures["first_day"], figures["last_day"], figures["steps"]) == (
        "2026-11-02",
        "2026-12-01",
        720,
    )
    # The dashboards' own figures for the month.
    assert figures["status_updates_on_cadence_pct"] == 100.0
    assert (
        figures["status_updates_met_on_time"],
        figures["status_updates_met_late"],
        figures["status_updates_breached"],
    ) == (29, 0, 0)
    assert figures["closures_within_deadline_or_called_pct"] == 100.0
    assert (figures["closures_met_on_time"], figures["closures_breached"]) == (5, 0)
    assert figures["digests_on_schedule_pct"] == 100.0
    assert (figures["digests_met_on_time"], figures["digests_breached"]) == (7, 0)
    # The outbox and the fake ESP's log.
    assert figures["states"] == {"sent": 47}
    assert figures["sent_by_kind"] == {
        "client_digest": 7,
        "closure": 6,
        "manager_digest": 5,
        "status_update": 29,
    }
    assert figures["esp_accepted"] == figures["sent"] == 47
    assert figures["duplicate_sends"] == 0
    assert figures["timeline_rows"] == figures["sent_to_contacts"] == 42
    assert figures["sent_without_timeline_row"] == 0
    assert (figures["call_instead_missing"], figures["call_instead_doubled"]) == (0, 0)
    assert figures["task_failures"] == 0, figures["last_task_error"]
    assert figures["agency"]["jobs_opened"] == 6
    assert figures["agency"]["candidacies"] == 30
