"""The interactions API: /api/v1/interactions/."""

import datetime as dt
import json

import pytest
import time_machine

from relationships.models import Interaction
from tests.factories import (
    ContactFactory,
    FactFactory,
    InteractionFactory,
    OrganizationFactory,
    RelationshipFactory,
)
from tests.helpers import user_json, walk
from tests.relationships.api_json import (
    INTERACTIONS,
    NOV_1,
    NOV_1_JSON,
)

pytestmark = pytest.mark.django_db


def interaction_json(interaction: Interaction, recruiter=None, **changes) -> dict:
    return {
        "id": interaction.pk,
        "contact": interaction.contact_id,
        "organization": interaction.organization_id,
        "kind": interaction.kind,
        "direction": interaction.direction,
        "summary": interaction.summary,
        "body": interaction.body,
        "recruiter": None if recruiter is None else user_json(recruiter),
        "occurred_at": interaction.occurred_at.isoformat().replace("+00:00", "Z"),
        "handoff": None,
        "facts": [],
        "created_at": NOV_1_JSON,
        **changes,
    }


def test_interaction_list_needs_a_contact(rosa_api):
    response = rosa_api.get(INTERACTIONS)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"contact": ["This field is required."]}


@time_machine.travel(NOV_1, tick=False)
def test_interaction_list_is_newest_first(rosa_api, recruiter):
    ana = ContactFactory(organization=OrganizationFactory())
    fact = FactFactory(contact=ana)
    older = InteractionFactory(
        contact=ana, kind="call", summary="First call", recruiter=recruiter,
        occurred_at=dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC), facts=[fact],
    )  # fmt: skip
    newer = InteractionFactory(
        contact=ana, kind="note", summary="Prefers mornings", body="Before 10",
        occurred_at=dt.datetime(2026, 10, 20, 8, 30, tzinfo=dt.UTC),
    )  # fmt: skip
    InteractionFactory(summary="Someone else")

    response = rosa_api.get(INTERACTIONS, {"contact": ana.pk})

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "results": [
            interaction_json(newer, occurred_at="2026-10-20T08:30:00Z"),
            interaction_json(older, recruiter, occurred_at="2026-10-01T10:00:00Z", facts=[fact.pk]),
        ],
    }


def test_interaction_list_pages_walk_every_row_once(rosa_api):
    ana = ContactFactory()
    moments = [dt.datetime(2026, 10, day, tzinfo=dt.UTC) for day in (3, 1, 2, 2, 5)]
    made = [
        InteractionFactory(contact=ana, kind="note", summary=f"Note {n}", occurred_at=moment).pk
        for n, moment in enumerate(moments)
    ]
    expected = [made[4], made[0], made[3], made[2], made[1]]

    pages = walk(rosa_api, f"{INTERACTIONS}?contact={ana.pk}&limit=2")

    assert pages == [expected[0:2], expected[2:4], expected[4:5]]


def test_interaction_list_queries_are_constant(rosa_api, recruiter, django_assert_num_queries):
    ana = ContactFactory()
    fact = FactFactory(contact=ana)
    InteractionFactory(contact=ana, recruiter=recruiter, facts=[fact])
    # session, user, the contact, the page with recruiters, the facts
    with django_assert_num_queries(5):
        one = rosa_api.get(INTERACTIONS, {"contact": ana.pk})
    InteractionFactory(contact=ana, recruiter=recruiter, facts=[fact])
    InteractionFactory(contact=ana)

    with django_assert_num_queries(5):
        three = rosa_api.get(INTERACTIONS, {"contact": ana.pk})

    assert len(one.json()["results"]) == 1
    assert len(three.json()["results"]) == 3


@time_machine.travel(NOV_1, tick=False)
def test_interaction_create_logs_a_call_and_moves_the_clock(rosa_api, recruiter):
    ana = ContactFactory()
    fact = FactFactory(contact=ana)
    relationship = RelationshipFactory(contact=ana, owner=recruiter)

    response = rosa_api.post(
        INTERACTIONS,
        {"contact": ana.pk, "kind": "call", "summary": " Talked about Berlin ",
         "facts": [fact.pk]},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201
    interaction = Interaction.objects.get()
    assert response.json() == interaction_json(
        interaction, recruiter, summary="Talked about Berlin", occurred_at=NOV_1_JSON,
        facts=[fact.pk],
    )  # fmt: skip
    relationship.refresh_from_db()
    assert relationship.last_touch_at == NOV_1
    assert relationship.next_touch_due == NOV_1 + dt.timedelta(days=30)


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"kind": "handoff", "summary": "Hi"}, {"kind": ['"handoff" is not a valid choice.']}),
        ({"kind": "call", "summary": ""}, {"summary": ["This field may not be blank."]}),
        ({"kind": "call", "summary": "Hi", "occurred_at": "soon"},
         {"occurred_at": ["Datetime has wrong format. Use one of these formats instead: "
                          "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}),
        ({"kind": "call", "summary": "Hi", "facts": ["other"]},
         {"facts": ["No fact of this contact with id {other}."]}),
    ],
)  # fmt: skip
def test_interaction_create_with_bad_input_logs_nothing(rosa_api, payload, fields):
    ana = ContactFactory()
    other_fact = FactFactory()
    payload = {**payload, "contact": ana.pk}
    if payload.get("facts"):
        payload["facts"] = [other_fact.pk]
    expected = json.loads(json.dumps(fields).replace("{other}", str(other_fact.pk)))

    response = rosa_api.post(INTERACTIONS, payload, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == expected
    assert Interaction.objects.count() == 0


@time_machine.travel(NOV_1, tick=False)
def test_interaction_retrieve_answers_it(rosa_api):
    interaction = InteractionFactory(kind="email", summary="Sent the brochure")

    response = rosa_api.get(f"{INTERACTIONS}{interaction.pk}/")

    assert response.status_code == 200
    assert response.json() == interaction_json(interaction, occurred_at=NOV_1_JSON)
