"""The run leaves nothing running: a process a test starts through tests.helpers.spawn leads a
process group of its own, recorded for the session guard (tests/conftest.py), and `stop` ends the
whole group, even what the leader left behind when it died; the final check sees any process
started during the run that is still alive."""

import os
import signal
import subprocess
import sys

import psutil

from tests.helpers import SPAWNED, spawn, stop, survivors, wait_until

# A parent that starts a child of its own, then both wait for a signal (nothing sleeps here).
PARENT = (
    "import signal, subprocess, sys;"
    "subprocess.Popen([sys.executable, '-c', 'import signal; signal.pause()']);"
    "signal.pause()"
)


def child_of(process: subprocess.Popen) -> psutil.Process:
    children = wait_until(
        lambda: psutil.Process(process.pid).children(), timeout=30, what="the child to start"
    )
    return children[0]


def test_spawn_records_a_process_group_of_its_own_that_stop_ends_whole():
    parent = spawn([sys.executable, "-c", PARENT])
    try:
        child = child_of(parent)

        assert parent in SPAWNED
        assert os.getpgid(parent.pid) == parent.pid != os.getpgid(0)
        assert os.getpgid(child.pid) == parent.pid
    finally:
        stop(parent, timeout=10)

    assert parent.returncode == -signal.SIGTERM
    assert child.wait(timeout=10) == -signal.SIGTERM


def test_stop_ends_what_a_dead_leader_left_behind():
    parent = spawn([sys.executable, "-c", PARENT])
    try:
        child = child_of(parent)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)

        # The orphan stays a descendant of the run (adopted), and in the group.
        assert child.ppid() == os.getpid()
        assert os.getpgid(child.pid) == parent.pid
    finally:
        stop(parent, timeout=10)

    assert child.wait(timeout=10) == -signal.SIGTERM


def test_final_check_sees_a_process_started_without_the_helper():
    stray = subprocess.Popen([sys.executable, "-c", "import signal; signal.pause()"])
    try:
        assert stray.pid in [process.pid for process in survivors()]
    finally:
        stray.kill()
        stray.wait(timeout=10)

    assert stray.pid not in [process.pid for process in survivors()]
