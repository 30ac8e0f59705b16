"""The planners: each one set-based SQL statement that inserts the obligations that are missing,
keyed by a unique idempotency key, so running them twice (or on two workers at once) creates
nothing twice. `plan_all` runs them all; the beat task `followups.plan` calls it every minute.

Messages are planned unrendered (template kind + contact, job, candidacy): the relay renders them
when they leave, and the preview renders on demand (see followups.content).
"""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from followups.models import PlannerRun, Policy
from followups.planners import followups, messages
from followups.services import call_instead_plan

logger = logging.getLogger(__name__)

RUN_NAME = "followups.plan"
# The PostgreSQL advisory lock that makes planning single-flight: held by the session of the run
# in progress and released by PostgreSQL if that process dies, so a crash never leaves it behind.
LOCK_KEY = 7_316_001


@dataclass
class PlanResult:
    status_updates: int = 0
    closures: int = 0
    jobs_closed: int = 0
    digests: int = 0
    cadence_followups: int = 0
    chase_followups: int = 0
    call_instead_followups: int = 0
    skipped: bool = False

    @property
    def messages(self) -> int:
        return self.status_updates + self.closures + self.jobs_closed + self.digests


def plan_all(*, now: datetime) -> PlanResult:
    """Run every planner unless another run holds the planning lock: then return at once."""
    if not _lock_try():
        _run_skipped_record()
        logger.info("planning skipped: another run is still in progress")
        return PlanResult(skipped=True)
    try:
        _run_started_record()
        result = _plan_every_obligation(now=now)
        _run_finished_record(result)
        return result
    finally:
        _lock_release()


def _plan_every_obligation(*, now: datetime) -> PlanResult:
    """Each planner commits its own work: the big ones a chunk at a time (planners.sql)."""
    policy = Policy.current()
    result = PlanResult()
    steps = [
        ("status_updates", messages.status_updates_plan),
        ("closures", messages.closures_plan),
        ("jobs_closed", messages.jobs_closed_plan),
        ("digests", messages.digests_plan),
        ("cadence_followups", followups.cadence_followups_plan),
        ("chase_followups", followups.chase_followups_plan),
    ]
    for name, planner in steps:
        setattr(result, name, planner(now=now, policy=policy))
    with transaction.atomic():
        result.call_instead_followups = call_instead_plan(now=now)
    return result


def _lock_try() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _lock_release() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _run_started_record() -> None:
    PlannerRun.objects.update_or_create(name=RUN_NAME, defaults={"started_at": timezone.now()})


def _run_finished_record(result: PlanResult) -> None:
    planned = {key: value for key, value in asdict(result).items() if key != "skipped"}
    PlannerRun.objects.filter(name=RUN_NAME).update(finished_at=timezone.now(), planned=planned)


def _run_skipped_record() -> None:
    updated = PlannerRun.objects.filter(name=RUN_NAME).update(
        skipped_at=timezone.now(), skipped=F("skipped") + 1
    )
    if not updated:
        PlannerRun.objects.get_or_create(
            name=RUN_NAME, defaults={"skipped_at": timezone.now(), "skipped": 1}
        )
