import datetime as dt

import pytest
import time_machine

from relationships.models import Connection, Interaction, Relationship
from relationships.services import connection_create
from tests.factories import ContactFactory, RelationshipFactory
from tests.helpers import element_count, texts

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOV_1 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
NOV_20 = dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.UTC)


def log(client, contact, **fields):
    data = {"log-kind": "call", "log-direction": "outbound", "log-summary": "", **fields}
    return client.post(f"/contacts/{contact.pk}/interactions/", data, **HTMX)


# --- quick log -----------------------------------------------------------------------------------


def test_logging_a_call_writes_the_interaction_and_moves_the_touch_clock(rosa_client, recruiter):
    with time_machine.travel(NOV_1, tick=False):
        relationship = RelationshipFactory(owner=recruiter, tier="B")
    contact = relationship.contact

    with time_machine.travel(NOV_20, tick=False):
        response = log(
            rosa_client,
            contact,
            **{"log-summary": "Talked about the Berlin role", "log-body": "Keen, wants 80k"},
        )

    assert response.status_code == 200
    interaction = Interaction.objects.get(contact=contact)
    assert (
        interaction.kind,
        interaction.direction,
        interaction.summary,
        interaction.body,
        interaction.recruiter,
        interaction.occurred_at,
    ) == ("call", "outbound", "Talked about the Berlin role", "Keen, wants 80k", recruiter, NOV_20)
    relationship.refresh_from_db()
    assert relationship.last_touch_at == NOV_20
    assert relationship.next_touch_due == NOV_20 + dt.timedelta(days=30)


def test_logging_with_htmx_returns_timeline_and_out_of_band_relationship(rosa_client, recruiter):
    with time_machine.travel(NOV_1, tick=False):
        contact = RelationshipFactory(owner=recruiter, tier="A").contact

    with time_machine.travel(NOV_20, tick=False):
        response = log(rosa_client, contact, **{"log-summary": "Talked about the Berlin role"})

    html = response.content.decode()
    assert html.startswith('<section class="card mb-3" id="timeline-panel"')
    assert "<html" not in html
    assert texts(html, "interaction") == [
        "Call outbound · Rosa Reyes 20 Nov 2026, 15:30 Talked about the Berlin role"
    ]
    assert element_count(html, "relationship-panel") == 1
    assert (
        'id="relationship-panel" aria-labelledby="relationship-heading" hx-swap-oob="true"' in html
    )
    assert texts(html, "last-touch") == ["20 Nov 2026"]
    assert texts(html, "next-touch") == ["4 Dec 2026"]
    # The form comes back empty, ready for the next one.
    assert 'name="log-summary"' in html
    assert 'value="Talked about the Berlin role"' not in html


def test_logging_a_note_does_not_move_last_touch(rosa_client, recruiter):
    with time_machine.travel(NOV_1, tick=False):
        relationship = RelationshipFactory(owner=recruiter)

    with time_machine.travel(NOV_20, tick=False):
        log(
            rosa_client,
            relationship.contact,
            **{"log-kind": "note", "log-direction": "internal", "log-summary": "Prefers mornings"},
        )

    relationship.refresh_from_db()
    assert relationship.last_touch_at is None
    assert relationship.next_touch_due == NOV_1 + dt.timedelta(days=30)
    assert list(Interaction.objects.values_list("kind", "summary")) == [
        ("note", "Prefers mornings")
    ]


def test_logging_with_a_time_uses_it(rosa_client, recruiter):
    relationship = RelationshipFactory(owner=recruiter)

    with time_machine.travel(NOV_20, tick=False):
        log(
            rosa_client,
            relationship.contact,
            **{
                "log-kind": "meeting",
                "log-summary": "Coffee",
                "log-occurred_at": "2026-11-18T08:15",
            },
        )

    interaction = Interaction.objects.get()
    assert interaction.occurred_at == dt.datetime(2026, 11, 18, 8, 15, tzinfo=dt.UTC)
    relationship.refresh_from_db()
    assert relationship.last_touch_at == dt.datetime(2026, 11, 18, 8, 15, tzinfo=dt.UTC)


def test_logging_in_the_future_is_refused(rosa_client, recruiter):
    contact = RelationshipFactory(owner=recruiter).contact

    with time_machine.travel(NOV_20, tick=False):
        response = log(
            rosa_client,
            contact,
            **{"log-summary": "Call", "log-occurred_at": "2026-11-21T09:00"},
        )

    assert texts(response.content, "field-error") == [
        "Log what happened: this time is in the future."
    ]
    assert Interaction.objects.count() == 0


def test_logging_without_summary_shows_error_and_writes_nothing(rosa_client, recruiter):
    with time_machine.travel(NOV_1, tick=False):
        relationship = RelationshipFactory(owner=recruiter)

    response = log(rosa_client, relationship.contact, **{"log-summary": "  "})

    assert response.status_code == 200
    assert texts(response.content, "field-error") == ["Say in a few words what it was about."]
    assert 'hx-swap-oob="true"' not in response.content.decode()
    assert Interaction.objects.count() == 0
    relationship.refresh_from_db()
    assert relationship.last_touch_at is None


def test_logging_an_unknown_kind_without_htmx_shows_the_page_with_the_error(rosa_client):
    contact = ContactFactory()

    response = rosa_client.post(
        f"/contacts/{contact.pk}/interactions/",
        {"log-kind": "handoff", "log-direction": "outbound", "log-summary": "Sneaky"},
    )

    assert response.status_code == 400
    assert texts(response.content, "contact-name") == [contact.full_name]
    assert texts(response.content, "field-error") == [
        "Select a valid choice. handoff is not one of the available choices."
    ]
    assert Interaction.objects.count() == 0


def test_logging_without_htmx_redirects_to_the_contact_page(rosa_client):
    contact = ContactFactory()

    response = rosa_client.post(
        f"/contacts/{contact.pk}/interactions/",
        {"log-kind": "email", "log-direction": "inbound", "log-summary": "Replied"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/#timeline-panel"
    assert list(Interaction.objects.values_list("kind", "direction")) == [("email", "inbound")]


def test_logging_a_call_on_an_unowned_contact_makes_the_recruiter_owner(rosa_client, recruiter):
    contact = ContactFactory()

    response = log(rosa_client, contact, **{"log-summary": "First call"})

    assert Relationship.objects.get(contact=contact).owner == recruiter
    assert texts(response.content, "relationship-owner") == ["Rosa Reyes"]


def test_logging_sends_anonymous_visitor_to_login(client, db):
    contact = ContactFactory()

    response = client.post(f"/contacts/{contact.pk}/interactions/", {"log-summary": "x"})

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/contacts/{contact.pk}/interactions/"
    assert Interaction.objects.count() == 0


def test_logging_for_unknown_contact_is_404(rosa_client):
    assert (
        rosa_client.post("/contacts/999999/interactions/", {"log-summary": "x"}).status_code == 404
    )


# --- tier ----------------------------------------------------------------------------------------


def test_owner_changes_the_tier_with_htmx(rosa_client, recruiter):
    with time_machine.travel(NOV_1, tick=False):
        relationship = RelationshipFactory(owner=recruiter, tier="B")

    response = rosa_client.post(
        f"/contacts/{relationship.contact_id}/relationship/", {"tier-tier": "A"}, **HTMX
    )

    assert response.status_code == 200
    assert response.content.decode().startswith(
        '<section class="card mb-3" id="relationship-panel"'
    )
    assert texts(response.content, "relationship-tier") == ["A: every 2 weeks (14 days)"]
    relationship.refresh_from_db()
    assert (relationship.tier, relationship.cadence_days) == ("A", 14)
    assert relationship.next_touch_due == NOV_1 + dt.timedelta(days=14)


def test_other_recruiter_cannot_change_the_tier(client, recruiter, other_recruiter):
    relationship = RelationshipFactory(owner=recruiter, tier="B")
    client.force_login(other_recruiter)

    response = client.post(f"/contacts/{relationship.contact_id}/relationship/", {"tier-tier": "C"})

    assert response.status_code == 403
    relationship.refresh_from_db()
    assert relationship.tier == "B"


def test_manager_changes_a_recruiters_tier(client, recruiter, manager):
    relationship = RelationshipFactory(owner=recruiter, tier="B")
    client.force_login(manager)

    response = client.post(f"/contacts/{relationship.contact_id}/relationship/", {"tier-tier": "C"})

    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{relationship.contact_id}/#relationship-panel"
    relationship.refresh_from_db()
    assert (relationship.tier, relationship.cadence_days) == ("C", 90)


def test_unknown_tier_is_refused(rosa_client, recruiter):
    relationship = RelationshipFactory(owner=recruiter, tier="B")

    response = rosa_client.post(
        f"/contacts/{relationship.contact_id}/relationship/", {"tier-tier": "Z"}, **HTMX
    )

    assert texts(response.content, "field-error") == [
        "Select a valid choice. Z is not one of the available choices."
    ]
    relationship.refresh_from_db()
    assert relationship.tier == "B"


def test_tier_of_unowned_contact_is_404(rosa_client):
    contact = ContactFactory()

    response = rosa_client.post(f"/contacts/{contact.pk}/relationship/", {"tier-tier": "A"})

    assert response.status_code == 404
    assert Relationship.objects.count() == 0


# --- connections ---------------------------------------------------------------------------------


def test_connection_create_with_htmx_returns_the_connections_panel(rosa_client, recruiter):
    ana = ContactFactory(first_name="Ana", last_name="Smith")
    jonas = ContactFactory(first_name="Jonas", last_name="Weber")

    response = rosa_client.post(
        f"/contacts/{ana.pk}/connections/",
        {
            "connection-direction": "from",
            "connection-kind": "reports_to",
            "connection-other": str(jonas.pk),
            "connection-note": "Since May",
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert texts(response.content, "connection") == ["Ana reports to Jonas Weber — Since May"]
    connection = Connection.objects.get()
    assert (
        connection.from_contact,
        connection.to_contact,
        connection.kind,
        connection.note,
        connection.created_by,
    ) == (ana, jonas, "reports_to", "Since May", recruiter)


def test_connection_create_the_other_way_round(rosa_client):
    ana = ContactFactory(first_name="Ana", last_name="Smith")
    clara = ContactFactory(first_name="Clara", last_name="Jensen")

    response = rosa_client.post(
        f"/contacts/{ana.pk}/connections/",
        {
            "connection-direction": "to",
            "connection-kind": "assistant_of",
            "connection-other": str(clara.pk),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{ana.pk}/#connections-panel"
    assert list(Connection.objects.values_list("from_contact", "to_contact", "kind")) == [
        (clara.pk, ana.pk, "assistant_of")
    ]


def test_connection_to_self_is_refused_next_to_the_field(rosa_client):
    ana = ContactFactory()

    response = rosa_client.post(
        f"/contacts/{ana.pk}/connections/",
        {
            "connection-direction": "from",
            "connection-kind": "worked_with",
            "connection-other": ana.pk,
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert texts(response.content, "field-error") == [
        "A contact cannot be connected to themselves."
    ]
    assert Connection.objects.count() == 0


def test_connection_to_unknown_contact_is_refused(rosa_client):
    ana = ContactFactory()

    response = rosa_client.post(
        f"/contacts/{ana.pk}/connections/",
        {
            "connection-direction": "from",
            "connection-kind": "worked_with",
            "connection-other": 999999,
        },
    )

    assert response.status_code == 400
    assert texts(response.content, "field-error") == ["There is no contact number 999999."]
    assert Connection.objects.count() == 0


def test_duplicate_connection_is_refused(rosa_client):
    ana = ContactFactory()
    jonas = ContactFactory()
    connection_create(from_contact=ana, to_contact=jonas, kind="worked_with")

    response = rosa_client.post(
        f"/contacts/{ana.pk}/connections/",
        {
            "connection-direction": "from",
            "connection-kind": "worked_with",
            "connection-other": jonas.pk,
        },
        **HTMX,
    )

    assert texts(response.content, "form-errors") == [
        "These two contacts are already connected this way."
    ]
    assert Connection.objects.count() == 1


def test_connection_create_sends_anonymous_visitor_to_login(client, db):
    ana = ContactFactory()

    response = client.post(f"/contacts/{ana.pk}/connections/", {})

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/contacts/{ana.pk}/connections/"
