"""Interviewer feedback where decisions are made: the job page's matrix, the candidate's
candidacies, and the split form, which routes each candidate from the scores and says why."""

import pytest

from jobs import services
from tests.factories import CandidacyFactory, ContactFactory, JobFactory
from tests.helpers import texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosa_client(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def panel(recruiter):
    """A job whose must-haves are technical depth and client-facing experience, and two
    interviewers: Ana Silva, who wants depth, and Ben Okafor, who wants a client-facing person."""
    job = JobFactory(owner=recruiter, title="Software Engineer")
    ana = ContactFactory(first_name="Ana", last_name="Silva")
    ben = ContactFactory(first_name="Ben", last_name="Okafor")
    return job, ana, ben


def scored(job, user, interviewer, recommendation, technical, client_facing, *, contact=None):
    """A scorecard on `contact`'s candidacy (a new candidate when None)."""
    criteria = {item.text: item.pk for item in job.intake_items.all() if item.is_criterion}
    candidacy = (
        job.candidacies.filter(contact=contact).first()
        if contact
        else CandidacyFactory(job=job, stage="client_interview")
    )
    scores = {criteria["Technical depth"]: technical}
    if client_facing is not None:
        scores[criteria["Client-facing experience"]] = client_facing
    services.feedback_record(
        candidacy=candidacy,
        interviewer=interviewer,
        recommendation=recommendation,
        scores=scores,
        user=user,
    )
    return candidacy


def test_job_page_shows_the_matrix_with_each_interviewers_latest_scores(
    rosa_client, recruiter, panel
):
    job, ana, ben = panel
    chloe = CandidacyFactory(
        job=job, contact=ContactFactory(first_name="Chloe", last_name="Dubois")
    ).contact
    scored(job, recruiter, ana, "no", 2, 2, contact=chloe)
    scored(job, recruiter, ana, "strong_yes", 5, 3, contact=chloe)  # her latest
    scored(job, recruiter, ben, "no", 4, None, contact=chloe)

    page = rosa_client.get(f"/jobs/{job.pk}/")

    assert texts(page.content, "matrix-interviewer") == ["Ben Okafor", "Ana Silva"]
    # Per interviewer: the verdict, then technical depth, client-facing, fintech background.
    assert texts(page.content, "matrix-row") == ["Chloe Dubois No 4·· Strong yes 53·"]


@pytest.mark.parametrize("count", [1, 3])
def test_job_page_query_count_is_constant(
    rosa_client, recruiter, panel, django_assert_num_queries, count
):
    job, ana, ben = panel
    for _ in range(count):
        candidacy = scored(job, recruiter, ana, "yes", 5, 2)
        scored(job, recruiter, ben, "no", 5, 2, contact=candidacy.contact)

    # 17 for the job page, 1 for the market notes panel (market)
    with django_assert_num_queries(18):
        page = rosa_client.get(f"/jobs/{job.pk}/")

    assert len(texts(page.content, "matrix-row")) == count


def test_contact_candidacies_show_the_scorecards(rosa_client, recruiter, panel):
    job, ana, ben = panel
    candidacy = scored(job, recruiter, ana, "yes", 5, 2)
    scored(job, recruiter, ben, "mixed", 3, None, contact=candidacy.contact)

    panel_page = rosa_client.get(
        f"/jobs/contacts/{candidacy.contact_id}/candidacies", HTTP_HX_REQUEST="true"
    )

    assert texts(panel_page.content, "scorecard") == [
        "Ben Okafor: Mixed (Technical depth 3)",
        "Ana Silva: Yes (Technical depth 5, Client-facing experience 2)",
    ]


def test_split_form_routes_each_candidate_from_the_scores_and_says_why(
    rosa_client, recruiter, panel
):
    job, ana, ben = panel
    deep = scored(job, recruiter, ana, "yes", 5, 2)
    scored(job, recruiter, ben, "no", 5, 2, contact=deep.contact)
    people = scored(job, recruiter, ana, "no", 2, 5)
    scored(job, recruiter, ben, "strong_yes", 2, 5, contact=people.contact)
    both = scored(job, recruiter, ana, "yes", 4, 5)
    unscored = CandidacyFactory(job=job, stage="client_interview")

    form = rosa_client.get(f"/jobs/{job.pk}/split").context["form"]

    routes = {c.pk: form[f"route_{c.pk}"].initial for c in (deep, people, both, unscored)}
    assert routes == {deep.pk: "a", people.pk: "b", both.pk: "both", unscored.pk: "a"}
    assert form.fields[f"route_{deep.pk}"].help_text == (
        "Stronger on technical depth (5.0) than client-facing experience (2.0): the first job. "
        "Ben Okafor: No (Technical depth 5, Client-facing experience 2). "
        "Ana Silva: Yes (Technical depth 5, Client-facing experience 2)."
    )
    assert form.fields[f"route_{both.pk}"].help_text.startswith(
        "Strong on both technical depth (4.0) and client-facing experience (5.0): both jobs."
    )
    assert form.fields[f"route_{unscored.pk}"].help_text == (
        "Not scored on technical depth or client-facing experience: choose."
    )


def test_split_form_without_diverging_scores_asks_to_choose(rosa_client, recruiter, panel):
    job, ana, ben = panel
    candidacy = scored(job, recruiter, ana, "yes", 4, 4)

    form = rosa_client.get(f"/jobs/{job.pk}/split").context["form"]

    assert form.fields[f"route_{candidacy.pk}"].help_text == (
        "No split in the scores to route by: choose. "
        "Ana Silva: Yes (Technical depth 4, Client-facing experience 4)."
    )
