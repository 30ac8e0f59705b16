import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from followups.models import FollowUp, JobPolicy, Message, MessageKind
from followups.planners import plan_all
from jobs.services import candidacy_close, candidacy_move, job_close
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, RelationshipFactory
from tests.followups.conftest import T0


def test_status_update_planned_once_when_candidacy_goes_quiet(clock, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    # Due a week after its start; planned the review window (4 h) plus an hour before that.
    clock.shift(timedelta(days=6, hours=18, minutes=59))
    assert plan_all(now=timezone.now()).status_updates == 0

    clock.shift(timedelta(minutes=2))
    first = plan_all(now=timezone.now())
    second = plan_all(now=timezone.now())

    message = Message.objects.get()
    assert (first.status_updates, second.status_updates) == (1, 0)
    assert message.kind == MessageKind.STATUS_UPDATE
    assert message.candidacy_id == candidacy.pk
    assert message.owner_id == recruiter.pk
    assert message.recipient == candidacy.contact.emails[0]
    assert message.idempotency_key == f"status_update:{candidacy.pk}:2026-03-09"
    assert message.send_after == timezone.now() + timedelta(hours=4)
    assert message.send_after == T0 + timedelta(days=7) - timedelta(minutes=59)


def test_job_policy_overrides_the_cadence(clock, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    JobPolicy.objects.create(job=candidacy.job, update_cadence_days=3)
    clock.shift(timedelta(days=3, minutes=1))

    assert plan_all(now=timezone.now()).status_updates == 1


def test_closure_notice_after_undo_window_before_deadline(clock, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    candidacy_close(candidacy=candidacy, outcome="rejected_by_client", user=recruiter)

    plan_all(now=timezone.now())
    plan_all(now=timezone.now())

    message = Message.objects.get(kind=MessageKind.CLOSURE)
    assert message.idempotency_key == f"closure:{candidacy.pk}"
    assert message.send_after == T0 + timedelta(hours=1)
    assert message.deadline == T0 + timedelta(hours=48)


def test_closing_a_job_plans_a_notice_for_every_open_candidate_and_the_client(clock, recruiter):
    manager = ContactFactory(first_name="Hank", roles=["hiring_manager"])
    job = JobFactory(owner=recruiter, hiring_manager=manager)
    candidacies = [CandidacyFactory(job=job) for _ in range(3)]
    job_close(job=job, status="filled", user=recruiter)

    plan_all(now=timezone.now())

    closures = Message.objects.filter(kind=MessageKind.CLOSURE)
    assert sorted(closures.values_list("candidacy_id", flat=True)) == sorted(
        c.pk for c in candidacies
    )
    client = Message.objects.get(kind=MessageKind.JOB_CLOSED)
    assert (client.contact_id, client.idempotency_key) == (manager.pk, f"job_closed:{job.pk}")


def test_digest_planned_once_per_week_for_an_open_job(clock, recruiter):
    manager = ContactFactory(roles=["hiring_manager"])
    job = JobFactory(owner=recruiter, hiring_manager=manager)
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())
    plan_all(now=timezone.now())
    clock.shift(timedelta(days=3))
    plan_all(now=timezone.now())
    clock.shift(timedelta(days=4))
    plan_all(now=timezone.now())

    keys = list(
        Message.objects.filter(kind=MessageKind.CLIENT_DIGEST)
        .order_by("id")
        .values_list("idempotency_key", flat=True)
    )
    assert keys == [f"digest:{job.pk}:2026-03-09", f"digest:{job.pk}:2026-03-16"]


def test_relationship_cadence_follow_up_when_the_next_touch_is_past(clock, recruiter):
    relationship = RelationshipFactory(owner=recruiter, tier="A")
    clock.shift(timedelta(days=14, minutes=1))

    plan_all(now=timezone.now())
    plan_all(now=timezone.now())

    followup = FollowUp.objects.get()
    assert (followup.reason, followup.kind, followup.owner_id) == (
        "relationship_cadence",
        "call",
        recruiter.pk,
    )
    assert followup.contact_id == relationship.contact_id
    assert followup.due_at == relationship.next_touch_due


def test_chase_the_client_after_the_threshold(clock, recruiter):
    manager = ContactFactory(roles=["hiring_manager"])
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter, hiring_manager=manager))
    candidacy_move(candidacy=candidacy, to_stage="submitted", user=recruiter)
    clock.shift(timedelta(days=5, minutes=1))

    plan_all(now=timezone.now())
    plan_all(now=timezone.now())

    followup = FollowUp.objects.get(reason="chase_client")
    assert (followup.contact_id, followup.candidacy_id, followup.owner_id) == (
        manager.pk,
        candidacy.pk,
        recruiter.pk,
    )


@pytest.mark.django_db(transaction=True)
def test_planner_run_concurrently_twice_creates_no_duplicates(recruiter):
    jobs = [JobFactory(owner=recruiter) for _ in range(2)]
    candidacies = [CandidacyFactory(job=jobs[i % 2]) for i in range(40)]
    for candidacy in candidacies[:20]:
        candidacy_close(candidacy=candidacy, outcome="not_a_fit", user=recruiter)
    later = timezone.now() + timedelta(days=8)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            plan_all(now=later)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Message.objects.filter(kind=MessageKind.STATUS_UPDATE).count() == 20
    assert Message.objects.filter(kind=MessageKind.CLOSURE).count() == 0  # past the deadline
    assert Message.objects.count() == 20
