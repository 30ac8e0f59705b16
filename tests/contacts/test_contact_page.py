import datetime as dt

import pytest
import time_machine

from contacts.services import contact_update
from relationships.services import (
    connection_create,
    interaction_log,
    relationship_handoff,
)
from tests.factories import (
    ContactFactory,
    FactFactory,
    InteractionFactory,
    OrganizationFactory,
    RelationshipFactory,
)
from tests.helpers import texts

pytestmark = pytest.mark.django_db

NOV_1 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def contact_with_history(owner, count: int):
    """A contact with `count` facts, interactions, connections and positions."""
    acme = OrganizationFactory(name="Acme")
    contact = ContactFactory(first_name="Ana", last_name="Smith", organization=acme)
    RelationshipFactory(contact=contact, owner=owner)
    for index in range(count):
        FactFactory(contact=contact, text=f"Fact {index}", author=owner, pinned=index == 0)
        InteractionFactory(contact=contact, recruiter=owner, summary=f"Call {index}")
        connection_create(
            from_contact=contact, to_contact=ContactFactory(), kind="worked_with", user=owner
        )
    for index in range(1, count):
        contact_update(contact=contact, title=f"Lead {index}")
    return contact


def test_contact_page_shows_names_identities_and_roles(rosa_client):
    acme = OrganizationFactory(name="Acme Robotics", kind="client")
    contact = ContactFactory(
        first_name="Ana",
        last_name="Smith",
        emails=["ana@acme.example", "ana.smith@mail.example"],
        phones=["+44 20 7946 0958"],
        linkedin_url="https://www.linkedin.com/in/ana-smith",
        title="Head of Data",
        organization=acme,
        roles=["candidate", "referrer"],
        tags=["python", "berlin"],
        location="Berlin",
    )

    response = rosa_client.get(f"/contacts/{contact.pk}/")

    assert response.status_code == 200
    assert texts(response.content, "contact-name") == ["Ana Smith"]
    assert texts(response.content, "contact-position") == ["Head of Data at Acme Robotics · Berlin"]
    assert texts(response.content, "contact-badges") == ["Candidate Referrer #python #berlin"]
    html = response.content.decode()
    assert 'href="mailto:ana@acme.example"' in html
    assert 'href="mailto:ana.smith@mail.example"' in html
    assert 'href="tel:+44 20 7946 0958"' in html
    assert 'href="https://www.linkedin.com/in/ana-smith"' in html
    assert f'href="/organizations/{acme.pk}/"' in html


def test_contact_page_links_to_edit_brief_merge_and_handoff(rosa_client):
    contact = ContactFactory()

    html = rosa_client.get(f"/contacts/{contact.pk}/").content.decode()

    assert f'href="/contacts/{contact.pk}/edit/"' in html
    assert f'href="/contacts/{contact.pk}/brief/"' in html
    assert f'href="/contacts/{contact.pk}/merge/"' in html
    assert f'href="/handoffs/new/?contact={contact.pk}"' in html


def test_contact_page_lists_pinned_fact_first(rosa_client, recruiter):
    contact = ContactFactory()
    FactFactory(contact=contact, text="Runs marathons", learned_on=dt.date(2026, 10, 1))
    FactFactory(
        contact=contact,
        text="Allergic to cats",
        category="constraints",
        learned_on=dt.date(2026, 1, 5),
        pinned=True,
        author=recruiter,
    )
    FactFactory(contact=contact, text="Wants to lead a team", learned_on=dt.date(2026, 9, 1))

    response = rosa_client.get(f"/contacts/{contact.pk}/")

    assert texts(response.content, "fact") == [
        "Pinned Constraints Allergic to cats Learned 5 Jan 2026 · Rosa Reyes Unpin Delete",
        "Interests Runs marathons Learned 1 Oct 2026 Pin",
        "Interests Wants to lead a team Learned 1 Sep 2026 Pin",
    ]


def test_contact_page_shows_career_path_newest_first(rosa_client):
    initech = OrganizationFactory(name="Initech")
    acme = OrganizationFactory(name="Acme")
    with time_machine.travel(dt.datetime(2019, 3, 1, tzinfo=dt.UTC), tick=False):
        contact = ContactFactory(title="Developer", organization=initech)
    contact_update(contact=contact, title="Senior developer", moved_on=dt.date(2021, 6, 1))
    contact_update(
        contact=contact, organization=acme, title="Team lead", moved_on=dt.date(2024, 2, 1)
    )

    response = rosa_client.get(f"/contacts/{contact.pk}/")

    assert texts(response.content, "employment") == [
        "Team lead at Acme Feb 2024 – now",
        "Senior developer at Initech Jun 2021 – Feb 2024",
        "Developer at Initech Mar 2019 – Jun 2021",
    ]


def test_contact_page_flags_former_candidate_now_hiring_manager(rosa_client):
    client_company = OrganizationFactory(name="Globex", kind="client")
    contact = ContactFactory(roles=["candidate"])
    contact_update(
        contact=contact, roles=["hiring_manager"], organization=client_company, title="CTO"
    )

    response = rosa_client.get(f"/contacts/{contact.pk}/")

    assert texts(response.content, "former-candidate") == [
        "Former candidate, now hiring manager at Globex"
    ]


def test_contact_page_does_not_flag_a_current_candidate(rosa_client):
    contact = ContactFactory(roles=["candidate"], organization=OrganizationFactory(kind="client"))

    response = rosa_client.get(f"/contacts/{contact.pk}/")

    assert texts(response.content, "former-candidate") == []


def test_contact_page_shows_do_not_contact_and_email_opt_out(rosa_client):
    contact = ContactFactory(do_not_contact=True, email_opt_out=True)

    response = rosa_client.get(f"/contacts/{contact.pk}/")

    assert texts(response.content, "do-not-contact") == ["Do not contact"]
    assert texts(response.content, "email-opt-out") == ["No automatic emails"]


@time_machine.travel(NOV_1, tick=False)
def test_contact_page_renders_relationship_timeline_and_connections(rosa_client, recruiter):
    contact = ContactFactory(first_name="Ana", last_name="Smith")
    RelationshipFactory(contact=contact, owner=recruiter, tier="A")
    jonas = ContactFactory(first_name="Jonas", last_name="Weber")
    clara = ContactFactory(first_name="Clara", last_name="Jensen")
    connection_create(from_contact=contact, to_contact=jonas, kind="referred_by")
    connection_create(from_contact=clara, to_contact=contact, kind="reports_to", note="Since 2024")
    interaction_log(
        contact=contact,
        kind="call",
        summary="Intro call",
        body="Wants Berlin",
        recruiter=recruiter,
        occurred_at=NOV_1 - dt.timedelta(days=2),
    )

    response = rosa_client.get(f"/contacts/{contact.pk}/")

    assert texts(response.content, "relationship-owner") == ["Rosa Reyes"]
    assert texts(response.content, "relationship-tier") == ["A: every 2 weeks (14 days)"]
    assert texts(response.content, "last-touch") == ["30 Oct 2026"]
    assert texts(response.content, "next-touch") == ["13 Nov 2026"]
    assert texts(response.content, "interaction") == [
        "Call outbound · Rosa Reyes 30 Oct 2026, 09:00 Intro call Wants Berlin"
    ]
    assert texts(response.content, "connection") == [
        "Ana was referred by Jonas Weber",
        "Clara Jensen reports to Ana — Since 2024",
    ]


def test_contact_page_marks_overdue_next_touch(rosa_client, recruiter):
    with time_machine.travel(NOV_1, tick=False):
        contact = RelationshipFactory(owner=recruiter, tier="A").contact

    with time_machine.travel(NOV_1 + dt.timedelta(days=15), tick=False):
        response = rosa_client.get(f"/contacts/{contact.pk}/")

    assert texts(response.content, "next-touch") == ["15 Nov 2026 Overdue"]


def test_contact_page_shows_handoff_on_the_timeline(rosa_client, recruiter, other_recruiter):
    contact = RelationshipFactory(owner=recruiter).contact
    relationship_handoff(
        from_recruiter=recruiter,
        to_recruiter=other_recruiter,
        performed_by=recruiter,
        note="She prefers email before 10.",
        contacts=[contact],
    )

    response = rosa_client.get(f"/contacts/{contact.pk}/")

    [entry] = texts(response.content, "interaction")
    assert entry.startswith("Handoff internal · Rosa Reyes ")
    assert entry.endswith(
        "Handed off from Rosa Reyes to Tom Brandt "
        "Note for the new owner: She prefers email before 10."
    )
    assert texts(response.content, "relationship-owner") == ["Tom Brandt"]


def test_contact_page_offers_tier_change_only_to_owner_and_managers(
    client, recruiter, other_recruiter, manager
):
    contact = RelationshipFactory(owner=recruiter).contact
    form = f'action="/contacts/{contact.pk}/relationship/"'
    shown = {}

    for user in (recruiter, other_recruiter, manager):
        client.force_login(user)
        shown[user.username] = form in client.get(f"/contacts/{contact.pk}/").content.decode()

    assert shown == {"rosa": True, "tom": False, "maya": True}


def test_contact_page_without_relationship_says_nobody_owns_it(rosa_client):
    contact = ContactFactory()

    response = rosa_client.get(f"/contacts/{contact.pk}/")

    assert texts(response.content, "relationship-none") == [
        "Nobody owns this relationship yet: log a call, an email or a meeting and it is yours."
    ]
    assert texts(response.content, "timeline-empty") == ["Nothing on the timeline yet."]
    assert texts(response.content, "facts-empty") == [
        "Nothing remembered yet: family, interests, constraints, goals…"
    ]


def test_contact_page_shows_only_the_latest_50_interactions(rosa_client, recruiter):
    contact = ContactFactory()
    for minute in range(51):
        interaction_log(
            contact=contact,
            kind="note",
            summary=f"Note {minute}",
            occurred_at=NOV_1 + dt.timedelta(minutes=minute),
        )

    response = rosa_client.get(f"/contacts/{contact.pk}/")

    entries = texts(response.content, "interaction")
    assert len(entries) == 50
    assert "Note 50" in entries[0]
    assert "Note 1" in entries[-1]
    assert "Showing the latest 50." in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_contact_page_query_count_is_constant(
    rosa_client, recruiter, django_assert_num_queries, count
):
    contact = contact_with_history(recruiter, count)

    # session, user, contact + organization + relationship + owner, facts, career, timeline,
    # connections (the candidacies and the market notes load with htmx after the page)
    with django_assert_num_queries(7):
        response = rosa_client.get(f"/contacts/{contact.pk}/")

    assert len(texts(response.content, "fact")) == count
    assert len(texts(response.content, "interaction")) == count
    assert len(texts(response.content, "connection")) == count
    assert len(texts(response.content, "employment")) == count


def test_contact_page_sends_anonymous_visitor_to_login(client, db):
    contact = ContactFactory()

    response = client.get(f"/contacts/{contact.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/contacts/{contact.pk}/"


def test_contact_page_unknown_contact_is_404(rosa_client):
    assert rosa_client.get("/contacts/999999/").status_code == 404
