"""The pipeline: add, move, close, candidate touches, and interviewer feedback."""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from contacts.models import Contact
from core.dates import day_label
from jobs.models import Candidacy, Feedback, FeedbackScore, IntakeItem, Job, StageChange
from jobs.permissions import can_change_job, can_undo_decision
from jobs.services.access import job_change_check
from jobs.services.decisions import Decision, decisions_announce, reopening_announce, undo_window
from relationships.models import Interaction
from relationships.services import interaction_log

# The code of candidacy_add's error when the contact already had a candidacy for the job, closed:
# the page offers to reopen it (params: candidacy_id) instead of adding a second.
CLOSED_CANDIDACY = "closed_candidacy"


def _stage_change_log(
    *,
    candidacy: Candidacy,
    from_stage: str,
    to_stage: str,
    user: User | None,
    at: datetime,
    summary: str,
    outcome: str = "",
    note: str = "",
) -> StageChange:
    change = StageChange.objects.create(
        candidacy=candidacy,
        job_id=candidacy.job_id,
        from_stage=from_stage,
        to_stage=to_stage,
        outcome=outcome,
        by=user,
        at=at,
        note=note,
    )
    interaction_log(
        contact=candidacy.contact,
        kind=Interaction.Kind.STAGE_CHANGE,
        direction=Interaction.Direction.INTERNAL,
        summary=summary,
        body=note,
        recruiter=user,
        occurred_at=at,
    )
    return change


def _open_candidacy_locked(candidacy: Candidacy, user: User | None) -> Candidacy:
    locked = (
        Candidacy.objects.select_for_update(of=("self",))
        .select_related("job", "contact")
        .get(pk=candidacy.pk)
    )
    job_change_check(job=locked.job, user=user)
    if not locked.is_open:
        raise ValidationError(
            {
                "stage": f"This candidacy is closed ({locked.get_outcome_display().lower()}); "
                "a closed candidacy does not move."
            }
        )
    return locked


@transaction.atomic
def candidacy_add(
    *,
    job: Job,
    contact: Contact,
    user: User | None,
    stage: str = Candidacy.Stage.SOURCED,
    note: str = "",
    again: bool = False,
) -> Candidacy:
    """Put a contact into a job's pipeline. One open candidacy per contact and job. A contact
    whose candidacy for the job was closed is refused (code CLOSED_CANDIDACY: reopen that one
    with candidacy_reopen) unless `again` asks for a second candidacy on purpose."""
    job_change_check(job=job, user=user)
    if not job.is_active:
        raise ValidationError(
            {"job": f"“{job.title}” is {job.get_status_display().lower()}: it takes no one."}
        )
    if stage == Candidacy.Stage.PLACED:
        raise ValidationError({"stage": "A candidacy starts before placement."})
    if Candidacy.objects.open().filter(job=job, contact=contact).exists():
        raise ValidationError(
            {"contact": f"{contact} already has an open candidacy for “{job.title}”."}
        )
    closed = Candidacy.objects.closed().filter(job=job, contact=contact).order_by("-decided_at")
    earlier = None if again else closed.first()
    if earlier is not None:
        raise ValidationError(
            {
                "contact": ValidationError(
                    "%(name)s had a candidacy for “%(job)s”, closed on %(day)s (%(outcome)s): "
                    "reopen it, or add them again as a new candidacy.",
                    code=CLOSED_CANDIDACY,
                    params={
                        "name": str(contact),
                        "job": job.title,
                        "day": day_label(earlier.decided_at),
                        "outcome": earlier.get_outcome_display().lower(),
                        "candidacy_id": earlier.pk,
                    },
                )
            }
        )
    now = timezone.now()
    candidacy = Candidacy(job=job, contact=contact, stage=stage, stage_entered_at=now)
    candidacy.full_clean()
    candidacy.save()
    _stage_change_log(
        candidacy=candidacy,
        from_stage="",
        to_stage=stage,
        user=user,
        at=now,
        summary=f"{job.title}: added to the pipeline ({candidacy.get_stage_display().lower()})",
        note=note.strip(),
    )
    return candidacy


@transaction.atomic
def candidacy_move(
    *, candidacy: Candidacy, to_stage: str, user: User | None, note: str = ""
) -> Candidacy:
    """Move an open candidacy to another stage. Moving to "placed" closes it as placed."""
    if to_stage not in Candidacy.Stage.values:
        raise ValidationError({"stage": f"“{to_stage}” is not a stage."})
    candidacy = _open_candidacy_locked(candidacy, user)
    if to_stage == candidacy.stage:
        raise ValidationError(
            {"stage": f"This candidacy is already at {candidacy.get_stage_display().lower()}."}
        )
    if to_stage == Candidacy.Stage.PLACED:
        return candidacy_close(
            candidacy=candidacy, outcome=Candidacy.Outcome.PLACED, reason=note, user=user
        )
    now = timezone.now()
    from_stage = candidacy.stage
    from_label = candidacy.get_stage_display()
    candidacy.stage = to_stage
    candidacy.stage_entered_at = now
    candidacy.save(update_fields=["stage", "stage_entered_at", "updated_at"])
    _stage_change_log(
        candidacy=candidacy,
        from_stage=from_stage,
        to_stage=to_stage,
        user=user,
        at=now,
        summary=f"{candidacy.job.title}: {from_label} → {candidacy.get_stage_display()}",
        note=note.strip(),
    )
    what = f"moved to {candidacy.get_stage_display().lower()}"
    decisions_announce([Decision(candidacy_id=candidacy.pk, what=what, at=now)])
    return candidacy


@transaction.atomic
def candidacy_close(
    *, candidacy: Candidacy, outcome: str, user: User | None, reason: str = ""
) -> Candidacy:
    """Close an open candidacy with an outcome and a reason; the follow-through engine owes the
    candidate a closure notice from `decided_at` on."""
    if outcome not in Candidacy.Outcome.values:
        raise ValidationError({"outcome": f"“{outcome}” is not an outcome."})
    candidacy = _open_candidacy_locked(candidacy, user)
    now = timezone.now()
    from_stage = candidacy.stage
    if outcome == Candidacy.Outcome.PLACED:
        candidacy.stage = Candidacy.Stage.PLACED
        candidacy.stage_entered_at = now
    candidacy.outcome = outcome
    candidacy.outcome_reason = reason.strip()
    candidacy.decided_at = now
    candidacy.full_clean()
    candidacy.save()
    label = candidacy.get_outcome_display().lower()
    _stage_change_log(
        candidacy=candidacy,
        from_stage=from_stage,
        to_stage=candidacy.stage,
        outcome=outcome,
        user=user,
        at=now,
        summary=f"{candidacy.job.title}: closed, {label}",
        note=candidacy.outcome_reason,
    )
    decisions_announce([Decision(candidacy_id=candidacy.pk, what=f"closed, {label}", at=now)])
    return candidacy


def _closed_candidacy_locked(candidacy: Candidacy) -> Candidacy:
    locked = (
        Candidacy.objects.select_for_update(of=("self",))
        .select_related("job", "contact")
        .get(pk=candidacy.pk)
    )
    if locked.is_open:
        raise ValidationError(
            {"candidacy": "This candidacy is open: there is no decision to undo."}
        )
    return locked


def _reopen(
    candidacy: Candidacy,
    *,
    stage: str,
    stage_entered_at: datetime,
    user: User,
    summary: str,
    note: str,
    undo: bool,
) -> Candidacy:
    """Open a locked, closed candidacy again at `stage`, on its timeline and to the listeners."""
    job = candidacy.job
    if not job.is_active:
        raise ValidationError(
            {"job": f"“{job.title}” is {job.get_status_display().lower()}: it takes no one."}
        )
    if Candidacy.objects.open().filter(job_id=job.pk, contact_id=candidacy.contact_id).exists():
        raise ValidationError(
            {"contact": f"{candidacy.contact} already has an open candidacy for “{job.title}”."}
        )
    now = timezone.now()
    from_stage = candidacy.stage
    candidacy.stage = stage
    candidacy.stage_entered_at = stage_entered_at
    candidacy.outcome = ""
    candidacy.outcome_reason = ""
    candidacy.decided_at = None
    candidacy.full_clean()
    candidacy.save()
    _stage_change_log(
        candidacy=candidacy,
        from_stage=from_stage,
        to_stage=stage,
        user=user,
        at=now,
        summary=summary[:300],
        note=note,
    )
    reopening_announce([candidacy], undo=undo)
    return candidacy


def decision_undo_deadline(
    candidacy: Candidacy, *, window: timedelta | None = None
) -> datetime | None:
    """Until when the decision that closed `candidacy` may be undone (`window` after it: the
    registered undo window unless given); None when it may not be (open, or closed with its
    job: that is the job's decision)."""
    if (
        candidacy.is_open
        or candidacy.decided_at is None
        or candidacy.outcome in (Candidacy.Outcome.JOB_FILLED, Candidacy.Outcome.JOB_CANCELLED)
    ):
        return None
    return candidacy.decided_at + (window if window is not None else undo_window())


@transaction.atomic
def candidacy_decision_undo(*, candidacy: Candidacy, user: User) -> Candidacy:
    """Undo a decision within the undo window: the candidacy opens again in the stage it was
    closed in (placed goes back to where it was before), and the closure notice is cancelled
    (the reopen listeners). Who made the decision, or a manager, may; after the window the
    decision stands."""
    candidacy = _closed_candidacy_locked(candidacy)
    changes = list(candidacy.stage_changes.order_by("-at", "-id")[:2])
    closing = next((change for change in changes if change.outcome), None)
    decided_by_id = closing.by_id if closing else None
    if not can_undo_decision(user, decided_by_id, candidacy.job):
        raise PermissionDenied("Only who made the decision, or their manager, undoes it.")
    deadline = decision_undo_deadline(candidacy)
    decision = f"closed, {candidacy.get_outcome_display().lower()}"
    if deadline is None:
        raise ValidationError(
            {"candidacy": f"This candidacy {decision}: reopen the job, not the candidacy."}
        )
    if timezone.now() > deadline:
        minutes = round(undo_window().total_seconds() / 60)
        raise ValidationError(
            {
                "candidacy": f"The decision of {day_label(deadline - undo_window())} "
                f"{timezone.localtime(candidacy.decided_at):%H:%M} stands: it could be undone "
                f"for {minutes} minutes. Add them to the job again to reopen it."
            }
        )
    stage = closing.from_stage if closing and closing.from_stage else candidacy.stage
    entered = candidacy.stage_entered_at
    if stage != candidacy.stage:
        before = changes[1] if len(changes) > 1 and changes[1].to_stage == stage else None
        entered = before.at if before else entered
    label = Candidacy.Stage(stage).label
    return _reopen(
        candidacy,
        stage=stage,
        stage_entered_at=entered,
        user=user,
        summary=f"{candidacy.job.title}: decision undone ({decision}); back to {label}",
        note="",
        undo=True,
    )


@transaction.atomic
def candidacy_reopen(*, candidacy: Candidacy, user: User, stage: str, note: str = "") -> Candidacy:
    """Reopen a closed candidacy at `stage`, whenever it closed (the contact is back in the
    running): the job's owner, a manager or an admin."""
    candidacy = _closed_candidacy_locked(candidacy)
    if not can_change_job(user, candidacy.job):
        raise PermissionDenied("Only the job's owner, a manager or an admin reopens a candidacy.")
    if stage not in Candidacy.Stage.values or stage == Candidacy.Stage.PLACED:
        raise ValidationError({"stage": "Reopen the candidacy at a stage before placement."})
    label = Candidacy.Stage(stage).label
    decided = candidacy.decided_at or timezone.now()  # a closed candidacy always has it
    was = f"closed, {candidacy.get_outcome_display().lower()}, on {day_label(decided)}"
    return _reopen(
        candidacy,
        stage=stage,
        stage_entered_at=timezone.now(),
        user=user,
        summary=f"{candidacy.job.title}: reopened at {label} (was {was})",
        note=note.strip(),
        undo=False,
    )


@transaction.atomic
def candidacy_candidate_touch_record(*, candidacy_ids: Iterable[int], at: datetime) -> int:
    """Record a candidate-facing touch (a status update or closure notice sent, a call) on these
    candidacies. The clock only moves forward. Returns how many rows changed."""
    ids = list(candidacy_ids)
    if not ids:
        return 0
    return (
        Candidacy.objects.filter(pk__in=ids)
        .filter(Q(last_candidate_touch_at__isnull=True) | Q(last_candidate_touch_at__lt=at))
        .update(last_candidate_touch_at=at, updated_at=timezone.now())
    )


@transaction.atomic
def feedback_record(
    *,
    candidacy: Candidacy,
    interviewer: Contact,
    recommendation: str,
    user: User | None,
    scores: Mapping[int, int] | None = None,
    notes: str = "",
    at: datetime | None = None,
) -> Feedback:
    """An interviewer's scorecard: a recommendation and a 1-5 score per criterion of the job
    (criterion id -> score). A criterion the job does not have is refused."""
    job_change_check(job=candidacy.job, user=user)
    scores = dict(scores or {})
    criteria = {
        item.pk: item
        for item in IntakeItem.objects.filter(
            job_id=candidacy.job_id, kind__in=list(IntakeItem.CRITERION_KINDS)
        )
    }
    unknown = [str(pk) for pk in scores if pk not in criteria]
    if unknown:
        raise ValidationError(
            {"scores": f"This job has no criterion #{', #'.join(unknown)} to score."}
        )
    wrong = [criteria[pk].text for pk, score in scores.items() if not 1 <= score <= 5]
    if wrong:
        raise ValidationError({"scores": f"Score “{wrong[0]}” from 1 to 5."})
    feedback = Feedback(
        candidacy=candidacy,
        interviewer=interviewer,
        recommendation=recommendation,
        notes=notes.strip(),
        entered_by=user,
        at=at or timezone.now(),
    )
    feedback.full_clean()
    feedback.save()
    FeedbackScore.objects.bulk_create(
        FeedbackScore(feedback=feedback, criterion_id=pk, score=score)
        for pk, score in scores.items()
    )
    candidacy.job.interviewers.add(interviewer)
    return feedback
