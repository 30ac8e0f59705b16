import datetime as dt
import json

import pytest
import time_machine

from contacts.models import Fact, Organization
from tests.factories import ContactFactory, FactFactory, OrganizationFactory
from tests.helpers import cursor_of, ids, user_json, walk

pytestmark = pytest.mark.django_db

NOV_1 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
NOV_1_JSON = "2026-11-01T09:00:00Z"
INVALID_CURSOR = "This page link is not valid; start again from the first page."
ORGANIZATIONS = "/api/v1/organizations/"
FACTS = "/api/v1/facts/"


def organization_json(organization: Organization, **changes) -> dict:
    return {
        "id": organization.pk,
        "name": organization.name,
        "kind": organization.kind,
        "domain": organization.domain,
        "website": organization.website or None,
        "industry": organization.industry,
        "notes": organization.notes,
        "created_at": NOV_1_JSON,
        "updated_at": NOV_1_JSON,
        **changes,
    }


def cursor(values: list) -> str:
    return cursor_of(json.dumps(values))


# --- authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ORGANIZATIONS),
        ("post", ORGANIZATIONS),
        ("get", f"{ORGANIZATIONS}1/"),
        ("patch", f"{ORGANIZATIONS}1/"),
        ("get", f"{FACTS}?contact=1"),
        ("post", FACTS),
        ("get", f"{FACTS}1/"),
        ("patch", f"{FACTS}1/"),
        ("delete", f"{FACTS}1/"),
    ],
)
def test_endpoint_without_credentials_is_401(api, method, path):
    response = getattr(api, method)(path, {"name": "Acme", "text": "x"}, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert Organization.objects.count() == 0


def test_endpoint_with_bad_token_is_401(api, db):
    response = api.get(ORGANIZATIONS, HTTP_AUTHORIZATION="Token not-a-real-key")

    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "authentication_failed",
        "message": "Invalid token.",
        "fields": {},
    }


@time_machine.travel(NOV_1, tick=False)
def test_organization_list_with_token_answers(api, rosa_token):
    acme = OrganizationFactory(name="Acme", domain="acme.example")

    response = api.get(ORGANIZATIONS, **rosa_token)

    assert response.status_code == 200
    assert response.json() == {"next": None, "results": [organization_json(acme)]}


# --- organizations -------------------------------------------------------------------------------


@time_machine.travel(NOV_1, tick=False)
def test_organization_create_normalises_domain(rosa_api):
    response = rosa_api.post(
        ORGANIZATIONS,
        {"name": " Acme ", "kind": "prospect", "domain": "https://www.Acme.COM/", "notes": "Big"},
        format="json",
    )

    assert response.status_code == 201
    acme = Organization.objects.get()
    assert response.json() == organization_json(
        acme, name="Acme", kind="prospect", domain="acme.com", notes="Big"
    )


def test_organization_create_without_name_names_the_field(rosa_api):
    response = rosa_api.post(ORGANIZATIONS, {"name": "", "kind": "nonsense"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Some fields are not valid.",
            "fields": {
                "name": ["This field may not be blank."],
                "kind": ['"nonsense" is not a valid choice.'],
            },
        }
    }
    assert Organization.objects.count() == 0


def test_organization_create_with_taken_domain_is_refused(rosa_api):
    OrganizationFactory(name="Acme", domain="acme.com")

    response = rosa_api.post(
        ORGANIZATIONS, {"name": "Acme again", "domain": "www.acme.com"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Another organization already has this domain."
    assert list(Organization.objects.values_list("name", flat=True)) == ["Acme"]


@time_machine.travel(NOV_1, tick=False)
def test_organization_retrieve_answers_its_fields(rosa_api):
    acme = OrganizationFactory(name="Acme", domain="acme.example", website="https://acme.example")

    response = rosa_api.get(f"{ORGANIZATIONS}{acme.pk}/")

    assert response.status_code == 200
    assert response.json() == organization_json(acme, website="https://acme.example")


def test_organization_retrieve_unknown_is_404_in_error_shape(rosa_api):
    response = rosa_api.get(f"{ORGANIZATIONS}999999/")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "No Organization matches the given query.",
                  "fields": {}}
    }  # fmt: skip


def test_organization_patch_changes_only_what_is_sent(rosa_api):
    with time_machine.travel(NOV_1, tick=False):
        acme = OrganizationFactory(name="Acme", domain="acme.example", industry="Software")

    with time_machine.travel(NOV_1 + dt.timedelta(days=1), tick=False):
        response = rosa_api.patch(
            f"{ORGANIZATIONS}{acme.pk}/", {"name": "Acme Group", "kind": "prospect"}, format="json"
        )

    assert response.status_code == 200
    assert response.json() == organization_json(
        acme, name="Acme Group", kind="prospect", updated_at="2026-11-02T09:00:00Z"
    )
    acme.refresh_from_db()
    assert (acme.name, acme.kind, acme.industry) == ("Acme Group", "prospect", "Software")


def test_organization_patch_with_bad_website_changes_nothing(rosa_api):
    acme = OrganizationFactory(name="Acme")

    response = rosa_api.patch(
        f"{ORGANIZATIONS}{acme.pk}/", {"name": "Other", "website": "not a url"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"website": ["Enter a valid URL."]}
    acme.refresh_from_db()
    assert acme.name == "Acme"


def test_organization_list_is_in_name_order(rosa_api):
    zeta, alpha, mid = (OrganizationFactory(name=name) for name in ("Zeta", "Alpha", "Mid"))

    response = rosa_api.get(ORGANIZATIONS)

    assert ids(response) == [alpha.pk, mid.pk, zeta.pk]


def test_organization_list_pages_walk_every_row_once(rosa_api):
    names = ["Delta", "Alpha", "Echo", "Bravo", "Charlie"]
    by_name = {name: OrganizationFactory(name=name).pk for name in names}
    # Two organizations with the same name: the id breaks the tie.
    by_name["Bravo 2"] = OrganizationFactory(name="Bravo").pk

    pages = walk(rosa_api, f"{ORGANIZATIONS}?limit=2")

    expected = [by_name[name] for name in ["Alpha", "Bravo", "Bravo 2", "Charlie", "Delta", "Echo"]]
    assert pages == [expected[0:2], expected[2:4], expected[4:6]]


def test_organization_list_queries_are_constant(rosa_api, django_assert_num_queries):
    OrganizationFactory()
    # session, user, the page
    with django_assert_num_queries(3):
        one = rosa_api.get(ORGANIZATIONS)
    OrganizationFactory.create_batch(2)

    with django_assert_num_queries(3):
        three = rosa_api.get(ORGANIZATIONS)

    assert len(one.json()["results"]) == 1
    assert len(three.json()["results"]) == 3


def test_organization_search_finds_by_name(rosa_api):
    acme = OrganizationFactory(name="Acme Robotics", domain="acme.example")
    OrganizationFactory(name="Globex", domain="globex.example")

    response = rosa_api.get(ORGANIZATIONS, {"q": "robot"})

    assert response.status_code == 200
    assert response.json()["next"] is None
    assert ids(response) == [acme.pk]


def test_organization_search_queries_are_constant(rosa_api, django_assert_num_queries):
    OrganizationFactory(name="Acme One")
    with django_assert_num_queries(3):
        one = rosa_api.get(ORGANIZATIONS, {"q": "acme"})
    OrganizationFactory(name="Acme Two")
    OrganizationFactory(name="Acme Three")

    with django_assert_num_queries(3):
        three = rosa_api.get(ORGANIZATIONS, {"q": "acme"})

    assert len(one.json()["results"]) == 1
    assert len(three.json()["results"]) == 3


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("limit=0", "limit", "Give a whole number from 1 to 200."),
        ("limit=abc", "limit", "Give a whole number from 1 to 200."),
        ("after=garbage", "after", INVALID_CURSOR),
        ("after=" + cursor(['Acme']), "after", INVALID_CURSOR),
        # Well-formed cursors with values PostgreSQL cannot compare: a 400, not a 500.
        ("after=" + cursor(['a\x00', 1]), "after", INVALID_CURSOR),
        ("after=" + cursor(['a', 10**30]), "after", INVALID_CURSOR),
        ("after=" + cursor(['a', 'b']), "after", INVALID_CURSOR),
        ("after=" + cursor([None, 1]), "after", INVALID_CURSOR),
        ("after=" + cursor(["a", float("inf")]), "after", INVALID_CURSOR),
    ],
)  # fmt: skip
def test_organization_list_bad_page_parameters_are_400(rosa_api, query, field, message):
    OrganizationFactory()

    response = rosa_api.get(f"{ORGANIZATIONS}?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: [message]}


# --- facts ---------------------------------------------------------------------------------------


def fact_json(fact: Fact, author=None, **changes) -> dict:
    return {
        "id": fact.pk,
        "contact": fact.contact_id,
        "category": fact.category,
        "text": fact.text,
        "learned_on": fact.learned_on.isoformat(),
        "pinned": fact.pinned,
        "sensitive": fact.sensitive,
        "author": None if author is None else user_json(author),
        "created_at": NOV_1_JSON,
        "updated_at": NOV_1_JSON,
        **changes,
    }


def test_fact_list_needs_a_contact(rosa_api):
    response = rosa_api.get(FACTS)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"contact": ["This field is required."]}


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("999999", 'Invalid pk "999999" - object does not exist.'),
        ("9" * 30, f'Invalid pk "{"9" * 30}" - object does not exist.'),
        ("abc", "Incorrect type. Expected pk value, received str."),
    ],
)
def test_fact_list_of_unknown_contact_names_the_field(rosa_api, contact, message):
    response = rosa_api.get(FACTS, {"contact": contact})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"contact": [message]}


@time_machine.travel(NOV_1, tick=False)
def test_fact_list_answers_the_contacts_facts_pinned_first(rosa_api, recruiter):
    ana = ContactFactory(first_name="Ana")
    older = FactFactory(contact=ana, text="Has two kids", learned_on=dt.date(2026, 1, 5))
    newer = FactFactory(contact=ana, text="Moving to Lisbon", learned_on=dt.date(2026, 9, 1))
    pinned = FactFactory(
        contact=ana, text="Allergic to nuts", learned_on=dt.date(2025, 1, 1), pinned=True,
        author=recruiter,
    )  # fmt: skip
    FactFactory(text="Someone else's")

    response = rosa_api.get(FACTS, {"contact": ana.pk})

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "results": [fact_json(pinned, recruiter), fact_json(newer), fact_json(older)],
    }


def test_fact_list_pages_walk_every_row_once(rosa_api):
    ana = ContactFactory()
    learned = [dt.date(2026, 1, d) for d in (3, 1, 2, 2, 5)]
    facts = [
        FactFactory(contact=ana, text=f"Fact {n}", learned_on=day, pinned=n == 4)
        for n, day in enumerate(learned)
    ]
    # pinned first; then newest learned; same day: newest id first
    expected = [facts[4].pk, facts[0].pk, facts[3].pk, facts[2].pk, facts[1].pk]

    pages = walk(rosa_api, f"{FACTS}?contact={ana.pk}&limit=2")

    assert pages == [expected[0:2], expected[2:4], expected[4:5]]


def test_fact_list_queries_are_constant(rosa_api, recruiter, django_assert_num_queries):
    ana = ContactFactory()
    FactFactory(contact=ana, author=recruiter)
    # session, user, the contact, the page with authors
    with django_assert_num_queries(4):
        one = rosa_api.get(FACTS, {"contact": ana.pk})
    FactFactory(contact=ana, author=recruiter)
    FactFactory(contact=ana)

    with django_assert_num_queries(4):
        three = rosa_api.get(FACTS, {"contact": ana.pk})

    assert len(one.json()["results"]) == 1
    assert len(three.json()["results"]) == 3


@time_machine.travel(NOV_1, tick=False)
def test_fact_create_records_the_author(rosa_api, recruiter):
    ana = ContactFactory()

    response = rosa_api.post(
        FACTS,
        {"contact": ana.pk, "text": " Plays chess ", "category": "interests", "pinned": True},
        format="json",
    )

    assert response.status_code == 201
    fact = Fact.objects.get()
    assert (fact.contact, fact.text, fact.author, fact.learned_on) == (
        ana, "Plays chess", recruiter, dt.date(2026, 11, 1)
    )  # fmt: skip
    assert response.json() == fact_json(fact, recruiter)


def test_fact_create_with_bad_input_names_each_field(rosa_api):
    response = rosa_api.post(
        FACTS,
        {"contact": 999999, "text": "", "category": "gossip", "learned_on": "yesterday"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "contact": ['Invalid pk "999999" - object does not exist.'],
        "text": ["This field may not be blank."],
        "category": ['"gossip" is not a valid choice.'],
        "learned_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
    }
    assert Fact.objects.count() == 0


@time_machine.travel(NOV_1, tick=False)
def test_fact_retrieve_answers_its_fields(rosa_api):
    fact = FactFactory(text="Runs marathons", learned_on=dt.date(2026, 3, 1))

    response = rosa_api.get(f"{FACTS}{fact.pk}/")

    assert response.status_code == 200
    assert response.json() == fact_json(fact)


def test_fact_patch_changes_text_and_pin(rosa_api, recruiter):
    fact = FactFactory(text="Runs marathons", author=recruiter)

    response = rosa_api.patch(
        f"{FACTS}{fact.pk}/", {"text": "Runs ultramarathons", "pinned": True}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["text"], response.json()["pinned"]) == ("Runs ultramarathons", True)
    fact.refresh_from_db()
    assert (fact.text, fact.pinned, fact.category) == ("Runs ultramarathons", True, "interests")


def test_fact_patch_with_blank_text_changes_nothing(rosa_api):
    fact = FactFactory(text="Runs marathons")

    response = rosa_api.patch(f"{FACTS}{fact.pk}/", {"text": "   "}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"text": ["This field may not be blank."]}
    fact.refresh_from_db()
    assert fact.text == "Runs marathons"


def test_fact_delete_removes_it(rosa_api, recruiter):
    fact = FactFactory(author=recruiter)
    kept = FactFactory(contact=fact.contact)

    response = rosa_api.delete(f"{FACTS}{fact.pk}/")

    assert response.status_code == 204
    assert list(Fact.objects.values_list("id", flat=True)) == [kept.pk]


def test_fact_delete_of_another_recruiters_fact_is_403(rosa_api, other_recruiter):
    fact = FactFactory(author=other_recruiter)

    response = rosa_api.delete(f"{FACTS}{fact.pk}/")

    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "Only whoever wrote a fact down, a manager or an admin deletes it."
    )
    assert Fact.objects.filter(pk=fact.pk).exists() is True
