"""Run the Procfile's processes for `make run`, and restart any that exits.

    python -m devtools.runner [--procfile Procfile]

Each line `name: command` runs under `sh -c` in a process group of its own, its output prefixed
with its name. A process that exits (a Redis blip can end a Celery worker) is started again after
a short, growing pause, so one failure never ends the whole product. Ctrl-C (or SIGTERM) stops
every process: SIGTERM to each group, SIGKILL to what is left after a grace period.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

GRACE_SECONDS = 10.0
# Pauses before a restart: 1 s, then doubling to at most 30 s; a run of a minute resets it.
FIRST_PAUSE, LONGEST_PAUSE, STEADY_SECONDS = 1.0, 30.0, 60.0
COLOURS = itertools.cycle(["36", "33", "35", "32", "34", "31"])


@dataclass
class Service:
    name: str
    command: str
    colour: str
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    pause: float = FIRST_PAUSE
    restarts: int = 0
    output: threading.Thread | None = field(default=None, repr=False)


def procfile_read(path: Path) -> list[Service]:
    services = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, separator, command = line.partition(":")
        if not separator or not name.strip() or not command.strip():
            raise SystemExit(f"{path}:{number}: expected 'name: command', got {line!r}")
        services.append(Service(name.strip(), command.strip(), next(COLOURS)))
    if not services:
        raise SystemExit(f"{path} names no process.")
    return services


class Runner:
    def __init__(self, services: list[Service]) -> None:
        self.services = services
        self.width = max(len(service.name) for service in services)
        self.stopping = threading.Event()
        self.print_lock = threading.Lock()

    def say(self, service: Service | None, text: str) -> None:
        name = service.name if service else "runner"
        colour = service.colour if service else "1"
        stamp = time.strftime("%H:%M:%S")
        prefix = f"{stamp} {name:<{self.width}} |"
        if sys.stdout.isatty():
            prefix = f"\033[{colour}m{prefix}\033[0m"
        with self.print_lock:
            print(f"{prefix} {text}", flush=True)

    def start(self, service: Service) -> None:
        service.process = subprocess.Popen(
            ["sh", "-c", service.command],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        service.started_at = time.monotonic()
        service.output = threading.Thread(target=self._copy_output, args=(service,), daemon=True)
        service.output.start()
        self.say(service, f"started with pid {service.process.pid}")

    def _copy_output(self, service: Service) -> None:
        process = service.process
        if process is None or process.stdout is None:
            return
        for line in process.stdout:
            self.say(service, line.rstrip("\n"))

    def watch(self) -> None:
        """Restart what exits, until asked to stop."""
        restart_at: dict[str, float] = {}
        while not self.stopping.is_set():
            now = time.monotonic()
            for service in self.services:
                process = service.process
                if process is not None and process.poll() is not None:
                    if now - service.started_at >= STEADY_SECONDS:
                        service.pause = FIRST_PAUSE
                    self.say(
                        service,
                        f"exited with code {process.returncode}; "
                        f"restarting in {service.pause:.0f} s",
                    )
                    restart_at[service.name] = now + service.pause
                    service.pause = min(service.pause * 2, LONGEST_PAUSE)
                    service.process = None
                if service.process is None and now >= restart_at.get(service.name, 0):
                    service.restarts += 1
                    self.start(service)
            self.stopping.wait(0.2)

    def stop(self) -> None:
        self.stopping.set()
        running = [s for s in self.services if s.process and s.process.poll() is None]
        for service in running:
            self.say(service, "stopping")
            _signal_group(service.process, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for service in running:
            try:
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(service, f"still running after {GRACE_SECONDS:.0f} s: killing it")
                _signal_group(service.process, signal.SIGKILL)
                service.process.wait(timeout=5)


def _signal_group(process: subprocess.Popen, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, number)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.runner", description=__doc__)
    parser.add_argument("--procfile", type=Path, default=Path("Procfile"))
    args = parser.parse_args(argv)
    runner = Runner(procfile_read(args.procfile))

    def on_signal(number, frame):
        runner.stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    for service in runner.services:
        runner.start(service)
    try:
        runner.watch()
    finally:
        runner.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
