import pytest

from jobs import services
from jobs.divergence import split_suggestion_get, split_suggestion_map
from jobs.models import Job
from tests.factories import CandidacyFactory, ContactFactory, JobFactory

pytestmark = pytest.mark.django_db

TECHNICAL = {"Technical depth": 5, "Client-facing experience": 2}
CLIENT_FACING = {"Technical depth": 2, "Client-facing experience": 5}


def interviewed(job, user, profiles):
    """One candidacy per profile, moved to a client interview."""
    candidacies = []
    for profile in profiles:
        candidacy = CandidacyFactory(job=job, stage="submitted")
        services.candidacy_move(candidacy=candidacy, to_stage="client_interview", user=user)
        candidacies.append((candidacy, profile))
    return candidacies


def feedback(user, candidacy, interviewer, recommendation, profile):
    criteria = {item.text: item.pk for item in candidacy.job.intake_items.all()}
    services.feedback_record(
        candidacy=candidacy,
        interviewer=interviewer,
        recommendation=recommendation,
        scores={criteria[text]: score for text, score in profile.items()},
        user=user,
    )


@pytest.fixture
def panel(recruiter):
    job = JobFactory(owner=recruiter)
    ana = ContactFactory(first_name="Ana", last_name="Silva")
    ben = ContactFactory(first_name="Ben", last_name="Okafor")
    pipeline = interviewed(job, recruiter, [TECHNICAL, CLIENT_FACING, TECHNICAL, CLIENT_FACING])
    return job, ana, ben, pipeline


def test_split_suggestion_fires_when_interviewers_want_different_people(recruiter, panel):
    job, ana, ben, pipeline = panel
    for candidacy, profile in pipeline:
        technical = profile is TECHNICAL
        feedback(recruiter, candidacy, ana, "yes" if technical else "no", profile)
        feedback(recruiter, candidacy, ben, "no" if technical else "strong_yes", profile)

    suggestion = split_suggestion_get(job=job)

    assert suggestion.fires is True
    assert (suggestion.interviews, suggestion.offers) == (4, 0)
    assert suggestion.summary == (
        "Ana rates technical depth, Ben rates client-facing experience; "
        "Ana and Ben disagree on 4 of the 4 candidates they both met; 4 interviews, 0 offers"
    )
    assert suggestion.profiles == ["technical depth", "client-facing experience"]


def test_split_suggestion_quiet_on_a_matched_panel(recruiter, panel):
    job, ana, ben, pipeline = panel
    for candidacy, profile in pipeline:
        verdict = "yes" if profile is TECHNICAL else "no"
        feedback(recruiter, candidacy, ana, verdict, profile)
        feedback(recruiter, candidacy, ben, verdict, profile)

    suggestion = split_suggestion_get(job=job)

    assert suggestion.stalled is True
    assert suggestion.diverging is False
    assert suggestion.fires is False
    assert suggestion.evidence == []


def test_split_suggestion_quiet_when_an_offer_was_made(recruiter, panel):
    job, ana, ben, pipeline = panel
    for candidacy, profile in pipeline:
        technical = profile is TECHNICAL
        feedback(recruiter, candidacy, ana, "yes" if technical else "no", profile)
        feedback(recruiter, candidacy, ben, "no" if technical else "yes", profile)
    services.candidacy_move(candidacy=pipeline[0][0], to_stage="offer", user=recruiter)

    suggestion = split_suggestion_get(job=job)

    assert suggestion.diverging is True
    assert (suggestion.interviews, suggestion.offers) == (4, 1)
    assert suggestion.fires is False


def test_split_suggestion_quiet_without_feedback(recruiter):
    job = JobFactory(owner=recruiter)

    suggestion = split_suggestion_get(job=job)

    assert (suggestion.fires, suggestion.interviews, suggestion.offers) == (False, 0, 0)


def test_split_suggestion_map_reads_many_jobs_in_three_queries(
    recruiter, other_recruiter, panel, django_assert_num_queries
):
    job, ana, ben, pipeline = panel
    for candidacy, profile in pipeline:
        technical = profile is TECHNICAL
        feedback(recruiter, candidacy, ana, "yes" if technical else "no", profile)
        feedback(recruiter, candidacy, ben, "no" if technical else "strong_yes", profile)
    quiet = JobFactory(owner=other_recruiter)
    CandidacyFactory(job=quiet)
    JobFactory(owner=other_recruiter)  # no history, no feedback: nothing to suggest

    with django_assert_num_queries(3):
        suggestions = split_suggestion_map(jobs=Job.objects.all())

    assert sorted(suggestions) == [job.pk, quiet.pk]
    assert (suggestions[job.pk].fires, suggestions[job.pk].owner_id) == (True, recruiter.pk)
    assert (suggestions[quiet.pk].fires, suggestions[quiet.pk].owner_id) == (
        False,
        other_recruiter.pk,
    )
    assert suggestions[job.pk].summary == split_suggestion_get(job=job).summary
