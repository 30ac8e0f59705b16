import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from followups.models import Message
from followups.planners import plan_all
from followups.relay import relay_batch
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, RelationshipFactory
from tests.helpers import log_in

pytestmark = pytest.mark.browser


def test_recruiter_rejects_a_candidate_edits_the_closure_notice_and_the_candidate_unsubscribes(
    page: Page, live_server, recruiter, password, settings
):
    settings.SITE_URL = live_server.url
    mail.outbox = []
    ana = ContactFactory(first_name="Ana", last_name="Smith", emails=["ana@mail.example"])
    RelationshipFactory(contact=ana, owner=recruiter)
    job = JobFactory(owner=recruiter, title="Data lead")
    CandidacyFactory(job=job, contact=ana)

    log_in(page, live_server, password)

    page.goto(f"{live_server.url}/jobs/{job.pk}/board")
    card = page.get_by_role("article", name="Ana Smith")
    card.locator("summary", has_text="Close").click()
    close_form = card.get_by_role("form", name="Close Ana Smith")
    close_form.get_by_label("Close as").select_option("rejected_by_client")
    close_form.get_by_label("Reason").fill("The client went with an internal candidate")
    close_form.get_by_role("button", name="Close").click()
    expect(page.get_by_role("article", name="Ana Smith")).to_have_count(0)

    plan_all(now=timezone.now())  # the beat task `followups.plan`, run here
    page.goto(f"{live_server.url}/")
    outgoing = page.get_by_test_id("outgoing")
    expect(outgoing.get_by_test_id("outgoing-message")).to_have_count(1)
    outgoing.get_by_role("link", name="Closure notice to Ana Smith").click()

    expect(page.get_by_test_id("message-status")).to_have_text("Scheduled")
    expect(page.get_by_test_id("preview-subject")).to_have_text(
        f"Your application for Data lead at {job.organization.name}"
    )
    edit = page.get_by_role("form", name="Edit the message")
    edit.get_by_label("Subject").fill("Data lead at Company: thank you, Ana")
    text = edit.get_by_label("Text")
    text.fill("Ana, I am sorry it did not work out this time.\n\n" + text.input_value())
    edit.get_by_role("button", name="Save the message").click()
    expect(page.get_by_test_id("preview-subject")).to_have_text(
        "Data lead at Company: thank you, Ana"
    )

    # The undo window (1 hour) passes; the relay (the beat task `followups.relay`) runs.
    result = relay_batch(now=timezone.now() + timedelta(minutes=61))
    assert result.sent == 1
    page.goto(f"{live_server.url}/contacts/{ana.pk}/")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Closure notice sent: Data lead at Company: thank you, Ana")

    [email] = mail.outbox
    assert email.to == ["ana@mail.example"]
    assert email.body.startswith("Ana, I am sorry it did not work out this time.")
    link = re.search(r"Unsubscribe: (\S+)", email.body).group(1)
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_test_id("unsubscribed")).to_contain_text("you are unsubscribed")
    ana.refresh_from_db()
    assert ana.email_opt_out is True
    assert Message.objects.get().status == "sent"
