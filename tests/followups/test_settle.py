"""What a logged touch or a client's decision settles: the keep-in-touch follow-up, the "call
instead" and the "chase the client" follow-ups are completed by what answers them."""

from datetime import timedelta

from django.utils import timezone

from followups.models import FollowUp, Message
from followups.planners import plan_all
from followups.relay import relay_batch
from followups.services import call_instead_plan, followup_complete
from jobs.models import Candidacy
from jobs.services import candidacy_close, candidacy_move, job_close
from relationships.models import Interaction
from relationships.services import interaction_log
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, RelationshipFactory
from tests.helpers import statements


def cadence_followup(clock, recruiter, **contact) -> FollowUp:
    relationship = RelationshipFactory(owner=recruiter, tier="A", contact=ContactFactory(**contact))
    clock.shift(timedelta(days=14, minutes=1))
    plan_all(now=timezone.now())
    return FollowUp.objects.get(contact=relationship.contact, reason="relationship_cadence")


def test_a_logged_call_completes_the_open_keep_in_touch_follow_up(clock, recruiter):
    followup = cadence_followup(clock, recruiter, first_name="Ana")

    interaction_log(contact=followup.contact, kind="call", summary="Caught up", recruiter=recruiter)

    followup.refresh_from_db()
    assert (followup.completed_at, followup.outcome) == (
        timezone.now(),
        "Touched: call on 16 Mar 2026",
    )


def test_done_on_a_follow_up_its_touch_already_completed_logs_nothing_twice(clock, recruiter):
    followup = cadence_followup(clock, recruiter)
    interaction_log(contact=followup.contact, kind="call", summary="Caught up", recruiter=recruiter)

    done = followup_complete(followup=followup, user=recruiter, outcome="Caught up")

    assert done.outcome == "Touched: call on 16 Mar 2026"
    assert list(Interaction.objects.values_list("kind", "summary")) == [("call", "Caught up")]


def test_a_touch_older_than_the_last_one_or_a_note_leaves_the_follow_up_open(clock, recruiter):
    followup = cadence_followup(clock, recruiter)
    interaction_log(
        contact=followup.contact,
        kind="email",
        summary="Sent a note",
        occurred_at=timezone.now() - timedelta(days=20),
        recruiter=recruiter,
    )
    interaction_log(contact=followup.contact, kind="note", summary="Thinking", recruiter=recruiter)

    followup.refresh_from_db()
    assert followup.is_open


def call_instead(clock, recruiter) -> FollowUp:
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    candidacy_close(candidacy=candidacy, outcome="not_a_fit", user=recruiter)
    plan_all(now=timezone.now())
    Message.objects.filter(kind="closure").update(status="bounced")
    call_instead_plan(now=timezone.now())
    return FollowUp.objects.get(reason="call_instead")


def test_a_logged_call_completes_the_call_instead_and_touches_the_candidacy(clock, recruiter):
    followup = call_instead(clock, recruiter)
    clock.shift(timedelta(hours=2))
    interaction_log(contact=followup.contact, kind="email", summary="Wrote", recruiter=recruiter)
    followup.refresh_from_db()
    assert followup.is_open

    interaction_log(contact=followup.contact, kind="call", summary="Told her", recruiter=recruiter)

    followup.refresh_from_db()
    assert followup.outcome == "Touched: call on 2 Mar 2026"
    candidacy = Candidacy.objects.get(pk=followup.candidacy_id)
    assert candidacy.last_candidate_touch_at == timezone.now()


def chase(clock, recruiter) -> FollowUp:
    manager = ContactFactory(roles=["hiring_manager"])
    job = JobFactory(owner=recruiter, hiring_manager=manager)
    candidacy = CandidacyFactory(job=job)
    candidacy_move(candidacy=candidacy, to_stage="submitted", user=recruiter)
    clock.shift(timedelta(days=5, minutes=1))
    plan_all(now=timezone.now())
    return FollowUp.objects.get(reason="chase_client")


def test_a_stage_move_completes_the_chase_the_client_follow_up(clock, recruiter):
    followup = chase(clock, recruiter)

    candidacy_move(candidacy=followup.candidacy, to_stage="client_interview", user=recruiter)

    followup.refresh_from_db()
    assert followup.outcome == "Decided: moved to client interview on 7 Mar 2026"


def test_closing_the_job_completes_the_chase(clock, recruiter):
    followup = chase(clock, recruiter)

    job_close(job=followup.job, status="cancelled", user=recruiter)

    followup.refresh_from_db()
    assert followup.outcome == "Decided: closed, job cancelled on 7 Mar 2026"


def test_a_relay_batch_completes_keep_in_touch_follow_ups_in_one_statement(
    clock, recruiter, outbox
):
    job = JobFactory(owner=recruiter, title="Data lead")
    candidacies = [CandidacyFactory(job=job) for _ in range(3)]
    for candidacy in candidacies:
        RelationshipFactory(contact=candidacy.contact, owner=recruiter, tier="A")
    clock.shift(timedelta(days=14, minutes=1))
    plan_all(now=timezone.now())
    assert FollowUp.objects.open().filter(reason="relationship_cadence").count() == 3
    clock.shift(timedelta(hours=4))

    with statements() as run:
        result = relay_batch(now=timezone.now())

    assert result.sent == 3
    # One statement completes the keep-in-touch follow-ups; the other meets replies owed.
    updates = [sql for sql in run if "UPDATE followups_followup" in sql]
    assert sorted("'reply_owed'" in sql for sql in updates) == [False, True]
    assert (
        sorted(FollowUp.objects.values_list("outcome", flat=True))
        == ["Touched: message sent on 16 Mar 2026"] * 3
    )
