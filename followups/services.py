"""Writes to follow-through: follow-ups, messages in the outbox, templates, policies,
suppressions, unsubscribes. Keyword-only, atomic, validated (CONTRIBUTING.md, "Where code lives")"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.models import User
from contacts import services as contact_services
from contacts.models import Contact
from core.dates import day_label
from followups.models import (
    OBLIGATION_KINDS,
    FollowUp,
    HandedOffWork,
    JobPolicy,
    Message,
    MessageKind,
    MessageTemplate,
    Policy,
    Suppression,
)
from followups.permissions import can_change_followup, can_change_message
from jobs import services as job_services
from jobs.models import Candidacy, Job
from jobs.permissions import can_change_job
from jobs.services.decisions import Decision
from market.models import MarketNote
from relationships.models import Handoff, Interaction, Relationship
from relationships.services import TimelineEntry, interaction_bulk_log, interaction_log

# --- follow-ups ----------------------------------------------------------------------------------


@transaction.atomic
def followup_create(
    *,
    owner: User,
    contact: Contact,
    due_at: datetime,
    summary: str,
    kind: str = FollowUp.Kind.CALL,
    reason: str = FollowUp.Reason.MANUAL,
    job: Job | None = None,
    candidacy: Candidacy | None = None,
) -> FollowUp:
    followup = FollowUp(
        owner=owner,
        contact=contact,
        due_at=due_at,
        summary=summary.strip(),
        kind=kind,
        reason=reason,
        job=job,
        candidacy=candidacy,
    )
    followup.full_clean()
    followup.save()
    return followup


@transaction.atomic
def followup_update(
    *,
    followup: FollowUp,
    user: User,
    summary: str | None = None,
    kind: str | None = None,
    due_at: datetime | None = None,
) -> FollowUp:
    if not can_change_followup(user, followup):
        raise PermissionDenied("Only the owner, a manager or an admin changes this follow-up.")
    if summary is not None:
        followup.summary = summary.strip()
    if kind is not None:
        followup.kind = kind
    if due_at is not None:
        followup.due_at = due_at
    followup.full_clean()
    followup.save()
    return followup


@transaction.atomic
def followup_delete(*, followup: FollowUp, user: User) -> None:
    if not can_change_followup(user, followup):
        raise PermissionDenied("Only the owner, a manager or an admin deletes this follow-up.")
    followup.delete()


@transaction.atomic
def followup_complete(*, followup: FollowUp, user: User, outcome: str) -> FollowUp:
    """Done: the outcome goes on the contact's timeline (a call or meeting is a touch, which
    moves the relationship's clock and, for a candidacy, its candidate-facing touch). A
    follow-up already done (say, by the call logged on the contact's page) stays as it is: Done
    again logs nothing twice."""
    if not can_change_followup(user, followup):
        raise PermissionDenied("Only the owner, a manager or an admin completes this follow-up.")
    followup = FollowUp.objects.select_for_update().select_related("contact").get(pk=followup.pk)
    if not followup.is_open:
        return followup
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": "Say how it went: the outcome goes on the timeline."})
    now = timezone.now()
    followup.completed_at = now
    followup.outcome = outcome
    followup.save(update_fields=["completed_at", "outcome", "updated_at"])
    kinds: dict[str, str] = {
        FollowUp.Kind.CALL: Interaction.Kind.CALL,
        FollowUp.Kind.EMAIL: Interaction.Kind.EMAIL,
        FollowUp.Kind.MEETING: Interaction.Kind.MEETING,
    }
    kind = kinds.get(followup.kind, Interaction.Kind.NOTE)
    interaction_log(
        contact=followup.contact,
        kind=kind,
        summary=f"{followup.summary}: {outcome}"[:300],
        body=outcome,
        recruiter=user,
        occurred_at=now,
    )
    # Chasing the client is not a touch with the candidate.
    if (
        followup.candidacy_id
        and kind in Interaction.TOUCH_KINDS
        and followup.reason != FollowUp.Reason.CHASE_CLIENT
    ):
        job_services.candidacy_candidate_touch_record(candidacy_ids=[followup.candidacy_id], at=now)
    return followup


# --- what a touch or a decision settles ------------------------------------------------------

# The touches of one timeline write, a row per contact: a touch that moved the relationship's
# clock past now (it is no longer due) completes its open keep-in-touch follow-up; a call
# completes a "call instead" (and is the candidate-facing touch of its candidacy, as Done on it
# would be).
RELATIONSHIP_TABLE = Relationship._meta.db_table

TOUCH_SETTLES_SQL = f"""
WITH touched AS (
    SELECT * FROM unnest(%(contact_ids)s::bigint[], %(moved)s::boolean[],
                         %(touch_outcomes)s::text[], %(call_ats)s::timestamptz[],
                         %(call_outcomes)s::text[])
        AS t(contact_id, moved, touch_outcome, call_at, call_outcome)
), done AS (
    UPDATE followups_followup f
    SET completed_at = %(now)s, updated_at = %(now)s,
        outcome = CASE f.reason WHEN 'call_instead' THEN t.call_outcome ELSE t.touch_outcome END
    FROM touched t
    WHERE f.contact_id = t.contact_id AND f.completed_at IS NULL
      AND ((f.reason = 'relationship_cadence' AND t.moved AND EXISTS (
                SELECT 1 FROM {RELATIONSHIP_TABLE} r
                WHERE r.contact_id = f.contact_id AND r.next_touch_due > %(now)s))
           OR (f.reason = 'call_instead' AND t.call_at IS NOT NULL))
    RETURNING f.candidacy_id, f.reason, t.call_at
)
UPDATE jobs_candidacy c SET last_candidate_touch_at = d.call_at, updated_at = %(now)s
FROM (SELECT candidacy_id, max(call_at) AS call_at FROM done
      WHERE reason = 'call_instead' AND candidacy_id IS NOT NULL GROUP BY candidacy_id) d
WHERE c.id = d.candidacy_id
  AND (c.last_candidate_touch_at IS NULL OR c.last_candidate_touch_at < d.call_at)
"""  # noqa: S608 - the table name is the model's, every value a parameter


def _touched(touch: Interaction) -> str:
    """ "Touched: call on 2 Mar 2026"."""
    kind = Interaction.Kind(touch.kind).label.lower()
    return f"Touched: {kind} on {day_label(touch.occurred_at)}"


def followups_touch_settle(touches: Sequence[Interaction], clock_moved: set[int]) -> None:
    """Complete the follow-ups these touches answer, in one statement. Registered with
    relationships' touch listeners in FollowupsConfig.ready()."""
    latest: dict[int, Interaction] = {}
    calls: dict[int, Interaction] = {}
    for touch in touches:
        for seen, wanted in ((latest, True), (calls, touch.kind == Interaction.Kind.CALL)):
            known = seen.get(touch.contact_id)
            if wanted and (known is None or touch.occurred_at > known.occurred_at):
                seen[touch.contact_id] = touch
    contact_ids = sorted(latest)
    with connection.cursor() as cursor:
        cursor.execute(
            TOUCH_SETTLES_SQL,
            {
                "now": timezone.now(),
                "contact_ids": contact_ids,
                "moved": [pk in clock_moved for pk in contact_ids],
                "touch_outcomes": [_touched(latest[pk]) for pk in contact_ids],
                "call_ats": [calls[pk].occurred_at if pk in calls else None for pk in contact_ids],
                "call_outcomes": [_touched(calls[pk]) if pk in calls else "" for pk in contact_ids],
            },
        )


CLIENT_DECIDED_SQL = """
UPDATE followups_followup f
SET completed_at = %(now)s, updated_at = %(now)s, outcome = d.outcome
FROM unnest(%(candidacy_ids)s::bigint[], %(outcomes)s::text[]) AS d(candidacy_id, outcome)
WHERE f.candidacy_id = d.candidacy_id AND f.reason = 'chase_client' AND f.completed_at IS NULL
"""


def followups_decision_settle(decisions: Sequence[Decision]) -> None:
    """A decision on a candidacy completes the open "chase the client" follow-up about it, in
    one statement. Registered with jobs' decision listeners in FollowupsConfig.ready()."""
    with connection.cursor() as cursor:
        cursor.execute(
            CLIENT_DECIDED_SQL,
            {
                "now": timezone.now(),
                "candidacy_ids": [decision.candidacy_id for decision in decisions],
                "outcomes": [
                    f"Decided: {decision.what} on {day_label(decision.at)}"
                    for decision in decisions
                ],
            },
        )


@transaction.atomic
def followup_snooze(*, followup: FollowUp, user: User, until: datetime) -> FollowUp:
    if not can_change_followup(user, followup):
        raise PermissionDenied("Only the owner, a manager or an admin snoozes this follow-up.")
    if not followup.is_open:
        raise ValidationError({"until": "This follow-up is already done."})
    if until <= timezone.now():
        raise ValidationError({"until": "Snooze until a moment in the future."})
    followup.due_at = until
    followup.snooze_count += 1
    followup.save(update_fields=["due_at", "snooze_count", "updated_at"])
    return followup


CALL_INSTEAD_SQL = """
INSERT INTO followups_followup (
    created_at, updated_at, owner_id, contact_id, job_id, candidacy_id, message_id, kind, reason,
    summary, due_at, snooze_count, completed_at, outcome, idempotency_key)
SELECT %(now)s, %(now)s, m.owner_id, m.contact_id, m.job_id, m.candidacy_id, m.id, 'call',
    'call_instead',
    left('Call ' || trim(ct.first_name || ' ' || ct.last_name) || ' instead: the '
        || CASE m.kind WHEN 'closure' THEN 'closure notice' ELSE 'status update' END
        || ' could not be emailed (' || CASE WHEN m.skip_reason <> '' THEN m.skip_reason
        ELSE m.status END || ')', 300),
    %(now)s, 0, NULL, '', 'call_instead:' || m.id
FROM {source}
JOIN contacts_contact ct ON ct.id = m.contact_id
WHERE m.kind = ANY(%(kinds)s) AND m.status = ANY(%(statuses)s) AND NOT ct.do_not_contact
  AND NOT EXISTS (
    SELECT 1 FROM followups_followup f WHERE f.idempotency_key = 'call_instead:' || m.id)
ON CONFLICT (idempotency_key) DO NOTHING
"""


def call_instead_plan(*, now: datetime, message_ids: Iterable[int] | None = None) -> int:
    """A "call instead" follow-up for every undeliverable obligation (a status update or closure
    notice that was suppressed, failed, bounced or complained) that has none yet."""
    params: dict[str, Any] = {
        "now": now,
        "kinds": sorted(OBLIGATION_KINDS),
        "statuses": sorted(Message.UNDELIVERABLE_STATUSES),
    }
    source = "followups_message m"
    if message_ids is not None:
        params["ids"] = list(message_ids)
        if not params["ids"]:
            return 0
        # By primary key whatever the statistics say (right after a planner inserted 100,000
        # rows they are stale, and `m.id = ANY(...)` was planned as a scan: 0.3 s a batch).
        source = (
            "unnest(%(ids)s::bigint[]) AS given(id) JOIN followups_message m ON m.id = given.id"
        )
    with connection.cursor() as cursor:
        cursor.execute(CALL_INSTEAD_SQL.format(source=source), params)
        return cursor.rowcount


# --- messages in the outbox ----------------------------------------------------------------------


def _pending_message_locked(message: Message, user: User) -> Message:
    if not can_change_message(user, message):
        raise PermissionDenied("Only the sender, a manager or an admin changes this message.")
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if locked.status != Message.Status.SCHEDULED:
        raise ValidationError(
            {"status": f"This message is {locked.get_status_display().lower()}: too late."}
        )
    return locked


@transaction.atomic
def message_edit(
    *,
    message: Message,
    user: User,
    subject: str,
    text: str,
    html: str = "",
    personal_note: str | None = None,
) -> Message:
    """The recruiter's own words: sent as written (no merge fields are filled in)."""
    message = _pending_message_locked(message, user)
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError({"subject": "A message needs a subject."})
    if not text.strip():
        raise ValidationError({"text": "A message needs a text."})
    message.subject = subject
    message.text = text
    message.html = html
    message.edited = True
    if personal_note is not None:
        message.personal_note = personal_note.strip()
    message.full_clean()
    message.save()
    return message


@transaction.atomic
def message_note_set(*, message: Message, user: User, personal_note: str) -> Message:
    message = _pending_message_locked(message, user)
    message.personal_note = personal_note.strip()
    message.save(update_fields=["personal_note", "updated_at"])
    return message


@transaction.atomic
def message_market_note_set(
    *, message: Message, user: User, note: MarketNote | None = None, removed: bool = False
) -> Message:
    """The recruiter's choice for {{ market_note }}: a note of theirs to see (fresh), none at all
    (`removed`), or back to the most relevant one (neither)."""
    message = _pending_message_locked(message, user)
    if note is not None:
        if not MarketNote.objects.visible_to(user).fresh().filter(pk=note.pk).exists():
            raise ValidationError({"market_note": "Choose a fresh market note you can see."})
        removed = False
    message.market_note = note
    message.market_note_removed = removed
    message.save(update_fields=["market_note", "market_note_removed", "updated_at"])
    return message


@transaction.atomic
def message_send_now(*, message: Message, user: User) -> Message:
    """Skip the rest of the review window: the relay is kicked after commit."""
    from followups import tasks

    message = _pending_message_locked(message, user)
    message.send_after = timezone.now()
    message.save(update_fields=["send_after", "updated_at"])
    transaction.on_commit(lambda: tasks.relay.delay())
    return message


@transaction.atomic
def message_skip(*, message: Message, user: User, reason: str) -> Message:
    """Don't send. A skipped status update is not a touch: the candidacy stays as quiet as it
    was, and the next period plans the next update."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why this message is skipped."})
    message = _pending_message_locked(message, user)
    message.status = Message.Status.SKIPPED
    message.skip_reason = reason
    message.skipped_by = user
    message.save(update_fields=["status", "skip_reason", "skipped_by", "updated_at"])
    return message


@transaction.atomic
def message_prerendered_schedule(
    *,
    kind: str,
    owner: User,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    idempotency_key: str,
    send_after: datetime,
) -> tuple[Message, bool]:
    """A message written by a higher app (the manager's digest: to a user, no contact), queued
    as it is: `edited`, so the relay sends these words rather than a template's. Once per
    `idempotency_key`; returns the message and whether it is new."""
    return Message.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "kind": kind,
            "owner": owner,
            "recipient": recipient,
            "subject": subject[:300],
            "text": text,
            "html": html,
            "edited": True,
            "send_after": send_after,
        },
    )


# --- templates and policy ------------------------------------------------------------------------


@transaction.atomic
def template_save(*, kind: str, subject: str, text: str, html: str = "") -> MessageTemplate:
    """Create or change a kind's template. An unknown merge field is refused (full_clean)."""
    template = MessageTemplate.objects.filter(kind=kind).first() or MessageTemplate(kind=kind)
    template.subject = " ".join(subject.split())
    template.text = text
    template.html = html
    template.full_clean()
    template.save()
    return template


POLICY_FIELDS = frozenset(
    {
        "update_cadence_days",
        "review_window_hours",
        "closure_undo_minutes",
        "closure_deadline_hours",
        "digest_cadence_days",
        "chase_client_days",
        "max_attempts",
    }
)


@transaction.atomic
def policy_update(*, user: User, **changes: int) -> Policy:
    if not user.is_admin:
        raise PermissionDenied("Only an admin changes the follow-through policy.")
    unknown = set(changes) - POLICY_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Not a policy setting."))
    policy = Policy.objects.select_for_update().filter(pk=1).first() or Policy(pk=1)
    for name, value in changes.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    return policy


JOB_POLICY_FIELDS = frozenset({"update_cadence_days", "digest_cadence_days", "chase_client_days"})


@transaction.atomic
def job_policy_update(*, job: Job, user: User, **overrides: int | None) -> JobPolicy | None:
    """Set a job's overrides of the policy (None follows the agency's default). With no override
    left, the job's row goes: it follows the policy entirely. Returns the override or None."""
    if not can_change_job(user, job):
        raise PermissionDenied("Only the job's owner, a manager or an admin changes its policy.")
    unknown = set(overrides) - JOB_POLICY_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Not a job policy setting."))
    override = JobPolicy.objects.select_for_update().filter(job=job).first()
    values = {name: overrides.get(name) for name in JOB_POLICY_FIELDS}
    if all(value is None for value in values.values()):
        if override is not None:
            override.delete()
        return None
    override = override or JobPolicy(job=job)
    for name, value in values.items():
        setattr(override, name, value)
    override.full_clean()
    override.save()
    return override


# --- suppression and unsubscribe -----------------------------------------------------------------


def suppression_add(*, email: str, reason: str, message: Message | None = None) -> Suppression:
    suppression, _ = Suppression.objects.get_or_create(
        email=email.strip().lower(), defaults={"reason": reason, "message": message}
    )
    return suppression


@transaction.atomic
def contact_unsubscribe(*, contact: Contact) -> Contact:
    """No more automatic emails: opted out, addresses suppressed, pending updates and digests
    cancelled (their obligations become calls through the planners)."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not contact.email_opt_out:
        contact = contact_services.contact_update(contact=contact, email_opt_out=True)
        interaction_log(
            contact=contact,
            kind=Interaction.Kind.NOTE,
            direction=Interaction.Direction.INBOUND,
            summary="Unsubscribed from automatic emails",
        )
    for email in contact.emails:
        suppression_add(email=email, reason=Suppression.Reason.UNSUBSCRIBED)
    now = timezone.now()
    Message.objects.filter(contact=contact, status=Message.Status.SCHEDULED).update(
        status=Message.Status.SUPPRESSED, skip_reason="unsubscribed", updated_at=now
    )
    call_instead_plan(
        now=now,
        message_ids=Message.objects.filter(
            contact=contact, status=Message.Status.SUPPRESSED, skip_reason="unsubscribed"
        ).values_list("pk", flat=True),
    )
    return contact


# --- handoff -------------------------------------------------------------------------------------


def followups_handoff_move(handoff: Handoff, contact_ids: list[int]) -> None:
    """Open follow-ups and scheduled messages about the handed-off contacts go to the new owner
    (how many is recorded for the dashboards). Their due times stay: a handoff moves a promise
    with the time it has left. Registered with relationships' handoff movers in
    FollowupsConfig.ready()."""
    now = timezone.now()
    followups = (
        FollowUp.objects.open()
        .filter(owner_id=handoff.from_recruiter_id, contact_id__in=contact_ids)
        .update(owner_id=handoff.to_recruiter_id, updated_at=now)
    )
    messages = Message.objects.filter(
        owner_id=handoff.from_recruiter_id,
        contact_id__in=contact_ids,
        status=Message.Status.SCHEDULED,
    ).update(owner_id=handoff.to_recruiter_id, updated_at=now)
    HandedOffWork.objects.create(handoff=handoff, followups=followups, messages=messages)


# --- a decision undone, a candidacy reopened ---------------------------------------------------

LEFT_STATUSES = frozenset(
    {
        Message.Status.SENDING,
        Message.Status.SENT,
        Message.Status.DELIVERED,
        Message.Status.BOUNCED,
        Message.Status.COMPLAINED,
    }
)


def followups_candidacies_reopen(candidacies: Sequence[Candidacy], *, undo: bool) -> None:
    """A reopened candidacy owes no closure notice: the one still to leave is cancelled (on the
    timeline), a "call instead" for one that could not leave is no longer needed, and every
    closure of the candidacy gives up its idempotency key, so a later decision gets its own
    notice. An undo after the notice left is refused: the candidate has been told. Registered
    with jobs' reopen listeners in FollowupsConfig.ready()."""
    by_id = {candidacy.pk: candidacy for candidacy in candidacies}
    closures = list(
        Message.objects.select_for_update()
        .filter(kind=MessageKind.CLOSURE, candidacy_id__in=list(by_id))
        .exclude(idempotency_key__contains=":reopened:")
        .order_by("id")
    )
    if undo and any(message.status in LEFT_STATUSES for message in closures):
        raise ValidationError(
            {"candidacy": "The closure notice has already been sent: the decision stands."}
        )
    now = timezone.now()
    reason = "the decision was undone" if undo else "the candidacy was reopened"
    pending = [m for m in closures if m.status in (Message.Status.SCHEDULED, Message.Status.QUEUED)]
    Message.objects.filter(pk__in=[m.pk for m in pending]).update(
        status=Message.Status.CANCELLED, skip_reason=reason, updated_at=now
    )
    Message.objects.filter(pk__in=[m.pk for m in closures]).update(
        idempotency_key=Concat(F("idempotency_key"), Value(":reopened:"), Cast("id", CharField())),
        updated_at=now,
    )
    FollowUp.objects.open().filter(
        reason=FollowUp.Reason.CALL_INSTEAD, message_id__in=[m.pk for m in closures]
    ).update(completed_at=now, outcome=f"Not needed: {reason}.", updated_at=now)
    interaction_bulk_log(
        entries=[
            TimelineEntry(
                contact=by_id[message.candidacy_id].contact,
                kind=Interaction.Kind.OTHER,
                direction=Interaction.Direction.INTERNAL,
                summary=f"Closure notice cancelled: {reason}",
                recruiter=message.owner,
                occurred_at=now,
            )
            for message in pending
        ]
    )


def closure_undo_window() -> timedelta:
    """The undo window of a decision: the policy's, after which the closure notice leaves.
    Registered with jobs in FollowupsConfig.ready()."""
    return (Policy.objects.filter(pk=1).first() or Policy()).closure_undo


# --- split ---------------------------------------------------------------------------------------


def followups_split_move(original: Job, job_a: Job, job_b: Job) -> None:
    """After a split, scheduled messages about a routed candidacy name the job it moved to, and
    the original's own digest (it is no longer open) is cancelled. Registered with jobs' split
    movers in FollowupsConfig.ready()."""
    now = timezone.now()
    pending = Message.objects.filter(job_id=original.pk, status=Message.Status.SCHEDULED)
    pending.filter(candidacy__isnull=False).update(
        job_id=Subquery(Candidacy.objects.filter(pk=OuterRef("candidacy_id")).values("job_id")[:1]),
        updated_at=now,
    )
    pending.filter(kind=MessageKind.CLIENT_DIGEST).update(
        status=Message.Status.CANCELLED, skip_reason="the job was split", updated_at=now
    )


INTRODUCTIONS_SQL = """
INSERT INTO followups_message (
    created_at, updated_at, kind, owner_id, contact_id, job_id, candidacy_id, recipient, subject,
    text, html, edited, personal_note, idempotency_key, send_after, deadline, status, attempts,
    last_error, claimed_at, sent_at, esp_message_id, skip_reason, skipped_by_id)
SELECT DISTINCT ON (ct.id) %(now)s, %(now)s, 'introduction', h.to_recruiter_id, ct.id, NULL,
    NULL, ct.emails[1], '', '', '', false, %(note)s, 'introduction:' || h.id || ':' || ct.id,
    %(send_after)s, NULL, 'scheduled', 0, '', NULL, NULL, '', '', NULL
FROM relationships_handoff h
JOIN relationships_interaction i ON i.handoff_id = h.id
JOIN contacts_contact ct ON ct.id = i.contact_id
WHERE h.id = %(handoff)s
  AND cardinality(ct.emails) > 0 AND NOT ct.email_opt_out AND NOT ct.do_not_contact
  AND (%(everyone)s OR ct.id = ANY(%(ids)s)
       OR (%(with_business)s AND NOT ct.id = ANY(%(except)s) AND (
           EXISTS (SELECT 1 FROM jobs_candidacy c
                   WHERE c.contact_id = ct.id AND c.decided_at IS NULL)
           OR EXISTS (SELECT 1 FROM jobs_job j
                      WHERE j.hiring_manager_id = ct.id AND j.status = ANY(%(active)s)))))
ORDER BY ct.id
ON CONFLICT (idempotency_key) DO NOTHING
"""


@transaction.atomic
def handoff_introductions_schedule(
    *,
    handoff: Handoff,
    user: User,
    contact_ids: Iterable[int] | None = None,
    with_business: bool = False,
    except_ids: Iterable[int] = (),
    personal_note: str = "",
) -> int:
    """Introduce the new recruiter by email, through the outbox (leaving after the review window,
    so the new owner may add a personal note), to the handed-off contacts who can be emailed:
    those in `contact_ids` (every one when None) and, `with_business`, every other one (but
    `except_ids`) who has an open candidacy or is the client of an active job. One statement;
    returns how many introductions it scheduled (none twice)."""
    if user.pk not in (handoff.performed_by_id, handoff.to_recruiter_id) and not user.is_manager:
        raise PermissionDenied("Only who made the handoff, its new owner or a manager does this.")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            INTRODUCTIONS_SQL,
            {
                "now": now,
                "send_after": now + Policy.current().review_window,
                "note": personal_note.strip(),
                "handoff": handoff.pk,
                "everyone": contact_ids is None,
                "ids": list(contact_ids or []),
                "with_business": with_business,
                "except": list(except_ids),
                "active": sorted(Job.ACTIVE_STATUSES),
            },
        )
        return cursor.rowcount
