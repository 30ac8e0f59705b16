"""A candidate answers a status update: the ESP posts the reply to the inbound webhook, it lands
on her timeline and on the recruiter's My day as a reply owed; the recruiter answers from her
contact page with "Reply to this"; once the answer leaves, the reply owed is met."""

import base64
import json
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from followups.models import FollowUp, Message
from followups.relay import relay_batch
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    JobFactory,
    RelationshipFactory,
    StatusUpdateFactory,
)
from tests.helpers import log_in

pytestmark = pytest.mark.browser

SECRET = "esp:journey-hook"
REPLY = """Thanks Rosa, is the Berlin role still open?

Ana

On Mon, Mar 2, 2026 at 9:12 AM Rosa Reyes via Rapport <rapport@localhost> wrote:
> Hi Ana, a quick update on the Data lead role.
"""


def _post_reply_as_postmark(live_server, sender: str) -> int:
    """What Postmark's inbound webhook posts (anymail's documented shape), with its basic auth."""
    payload = {
        "FromName": "Ana Silva", "From": sender,
        "FromFull": {"Email": sender, "Name": "Ana Silva", "MailboxHash": ""},
        "To": "inbox@reply.rapport.example",
        "ToFull": [{"Email": "inbox@reply.rapport.example", "Name": "", "MailboxHash": ""}],
        "Cc": "", "CcFull": [], "OriginalRecipient": "inbox@reply.rapport.example",
        "Subject": "Re: Data lead: an update", "MessageID": "5d1c7e0a-0000-4000-8000-00000000a11a",
        "ReplyTo": "", "MailboxHash": "", "Date": "Mon, 2 Mar 2026 09:30:00 +0000",
        "TextBody": REPLY, "HtmlBody": "", "StrippedTextReply": "", "Tag": "",
        "Headers": [{"Name": "Message-ID", "Value": "<CAFjourney@mail.gmail.com>"}],
        "Attachments": [],
    }  # fmt: skip
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{live_server.url}/webhooks/anymail/postmark/inbound/",
        data=json.dumps(payload).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(SECRET.encode()).decode(),
        },
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return response.status


def test_a_reply_is_owed_an_answer_and_answering_it_from_the_contact_page_meets_it(
    page: Page, live_server, recruiter, password, settings
):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}
    settings.REPLY_DOMAIN = "reply.rapport.example"
    ana = RelationshipFactory(
        owner=recruiter,
        contact=ContactFactory(first_name="Ana", last_name="Silva", emails=["ana@mail.example"]),
    ).contact
    StatusUpdateFactory(
        owner=recruiter, status="sent", subject="Data lead: an update",
        candidacy=CandidacyFactory(job=JobFactory(owner=recruiter, title="Data lead"), contact=ana),
        sent_at=timezone.now() - timedelta(hours=2), send_after=timezone.now() - timedelta(hours=2),
    )  # fmt: skip

    assert _post_reply_as_postmark(live_server, "ana@mail.example") == 200

    # My day: the reply is owed an answer.
    log_in(page, live_server, password)
    owed = page.get_by_test_id("replies-owed")
    expect(owed.get_by_test_id("followup")).to_have_count(1)
    expect(owed).to_contain_text("Answer Ana Silva: Re: Data lead: an update")

    # Her timeline shows the reply, without the quoted history; answer it from there.
    owed.get_by_role("link", name="Ana Silva").click()
    expect(page).to_have_url(f"{live_server.url}/contacts/{ana.pk}/")
    row = page.get_by_test_id("interaction").filter(has_text="Reply: Re: Data lead: an update")
    expect(row.locator(".interaction-body")).to_have_text(
        "Thanks Rosa, is the Berlin role still open?\n\nAna", use_inner_text=True
    )
    row.get_by_role("link", name="Reply to this").click()
    form = page.get_by_test_id("one-off-email")
    expect(form.get_by_label("Subject")).to_have_value("Re: Data lead: an update")
    form.get_by_label("Email").fill("Hi Ana, yes it is: I will call you at 3.")
    form.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your email to Ana Silva is on its way.")).to_be_visible()

    answer = Message.objects.get(kind="one_off")
    assert (answer.subject, answer.text.splitlines()[0]) == (
        "Re: Data lead: an update",
        "Hi Ana, yes it is: I will call you at 3.",
    )
    # The relay sends it (as the worker would): the answer leaves and meets the reply owed.
    assert relay_batch(now=timezone.now()).sent == 1
    assert FollowUp.objects.get(reason="reply_owed").completed_at is not None
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("replies-owed").get_by_test_id("followup")).to_have_count(0)
