"""Introducing the new recruiter by email from the handoff's confirm step (follow-through's
handoff option)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from followups.models import Message
from followups.services import handoff_introductions_schedule
from relationships.models import Handoff
from relationships.services import relationship_handoff
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, RelationshipFactory
from tests.helpers import texts

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NEW_URL = "/handoffs/new/"


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def book(recruiter):
    """Rosa's contacts: a candidate, a client, someone with nothing open, one without email."""
    people = {
        "ana": ContactFactory(first_name="Ana", last_name="Alves", emails=["ana@mail.example"]),
        "hank": ContactFactory(first_name="Hank", last_name="Hill", emails=["hank@acme.example"]),
        "ivy": ContactFactory(first_name="Ivy", last_name="Irons", emails=["ivy@mail.example"]),
        "jo": ContactFactory(first_name="Jo", last_name="Jones", emails=[]),
    }
    for contact in people.values():
        RelationshipFactory(contact=contact, owner=recruiter)
    CandidacyFactory(job=JobFactory(owner=recruiter), contact=people["ana"])
    JobFactory(owner=recruiter, hiring_manager=people["hank"])
    CandidacyFactory(job=JobFactory(owner=recruiter), contact=people["jo"])
    return people


def review(client, other_recruiter, book) -> dict:
    return {
        "from_recruiter": client.session["_auth_user_id"],
        "to_recruiter": other_recruiter.pk,
        "scope": "selection",
        "contacts": [contact.pk for contact in book.values()],
        "note": "",
    }


def test_confirm_step_offers_introductions_ticked_for_open_business(
    client, recruiter, other_recruiter, password, book
):
    client.login(username="rosa", password=password)

    response = client.post(NEW_URL, review(client, other_recruiter, book))

    assert texts(response.content, "handoff-introductions")[0].startswith(
        "Introduce Tom Brandt by email"
    )
    page = response.content.decode()
    for name, ticked in (("ana", True), ("hank", True), ("ivy", False)):
        box = f'name="introduce" value="{book[name].pk}" id="introduce-{book[name].pk}"'
        assert (box + " checked>" in page) is ticked, name
    assert "Jo Jones: cannot be emailed" in page


def test_confirming_with_introductions_schedules_them_and_the_history_says_how_many(
    clock, client, recruiter, other_recruiter, password, book
):
    client.login(username="rosa", password=password)
    data = review(client, other_recruiter, book)

    response = client.post(
        NEW_URL,
        {
            **data,
            "confirm": "1",
            "introductions_offered": "1",
            "introduce_listed": data["contacts"],
            "introduce": [book["ana"].pk, book["hank"].pk, book["jo"].pk],
        },
        follow=True,
    )

    handoff = Handoff.objects.get()
    assert texts(response.content, "handoff-extras") == [
        "2 introductions of Tom Brandt by email scheduled."
    ]
    intros = Message.objects.filter(kind="introduction").order_by("contact__first_name")
    assert list(intros.values_list("contact__first_name", "owner_id", "recipient", "status")) == [
        ("Ana", other_recruiter.pk, "ana@mail.example", "scheduled"),
        ("Hank", other_recruiter.pk, "hank@acme.example", "scheduled"),
    ]
    assert {m.send_after for m in intros} == {T0 + timedelta(hours=4)}
    assert {m.idempotency_key for m in intros} == {
        f"introduction:{handoff.pk}:{book['ana'].pk}",
        f"introduction:{handoff.pk}:{book['hank'].pk}",
    }
    history = client.get("/handoffs/")
    assert texts(history.content, "handoff-extra") == [
        "2 introductions of Tom Brandt by email scheduled."
    ]


def test_confirming_with_every_box_unticked_introduces_nobody(
    client, recruiter, other_recruiter, password, book
):
    client.login(username="rosa", password=password)
    data = review(client, other_recruiter, book)

    client.post(
        NEW_URL,
        {
            **data,
            "confirm": "1",
            "introductions_offered": "1",
            "introduce_listed": data["contacts"],
        },
    )

    assert Message.objects.filter(kind="introduction").count() == 0
    assert Handoff.objects.get().extras == {}


def test_introductions_to_the_others_not_listed_follow_their_open_business(
    recruiter, other_recruiter, book
):
    handoff = relationship_handoff(
        from_recruiter=recruiter, to_recruiter=other_recruiter, performed_by=recruiter
    )

    count = handoff_introductions_schedule(
        handoff=handoff,
        user=recruiter,
        contact_ids=[book["ivy"].pk],
        with_business=True,
        except_ids=[book["ivy"].pk, book["hank"].pk],
    )

    assert count == 2
    assert sorted(
        Message.objects.filter(kind="introduction").values_list("contact__first_name", flat=True)
    ) == ["Ana", "Ivy"]
