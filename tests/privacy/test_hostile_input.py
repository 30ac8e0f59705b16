"""Hostile input: NUL characters and very long strings are a 400 or a clean answer, never a 500."""

import json

import pytest

from contacts.models import Contact
from contacts.services import fact_create
from relationships.services import relationship_create
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

NUL_ERROR = {
    "error": {
        "code": "invalid",
        "message": "The request contains a NUL character, which no field accepts.",
        "fields": {},
    }
}


@pytest.fixture
def ana(recruiter):
    contact = ContactFactory(first_name="Ana", last_name="Smith")
    relationship_create(contact=contact, owner=recruiter)
    return contact


@pytest.mark.parametrize("query", ["q=%00", "q=ana%00", "q=%2500%00", "q\x00=1"])
def test_a_nul_in_the_merge_search_is_a_400(rosa_client, ana, query):
    response = rosa_client.get(f"/contacts/{ana.pk}/merge/?{query}")

    assert response.status_code == 400


def test_a_very_long_merge_search_is_a_clean_empty_result(rosa_client, ana):
    response = rosa_client.get(f"/contacts/{ana.pk}/merge/", {"q": "x" * 100_000})

    assert response.status_code == 200


def test_a_nul_in_a_form_body_is_a_400_and_saves_nothing(rosa_client, ana):
    response = rosa_client.post(
        "/contacts/new/", "first_name=Eve%00&last_name=Nul",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip

    assert response.status_code == 400
    assert not Contact.objects.filter(last_name="Nul").exists()


def test_a_nul_in_an_api_query_is_a_400_in_the_api_error_shape(rosa_api, ana):
    response = rosa_api.get("/api/v1/contacts/?q=%00")

    assert response.status_code == 400
    assert response.json() == NUL_ERROR


@pytest.mark.parametrize("body", ['{"first_name": "Eve\\u0000"}', '{"first_name": "Eve\x00"}'])
def test_a_nul_in_an_api_json_body_is_a_400(rosa_api, ana, body):
    response = rosa_api.patch(f"/api/v1/contacts/{ana.pk}/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == NUL_ERROR
    ana.refresh_from_db()
    assert ana.first_name == "Ana"


def test_a_very_long_name_through_the_api_is_a_400_on_the_field(rosa_api, ana):
    response = rosa_api.patch(
        f"/api/v1/contacts/{ana.pk}/",
        json.dumps({"first_name": "x" * 10_000}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["first_name"]


def test_a_blank_linkedin_url_and_website_are_null_in_the_api(rosa_api, ana):
    organization = OrganizationFactory(website="")
    ana.organization = organization
    ana.save()

    contact = rosa_api.get(f"/api/v1/contacts/{ana.pk}/").json()
    org = rosa_api.get(f"/api/v1/organizations/{organization.pk}/").json()

    assert (contact["linkedin_url"], org["website"]) == (None, None)


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("get", "/api/v1/contacts/?tier=", None, "tier"),
        ("post", "/api/v1/organizations/", {"name": 0}, "name"),
        ("post", "/api/v1/organizations/", {"name": True}, "name"),
        ("patch", "FACT", {"pinned": "yes"}, "pinned"),
    ],
)
def test_input_of_the_wrong_type_is_a_400_in_the_api_error_shape(
    rosa_api, ana, method, url, body, field
):
    if url == "FACT":
        url = f"/api/v1/facts/{fact_create(contact=ana, text='Climbs').pk}/"

    response = getattr(rosa_api, method)(url, body, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid", [field])
