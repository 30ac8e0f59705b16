"""What a new recruiter tripped over, walked through in the browser: a logged call settles the
keep-in-touch follow-up, a handoff introduces the new recruiter, a decision is undone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from followups.models import FollowUp, Message
from followups.planners import plan_all
from jobs.models import Candidacy
from relationships.models import Interaction, Relationship
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, RelationshipFactory

pytestmark = pytest.mark.browser


def log_in(page: Page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_logging_a_call_takes_the_keep_in_touch_follow_up_off_my_day(
    page: Page, live_server, recruiter, password
):
    ana = ContactFactory(first_name="Ana", last_name="Smith")
    RelationshipFactory(contact=ana, owner=recruiter, tier="A")
    Relationship.objects.filter(contact=ana).update(
        next_touch_due=timezone.now() - timedelta(days=2)
    )
    plan_all(now=timezone.now())  # the beat task `followups.plan`, run here

    log_in(page, live_server, "rosa", password)
    overdue = page.get_by_test_id("overdue")
    expect(overdue.get_by_test_id("followup")).to_have_count(1)
    expect(overdue).to_contain_text("Keep in touch with Ana Smith")
    overdue.get_by_role("link", name="Ana Smith").click()

    quick_log = page.get_by_role("form", name="Log a call, email, meeting or note")
    quick_log.get_by_label("Kind").select_option("call")
    quick_log.get_by_label("Summary").fill("Caught up about her move to Berlin")
    quick_log.get_by_role("button", name="Log it").click()
    expect(page.get_by_test_id("timeline").get_by_test_id("interaction")).to_have_count(1)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My day").click()
    expect(page.get_by_test_id("agenda").get_by_test_id("followup")).to_have_count(0)

    followup = FollowUp.objects.get()
    assert followup.outcome.startswith("Touched: call on ")
    assert list(Interaction.objects.filter(contact=ana).values_list("kind", flat=True)) == ["call"]


def test_a_handoff_introduces_the_new_recruiter_through_the_outbox(
    page: Page, live_server, recruiter, other_recruiter, password
):
    ana = ContactFactory(first_name="Ana", last_name="Smith", emails=["ana@mail.example"])
    ben = ContactFactory(first_name="Ben", last_name="Jones", emails=["ben@mail.example"])
    for contact in (ana, ben):
        RelationshipFactory(contact=contact, owner=recruiter)
    CandidacyFactory(job=JobFactory(owner=recruiter, title="Data lead"), contact=ana)

    log_in(page, live_server, "rosa", password)
    page.goto(f"{live_server.url}/handoffs/new/")
    page.get_by_label("To", exact=True).select_option(label="Tom Brandt")
    page.get_by_label("Ana Smith").check()
    page.get_by_label("Ben Jones").check()
    page.get_by_role("button", name="Review the handoff").click()

    introductions = page.get_by_test_id("handoff-introductions")
    expect(introductions.get_by_label("Introduce Tom Brandt to Ana Smith")).to_be_checked()
    expect(introductions.get_by_label("Introduce Tom Brandt to Ben Jones")).not_to_be_checked()
    page.get_by_role("button", name="Hand off 2 relationships").click()

    expect(page.get_by_test_id("handoff-extras")).to_have_text(
        "1 introduction of Tom Brandt by email scheduled."
    )
    page.context.clear_cookies()
    log_in(page, live_server, "tom", password)
    page.goto(f"{live_server.url}/messages/")
    pending = page.get_by_test_id("pending-messages")
    expect(pending.get_by_test_id("message-row")).to_have_count(1)
    expect(pending).to_contain_text("Introduction of a new recruiter")
    expect(pending).to_contain_text("Ana Smith")

    intro = Message.objects.get()
    assert (intro.kind, intro.owner, intro.contact, intro.status) == (
        "introduction",
        other_recruiter,
        ana,
        "scheduled",
    )


def test_a_rejection_undone_within_the_window_is_back_in_its_stage_and_tells_no_one(
    page: Page, live_server, recruiter, password
):
    ana = ContactFactory(first_name="Ana", last_name="Smith", emails=["ana@mail.example"])
    job = JobFactory(owner=recruiter, title="Data lead")
    candidacy = CandidacyFactory(job=job, contact=ana, stage="submitted")

    log_in(page, live_server, "rosa", password)
    page.goto(f"{live_server.url}/jobs/{job.pk}/board")
    card = page.get_by_role("article", name="Ana Smith")
    card.locator("summary", has_text="Close").click()
    close_form = card.get_by_role("form", name="Close Ana Smith")
    close_form.get_by_label("Close as").select_option("rejected_by_client")
    close_form.get_by_role("button", name="Close").click()
    expect(page.get_by_role("article", name="Ana Smith")).to_have_count(0)

    plan_all(now=timezone.now())  # the closure notice is planned, to leave after the window
    assert Message.objects.get(kind="closure").status == "scheduled"
    page.get_by_role("form", name="Undo the decision on Ana Smith").get_by_role(
        "button", name="Undo"
    ).click()

    submitted = page.get_by_test_id("column-submitted")
    expect(submitted.get_by_role("article", name="Ana Smith")).to_have_count(1)
    expect(page.get_by_test_id("decided")).to_have_count(0)
    candidacy.refresh_from_db()
    assert (candidacy.stage, candidacy.is_open) == (Candidacy.Stage.SUBMITTED, True)
    closure = Message.objects.get(kind="closure")
    assert (closure.status, closure.skip_reason) == ("cancelled", "the decision was undone")

    page.goto(f"{live_server.url}/contacts/{ana.pk}/")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Closure notice cancelled: the decision was undone")
    expect(timeline).to_contain_text("Data lead: decision undone (closed, rejected by the client)")
