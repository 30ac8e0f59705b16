import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.management import call_command

from contacts.models import Contact, Employment, Fact
from contacts.services import contact_update
from relationships import services
from relationships.models import Connection, Handoff, Interaction, Relationship
from tests.factories import (
    ContactFactory,
    FactFactory,
    InteractionFactory,
    OrganizationFactory,
    RelationshipFactory,
)
from tests.helpers import ids, walk

pytestmark = pytest.mark.django_db

NOV_1 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
NOV_1_JSON = "2026-11-01T09:00:00Z"
CONTACTS = "/api/v1/contacts/"
INTERACTIONS = "/api/v1/interactions/"
RELATIONSHIPS = "/api/v1/relationships/"
CONNECTIONS = "/api/v1/connections/"
HANDOFFS = "/api/v1/handoffs/"


def user_json(user) -> dict:
    return {"id": user.pk, "username": user.username, "name": str(user)}


def relationship_json(relationship: Relationship, **changes) -> dict:
    return {
        "contact": relationship.contact_id,
        "owner": user_json(relationship.owner),
        "tier": relationship.tier,
        "cadence_days": relationship.cadence_days,
        "last_touch_at": None,
        "next_touch_due": "2026-12-01T09:00:00Z",
        "is_overdue": False,
        "created_at": NOV_1_JSON,
        "updated_at": NOV_1_JSON,
        **changes,
    }


def contact_item_json(contact: Contact, relationship: dict | None = None, **changes) -> dict:
    organization = contact.organization
    return {
        "id": contact.pk,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "full_name": contact.full_name,
        "emails": contact.emails,
        "phones": contact.phones,
        "title": contact.title,
        "organization": None
        if organization is None
        else {"id": organization.pk, "name": organization.name, "kind": organization.kind},
        "roles": contact.roles,
        "tags": contact.tags,
        "location": contact.location,
        "email_opt_out": False,
        "do_not_contact": False,
        "relationship": relationship,
        **changes,
    }


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
        "linkedin_url": "",
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


# --- interactions --------------------------------------------------------------------------------


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


# --- relationships -------------------------------------------------------------------------------


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


# --- connections ---------------------------------------------------------------------------------


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


# --- handoffs ------------------------------------------------------------------------------------


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
