"""Undoing a decision within its window, reopening a closed candidacy, and adding a contact to a
job they already had a closed candidacy for."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from followups.models import Message
from followups.planners import plan_all
from jobs import services
from jobs.models import Candidacy, StageChange
from relationships.models import Interaction
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, UserFactory
from tests.helpers import texts

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rosa_client(client, recruiter, password):
    client.login(username="rosa", password=password)
    return client


def rejected(recruiter, *, stage="submitted", title="Data lead") -> Candidacy:
    job = JobFactory(owner=recruiter, title=title)
    candidacy = CandidacyFactory(
        job=job, contact=ContactFactory(first_name="Ana", last_name="Smith"), stage=stage
    )
    return services.candidacy_close(
        candidacy=candidacy, outcome="rejected_by_client", user=recruiter, reason="Internal hire"
    )


def test_undo_within_the_window_reopens_in_its_stage_and_cancels_the_closure_notice(
    clock, recruiter
):
    candidacy = rejected(recruiter)
    plan_all(now=timezone.now())
    closure = Message.objects.get(kind="closure")
    clock.shift(timedelta(minutes=59))

    undone = services.candidacy_decision_undo(candidacy=candidacy, user=recruiter)

    undone.refresh_from_db()
    assert (undone.stage, undone.outcome, undone.outcome_reason, undone.decided_at) == (
        "submitted",
        "",
        "",
        None,
    )
    assert undone.stage_entered_at == T0
    closure.refresh_from_db()
    assert (closure.status, closure.skip_reason, closure.idempotency_key) == (
        "cancelled",
        "the decision was undone",
        f"closure:{candidacy.pk}:reopened:{closure.pk}",
    )
    assert list(
        Interaction.objects.filter(contact=candidacy.contact)
        .order_by("-occurred_at", "-id")
        .values_list("summary", flat=True)[:2]
    ) == [
        "Closure notice cancelled: the decision was undone",
        "Data lead: decision undone (closed, rejected by the client); back to Submitted to client",
    ]
    last = StageChange.objects.filter(candidacy=candidacy).order_by("at", "id").last()
    assert (last.from_stage, last.to_stage, last.outcome, last.by_id) == (
        "submitted",
        "submitted",
        "",
        recruiter.pk,
    )


def test_a_decision_made_again_after_an_undo_gets_its_own_closure_notice(clock, recruiter):
    candidacy = rejected(recruiter)
    plan_all(now=timezone.now())
    services.candidacy_decision_undo(candidacy=candidacy, user=recruiter)
    clock.shift(timedelta(days=1))
    services.candidacy_close(candidacy=candidacy, outcome="not_a_fit", user=recruiter)

    plan_all(now=timezone.now())

    assert list(
        Message.objects.filter(kind="closure").order_by("id").values_list("status", "send_after")
    ) == [
        ("cancelled", T0 + timedelta(hours=1)),
        ("scheduled", timezone.now() + timedelta(hours=1)),
    ]


def test_undo_of_a_placement_goes_back_to_the_stage_before(clock, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter), stage="screening")
    clock.shift(timedelta(days=2))
    services.candidacy_move(candidacy=candidacy, to_stage="offer", user=recruiter)
    clock.shift(timedelta(days=3))
    services.candidacy_move(candidacy=candidacy, to_stage="placed", user=recruiter)

    undone = services.candidacy_decision_undo(candidacy=candidacy, user=recruiter)

    assert (undone.stage, undone.stage_entered_at, undone.is_open) == (
        "offer",
        T0 + timedelta(days=2),
        True,
    )


def test_after_the_window_the_decision_stands(clock, recruiter):
    candidacy = rejected(recruiter)
    clock.shift(timedelta(minutes=61))

    with pytest.raises(ValidationError) as error:
        services.candidacy_decision_undo(candidacy=candidacy, user=recruiter)

    assert error.value.messages == [
        "The decision of 2 Mar 2026 09:00 stands: it could be undone for 60 minutes. "
        "Add them to the job again to reopen it."
    ]
    candidacy.refresh_from_db()
    assert candidacy.outcome == "rejected_by_client"


def test_only_who_decided_or_a_manager_undoes(clock, recruiter, other_recruiter, manager):
    candidacy = rejected(recruiter)

    with pytest.raises(PermissionDenied):
        services.candidacy_decision_undo(candidacy=candidacy, user=other_recruiter)
    services.candidacy_decision_undo(candidacy=candidacy, user=manager)

    candidacy.refresh_from_db()
    assert candidacy.is_open


def test_undo_is_refused_once_the_closure_notice_left(clock, recruiter):
    candidacy = rejected(recruiter)
    plan_all(now=timezone.now())
    Message.objects.filter(kind="closure").update(status="sent")

    with pytest.raises(ValidationError, match="already been sent: the decision stands"):
        services.candidacy_decision_undo(candidacy=candidacy, user=recruiter)

    candidacy.refresh_from_db()
    assert candidacy.is_open is False


def test_a_candidacy_closed_with_its_job_is_not_undone_alone(clock, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    services.job_close(job=candidacy.job, status="filled", user=recruiter)

    with pytest.raises(ValidationError, match="reopen the job, not the candidacy"):
        services.candidacy_decision_undo(candidacy=candidacy, user=recruiter)


def test_adding_a_contact_whose_candidacy_was_closed_offers_to_reopen_it(clock, recruiter):
    candidacy = rejected(recruiter)

    with pytest.raises(ValidationError) as error:
        services.candidacy_add(job=candidacy.job, contact=candidacy.contact, user=recruiter)

    [problem] = error.value.error_dict["contact"]
    assert problem.code == services.CLOSED_CANDIDACY
    assert problem.params["candidacy_id"] == candidacy.pk
    assert error.value.message_dict == {
        "contact": [
            "Ana Smith had a candidacy for “Data lead”, closed on 2 Mar 2026 (rejected by the "
            "client): reopen it, or add them again as a new candidacy."
        ]
    }
    clock.shift(timedelta(days=10))

    reopened = services.candidacy_reopen(candidacy=candidacy, user=recruiter, stage="screening")

    assert (reopened.pk, reopened.stage, reopened.is_open) == (candidacy.pk, "screening", True)
    assert Candidacy.objects.filter(job=candidacy.job).count() == 1
    assert Interaction.objects.filter(contact=candidacy.contact).first().summary == (
        "Data lead: reopened at Screening (was closed, rejected by the client, on 2 Mar 2026)"
    )


# --- pages ---------------------------------------------------------------------------------------


def test_board_offers_undo_to_who_decided_and_undo_puts_the_card_back(
    clock, rosa_client, recruiter
):
    candidacy = rejected(recruiter)
    board = rosa_client.get(f"/jobs/{candidacy.job_id}/board")
    assert texts(board.content, "decided-candidacy") == [
        "Ana Smith closed, rejected by the client, at 09:00 Undo until 10:00"
    ]

    response = rosa_client.post(
        f"/jobs/candidacies/{candidacy.pk}/undo", {"from": "board"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert texts(response.content, "card-name") == ["Ana Smith"]
    assert texts(response.content, "decided-candidacy") == []


def test_board_shows_no_undo_to_another_recruiter(clock, client, recruiter, password):
    candidacy = rejected(recruiter)
    UserFactory(username="tom")
    client.login(username="tom", password=password)

    board = client.get(f"/jobs/{candidacy.job_id}/board")

    assert texts(board.content, "decided-candidacy") == [
        "Ana Smith closed, rejected by the client, at 09:00"
    ]
    assert client.post(f"/jobs/candidacies/{candidacy.pk}/undo").status_code == 403


def test_undo_after_the_window_says_the_decision_stands(clock, rosa_client, recruiter):
    candidacy = rejected(recruiter)
    clock.shift(timedelta(minutes=61))

    response = rosa_client.post(
        f"/jobs/candidacies/{candidacy.pk}/undo", {"from": "board"}, follow=True
    )

    assert "stands: it could be undone for 60 minutes" in response.content.decode()
    assert texts(response.content, "decided-candidacy") == []


def test_contact_panel_undo_and_the_job_page_list(clock, rosa_client, recruiter):
    candidacy = rejected(recruiter)
    job_page = rosa_client.get(f"/jobs/{candidacy.job_id}/")
    assert len(texts(job_page.content, "decided-candidacy")) == 1

    panel = rosa_client.get(
        f"/jobs/contacts/{candidacy.contact_id}/candidacies", HTTP_HX_REQUEST="true"
    )
    assert texts(panel.content, "undo") == ["Undo"]
    response = rosa_client.post(
        f"/jobs/candidacies/{candidacy.pk}/undo", {"from": "contact"}, HTTP_HX_REQUEST="true"
    )

    assert texts(response.content, "candidacies-notice") == [
        "Undone: Ana Smith is back at submitted to client."
    ]
    assert texts(response.content, "undo") == []


def test_add_form_offers_to_reopen_a_closed_candidacy_or_add_a_new_one(
    clock, rosa_client, recruiter
):
    candidacy = rejected(recruiter)
    url = f"/jobs/contacts/{candidacy.contact_id}/candidacies/add"

    offer = rosa_client.post(
        url, {"job": candidacy.job_id, "stage": "screening"}, HTTP_HX_REQUEST="true"
    )

    assert texts(offer.content, "closed-candidacy") == [
        "Ana Smith had a candidacy for “Data lead”, closed on 2 Mar 2026 (rejected by the "
        "client): reopen it, or add them again as a new candidacy. "
        "Reopen it at screening Add a new candidacy"
    ]
    assert Candidacy.objects.filter(job=candidacy.job).count() == 1
    reopened = rosa_client.post(
        f"/jobs/candidacies/{candidacy.pk}/reopen", {"stage": "screening"}, HTTP_HX_REQUEST="true"
    )
    assert texts(reopened.content, "candidacies-notice") == ["Reopened: Data lead at screening."]
    services.candidacy_close(candidacy=candidacy, outcome="not_a_fit", user=recruiter)

    rosa_client.post(url, {"job": candidacy.job_id, "stage": "sourced", "again": "on"})

    assert Candidacy.objects.filter(job=candidacy.job).count() == 2
