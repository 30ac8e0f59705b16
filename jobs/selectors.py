"""Reads over jobs shared by the pages and the API; each is a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from contacts.models import Contact
from core.cursors import InvalidCursor, cursor_decode, cursor_encode
from jobs.models import (
    Candidacy,
    Feedback,
    FeedbackScore,
    IntakeItem,
    Job,
    StageChange,
    intake_completeness,
)
from jobs.permissions import jobs_changeable_by

__all__ = ["InvalidCursor"]

JOB_PAGE_SIZE = 50
# An active job is stalled when none of its candidacies moved for this long.
STALL_DAYS = 14
BOARD_STAGES = [stage for stage in Candidacy.Stage if stage != Candidacy.Stage.PLACED]
CONTACT_CANDIDACY_LIMIT = 20


@dataclass(frozen=True)
class JobFilters:
    status: str = ""
    owner: int | None = None
    organization: int | None = None
    stalled: bool = False


@dataclass
class JobPage:
    jobs: list[Job]
    next_cursor: str | None


def job_stalled_condition() -> Q:
    cutoff = timezone.now() - timedelta(days=STALL_DAYS)
    recent_move = StageChange.objects.filter(job_id=OuterRef("pk"), at__gte=cutoff)
    return Q(~Exists(recent_move), status=Job.Status.OPEN, opened_at__lt=cutoff)


def open_candidacy_count() -> Coalesce:
    """A job's open candidacies as an annotation: a counting subquery, so no join fan-out."""
    counted = (
        Candidacy.objects.open()
        .filter(job_id=OuterRef("pk"))
        .order_by()
        .values("job_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def job_queryset(filters: JobFilters | None = None) -> QuerySet[Job]:
    """Jobs matching `filters`, with client and owner joined and their open candidacies counted
    in a subquery (no join fan-out)."""
    filters = filters or JobFilters()
    queryset = (
        Job.objects.select_related("organization", "owner")
        .defer("organization__search_vector")
        .annotate(
            open_candidacies=open_candidacy_count(),
            is_stalled=job_stalled_condition(),
        )
    )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.owner:
        queryset = queryset.filter(owner_id=filters.owner)
    if filters.organization:
        queryset = queryset.filter(organization_id=filters.organization)
    if filters.stalled:
        queryset = queryset.filter(job_stalled_condition())
    return queryset.order_by("-id")


def job_cursor_decode(cursor: str) -> int:
    (pk,) = cursor_decode(cursor, length=1)
    if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk < 2**63:
        raise InvalidCursor
    return pk


def job_list(
    *, filters: JobFilters, after: str | None = None, limit: int = JOB_PAGE_SIZE
) -> JobPage:
    """One page of jobs, newest first, keyset-paginated on id (no COUNT)."""
    queryset = job_queryset(filters)
    if after:
        queryset = queryset.filter(pk__lt=job_cursor_decode(after))
    rows = list(queryset[: limit + 1])
    jobs = rows[:limit]
    return JobPage(
        jobs=jobs, next_cursor=cursor_encode([jobs[-1].pk]) if len(rows) > limit else None
    )


def job_get(*, job_id: int) -> Job:
    """A job with its client, owner, hiring manager, source job, intake items and interviewers."""
    return (
        Job.objects.select_related("organization", "owner", "hiring_manager", "split_from")
        .defer("organization__search_vector")
        .prefetch_related(
            Prefetch("intake_items", queryset=IntakeItem.objects.order_by("kind", "position")),
            "interviewers",
        )
        .get(pk=job_id)
    )


def job_intake_sections(job: Job) -> dict[str, list[IntakeItem]]:
    """The prefetched intake items by kind (every kind present, maybe empty)."""
    sections: dict[str, list[IntakeItem]] = {kind.value: [] for kind in IntakeItem.Kind}
    for item in job.intake_items.all():
        sections[item.kind].append(item)
    return sections


def job_intake_completeness(job: Job) -> tuple[int, list[str]]:
    return intake_completeness({item.kind for item in job.intake_items.all()})


def job_criteria(job: Job) -> list[IntakeItem]:
    return [item for item in job.intake_items.all() if item.is_criterion]


def job_pipeline_summary(*, job: Job) -> list[dict]:
    """Open candidacies per stage, every stage listed, in pipeline order."""
    counts = dict(
        Candidacy.objects.open()
        .filter(job=job)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    return [
        {"stage": stage.value, "label": stage.label, "count": counts.get(stage.value, 0)}
        for stage in BOARD_STAGES
    ]


def job_sibling_list(*, job: Job) -> list[Job]:
    return list(Job.objects.filter(split_from=job).order_by("id"))


def candidacy_board_list(*, job: Job, placed: bool = False) -> list[Candidacy]:
    """The job's open candidacies with their contact, by time in stage; with `placed`, its
    placed candidacies too (the board's last column)."""
    shown = Q(decided_at__isnull=True)
    if placed:
        shown |= Q(outcome=Candidacy.Outcome.PLACED)
    return list(
        Candidacy.objects.filter(shown, job=job)
        .select_related("contact")
        .defer("contact__search_vector")
        .order_by("stage_entered_at", "id")
    )


def candidacy_board_columns(candidacies: list[Candidacy]) -> list[dict]:
    """A column per stage, "Placed" last."""
    by_stage: dict[str, list[Candidacy]] = {stage.value: [] for stage in Candidacy.Stage}
    for candidacy in candidacies:
        by_stage[candidacy.stage].append(candidacy)
    return [
        {"stage": stage.value, "label": stage.label, "candidacies": by_stage[stage.value]}
        for stage in Candidacy.Stage
    ]


def decided_by_subquery() -> Subquery:
    """The user who made the decision that closed the candidacy (its last change with an
    outcome), as an annotation: whether they may undo it."""
    return Subquery(
        StageChange.objects.filter(candidacy_id=OuterRef("pk"))
        .exclude(outcome="")
        .order_by("-at", "-id")
        .values("by_id")[:1]
    )


def candidacy_recently_decided_list(*, job: Job, since: datetime) -> list[Candidacy]:
    """The job's candidacies closed by a decision of their own since `since` (the undo window),
    latest first, with their contact and who decided (`decided_by_id`)."""
    return list(
        Candidacy.objects.filter(job=job, decided_at__gte=since)
        .exclude(outcome__in=[Candidacy.Outcome.JOB_FILLED, Candidacy.Outcome.JOB_CANCELLED])
        .select_related("contact", "job__owner")
        .defer("contact__search_vector")
        .annotate(decided_by_id=decided_by_subquery())
        .order_by("-decided_at", "-id")
    )


def candidacy_get(*, candidacy_id: int) -> Candidacy:
    return Candidacy.objects.select_related("job", "contact").get(pk=candidacy_id)


def candidacy_contact_list(
    *, contact: Contact, limit: int = CONTACT_CANDIDACY_LIMIT
) -> list[Candidacy]:
    """A contact's candidacies, open first then the latest decided, with job and client."""
    return list(
        Candidacy.objects.filter(contact=contact)
        .select_related("job__organization", "job__owner")
        .defer("job__organization__search_vector")
        .annotate(decided_by_id=decided_by_subquery())
        .order_by(Coalesce("decided_at", Value(timezone.now())).desc(), "-id")[:limit]
    )


def job_choice_list(*, changeable_by: User | None = None, limit: int = 200) -> list[Job]:
    """Active jobs to choose from (adding a candidate), newest first, capped; `changeable_by`:
    only the jobs that user may change."""
    jobs = (
        Job.objects.all()
        if changeable_by is None
        else jobs_changeable_by(changeable_by, Job.objects.all())
    )
    return list(
        jobs.filter(status__in=[Job.Status.OPEN, Job.Status.INTAKE, Job.Status.ON_HOLD])
        .select_related("organization")
        .defer("organization__search_vector")
        .order_by("-id")[:limit]
    )


def interviewer_choice_list(*, job: Job, limit: int = 200) -> list[Contact]:
    """Who may have interviewed for `job`: its interviewers and hiring manager, then up to
    `limit` people at the client by name (job from job_get, interviewers prefetched)."""
    interviewers = {contact.pk: contact for contact in job.interviewers.all()}
    if job.hiring_manager:
        interviewers.setdefault(job.hiring_manager.pk, job.hiring_manager)
    colleagues = Contact.objects.filter(organization_id=job.organization_id).defer("search_vector")
    for contact in colleagues.order_by("sort_name", "id")[:limit]:
        interviewers.setdefault(contact.pk, contact)
    return list(interviewers.values())


# --- the API's reads -----------------------------------------------------------------------------


def job_api_queryset(
    *, status: str = "", owner_id: int | None = None, organization_id: int | None = None
) -> QuerySet[Job]:
    """Jobs as the API shows them, with client, owner, intake items in order and interviewers
    (a fixed number of queries a page)."""
    queryset = (
        Job.objects.select_related("organization", "owner")
        .defer("organization__search_vector")
        .prefetch_related(
            Prefetch("intake_items", queryset=IntakeItem.objects.order_by("kind", "position")),
            "interviewers",
        )
    )
    if status:
        queryset = queryset.filter(status=status)
    if owner_id is not None:
        queryset = queryset.filter(owner_id=owner_id)
    if organization_id is not None:
        queryset = queryset.filter(organization_id=organization_id)
    return queryset


def job_changeable_queryset(*, user: User) -> QuerySet[Job]:
    """The jobs `user` may change: the API loads a change's job from here, so another
    recruiter's job is a 404 there (the services check again)."""
    return jobs_changeable_by(user, Job.objects.all())


def candidacy_api_queryset(
    *,
    job_id: int | None = None,
    contact_id: int | None = None,
    is_open: bool | None = None,
    changeable_by: User | None = None,
) -> QuerySet[Candidacy]:
    """Candidacies with contact and job; `changeable_by`: only those in jobs that user changes."""
    queryset = Candidacy.objects.select_related("contact", "job").defer("contact__search_vector")
    if job_id:
        queryset = queryset.filter(job_id=job_id)
    if contact_id:
        queryset = queryset.filter(contact_id=contact_id)
    if is_open is True:
        queryset = queryset.open()
    elif is_open is False:
        queryset = queryset.closed()
    if changeable_by is not None:
        queryset = queryset.filter(job__in=job_changeable_queryset(user=changeable_by))
    return queryset


def stage_change_list(*, candidacy: Candidacy) -> QuerySet[StageChange]:
    """Every stage change of a candidacy, oldest first, with who made it."""
    return StageChange.objects.filter(candidacy=candidacy).select_related("by").order_by("at", "id")


def feedback_api_queryset(
    *, job_id: int | None = None, candidacy_id: int | None = None
) -> QuerySet[Feedback]:
    """Scorecards with the interviewer and each score's criterion."""
    queryset = (
        Feedback.objects.select_related("interviewer")
        .defer("interviewer__search_vector")
        .prefetch_related(
            Prefetch("scores", queryset=FeedbackScore.objects.select_related("criterion"))
        )
    )
    if job_id:
        queryset = queryset.filter(candidacy__job_id=job_id)
    if candidacy_id:
        queryset = queryset.filter(candidacy_id=candidacy_id)
    return queryset
