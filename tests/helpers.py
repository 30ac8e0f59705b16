"""Small test helpers: waiting on a condition with a deadline, never a fixed sleep; the
statements a piece of code runs."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import connection
from django.test.utils import CaptureQueriesContext

T = TypeVar("T")


def wait_until(condition: Callable[[], T], *, timeout: float = 30, what: str = "condition") -> T:
    """Return the first truthy value of `condition()`, polling until `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        pause.wait(0.05)


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL run inside the block, in order, without the savepoints `atomic` adds: what a
    service writes, whatever transaction it runs in."""
    captured: list[str] = []
    with CaptureQueriesContext(connection) as context:
        yield captured
    captured.extend(
        query["sql"]
        for query in context.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    )
