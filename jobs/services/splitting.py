"""Split a job whose interviewers want two different people into two sibling jobs.

The original's open candidacies move to A or B as routed (their stage changes and feedback go
with them); one routed to both moves to A and gets a copy in B, with copies of its stage changes.
Stage changes keep the job they happened in, so reports on the original still count them.
"""

from collections.abc import Callable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from jobs.models import Candidacy, IntakeItem, Job, StageChange
from jobs.services.access import job_change_check
from relationships.models import Interaction
from relationships.services import interaction_log

ROUTE_A = "a"
ROUTE_B = "b"
ROUTE_BOTH = "both"
ROUTES = (ROUTE_A, ROUTE_B, ROUTE_BOTH)

SIBLING_FIELDS = (
    "organization_id",
    "hiring_manager_id",
    "owner_id",
    "location",
    "compensation_min",
    "compensation_max",
    "currency",
    "client_alias",
    "status",
    "opened_at",
    "intake_signed_off_on",
)


# Later apps move their own open work to the new jobs (scheduled messages about a routed
# candidacy): `mover(original, job_a, job_b)` runs inside the split's transaction, after every
# candidacy has moved.
SplitMover = Callable[[Job, Job, Job], None]
_split_movers: dict[str, SplitMover] = {}


def split_mover_register(name: str, mover: SplitMover) -> None:
    _split_movers[name] = mover


def _sibling_create(job: Job, title: str) -> Job:
    sibling = Job(title=title.strip(), split_from=job, openings=1)
    for field in SIBLING_FIELDS:
        setattr(sibling, field, getattr(job, field))
    sibling.full_clean()
    sibling.save()
    sibling.interviewers.set(job.interviewers.all())
    IntakeItem.objects.bulk_create(
        IntakeItem(job=sibling, kind=item.kind, text=item.text, position=item.position)
        for item in job.intake_items.all()
    )
    return sibling


def _routes_check(job: Job, routes: Mapping[int, str]) -> list[Candidacy]:
    open_candidacies = list(
        Candidacy.objects.open()
        .filter(job=job)
        .select_for_update(of=("self",))
        .select_related("contact")
        .order_by("id")
    )
    known = {candidacy.pk for candidacy in open_candidacies}
    strangers = sorted(set(routes) - known)
    if strangers:
        raise ValidationError(
            {"routes": f"Candidacy #{strangers[0]} is not an open candidacy of this job."}
        )
    bad = sorted(pk for pk, route in routes.items() if route not in ROUTES)
    if bad:
        raise ValidationError({"routes": f"Route candidacy #{bad[0]} to a, b or both."})
    unrouted = [str(c.contact) for c in open_candidacies if c.pk not in routes]
    if unrouted:
        raise ValidationError({"routes": f"Route every open candidacy: {', '.join(unrouted)}."})
    return open_candidacies


def _candidacy_copy(candidacy: Candidacy, to_job: Job) -> Candidacy:
    copy = Candidacy.objects.create(
        job=to_job,
        contact=candidacy.contact,
        stage=candidacy.stage,
        stage_entered_at=candidacy.stage_entered_at,
        last_candidate_touch_at=candidacy.last_candidate_touch_at,
        copied_from=candidacy,
    )
    StageChange.objects.bulk_create(
        StageChange(
            candidacy=copy,
            job_id=change.job_id,
            from_stage=change.from_stage,
            to_stage=change.to_stage,
            outcome=change.outcome,
            by_id=change.by_id,
            at=change.at,
            note=change.note,
            is_copy=True,
        )
        for change in candidacy.stage_changes.all()
    )
    return copy


@transaction.atomic
def job_split(
    *,
    job: Job,
    user: User,
    title_a: str,
    title_b: str,
    routes: Mapping[int, str],
) -> tuple[Job, Job]:
    """Split `job` into two siblings with copies of its intake; `routes` sends each open
    candidacy (by id) to "a", "b" or "both". The original ends as split."""
    job_change_check(job=job, user=user)
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not job.is_active:
        raise ValidationError(
            {"job": f"This job is {job.get_status_display().lower()}; only an active job splits."}
        )
    if not title_a.strip() or not title_b.strip():
        raise ValidationError({"title_a" if not title_a.strip() else "title_b": "Name both jobs."})
    open_candidacies = _routes_check(job, routes)
    job_a = _sibling_create(job, title_a)
    job_b = _sibling_create(job, title_b)
    now = timezone.now()
    for candidacy in open_candidacies:
        route = routes[candidacy.pk]
        if route == ROUTE_BOTH:
            _candidacy_copy(candidacy, job_b)
        destination = job_b if route == ROUTE_B else job_a
        Candidacy.objects.filter(pk=candidacy.pk).update(job=destination, updated_at=now)
        names = {ROUTE_A: job_a.title, ROUTE_B: job_b.title}
        where = names.get(route) or f"{job_a.title} and {job_b.title}"
        interaction_log(
            contact=candidacy.contact,
            kind=Interaction.Kind.STAGE_CHANGE,
            direction=Interaction.Direction.INTERNAL,
            summary=f"{job.title} was split: moved to {where}"[:300],
            recruiter=user,
            occurred_at=now,
        )
    job.status = Job.Status.SPLIT
    job.closed_at = now
    job.save(update_fields=["status", "closed_at", "updated_at"])
    for mover in _split_movers.values():
        mover(job, job_a, job_b)
    return job_a, job_b
