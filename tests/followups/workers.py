"""Celery worker processes for the follow-through tests: on the real broker and the test
database, with their own queue and the recording email backend (tests.followups.backends)."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from celery import Task

from crm.models import Heartbeat
from crm.tasks import heartbeat
from tests.helpers import celery_worker_start, kill, stop, wait_until


@dataclass
class Worker:
    process: subprocess.Popen
    queue: str
    record_path: Path
    log_path: Path

    def send(self, task: Task, **kwargs) -> None:
        task.apply_async(kwargs=kwargs, queue=self.queue)

    def drain(self) -> None:
        """Wait until the worker has run everything queued so far: it runs one task at a time,
        in order, so a heartbeat queued last has run after them."""
        before = Heartbeat.objects.filter(source="manual").values_list("runs", flat=True).first()
        self.send(heartbeat, source="manual")
        wait_until(
            lambda: Heartbeat.objects.filter(source="manual", runs=(before or 0) + 1).exists(),
            timeout=60,
            what=f"the worker to drain its queue (log: {self.log_path})",
        )

    def sent_keys(self) -> list[str]:
        if not self.record_path.exists():
            return []
        return self.record_path.read_text().split()

    def kill(self) -> None:
        kill(self.process)

    def stop(self) -> None:
        stop(self.process)


def worker_start(folder: Path, *, name: str, pool: str = "prefork", **env: str) -> Worker:
    queue = f"rapport-test-{name}"
    log_path = folder / f"{name}.log"
    record_path = folder / f"{name}.sent"
    process = celery_worker_start(
        queue=queue,
        hostname=f"{name}@%h",
        log_path=log_path,
        pool=pool,
        CELERY_QUEUE=queue,
        TEST_EMAIL_BACKEND="tests.followups.backends.RecordingBackend",
        RELAY_RECORD_FILE=str(record_path),
        **env,
    )
    return Worker(process=process, queue=queue, record_path=record_path, log_path=log_path)
