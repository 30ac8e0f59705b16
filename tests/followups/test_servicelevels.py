"""Service-level timers: states, the five obligations read from the live tables, overrides,
void and ended timers, and handoffs that keep the clock."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Coalesce

from followups.models import FollowUp, JobPolicy, Message
from followups.planners import plan_all
from followups.relay import relay_batch
from followups.servicelevels import (
    TimerDue,
    TimerKind,
    TimerState,
    TimerStateAt,
    TimerWindow,
    timer_list,
    timer_state,
)
from followups.services import followup_complete
from jobs.models import Candidacy
from jobs.services import candidacy_close, candidacy_move, job_close, job_split
from relationships.services import interaction_log, relationship_handoff
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    JobFactory,
    RelationshipFactory,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def open_timers(now, kind, owners=None):
    return timer_list(now=now, window=TimerWindow.open(), kinds=[kind], owner_ids=owners)


def due_timers(now, kind, start, end, owners=None):
    return timer_list(now=now, window=TimerWindow.due(start, end), kinds=[kind], owner_ids=owners)


def brief(timers):
    return [(t["started_at"], t["due_at"], t["met_at"], t["state"]) for t in timers]


# --- the state -----------------------------------------------------------------------------------

STATE_CASES = [
    # (due offset from at, target, met offset from due or None, expected)
    (20 * HOUR, 48 * HOUR, None, TimerState.ON_TRACK),
    (12 * HOUR + MINUTE, 48 * HOUR, None, TimerState.ON_TRACK),
    (12 * HOUR, 48 * HOUR, None, TimerState.DUE_SOON),  # exactly 25 % left
    (MINUTE, 48 * HOUR, None, TimerState.DUE_SOON),
    (timedelta(0), 48 * HOUR, None, TimerState.DUE_SOON),  # at the due time: not yet breached
    (-MINUTE, 48 * HOUR, None, TimerState.BREACHED),
    (5 * DAY, 7 * DAY, timedelta(0), TimerState.MET),  # met exactly at the due time
    (-DAY, 7 * DAY, -HOUR, TimerState.MET),
    (-DAY, 7 * DAY, MINUTE, TimerState.MET_LATE),
]


def test_timer_state_in_sql_and_its_python_twin_agree(db):
    at = T0
    expected = []
    sql_rows = []
    for due_offset, target, met_offset, state in STATE_CASES:
        due = at + due_offset
        met = None if met_offset is None else due + met_offset
        expected.append(state)
        python = timer_state(due_at=due, target=target, met_at=met, at=at)
        sql_rows.append((due, target, met, python))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT followups_timer_state(d, t, m, %s, 0.25) FROM unnest(%s::timestamptz[], "
            "%s::interval[], %s::timestamptz[]) AS v(d, t, m)",
            [at, [r[0] for r in sql_rows], [r[1] for r in sql_rows], [r[2] for r in sql_rows]],
        )
        in_sql = [row[0] for row in cursor.fetchall()]
    assert in_sql == expected
    assert [r[3] for r in sql_rows] == expected


def test_timer_functions_annotate_an_orm_queryset(recruiter, clock):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    clock.shift(6 * DAY)
    annotated = Candidacy.objects.annotate(
        due=TimerDue(Coalesce("last_candidate_touch_at", "created_at"), Value(7 * DAY)),
        state=TimerStateAt(F("due"), Value(7 * DAY), None, Value(T0 + 6 * DAY)),
    ).get(pk=candidacy.pk)
    assert (annotated.due, annotated.state) == (T0 + 7 * DAY, TimerState.DUE_SOON)


# --- status updates ------------------------------------------------------------------------------


def test_status_update_timer_goes_on_track_due_soon_breached_then_met_late(recruiter, clock):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    assert brief(open_timers(T0 + DAY, "status_update")) == [
        (T0, T0 + 7 * DAY, None, TimerState.ON_TRACK)
    ]
    assert open_timers(T0 + 5 * DAY + 6 * HOUR, "status_update")[0]["state"] == "due_soon"
    late = open_timers(T0 + 7 * DAY + MINUTE, "status_update")[0]
    assert (late["state"], late["time_left"]) == (TimerState.BREACHED, -MINUTE)

    clock.move_to(T0 + 7 * DAY)
    assert plan_all(now=T0 + 7 * DAY).status_updates == 1
    assert relay_batch(now=T0 + 7 * DAY + 4 * HOUR).sent == 1  # after the review window

    now = T0 + 8 * DAY
    [settled] = due_timers(now, "status_update", T0, T0 + 8 * DAY)
    assert (settled["started_at"], settled["met_at"], settled["state"], settled["late_by"]) == (
        T0,
        T0 + 7 * DAY + 4 * HOUR,
        TimerState.MET_LATE,
        4 * HOUR,
    )
    assert settled["candidacy_id"] == candidacy.pk
    assert brief(open_timers(now, "status_update")) == [
        (T0 + 7 * DAY + 4 * HOUR, T0 + 14 * DAY + 4 * HOUR, None, TimerState.ON_TRACK)
    ]


def test_status_update_met_on_time_by_a_call_and_the_job_override(recruiter, clock):
    job = JobFactory(owner=recruiter)
    JobPolicy.objects.create(job=job, update_cadence_days=3)
    candidacy = CandidacyFactory(job=job)
    call = FollowUp.objects.create(
        owner=recruiter, contact=candidacy.contact, candidacy=candidacy, job=job,
        summary="Tell Ana where things are", due_at=T0 + 2 * DAY,
    )  # fmt: skip
    clock.move_to(T0 + 3 * DAY)  # exactly the cadence
    followup_complete(followup=call, user=recruiter, outcome="She is fine with waiting")

    [settled] = due_timers(T0 + 4 * DAY, "status_update", T0, T0 + 4 * DAY)
    assert brief([settled]) == [(T0, T0 + 3 * DAY, T0 + 3 * DAY, TimerState.MET)]
    assert brief(open_timers(T0 + 4 * DAY, "status_update")) == [
        (T0 + 3 * DAY, T0 + 6 * DAY, None, TimerState.ON_TRACK)
    ]


def test_status_update_timer_is_void_when_decided_in_time_and_breached_when_decided_late(
    recruiter, clock
):
    job = JobFactory(owner=recruiter)
    quick = CandidacyFactory(job=job)
    slow = CandidacyFactory(job=job)
    clock.move_to(T0 + 2 * DAY)
    candidacy_close(candidacy=quick, outcome="not_a_fit", user=recruiter)
    clock.move_to(T0 + 9 * DAY)
    candidacy_close(candidacy=slow, outcome="not_a_fit", user=recruiter)

    timers = due_timers(T0 + 10 * DAY, "status_update", T0, T0 + 10 * DAY)
    assert [(t["candidacy_id"], t["state"]) for t in timers] == [(slow.pk, TimerState.BREACHED)]
    assert open_timers(T0 + 10 * DAY, "status_update") == []


def test_do_not_contact_candidates_are_owed_no_timer(recruiter, clock):
    CandidacyFactory(job=JobFactory(owner=recruiter), contact=ContactFactory(do_not_contact=True))
    assert open_timers(T0 + 8 * DAY, "status_update") == []


# --- closure notices -----------------------------------------------------------------------------


def closed_candidacy(job, at, clock):
    candidacy = CandidacyFactory(job=job)
    clock.move_to(at)
    return candidacy_close(candidacy=candidacy, outcome="rejected_by_client", user=job.owner)


def test_closure_met_at_the_deadline_late_by_a_call_instead_bounced_and_never(recruiter, clock):
    job = JobFactory(owner=recruiter)
    on_time = closed_candidacy(job, T0, clock)
    plan_all(now=T0)
    assert relay_batch(now=T0 + 48 * HOUR).sent == 1  # exactly at the deadline

    late = closed_candidacy(job, T0 + DAY, clock)
    plan_all(now=T0 + DAY)
    assert relay_batch(now=T0 + 3 * DAY + MINUTE).failed == 1  # past the deadline: a call
    call = FollowUp.objects.get(reason="call_instead", candidacy=late)
    clock.move_to(T0 + 3 * DAY + 2 * MINUTE)
    followup_complete(followup=call, user=recruiter, outcome="Told her on the phone")

    bounced = closed_candidacy(job, T0 + 2 * DAY, clock)
    plan_all(now=T0 + 2 * DAY)
    assert relay_batch(now=T0 + 2 * DAY + 2 * HOUR).sent == 1
    Message.objects.filter(candidacy=bounced).update(status="bounced")

    never = closed_candidacy(job, T0 + 3 * DAY, clock)

    now = T0 + 6 * DAY
    timers = {t["candidacy_id"]: t for t in due_timers(now, "closure", T0, T0 + 7 * DAY)}
    assert [(timers[c.pk]["state"], timers[c.pk]["late_by"]) for c in (on_time, late)] == [
        (TimerState.MET, None),
        (TimerState.MET_LATE, 2 * MINUTE),
    ]
    assert timers[bounced.pk]["state"] == timers[never.pk]["state"] == TimerState.BREACHED
    assert [t["candidacy_id"] for t in open_timers(now, "closure")] == [bounced.pk, never.pk]
    started = timer_list(
        now=now, window=TimerWindow.started(T0 + DAY, T0 + 3 * DAY), kinds=["closure"]
    )
    assert [t["candidacy_id"] for t in started] == [late.pk, bounced.pk]


# --- client digests ------------------------------------------------------------------------------


def test_client_digest_timers_from_the_job_opening_and_each_digest_sent(recruiter, clock):
    hiring_manager = ContactFactory(roles=["hiring_manager"])
    job = JobFactory(owner=recruiter, hiring_manager=hiring_manager)
    clock.move_to(T0 + 7 * DAY)
    assert plan_all(now=T0 + 7 * DAY).digests == 1
    assert relay_batch(now=T0 + 7 * DAY).sent == 1

    now = T0 + 13 * DAY
    assert brief(due_timers(now, "client_digest", T0, now)) == [
        (T0, T0 + 7 * DAY, T0 + 7 * DAY, TimerState.MET)
    ]
    [current] = open_timers(now, "client_digest")
    assert (current["job_id"], current["contact_id"], current["state"]) == (
        job.pk,
        hiring_manager.pk,
        TimerState.DUE_SOON,
    )
    clock.move_to(T0 + 16 * DAY)
    job_close(job=job, status="filled", user=recruiter)
    assert open_timers(T0 + 16 * DAY, "client_digest") == []
    assert brief(due_timers(T0 + 16 * DAY, "client_digest", T0 + 8 * DAY, T0 + 16 * DAY)) == [
        (T0 + 7 * DAY, T0 + 14 * DAY, None, TimerState.BREACHED)
    ]


def test_a_split_job_owes_its_first_digest_a_cadence_after_it_was_created(recruiter, clock):
    """A sibling inherits the original's opening (jobs.services.splitting.SIBLING_FIELDS); its
    first timer starts when it was created, not a period before it existed."""
    job = JobFactory(owner=recruiter, hiring_manager=ContactFactory(roles=["hiring_manager"]))
    clock.move_to(T0 + 7 * DAY)
    plan_all(now=T0 + 7 * DAY)
    assert relay_batch(now=T0 + 7 * DAY).sent == 1
    clock.move_to(T0 + 10 * DAY)
    job_a, job_b = job_split(job=job, user=recruiter, title_a="A", title_b="B", routes={})
    assert job_a.opened_at == T0
    assert plan_all(now=T0 + 10 * DAY).digests == 2  # the opening's grid: the day-7 period
    assert relay_batch(now=T0 + 10 * DAY).sent == 2
    clock.move_to(T0 + 14 * DAY)
    plan_all(now=T0 + 14 * DAY)
    assert relay_batch(now=T0 + 14 * DAY).sent == 2

    timers = due_timers(T0 + 15 * DAY, "client_digest", T0, T0 + 18 * DAY)
    assert sorted((t["job_id"], *b) for t, b in zip(timers, brief(timers), strict=True)) == [
        (job.pk, T0, T0 + 7 * DAY, T0 + 7 * DAY, TimerState.MET),
        (job_a.pk, T0 + 10 * DAY, T0 + 17 * DAY, T0 + 10 * DAY, TimerState.MET),
        (job_a.pk, T0 + 10 * DAY, T0 + 17 * DAY, T0 + 14 * DAY, TimerState.MET),
        (job_b.pk, T0 + 10 * DAY, T0 + 17 * DAY, T0 + 10 * DAY, TimerState.MET),
        (job_b.pk, T0 + 10 * DAY, T0 + 17 * DAY, T0 + 14 * DAY, TimerState.MET),
    ]


# --- relationship touches ------------------------------------------------------------------------


def test_relationship_touch_timer_follows_the_tier_cadence(recruiter, clock):
    relationship = RelationshipFactory(owner=recruiter, tier="A")  # every 14 days
    clock.move_to(T0 + 10 * DAY)
    interaction_log(
        contact=relationship.contact, kind="call", summary="Caught up", recruiter=recruiter
    )
    clock.move_to(T0 + 30 * DAY)
    interaction_log(contact=relationship.contact, kind="note", summary="Not a touch")

    now = T0 + 30 * DAY
    assert brief(due_timers(now, "relationship_touch", T0, now)) == [
        (T0, T0 + 14 * DAY, T0 + 10 * DAY, TimerState.MET),
        (T0 + 10 * DAY, T0 + 24 * DAY, None, TimerState.BREACHED),
    ]
    [current] = open_timers(now, "relationship_touch")
    assert (current["relationship_id"], current["time_left"]) == (relationship.pk, -6 * DAY)


# --- client decisions ----------------------------------------------------------------------------


def test_client_decision_timer_waits_from_submittal_to_the_next_move(recruiter, clock):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter), stage="screening")
    clock.move_to(T0 + DAY)
    candidacy_move(candidacy=candidacy, to_stage="submitted", user=recruiter)
    assert open_timers(T0 + 5 * DAY, "client_decision")[0]["state"] == TimerState.DUE_SOON
    clock.move_to(T0 + 7 * DAY)  # the client answered two days past the 5 days
    candidacy_move(candidacy=candidacy, to_stage="client_interview", user=recruiter)

    now = T0 + 8 * DAY
    assert brief(due_timers(now, "client_decision", T0, now + 30 * DAY)) == [
        (T0 + DAY, T0 + 6 * DAY, T0 + 7 * DAY, TimerState.MET_LATE),
        (T0 + 7 * DAY, T0 + 12 * DAY, None, TimerState.ON_TRACK),
    ]
    met = timer_list(now=now, window=TimerWindow.met(T0, now), kinds=["client_decision"])
    assert [(t["stage"], t["met_at"]) for t in met] == [("submitted", T0 + 7 * DAY)]


# --- handoffs keep the clock ---------------------------------------------------------------------


def test_a_handoff_moves_every_timer_with_its_remaining_time(recruiter, other_recruiter, clock):
    hiring_manager = ContactFactory(roles=["hiring_manager"])
    RelationshipFactory(owner=recruiter, contact=hiring_manager)
    job = JobFactory(owner=recruiter, hiring_manager=hiring_manager)
    candidacy = CandidacyFactory(job=job, stage="submitted")
    RelationshipFactory(owner=recruiter, contact=candidacy.contact)
    closed = CandidacyFactory(job=job)
    candidacy_close(candidacy=closed, outcome="not_a_fit", user=recruiter)
    now = T0 + 3 * DAY
    before = {t["key"]: t for t in timer_list(now=now, window=TimerWindow.open())}
    assert sorted({t["kind"] for t in before.values()}) == sorted(TimerKind.values)
    assert {t["owner_id"] for t in before.values()} == {recruiter.pk}

    chase = FollowUp.objects.create(
        owner=recruiter, contact=hiring_manager, summary="Chase", due_at=T0 + 4 * DAY
    )
    clock.move_to(T0 + 2 * DAY)
    handoff = relationship_handoff(
        from_recruiter=recruiter, to_recruiter=other_recruiter, performed_by=recruiter
    )

    # What moved is recorded; the follow-up keeps its due time.
    assert list(handoff.jobs_moved.values_list("job_id", "open_candidacies")) == [(job.pk, 1)]
    assert (handoff.followups_moved.followups, handoff.followups_moved.messages) == (1, 0)
    chase.refresh_from_db()
    assert (chase.owner_id, chase.due_at) == (other_recruiter.pk, T0 + 4 * DAY)

    after = {t["key"]: t for t in timer_list(now=now, window=TimerWindow.open())}
    assert sorted(after) == sorted(before)
    for key, timer in after.items():
        assert (timer["started_at"], timer["due_at"], timer["time_left"], timer["state"]) == (
            before[key]["started_at"],
            before[key]["due_at"],
            before[key]["time_left"],
            before[key]["state"],
        )
    assert {t["owner_id"] for t in after.values()} == {other_recruiter.pk}
    mine = timer_list(now=now, window=TimerWindow.open(), owner_ids=[recruiter.pk])
    assert mine == []


def test_open_timers_needing_attention_leave_out_those_on_track(recruiter, clock):
    quiet = RelationshipFactory(owner=recruiter, tier="A")  # due on day 14
    clock.move_to(T0 + 5 * DAY)
    fresh = RelationshipFactory(owner=recruiter, tier="A")  # due on day 19
    window = TimerWindow.open(attention=True)

    def needing(now):
        timers = timer_list(now=now, window=window, kinds=["relationship_touch"])
        return [(t["relationship_id"], t["state"]) for t in timers]

    assert needing(T0 + 10 * DAY) == []  # 4 days of 14 left: on track
    assert needing(T0 + 11 * DAY) == [(quiet.pk, TimerState.DUE_SOON)]  # 3 days: a quarter
    assert needing(T0 + 16 * DAY) == [
        (quiet.pk, TimerState.BREACHED),
        (fresh.pk, TimerState.DUE_SOON),
    ]
