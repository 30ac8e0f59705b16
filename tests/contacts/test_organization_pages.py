import datetime as dt

import pytest
import time_machine

from contacts.models import Organization
from contacts.selectors import organization_page_list
from contacts.services import contact_update
from contacts.views.organizations import PEOPLE_LIMIT
from relationships.services import interaction_log
from tests.factories import ContactFactory, OrganizationFactory
from tests.helpers import cursor_of, texts

pytestmark = pytest.mark.django_db

NOV_1 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def organization_names(response) -> list[str]:
    return [row.split(" ")[0] for row in texts(response.content, "organization")]


# --- list ----------------------------------------------------------------------------------------


def test_organization_list_sorts_by_name_ignoring_case(rosa_client):
    OrganizationFactory(name="initech", kind="prospect", domain="initech.example")
    OrganizationFactory(name="Acme", kind="client", domain="acme.example", industry="Robots")
    OrganizationFactory(name="Globex", kind="other", domain="")

    response = rosa_client.get("/organizations/")

    assert response.status_code == 200
    assert texts(response.content, "organization") == [
        "Acme Client acme.example Robots",
        "Globex Other Software",
        "initech Prospect initech.example Software",
    ]


def test_organization_list_filters_by_kind(rosa_client):
    OrganizationFactory(name="Acme", kind="client")
    OrganizationFactory(name="Initech", kind="prospect")

    response = rosa_client.get("/organizations/?kind=prospect")

    assert organization_names(response) == ["Initech"]


def test_organization_list_with_unknown_kind_says_so(rosa_client):
    OrganizationFactory(name="Acme")

    response = rosa_client.get("/organizations/?kind=partner")

    assert response.status_code == 400
    assert texts(response.content, "list-error") == [
        "Unknown kind “partner”: choose one of client, prospect, other. Show all organizations"
    ]
    assert organization_names(response) == []


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        cursor_of('["a", 1e400]'),
        cursor_of('["a\\u0000b", 1]'),
        cursor_of('["a", 9223372036854775808]'),
        cursor_of('{"a": 1}'),
    ],
)
def test_organization_list_with_broken_cursor_says_so(rosa_client, cursor):
    response = rosa_client.get(f"/organizations/?after={cursor}")

    assert response.status_code == 400
    assert texts(response.content, "list-error") == [
        "This page link is not valid; start again from the first page. Show all organizations"
    ]


def test_organization_list_pages_by_keyset():
    for name in ["Delta", "alpha", "Charlie", "bravo", "Echo"]:
        OrganizationFactory(name=name)

    first = organization_page_list(limit=2)
    second = organization_page_list(limit=2, after=first.next_cursor)
    third = organization_page_list(limit=2, after=second.next_cursor)

    assert [o.name for o in first.organizations] == ["alpha", "bravo"]
    assert [o.name for o in second.organizations] == ["Charlie", "Delta"]
    assert [o.name for o in third.organizations] == ["Echo"]
    assert third.next_cursor is None


def test_organization_list_links_to_the_next_page(rosa_client):
    for index in range(51):
        OrganizationFactory(name=f"Company {index:02}", kind="client", domain=f"c{index}.example")

    first = rosa_client.get("/organizations/?kind=client")
    [link] = [line for line in first.content.decode().splitlines() if 'rel="next"' in line]
    next_url = link.split('href="')[1].split('"')[0].replace("&amp;", "&")
    second = rosa_client.get(f"/organizations/{next_url}")

    assert len(texts(first.content, "organization")) == 50
    assert texts(second.content, "organization") == ["Company 50 Client c50.example Software"]


@pytest.mark.parametrize("count", [1, 3])
def test_organization_list_query_count_is_constant(rosa_client, django_assert_num_queries, count):
    for _ in range(count):
        OrganizationFactory()

    # session, user, one page of organizations
    with django_assert_num_queries(3):
        response = rosa_client.get("/organizations/")

    assert len(texts(response.content, "organization")) == count


def test_organization_list_sends_anonymous_visitor_to_login(client, db):
    response = client.get("/organizations/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/organizations/"


# --- detail --------------------------------------------------------------------------------------


def test_organization_detail_shows_people_former_people_and_timeline(rosa_client, recruiter):
    acme = OrganizationFactory(name="Acme", kind="client", domain="acme.example")
    globex = OrganizationFactory(name="Globex")
    ana = ContactFactory(first_name="Ana", last_name="Smith", title="CTO", organization=acme)
    ContactFactory(first_name="Ben", last_name="Adams", title="Designer", organization=acme)
    with time_machine.travel(dt.datetime(2024, 1, 10, tzinfo=dt.UTC), tick=False):
        leaver = ContactFactory(
            first_name="Lea", last_name="Vogt", title="Engineer", organization=acme
        )
    contact_update(
        contact=leaver, organization=globex, title="Architect", moved_on=dt.date(2025, 6, 1)
    )
    interaction_log(
        contact=ana, kind="meeting", summary="Kick-off", recruiter=recruiter, occurred_at=NOV_1
    )

    response = rosa_client.get(f"/organizations/{acme.pk}/")

    assert response.status_code == 200
    assert texts(response.content, "organization-name") == ["Acme"]
    assert texts(response.content, "person") == ["Ben Adams Designer", "Ana Smith CTO"]
    assert texts(response.content, "former-person") == [
        "Lea Vogt Engineer until Jun 2025; now at Globex"
    ]
    assert texts(response.content, "interaction") == [
        "Meeting outbound · Rosa Reyes · Ana Smith 1 Nov 2026, 09:00 Kick-off"
    ]


def test_organization_detail_links_to_everyone_there_only_when_it_shows_the_first(rosa_client):
    acme = OrganizationFactory(name="Acme")
    ContactFactory.create_batch(PEOPLE_LIMIT, organization=acme)
    everyone = f'<a href="/contacts/?organization={acme.pk}">Everyone at Acme</a>'

    assert everyone not in rosa_client.get(f"/organizations/{acme.pk}/").content.decode()

    ContactFactory(organization=acme)
    response = rosa_client.get(f"/organizations/{acme.pk}/")

    assert len(texts(response.content, "person")) == PEOPLE_LIMIT
    assert everyone in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_organization_detail_query_count_is_constant(
    rosa_client, recruiter, django_assert_num_queries, count
):
    acme = OrganizationFactory(name="Acme")
    other = OrganizationFactory(name="Other")
    for index in range(count):
        person = ContactFactory(organization=acme)
        interaction_log(contact=person, kind="call", summary=f"Call {index}", recruiter=recruiter)
        leaver = ContactFactory(organization=acme)
        contact_update(contact=leaver, organization=other)

    # session, user, organization, people, former people, timeline
    with django_assert_num_queries(6):
        response = rosa_client.get(f"/organizations/{acme.pk}/")

    assert len(texts(response.content, "person")) == count
    assert len(texts(response.content, "former-person")) == count
    assert len(texts(response.content, "interaction")) == count


def test_organization_detail_unknown_is_404(rosa_client):
    assert rosa_client.get("/organizations/999999/").status_code == 404


def test_organization_detail_sends_anonymous_visitor_to_login(client, db):
    acme = OrganizationFactory()

    response = client.get(f"/organizations/{acme.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/organizations/{acme.pk}/"


# --- new -----------------------------------------------------------------------------------------


def test_new_organization_is_created_and_shown(rosa_client):
    response = rosa_client.post(
        "/organizations/new/",
        {
            "name": "  Initech ",
            "kind": "prospect",
            "domain": "https://www.Initech.example/",
            "website": "initech.example",
            "industry": "Software",
            "notes": "Met at a meetup",
        },
    )

    organization = Organization.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/organizations/{organization.pk}/"
    assert (
        organization.name,
        organization.kind,
        organization.domain,
        organization.website,
        organization.industry,
        organization.notes,
    ) == (
        "Initech",
        "prospect",
        "initech.example",
        "https://initech.example",
        "Software",
        "Met at a meetup",
    )


def test_new_organization_with_duplicate_domain_shows_error_next_to_domain(rosa_client):
    OrganizationFactory(name="Acme", domain="acme.example")

    response = rosa_client.post(
        "/organizations/new/", {"name": "Acme Europe", "kind": "client", "domain": "ACME.example"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert texts(html, "field-error") == [
        "Another organization already has the domain acme.example."
    ]
    domain_field = html.split('for="id_domain"')[1].split('id="id_industry"')[0]
    assert "Another organization already has the domain acme.example." in domain_field
    assert Organization.objects.count() == 1


def test_new_organization_without_name_is_refused(rosa_client):
    response = rosa_client.post("/organizations/new/", {"name": " ", "kind": "client"})

    assert response.status_code == 400
    assert texts(response.content, "field-error") == ["An organization needs a name."]
    assert Organization.objects.count() == 0


def test_new_organization_form_sends_anonymous_visitor_to_login(client, db):
    response = client.post("/organizations/new/", {"name": "Initech", "kind": "client"})

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/organizations/new/"
    assert Organization.objects.count() == 0
