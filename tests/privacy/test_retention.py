"""The retention review (crm.privacy.retention): who is due, the My day panel, Renew, Ask again
and the erasure request, with their permissions and the panel's query budget."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core import mail
from django.utils import timezone

from accounts.models import User
from contacts.models import Contact
from crm.privacy.retention import months_before, privacy_review_due_list
from followups.models import FollowUp, Message
from followups.relay import relay_batch
from relationships.models import Interaction, Relationship
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    RelationshipFactory,
    TeamFactory,
    UserFactory,
)
from tests.helpers import texts

OLD = dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # 24 months back: 2 March 2024


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def person(owner: User, first_name: str, *, at=OLD, roles=("candidate",), **fields) -> Contact:
    """A contact of `owner`'s, recorded (and their relationship started) at `at`."""
    with time_machine.travel(at, tick=False):
        contact = ContactFactory(
            first_name=first_name,
            last_name="Test",
            roles=list(roles),
            emails=[f"{first_name.lower()}@mail.example"],
            **fields,
        )
        RelationshipFactory(owner=owner, contact=contact)
    return contact


def due_names(owner: User) -> list[str]:
    return [contact.first_name for contact in privacy_review_due_list(owner=owner).contacts]


def review_rows(client) -> list[str]:
    return [row.split(" ")[0] for row in texts(client.get("/").content, "privacy-review-row")]


def test_months_before_keeps_the_day_or_the_months_last():
    assert months_before(dt.date(2026, 3, 2), 24) == dt.date(2024, 3, 2)
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_review_lists_the_owners_untouched_candidates_with_an_old_basis(recruiter, other_recruiter):
    person(recruiter, "Ana")
    person(recruiter, "Eve", at=OLD + dt.timedelta(days=1), roles=["candidate", "client"])
    touched = person(recruiter, "Ben")
    with time_machine.travel(dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        InteractionFactory(contact=touched, kind="call", recruiter=recruiter)
    person(recruiter, "Carla", at=dt.datetime(2024, 6, 1, 9, tzinfo=dt.UTC))
    person(recruiter, "Dan", roles=["client"])
    person(other_recruiter, "Gus")

    with time_machine.travel(NOW, tick=False):
        assert due_names(recruiter) == ["Ana", "Eve"]
        assert due_names(other_recruiter) == ["Gus"]


def test_review_takes_a_former_candidate_and_leaves_a_new_basis(clock, recruiter):
    former = person(recruiter, "Fay")
    Contact.objects.filter(pk=former.pk).update(roles=["hiring_manager"])  # was_candidate stays
    consented = person(recruiter, "Hal")
    Contact.objects.filter(pk=consented.pk).update(
        lawful_basis="consent", lawful_basis_on=dt.date(2025, 1, 5)
    )

    assert due_names(recruiter) == ["Fay"]


def test_review_period_follows_the_setting(clock, recruiter, settings):
    person(recruiter, "Ana")

    settings.RETENTION_CANDIDATE_MONTHS = 30
    assert due_names(recruiter) == []
    settings.RETENTION_CANDIDATE_MONTHS = 24
    assert due_names(recruiter) == ["Ana"]


def test_review_is_capped_and_says_more_are_due(clock, recruiter):
    for index in range(3):
        person(recruiter, f"P{index}", at=OLD + dt.timedelta(days=index))

    page = privacy_review_due_list(owner=recruiter, limit=2)

    assert ([c.first_name for c in page.contacts], page.more) == (["P0", "P1"], True)


def test_my_day_panel_lists_exactly_the_owners_due_people(
    clock, rosa_client, recruiter, other_recruiter
):
    ana = person(recruiter, "Ana")
    person(other_recruiter, "Gus")
    person(recruiter, "Carla", at=dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC))

    page = rosa_client.get("/").content.decode()

    assert review_rows(rosa_client) == ["Ana"]
    assert texts(page, "privacy-review-row") == [
        "Ana Test Legitimate interest since 10 Jan 2024 · last touch 10 Jan 2024 Renew Ask again "
        "Ask to erase"
    ]
    assert f'action="/privacy/review/{ana.pk}/renew"' in page


def test_my_day_shows_no_panel_when_nobody_is_due(clock, rosa_client, recruiter):
    person(recruiter, "Carla", at=dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC))

    assert texts(rosa_client.get("/").content, "privacy-review") == []


def test_renew_takes_them_off_the_list_and_is_on_the_audit_trail(clock, rosa_client, recruiter):
    ana = person(recruiter, "Ana")

    response = rosa_client.post(f"/privacy/review/{ana.pk}/renew")

    assert (response.status_code, response["Location"]) == (302, "/")
    ana.refresh_from_db()
    assert (ana.lawful_basis, ana.lawful_basis_on, ana.lawful_basis_source) == (
        "legitimate_interest",
        dt.date(2026, 3, 2),
        "reviewed by Rosa Reyes",
    )
    assert review_rows(rosa_client) == []
    entry = LogEntry.objects.get_for_object(ana).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor_id == recruiter.pk
    assert entry.changes_dict["lawful_basis_on"] == ["2024-01-10", "2026-03-02"]
    assert entry.changes_dict["lawful_basis_source"] == ["", "reviewed by Rosa Reyes"]


def test_ask_again_queues_one_email_even_on_a_double_click(clock, rosa_client, recruiter):
    ana = person(recruiter, "Ana")

    first = rosa_client.post(f"/privacy/review/{ana.pk}/ask")
    second = rosa_client.post(f"/privacy/review/{ana.pk}/ask")

    assert (first.status_code, second.status_code) == (302, 302)
    message = Message.objects.get(contact=ana)
    assert (
        message.kind,
        message.owner_id,
        message.recipient,
        message.status,
        message.edited,
        message.idempotency_key,
    ) == (
        "reconsent",
        recruiter.pk,
        "ana@mail.example",
        "scheduled",
        True,
        f"reconsent:{ana.pk}:2024-01-10",
    )
    page = rosa_client.get("/").content
    assert texts(page, "privacy-review-asked") == ["asked again on 2 Mar 2026 (scheduled)"]
    assert texts(page, "privacy-ask") == []


def test_asked_person_stays_listed_once_the_email_touched_them(
    clock, rosa_client, recruiter, settings
):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    mail.outbox = []
    ana = person(recruiter, "Ana")
    rosa_client.post(f"/privacy/review/{ana.pk}/ask")

    relay_batch(now=timezone.now())

    assert [email.to for email in mail.outbox] == [["ana@mail.example"]]
    assert Interaction.objects.filter(contact=ana, kind="message").count() == 1
    assert Relationship.objects.get(contact=ana).last_touch_at == NOW
    assert texts(rosa_client.get("/").content, "privacy-review-asked") == [
        "asked again on 2 Mar 2026 (sent)"
    ]


def test_ask_again_refuses_a_person_marked_do_not_contact(clock, rosa_client, recruiter):
    ana = person(recruiter, "Ana", do_not_contact=True)

    response = rosa_client.post(f"/privacy/review/{ana.pk}/ask", follow=True)

    assert Message.objects.filter(contact=ana).count() == 0
    assert "Ana Test is marked do not contact." in response.content.decode()


def test_erasure_request_goes_to_the_owners_manager(clock, rosa_client, recruiter, manager):
    ana = person(recruiter, "Ana")

    rosa_client.post(f"/privacy/review/{ana.pk}/erasure-request")
    rosa_client.post(f"/privacy/review/{ana.pk}/erasure-request")

    request = FollowUp.objects.get(contact=ana)
    assert (request.owner_id, request.reason, request.kind, request.summary) == (
        manager.pk,
        "erasure_request",
        "todo",
        "Retention review by Rosa Reyes: erase their details",
    )


def test_a_manager_sees_the_erase_link_on_their_own_due_people(clock, client, manager):
    ana = person(manager, "Ana")
    client.force_login(manager)

    page = client.get("/").content.decode()

    assert f'href="/privacy/contacts/{ana.pk}/erase/"' in page
    assert texts(page, "privacy-erasure-request") == []


def test_an_erased_person_leaves_the_list(clock, recruiter, manager):
    erasure = pytest.importorskip("crm.privacy.erasure")
    ana = person(recruiter, "Ana")

    erasure.person_erase(actor=manager, contact=ana, reason="Retention review")

    assert due_names(recruiter) == []


# --- who may ---------------------------------------------------------------------------------


@pytest.fixture
def other_team_manager(db) -> User:
    return UserFactory(
        username="otto", role=User.Role.MANAGER, team=TeamFactory(name="Berlin desk")
    )


@pytest.mark.parametrize("action", ["renew", "ask", "erasure-request"])
@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("recruiter", True),
        ("other_recruiter", False),
        ("manager", True),
        ("other_team_manager", False),
        ("admin_user", True),
    ],
)
def test_review_actions_are_the_owners_their_managers_or_an_admins(
    clock, client, request, recruiter, action, persona, allowed
):
    ana = person(recruiter, "Ana")
    client.force_login(request.getfixturevalue(persona))

    response = client.post(f"/privacy/review/{ana.pk}/{action}")

    assert response.status_code == (302 if allowed else 403)
    ana.refresh_from_db()
    changed = (
        ana.lawful_basis_on != dt.date(2024, 1, 10)
        or Message.objects.filter(contact=ana).exists()
        or FollowUp.objects.filter(contact=ana).exists()
    )
    assert changed is allowed


@pytest.mark.parametrize("action", ["renew", "ask", "erasure-request"])
def test_review_actions_need_a_login(clock, client, recruiter, action):
    ana = person(recruiter, "Ana")

    response = client.post(f"/privacy/review/{ana.pk}/{action}")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("action", ["renew", "ask", "erasure-request"])
def test_review_actions_answer_only_post(clock, rosa_client, recruiter, action):
    ana = person(recruiter, "Ana")

    assert rosa_client.get(f"/privacy/review/{ana.pk}/{action}").status_code == 405


# --- the query budget ------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 3])
def test_my_day_with_the_review_panel_costs_the_same_for_1_and_3_people(
    clock, rosa_client, recruiter, django_assert_num_queries, rows
):
    for index in range(rows):
        ana = person(recruiter, f"P{index}", at=OLD + dt.timedelta(days=index))
        if index:
            rosa_client.post(f"/privacy/review/{ana.pk}/ask")

    # session, user, agenda, outgoing messages, market notes to review, the privacy review
    with django_assert_num_queries(6):
        page = rosa_client.get("/").content
    assert len(texts(page, "privacy-review-row")) == rows
