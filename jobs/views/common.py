"""What the jobs pages share: loading with a 404."""

from django.http import Http404

from jobs import selectors
from jobs.models import Candidacy, Job


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
