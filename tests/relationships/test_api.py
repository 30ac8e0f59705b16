"""What every endpoint of the relationships API shares: authentication and the OpenAPI schema.
Each resource has its own module: test_api_contacts, _interactions, _relationships,
_connections, _handoffs."""

import json

import pytest
from django.core.management import call_command

from contacts.models import Contact
from tests.relationships.api_json import (
    CONNECTIONS,
    CONTACTS,
    HANDOFFS,
    INTERACTIONS,
    RELATIONSHIPS,
)

pytestmark = pytest.mark.django_db


# --- authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", CONTACTS),
        ("post", CONTACTS),
        ("get", f"{CONTACTS}1/"),
        ("patch", f"{CONTACTS}1/"),
        ("post", f"{CONTACTS}1/merge/"),
        ("get", f"{INTERACTIONS}?contact=1"),
        ("post", INTERACTIONS),
        ("get", f"{INTERACTIONS}1/"),
        ("get", f"{RELATIONSHIPS}1/"),
        ("patch", f"{RELATIONSHIPS}1/"),
        ("get", f"{CONNECTIONS}?contact=1"),
        ("post", CONNECTIONS),
        ("delete", f"{CONNECTIONS}1/"),
        ("get", HANDOFFS),
        ("post", HANDOFFS),
        ("get", f"{HANDOFFS}1/"),
    ],
)
def test_endpoint_without_credentials_is_401(api, method, path):
    response = getattr(api, method)(path, {"first_name": "Ana"}, format="json")

    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
            "fields": {},
        }
    }
    assert Contact.objects.count() == 0


# --- OpenAPI -------------------------------------------------------------------------------------


def test_schema_documents_every_resource(api, recruiter):
    api.force_login(recruiter)

    response = api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = set(json.loads(response.content)["paths"])
    assert {
        "/api/v1/contacts/",
        "/api/v1/contacts/{id}/",
        "/api/v1/contacts/{id}/merge/",
        "/api/v1/organizations/",
        "/api/v1/organizations/{id}/",
        "/api/v1/facts/",
        "/api/v1/facts/{id}/",
        "/api/v1/interactions/",
        "/api/v1/interactions/{id}/",
        "/api/v1/relationships/{contact_id}/",
        "/api/v1/connections/",
        "/api/v1/connections/{id}/",
        "/api/v1/handoffs/",
        "/api/v1/handoffs/{id}/",
    } <= paths


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert "/api/v1/contacts/{id}/merge/:" in target.read_text()
