"""The handoffs API: /api/v1/handoffs/."""

import datetime as dt
import json

import pytest
import time_machine

from relationships import services
from relationships.models import Handoff, Interaction, Relationship
from tests.factories import (
    RelationshipFactory,
)
from tests.helpers import ids, user_json, walk
from tests.relationships.api_json import (
    HANDOFFS,
    NOV_1,
    NOV_1_JSON,
)

pytestmark = pytest.mark.django_db


@time_machine.travel(NOV_1, tick=False)
def test_handoff_create_moves_the_listed_relationships(rosa_api, recruiter, other_recruiter):
    ana = RelationshipFactory(owner=recruiter).contact
    ben = RelationshipFactory(owner=recruiter).contact
    kept = RelationshipFactory(owner=recruiter).contact

    response = rosa_api.post(
        HANDOFFS,
        {
            "to_recruiter": other_recruiter.pk,
            "note": "Going on leave",
            "contacts": [ana.pk, ben.pk],
        },
        format="json",
    )

    assert response.status_code == 201
    handoff = Handoff.objects.get()
    assert response.json() == {
        "id": handoff.pk,
        "from_recruiter": user_json(recruiter),
        "to_recruiter": user_json(other_recruiter),
        "performed_by": user_json(recruiter),
        "scope": "selection",
        "note": "Going on leave",
        "relationship_count": 2,
        "created_at": NOV_1_JSON,
    }
    owners = dict(Relationship.objects.values_list("contact_id", "owner_id"))
    assert owners == {ana.pk: other_recruiter.pk, ben.pk: other_recruiter.pk, kept.pk: recruiter.pk}
    assert Interaction.objects.filter(kind="handoff", handoff=handoff).count() == 2


def test_handoff_create_without_contacts_moves_all(rosa_api, recruiter, other_recruiter):
    RelationshipFactory.create_batch(3, owner=recruiter)

    response = rosa_api.post(HANDOFFS, {"to_recruiter": other_recruiter.pk}, format="json")

    assert response.status_code == 201
    assert (response.json()["scope"], response.json()["relationship_count"]) == ("all", 3)
    assert Relationship.objects.filter(owner=other_recruiter).count() == 3


def test_handoff_of_another_recruiters_contacts_is_403(rosa_api, other_recruiter, manager):
    RelationshipFactory(owner=other_recruiter)

    response = rosa_api.post(
        HANDOFFS, {"from_recruiter": other_recruiter.pk, "to_recruiter": manager.pk}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "Recruiters hand off their own relationships; managers anyone's."
    )
    assert Relationship.objects.get().owner == other_recruiter
    assert Handoff.objects.count() == 0


def test_handoff_by_a_manager_moves_anyones(api, manager, recruiter, other_recruiter):
    RelationshipFactory(owner=recruiter)
    api.force_login(manager)

    response = api.post(
        HANDOFFS, {"from_recruiter": recruiter.pk, "to_recruiter": other_recruiter.pk},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201
    assert response.json()["performed_by"] == user_json(manager)
    assert Relationship.objects.get().owner == other_recruiter


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"to_recruiter": "me"}, {"to_recruiter": ["Choose another recruiter to hand off to."]}),
        ({"to_recruiter": "tom", "contacts": []},
         {"contacts": ["Choose at least one contact to hand off."]}),
        ({"to_recruiter": "tom", "contacts": [999999]},
         {"contacts": ["No contact with id 999999."]}),
        ({"to_recruiter": "tom", "contacts": ["tom's"]},
         {"contacts": ["Rosa Reyes does not own: {name}."]}),
        ({}, {"to_recruiter": ["This field is required."]}),
    ],
)  # fmt: skip
def test_handoff_with_bad_input_moves_nothing(
    rosa_api, recruiter, other_recruiter, payload, fields
):
    mine = RelationshipFactory(owner=recruiter).contact
    theirs = RelationshipFactory(owner=other_recruiter).contact
    users = {"me": recruiter.pk, "tom": other_recruiter.pk}
    if "to_recruiter" in payload:
        payload = {**payload, "to_recruiter": users[payload["to_recruiter"]]}
    if payload.get("contacts") == ["tom's"]:
        payload["contacts"] = [theirs.pk]
    expected = json.loads(json.dumps(fields).replace("{name}", str(theirs)))

    response = rosa_api.post(HANDOFFS, payload, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == expected
    assert Relationship.objects.get(contact=mine).owner == recruiter
    assert Handoff.objects.count() == 0


def test_handoff_list_is_newest_first(rosa_api, recruiter, other_recruiter):
    RelationshipFactory.create_batch(2, owner=recruiter)
    with time_machine.travel(NOV_1, tick=False):
        first = services.relationship_handoff(
            from_recruiter=recruiter, to_recruiter=other_recruiter, performed_by=recruiter
        )
    with time_machine.travel(NOV_1 + dt.timedelta(days=1), tick=False):
        second = services.relationship_handoff(
            from_recruiter=other_recruiter, to_recruiter=recruiter, performed_by=other_recruiter
        )

    response = rosa_api.get(HANDOFFS)

    assert response.status_code == 200
    assert ids(response) == [second.pk, first.pk]
    assert response.json()["results"][1] == {
        "id": first.pk,
        "from_recruiter": user_json(recruiter),
        "to_recruiter": user_json(other_recruiter),
        "performed_by": user_json(recruiter),
        "scope": "all",
        "note": "",
        "relationship_count": 2,
        "created_at": NOV_1_JSON,
    }


def test_handoff_list_pages_walk_every_row_once(rosa_api, recruiter, other_recruiter):
    RelationshipFactory(owner=recruiter)
    made = []
    with time_machine.travel(NOV_1, tick=False):  # same created_at: the id breaks the tie
        for n in range(5):
            giver, taker = (
                (recruiter, other_recruiter) if n % 2 == 0 else (other_recruiter, recruiter)
            )
            made.append(
                services.relationship_handoff(
                    from_recruiter=giver, to_recruiter=taker, performed_by=giver
                ).pk
            )

    pages = walk(rosa_api, f"{HANDOFFS}?limit=2")

    expected = made[::-1]
    assert pages == [expected[0:2], expected[2:4], expected[4:5]]


def test_handoff_list_queries_are_constant(
    rosa_api, recruiter, other_recruiter, manager, django_assert_num_queries
):
    RelationshipFactory(owner=recruiter)
    services.relationship_handoff(
        from_recruiter=recruiter, to_recruiter=other_recruiter, performed_by=recruiter
    )
    # session, user, the page with the three users of each handoff
    with django_assert_num_queries(3):
        one = rosa_api.get(HANDOFFS)
    services.relationship_handoff(
        from_recruiter=other_recruiter, to_recruiter=manager, performed_by=manager
    )
    services.relationship_handoff(
        from_recruiter=manager, to_recruiter=recruiter, performed_by=manager
    )

    with django_assert_num_queries(3):
        three = rosa_api.get(HANDOFFS)

    assert len(one.json()["results"]) == 1
    assert len(three.json()["results"]) == 3
