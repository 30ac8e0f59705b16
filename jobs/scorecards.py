"""Interviewer feedback as the pages show it: the job's matrix (candidates × interviewers ×
criteria), each candidacy's scorecards on the contact's candidacies, and the split form's route
for each candidate, read from the scores and explained.

An interviewer's latest scorecard on a candidacy is the one that counts. Two queries each (the
scorecards with candidate and interviewer, their scores), however many rows.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch

from contacts.models import Contact
from jobs.models import Candidacy, Feedback, FeedbackScore, IntakeItem, Job
from jobs.services.splitting import ROUTE_A, ROUTE_B, ROUTE_BOTH

# A candidate this strong (mean score, 1-5) on both sides' criteria goes to both jobs.
BOTH_AT = 4


def _latest(feedback: Iterable[Feedback]) -> dict[tuple[int, int], Feedback]:
    """(candidacy id, interviewer id) -> the latest scorecard (`feedback` oldest first)."""
    return {(item.candidacy_id, item.interviewer_id): item for item in feedback}


def _feedback(**filters) -> list[Feedback]:
    return list(
        Feedback.objects.filter(**filters)
        .select_related("interviewer", "candidacy__contact")
        .defer("interviewer__search_vector", "candidacy__contact__search_vector")
        .prefetch_related(
            Prefetch("scores", queryset=FeedbackScore.objects.select_related("criterion"))
        )
        .order_by("at", "id")
    )


# --- the job page's matrix -----------------------------------------------------------------------


@dataclass
class Scorecard:
    recommendation: str  # its label, "Strong yes"
    value: int  # -2..2
    scores: list[int | None]  # per criterion of the matrix, in order


@dataclass
class MatrixRow:
    candidacy: Candidacy
    cards: list[Scorecard | None]  # per interviewer of the matrix, in order


@dataclass
class FeedbackMatrix:
    criteria: list[IntakeItem]
    interviewers: list[Contact]
    rows: list[MatrixRow]

    @property
    def span(self) -> int:
        """Columns per interviewer: the recommendation and a score per criterion."""
        return len(self.criteria) + 1


def job_feedback_matrix(*, job: Job, criteria: Sequence[IntakeItem]) -> FeedbackMatrix:
    """Every candidate of the job with a scorecard (open or closed), by name; every interviewer
    who gave one, by name; the job's criteria (prefetched with the job, no query)."""
    latest = _latest(_feedback(candidacy__job=job))
    interviewers = {item.interviewer_id: item.interviewer for item in latest.values()}
    candidacies = {item.candidacy_id: item.candidacy for item in latest.values()}
    ordered = sorted(interviewers.values(), key=lambda c: (c.sort_name, c.pk))
    rows = []
    for candidacy in sorted(candidacies.values(), key=lambda c: (c.contact.sort_name, c.pk)):
        cards = []
        for interviewer in ordered:
            item = latest.get((candidacy.pk, interviewer.pk))
            if item is None:
                cards.append(None)
                continue
            given = {score.criterion_id: score.score for score in item.scores.all()}
            cards.append(
                Scorecard(
                    recommendation=item.get_recommendation_display(),
                    value=item.recommendation_value,
                    scores=[given.get(criterion.pk) for criterion in criteria],
                )
            )
        rows.append(MatrixRow(candidacy=candidacy, cards=cards))
    return FeedbackMatrix(criteria=list(criteria), interviewers=ordered, rows=rows)


# --- a candidacy's scorecards, in words ----------------------------------------------------------


def scorecard_sentence(item: Feedback) -> str:
    """ "Ana Silva: Yes (Technical depth 5, Client-facing experience 2)"."""
    ordered = sorted(item.scores.all(), key=lambda s: (s.criterion.kind, s.criterion.position))
    scores = ", ".join(f"{score.criterion.text} {score.score}" for score in ordered)
    verdict = item.get_recommendation_display()
    return f"{item.interviewer}: {verdict}" + (f" ({scores})" if scores else "")


def candidacy_scorecards(*, candidacy_ids: Sequence[int]) -> dict[int, list[str]]:
    """Candidacy id -> each interviewer's latest scorecard in a sentence, by interviewer name."""
    if not candidacy_ids:
        return {}
    latest = _latest(_feedback(candidacy_id__in=list(candidacy_ids)))
    sentences: dict[int, list[str]] = defaultdict(list)
    for item in sorted(latest.values(), key=lambda f: (f.interviewer.sort_name, f.interviewer_id)):
        sentences[item.candidacy_id].append(scorecard_sentence(item))
    return dict(sentences)


# --- the split form's routes ---------------------------------------------------------------------


@dataclass
class RouteHint:
    route: str
    why: str
    scorecards: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join([f"{self.why}.", *(f"{card}." for card in self.scorecards)])


def _sides(latest: dict[tuple[int, int], Feedback]) -> tuple[IntakeItem, IntakeItem] | None:
    """The two criteria the interviewers' verdicts follow (the split suggestion's "Ana rates
    technical depth, Ben rates client-facing experience"): the first job takes the first, the
    second the other. None when the verdicts do not part on criteria."""
    strength: dict[tuple[int, int], list[int]] = defaultdict(list)
    criteria: dict[int, IntakeItem] = {}
    for item in latest.values():
        for score in item.scores.all():
            strength[(item.candidacy_id, score.criterion_id)].append(score.score)
            criteria[score.criterion_id] = score.criterion
    weights: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for item in latest.values():
        for (candidacy_id, criterion_id), scores in strength.items():
            if candidacy_id == item.candidacy_id:
                mean = sum(scores) / len(scores) - 3
                weights[item.interviewer_id][criterion_id] += item.recommendation_value * mean
    favourites: list[int] = []
    for _, by_criterion in sorted(weights.items()):
        criterion_id, weight = max(by_criterion.items(), key=lambda pair: (pair[1], -pair[0]))
        if weight > 0 and criterion_id not in favourites:
            favourites.append(criterion_id)
    if len(favourites) < 2:
        return None
    return criteria[favourites[0]], criteria[favourites[1]]


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _name(criterion: IntakeItem) -> str:
    return criterion.text[:1].lower() + criterion.text[1:]


def split_route_hints(*, job: Job, candidacies: Sequence[Candidacy]) -> dict[int, RouteHint]:
    """Candidacy id -> the side its scores point to, and why: stronger on the first job's
    criterion goes there, on the second's there, strong (4+) on both goes to both."""
    latest = _latest(_feedback(candidacy__job=job))
    sides = _sides(latest)
    by_candidacy: dict[int, list[Feedback]] = defaultdict(list)
    for item in sorted(latest.values(), key=lambda f: (f.interviewer.sort_name, f.interviewer_id)):
        by_candidacy[item.candidacy_id].append(item)
    hints = {}
    for candidacy in candidacies:
        cards = by_candidacy.get(candidacy.pk, [])
        sentences = [scorecard_sentence(item) for item in cards]
        if sides is None:
            why = (
                "No split in the scores to route by: choose"
                if cards
                else "No scorecards yet: choose"
            )
            hints[candidacy.pk] = RouteHint(ROUTE_A, why, sentences)
            continue
        first, second = sides
        a = _mean([s.score for f in cards for s in f.scores.all() if s.criterion_id == first.pk])
        b = _mean([s.score for f in cards for s in f.scores.all() if s.criterion_id == second.pk])
        hints[candidacy.pk] = RouteHint(*_route(first, a, second, b), sentences)
    return hints


def _route(first: IntakeItem, a: float | None, second: IntakeItem, b: float | None):
    named = f"{_name(first)} ({a:.1f})" if a is not None else ""
    other = f"{_name(second)} ({b:.1f})" if b is not None else ""
    if a is None and b is None:
        return ROUTE_A, f"Not scored on {_name(first)} or {_name(second)}: choose"
    if a is not None and b is not None:
        if a >= BOTH_AT and b >= BOTH_AT:
            return ROUTE_BOTH, f"Strong on both {named} and {other}: both jobs"
        if a > b:
            return ROUTE_A, f"Stronger on {named} than {other}: the first job"
        if b > a:
            return ROUTE_B, f"Stronger on {other} than {named}: the second job"
        return ROUTE_A, f"Even on {named} and {other}: choose"
    if a is not None:
        return ROUTE_A, f"Scored on {named} only: the first job"
    return ROUTE_B, f"Scored on {other} only: the second job"
