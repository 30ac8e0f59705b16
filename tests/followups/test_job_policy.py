"""A job's overrides of the follow-through policy: shown on the job page, changed by its owner (or
a manager), and used by the planners."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import JobPolicy, Message, MessageKind
from followups.planners import plan_all
from tests.factories import CandidacyFactory, JobFactory


@pytest.fixture
def job(recruiter):
    return JobFactory(owner=recruiter, title="Data lead")


def _policy_rows(response) -> list[str]:
    html = response.content.decode()
    section = html[html.index('data-testid="job-policy"') :]
    section = section[: section.index("</dl>")]
    rows = []
    for chunk in section.split("<dt")[1:]:
        label = chunk[chunk.index(">") + 1 : chunk.index("</dt>")]
        value = chunk[chunk.index("<dd") :]
        value = value[value.index(">") + 1 : value.index("</dd>")]
        overridden = " (this job)" if "this job" in value else ""
        rows.append(f"{label}: {value.split('<')[0].strip()}{overridden}")
    return rows


def test_job_page_shows_the_policy_with_the_jobs_overrides(client, recruiter, password, job):
    JobPolicy.objects.create(job=job, update_cadence_days=3)
    client.login(username=recruiter.username, password=password)

    response = client.get(f"/jobs/{job.pk}/")

    assert _policy_rows(response) == [
        "Candidate updates every: 3 days (this job)",
        "Client digest every: 7 days",
        "Chase the client after: 5 days",
    ]
    assert f'href="/followups/policy/jobs/{job.pk}/"' in response.content.decode()


def test_owner_sets_an_override_and_the_planner_follows_it(client, recruiter, password, job):
    candidacy = CandidacyFactory(job=job)
    client.login(username=recruiter.username, password=password)

    response = client.post(
        f"/followups/policy/jobs/{job.pk}/",
        {"update_cadence_days": "2", "digest_cadence_days": "", "chase_client_days": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    override = JobPolicy.objects.get(job=job)
    assert (override.update_cadence_days, override.digest_cadence_days) == (2, None)
    plan_all(now=timezone.now() + timedelta(days=2, minutes=1))
    assert list(
        Message.objects.filter(kind=MessageKind.STATUS_UPDATE).values_list(
            "candidacy_id", flat=True
        )
    ) == [candidacy.pk]


def test_clearing_every_field_returns_the_job_to_the_agency_policy(
    client, recruiter, password, job
):
    JobPolicy.objects.create(job=job, update_cadence_days=3, chase_client_days=2)
    client.login(username=recruiter.username, password=password)

    response = client.post(
        f"/followups/policy/jobs/{job.pk}/",
        {"update_cadence_days": "", "digest_cadence_days": "", "chase_client_days": ""},
    )

    assert response.status_code == 302
    assert not JobPolicy.objects.filter(job=job).exists()


def test_zero_days_is_refused_next_to_the_field_and_nothing_changes(
    client, recruiter, password, job
):
    client.login(username=recruiter.username, password=password)

    response = client.post(
        f"/followups/policy/jobs/{job.pk}/",
        {"update_cadence_days": "0", "digest_cadence_days": "", "chase_client_days": ""},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "update_cadence_days": ["Ensure this value is greater than or equal to 1."]
    }
    assert not JobPolicy.objects.filter(job=job).exists()


def test_another_recruiter_cannot_change_the_jobs_policy(client, other_recruiter, password, job):
    client.login(username=other_recruiter.username, password=password)

    page = client.get(f"/jobs/{job.pk}/")
    response = client.post(f"/followups/policy/jobs/{job.pk}/", {"update_cadence_days": "2"})

    assert page.status_code == 200
    assert "/followups/policy/jobs/" not in page.content.decode()
    assert response.status_code == 403
    assert not JobPolicy.objects.filter(job=job).exists()


def test_manager_may_change_any_jobs_policy(client, manager, password, job):
    client.login(username=manager.username, password=password)

    response = client.post(f"/followups/policy/jobs/{job.pk}/", {"digest_cadence_days": "14"})

    assert response.status_code == 302
    assert JobPolicy.objects.get(job=job).digest_cadence_days == 14


def test_job_page_lists_the_next_scheduled_messages(client, recruiter, password, job):
    candidacy = CandidacyFactory(job=job)
    plan_all(now=timezone.now() + timedelta(days=7, minutes=1))
    client.login(username=recruiter.username, password=password)

    html = client.get(f"/jobs/{job.pk}/").content.decode()

    assert html.count('data-testid="job-scheduled-message"') == 1
    assert f"Status update to {candidacy.contact}" in html


def test_api_reads_and_replaces_a_jobs_overrides(recruiter, other_recruiter, job):
    from rest_framework.test import APIClient

    owner, stranger = APIClient(), APIClient()
    owner.force_authenticate(recruiter)
    stranger.force_authenticate(other_recruiter)
    url = f"/api/v1/job-policies/{job.pk}/"
    empty = {"update_cadence_days": None, "digest_cadence_days": None, "chase_client_days": None}

    assert owner.get(url).json() == empty
    changed = owner.put(url, {"update_cadence_days": 3}, format="json")
    refused = stranger.put(url, {"update_cadence_days": 9}, format="json")
    invalid = owner.put(url, {"update_cadence_days": 0}, format="json")

    assert (changed.status_code, changed.json()) == (200, {**empty, "update_cadence_days": 3})
    assert refused.status_code == 403
    assert invalid.status_code == 400
    assert stranger.get(url).json() == {**empty, "update_cadence_days": 3}
    assert owner.get("/api/v1/job-policies/999999/").status_code == 404
