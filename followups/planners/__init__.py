"""The planners: each one set-based SQL statement that inserts the obligations that are missing,
keyed by a unique idempotency key, so running them twice (or on two workers at once) creates
nothing twice. `plan_all` runs them all; the beat task `followups.plan` calls it every minute.

Messages are planned unrendered (template kind + contact, job, candidacy): the relay renders them
when they leave, and the preview renders on demand (see followups.content).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from followups.models import Policy
from followups.planners import followups, messages
from followups.services import call_instead_plan


@dataclass
class PlanResult:
    status_updates: int = 0
    closures: int = 0
    jobs_closed: int = 0
    digests: int = 0
    cadence_followups: int = 0
    chase_followups: int = 0
    call_instead_followups: int = 0

    @property
    def messages(self) -> int:
        return self.status_updates + self.closures + self.jobs_closed + self.digests


def plan_all(*, now: datetime) -> PlanResult:
    """Run every planner, each in its own transaction."""
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
        with transaction.atomic():
            setattr(result, name, planner(now=now, policy=policy))
    with transaction.atomic():
        result.call_instead_followups = call_instead_plan(now=now)
    return result
