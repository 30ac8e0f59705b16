"""The connections API: /api/v1/connections/."""

import pytest
import time_machine

from relationships import services
from relationships.models import Connection
from tests.factories import (
    ContactFactory,
)
from tests.relationships.api_json import (
    CONNECTIONS,
    NOV_1,
    NOV_1_JSON,
)

pytestmark = pytest.mark.django_db


@time_machine.travel(NOV_1, tick=False)
def test_connection_list_answers_both_directions(rosa_api):
    ana, ben, cy = (ContactFactory(first_name=n, last_name="Lee") for n in ("Ana", "Ben", "Cy"))
    reports = services.connection_create(from_contact=ana, to_contact=ben, kind="reports_to")
    referred = services.connection_create(
        from_contact=cy, to_contact=ana, kind="referred_by", note="At PyCon"
    )
    services.connection_create(from_contact=ben, to_contact=cy, kind="worked_with")

    response = rosa_api.get(CONNECTIONS, {"contact": ana.pk})

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "results": [
            {
                "id": referred.pk,
                "from_contact": {"id": cy.pk, "full_name": "Cy Lee"},
                "kind": "referred_by",
                "to_contact": {"id": ana.pk, "full_name": "Ana Lee"},
                "note": "At PyCon",
                "created_at": NOV_1_JSON,
            },
            {
                "id": reports.pk,
                "from_contact": {"id": ana.pk, "full_name": "Ana Lee"},
                "kind": "reports_to",
                "to_contact": {"id": ben.pk, "full_name": "Ben Lee"},
                "note": "",
                "created_at": NOV_1_JSON,
            },
        ],
    }


def test_connection_list_queries_are_constant(rosa_api, django_assert_num_queries):
    ana = ContactFactory()
    services.connection_create(from_contact=ana, to_contact=ContactFactory(), kind="worked_with")
    # session, user, the contact, the connections with both contacts
    with django_assert_num_queries(4):
        one = rosa_api.get(CONNECTIONS, {"contact": ana.pk})
    services.connection_create(from_contact=ana, to_contact=ContactFactory(), kind="reports_to")
    services.connection_create(from_contact=ContactFactory(), to_contact=ana, kind="referred_by")

    with django_assert_num_queries(4):
        three = rosa_api.get(CONNECTIONS, {"contact": ana.pk})

    assert len(one.json()["results"]) == 1
    assert len(three.json()["results"]) == 3


def test_connection_create_records_who_made_it(rosa_api, recruiter):
    ana, ben = ContactFactory(), ContactFactory()

    response = rosa_api.post(
        CONNECTIONS,
        {
            "from_contact": ana.pk,
            "to_contact": ben.pk,
            "kind": "assistant_of",
            "note": "Since 2024",
        },
        format="json",
    )

    assert response.status_code == 201
    connection = Connection.objects.get()
    assert (connection.from_contact, connection.to_contact, connection.kind) == (
        ana, ben, "assistant_of",
    )  # fmt: skip
    assert (connection.note, connection.created_by) == ("Since 2024", recruiter)
    assert response.json()["id"] == connection.pk


def test_connection_create_twice_is_400_and_keeps_one(rosa_api):
    ana, ben = ContactFactory(), ContactFactory()
    services.connection_create(from_contact=ana, to_contact=ben, kind="reports_to")

    response = rosa_api.post(
        CONNECTIONS, {"from_contact": ana.pk, "to_contact": ben.pk, "kind": "reports_to"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "These two contacts are already connected this way."
    )
    assert Connection.objects.count() == 1


def test_connection_create_to_oneself_is_400(rosa_api):
    ana = ContactFactory()

    response = rosa_api.post(
        CONNECTIONS, {"from_contact": ana.pk, "to_contact": ana.pk, "kind": "worked_with"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "A contact cannot be connected to themselves."
    assert Connection.objects.count() == 0


def test_connection_create_with_unknown_kind_names_it(rosa_api):
    ana, ben = ContactFactory(), ContactFactory()

    response = rosa_api.post(
        CONNECTIONS, {"from_contact": ana.pk, "to_contact": ben.pk, "kind": "married_to"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"kind": ['"married_to" is not a valid choice.']}


def test_connection_delete_removes_it(rosa_api):
    ana, ben = ContactFactory(), ContactFactory()
    connection = services.connection_create(from_contact=ana, to_contact=ben, kind="reports_to")

    response = rosa_api.delete(f"{CONNECTIONS}{connection.pk}/")

    assert response.status_code == 204
    assert Connection.objects.count() == 0
