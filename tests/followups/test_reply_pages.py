import pytest
from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent, EventType

from followups.models import FollowUp, InboundReply
from followups.replies import inbound_record
from relationships.models import Interaction
from tests.factories import ContactFactory, RelationshipFactory

TEXT = """Who is this?

On Mon, Mar 2, 2026 at 9:12 AM Rosa <rosa@example.com> wrote:
> Hello
"""


def _reply(index=0, sender="stranger@mail.example"):
    message = AnymailInboundMessage.construct(
        from_email=f"Stranger <{sender}>",
        to="inbox@reply.rapport.example",
        subject=f"Question {index}",
        text=TEXT,
        html='<p onclick="x()">Who is this?</p><img src="cid:logo">',
        headers=[("Message-ID", f"<q{index}@mail.example>")],
    )
    event = AnymailInboundEvent(event_type=EventType.INBOUND, message=message, event_id=None)
    return inbound_record(event=event, esp_name="Postmark")


@pytest.mark.parametrize("rows", [1, 3])
def test_unmatched_list_query_count_is_constant(rosa_client, django_assert_num_queries, rows):
    for index in range(rows):
        _reply(index)

    with django_assert_num_queries(3):
        response = rosa_client.get("/replies/unmatched/")
    assert response.content.decode().count('data-testid="reply-row"') == rows


def test_reply_page_shows_the_new_text_and_hides_the_quoted_history(rosa_client, db):
    reply = _reply()

    body = rosa_client.get(f"/replies/{reply.pk}/").content.decode()

    assert (
        '<div class="border rounded p-3 mb-3" data-testid="reply-text">Who is this?</div>' in body
    )
    assert '<details class="mb-3" data-testid="reply-quoted">' in body
    assert "onclick" not in body
    assert "<p>Who is this?</p>" in body


def test_assigning_puts_the_reply_on_the_timeline_and_owes_an_answer(rosa_client, recruiter):
    reply = _reply()
    contact = RelationshipFactory(owner=recruiter).contact

    response = rosa_client.post(f"/replies/{reply.pk}/assign", {"contact": contact.pk})

    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.contact_id, reply.matched_by) == (contact.pk, "hand")
    assert Interaction.objects.get(direction="inbound").summary == "Reply: Question 0"
    assert FollowUp.objects.get(reason="reply_owed").owner_id == recruiter.pk
    # A second assignment is refused.
    again = rosa_client.post(f"/replies/{reply.pk}/assign", {"contact": contact.pk})
    assert again.status_code == 400
    assert Interaction.objects.filter(direction="inbound").count() == 1


def test_my_day_shows_replies_owed_first(rosa_client, recruiter):
    contact = RelationshipFactory(
        owner=recruiter, contact=ContactFactory(emails=["a@mail.example"])
    ).contact
    _reply(sender="a@mail.example")
    assert InboundReply.objects.get().contact_id == contact.pk

    body = rosa_client.get("/").content.decode()

    assert body.index('data-testid="replies-owed"') < body.index('data-testid="overdue"')
    assert f"Answer {contact}: Question 0" in body


def test_reply_to_this_on_the_timeline_prefills_the_contact_pages_email(rosa_client, recruiter):
    contact = RelationshipFactory(
        owner=recruiter, contact=ContactFactory(emails=["a@mail.example"])
    ).contact
    other = RelationshipFactory(owner=recruiter).contact
    _reply(sender="a@mail.example")
    row = Interaction.objects.get(direction="inbound")

    page = rosa_client.get(f"/contacts/{contact.pk}/").content.decode()
    answering = rosa_client.get(f"/contacts/{contact.pk}/?reply_to={row.pk}").content.decode()
    elsewhere = rosa_client.get(f"/contacts/{other.pk}/?reply_to={row.pk}").content.decode()

    link = f'href="/contacts/{contact.pk}/?reply_to={row.pk}#one-off-email"'
    assert page.count('data-testid="reply-to-reply"') == 1
    assert link in page
    assert 'name="subject" value="Re: Question 0"' in answering
    # Another contact's page ignores a reply that is not theirs.
    assert 'value="Re: Question 0"' not in elsewhere
    assert 'name="subject" value=' not in page
