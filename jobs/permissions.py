"""Who may change jobs. Every recruiter sees every job (one agency per deployment, as with
contacts); changing a job, its intake and its pipeline belongs to its owner, a manager or an
admin."""

from django.db.models import QuerySet

from accounts.models import User
from jobs.models import Job


def can_change_job(user: User, job: Job) -> bool:
    return user.is_authenticated and (user.is_manager or job.owner_id == user.pk)


def can_undo_decision(user: User, decided_by_id: int | None) -> bool:
    """Who made a decision may undo it (within the window), and managers and admins."""
    return user.is_authenticated and (user.is_manager or decided_by_id == user.pk)


def jobs_changeable_by(user: User, jobs: QuerySet[Job]) -> QuerySet[Job]:
    """The object permission as a filter, for the API's querysets."""
    return jobs if user.is_manager else jobs.filter(owner=user)
