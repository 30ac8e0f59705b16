"""Jobs with a split suggestion: the one figure computed outside SQL, by jobs.divergence's
reading of the interviewers' feedback, on the few jobs whose pipeline has stalled."""

from django.db.models import Count, Q, QuerySet

from jobs.divergence import MIN_INTERVIEWS, SplitSuggestion, split_suggestion_map
from jobs.models import Candidacy, Job


def split_candidate_jobs(*, owner_ids: list[int] | None) -> QuerySet[Job]:
    """Active jobs of these owners whose pipeline has stalled (enough interviews, no offer): the
    only ones a split suggestion can fire on."""
    jobs = Job.objects.filter(status__in=list(Job.ACTIVE_STATUSES))
    if owner_ids is not None:
        jobs = jobs.filter(owner_id__in=owner_ids)
    history = Q(stage_changes__is_copy=False)
    return jobs.annotate(
        interviews=Count(
            "stage_changes__candidacy",
            filter=history & Q(stage_changes__to_stage=Candidacy.Stage.CLIENT_INTERVIEW),
            distinct=True,
        ),
        offers=Count(
            "stage_changes__candidacy",
            filter=history
            & Q(stage_changes__to_stage__in=[Candidacy.Stage.OFFER, Candidacy.Stage.PLACED]),
            distinct=True,
        ),
    ).filter(interviews__gte=MIN_INTERVIEWS, offers=0)


def split_suggestion_fired(*, owner_ids: list[int] | None) -> dict[int, SplitSuggestion]:
    """Job id -> its split suggestion, for the owners' jobs (everyone's when None) whose
    suggestion fires: three queries."""
    suggestions = split_suggestion_map(jobs=split_candidate_jobs(owner_ids=owner_ids))
    return {job_id: s for job_id, s in suggestions.items() if s.fires}
