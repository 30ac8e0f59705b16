from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import FollowUp, Message, Suppression
from followups.relay import relay_batch
from followups.replies import one_off_email_queue, reply_token
from relationships.models import Interaction
from tests.factories import ContactFactory, RelationshipFactory


@pytest.fixture
def ana(db, recruiter):
    contact = ContactFactory(first_name="Ana", last_name="Silva", emails=["ana@mail.example"])
    RelationshipFactory(owner=recruiter, contact=contact)
    return contact


def test_one_off_email_is_queued_and_sent_by_the_relay(
    clock, recruiter, ana, outbox, settings, rosa_client
):
    settings.REPLY_DOMAIN = "reply.rapport.example"
    response = rosa_client.post(
        f"/contacts/{ana.pk}/email", {"subject": "Tuesday", "text": "Hi Ana, shall we talk?"}
    )
    assert response.status_code == 302
    message = Message.objects.get(kind="one_off")
    assert (message.status, message.recipient, message.edited) == (
        "scheduled",
        "ana@mail.example",
        True,
    )

    relay_batch(now=timezone.now())

    message.refresh_from_db()
    assert message.status == "sent"
    [email] = outbox
    assert (email.subject, email.body, email.to) == (
        "Tuesday",
        "Hi Ana, shall we talk?",
        ["ana@mail.example"],
    )
    assert email.reply_to == [f"reply+{reply_token(message.pk)}@reply.rapport.example"]
    row = Interaction.objects.get(contact=ana, kind="message")
    assert (row.summary, row.recruiter_id) == ("One-off email sent: Tuesday", recruiter.pk)


def test_one_off_email_meets_a_reply_owed(clock, recruiter, ana, outbox):
    owed = FollowUp.objects.create(
        owner=recruiter,
        contact=ana,
        kind="email",
        reason="reply_owed",
        summary="Answer Ana",
        due_at=timezone.now() + timedelta(hours=24),
    )
    clock.shift(timedelta(minutes=5))
    one_off_email_queue(user=recruiter, contact=ana, subject="Re: CV", text="Thanks!")
    relay_batch(now=timezone.now())
    owed.refresh_from_db()
    assert owed.completed_at == timezone.now()


@pytest.mark.parametrize(
    ("setup", "data", "error"),
    [
        ("no_address", {"subject": "Hi", "text": "Hello"}, "Ana Silva has no email address."),
        (
            "suppressed",
            {"subject": "Hi", "text": "Hello"},
            "ana@mail.example is suppressed: it bounced, complained or unsubscribed.",
        ),
        (
            "do_not_contact",
            {"subject": "Hi", "text": "Hello"},
            "Ana Silva is marked do not contact.",
        ),
        ("", {"subject": "Hi", "text": "   "}, "This field is required."),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_queued(rosa_client, ana, setup, data, error):
    if setup == "no_address":
        ana.emails = []
        ana.save(update_fields=["emails"])
    elif setup == "suppressed":
        Suppression.objects.create(email="ana@mail.example", reason="bounced")
    elif setup == "do_not_contact":
        ana.do_not_contact = True
        ana.save(update_fields=["do_not_contact"])

    response = rosa_client.post(f"/contacts/{ana.pk}/email", data)

    assert response.status_code == 400
    assert error in response.content.decode().replace("&#x27;", "'")
    assert not Message.objects.filter(kind="one_off").exists()


def test_contact_page_offers_the_form_and_htmx_gets_the_panel_back(rosa_client, ana):
    page = rosa_client.get(f"/contacts/{ana.pk}/").content.decode()
    assert 'data-testid="one-off-email"' in page

    response = rosa_client.post(
        f"/contacts/{ana.pk}/email", {"subject": "Hi", "text": "Hello"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<section class="card mb-3" id="one-off-email"')
    assert Message.objects.filter(kind="one_off").count() == 1
    # The swapped panel itself says it was sent (a flash message would wait for the next page),
    # and the next page does not say it again.
    assert body.count("Your email to Ana Silva is on its way.") == 1
    next_page = rosa_client.get(f"/contacts/{ana.pk}/").content.decode()
    assert "is on its way" not in next_page


def test_reply_link_prefills_the_subject(rosa_client, ana):
    body = rosa_client.get(f"/contacts/{ana.pk}/email?subject=Re%3A+CV").content.decode()
    assert 'value="Re: CV"' in body
