"""Jobs: create, intake, open, close (which closes the pipeline), and the handoff mover."""

from collections.abc import Mapping, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from contacts.models import Contact, Organization
from jobs.models import (
    Candidacy,
    HandedOffJob,
    IntakeItem,
    Job,
    StageChange,
    intake_completeness,
)
from jobs.selectors import open_candidacy_count
from jobs.services.access import job_change_check
from jobs.services.decisions import Decision, decisions_announce
from relationships.models import Handoff, Interaction
from relationships.services import TimelineEntry, interaction_bulk_log


@transaction.atomic
def job_create(
    *,
    organization: Organization,
    owner: User,
    title: str,
    openings: int = 1,
    location: str = "",
    compensation_min: int | None = None,
    compensation_max: int | None = None,
    currency: str = "",
    client_alias: str = "",
    hiring_manager: Contact | None = None,
    interviewers: Sequence[Contact] = (),
    intake: Mapping[str, Sequence[str]] | None = None,
) -> Job:
    """A new job in intake, with its intake items when given."""
    job = Job(
        organization=organization,
        owner=owner,
        title=title.strip(),
        openings=openings,
        location=location.strip(),
        compensation_min=compensation_min,
        compensation_max=compensation_max,
        currency=currency.strip().upper(),
        client_alias=client_alias.strip(),
        hiring_manager=hiring_manager,
        status=Job.Status.INTAKE,
    )
    job.full_clean()
    job.save()
    if interviewers:
        job.interviewers.set(interviewers)
    if intake:
        job_intake_update(job=job, items=intake, user=owner)
    return job


@transaction.atomic
def job_intake_update(
    *,
    job: Job,
    items: Mapping[str, Sequence[str]],
    user: User | None,
    signed_off_on: date | None = None,
) -> Job:
    """Set the intake items of the kinds given (kind -> texts, in order); kinds not given stay.
    An item already scored in feedback cannot be removed: its scores would lose their meaning."""
    job_change_check(job=job, user=user)
    unknown = sorted(set(items) - set(IntakeItem.Kind.values))
    if unknown:
        raise ValidationError({"items": f"Unknown intake kinds: {', '.join(unknown)}."})
    for kind, texts in items.items():
        wanted = [text.strip() for text in texts if text.strip()]
        existing = list(job.intake_items.filter(kind=kind))
        keep = {item.text: item for item in existing if item.text in wanted}
        removed = [item for item in existing if item.text not in keep]
        scored = [item.text for item in removed if item.scores.exists()]
        if scored:
            raise ValidationError(
                {kind: f"“{scored[0]}” already has interview scores; it cannot be removed."}
            )
        IntakeItem.objects.filter(pk__in=[item.pk for item in removed]).delete()
        for position, text in enumerate(wanted):
            item = keep.get(text) or IntakeItem(job=job, kind=kind, text=text)
            item.position = position
            item.full_clean()
            item.save()
    if signed_off_on is not None:
        job.intake_signed_off_on = signed_off_on
        job.save(update_fields=["intake_signed_off_on", "updated_at"])
    return job


def job_intake_missing(job: Job) -> list[str]:
    kinds = set(job.intake_items.values_list("kind", flat=True))
    return intake_completeness(kinds)[1]


@transaction.atomic
def job_open(*, job: Job, user: User, override_reason: str = "") -> Job:
    """Open a job for sourcing. An incomplete intake needs an override with a reason, which is
    recorded (who, when, why)."""
    job_change_check(job=job, user=user)
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status not in (Job.Status.INTAKE, Job.Status.ON_HOLD):
        raise ValidationError({"status": f"A job that is {job.get_status_display()} cannot open."})
    missing = job_intake_missing(job)
    reason = override_reason.strip()
    if missing and not reason:
        raise ValidationError(
            {
                "override_reason": "The intake is missing: "
                + ", ".join(missing)
                + ". Complete it, or give a reason to open the job anyway."
            }
        )
    now = timezone.now()
    if missing:
        job.intake_override_by = user
        job.intake_override_at = now
        job.intake_override_reason = reason
    job.status = Job.Status.OPEN
    job.opened_at = job.opened_at or now
    job.save()
    return job


CLOSING_OUTCOME = {
    Job.Status.FILLED: Candidacy.Outcome.JOB_FILLED,
    Job.Status.CANCELLED: Candidacy.Outcome.JOB_CANCELLED,
}


@transaction.atomic
def job_close(*, job: Job, status: str, user: User | None, reason: str = "") -> int:
    """Close a job as filled or cancelled; every open candidacy closes with the matching outcome
    (job_filled, job_cancelled) in one pass. Returns how many candidacies closed."""
    job_change_check(job=job, user=user)
    if status not in CLOSING_OUTCOME:
        raise ValidationError({"status": "A job closes as filled or cancelled."})
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not job.is_active:
        raise ValidationError(
            {"status": f"This job is already {job.get_status_display().lower()}."}
        )
    now = timezone.now()
    outcome = CLOSING_OUTCOME[Job.Status(status)]
    closing = list(
        Candidacy.objects.open()
        .filter(job=job)
        .select_for_update()
        .select_related("contact")
        .order_by("id")
    )
    Candidacy.objects.filter(pk__in=[c.pk for c in closing]).update(
        outcome=outcome, outcome_reason=reason.strip(), decided_at=now, updated_at=now
    )
    StageChange.objects.bulk_create(
        StageChange(
            candidacy=candidacy,
            job=job,
            from_stage=candidacy.stage,
            to_stage=candidacy.stage,
            outcome=outcome,
            by=user,
            at=now,
            note=reason.strip(),
        )
        for candidacy in closing
    )
    # A stage change is not a touch: no relationship clock moves.
    label = Candidacy.Outcome(outcome).label
    interaction_bulk_log(
        entries=[
            TimelineEntry(
                contact=candidacy.contact,
                kind=Interaction.Kind.STAGE_CHANGE,
                direction=Interaction.Direction.INTERNAL,
                summary=f"{job.title}: closed, {label.lower()}",
                body=reason.strip(),
                recruiter=user,
                occurred_at=now,
            )
            for candidacy in closing
        ]
    )
    decisions_announce(
        [
            Decision(candidacy_id=candidacy.pk, what=f"closed, {label.lower()}", at=now)
            for candidacy in closing
        ]
    )
    job.status = status
    job.closed_at = now
    job.save(update_fields=["status", "closed_at", "updated_at"])
    return len(closing)


def job_handoff_move(handoff: Handoff, contact_ids: list[int]) -> None:
    """A handoff of all of a recruiter's relationships moves their active jobs too, each recorded
    with the open candidacies it carries. Registered with relationships' handoff movers in
    JobsConfig.ready()."""
    if handoff.scope != Handoff.Scope.ALL:
        return
    moving = Job.objects.filter(
        owner_id=handoff.from_recruiter_id, status__in=list(Job.ACTIVE_STATUSES)
    )
    HandedOffJob.objects.bulk_create(
        HandedOffJob(handoff=handoff, job_id=job_id, open_candidacies=count)
        for job_id, count in moving.annotate(n=open_candidacy_count()).values_list("pk", "n")
    )
    moving.update(owner_id=handoff.to_recruiter_id, updated_at=timezone.now())
