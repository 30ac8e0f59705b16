"""Who may change a job, its intake and its pipeline: the one check every jobs service makes,
and the one the change pages make before they show their form."""

from django.core.exceptions import PermissionDenied

from accounts.models import User
from jobs.models import Job
from jobs.permissions import can_change_job


def job_change_check(*, job: Job, user: User | None) -> None:
    """PermissionDenied unless `user` may change `job`. `user=None` is the system (the
    follow-through engine, demo data), which may."""
    if user is not None and not can_change_job(user, job):
        raise PermissionDenied("Only the job's owner, a manager or an admin changes this job.")
