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

Three queries: the feedback with interviewers, their scores with criteria, the stage counts.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count, Prefetch, Q

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


def _feedback_list(job: Job) -> list[Feedback]:
    return list(
        Feedback.objects.filter(candidacy__job=job)
        .select_related("interviewer")
        .prefetch_related(
            Prefetch("scores", queryset=FeedbackScore.objects.select_related("criterion"))
        )
        .order_by("at", "id")
    )


def _pipeline_counts(job: Job) -> tuple[int, int]:
    """Candidacies that reached a client interview, and an offer or placement, in this job
    (from the stage history, so closed and split-away candidacies count)."""
    counts = StageChange.objects.filter(job=job, is_copy=False).aggregate(
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
    return counts["interviews"], counts["offers"]


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
        for score in item.scores.all():
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


def split_suggestion_get(*, job: Job) -> SplitSuggestion:
    """The split suggestion for `job`, with its evidence in plain words."""
    interviews, offers = _pipeline_counts(job)
    suggestion = SplitSuggestion(interviews=interviews, offers=offers)
    feedback = _feedback_list(job)
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
