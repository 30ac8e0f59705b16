"""Planners over a big book: chunks, a single run at a time, a daily touch budget."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from followups import planners
from followups.models import FollowUp, Message, MessageKind, PlannerRun, Policy
from followups.planners import plan_all
from followups.planners import sql as planner_sql
from followups.planners.messages import status_updates_plan
from jobs.models import Candidacy
from relationships.models import Relationship
from tests.factories import CandidacyFactory, JobFactory, RelationshipFactory

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def _quiet_candidacies(recruiter, count: int) -> list:
    job = JobFactory(owner=recruiter)
    return [CandidacyFactory(job=job) for _ in range(count)]


def _budget(calls: int) -> None:
    policy = Policy.current()
    policy.daily_touch_budget = calls
    policy.save()


def _pending_update_keys() -> list[str]:
    return sorted(
        Message.objects.filter(kind=MessageKind.STATUS_UPDATE).values_list(
            "idempotency_key", flat=True
        )
    )


def test_planner_over_backlog_larger_than_a_chunk_plans_each_once(clock, recruiter, settings):
    settings.FOLLOWUPS_PLAN_CHUNK = 2
    candidacies = _quiet_candidacies(recruiter, 7)
    clock.shift(timedelta(days=8))

    first = plan_all(now=timezone.now())
    second = plan_all(now=timezone.now())

    assert (first.status_updates, second.status_updates) == (7, 0)
    assert _pending_update_keys() == sorted(
        f"status_update:{candidacy.pk}:2026-03-09" for candidacy in candidacies
    )


def test_planner_run_while_another_holds_the_lock_returns_without_planning(clock, recruiter):
    _quiet_candidacies(recruiter, 3)
    clock.shift(timedelta(days=8))
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [planners.LOCK_KEY])
                locked.set()
                release.wait(timeout=30)
                cursor.execute("SELECT pg_advisory_unlock(%s)", [planners.LOCK_KEY])
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        result = plan_all(now=timezone.now())
    finally:
        release.set()
        holder.join(timeout=30)

    assert result.skipped is True
    assert result.messages == 0
    assert Message.objects.count() == 0
    run = PlannerRun.objects.get(name="followups.plan")
    assert (run.skipped, run.skipped_at, run.started_at) == (1, timezone.now(), None)

    after = plan_all(now=timezone.now())

    assert (after.skipped, after.status_updates) == (False, 3)


@pytest.mark.django_db(transaction=True)
def test_planner_stopped_between_chunks_is_completed_by_the_next_run(recruiter, settings):
    settings.FOLLOWUPS_PLAN_CHUNK = 2
    with time_machine.travel(T0, tick=False) as clock:
        candidacies = _quiet_candidacies(recruiter, 5)
        clock.shift(timedelta(days=8))
        real_execute = planner_sql.execute
        calls = []

        def execute_then_die(sql, params):
            if "status_update" in sql and calls:
                raise RuntimeError("worker killed between chunks")
            calls.append(params)
            return real_execute(sql, params)

        planner_sql.execute = execute_then_die
        try:
            with pytest.raises(RuntimeError, match="between chunks"):
                plan_all(now=timezone.now())
        finally:
            planner_sql.execute = real_execute
        committed = len(_pending_update_keys())

        result = plan_all(now=timezone.now())

    assert committed in (1, 2)  # the first chunk (two ids) stands, whole
    assert result.status_updates == 5 - committed
    assert _pending_update_keys() == sorted(
        f"status_update:{candidacy.pk}:2026-03-09" for candidacy in candidacies
    )


def test_daily_touch_budget_opens_highest_tier_and_most_overdue_first(clock, recruiter):
    _budget(25)
    relationships = {}
    for index in range(40):
        tier = "ABC"[index % 3]
        relationship = RelationshipFactory(owner=recruiter, tier=tier)
        # Overdue by 1..40 days, so each tier has a known order.
        Relationship.objects.filter(pk=relationship.pk).update(
            next_touch_due=T0 - timedelta(days=index + 1)
        )
        relationships[relationship.contact_id] = (tier, index + 1)
    expected_order = sorted(
        relationships, key=lambda pk: (relationships[pk][0], -relationships[pk][1])
    )

    first = plan_all(now=timezone.now())
    again = plan_all(now=timezone.now())
    opened_first = set(
        FollowUp.objects.filter(reason="relationship_cadence").values_list("contact_id", flat=True)
    )
    clock.shift(timedelta(days=1))
    next_day = plan_all(now=timezone.now())

    assert (first.cadence_followups, again.cadence_followups) == (25, 0)
    assert opened_first == set(expected_order[:25])
    assert next_day.cadence_followups == 15
    opened_next = set(
        FollowUp.objects.filter(reason="relationship_cadence").values_list("contact_id", flat=True)
    )
    assert opened_next - opened_first == set(expected_order[25:])


def test_daily_touch_budget_is_per_recruiter(clock, recruiter, other_recruiter):
    _budget(2)
    for owner in (recruiter, other_recruiter):
        for days in (1, 2, 3):
            relationship = RelationshipFactory(owner=owner, tier="B")
            Relationship.objects.filter(pk=relationship.pk).update(
                next_touch_due=T0 - timedelta(days=days)
            )

    result = plan_all(now=timezone.now())

    assert result.cadence_followups == 4
    per_owner = {
        owner.username: FollowUp.objects.filter(owner=owner).count()
        for owner in (recruiter, other_recruiter)
    }
    assert per_owner == {"rosa": 2, "tom": 2}


# The second period's update is planned from here on: its due time less the planner's lead.
SECOND_PERIOD_PLANNED = T0 + timedelta(days=14) - Policy().status_update_lead


def test_two_runs_either_side_of_a_cadence_boundary_leave_one_pending_update(clock, recruiter):
    candidacy = _quiet_candidacies(recruiter, 1)[0]
    plan_all(now=SECOND_PERIOD_PLANNED - timedelta(seconds=1))
    later = plan_all(now=SECOND_PERIOD_PLANNED + timedelta(seconds=1))

    assert later.status_updates == 0
    assert list(
        Message.objects.filter(candidacy=candidacy, kind=MessageKind.STATUS_UPDATE).values_list(
            "idempotency_key", flat=True
        )
    ) == [f"status_update:{candidacy.pk}:2026-03-09"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_straddling_a_cadence_boundary_leave_one_pending_update(recruiter):
    """Two planners at once, one a second before the boundary, one a second after: each sees no
    pending update, each writes a different key; the partial unique index makes the second
    insert wait for the first and then do nothing (ON CONFLICT DO NOTHING), not fail."""
    job = JobFactory(owner=recruiter)
    start = timezone.now()
    candidacies = [CandidacyFactory(job=job) for _ in range(20)]
    Candidacy.objects.filter(pk__in=[c.pk for c in candidacies]).update(created_at=start)
    boundary = start + timedelta(days=14) - Policy().status_update_lead
    first_inserted, release = threading.Event(), threading.Event()
    inserted, errors = {}, []

    def before():
        try:
            with transaction.atomic():
                inserted["before"] = status_updates_plan(
                    now=boundary - timedelta(seconds=1), policy=Policy.current()
                )
                first_inserted.set()
                release.wait(timeout=30)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            first_inserted.set()
            connection.close()

    def after():
        try:
            first_inserted.wait(timeout=30)
            inserted["after"] = status_updates_plan(
                now=boundary + timedelta(seconds=1), policy=Policy.current()
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=before), threading.Thread(target=after)]
    for thread in threads:
        thread.start()
    blocked = _wait_for_a_backend_waiting_on_a_lock()
    release.set()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert blocked is True
    assert inserted == {"before": 20, "after": 0}
    keys = Message.objects.filter(kind=MessageKind.STATUS_UPDATE).values_list(
        "idempotency_key", flat=True
    )
    first_due = (start + timedelta(days=7)).astimezone(UTC)
    assert sorted(keys) == sorted(f"status_update:{c.pk}:{first_due:%Y-%m-%d}" for c in candidacies)


def _wait_for_a_backend_waiting_on_a_lock() -> bool:
    """Whether another backend of this database came to wait on a lock within 20 s."""
    for _ in range(200):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
        threading.Event().wait(0.1)
    return False


def test_a_second_pending_update_for_a_candidacy_is_refused_by_the_database(clock, recruiter):
    candidacy = _quiet_candidacies(recruiter, 1)[0]
    plan_all(now=T0 + timedelta(days=8))
    first = Message.objects.get(candidacy=candidacy)

    with (
        pytest.raises(IntegrityError, match="followups_msg_one_pending_update"),
        transaction.atomic(),
    ):
        Message.objects.create(
            kind=MessageKind.STATUS_UPDATE,
            owner=recruiter,
            contact=candidacy.contact,
            job=candidacy.job,
            candidacy=candidacy,
            idempotency_key=f"status_update:{candidacy.pk}:2026-03-16",
            send_after=timezone.now(),
        )
    first.status = Message.Status.SENT
    first.save()
    Message.objects.create(
        kind=MessageKind.STATUS_UPDATE,
        owner=recruiter,
        contact=candidacy.contact,
        job=candidacy.job,
        candidacy=candidacy,
        idempotency_key=f"status_update:{candidacy.pk}:2026-03-16",
        send_after=timezone.now(),
    )
    assert Message.objects.filter(candidacy=candidacy).count() == 2


def test_status_page_shows_the_last_planning_run(clock, recruiter, admin_user, client):
    _quiet_candidacies(recruiter, 2)
    plan_all(now=T0 + timedelta(days=8))
    client.force_login(admin_user)

    page = client.get("/status/").content.decode()

    assert 'data-testid="planner-followups.plan"' in page
    assert "status updates 2" in page
    assert "(a run is in progress)" not in page
