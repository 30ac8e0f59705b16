"""A sensitive fact is seen by its author, the contact's owner, the owner's manager and admins:
on every surface another recruiter reads, it is not there."""

import pytest

from accounts.models import User
from contacts.models import Fact
from tests.factories import (
    ContactFactory,
    FactFactory,
    RelationshipFactory,
    TeamFactory,
    UserFactory,
)
from tests.helpers import texts

pytestmark = pytest.mark.django_db

SECRET = "Needs visa sponsorship"


@pytest.fixture
def ana(recruiter):
    contact = ContactFactory(first_name="Ana", last_name="Lopez")
    RelationshipFactory(contact=contact, owner=recruiter)
    return contact


@pytest.fixture
def secret(ana, recruiter) -> Fact:
    return FactFactory(
        contact=ana,
        category="constraints",
        text=SECRET,
        sensitive=True,
        author=recruiter,
        pinned=True,
    )


@pytest.fixture
def shared(ana, recruiter) -> Fact:
    return FactFactory(contact=ana, text="Plays chess", author=recruiter)


def test_salary_health_family_and_leaving_facts_are_sensitive_by_default(ana):
    kinds = ["salary", "health", "family", "leaving", "interests", "constraints"]
    facts = [FactFactory(contact=ana, category=kind) for kind in kinds]

    assert [fact.sensitive for fact in facts] == [True, True, True, True, False, False]


def test_contact_page(client, secret, shared, recruiter, other_recruiter, manager):
    seen = {}
    for user in (recruiter, other_recruiter, manager):
        client.force_login(user)
        html = client.get(f"/contacts/{secret.contact_id}/").content.decode()
        seen[user.username] = texts(html, "fact")
    assert [SECRET in " ".join(seen[name]) for name in ("rosa", "tom", "maya")] == [
        True,
        False,
        True,
    ]
    assert len(seen["tom"]) == 1
    assert "Plays chess" in seen["tom"][0]


def test_pre_call_brief(tom_client, secret, shared):
    html = tom_client.get(f"/contacts/{secret.contact_id}/brief/").content.decode()

    assert SECRET not in html
    assert "Plays chess" in html


def test_search_does_not_find_a_contact_by_a_sensitive_fact(tom_api, secret, shared):
    by_secret = tom_api.get("/api/v1/contacts/", {"q": "sponsorship"})
    by_shared = tom_api.get("/api/v1/contacts/", {"q": "chess"})

    assert by_secret.json()["results"] == []
    assert [row["id"] for row in by_shared.json()["results"]] == [secret.contact_id]


def test_search_page(tom_client, secret, shared):
    html = tom_client.get("/search/", {"q": "sponsorship"}).content.decode()

    assert "Ana Lopez" not in html
    assert SECRET not in html


def test_api_fact_list_and_detail(api, recruiter, other_recruiter, secret, shared):
    api.force_login(other_recruiter)
    tom_list = api.get("/api/v1/facts/", {"contact": secret.contact_id}).json()["results"]
    tom_detail = api.get(f"/api/v1/facts/{secret.pk}/").status_code
    tom_patch = api.patch(f"/api/v1/facts/{secret.pk}/", {"pinned": False}).status_code
    api.force_login(recruiter)
    rosa_list = api.get("/api/v1/facts/", {"contact": secret.contact_id}).json()["results"]

    assert [fact["text"] for fact in tom_list] == ["Plays chess"]
    assert (tom_detail, tom_patch) == (404, 404)
    assert [(fact["text"], fact["sensitive"]) for fact in rosa_list] == [
        (SECRET, True),
        ("Plays chess", False),
    ]


def test_api_contact_pinned_facts(api, recruiter, other_recruiter, secret):
    api.force_login(other_recruiter)
    tom_sees = api.get(f"/api/v1/contacts/{secret.contact_id}/").json()["pinned_facts"]
    api.force_login(recruiter)
    rosa_sees = api.get(f"/api/v1/contacts/{secret.contact_id}/").json()["pinned_facts"]

    assert ([f["text"] for f in tom_sees], [f["text"] for f in rosa_sees]) == ([], [SECRET])


def test_csv_export(tom_client, secret):
    response = tom_client.get("/contacts/export.csv")
    body = b"".join(response.streaming_content).decode()

    assert "Ana" in body
    assert SECRET not in body


def test_the_owners_manager_and_an_admin_see_it_another_teams_manager_not(api, secret):
    desk = TeamFactory(name="Desk")
    owner = secret.contact.relationship.owner
    owner.team = desk
    owner.save()
    their_manager = UserFactory(username="mia", role=User.Role.MANAGER, team=desk)
    other_manager = UserFactory(
        username="max", role=User.Role.MANAGER, team=TeamFactory(name="Other")
    )
    admin = UserFactory(username="ada", role=User.Role.ADMIN)
    seen = []
    for user in (their_manager, other_manager, admin):
        api.force_login(user)
        seen.append(api.get(f"/api/v1/facts/{secret.pk}/").status_code)

    assert seen == [200, 404, 200]
