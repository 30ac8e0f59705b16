"""A recruiter writes a market note on a job's tags, finds it on the candidate's pre-call brief,
sees it chosen for the candidate's next status update, and swaps it for another."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from followups.models import Message
from followups.planners import plan_all
from jobs.models import Candidacy
from market.services import note_create
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, OrganizationFactory
from tests.helpers import log_in

pytestmark = pytest.mark.browser


def test_a_note_travels_into_the_brief_and_the_next_status_update(
    page: Page, live_server, recruiter, password
):
    acme = OrganizationFactory(name="Acme Payments", industry="Fintech")
    job = JobFactory(owner=recruiter, title="Data lead", location="Berlin", organization=acme)
    ana = ContactFactory(first_name="Ana", last_name="Silva", tags=["python"])
    week_ago = timezone.now() - dt.timedelta(days=8)
    candidacy = CandidacyFactory(job=job, contact=ana, stage="screening")
    Candidacy.objects.filter(pk=candidacy.pk).update(last_candidate_touch_at=week_ago)
    note_create(
        author=recruiter, title="Fintech offers now include a remote week", tags=["fintech"],
        true_as_of=timezone.localdate() - dt.timedelta(days=30),
    )  # fmt: skip

    log_in(page, live_server, password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Market").click()
    page.get_by_role("link", name="New note").click()
    form = page.get_by_role("form", name="Market note")
    form.get_by_label("Title").fill("Berlin data teams are hiring again")
    form.get_by_label("Body").fill("**Three** of our clients reopened data roles this month.")
    form.get_by_label("Tags").fill("berlin, python")
    form.get_by_label("True as of").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="Save the note").click()
    expect(page.get_by_role("heading", name="Berlin data teams are hiring again")).to_be_visible()

    # Her contact page loads its market notes after the page: the new note is there.
    page.goto(f"{live_server.url}/contacts/{ana.pk}/")
    expect(page.get_by_test_id("market-panel").get_by_test_id("market-note").first).to_contain_text(
        "Berlin data teams are hiring again"
    )
    # The candidate's brief: the new note first, with why it matched.
    page.get_by_role("link", name="Brief").click()
    panel = page.get_by_test_id("market-panel")
    notes = panel.get_by_test_id("market-note")
    expect(notes.first).to_contain_text("Berlin data teams are hiring again")
    expect(panel.get_by_test_id("market-reason").first).to_have_text(
        "matches berlin, python; as of today"
    )

    # Her status update is due: the planner plans it, and it carries the new note.
    assert plan_all(now=timezone.now()).status_updates == 1
    message = Message.objects.get(contact=ana)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Outbox").click()
    page.get_by_role("link", name="Status update").first.click()
    expect(page).to_have_url(f"{live_server.url}/messages/{message.pk}/")
    chosen = page.get_by_test_id("market-note-chosen")
    expect(chosen).to_have_text("Berlin data teams are hiring again")
    expect(page.get_by_test_id("preview-text")).to_contain_text(
        "One thing I am seeing in the market: Berlin data teams are hiring again. Three of our "
        "clients reopened data roles this month."
    )

    # Swap it for the other fresh note.
    page.get_by_role("button", name="Use “Fintech offers now include a remote week”").click()
    expect(chosen).to_have_text("Fintech offers now include a remote week")
    expect(page.get_by_test_id("message-market-note")).to_contain_text("(your choice)")
    expect(page.get_by_test_id("preview-text")).to_contain_text(
        "One thing I am seeing in the market: Fintech offers now include a remote week."
    )
    message.refresh_from_db()
    assert message.market_note.title == "Fintech offers now include a remote week"
