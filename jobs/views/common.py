"""What the jobs pages share: loading with a 404, and the change permission as a 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from jobs import selectors
from jobs.models import Candidacy, Job
from jobs.permissions import can_change_job


def job_or_404(pk: int) -> Job:
    try:
        return selectors.job_get(job_id=pk)
    except Job.DoesNotExist as error:
        raise Http404(f"There is no job number {pk}.") from error


def candidacy_or_404(pk: int) -> Candidacy:
    try:
        return selectors.candidacy_get(candidacy_id=pk)
    except Candidacy.DoesNotExist as error:
        raise Http404(f"There is no candidacy number {pk}.") from error


def job_change_check(request: HttpRequest, job: Job) -> None:
    if not can_change_job(request.user, job):
        raise PermissionDenied("Only the job's owner, a manager or an admin changes this job.")
