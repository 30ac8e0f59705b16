"""At a phone's width (390 px) the pages a recruiter uses on the move fit the screen: the
document is never wider than the viewport (the board scrolls inside its own box)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from contacts.services import contact_update
from followups.services import followup_create
from jobs import services as jobs_services
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    FactFactory,
    InteractionFactory,
    JobFactory,
    OrganizationFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def log_in_on_a_phone(page: Page, live_server, password: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("rosa")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/")


def assert_fits(page: Page) -> None:
    sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], f"the page is {sizes[0]} px wide on a {sizes[1]} px screen"


def test_my_day_fits_a_phone(page: Page, live_server, recruiter, password):
    now = timezone.now()
    for days, summary in ((-3, "Send the shortlist before the client call"), (0, "Call back")):
        followup_create(
            owner=recruiter,
            contact=ContactFactory(first_name="Maximilian", last_name="Oberhausen-Lindqvist"),
            due_at=now + timedelta(days=days, hours=1),
            summary=summary,
        )
    log_in_on_a_phone(page, live_server, password)

    expect(page.get_by_test_id("followup")).to_have_count(2)
    expect(page.get_by_test_id("snooze-tomorrow").first).to_be_visible()
    assert_fits(page)


def test_contact_page_fits_a_phone(page: Page, live_server, recruiter, password):
    helios = OrganizationFactory(name="Helios Renewable Energy Holdings")
    contact = ContactFactory(
        first_name="Gabriel",
        last_name="Santos",
        emails=["gabriel.santos.the.engineering.manager@helios-renewable-energy.example"],
        linkedin_url="https://www.linkedin.com/in/gabriel-santos-engineering-manager-demo",
    )
    contact_update(
        contact=contact, organization=helios, title="Head of Engineering", roles=["hiring_manager"]
    )
    RelationshipFactory(contact=contact, owner=recruiter)
    FactFactory(contact=contact, text="Daughter starts university in Leipzig next autumn")
    InteractionFactory(contact=contact, recruiter=recruiter, summary="Intro call about Berlin")
    log_in_on_a_phone(page, live_server, password)

    page.goto(f"{live_server.url}/contacts/{contact.pk}/")

    expect(page.get_by_test_id("former-candidate")).to_be_visible()
    assert_fits(page)


def test_board_fits_a_phone_and_scrolls_inside_itself(page: Page, live_server, recruiter, password):
    job = JobFactory(owner=recruiter, title="Senior Software Engineer")
    for stage in ("sourced", "screening", "submitted", "client_interview", "offer"):
        CandidacyFactory(job=job, stage=stage)
    placed = CandidacyFactory(job=job, stage="offer")
    jobs_services.candidacy_move(candidacy=placed, to_stage="placed", user=recruiter)
    log_in_on_a_phone(page, live_server, password)

    page.goto(f"{live_server.url}/jobs/{job.pk}/board")

    expect(page.get_by_test_id("card")).to_have_count(6)
    assert_fits(page)
    board = page.get_by_test_id("board")
    assert board.evaluate("board => board.scrollWidth > board.clientWidth")
    page.get_by_test_id("column-placed").scroll_into_view_if_needed()
    expect(page.get_by_test_id("column-placed")).to_be_in_viewport()
    assert_fits(page)
