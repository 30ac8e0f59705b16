"""What the jobs pages share: loading with a 404."""

from collections.abc import Iterable
from datetime import timedelta

from django.http import Http404, HttpRequest
from django.utils import timezone

from jobs import selectors, services
from jobs.models import Candidacy, Job
from jobs.permissions import can_undo_decision


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


def undo_marks(
    request: HttpRequest, candidacies: Iterable[Candidacy], *, window: timedelta | None = None
) -> None:
    """Mark each candidacy (annotated with `decided_by_id`, with its job's owner loaded) the user
    may undo the decision of now: `can_undo`, and `undo_until`, the end of its undo window."""
    now = timezone.now()
    window = window if window is not None else services.undo_window()
    for candidacy in candidacies:
        deadline = services.decision_undo_deadline(candidacy, window=window)
        candidacy.undo_until = deadline
        candidacy.can_undo = (
            deadline is not None
            and now <= deadline
            and can_undo_decision(
                request.user, getattr(candidacy, "decided_by_id", None), candidacy.job
            )
        )
