"""A known team history for the dashboards' tests, built through the services with the clock
moved by time-machine. Every figure of the overview is worked out by hand from it (see
test_overview.py).

London desk: Rosa and Tom (recruiters), Una (a recruiter with nothing open) and Maya (their
manager, who owns nothing). Berlin desk: Bob, whose work must never show in London's figures.
The week under study starts on Monday 2 March 2026; "now" is Thursday 5 March, 12:00 UTC."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from anymail.signals import AnymailTrackingEvent, EventType
from django.db import transaction

from accounts.models import Team, User
from followups.models import FollowUp, Message
from followups.relay import relay_batch
from followups.services import followup_complete, followup_create
from followups.tracking import tracking_event_record
from jobs.services import candidacy_close, candidacy_move
from relationships.services import interaction_log, relationship_handoff
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    JobFactory,
    OrganizationFactory,
    RelationshipFactory,
    TeamFactory,
    UserFactory,
)

WEEK = datetime(2026, 3, 2, tzinfo=UTC)  # Monday
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)  # Thursday noon


def at(day: int, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    """A moment in February/March 2026: day 23 is 23 Feb, day 32 is 4 March..."""
    return datetime(2026, 2, 1, hour, minute, second, tzinfo=UTC) + timedelta(days=day - 1)


def _message(kind, owner, contact, send_after, **fields):
    return Message.objects.create(
        kind=kind,
        owner=owner,
        contact=contact,
        recipient=contact.emails[0],
        send_after=send_after,
        idempotency_key=f"{kind}:{fields.get('candidacy', fields.get('job')).pk}",
        **fields,
    )


def people() -> dict:
    """The personas of tests/conftest.py (same names), and Una and Bob."""
    return {
        "rosa": UserFactory(username="rosa", first_name="Rosa", last_name="Reyes"),
        "tom": UserFactory(username="tom", first_name="Tom", last_name="Brandt"),
        "una": UserFactory(username="una", first_name="Una", last_name="Quinn"),
        "maya": UserFactory(username="maya", first_name="Maya", role=User.Role.MANAGER),
        "bob": UserFactory(username="bob", first_name="Bob", team=TeamFactory(name="Berlin desk")),
    }


@pytest.fixture
def empty_team(db) -> Team:
    return TeamFactory(name="Paris desk")


@pytest.fixture
def history(db):
    """The known history, for one test."""
    return build_history(**people())


@pytest.fixture(scope="module")
def shared_history(django_db_setup, django_db_blocker):
    """The same history built once for a module whose tests only read it: inside a
    transaction that each test's own (a savepoint) nests in, rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_history(**people())
        transaction.set_rollback(True)


def build_history(*, rosa, tom, una, maya, bob) -> SimpleNamespace:
    """The known history; returns its people, jobs and candidacies by name."""
    manager = maya
    h = SimpleNamespace(rosa=rosa, tom=tom, una=una, maya=maya, bob=bob)
    with time_machine.travel(at(-72), tick=False) as clock:  # 20 Nov 2025
        h.jack = RelationshipFactory(
            owner=rosa, tier="C", contact=ContactFactory(first_name="Jack", last_name="Cole")
        ).contact
        clock.move_to(at(9))
        h.gina = RelationshipFactory(
            owner=tom, tier="A",
            contact=ContactFactory(first_name="Gina", last_name="Ross", roles=["client"]),
        ).contact  # fmt: skip
        h.iris = RelationshipFactory(owner=bob, tier="A").contact  # Berlin: breached too
        globex = OrganizationFactory(name="Globex")
        h.archive = JobFactory(owner=tom, organization=globex, title="Archivist")  # stalls
        clock.move_to(at(16))
        h.hugo = RelationshipFactory(
            owner=tom, tier="A", contact=ContactFactory(first_name="Hugo", last_name="Diaz")
        ).contact
        clock.move_to(at(20))
        h.hana = ContactFactory(first_name="Hana", last_name="Mori", roles=["hiring_manager"])
        RelationshipFactory(owner=rosa, tier="A", contact=h.hana)  # due soon on Thursday

        clock.move_to(at(23))  # Monday 23 Feb
        h.gil = ContactFactory(first_name="Gil", last_name="Park", roles=["hiring_manager"])
        h.data_lead = JobFactory(
            owner=rosa, title="Data lead", hiring_manager=h.hana,
            organization=OrganizationFactory(name="Acme"),
        )  # fmt: skip
        h.backend = JobFactory(
            owner=tom, title="Backend", hiring_manager=h.gil, organization=globex
        )
        h.finn = RelationshipFactory(
            owner=tom, contact=ContactFactory(first_name="Finn", last_name="Hale")
        ).contact
        h.dan = CandidacyFactory(
            job=h.data_lead, contact=ContactFactory(first_name="Dan", last_name="Wu"),
            stage="screening",
        )  # fmt: skip
        berlin_job = JobFactory(owner=bob, title="Berlin role")
        CandidacyFactory(job=berlin_job, stage="submitted")
        followup_create(owner=bob, contact=h.iris, due_at=at(28), summary="Call Iris")

        clock.move_to(at(24))
        candidacy_move(candidacy=h.dan, to_stage="submitted", user=rosa)
        clock.move_to(at(25))
        interaction_log(contact=h.finn, kind="call", summary="Catch-up", recruiter=tom)
        followup_create(owner=tom, contact=h.finn, due_at=at(32), summary="Send Finn the role")
        followup_create(owner=tom, contact=h.gina, due_at=at(31), summary="Call Gina back")

        clock.move_to(at(27))  # Friday: three candidates who will hear no
        h.ana, h.ben, h.cleo = (
            CandidacyFactory(job=h.data_lead, contact=ContactFactory(first_name=name))
            for name in ("Ana", "Ben", "Cleo")
        )

        # The week under study.
        clock.move_to(at(30))  # Monday 2 March, 09:00
        h.eve = CandidacyFactory(
            job=h.data_lead, contact=ContactFactory(first_name="Eve", last_name="Lind"),
            stage="submitted",
        )  # fmt: skip
        digest = _message("client_digest", tom, h.gil, at(30), job=h.backend)
        assert relay_batch(now=at(30)).sent == 1  # exactly on the digest's due time
        # The ESP's id for it (the test backend gives none), then the ESP says it bounced.
        Message.objects.filter(pk=digest.pk).update(esp_message_id="esp-digest")
        digest.refresh_from_db()
        clock.move_to(at(30, 10))
        tracking_event_record(
            event=AnymailTrackingEvent(
                event_type=EventType.BOUNCED, message_id="esp-digest",
                recipient=digest.recipient, event_id="bounce-1", timestamp=at(30, 10),
            ),
            esp_name="test",
        )  # fmt: skip
        for candidacy, hour in ((h.ana, 10), (h.ben, 11), (h.cleo, 12)):
            clock.move_to(at(30, hour))
            candidacy_close(candidacy=candidacy, outcome="not_a_fit", user=rosa)
        # Closure notices as the planner plans them: Ana's leaves exactly at her deadline,
        # Ben's relay runs 30 s past his (it fails into a call, made a minute late); Cleo's
        # never goes (no planner runs in this history).
        _message(
            "closure", rosa, h.ana.contact, at(32, 10), job=h.data_lead, candidacy=h.ana,
            deadline=at(32, 10),
        )  # fmt: skip
        _message(
            "closure", rosa, h.ben.contact, at(32, 11, 0, 30), job=h.data_lead, candidacy=h.ben,
            deadline=at(32, 11),
        )  # fmt: skip

        clock.move_to(at(31))  # Tuesday: Tom hands Finn (and the follow-up about him) to Rosa
        h.handoff = relationship_handoff(
            from_recruiter=tom, to_recruiter=rosa, performed_by=manager, contacts=[h.finn]
        )
        interaction_log(contact=h.hugo, kind="call", summary="Late catch-up", recruiter=tom)

        clock.move_to(at(32))  # Wednesday
        candidacy_move(candidacy=h.eve, to_stage="client_interview", user=rosa)
        clock.move_to(at(32, 10))
        assert relay_batch(now=at(32, 10)).sent == 1
        clock.move_to(at(32, 11, 0, 30))
        assert relay_batch(now=at(32, 11, 0, 30)).failed == 1
        clock.move_to(at(32, 11, 1))
        followup_complete(
            followup=FollowUp.objects.get(reason="call_instead"), user=rosa,
            outcome="Told Ben on the phone",
        )  # fmt: skip
    return h
