"""Erasing a person: anonymised in every table the database has (found from its catalogue, not
a list kept by hand), the dashboards' figures unchanged, the addresses suppressed by their hash
so a later import is never mailed, the erasure itself on the audit trail without the data."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact, Fact
from crm.privacy.erasure import person_erase
from dashboards.selectors import Period, Scope, overview_get
from followups.models import InboundReply, Message, Suppression, TrackingEvent
from followups.relay import relay_batch
from followups.suppression import email_hash
from relationships.importing import contacts_import
from relationships.models import Interaction
from tests.privacy.subjects import ZEBULON_EMAILS, ZEBULON_FACTS, ZEBULON_PHONES, history_build

pytestmark = pytest.mark.django_db

REASON = "Asked by email on 2 March to be forgotten"
TEXT_TYPES = ("text", "character varying", "json", "jsonb", "tsvector")


@pytest.fixture(autouse=True)
def outbox(settings):
    """anymail's test backend: only the ESP's network is faked."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def history(recruiter):
    return history_build(recruiter)


def _needles() -> list[str]:
    digits = ["".join(c for c in phone if c.isdigit()) for phone in ZEBULON_PHONES]
    return ["Zebulon", "Quartermaine", *ZEBULON_EMAILS, *ZEBULON_PHONES, *digits, *ZEBULON_FACTS]


def _columns() -> list[tuple[str, str]]:
    """Every text, varchar, JSON, text-array and search-document column of every table."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND (c.data_type = ANY(%s)
                   OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar')))
            ORDER BY 1, 2
            """,
            [list(TEXT_TYPES)],
        )
        return cursor.fetchall()


def _found() -> dict[str, list[str]]:
    """column -> the needles found in it (case-insensitively)."""
    found: dict[str, list[str]] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in _columns():
            for needle in _needles():
                cursor.execute(
                    f"SELECT 1 FROM {quote(table)} WHERE {quote(column)}::text ILIKE %s LIMIT 1",  # noqa: S608
                    [f"%{needle}%"],
                )
                if cursor.fetchone():
                    found.setdefault(f"{table}.{column}", []).append(needle)
    return found


def _figures(team, now):
    overview = overview_get(scope=Scope.for_team(team), period=Period.this_week(now), now=now)
    return {
        key: (values.total, dict(values.owners), dict(values.organizations))
        for key, values in overview.values.items()
    }


def test_erasure_leaves_nothing_of_the_person_in_any_column(history, manager):
    before = _found()
    # The scan finds the person wherever the history put them (it can fail).
    assert {
        "contacts_contact.first_name",
        "contacts_contact.emails",
        "contacts_contact.phones",
        "contacts_contact.search_vector",
        "contacts_fact.text",
        "contacts_contactimport.content",
        "contacts_contactimport.result",
        "relationships_interaction.summary",
        "followups_message.text",
        "followups_message.recipient",
        "followups_trackingevent.raw",
        "followups_inboundreply.from_email",
        "followups_inboundreply.text",
        "followups_rating.comment",
        "jobs_feedback.notes",
        "auditlog_logentry.object_repr",
        "auditlog_logentry.changes",
    } <= set(before)

    person_erase(actor=manager, contact=history.person, reason=REASON)

    assert _found() == {}


def test_erasure_keeps_the_rows_and_the_dashboards_figures(history, manager, recruiter):
    now = timezone.now()
    counts = [
        model.objects.count()
        for model in (Contact, Fact, Interaction, Message, InboundReply, TrackingEvent, LogEntry)
    ]
    figures = _figures(recruiter.team, now)

    person_erase(actor=manager, contact=history.person, reason=REASON)

    assert _figures(recruiter.team, now) == figures
    # One more audit entry: the erasure's.
    counts[-1] += 1
    assert [
        model.objects.count()
        for model in (Contact, Fact, Interaction, Message, InboundReply, TrackingEvent, LogEntry)
    ] == counts
    person = Contact.objects.get(pk=history.person.pk)
    assert (person.full_name, person.emails, person.phones, person.linkedin_url) == (
        "Erased person",
        [],
        [],
        "",
    )
    assert (person.do_not_contact, person.email_opt_out, person.roles) == (
        True,
        True,
        ["candidate"],
    )
    assert list(Fact.objects.filter(contact=person).values_list("text", flat=True)) == [
        "[erased]",
        "[erased]",
    ]
    # The other candidate's words stay.
    assert Fact.objects.get(contact=history.other).text == "Keeps a greenhouse of cacti"


def test_erasure_is_on_the_audit_trail_without_the_data(history, manager):
    person_erase(actor=manager, contact=history.person, reason="Zebulon asked to be forgotten")

    entry = LogEntry.objects.filter(object_id=history.person.pk).latest("timestamp")
    assert (entry.actor, entry.object_repr, entry.changes, entry.changes_text) == (
        manager,
        "Erased person",
        {"erased": ["", "[erased] asked to be forgotten"]},
        "Erased on request: [erased] asked to be forgotten",
    )
    assert entry.timestamp > timezone.now() - timedelta(minutes=1)


def test_a_later_import_of_the_address_is_never_mailed(history, manager, recruiter, outbox):
    person_erase(actor=manager, contact=history.person, reason=REASON)
    assert set(Suppression.objects.values_list("email", "email_hash", "reason")) == {
        ("", email_hash(address), "erased") for address in ZEBULON_EMAILS
    }

    contacts_import(
        content=f"first_name,last_name,email\nZeb,Q,{ZEBULON_EMAILS[0].upper()}\n",
        owner=recruiter,
        dry_run=False,
    )
    again = Contact.objects.get(emails__contains=[ZEBULON_EMAILS[0]])
    message = Message.objects.create(
        kind="one_off",
        edited=True,
        owner=recruiter,
        contact=again,
        recipient=again.emails[0],
        subject="Hello again",
        text="Hello",
        send_after=timezone.now() - timedelta(minutes=1),
        idempotency_key="one_off:again",
    )
    outbox.clear()

    relay_batch(now=timezone.now())

    message.refresh_from_db()
    assert (message.status, message.skip_reason, outbox) == ("suppressed", "address suppressed", [])


def test_a_failure_leaves_nothing_half_erased(history, manager):
    with pytest.raises(ValidationError):
        person_erase(actor=manager, contact=history.person, reason="   ")

    person = Contact.objects.get(pk=history.person.pk)
    assert (person.full_name, person.emails) == ("Zebulon Quartermaine", ZEBULON_EMAILS)


def test_the_owner_alone_may_not_erase(history, recruiter, other_recruiter):
    for user in (recruiter, other_recruiter):
        with pytest.raises(PermissionDenied):
            person_erase(actor=user, contact=history.person, reason=REASON)
    assert Contact.objects.get(pk=history.person.pk).first_name == "Zebulon"


# --- the pages -----------------------------------------------------------------------------------


def test_erase_page_confirms_then_erases_and_returns_to_the_contact(client, history, manager):
    client.force_login(manager)
    url = reverse("privacy:erase", args=[history.person.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert b"Facts: 2" in page.content

    missing = client.post(url, {"reason": ""})
    assert missing.status_code == 400
    assert b"This field is required." in missing.content

    response = client.post(url, {"reason": REASON}, follow=True)
    assert response.redirect_chain == [
        (reverse("contacts:contact-detail", args=[history.person.pk]), 302)
    ]
    assert b"The person was erased" in response.content
    assert b"Quartermaine" not in response.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [("recruiter", 403), ("other_recruiter", 403), ("manager", 200), ("admin_user", 200)],
)
def test_erase_page_is_the_managers_and_admins(client, history, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("privacy:erase", args=[history.person.pk])).status_code == status
    assert client.post(
        reverse("privacy:erase", args=[history.person.pk]), {"reason": REASON}
    ).status_code == (status if status == 403 else 302)


def test_contact_page_links_erase_only_for_those_allowed(client, history, recruiter, manager):
    url = reverse("contacts:contact-detail", args=[history.person.pk])
    erase = reverse("privacy:erase", args=[history.person.pk]).encode()
    export = reverse("privacy:export-page", args=[history.person.pk]).encode()
    client.force_login(recruiter)
    owner_page = client.get(url).content
    client.force_login(manager)
    manager_page = client.get(url).content

    assert (export in owner_page, erase in owner_page) == (True, False)
    assert (export in manager_page, erase in manager_page) == (True, True)
