"""`make run`'s process runner: a process that exits is started again; Ctrl-C stops them all."""

import signal
import subprocess
import sys

import psutil

from devtools.runner import procfile_read
from tests.conftest import BASE_DIR
from tests.helpers import wait_until


def test_runner_restarts_a_process_that_exits_and_stops_everything_on_ctrl_c(tmp_path):
    starts = tmp_path / "starts"
    procfile = tmp_path / "Procfile"
    procfile.write_text(f"flaky: echo started >> {starts}; exit 3\nsteady: sleep 300\n")
    runner = subprocess.Popen(
        [sys.executable, "-m", "devtools.runner", "--procfile", str(procfile)],
        cwd=BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        wait_until(
            lambda: starts.exists() and len(starts.read_text().split()) >= 3,
            timeout=30,
            what="the exiting process to be started three times",
        )
        children = psutil.Process(runner.pid).children(recursive=True)
        assert any("sleep" in " ".join(child.cmdline()) for child in children)

        runner.send_signal(signal.SIGINT)
        output, _ = runner.communicate(timeout=30)
    finally:
        if runner.poll() is None:
            runner.kill()

    assert runner.returncode == 0
    assert "flaky  | exited with code 3; restarting in 1 s" in output
    assert "flaky  | exited with code 3; restarting in 2 s" in output
    assert "steady | stopping" in output
    alive = [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    assert alive == []


def test_procfile_with_a_line_that_is_not_a_process_is_refused(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text("web python manage.py runserver\n")

    try:
        procfile_read(procfile)
    except SystemExit as error:
        message = str(error)
    assert (
        message == f"{procfile}:1: expected 'name: command', got 'web python manage.py runserver'"
    )
