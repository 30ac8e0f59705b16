import datetime as dt
import re

import pytest
import time_machine

from jobs import services
from jobs.models import Candidacy, Job, StageChange
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    JobFactory,
    OrganizationFactory,
)
from tests.helpers import texts
from tests.jobs.test_divergence import CLIENT_FACING, TECHNICAL, feedback, interviewed

pytestmark = pytest.mark.django_db


# --- the list ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_job_list_query_count_is_constant(rosa_client, recruiter, django_assert_num_queries, count):
    for _ in range(count):
        job = JobFactory(owner=recruiter)
        CandidacyFactory(job=job)

    # session, user, recruiters for the owner filter, one page of jobs
    with django_assert_num_queries(4):
        response = rosa_client.get("/jobs/")

    assert response.status_code == 200
    assert len(texts(response.content, "job")) == count


def test_job_list_filters_by_status_owner_and_client(rosa_client, recruiter, other_recruiter):
    acme = OrganizationFactory(name="Acme")
    mine = JobFactory(owner=recruiter, title="Mine at Acme", organization=acme)
    JobFactory(owner=other_recruiter, title="Tom's at Acme", organization=acme)
    JobFactory(owner=recruiter, title="Mine elsewhere")
    services.job_close(job=JobFactory(owner=recruiter, title="Filled"), status="filled", user=None)

    response = rosa_client.get(f"/jobs/?status=open&owner=me&organization={acme.pk}")

    rows = texts(response.content, "job")
    assert len(rows) == 1
    assert rows[0].startswith(mine.title)


def test_job_list_stalled_filter_shows_jobs_without_moves_for_two_weeks(rosa_client, recruiter):
    with time_machine.travel(dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)):
        quiet = JobFactory(owner=recruiter, title="Quiet job")
        CandidacyFactory(job=quiet)
        busy = JobFactory(owner=recruiter, title="Busy job")
    with time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)):
        CandidacyFactory(job=busy)
        response = rosa_client.get("/jobs/?stalled=on")

    rows = texts(response.content, "job")
    assert len(rows) == 1
    assert rows[0].startswith("Quiet job")
    assert texts(response.content, "stalled") == ["Stalled"]


def test_job_list_pages_by_keyset(rosa_client, recruiter, monkeypatch):
    monkeypatch.setattr("jobs.views.lists.PAGE_SIZE", 2)
    jobs = [JobFactory(owner=recruiter, title=f"Job {n}") for n in range(3)]

    first = rosa_client.get("/jobs/")
    next_url = first.context["next_url"]
    second = rosa_client.get(next_url)

    assert [job.pk for job in first.context["jobs"]] == [jobs[2].pk, jobs[1].pk]
    assert [job.pk for job in second.context["jobs"]] == [jobs[0].pk]
    assert second.context["next_url"] == ""


def test_job_list_bad_cursor_says_so(rosa_client):
    response = rosa_client.get("/jobs/?after=nonsense")

    assert response.status_code == 200
    assert "This page link is not valid" in response.content.decode()


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/jobs/", "/jobs/new", "/jobs/{job}/", "/jobs/{job}/board", "/jobs/{job}/split"],
)
def test_jobs_pages_send_anonymous_visitor_to_login(client, recruiter, url):
    job = JobFactory(owner=recruiter)
    url = url.format(job=job.pk)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


@pytest.mark.parametrize("url", ["/jobs/{job}/intake", "/jobs/{job}/feedback", "/jobs/{job}/split"])
def test_job_change_pages_forbidden_to_another_recruiter(tom_client, recruiter, url):
    job = JobFactory(owner=recruiter)

    response = tom_client.get(url.format(job=job.pk))

    assert response.status_code == 403


def test_candidacy_move_forbidden_to_another_recruiter(tom_client, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))

    response = tom_client.post(f"/jobs/candidacies/{candidacy.pk}/move", {"stage": "screening"})

    assert response.status_code == 403
    candidacy.refresh_from_db()
    assert candidacy.stage == "sourced"


def test_manager_may_move_anyones_candidacy(client, manager, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    client.force_login(manager)

    response = client.post(f"/jobs/candidacies/{candidacy.pk}/move", {"stage": "screening"})

    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.stage == "screening"


# --- the board -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_board_query_count_is_constant(rosa_client, recruiter, django_assert_num_queries, count):
    job = JobFactory(owner=recruiter)
    for _ in range(count):
        CandidacyFactory(job=job, stage="screening")

    # session, user, job, intake items, interviewers, open candidacies with contacts
    # + the undo window (the policy) and the decisions still in it
    with django_assert_num_queries(8):
        response = rosa_client.get(f"/jobs/{job.pk}/board")

    assert len(texts(response.content, "card")) == count


def test_board_move_without_javascript_redirects_back(rosa_client, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))

    response = rosa_client.post(
        f"/jobs/candidacies/{candidacy.pk}/move", {"stage": "client_interview"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{candidacy.job_id}/board"
    candidacy.refresh_from_db()
    assert candidacy.stage == "client_interview"
    assert StageChange.objects.filter(candidacy=candidacy).count() == 2


def test_board_move_with_htmx_answers_with_the_board(rosa_client, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))

    response = rosa_client.post(
        f"/jobs/candidacies/{candidacy.pk}/move", {"stage": "screening"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div class="board" id="board"')
    assert len(texts(response.content, "card")) == 1


def test_board_has_a_placed_column_with_the_placed_candidates(rosa_client, recruiter):
    job = JobFactory(owner=recruiter)
    placed = CandidacyFactory(job=job, contact=ContactFactory(first_name="Ana", last_name="Ito"))
    services.candidacy_move(candidacy=placed, to_stage="placed", user=recruiter)
    withdrew = CandidacyFactory(job=job, contact=ContactFactory(first_name="Bo", last_name="Li"))
    services.candidacy_close(candidacy=withdrew, outcome="candidate_withdrew", user=recruiter)
    CandidacyFactory(job=job, contact=ContactFactory(first_name="Cy", last_name="Ng"))

    response = rosa_client.get(f"/jobs/{job.pk}/board")

    body = response.content.decode()
    headings = re.findall(r'<h2 class="h6" id="column-(\w+)">([^<]+?) ?<', body)
    assert headings == [
        ("sourced", "Sourced"),
        ("contacted", "Contacted"),
        ("screening", "Screening"),
        ("submitted", "Submitted to client"),
        ("client_interview", "Client interview"),
        ("offer", "Offer"),
        ("placed", "Placed"),
    ]
    assert texts(body, "column-placed") == [f"Placed 1 Ana Ito Placed {_day(placed)}"]
    assert texts(body, "card-name") == ["Cy Ng", "Ana Ito"]
    # Placed is the end of the pipeline: its card neither moves nor closes.
    assert body.count("data-move-form") == 1
    assert body.count("data-draggable") == 1


def _day(candidacy) -> str:
    candidacy.refresh_from_db()
    return f"{candidacy.stage_entered_at.day} {candidacy.stage_entered_at:%b}"


def test_board_card_offers_every_other_stage_by_its_full_name(rosa_client, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter), stage="screening")

    response = rosa_client.get(f"/jobs/{candidacy.job_id}/board")

    options = re.findall(
        r'<option value="(\w*)">([^<]+)</option>', texts_raw(response.content, "move-stage")
    )
    assert options == [
        ("", "Move to…"),
        ("sourced", "Sourced"),
        ("contacted", "Contacted"),
        ("submitted", "Submitted to client"),
        ("client_interview", "Client interview"),
        ("offer", "Offer"),
        ("placed", "Placed"),
    ]


def texts_raw(html: bytes, test_id: str) -> str:
    text = html.decode()
    start = text.index(f'data-testid="{test_id}"')
    return text[start : text.index("</select>", start)]


def test_board_moves_by_drag_and_drop_with_vendored_scripts(rosa_client, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))

    body = rosa_client.get(f"/jobs/{candidacy.job_id}/board").content.decode()

    assert '<script src="/static/vendor/sortablejs/Sortable.min.js" defer></script>' in body
    assert '<script src="/static/js/board.js" defer></script>' in body
    assert body.count("data-drop-target") == 7


def test_board_move_to_placed_closes_the_candidacy_as_placed(rosa_client, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter), stage="offer")

    response = rosa_client.post(
        f"/jobs/candidacies/{candidacy.pk}/move", {"stage": "placed"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert texts(response.content, "column-placed")[0].startswith("Placed 1 ")
    candidacy.refresh_from_db()
    assert (candidacy.stage, candidacy.outcome) == ("placed", "placed")


def test_board_move_to_same_stage_shows_error_on_the_card(rosa_client, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))

    response = rosa_client.post(f"/jobs/candidacies/{candidacy.pk}/move", {"stage": "sourced"})

    assert response.status_code == 400
    assert texts(response.content, "field-error") == ["This candidacy is already at sourced."]


def test_board_close_with_reason(rosa_client, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))

    response = rosa_client.post(
        f"/jobs/candidacies/{candidacy.pk}/close",
        {"outcome": "candidate_withdrew", "reason": "Took a counter-offer"},
    )

    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert (candidacy.outcome, candidacy.outcome_reason) == (
        "candidate_withdrew",
        "Took a counter-offer",
    )


# --- the job page and its forms ------------------------------------------------------------------


def test_job_page_shows_intake_side_by_side_and_pipeline(rosa_client, recruiter):
    job = JobFactory(owner=recruiter, title="Payments lead")
    CandidacyFactory(job=job, stage="screening")
    CandidacyFactory(job=job, stage="screening")

    response = rosa_client.get(f"/jobs/{job.pk}/")

    assert texts(response.content, "job-title") == ["Payments lead"]
    assert texts(response.content, "intake-asked-for") == ["A senior Python developer"]
    assert texts(response.content, "intake-really-need") == [
        "Someone who can lead the payments rebuild"
    ]
    assert texts(response.content, "intake-completeness") == ["100% complete"]
    assert texts(response.content, "pipeline-screening") == ["2"]
    assert texts(response.content, "split-suggestion") == []


def test_job_page_open_incomplete_intake_shows_error_next_to_reason(rosa_client, recruiter):
    job = JobFactory(owner=recruiter, intake={"asked_for": ["Python"]}, status="intake")

    response = rosa_client.post(f"/jobs/{job.pk}/open", {"override_reason": ""})

    assert response.status_code == 400
    errors = texts(response.content, "field-error")
    assert len(errors) == 1
    assert errors[0].startswith("The intake is missing: What they really need")
    job.refresh_from_db()
    assert job.status == Job.Status.INTAKE


def test_intake_form_saves_items(rosa_client, recruiter):
    job = JobFactory(owner=recruiter, intake={}, status="intake")

    response = rosa_client.post(
        f"/jobs/{job.pk}/intake",
        {"asked_for": "Java developer", "must_have": "Kotlin\nLeading people\n"},
    )

    assert response.status_code == 302
    assert sorted(job.intake_items.values_list("kind", "text")) == [
        ("asked_for", "Java developer"),
        ("must_have", "Kotlin"),
        ("must_have", "Leading people"),
    ]


def test_job_create_page_makes_a_job_in_intake(rosa_client, recruiter):
    acme = OrganizationFactory(name="Acme")

    response = rosa_client.post(
        "/jobs/new",
        {"title": "Data engineer", "organization": acme.pk, "openings": 2, "currency": "eur"},
    )

    job = Job.objects.get(title="Data engineer")
    assert response["Location"] == f"/jobs/{job.pk}/intake"
    assert (job.owner, job.status, job.openings, job.currency) == (recruiter, "intake", 2, "EUR")


def test_feedback_page_records_scores(rosa_client, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter), stage="client_interview")
    depth = candidacy.job.intake_items.get(text="Technical depth")
    ana = ContactFactory(first_name="Ana", organization=candidacy.job.organization)

    response = rosa_client.post(
        f"/jobs/{candidacy.job_id}/feedback",
        {
            "candidacy": candidacy.pk,
            "interviewer": ana.pk,
            "recommendation": "strong_yes",
            f"score_{depth.pk}": "5",
        },
    )

    assert response.status_code == 302
    feedback = candidacy.feedback.get()
    assert (feedback.interviewer, feedback.recommendation) == (ana, "strong_yes")
    assert [(s.criterion_id, s.score) for s in feedback.scores.all()] == [(depth.pk, 5)]


def test_split_page_routes_candidacies(rosa_client, recruiter):
    job = JobFactory(owner=recruiter, title="Engineer")
    first = CandidacyFactory(job=job)
    second = CandidacyFactory(job=job)

    response = rosa_client.post(
        f"/jobs/{job.pk}/split",
        {
            "title_a": "Platform engineer",
            "title_b": "Solutions engineer",
            f"route_{first.pk}": "a",
            f"route_{second.pk}": "both",
        },
    )

    platform = Job.objects.get(title="Platform engineer")
    assert response["Location"] == f"/jobs/{platform.pk}/"
    job.refresh_from_db()
    assert job.status == "split"
    assert Candidacy.objects.open().filter(job__title="Solutions engineer").count() == 1
    assert Candidacy.objects.open().filter(job__title="Platform engineer").count() == 2


def test_split_page_names_the_new_jobs_after_the_profiles_the_interviewers_want(
    rosa_client, recruiter
):
    job = JobFactory(owner=recruiter, title="Senior Software Engineer")
    ana = ContactFactory(first_name="Ana", last_name="Silva")
    ben = ContactFactory(first_name="Ben", last_name="Okafor")
    for candidacy, profile in interviewed(job, recruiter, [TECHNICAL, CLIENT_FACING, TECHNICAL]):
        technical = profile is TECHNICAL
        feedback(recruiter, candidacy, ana, "yes" if technical else "no", profile)
        feedback(recruiter, candidacy, ben, "no" if technical else "strong_yes", profile)

    form = rosa_client.get(f"/jobs/{job.pk}/split").context["form"]

    assert (form["title_a"].value(), form["title_b"].value()) == (
        "Senior Software Engineer — technical depth",
        "Senior Software Engineer — client-facing experience",
    )


def test_split_page_without_diverging_profiles_still_tells_the_jobs_apart(rosa_client, recruiter):
    job = JobFactory(owner=recruiter, title="Engineer")

    form = rosa_client.get(f"/jobs/{job.pk}/split").context["form"]

    assert (form["title_a"].value(), form["title_b"].value()) == ("Engineer — A", "Engineer — B")


def test_split_page_of_a_closed_job_shows_the_error(rosa_client, recruiter):
    job = JobFactory(owner=recruiter)
    services.job_close(job=job, status="cancelled", user=recruiter)

    response = rosa_client.post(f"/jobs/{job.pk}/split", {"title_a": "A", "title_b": "B"})

    assert response.status_code == 400
    assert texts(response.content, "form-errors") == [
        "This job is cancelled; only an active job splits."
    ]


# --- the contact page panel ----------------------------------------------------------------------


def test_contact_page_has_the_candidacies_panel_that_loads_its_list(rosa_client, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter, title="Payments lead"))

    page = rosa_client.get(f"/contacts/{candidacy.contact_id}/")
    panel = rosa_client.get(
        f"/jobs/contacts/{candidacy.contact_id}/candidacies", HTTP_HX_REQUEST="true"
    )

    assert texts(page.content, "candidacies-link") == [
        f"Show {candidacy.contact.first_name}'s candidacies"
    ]
    assert texts(panel.content, "candidacy")[0].startswith("Payments lead")


@pytest.mark.parametrize("count", [1, 3])
def test_contact_candidacies_query_count_is_constant(
    rosa_client, recruiter, django_assert_num_queries, count
):
    contact = ContactFactory()
    interviewer = ContactFactory()
    for _ in range(count):
        candidacy = CandidacyFactory(job=JobFactory(owner=recruiter), contact=contact)
        services.feedback_record(
            candidacy=candidacy,
            interviewer=interviewer,
            recommendation="yes",
            scores={candidacy.job.intake_items.filter(kind="must_have").first().pk: 4},
            user=recruiter,
        )

    # session, user, contact, active jobs to add to, the contact's candidacies, the undo window,
    # their scorecards and the scores
    with django_assert_num_queries(8):
        response = rosa_client.get(f"/jobs/contacts/{contact.pk}/candidacies")

    assert len(texts(response.content, "candidacy")) == count


def test_contact_candidacy_add_puts_contact_in_pipeline(rosa_client, recruiter):
    job = JobFactory(owner=recruiter)
    contact = ContactFactory()

    response = rosa_client.post(
        f"/jobs/contacts/{contact.pk}/candidacies/add", {"job": job.pk, "stage": "contacted"}
    )

    assert response.status_code == 302
    assert Candidacy.objects.get(contact=contact).stage == "contacted"


def test_brief_loads_candidacies_read_only(rosa_client, recruiter):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter, title="Payments lead"))

    brief = rosa_client.get(f"/contacts/{candidacy.contact_id}/brief/")
    listing = rosa_client.get(
        f"/jobs/contacts/{candidacy.contact_id}/candidacies/brief", HTTP_HX_REQUEST="true"
    )

    assert 'id="brief-candidacies"' in brief.content.decode()
    assert texts(listing.content, "candidacy")[0].startswith("Payments lead")
    assert "Add to a job" not in listing.content.decode()
