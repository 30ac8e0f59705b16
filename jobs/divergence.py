"""The split suggestion: do this job's interviewers want two different people?

Computed from feedback, per job. It fires when the pipeline has stalled (at least
`MIN_INTERVIEWS` candidates reached a client interview, none an offer) and the interviewers
diverge in either way:

- **disagreement**: two interviewers who saw the same candidates (at least `MIN_SHARED`) give
  recommendations two or more steps apart (a yes against a no) on most of them;
- **different criteria**: each interviewer's recommendations follow a different criterion. An
  interviewer's weight on a criterion sums, over their feedback, their recommendation (-2..2)
  times how strong the candidate is on it (the mean score of all feedback, centred on 3); their
  favourite is the criterion with the highest positive weight.

Three queries, for one job or many (`split_suggestion_map`): the stage counts, the feedback with
interviewers, their scores with criteria.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count, F, Q, QuerySet

from jobs.models import Candidacy, Feedback, FeedbackScore, Job, StageChange

MIN_INTERVIEWS = 3
MIN_SHARED = 2
APART = 2  # recommendation steps: yes (1) against no (-1)


@dataclass
class SplitSuggestion:
    interviews: int
    offers: int
    evidence: list[str] = field(default_factory=list)
    diverging: bool = False
    # The different people the interviewers want, each named by the criterion their
    # recommendations follow ("technical depth", "client-facing experience").
    profiles: list[str] = field(default_factory=list)
    # The job's owner, when read from its stage history (dashboards count per recruiter).
    owner_id: int | None = None

    @property
    def stalled(self) -> bool:
        return self.interviews >= MIN_INTERVIEWS and self.offers == 0

    @property
    def fires(self) -> bool:
        return self.stalled and self.diverging

    @property
    def summary(self) -> str:
        pipeline = f"{self.interviews} interviews, {self.offers} offers"
        return "; ".join([*self.evidence, pipeline])


def _criterion_name(text: str) -> str:
    return text[:1].lower() + text[1:]


def _pipeline_counts(jobs: QuerySet[Job]) -> dict[int, tuple[int, int, int]]:
    """Job id -> (owner id, candidacies that reached a client interview, an offer or placement)
    in that job, from the stage history (so closed and split-away candidacies count)."""
    rows = (
        StageChange.objects.filter(job__in=jobs.values("pk"), is_copy=False)
        .values("job_id", "job__owner_id")
        .annotate(
            interviews=Count(
                "candidacy",
                filter=Q(to_stage=Candidacy.Stage.CLIENT_INTERVIEW),
                distinct=True,
            ),
            offers=Count(
                "candidacy",
                filter=Q(to_stage__in=[Candidacy.Stage.OFFER, Candidacy.Stage.PLACED]),
                distinct=True,
            ),
        )
        .order_by()
    )
    return {row["job_id"]: (row["job__owner_id"], row["interviews"], row["offers"]) for row in rows}


def _feedback_by_job(jobs: QuerySet[Job]) -> dict[int, list[Feedback]]:
    """Each job's feedback in order, every item's scores (with criteria) in `item.score_list`:
    two queries whatever the number of jobs or feedback."""
    feedback = list(
        Feedback.objects.filter(candidacy__job__in=jobs.values("pk"))
        .select_related("interviewer")
        .annotate(job_id=F("candidacy__job_id"))
        .order_by("at", "id")
    )
    scores: dict[int, list[FeedbackScore]] = defaultdict(list)
    for score in FeedbackScore.objects.filter(
        feedback__candidacy__job__in=jobs.values("pk")
    ).select_related("criterion"):
        scores[score.feedback_id].append(score)
    by_job: dict[int, list[Feedback]] = defaultdict(list)
    for item in feedback:
        item.score_list = scores.get(item.pk, [])
        by_job[item.job_id].append(item)
    return by_job


def _disagreements(feedback: list[Feedback]) -> list[str]:
    # interviewer -> candidacy -> their latest recommendation value
    verdicts: dict[int, dict[int, int]] = defaultdict(dict)
    names: dict[int, str] = {}
    for item in feedback:
        verdicts[item.interviewer_id][item.candidacy_id] = item.recommendation_value
        names[item.interviewer_id] = item.interviewer.first_name
    evidence = []
    for first, second in combinations(sorted(verdicts), 2):
        shared = set(verdicts[first]) & set(verdicts[second])
        if len(shared) < MIN_SHARED:
            continue
        apart = sum(1 for pk in shared if abs(verdicts[first][pk] - verdicts[second][pk]) >= APART)
        if apart * 2 > len(shared):
            evidence.append(
                f"{names[first]} and {names[second]} disagree on {apart} of the "
                f"{len(shared)} candidates they both met"
            )
    return evidence


def _favourite_criteria(feedback: list[Feedback]) -> dict[str, str]:
    """Interviewer's first name -> the criterion their recommendations follow."""
    totals: dict[tuple[int, int], list[int]] = defaultdict(list)
    criteria: dict[int, str] = {}
    for item in feedback:
        for score in item.score_list:
            totals[(item.candidacy_id, score.criterion_id)].append(score.score)
            criteria[score.criterion_id] = score.criterion.text
    strength = {key: sum(values) / len(values) - 3 for key, values in totals.items()}
    weights: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    names: dict[int, str] = {}
    for item in feedback:
        names[item.interviewer_id] = item.interviewer.first_name
        for (candidacy_id, criterion_id), strong in strength.items():
            if candidacy_id == item.candidacy_id:
                weights[item.interviewer_id][criterion_id] += item.recommendation_value * strong
    favourites = {}
    for interviewer_id, by_criterion in sorted(weights.items()):
        criterion_id, weight = max(by_criterion.items(), key=lambda pair: (pair[1], -pair[0]))
        if weight > 0:
            favourites[names[interviewer_id]] = criteria[criterion_id]
    return favourites


def _suggestion(interviews: int, offers: int, feedback: list[Feedback]) -> SplitSuggestion:
    suggestion = SplitSuggestion(interviews=interviews, offers=offers)
    favourites = _favourite_criteria(feedback)
    if len(set(favourites.values())) > 1:
        suggestion.diverging = True
        suggestion.profiles = [_criterion_name(text) for text in dict.fromkeys(favourites.values())]
        suggestion.evidence.append(
            ", ".join(f"{name} rates {_criterion_name(text)}" for name, text in favourites.items())
        )
    disagreements = _disagreements(feedback)
    if disagreements:
        suggestion.diverging = True
        suggestion.evidence.extend(disagreements)
    return suggestion


def split_suggestion_map(*, jobs: QuerySet[Job]) -> dict[int, SplitSuggestion]:
    """The split suggestion of every job in `jobs` that has a stage history or feedback, by job
    id (a job with neither has nothing to suggest). Three queries however many jobs: the stage
    counts, the feedback, the scores."""
    counts = _pipeline_counts(jobs)
    feedback = _feedback_by_job(jobs)
    suggestions = {}
    for job_id in sorted(counts.keys() | feedback.keys()):
        owner_id, interviews, offers = counts.get(job_id, (None, 0, 0))
        suggestion = _suggestion(interviews, offers, feedback.get(job_id, []))
        suggestion.owner_id = owner_id
        suggestions[job_id] = suggestion
    return suggestions


def split_suggestion_get(*, job: Job) -> SplitSuggestion:
    """The split suggestion for `job`, with its evidence in plain words."""
    found = split_suggestion_map(jobs=Job.objects.filter(pk=job.pk)).get(job.pk)
    return found or SplitSuggestion(interviews=0, offers=0)
