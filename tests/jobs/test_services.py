import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jobs import services
from jobs.models import Candidacy, Feedback, FeedbackScore, IntakeItem, Job, StageChange
from relationships.models import Interaction
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def state(*models) -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in models}


ALL = (Job, IntakeItem, Candidacy, StageChange, Feedback, FeedbackScore, Interaction)


# --- opening with the intake ---------------------------------------------------------------------


def test_job_open_incomplete_intake_refused_without_override(recruiter):
    job = JobFactory(owner=recruiter, intake={"asked_for": ["A Python developer"]}, status="intake")

    with pytest.raises(ValidationError) as error:
        services.job_open(job=job, user=recruiter)

    assert "override_reason" in error.value.message_dict
    assert "What they really need" in error.value.message_dict["override_reason"][0]
    job.refresh_from_db()
    assert job.status == Job.Status.INTAKE
    assert job.opened_at is None


def test_job_open_incomplete_intake_with_override_is_recorded(recruiter):
    job = JobFactory(owner=recruiter, intake={"asked_for": ["A Python developer"]}, status="intake")

    services.job_open(job=job, user=recruiter, override_reason="Client wants CVs this week")

    job.refresh_from_db()
    assert job.status == Job.Status.OPEN
    assert job.intake_override_by == recruiter
    assert job.intake_override_reason == "Client wants CVs this week"
    assert job.intake_override_at is not None


def test_job_open_complete_intake_needs_no_override(recruiter):
    job = JobFactory(owner=recruiter)

    assert job.status == Job.Status.OPEN
    assert job.intake_override_by is None
    assert job.intake_override_reason == ""


# --- moving and closing candidacies --------------------------------------------------------------


def test_candidacy_move_writes_stage_change_and_interaction(recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter, title="Data lead"))

    services.candidacy_move(
        candidacy=candidacy, to_stage=Candidacy.Stage.SCREENING, user=recruiter, note="Good call"
    )

    candidacy.refresh_from_db()
    assert candidacy.stage == "screening"
    change = candidacy.stage_changes.order_by("-id").first()
    assert (change.from_stage, change.to_stage, change.by, change.note, change.job_id) == (
        "sourced",
        "screening",
        recruiter,
        "Good call",
        candidacy.job_id,
    )
    interaction = Interaction.objects.filter(contact=candidacy.contact).first()
    assert interaction.kind == Interaction.Kind.STAGE_CHANGE
    assert interaction.summary == "Data lead: Sourced → Screening"
    assert interaction.recruiter == recruiter


def test_candidacy_move_closed_candidacy_refused_and_nothing_changes(recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    services.candidacy_close(
        candidacy=candidacy, outcome="not_a_fit", reason="Wants remote", user=recruiter
    )
    before = state(*ALL)

    with pytest.raises(ValidationError) as error:
        services.candidacy_move(candidacy=candidacy, to_stage="screening", user=recruiter)

    assert error.value.message_dict == {
        "stage": ["This candidacy is closed (not a fit); a closed candidacy does not move."]
    }
    assert state(*ALL) == before
    candidacy.refresh_from_db()
    assert candidacy.stage == "sourced"


def test_candidacy_add_second_open_candidacy_refused(recruiter):
    job = JobFactory(owner=recruiter, title="Data lead")
    contact = ContactFactory(first_name="Ines", last_name="Moreau")
    CandidacyFactory(job=job, contact=contact)
    before = state(*ALL)

    with pytest.raises(ValidationError) as error:
        services.candidacy_add(job=job, contact=contact, user=recruiter)

    assert error.value.message_dict == {
        "contact": ["Ines Moreau already has an open candidacy for “Data lead”."]
    }
    assert state(*ALL) == before


def test_candidacy_add_again_after_close_is_allowed_on_purpose(recruiter):
    job = JobFactory(owner=recruiter)
    first = CandidacyFactory(job=job)
    services.candidacy_close(candidacy=first, outcome="candidate_withdrew", user=recruiter)

    again = services.candidacy_add(job=job, contact=first.contact, user=recruiter, again=True)

    assert again.pk != first.pk
    assert Candidacy.objects.open().filter(job=job).count() == 1


def test_candidacy_close_sets_outcome_and_decided_at(recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter, title="Data lead"))

    services.candidacy_close(
        candidacy=candidacy, outcome="rejected_by_client", reason="Too junior", user=recruiter
    )

    candidacy.refresh_from_db()
    assert candidacy.outcome == "rejected_by_client"
    assert candidacy.outcome_reason == "Too junior"
    assert candidacy.decided_at is not None
    assert list(Candidacy.objects.closed()) == [candidacy]
    assert Interaction.objects.filter(contact=candidacy.contact).first().summary == (
        "Data lead: closed, rejected by the client"
    )


def test_candidacy_move_to_placed_closes_as_placed(recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))

    services.candidacy_move(candidacy=candidacy, to_stage="placed", user=recruiter)

    candidacy.refresh_from_db()
    assert (candidacy.stage, candidacy.outcome) == ("placed", "placed")
    assert candidacy.decided_at is not None


def test_candidacy_awaiting_client_lists_submitted_and_interviewing(recruiter):
    job = JobFactory(owner=recruiter)
    submitted = CandidacyFactory(job=job, stage="submitted")
    interviewing = CandidacyFactory(job=job, stage="client_interview")
    CandidacyFactory(job=job, stage="screening")

    assert set(Candidacy.objects.awaiting_client()) == {submitted, interviewing}


def test_candidacy_candidate_touch_record_only_moves_forward(recruiter):
    job = JobFactory(owner=recruiter)
    fresh, touched = CandidacyFactory(job=job), CandidacyFactory(job=job)
    later = dt.datetime(2026, 5, 2, 9, tzinfo=dt.UTC)
    earlier = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
    services.candidacy_candidate_touch_record(candidacy_ids=[touched.pk], at=later)

    changed = services.candidacy_candidate_touch_record(
        candidacy_ids=[fresh.pk, touched.pk], at=earlier
    )

    assert changed == 1
    fresh.refresh_from_db()
    touched.refresh_from_db()
    assert fresh.last_candidate_touch_at == earlier
    assert touched.last_candidate_touch_at == later


# --- closing a job -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "outcome"), [("filled", "job_filled"), ("cancelled", "job_cancelled")]
)
def test_job_close_closes_open_candidacies_with_matching_outcome(recruiter, status, outcome):
    job = JobFactory(owner=recruiter, title="Data lead")
    screening = CandidacyFactory(job=job, stage="screening")
    interviewing = CandidacyFactory(job=job, stage="client_interview")
    withdrew = CandidacyFactory(job=job)
    services.candidacy_close(candidacy=withdrew, outcome="candidate_withdrew", user=recruiter)

    closed = services.job_close(job=job, status=status, user=recruiter, reason="Hired elsewhere")

    assert closed == 2
    job.refresh_from_db()
    assert job.status == status
    assert job.closed_at is not None
    for candidacy in (screening, interviewing):
        candidacy.refresh_from_db()
        assert (candidacy.outcome, candidacy.outcome_reason) == (outcome, "Hired elsewhere")
        assert candidacy.decided_at == job.closed_at
        last = candidacy.stage_changes.order_by("-id").first()
        assert (last.outcome, last.to_stage) == (outcome, candidacy.stage)
        assert Interaction.objects.filter(contact=candidacy.contact).first().kind == "stage_change"
    withdrew.refresh_from_db()
    assert withdrew.outcome == "candidate_withdrew"
    assert not Candidacy.objects.open().filter(job=job).exists()


def test_job_close_twice_refused(recruiter):
    job = JobFactory(owner=recruiter)
    services.job_close(job=job, status="cancelled", user=recruiter)

    with pytest.raises(ValidationError) as error:
        services.job_close(job=job, status="filled", user=recruiter)

    assert error.value.message_dict == {"status": ["This job is already cancelled."]}


# --- feedback ------------------------------------------------------------------------------------


def test_feedback_record_with_scores(recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    depth = candidacy.job.intake_items.get(text="Technical depth")
    ana = ContactFactory(first_name="Ana")

    feedback = services.feedback_record(
        candidacy=candidacy,
        interviewer=ana,
        recommendation="yes",
        scores={depth.pk: 5},
        user=recruiter,
    )

    assert [(s.criterion_id, s.score) for s in feedback.scores.all()] == [(depth.pk, 5)]
    assert list(candidacy.job.interviewers.all()) == [ana]


def test_feedback_record_score_for_unknown_criterion_refused(recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    depth = candidacy.job.intake_items.get(text="Technical depth")
    elsewhere = JobFactory(owner=recruiter).intake_items.get(text="Technical depth")
    before = state(*ALL)

    with pytest.raises(ValidationError) as error:
        services.feedback_record(
            candidacy=candidacy,
            interviewer=ContactFactory(),
            recommendation="yes",
            scores={depth.pk: 4, elsewhere.pk: 5},
            user=recruiter,
        )

    assert error.value.message_dict == {
        "scores": [f"This job has no criterion #{elsewhere.pk} to score."]
    }
    assert state(*ALL) == before


def test_feedback_record_score_out_of_range_refused(recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    depth = candidacy.job.intake_items.get(text="Technical depth")

    with pytest.raises(ValidationError) as error:
        services.feedback_record(
            candidacy=candidacy,
            interviewer=ContactFactory(),
            recommendation="yes",
            scores={depth.pk: 6},
            user=recruiter,
        )

    assert error.value.message_dict == {"scores": ["Score “Technical depth” from 1 to 5."]}
    assert Feedback.objects.count() == 0


# --- splitting -----------------------------------------------------------------------------------


def test_job_split_routes_candidacies_and_keeps_history(recruiter):
    job = JobFactory(owner=recruiter, title="Engineer", organization=OrganizationFactory())
    to_a = CandidacyFactory(job=job)
    to_b = CandidacyFactory(job=job)
    to_both = CandidacyFactory(job=job)
    services.candidacy_move(candidacy=to_both, to_stage="screening", user=recruiter)
    services.candidacy_move(candidacy=to_both, to_stage="client_interview", user=recruiter)
    rejected = CandidacyFactory(job=job)
    services.candidacy_close(candidacy=rejected, outcome="not_a_fit", user=recruiter)

    job_a, job_b = services.job_split(
        job=job,
        user=recruiter,
        title_a="Engineer (platform)",
        title_b="Engineer (client-facing)",
        routes={to_a.pk: "a", to_b.pk: "b", to_both.pk: "both"},
    )

    job.refresh_from_db()
    assert job.status == Job.Status.SPLIT
    assert (job_a.split_from, job_b.split_from) == (job, job)
    assert job_a.status == job_b.status == Job.Status.OPEN
    for sibling in (job_a, job_b):
        assert sorted(sibling.intake_items.values_list("kind", "text")) == sorted(
            job.intake_items.values_list("kind", "text")
        )
    assert set(Candidacy.objects.filter(job=job_a)) == {to_a, to_both}
    copy = Candidacy.objects.get(job=job_b, contact=to_both.contact)
    assert {c.contact_id for c in Candidacy.objects.filter(job=job_b)} == {
        to_b.contact_id,
        to_both.contact_id,
    }
    assert copy.copied_from == to_both
    assert copy.stage == "client_interview"
    history = [(c.from_stage, c.to_stage, c.job_id) for c in copy.stage_changes.all()]
    assert history == [
        ("", "sourced", job.pk),
        ("sourced", "screening", job.pk),
        ("screening", "client_interview", job.pk),
    ]
    assert [(c.from_stage, c.to_stage) for c in to_both.stage_changes.all()] == [
        (f, t) for f, t, _ in history
    ]
    # The closed candidacy stays with the original, and the original's history still counts.
    assert list(Candidacy.objects.filter(job=job)) == [rejected]
    assert [c.is_copy for c in copy.stage_changes.all()] == [True, True, True]
    assert (
        StageChange.objects.filter(job=job, to_stage="client_interview", is_copy=False).count() == 1
    )
    assert Interaction.objects.filter(contact=to_both.contact).first().summary == (
        "Engineer was split: moved to Engineer (platform) and Engineer (client-facing)"
    )


def test_job_split_closed_job_refused_and_nothing_changes(recruiter):
    job = JobFactory(owner=recruiter)
    services.job_close(job=job, status="filled", user=recruiter)
    before = state(*ALL)

    with pytest.raises(ValidationError) as error:
        services.job_split(job=job, user=recruiter, title_a="A", title_b="B", routes={})

    assert error.value.message_dict == {"job": ["This job is filled; only an active job splits."]}
    assert state(*ALL) == before


def test_job_split_unrouted_candidacy_refused_and_nothing_changes(recruiter):
    job = JobFactory(owner=recruiter)
    routed = CandidacyFactory(job=job)
    CandidacyFactory(job=job, contact=ContactFactory(first_name="Ines", last_name="Moreau"))
    before = state(*ALL)

    with pytest.raises(ValidationError) as error:
        services.job_split(
            job=job, user=recruiter, title_a="A", title_b="B", routes={routed.pk: "a"}
        )

    assert error.value.message_dict == {"routes": ["Route every open candidacy: Ines Moreau."]}
    assert state(*ALL) == before
    job.refresh_from_db()
    assert job.status == Job.Status.OPEN


# --- handoff -------------------------------------------------------------------------------------


def test_handoff_of_everything_moves_active_jobs(recruiter, other_recruiter):
    from relationships.services import relationship_handoff
    from tests.factories import RelationshipFactory

    RelationshipFactory(owner=recruiter)
    active = JobFactory(owner=recruiter)
    filled = JobFactory(owner=recruiter)
    services.job_close(job=filled, status="filled", user=recruiter)

    relationship_handoff(
        from_recruiter=recruiter, to_recruiter=other_recruiter, performed_by=recruiter
    )

    active.refresh_from_db()
    filled.refresh_from_db()
    assert active.owner == other_recruiter
    assert filled.owner == recruiter


# --- who may change a job ------------------------------------------------------------------------


CHANGES = {
    "intake": lambda job, candidacy, user: services.job_intake_update(
        job=job, items={"must_have": ["SQL"]}, user=user
    ),
    "open": lambda job, candidacy, user: services.job_open(
        job=job, user=user, override_reason="Now"
    ),
    "close": lambda job, candidacy, user: services.job_close(job=job, status="filled", user=user),
    "split": lambda job, candidacy, user: services.job_split(
        job=job, user=user, title_a="A", title_b="B", routes={candidacy.pk: "a"}
    ),
    "add": lambda job, candidacy, user: services.candidacy_add(
        job=job, contact=ContactFactory(), user=user
    ),
    "move": lambda job, candidacy, user: services.candidacy_move(
        candidacy=candidacy, to_stage="screening", user=user
    ),
    "close candidacy": lambda job, candidacy, user: services.candidacy_close(
        candidacy=candidacy, outcome="not_a_fit", user=user
    ),
    "feedback": lambda job, candidacy, user: services.feedback_record(
        candidacy=candidacy, interviewer=ContactFactory(), recommendation="yes", user=user
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_another_recruiter_changes_nothing_of_a_job(recruiter, other_recruiter, change):
    job = JobFactory(owner=recruiter, status="on_hold" if change == "open" else "open")
    candidacy = CandidacyFactory(job=job)
    before = state(*ALL)

    with pytest.raises(PermissionDenied) as error:
        CHANGES[change](job, candidacy, other_recruiter)

    assert str(error.value) == "Only the job's owner, a manager or an admin changes this job."
    assert state(*ALL) == before


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_manager_changes_anyones_job(recruiter, manager, change):
    job = JobFactory(owner=recruiter, status="on_hold" if change == "open" else "open")
    candidacy = CandidacyFactory(job=job)

    assert CHANGES[change](job, candidacy, manager) is not None
