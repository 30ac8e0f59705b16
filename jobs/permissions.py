"""Who may change jobs. Every recruiter sees every job (one agency per deployment, as with
contacts); changing a job, its intake and its pipeline belongs to its owner, their manager or an
admin (accounts.rules)."""

from django.db.models import QuerySet

from accounts.models import User
from accounts.rules import acts_for_owner_of, acts_for_q
from jobs.models import Job


def can_change_job(user: User, job: Job) -> bool:
    return acts_for_owner_of(user, job)


def can_undo_decision(user: User, decided_by_id: int | None, job: Job) -> bool:
    """Who made a decision may undo it (within the window), and a manager over the job's owner
    (their team's) or an admin: not another team's manager."""
    if not user.is_authenticated:
        return False
    if decided_by_id is not None and decided_by_id == user.pk:
        return True
    return user.is_manager and acts_for_owner_of(user, job)


def jobs_changeable_by(user: User, jobs: QuerySet[Job]) -> QuerySet[Job]:
    """The object permission as a filter, for the API's querysets."""
    return jobs.filter(acts_for_q(user, "owner"))
