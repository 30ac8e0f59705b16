"""The subject-access export: every row about the person, counted by kind, and nothing about
anyone else; the owner, their manager and admins may make it; it goes on the audit trail."""

import json

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from crm.privacy.access import person_export
from tests.privacy.subjects import (
    OTTO_EMAIL,
    OTTO_FACT,
    ZEBULON_EMAILS,
    ZEBULON_FACTS,
    history_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def history(recruiter):
    return history_build(recruiter)


def test_export_has_every_row_about_the_person(history, recruiter):
    export = person_export(actor=recruiter, contact=history.person)

    assert export["counts"] == {
        "contact": 1,
        "facts": 2,
        "employments": 2,
        "relationship": 1,
        "interactions": 6,
        "connections": 0,
        "candidacies": 1,
        "stage_changes": 2,
        "feedback": 1,
        "feedback_scores": 1,
        "messages": 2,
        "tracking_events": 1,
        "inbound_replies": 1,
        "ratings": 1,
        "market_note_uses": 1,
        "followups": 1,
        "suppressions": 0,
        "imports": 1,
        "audit_entries": 9,
    }
    kinds = export["kinds"]
    assert kinds["contact"][0]["emails"] == ZEBULON_EMAILS
    assert sorted(fact["text"] for fact in kinds["facts"]) == sorted(ZEBULON_FACTS)
    assert kinds["imports"][0]["lines"] == [
        "Zebulon,Quartermaine,zq1887@zeppelin.example,+44 7700 900461"
    ]
    assert {row["contact_id"] for row in kinds["interactions"]} == {history.person.pk}


def test_export_has_nothing_about_anyone_else(history, recruiter):
    text = json.dumps(person_export(actor=recruiter, contact=history.person))

    for other in ("Otto", "Ottoman", OTTO_EMAIL, OTTO_FACT, "Clara", "clara@client.example"):
        assert other not in text
    assert "Petra" not in text  # the upload's other row


def test_export_goes_on_the_audit_trail(history, manager):
    person_export(actor=manager, contact=history.person)

    entry = LogEntry.objects.filter(object_id=history.person.pk).latest("timestamp")
    assert (entry.action, entry.actor, entry.changes_text) == (
        LogEntry.Action.ACCESS,
        manager,
        "Subject-access export",
    )


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("recruiter", True), ("other_recruiter", False), ("manager", True), ("admin_user", True)],
)
def test_export_is_the_owners_their_managers_and_admins(history, request, persona, allowed):
    user = request.getfixturevalue(persona)
    if allowed:
        assert person_export(actor=user, contact=history.person)["contact_id"] == history.person.pk
    else:
        with pytest.raises(PermissionDenied):
            person_export(actor=user, contact=history.person)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("recruiter", 200), ("other_recruiter", 403), ("manager", 200), ("admin_user", 200)],
)
def test_export_pages_answer_by_persona(client, history, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for name in ("privacy:export-json", "privacy:export-page"):
        assert client.get(reverse(name, args=[history.person.pk])).status_code == status


def test_export_json_is_a_download_and_the_page_reads(client, history, recruiter):
    client.force_login(recruiter)
    pk = history.person.pk

    download = client.get(reverse("privacy:export-json", args=[pk]))
    page = client.get(reverse("privacy:export-page", args=[pk]))

    assert download["Content-Disposition"] == f'attachment; filename="contact-{pk}-export.json"'
    assert json.loads(download.content)["counts"]["facts"] == 2
    assert page.content.count(b'data-testid="export-section"') == 19
    assert ZEBULON_FACTS[1].encode() in page.content


def test_export_pages_send_anonymous_users_to_log_in(client, history):
    response = client.get(reverse("privacy:export-json", args=[history.person.pk]))
    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))
