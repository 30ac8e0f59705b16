"""The simulated clock across processes, for `bench.simulate` (never used by the product).

time-machine moves the clock of one process only; the workers of a simulated year run in their
own. The simulator writes the simulated moment to its own Redis (`CLOCK_KEY`, an ISO datetime)
before it sends a step's tasks, and a worker started as

    celery -A bench.sim_worker worker ...

(the project's Celery app, `crm.celery.app`, with the signal handlers below) travels to that
moment before each task (`task_prerun`, time-machine with the clock ticking from there) and
comes back after it (`task_postrun`). Everything a task does then happens "at" the step: the
`at` it is passed, `timezone.now()`, the rows' `created_at`, the relay's lease and time limits.

The simulator also needs to know when a step's work is done, chains included (the planner kicks
the relay, a full relay batch re-queues itself). Every process counts the tasks it publishes
(`before_task_publish`: `PUBLISHED_KEY`) and every worker the tasks it finished, failed or not
(`task_postrun`: `FINISHED_KEY`); the step is done when the two are equal. Each worker says
when it is ready (`READY_KEY`). Failures are counted apart (`FAILED_KEY`), the last error kept
(`ERROR_KEY`).
"""

from __future__ import annotations

import os
import time
from datetime import datetime

from celery.signals import (
    before_task_publish,
    task_failure,
    task_postrun,
    task_prerun,
    worker_ready,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

from crm.celery import app  # noqa: E402 - after the settings module is chosen

CLOCK_KEY = "simulate:now"
PUBLISHED_KEY = "simulate:published"
FINISHED_KEY = "simulate:finished"
FAILED_KEY = "simulate:failed"
ERROR_KEY = "simulate:error"
READY_KEY = "simulate:ready"  # workers ready to take tasks
TASK_SECONDS_KEY = "simulate:task_seconds"  # a hash: task name -> seconds spent in it
TASK_COUNT_KEY = "simulate:task_count"  # a hash: task name -> runs

__all__ = ["app"]

_redis = None
_travel = None
_started = 0.0


def clock_redis():
    """A redis-py client on the run's Redis (REDIS_URL: the simulator's own server)."""
    global _redis
    if _redis is None:
        import redis

        _redis = redis.Redis.from_url(os.environ["REDIS_URL"])
    return _redis


def simulated_now() -> datetime | None:
    value = clock_redis().get(CLOCK_KEY)
    return datetime.fromisoformat(value.decode()) if value else None


def count_published(**_) -> None:
    clock_redis().incr(PUBLISHED_KEY)


def _travel_in(**_) -> None:
    global _travel, _started
    _started = time.perf_counter()
    moment = simulated_now()
    if moment is None:
        return
    import time_machine

    _travel = time_machine.travel(moment, tick=True)
    _travel.start()


def _travel_back(sender=None, **_) -> None:
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None
    name = getattr(sender, "name", str(sender))
    pipe = clock_redis().pipeline(transaction=False)
    pipe.hincrbyfloat(TASK_SECONDS_KEY, name, time.perf_counter() - _started)
    pipe.hincrby(TASK_COUNT_KEY, name, 1)
    pipe.incr(FINISHED_KEY)
    pipe.execute()


def _failed(sender=None, exception=None, **_) -> None:
    client = clock_redis()
    client.incr(FAILED_KEY)
    client.set(ERROR_KEY, f"{getattr(sender, 'name', sender)}: {exception!r}"[:2000])


def _ready(**_) -> None:
    clock_redis().incr(READY_KEY)


def connect_worker_signals() -> None:
    before_task_publish.connect(count_published, weak=False)
    task_prerun.connect(_travel_in, weak=False)
    task_postrun.connect(_travel_back, weak=False)
    task_failure.connect(_failed, weak=False)
    worker_ready.connect(_ready, weak=False)


# Imported by `celery -A bench.sim_worker`: only a worker started for a simulation loads this.
if os.environ.get("RAPPORT_SIMULATION_WORKER") == "1":
    connect_worker_signals()
