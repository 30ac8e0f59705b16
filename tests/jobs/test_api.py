import pytest

from jobs import services
from jobs.models import Candidacy, Feedback, Job, StageChange
from relationships.models import Interaction
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, OrganizationFactory
from tests.helpers import ids

pytestmark = pytest.mark.django_db

JOBS = "/api/v1/jobs/"
CANDIDACIES = "/api/v1/candidacies/"
FEEDBACK = "/api/v1/feedback/"


# --- authentication and permissions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", JOBS),
        ("post", JOBS),
        ("get", CANDIDACIES),
        ("post", CANDIDACIES),
        ("get", FEEDBACK),
        ("post", FEEDBACK),
        ("post", "/api/v1/jobs/1/split/"),
        ("post", "/api/v1/candidacies/1/move/"),
    ],
)
def test_endpoint_without_credentials_is_401(api, method, path):
    response = getattr(api, method)(path, {}, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_candidacy_list_with_token_answers(api, recruiter, rosa_token):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))

    response = api.get(CANDIDACIES, **rosa_token)

    assert response.status_code == 200
    assert ids(response) == [candidacy.pk]


def test_candidacy_move_of_another_recruiters_job_is_404_and_changes_nothing(tom_api, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))

    response = tom_api.post(
        f"{CANDIDACIES}{candidacy.pk}/move/", {"stage": "screening"}, format="json"
    )

    assert response.status_code == 404
    candidacy.refresh_from_db()
    assert candidacy.stage == "sourced"


def test_job_split_of_another_recruiters_job_is_404(tom_api, recruiter):
    job = JobFactory(owner=recruiter)

    response = tom_api.post(
        f"{JOBS}{job.pk}/split/", {"title_a": "A", "title_b": "B", "routes": []}, format="json"
    )

    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == "open"


def test_candidacy_create_in_another_recruiters_job_is_403(tom_api, recruiter):
    job = JobFactory(owner=recruiter)

    response = tom_api.post(
        CANDIDACIES, {"job": job.pk, "contact": ContactFactory().pk}, format="json"
    )

    assert response.status_code == 403
    assert Candidacy.objects.count() == 0


# --- jobs ----------------------------------------------------------------------------------------


def test_job_create_with_intake(rosa_api, recruiter):
    acme = OrganizationFactory(name="Acme")

    response = rosa_api.post(
        JOBS,
        {
            "title": "Data engineer",
            "organization": acme.pk,
            "client_alias": "A Berlin scale-up",
            "intake": {"asked_for": ["Spark"], "must_have": ["SQL", "Python"]},
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["status"], body["owner"]["id"]) == (
        "Data engineer",
        "intake",
        recruiter.pk,
    )
    assert body["client_alias"] == "A Berlin scale-up"
    assert [(i["kind"], i["text"], i["is_criterion"]) for i in body["intake"]] == [
        ("asked_for", "Spark", False),
        ("must_have", "SQL", True),
        ("must_have", "Python", True),
    ]
    assert body["intake_completeness"] == 25


def test_job_create_unknown_intake_kind_is_400(rosa_api):
    response = rosa_api.post(
        JOBS,
        {"title": "X", "organization": OrganizationFactory().pk, "intake": {"vibes": ["good"]}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["intake"][0].startswith(
        "Unknown intake kinds: vibes."
    )
    assert Job.objects.count() == 0


def test_job_open_incomplete_intake_is_400_naming_the_field(rosa_api, recruiter):
    job = JobFactory(owner=recruiter, intake={"asked_for": ["Python"]}, status="intake")

    response = rosa_api.post(f"{JOBS}{job.pk}/open/", {}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["override_reason"]


def test_job_close_closes_open_candidacies(rosa_api, recruiter):
    job = JobFactory(owner=recruiter)
    CandidacyFactory(job=job)
    CandidacyFactory(job=job)

    response = rosa_api.post(
        f"{JOBS}{job.pk}/close/", {"status": "cancelled", "reason": "Budget cut"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["candidacies_closed"] == 2
    assert response.json()["job"]["status"] == "cancelled"
    assert set(Candidacy.objects.values_list("outcome", flat=True)) == {"job_cancelled"}


def test_job_split_routes_and_answers_both_jobs(rosa_api, recruiter):
    job = JobFactory(owner=recruiter, title="Engineer")
    first, second = CandidacyFactory(job=job), CandidacyFactory(job=job)

    response = rosa_api.post(
        f"{JOBS}{job.pk}/split/",
        {
            "title_a": "Platform",
            "title_b": "Solutions",
            "routes": [
                {"candidacy": first.pk, "route": "a"},
                {"candidacy": second.pk, "route": "both"},
            ],
        },
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["original"]["status"] == "split"
    assert (body["job_a"]["split_from"], body["job_b"]["split_from"]) == (job.pk, job.pk)
    assert Candidacy.objects.filter(job_id=body["job_a"]["id"]).count() == 2
    assert Candidacy.objects.filter(job_id=body["job_b"]["id"]).count() == 1


def test_job_split_closed_job_is_400_and_changes_nothing(rosa_api, recruiter):
    job = JobFactory(owner=recruiter)
    services.job_close(job=job, status="filled", user=recruiter)
    jobs_before = Job.objects.count()

    response = rosa_api.post(
        f"{JOBS}{job.pk}/split/", {"title_a": "A", "title_b": "B", "routes": []}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "job": ["This job is filled; only an active job splits."]
    }
    assert Job.objects.count() == jobs_before


def test_job_split_suggestion_quiet_without_feedback(rosa_api, recruiter):
    job = JobFactory(owner=recruiter)

    response = rosa_api.get(f"{JOBS}{job.pk}/split-suggestion/")

    assert response.json() == {
        "fires": False,
        "stalled": False,
        "diverging": False,
        "interviews": 0,
        "offers": 0,
        "evidence": [],
        "summary": "0 interviews, 0 offers",
    }


# --- candidacies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_candidacy_list_query_count_is_constant(
    rosa_api, recruiter, django_assert_num_queries, count
):
    job = JobFactory(owner=recruiter)
    for _ in range(count):
        CandidacyFactory(job=job)

    # session, user, one page of candidacies with contact and job
    with django_assert_num_queries(3):
        response = rosa_api.get(CANDIDACIES, {"job": job.pk})

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_job_list_api_query_count_is_constant(
    rosa_api, recruiter, django_assert_num_queries, count
):
    for _ in range(count):
        JobFactory(owner=recruiter)

    # session, user, one page of jobs, their intake items, their interviewers
    with django_assert_num_queries(5):
        response = rosa_api.get(JOBS)

    assert len(response.json()["results"]) == count


def test_candidacy_list_pages_with_a_cursor(rosa_api, recruiter):
    job = JobFactory(owner=recruiter)
    ids = [CandidacyFactory(job=job).pk for _ in range(3)]

    first = rosa_api.get(CANDIDACIES, {"limit": 2}).json()
    second = rosa_api.get(first["next"]).json()

    assert [row["id"] for row in first["results"]] == [ids[2], ids[1]]
    assert [row["id"] for row in second["results"]] == [ids[0]]
    assert second["next"] is None


def test_candidacy_move_writes_stage_change_and_interaction(rosa_api, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter, title="Data lead"))

    response = rosa_api.post(
        f"{CANDIDACIES}{candidacy.pk}/move/", {"stage": "client_interview"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["stage"] == "client_interview"
    assert StageChange.objects.filter(candidacy=candidacy).count() == 2
    assert Interaction.objects.filter(contact=candidacy.contact).first().summary == (
        "Data lead: Sourced → Client interview"
    )
    history = rosa_api.get(f"{CANDIDACIES}{candidacy.pk}/history/").json()
    assert [(h["from_stage"], h["to_stage"]) for h in history] == [
        ("", "sourced"),
        ("sourced", "client_interview"),
    ]


def test_candidacy_move_closed_is_400(rosa_api, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    services.candidacy_close(candidacy=candidacy, outcome="not_a_fit", user=recruiter)

    response = rosa_api.post(
        f"{CANDIDACIES}{candidacy.pk}/move/", {"stage": "screening"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "stage": ["This candidacy is closed (not a fit); a closed candidacy does not move."]
    }


def test_candidacy_create_second_open_is_400(rosa_api, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))

    response = rosa_api.post(
        CANDIDACIES, {"job": candidacy.job_id, "contact": candidacy.contact_id}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["contact"]
    assert Candidacy.objects.count() == 1


def test_candidacy_close_with_reason(rosa_api, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))

    response = rosa_api.post(
        f"{CANDIDACIES}{candidacy.pk}/close/",
        {"outcome": "rejected_by_client", "reason": "Too junior"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["outcome_reason"]) == ("rejected_by_client", "Too junior")
    assert body["decided_at"] is not None


# --- feedback ------------------------------------------------------------------------------------


def test_feedback_create_with_scores(rosa_api, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    depth = candidacy.job.intake_items.get(text="Technical depth")
    ana = ContactFactory(first_name="Ana", last_name="Silva")

    response = rosa_api.post(
        FEEDBACK,
        {
            "candidacy": candidacy.pk,
            "interviewer": ana.pk,
            "recommendation": "yes",
            "scores": [{"criterion": depth.pk, "score": 4}],
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["interviewer_name"] == "Ana Silva"
    assert body["scores"] == [
        {"criterion": depth.pk, "criterion_text": "Technical depth", "score": 4}
    ]


def test_feedback_create_unknown_criterion_is_400_and_changes_nothing(rosa_api, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    elsewhere = JobFactory(owner=recruiter).intake_items.get(text="Technical depth")

    response = rosa_api.post(
        FEEDBACK,
        {
            "candidacy": candidacy.pk,
            "interviewer": ContactFactory().pk,
            "recommendation": "yes",
            "scores": [{"criterion": elsewhere.pk, "score": 4}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "scores": [f"This job has no criterion #{elsewhere.pk} to score."]
    }
    assert Feedback.objects.count() == 0


def test_schema_documents_jobs_candidacies_and_feedback(rosa_api):
    paths = rosa_api.get("/api/schema/", {"format": "json"}).json()["paths"]

    for path in (
        "/api/v1/jobs/",
        "/api/v1/jobs/{id}/split/",
        "/api/v1/jobs/{id}/intake/",
        "/api/v1/candidacies/{id}/move/",
        "/api/v1/candidacies/{id}/close/",
        "/api/v1/feedback/",
    ):
        assert path in paths
