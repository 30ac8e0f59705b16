import pytest
from playwright.sync_api import Page, expect

from jobs.models import Candidacy
from tests.factories import CandidacyFactory, ContactFactory, JobFactory

pytestmark = pytest.mark.browser


def log_in(page: Page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_recruiter_drags_a_card_to_another_column_and_it_stays_there(
    page: Page, live_server, recruiter, password
):
    job = JobFactory(owner=recruiter, title="Data lead")
    chloe = CandidacyFactory(
        job=job, contact=ContactFactory(first_name="Chloe", last_name="Dubois"), stage="submitted"
    )
    CandidacyFactory(
        job=job, contact=ContactFactory(first_name="Ben", last_name="Carter"), stage="submitted"
    )
    log_in(page, live_server, "rosa", password)

    page.goto(f"{live_server.url}/jobs/{job.pk}/board")
    card = page.get_by_role("article", name="Chloe Dubois")
    interviews = page.get_by_test_id("column-client_interview")
    # A person's drag moves the pointer in many small steps; the drop posts the card's move form.
    with page.expect_response(lambda response: response.url.endswith("/move")) as moved:
        card.get_by_text("Since").drag_to(interviews.locator(".board-cards"), steps=10)
    assert moved.value.status == 200

    expect(interviews.get_by_test_id("card")).to_have_count(1)
    expect(interviews).to_contain_text("Chloe Dubois")
    page.reload()
    expect(interviews.get_by_test_id("card")).to_have_count(1)
    expect(interviews).to_contain_text("Chloe Dubois")
    expect(page.get_by_test_id("column-submitted").get_by_test_id("card")).to_have_count(1)
    chloe.refresh_from_db()
    assert chloe.stage == "client_interview"

    # Dropped on "Placed", the candidacy closes as placed and its card stays in that column.
    with page.expect_response(lambda response: response.url.endswith("/move")):
        page.get_by_role("article", name="Chloe Dubois").get_by_text("Since").drag_to(
            page.get_by_test_id("column-placed").locator(".board-cards"), steps=10
        )
    expect(page.get_by_test_id("column-placed")).to_contain_text("Chloe Dubois Placed")
    page.reload()
    expect(page.get_by_test_id("column-placed")).to_contain_text("Chloe Dubois")
    chloe.refresh_from_db()
    assert (chloe.stage, chloe.outcome) == ("placed", Candidacy.Outcome.PLACED)
