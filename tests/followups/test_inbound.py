import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from followups.models import FollowUp, InboundReply
from followups.relay import relay_batch
from followups.replies import (
    inbound_assign,
    reply_address,
    reply_text_strip,
    reply_token,
    reply_token_message_id,
)
from followups.servicelevels import business_hours_after
from relationships.models import Interaction
from tests.factories import ContactFactory, RelationshipFactory, StatusUpdateFactory

POSTMARK = "/webhooks/anymail/postmark/inbound/"
MAILGUN = "/webhooks/anymail/mailgun/inbound/"
SECRET = "esp:s3cret-hook"
MAILGUN_KEY = "mailgun-signing-key"

GMAIL_REPLY = """Thanks Rosa, Tuesday at 10 works for me.

Best,
Ana

On Mon, Mar 2, 2026 at 9:12 AM Rosa Reyes via Rapport <rapport@localhost> wrote:
> Hi Ana,
> Are you free for a call this week?
"""
OUTLOOK_REPLY = """Yes, please send me the job description.

Ana

From: Rosa Reyes via Rapport <rapport@localhost>
Sent: Monday, March 2, 2026 9:12 AM
To: Ana Silva <ana@mail.example>
Subject: Data lead

Hi Ana, are you free for a call this week?
"""


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    settings.REPLY_DOMAIN = "reply.rapport.example"


@pytest.fixture
def sent(clock, recruiter):
    return StatusUpdateFactory(
        owner=recruiter,
        send_after=timezone.now() - timedelta(hours=1),
        status="sent",
        sent_at=timezone.now() - timedelta(hours=1),
        esp_message_id="0a129aee-e1cd-480d-b08d-4f48548ff48d",
        subject="Data lead: an update",
    )


def _auth(secret=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def _postmark(
    *,
    to="someone@reply.rapport.example",
    sender="ana@mail.example",
    text=GMAIL_REPLY,
    headers=(),
    message_id="7a1f8c4e-0000-4000-8000-000000000001",
    attachments=(),
):
    return {
        "FromName": "Ana Silva",
        "From": sender,
        "FromFull": {"Email": sender, "Name": "Ana Silva", "MailboxHash": ""},
        "To": to,
        "ToFull": [{"Email": to, "Name": "", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "OriginalRecipient": to,
        "Subject": "Re: Data lead: an update",
        "MessageID": message_id,
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Mon, 2 Mar 2026 09:30:00 +0000",
        "TextBody": text,
        "HtmlBody": "<p>Thanks Rosa</p><script>alert(1)</script>",
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": f"<{sender}>"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "Message-ID", "Value": f"<CAF{message_id}@mail.gmail.com>"},
            *({"Name": name, "Value": value} for name, value in headers),
        ],
        "Attachments": list(attachments),
    }


def _post_postmark(client, payload, auth=True):
    return client.post(
        POSTMARK, json.dumps(payload), content_type="application/json", **(_auth() if auth else {})
    )


def _mailgun(*, recipient, sender, in_reply_to="", text=OUTLOOK_REPLY, token="a" * 50, files=()):
    timestamp = str(int(timezone.now().timestamp()))
    signature = hmac.new(
        MAILGUN_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    headers = [
        ["From", f"Ana Silva <{sender}>"],
        ["To", recipient],
        ["Subject", "RE: Data lead"],
        ["Message-Id", "<AM0PR01MB0001@eurprd01.prod.outlook.com>"],
    ]
    if in_reply_to:
        headers.append(["In-Reply-To", in_reply_to])
    data = {
        "recipient": recipient,
        "sender": sender,
        "from": f"Ana Silva <{sender}>",
        "subject": "RE: Data lead",
        "body-plain": text,
        "stripped-text": "",
        "message-headers": json.dumps(headers),
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
    }
    if files:
        data["attachment-count"] = str(len(files))
        for index, upload in enumerate(files, start=1):
            data[f"attachment-{index}"] = upload
    return data


def _counts():
    return (
        InboundReply.objects.count(),
        Interaction.objects.count(),
        FollowUp.objects.count(),
    )


# --- the token -----------------------------------------------------------------------------------


def test_reply_token_survives_lowercasing_and_refuses_tampering(settings):
    settings.REPLY_DOMAIN = "reply.rapport.example"
    address = reply_address(1234)
    assert address == f"reply+{reply_token(1234)}@reply.rapport.example"
    assert reply_token_message_id(address) == 1234
    assert reply_token_message_id(address.upper()) == 1234
    value, signature = reply_token(1234).split(".")
    assert reply_token_message_id(f"reply+{value}.{'a' * 16}@x") is None
    # Another message's signature with this id: refused.
    other_signature = reply_token(1235).split(".")[1]
    assert reply_token_message_id(f"reply+{value}.{other_signature}@x") is None
    assert reply_token_message_id("ana@mail.example") is None


def test_relay_sends_with_the_reply_token(clock, recruiter, outbox):
    message = StatusUpdateFactory(owner=recruiter, send_after=timezone.now())
    relay_batch(now=timezone.now())
    assert outbox[0].reply_to == [f"reply+{reply_token(message.pk)}@reply.rapport.example"]


def test_without_reply_domain_reply_to_is_the_recruiter(clock, recruiter, outbox, settings):
    settings.REPLY_DOMAIN = ""
    StatusUpdateFactory(owner=recruiter, send_after=timezone.now())
    relay_batch(now=timezone.now())
    assert outbox[0].reply_to == [recruiter.email]


# --- stripping -----------------------------------------------------------------------------------


def test_quoted_history_is_stripped_from_gmail_and_outlook_replies():
    assert reply_text_strip(GMAIL_REPLY) == "Thanks Rosa, Tuesday at 10 works for me.\n\nBest,\nAna"
    assert reply_text_strip(OUTLOOK_REPLY) == "Yes, please send me the job description.\n\nAna"


# --- matching ------------------------------------------------------------------------------------


def test_postmark_reply_threads_by_token_onto_the_timeline(client, sent):
    response = _post_postmark(client, _postmark(to=reply_address(sent.pk)))

    assert response.status_code == 200
    reply = InboundReply.objects.get()
    assert (reply.contact_id, reply.message_id, reply.matched_by) == (
        sent.contact_id,
        sent.pk,
        "token",
    )
    assert reply.reply_text == "Thanks Rosa, Tuesday at 10 works for me.\n\nBest,\nAna"
    assert reply.html == "<p>Thanks Rosa</p>"
    interaction = reply.interaction
    assert (interaction.contact_id, interaction.kind, interaction.direction) == (
        sent.contact_id,
        "email",
        "inbound",
    )
    assert interaction.summary == "Reply: Re: Data lead: an update"
    assert interaction.body == reply.reply_text


def test_mailgun_reply_threads_by_in_reply_to(client, sent):
    sent.esp_message_id = "<20260302091200.1.ABC@mg.rapport.example>"
    sent.save(update_fields=["esp_message_id"])
    data = _mailgun(
        recipient="inbox@reply.rapport.example",
        sender="someone.else@mail.example",
        in_reply_to="<20260302091200.1.ABC@mg.rapport.example>",
    )

    response = client.post(MAILGUN, data, **_auth())

    assert response.status_code == 200
    reply = InboundReply.objects.get()
    assert (reply.contact_id, reply.matched_by, reply.esp_name) == (
        sent.contact_id,
        "thread",
        "Mailgun",
    )
    assert reply.reply_text == "Yes, please send me the job description.\n\nAna"


def test_postmark_message_id_threads_by_its_local_part(client, sent):
    payload = _postmark(
        headers=[("In-Reply-To", f"<{sent.esp_message_id}@mtasv.net>")],
        sender="unknown@mail.example",
    )
    _post_postmark(client, payload)
    assert InboundReply.objects.get().matched_by == "thread"


def test_reply_matches_a_sender_of_exactly_one_contact(client, clock, db):
    contact = ContactFactory(emails=["ana@mail.example"])
    _post_postmark(client, _postmark(sender="Ana@Mail.Example"))
    reply = InboundReply.objects.get()
    assert (reply.contact_id, reply.matched_by) == (contact.pk, "sender")


def test_unmatched_reply_waits_and_a_recruiter_assigns_it(client, clock, recruiter):
    ContactFactory(emails=["ana@mail.example"])
    ContactFactory(emails=["ana@mail.example", "ana.2@mail.example"])
    _post_postmark(client, _postmark())
    reply = InboundReply.objects.get()
    assert (reply.contact_id, reply.interaction_id) == (None, None)

    contact = RelationshipFactory(owner=recruiter).contact
    inbound_assign(reply=reply, contact=contact, user=recruiter)

    reply.refresh_from_db()
    assert (reply.contact_id, reply.matched_by, reply.assigned_by_id) == (
        contact.pk,
        "hand",
        recruiter.pk,
    )
    assert Interaction.objects.get(direction="inbound").contact_id == contact.pk
    assert FollowUp.objects.get(reason="reply_owed").owner_id == recruiter.pk


# --- refused, replayed, auto, oversized ----------------------------------------------------------


def test_unauthenticated_forged_and_replayed_calls_change_nothing(client, sent, settings):
    payload = _postmark(to=reply_address(sent.pk))
    before = _counts()
    assert _post_postmark(client, payload, auth=False).status_code == 400
    assert client.post(
        POSTMARK, json.dumps(payload), content_type="application/json", **_auth("esp:wrong")
    ).status_code in (400, 403)
    forged = _mailgun(recipient=reply_address(sent.pk), sender="ana@mail.example")
    forged["signature"] = "0" * 64
    assert client.post(MAILGUN, forged, **_auth()).status_code == 400
    assert _counts() == before

    assert _post_postmark(client, payload).status_code == 200
    after_first = _counts()
    assert _post_postmark(client, payload).status_code == 200
    assert _counts() == after_first == (before[0] + 1, before[1] + 1, before[2] + 1)

    settings.ANYMAIL = {}
    assert _post_postmark(client, _postmark(message_id="other")).status_code == 403
    assert _counts() == after_first


def test_auto_reply_is_recorded_and_starts_no_clock(client, sent):
    payload = _postmark(to=reply_address(sent.pk), headers=[("Auto-Submitted", "auto-replied")])
    _post_postmark(client, payload)
    reply = InboundReply.objects.get()
    assert (reply.is_auto, reply.followup_id) == (True, None)
    assert reply.interaction.summary == "Auto-reply: Re: Data lead: an update"
    assert not FollowUp.objects.filter(reason="reply_owed").exists()


@pytest.mark.parametrize("header", [("X-Autoreply", "yes"), ("Precedence", "bulk")])
def test_other_auto_reply_headers(client, sent, header):
    _post_postmark(client, _postmark(to=reply_address(sent.pk), headers=[header]))
    assert InboundReply.objects.get().is_auto is True


def test_oversized_attachment_is_listed_not_stored(client, sent, settings, tmp_path):
    settings.FOLLOWUPS_INBOUND_ATTACHMENT_MAX_BYTES = 10
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    data = _mailgun(
        recipient=reply_address(sent.pk),
        sender="ana@mail.example",
        files=[
            SimpleUploadedFile("cv.pdf", b"%PDF-1.4", content_type="application/pdf"),
            SimpleUploadedFile("big.zip", b"x" * 11, content_type="application/zip"),
        ],
    )
    assert client.post(MAILGUN, data, **_auth()).status_code == 200
    reply = InboundReply.objects.get()
    stored = f"private/inbound/{reply.pk}/1-cv.pdf"
    assert reply.attachments == [
        {"name": "cv.pdf", "size": 8, "stored": stored},
        {"name": "big.zip", "size": 11, "stored": ""},
    ]
    assert (tmp_path / stored).read_bytes() == b"%PDF-1.4"
    assert reply.interaction_id is not None


# --- reply owed ----------------------------------------------------------------------------------


def test_business_hours_skip_the_weekend():
    friday = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)
    assert business_hours_after(friday, 24) == datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
    saturday = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    assert business_hours_after(saturday, 24) == datetime(2026, 3, 10, 0, 0, tzinfo=UTC)
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert business_hours_after(monday, 8) == datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def test_reply_opens_a_reply_owed_for_the_candidacy_owner(client, sent, recruiter):
    _post_postmark(client, _postmark(to=reply_address(sent.pk)))
    owed = FollowUp.objects.get(reason="reply_owed")
    assert (owed.owner_id, owed.contact_id, owed.candidacy_id, owed.kind) == (
        recruiter.pk,
        sent.contact_id,
        sent.candidacy_id,
        "email",
    )
    # Monday 09:00 + 24 business hours.
    assert owed.due_at == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def test_reply_owed_is_met_by_the_owners_logged_call(client, sent, recruiter, clock):
    from relationships.services import interaction_log

    _post_postmark(client, _postmark(to=reply_address(sent.pk)))
    clock.shift(timedelta(hours=2))
    interaction_log(contact=sent.contact, kind="call", summary="Called back", recruiter=recruiter)

    owed = FollowUp.objects.get(reason="reply_owed")
    assert owed.completed_at == timezone.now()


def test_reply_owed_is_met_by_a_sent_message(client, sent, recruiter, clock, outbox):
    _post_postmark(client, _postmark(to=reply_address(sent.pk)))
    clock.shift(timedelta(hours=1))
    StatusUpdateFactory(
        owner=recruiter,
        candidacy=sent.candidacy,
        idempotency_key="status_update:again",
        send_after=timezone.now(),
    )
    relay_batch(now=timezone.now())
    assert FollowUp.objects.get(reason="reply_owed").completed_at == timezone.now()


def test_inbound_touch_or_another_recruiters_touch_does_not_meet_it(client, sent, other_recruiter):
    from relationships.services import interaction_log

    _post_postmark(client, _postmark(to=reply_address(sent.pk)))
    interaction_log(
        contact=sent.contact, kind="call", summary="Tom called", recruiter=other_recruiter
    )
    assert FollowUp.objects.get(reason="reply_owed").completed_at is None


def test_reply_owed_breaches_after_the_target_over_a_weekend(client, clock, recruiter):
    friday = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)
    clock.move_to(friday)
    RelationshipFactory(owner=recruiter, contact=ContactFactory(emails=["ana@mail.example"]))
    _post_postmark(client, _postmark())
    owed = FollowUp.objects.get(reason="reply_owed")
    assert owed.due_at == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
    clock.move_to(datetime(2026, 3, 9, 15, 59, tzinfo=UTC))
    assert owed.is_overdue is False
    clock.move_to(datetime(2026, 3, 9, 16, 1, tzinfo=UTC))
    assert owed.is_overdue is True


def test_handoff_moves_the_reply_owed_with_its_remaining_time(
    client, sent, recruiter, other_recruiter, manager
):
    from relationships.models import Relationship
    from relationships.services import relationship_handoff

    RelationshipFactory(owner=recruiter, contact=sent.contact)
    _post_postmark(client, _postmark(to=reply_address(sent.pk)))
    due = FollowUp.objects.get(reason="reply_owed").due_at

    relationship_handoff(
        from_recruiter=recruiter,
        to_recruiter=other_recruiter,
        performed_by=manager,
        contacts=[sent.contact],
    )

    owed = FollowUp.objects.get(reason="reply_owed")
    assert (owed.owner_id, owed.due_at) == (other_recruiter.pk, due)
    assert Relationship.objects.get(contact=sent.contact).owner_id == other_recruiter.pk


def test_a_threaded_reply_is_recorded_in_a_fixed_number_of_queries(
    client, sent, recruiter, django_assert_num_queries
):
    # The candidacy's owner owes the answer: the message comes with its candidacy, job and owner
    # (29 queries before). Eight statements: the message by its token, the reply, the timeline
    # row, the relationship's clock, the candidacy's touch, the policy, the reply owed, the
    # reply's links (no attachment: no write for them); and eight savepoints and releases.
    with django_assert_num_queries(16):
        response = _post_postmark(client, _postmark(to=reply_address(sent.pk)))

    assert response.status_code == 200
    owed = FollowUp.objects.get(reason="reply_owed")
    assert (owed.owner_id, owed.contact_id, owed.candidacy_id, owed.message_id) == (
        recruiter.pk,
        sent.contact_id,
        sent.candidacy_id,
        sent.pk,
    )
