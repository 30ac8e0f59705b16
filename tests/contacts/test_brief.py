import datetime as dt

import pytest
import time_machine

from relationships.services import connection_create, interaction_log
from tests.factories import (
    ContactFactory,
    FactFactory,
    OrganizationFactory,
    RelationshipFactory,
)
from tests.helpers import texts

pytestmark = pytest.mark.django_db

NOV_1 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


@time_machine.travel(NOV_1, tick=False)
def test_brief_shows_facts_touches_connections_and_colleagues(rosa_client, recruiter):
    acme = OrganizationFactory(name="Acme")
    ana = ContactFactory(first_name="Ana", last_name="Smith", title="CTO", organization=acme)
    ContactFactory(first_name="Ben", last_name="Adams", title="Designer", organization=acme)
    RelationshipFactory(contact=ana, owner=recruiter, tier="A")
    FactFactory(contact=ana, text="Runs marathons", learned_on=dt.date(2026, 10, 1))
    FactFactory(
        contact=ana,
        text="Daughter starts school in September",
        category="family",
        learned_on=dt.date(2026, 5, 2),
        pinned=True,
    )
    interaction_log(
        contact=ana,
        kind="call",
        summary="Talked about the Berlin role",
        recruiter=recruiter,
        occurred_at=NOV_1 - dt.timedelta(days=3),
    )
    connection_create(
        from_contact=ana,
        to_contact=ContactFactory(first_name="Jonas", last_name="Weber"),
        kind="referred_by",
    )

    response = rosa_client.get(f"/contacts/{ana.pk}/brief/")

    assert response.status_code == 200
    assert texts(response.content, "contact-name") == ["Ana Smith"]
    assert texts(response.content, "contact-position") == ["CTO at Acme"]
    assert texts(response.content, "fact") == [
        "Daughter starts school in September (family, 2 May 2026)",
        "Runs marathons (interests, 1 Oct 2026)",
    ]
    assert texts(response.content, "brief-relationship") == [
        "Owned by Rosa Reyes, tier A. Last touch: 29 Oct 2026. Next touch due: 12 Nov 2026."
    ]
    assert texts(response.content, "interaction") == [
        "Call outbound · Rosa Reyes 29 Oct 2026, 09:00 Talked about the Berlin role"
    ]
    assert texts(response.content, "connection") == ["Ana was referred by Jonas Weber"]
    assert texts(response.content, "colleague") == ["Ben Adams, Designer"]


def test_brief_hides_navigation_and_forms_when_printed(rosa_client):
    contact = ContactFactory()

    html = rosa_client.get(f"/contacts/{contact.pk}/brief/").content.decode()

    assert '<div class="d-print-none">\n<nav class="navbar' in html
    assert "<form" not in html.split('id="main"')[1]


def test_brief_shows_only_the_ten_first_facts(rosa_client):
    contact = ContactFactory()
    for day in range(1, 13):
        FactFactory(contact=contact, text=f"Fact {day}", learned_on=dt.date(2026, 1, day))

    response = rosa_client.get(f"/contacts/{contact.pk}/brief/")

    facts = texts(response.content, "fact")
    assert [fact.split(" (")[0] for fact in facts] == [f"Fact {day}" for day in range(12, 2, -1)]


@pytest.mark.parametrize("count", [1, 3])
def test_brief_query_count_is_constant(rosa_client, recruiter, django_assert_num_queries, count):
    acme = OrganizationFactory()
    contact = ContactFactory(organization=acme)
    RelationshipFactory(contact=contact, owner=recruiter)
    for index in range(count):
        FactFactory(contact=contact, text=f"Fact {index}")
        interaction_log(contact=contact, kind="call", summary=f"Call {index}", recruiter=recruiter)
        connection_create(from_contact=contact, to_contact=ContactFactory(), kind="worked_with")
        ContactFactory(organization=acme)

    # session, user, contact + organization + relationship + owner, colleagues, facts, timeline,
    # connections, market notes (the open candidacies' jobs, the notes)
    with django_assert_num_queries(9):
        response = rosa_client.get(f"/contacts/{contact.pk}/brief/")

    assert len(texts(response.content, "fact")) == count
    assert len(texts(response.content, "interaction")) == count
    assert len(texts(response.content, "connection")) == count
    assert len(texts(response.content, "colleague")) == count


def test_brief_sends_anonymous_visitor_to_login(client, db):
    contact = ContactFactory()

    response = client.get(f"/contacts/{contact.pk}/brief/")

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/contacts/{contact.pk}/brief/"


def test_brief_unknown_contact_is_404(rosa_client):
    assert rosa_client.get("/contacts/999999/brief/").status_code == 404
