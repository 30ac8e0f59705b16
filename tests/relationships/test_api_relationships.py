"""The relationships API: /api/v1/relationships/{contact_id}/."""

import pytest
import time_machine

from tests.factories import (
    ContactFactory,
    RelationshipFactory,
)
from tests.relationships.api_json import (
    NOV_1,
    RELATIONSHIPS,
    relationship_json,
)

pytestmark = pytest.mark.django_db


@time_machine.travel(NOV_1, tick=False)
def test_relationship_retrieve_by_contact_id(rosa_api, other_recruiter):
    relationship = RelationshipFactory(owner=other_recruiter, tier="B")

    response = rosa_api.get(f"{RELATIONSHIPS}{relationship.contact_id}/")

    assert response.status_code == 200
    assert response.json() == relationship_json(relationship)


def test_relationship_of_unowned_contact_is_404(rosa_api):
    ana = ContactFactory()

    response = rosa_api.get(f"{RELATIONSHIPS}{ana.pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@time_machine.travel(NOV_1, tick=False)
def test_relationship_patch_by_owner_changes_tier_and_cadence(rosa_api, recruiter):
    relationship = RelationshipFactory(owner=recruiter, tier="B")

    response = rosa_api.patch(
        f"{RELATIONSHIPS}{relationship.contact_id}/", {"tier": "A"}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == relationship_json(
        relationship, tier="A", cadence_days=14, next_touch_due="2026-11-15T09:00:00Z"
    )
    relationship.refresh_from_db()
    assert (relationship.tier, relationship.cadence_days) == ("A", 14)


def test_relationship_patch_of_another_recruiters_is_403(rosa_api, other_recruiter):
    relationship = RelationshipFactory(owner=other_recruiter, tier="B")

    response = rosa_api.patch(
        f"{RELATIONSHIPS}{relationship.contact_id}/", {"tier": "A"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "permission_denied",
        "message": "Only the owner, a manager or an admin changes this relationship.",
        "fields": {},
    }
    relationship.refresh_from_db()
    assert (relationship.tier, relationship.cadence_days) == ("B", 30)


def test_relationship_patch_by_manager_changes_anyones(api, manager, other_recruiter):
    relationship = RelationshipFactory(owner=other_recruiter, tier="B")
    api.force_login(manager)

    response = api.patch(
        f"{RELATIONSHIPS}{relationship.contact_id}/", {"cadence_days": 7}, format="json"
    )

    assert response.status_code == 200
    relationship.refresh_from_db()
    assert (relationship.tier, relationship.cadence_days) == ("B", 7)


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"tier": 5}, {"tier": ['"5" is not a valid choice.']}),
        ({"tier": None}, {"tier": ["This field may not be null."]}),
        ({"cadence_days": 0},
         {"cadence_days": ["Ensure this value is greater than or equal to 1."]}),
        ({"cadence_days": "weekly"}, {"cadence_days": ["A valid integer is required."]}),
    ],
)  # fmt: skip
def test_relationship_patch_with_bad_input_changes_nothing(rosa_api, recruiter, payload, fields):
    relationship = RelationshipFactory(owner=recruiter, tier="B")

    response = rosa_api.patch(f"{RELATIONSHIPS}{relationship.contact_id}/", payload, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == fields
    relationship.refresh_from_db()
    assert (relationship.tier, relationship.cadence_days) == ("B", 30)
