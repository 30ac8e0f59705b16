"""The contacts API: /api/v1/contacts/ (list, search, create, retrieve, update, merge)."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine

from contacts.models import Contact, Employment, Fact
from contacts.services import contact_update
from relationships.models import Interaction, Relationship
from tests.factories import (
    ContactFactory,
    FactFactory,
    OrganizationFactory,
    RelationshipFactory,
)
from tests.helpers import ids, user_json, walk
from tests.relationships.api_json import (
    CONTACTS,
    NOV_1,
    NOV_1_JSON,
    contact_item_json,
    relationship_json,
)

pytestmark = pytest.mark.django_db


# --- authentication with a token -----------------------------------------------------------------


def test_contact_list_with_token_answers(api, rosa_token):
    ana = ContactFactory(first_name="Ana", last_name="Smith")

    response = api.get(CONTACTS, **rosa_token)

    assert response.status_code == 200
    assert ids(response) == [ana.pk]


def test_contact_create_with_token_is_owned_by_the_tokens_user(api, recruiter, rosa_token):
    response = api.post(CONTACTS, {"first_name": "Ana"}, format="json", **rosa_token)

    assert response.status_code == 201
    assert Relationship.objects.get().owner == recruiter


# --- contact list --------------------------------------------------------------------------------


@time_machine.travel(NOV_1, tick=False)
def test_contact_list_answers_contacts_with_their_relationship(rosa_api, recruiter):
    acme = OrganizationFactory(name="Acme", kind="client")
    ana = ContactFactory(
        first_name="Ana", last_name="Smith", emails=["ana@acme.example"], phones=["+44 1"],
        organization=acme, title="CTO", roles=["client"], tags=["vip"], location="London",
    )  # fmt: skip
    relationship = RelationshipFactory(contact=ana, owner=recruiter, tier="B")
    ben = ContactFactory(first_name="Ben", last_name="Zeller", emails=[], title="")

    response = rosa_api.get(CONTACTS)

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "results": [
            contact_item_json(ana, relationship_json(relationship)),
            contact_item_json(ben),
        ],
    }


@pytest.fixture
def filter_people(recruiter, other_recruiter) -> dict[str, Contact]:
    acme = OrganizationFactory(name="Acme")
    ana = ContactFactory(first_name="Ana", roles=["candidate"], tags=["python"], organization=acme)
    ben = ContactFactory(first_name="Ben", roles=["client"], tags=["sales"])
    cy = ContactFactory(first_name="Cy", roles=["candidate"], tags=["python"])
    RelationshipFactory(contact=ana, owner=recruiter, tier="A")
    with time_machine.travel(NOV_1 - dt.timedelta(days=100), tick=False):
        RelationshipFactory(contact=ben, owner=other_recruiter, tier="C")
    return {"ana": ana, "ben": ben, "cy": cy, "acme": acme}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["ana", "ben", "cy"]),
        ("owner=me", ["ana"]),
        ("owner={tom}", ["ben"]),
        ("owner=none", ["cy"]),
        ("role=client", ["ben"]),
        ("tag=Python", ["ana", "cy"]),
        ("tier=A", ["ana"]),
        ("overdue=true", ["ben"]),
        ("organization={acme}", ["ana"]),
        ("tag=python&owner=none", ["cy"]),
    ],
)
@time_machine.travel(NOV_1, tick=False)
def test_contact_list_filters(rosa_api, other_recruiter, filter_people, query, expected):
    query = query.format(tom=other_recruiter.pk, acme=filter_people["acme"].pk)

    response = rosa_api.get(f"{CONTACTS}?{query}")

    assert response.status_code == 200
    names = {contact.pk: name for name, contact in filter_people.items()}
    assert sorted(names[pk] for pk in ids(response)) == expected


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("owner=rosa", {"owner": ['Give a user id, "me" or "none".']}),
        ("role=wizard", {"role": ['"wizard" is not a valid choice.']}),
        ("tier=5", {"tier": ['"5" is not a valid choice.']}),
        ("organization=acme", {"organization": ["A valid integer is required."]}),
        ("limit=500", {"limit": ["Give a whole number from 1 to 200."]}),
        ("after=forged",
         {"after": ["This page link is not valid; start again from the first page."]}),
    ],
)  # fmt: skip
def test_contact_list_bad_filter_is_400_naming_it(rosa_api, query, fields):
    ContactFactory()

    response = rosa_api.get(f"{CONTACTS}?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == fields


def test_contact_list_pages_walk_every_contact_once(rosa_api):
    people = [("Diaz", "Ana"), ("Adams", "Ben"), ("Diaz", "Ana"), ("Cole", "Cy"), ("Berg", "Di")]
    made = [ContactFactory(last_name=last, first_name=first).pk for last, first in people]

    pages = walk(rosa_api, f"{CONTACTS}?limit=2")

    # adams ben, berg di, cole cy, diaz ana (x2, by id)
    expected = [made[1], made[4], made[3], made[0], made[2]]
    assert pages == [expected[0:2], expected[2:4], expected[4:5]]


def test_contact_list_next_link_keeps_the_filters(rosa_api, recruiter):
    for name in ("Ana", "Ben", "Cy"):
        RelationshipFactory(
            contact=ContactFactory(first_name=name, last_name="Lee"), owner=recruiter
        )
    ContactFactory(first_name="Bo", last_name="Lee")

    first = rosa_api.get(f"{CONTACTS}?owner=me&limit=2").json()
    second = rosa_api.get(first["next"]).json()

    link = urlsplit(first["next"])
    assert (link.netloc, link.path) == ("testserver", "/api/v1/contacts/")
    assert sorted(parse_qs(link.query)) == ["after", "limit", "owner"]
    assert (parse_qs(link.query)["owner"], parse_qs(link.query)["limit"]) == (["me"], ["2"])
    assert [row["first_name"] for row in first["results"] + second["results"]] == [
        "Ana", "Ben", "Cy",
    ]  # fmt: skip
    assert second["next"] is None


def test_contact_list_queries_are_constant(
    rosa_api, recruiter, other_recruiter, django_assert_num_queries
):
    acme = OrganizationFactory()
    RelationshipFactory(contact=ContactFactory(organization=acme), owner=recruiter)
    # session, user, the page with organizations, relationships and owners
    with django_assert_num_queries(3):
        one = rosa_api.get(CONTACTS)
    RelationshipFactory(
        contact=ContactFactory(organization=OrganizationFactory()), owner=other_recruiter
    )
    ContactFactory()

    with django_assert_num_queries(3):
        three = rosa_api.get(CONTACTS)

    assert len(one.json()["results"]) == 1
    assert len(three.json()["results"]) == 3


def test_contact_search_finds_by_name_with_relationship(rosa_api, recruiter):
    ana = ContactFactory(first_name="Anastasia", last_name="Smith")
    RelationshipFactory(contact=ana, owner=recruiter)
    ContactFactory(first_name="Ben", last_name="Jones")

    response = rosa_api.get(CONTACTS, {"q": "anast"})

    assert response.status_code == 200
    assert response.json()["next"] is None
    assert ids(response) == [ana.pk]
    assert response.json()["results"][0]["relationship"]["owner"] == user_json(recruiter)


def test_contact_search_queries_are_constant(rosa_api, recruiter, django_assert_num_queries):
    RelationshipFactory(contact=ContactFactory(last_name="Novak"), owner=recruiter)
    # session, user, the search, relationships, owners
    with django_assert_num_queries(5):
        one = rosa_api.get(CONTACTS, {"q": "novak"})
    for _ in range(2):
        RelationshipFactory(contact=ContactFactory(last_name="Novak"), owner=recruiter)

    with django_assert_num_queries(5):
        three = rosa_api.get(CONTACTS, {"q": "novak"})

    assert len(one.json()["results"]) == 1
    assert len(three.json()["results"]) == 3


# --- contact create ------------------------------------------------------------------------------


@time_machine.travel(NOV_1, tick=False)
def test_contact_create_onboards_contact_with_relationship(rosa_api, recruiter):
    acme = OrganizationFactory(name="Acme", kind="client")

    response = rosa_api.post(
        CONTACTS,
        {
            "first_name": " Ana ", "last_name": "Smith", "emails": ["Ana@Acme.example"],
            "phones": ["+44 20 7946 0958"], "title": "CTO", "organization": acme.pk,
            "roles": ["client"], "tags": ["VIP"], "tier": "A",
        },
        format="json",
    )  # fmt: skip

    assert response.status_code == 201
    ana = Contact.objects.get()
    employment = Employment.objects.get()
    assert response.json() == {
        **contact_item_json(
            ana,
            relationship_json(
                ana.relationship, tier="A", cadence_days=14, next_touch_due="2026-11-15T09:00:00Z"
            ),
        ),
        "first_name": "Ana",
        "emails": ["ana@acme.example"],
        "phones": ["+44 20 7946 0958"],
        "tags": ["vip"],
        "linkedin_url": None,
        "source": "",
        "was_candidate": False,
        "career": [
            {
                "id": employment.pk,
                "organization": {"id": acme.pk, "name": "Acme", "kind": "client"},
                "organization_name": "Acme",
                "title": "CTO",
                "started_on": "2026-11-01",
                "ended_on": None,
                "is_current": True,
            }
        ],
        "pinned_facts": [],
        "created_at": NOV_1_JSON,
        "updated_at": NOV_1_JSON,
    }
    assert ana.relationship.owner == recruiter


def test_contact_create_with_duplicate_is_409_listing_them(rosa_api):
    existing = ContactFactory(first_name="Ana", last_name="Smith", emails=["ana@acme.example"])
    other = ContactFactory(first_name="Ann", last_name="Smyth", phones=["020 7946 0958"])

    response = rosa_api.post(
        CONTACTS,
        {"first_name": "Ana", "emails": ["ANA@acme.example"], "phones": ["+44 20 7946 0958"]},
        format="json",
    )

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "duplicate",
            "message": f"This may be Ana Smith (#{existing.pk}), Ann Smyth (#{other.pk}): merge "
            'or update that contact, or send "allow_duplicate": true to create a new one anyway.',
            "fields": {
                "emails": [f"Ana Smith (#{existing.pk}) already has ana@acme.example."],
                "phones": [f"Ann Smyth (#{other.pk}) already has this phone number."],
            },
            "duplicates": [existing.pk, other.pk],
        }
    }
    assert Contact.objects.count() == 2


def test_contact_create_with_allow_duplicate_creates_it(rosa_api):
    ContactFactory(emails=["ana@acme.example"])

    response = rosa_api.post(
        CONTACTS,
        {"first_name": "Ana", "emails": ["ana@acme.example"], "allow_duplicate": True},
        format="json",
    )

    assert response.status_code == 201
    assert Contact.objects.filter(emails__contains=["ana@acme.example"]).count() == 2


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"first_name": "Ana", "emails": ["not-an-email"]},
         {"emails": ["'not-an-email' is not a valid email address."]}),
        ({"first_name": "Ana", "tier": 5}, {"tier": ['"5" is not a valid choice.']}),
        ({"first_name": "Ana", "tier": ["A"]}, {"tier": ['"[\'A\']" is not a valid choice.']}),
        ({"first_name": "Ana", "emails": "ana@acme.example"},
         {"emails": ['Expected a list of items but got type "str".']}),
        ({"first_name": "Ana", "linkedin_url": "https://example.com/ana"},
         {"linkedin_url": ["Not a LinkedIn profile URL (expected "
                           "https://www.linkedin.com/in/<name>)."]}),
        ({"last_name": "Smith", "roles": ["wizard"]},
         {"first_name": ["This field is required."],
          "roles": ['0: "wizard" is not a valid choice.']}),
    ],
)  # fmt: skip
def test_contact_create_with_bad_input_names_the_field_and_creates_nothing(
    rosa_api, payload, fields
):
    response = rosa_api.post(CONTACTS, payload, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["fields"] == fields
    assert (Contact.objects.count(), Relationship.objects.count()) == (0, 0)


def test_contact_create_for_another_owner_is_403_for_a_recruiter(rosa_api, other_recruiter):
    response = rosa_api.post(
        CONTACTS, {"first_name": "Ana", "owner": other_recruiter.pk}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "permission_denied",
        "message": "Only managers and admins give a new contact to another recruiter.",
        "fields": {},
    }
    assert Contact.objects.count() == 0


def test_contact_create_for_another_owner_by_a_manager(api, manager, other_recruiter):
    api.force_login(manager)

    response = api.post(
        CONTACTS, {"first_name": "Ana", "owner": other_recruiter.pk, "tier": "C"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["relationship"]["owner"] == user_json(other_recruiter)
    relationship = Relationship.objects.get()
    assert (relationship.owner, relationship.tier) == (other_recruiter, "C")


# --- contact retrieve and update -----------------------------------------------------------------


@time_machine.travel(NOV_1, tick=False)
def test_contact_retrieve_answers_career_and_pinned_facts(rosa_api, recruiter):
    old_job = OrganizationFactory(name="Initech", kind="other")
    ana = ContactFactory(
        first_name="Ana", last_name="Smith", organization=old_job, title="Engineer",
        started_on=dt.date(2020, 1, 1),
    )  # fmt: skip
    acme = OrganizationFactory(name="Acme", kind="client")
    ana = contact_update(contact=ana, organization=acme, title="CTO", moved_on=dt.date(2025, 6, 1))
    pinned = FactFactory(contact=ana, text="Two kids", pinned=True, author=recruiter)
    FactFactory(contact=ana, text="Not pinned")
    current, previous = Employment.objects.filter(contact=ana).order_by("-started_on")

    response = rosa_api.get(f"{CONTACTS}{ana.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["relationship"] is None
    assert body["organization"] == {"id": acme.pk, "name": "Acme", "kind": "client"}
    assert body["career"] == [
        {
            "id": current.pk,
            "organization": {"id": acme.pk, "name": "Acme", "kind": "client"},
            "organization_name": "Acme",
            "title": "CTO",
            "started_on": "2025-06-01",
            "ended_on": None,
            "is_current": True,
        },
        {
            "id": previous.pk,
            "organization": {"id": old_job.pk, "name": "Initech", "kind": "other"},
            "organization_name": "Initech",
            "title": "Engineer",
            "started_on": "2020-01-01",
            "ended_on": "2025-06-01",
            "is_current": False,
        },
    ]
    assert body["pinned_facts"] == [
        {
            "id": pinned.pk,
            "contact": ana.pk,
            "category": "interests",
            "text": "Two kids",
            "learned_on": "2026-11-01",
            "pinned": True,
            "sensitive": False,
            "author": user_json(recruiter),
            "created_at": NOV_1_JSON,
            "updated_at": NOV_1_JSON,
        }
    ]


def test_contact_retrieve_queries_do_not_grow_with_career_and_facts(
    rosa_api, django_assert_num_queries
):
    ana = ContactFactory(organization=OrganizationFactory())
    FactFactory(contact=ana, pinned=True)
    # session, user, contact with organization and relationship, career, pinned facts
    with django_assert_num_queries(5):
        rosa_api.get(f"{CONTACTS}{ana.pk}/")
    contact_update(contact=ana, organization=OrganizationFactory())
    FactFactory.create_batch(2, contact=ana, pinned=True)

    with django_assert_num_queries(5):
        response = rosa_api.get(f"{CONTACTS}{ana.pk}/")

    assert (len(response.json()["career"]), len(response.json()["pinned_facts"])) == (2, 3)


def test_contact_retrieve_unknown_is_404(rosa_api):
    response = rosa_api.get(f"{CONTACTS}999999/")

    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "No Contact matches the given query.",
        "fields": {},
    }


def test_contact_patch_move_records_career(rosa_api):
    ana = ContactFactory(title="Engineer", started_on=dt.date(2024, 1, 1))
    acme = OrganizationFactory(name="Acme")

    response = rosa_api.patch(
        f"{CONTACTS}{ana.pk}/",
        {"organization": acme.pk, "title": "CTO", "moved_on": "2026-03-01", "tags": ["Lead"]},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["tags"], body["organization"]["id"]) == ("CTO", ["lead"], acme.pk)
    career = [(job["title"], job["started_on"], job["ended_on"]) for job in body["career"]]
    assert career == [("CTO", "2026-03-01", None), ("Engineer", "2024-01-01", "2026-03-01")]


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"emails": ["ana@ok.example", "nope"]},
         {"emails": ["'nope' is not a valid email address."]}),
        ({"first_name": ""}, {"first_name": ["This field may not be blank."]}),
        ({"title": "CTO", "moved_on": "2023-01-01"},
         {"moved_on": ["The current position started on 2024-01-01; a move on 2023-01-01 "
                       "would end it before it began."]}),
    ],
)  # fmt: skip
def test_contact_patch_with_bad_input_changes_nothing(rosa_api, payload, fields):
    ana = ContactFactory(
        first_name="Ana", emails=["ana@old.example"], started_on=dt.date(2024, 1, 1)
    )

    response = rosa_api.patch(f"{CONTACTS}{ana.pk}/", payload, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == fields
    ana.refresh_from_db()
    assert (ana.first_name, ana.emails, ana.title) == ("Ana", ["ana@old.example"], "Engineer")
    assert Employment.objects.filter(contact=ana).count() == 1


# --- merge ---------------------------------------------------------------------------------------


def test_contact_merge_folds_the_duplicate_into_the_survivor(rosa_api, recruiter):
    survivor = ContactFactory(first_name="Ana", last_name="Smith", emails=["ana@a.example"])
    RelationshipFactory(contact=survivor, owner=recruiter)
    duplicate = ContactFactory(first_name="Ana", last_name="Smyth", emails=["ana@b.example"])
    FactFactory(contact=duplicate, text="Likes tea")

    response = rosa_api.post(
        f"{CONTACTS}{survivor.pk}/merge/", {"duplicate": duplicate.pk}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["duplicate_id"], body["duplicate_name"]) == (duplicate.pk, "Ana Smyth")
    assert body["moved"] == {"contacts.Employment": 1, "contacts.Fact": 1}
    assert body["survivor"]["emails"] == ["ana@a.example", "ana@b.example"]
    assert not Contact.objects.filter(pk=duplicate.pk).exists()
    assert Fact.objects.get().contact_id == survivor.pk
    merge_entry = Interaction.objects.get(contact=survivor, kind="merge")
    assert merge_entry.recruiter == recruiter


def test_contact_merge_of_someone_elses_contact_is_403(rosa_api, recruiter, other_recruiter):
    survivor = RelationshipFactory(owner=recruiter).contact
    duplicate = RelationshipFactory(owner=other_recruiter).contact

    response = rosa_api.post(
        f"{CONTACTS}{survivor.pk}/merge/", {"duplicate": duplicate.pk}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "permission_denied",
        "message": "Only a manager, an admin or the recruiter who owns both contacts merges them.",
        "fields": {},
    }
    assert Contact.objects.filter(pk__in=[survivor.pk, duplicate.pk]).count() == 2


def test_contact_merge_by_a_manager_merges_anyones(api, manager, recruiter, other_recruiter):
    survivor = RelationshipFactory(owner=recruiter).contact
    duplicate = RelationshipFactory(owner=other_recruiter).contact
    api.force_login(manager)

    response = api.post(
        f"{CONTACTS}{survivor.pk}/merge/", {"duplicate": duplicate.pk}, format="json"
    )

    assert response.status_code == 200
    assert list(Contact.objects.values_list("id", flat=True)) == [survivor.pk]
    assert Relationship.objects.get().owner == recruiter


@pytest.mark.parametrize(
    ("duplicate", "message"),
    [
        ("self", "A contact cannot be merged into itself."),
        (999999, 'Invalid pk "999999" - object does not exist.'),
        (None, "This field may not be null."),
    ],
)
def test_contact_merge_bad_duplicate_is_400(rosa_api, recruiter, duplicate, message):
    survivor = RelationshipFactory(owner=recruiter).contact
    given = survivor.pk if duplicate == "self" else duplicate

    response = rosa_api.post(f"{CONTACTS}{survivor.pk}/merge/", {"duplicate": given}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"duplicate": [message]}
    assert Contact.objects.filter(pk=survivor.pk).exists()
