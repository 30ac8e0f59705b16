import pytest
from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent, EventType
from django.utils import timezone

from followups.models import FollowUp, Message
from followups.ratings import rating_request
from followups.replies import inbound_record
from tests.factories import ContactFactory, RelationshipFactory, StatusUpdateFactory


def _reply(index=0, sender="stranger@mail.example"):
    message = AnymailInboundMessage.construct(
        from_email=sender,
        to="inbox@reply.rapport.example",
        subject=f"Question {index}",
        text="Hello?",
        headers=[("Message-ID", f"<api{index}@mail.example>")],
    )
    event = AnymailInboundEvent(event_type=EventType.INBOUND, message=message)
    return inbound_record(event=event, esp_name="Postmark")


@pytest.mark.parametrize("rows", [1, 3])
def test_inbound_replies_list_query_count_is_constant(rosa_api, django_assert_num_queries, rows):
    for index in range(rows):
        _reply(index)
    with django_assert_num_queries(3):
        response = rosa_api.get("/api/v1/inbound-replies/?unmatched=true")
    assert [r["subject"] for r in response.json()["results"]] == [
        f"Question {index}" for index in reversed(range(rows))
    ]


def test_assign_an_inbound_reply_and_list_the_reply_owed(rosa_api, recruiter):
    reply = _reply()
    contact = RelationshipFactory(owner=recruiter).contact

    response = rosa_api.post(f"/api/v1/inbound-replies/{reply.pk}/assign/", {"contact": contact.pk})

    assert response.status_code == 200
    assert (response.json()["contact"], response.json()["matched_by"]) == (contact.pk, "hand")
    owed = rosa_api.get("/api/v1/replies-owed/").json()["results"]
    assert [(row["contact"], row["reason"]) for row in owed] == [(contact.pk, "reply_owed")]
    again = rosa_api.post(f"/api/v1/inbound-replies/{reply.pk}/assign/", {"contact": contact.pk})
    assert again.status_code == 400


def test_one_off_email_create_queues_it(rosa_api, recruiter):
    contact = ContactFactory(emails=["ana@mail.example"])
    response = rosa_api.post(
        "/api/v1/one-off-emails/", {"contact": contact.pk, "subject": "Hi", "text": "Hello"}
    )
    assert response.status_code == 201
    message = Message.objects.get(kind="one_off")
    assert (response.json()["id"], message.status, message.owner_id) == (
        message.pk,
        "scheduled",
        recruiter.pk,
    )
    empty = ContactFactory(emails=[])
    refused = rosa_api.post(
        "/api/v1/one-off-emails/", {"contact": empty.pk, "subject": "Hi", "text": "Hello"}
    )
    assert refused.status_code == 400
    assert Message.objects.filter(kind="one_off").count() == 1
    assert not FollowUp.objects.exists()


def test_ratings_list(rosa_api, recruiter, clock):
    closure = StatusUpdateFactory(
        owner=recruiter,
        kind="closure",
        idempotency_key="closure:api",
        status="sent",
        sent_at=timezone.now(),
    )
    rating = rating_request(message=closure)
    rows = rosa_api.get("/api/v1/ratings/").json()["results"]
    assert [(row["id"], row["message"], row["answer"]) for row in rows] == [
        (rating.pk, closure.pk, "")
    ]
