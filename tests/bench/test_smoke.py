"""The benchmark at a tiny scale, so it never rots: every figure is present. Speed is not
asserted here (CONTRIBUTING.md, "Tests"); `make bench` measures it."""

import json
import os
import sys
from pathlib import Path

import pytest

from tests.helpers import run

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.bench

MEASURED_PAGES = [
    "contact list",
    "contact list, my overdue",
    "search, common term",
    "search, rare term",
    "search, prefix",
    "search, two words",
    "contact page",
    "organization page",
    "My day",
    "job list",
    "job board",
    "API candidacies of a job",
    "API contacts",
    "API organizations",
    "API interactions of a contact",
    "dashboard overview",
    "dashboard trends",
    "dashboard drill-down now.breached",
    "dashboard drill-down closure.without_notice",
    "dashboard drill-down deliver.bounced",
    "dashboard drill-down rel.overdue",
]


def test_bench_smoke_reports_every_figure(tmp_path):
    output = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["FOLLOWUPS_RELAY_BACKOFF_SECONDS"] = "1"  # the fake ESP's 429s and 5xx retry quickly

    # In a process group of its own, that the web server and workers the benchmark starts join:
    # all of it ends with the test, whatever happens.
    result = run(
        [
            sys.executable, "-m", "bench.run", "--scale", "0.001",
            "--database", "rapport_bench_smoke", "--requests", "3", "--warmup", "1",
            "--throughput-seconds", "0.5", "--output", str(output),
        ],
        cwd=BASE_DIR, env=env, timeout=600,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(output.read_text())
    figures = {figure["name"]: figure for figure in report["figures"]}
    expected = [
        f"{page} {suffix}"
        for page in MEASURED_PAGES
        for suffix in ("p95", "p99", "queries", "SQL floor p50", "overhead ratio")
    ]
    expected += [
        "contact list p50",
        "contact list, my overdue p50",
        "contact list, 4 connections",
        "web worker peak memory",
        "import of 100 contacts with dedupe",
        "planners, 100 due status updates",
        "planners, nothing new due (the minutely run)",
        "relay, messages per second (1 worker)",
        "relay, messages per second (2 workers)",
        "planned and sent, 100 status updates (2 workers)",
        "first planning run over the book",
        "planners, a second run started together",
        "planned and sent via the fake ESP at 80 ms, 100 (2 workers)",
        "fake ESP with 2% 429 and 1% 5xx: accepted exactly once",
        "worker peak memory (2 processes, PSS)",
        "inbound replies recorded per second (1 web worker)",
        "dashboard overview with the replies owed, computed this week",
    ]
    missing = [name for name in expected if name not in figures]
    assert missing == []
    unmeasured = [name for name in expected if figures[name]["value"] is None]
    assert unmeasured == []
    assert figures["fake ESP with 2% 429 and 1% 5xx: accepted exactly once"]["ok"] is True
    assert figures["planners, a second run started together"]["ok"] is True
    # PSS counts the pages the forked pool shares with the main process once; RSS in each.
    memory = figures["worker peak memory (2 processes, PSS)"]
    rss = float(memory["note"].rsplit("RSS summed ", 1)[1].split()[0].replace(",", ""))
    assert 0 < memory["value"] < rss
    # Every reply posted was threaded by its token, landed on a timeline and is owed an answer.
    replies = figures["inbound replies recorded per second (1 web worker)"]
    assert (replies["ok"], replies["note"].split(" in ")[0]) == (None, "50")
    assert replies["note"].endswith("50 threaded by token, 50 on a timeline, 50 owed an answer"), (
        replies["note"]
    )
    assert report["dataset"]["contacts"] == 1000
    assert set(report["machine"]) == {"cores", "memory_gib", "python", "platform"}
    assert "contact list p95" in result.stdout
