"""Acceptance: a merge leaves nothing pointing at the removed contact, and nothing is lost."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from contacts.models import Contact, Employment, Fact
from contacts.services import contact_create, fact_create
from relationships.models import Connection, Interaction, Relationship
from relationships.services import (
    connection_create,
    contact_merge,
    interaction_log,
    relationship_create,
)
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

EARLY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 5, 14, 16, 30, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def references_to(contact_id: int) -> dict[str, int]:
    """Every row, in any app, whose foreign key or many-to-many points at `contact_id`."""
    found = {}
    for relation in Contact._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            column = next(
                f.name
                for f in through._meta.get_fields()
                if isinstance(f, models.ForeignKey) and f.related_model is Contact
            )
            count = through.objects.filter(**{f"{column}_id": contact_id}).count()
        else:
            manager = relation.related_model._base_manager
            count = manager.filter(**{f"{relation.field.name}_id": contact_id}).count()
        if count:
            label = f"{relation.related_model._meta.label}.{relation.field.name}"
            found[label] = count
    return found


@pytest.fixture
def pair(recruiter):
    """Two records of Ana Smith, each with facts, a timeline, a career, a relationship and
    connections: one between the two, one that collides after the merge, one that moves."""
    acme = OrganizationFactory(name="Acme")
    globex = OrganizationFactory(name="Globex")
    with time_machine.travel(EARLY - dt.timedelta(days=30), tick=False):
        survivor = contact_create(
            first_name="Ana", last_name="Smith", emails=["ana@smith.example"],
            phones=["+44 20 7946 0001"], title="Engineer", organization=acme,
            tags=["python"], roles=["candidate"],
        )  # fmt: skip
        duplicate = contact_create(
            first_name="Ana", emails=["ANA@work.example", "ana@smith.example"],
            phones=["+44 20 7946 0002"], linkedin_url="https://www.linkedin.com/in/ana-smith",
            title="Lead", organization=globex, tags=["berlin", "python"],
            roles=["hiring_manager"], location="Berlin", email_opt_out=True,
        )  # fmt: skip
        relationship_create(contact=survivor, owner=recruiter)
        relationship_create(contact=duplicate, owner=recruiter)
    fact_create(contact=survivor, category="family", text="Two kids")
    fact_create(contact=duplicate, category="interests", text="Climbs")
    fact_create(contact=duplicate, category="goals", text="Wants to lead a team")
    interaction_log(contact=survivor, kind="call", summary="First call", occurred_at=EARLY)
    interaction_log(contact=duplicate, kind="meeting", summary="Coffee", occurred_at=LATE)
    interaction_log(contact=duplicate, kind="note", summary="Sounds keen", occurred_at=EARLY)
    colleague = ContactFactory(first_name="Cleo", last_name="Park")
    boss = ContactFactory(first_name="Dan", last_name="Adams")
    connection_create(from_contact=duplicate, to_contact=survivor, kind="worked_with")
    connection_create(from_contact=survivor, to_contact=colleague, kind="worked_with")
    connection_create(from_contact=duplicate, to_contact=colleague, kind="worked_with")
    connection_create(from_contact=duplicate, to_contact=boss, kind="reports_to")
    connection_create(from_contact=colleague, to_contact=duplicate, kind="referred_by")
    return {"survivor": survivor, "duplicate": duplicate, "colleague": colleague, "boss": boss}


def test_contact_merge_leaves_no_row_pointing_at_the_duplicate(pair, recruiter):
    duplicate_id = pair["duplicate"].pk
    assert references_to(duplicate_id) == {
        "contacts.Employment.contact": 1,
        "contacts.Fact.contact": 2,
        "relationships.Relationship.contact": 1,
        "relationships.Interaction.contact": 2,
        "relationships.Connection.from_contact": 3,
        "relationships.Connection.to_contact": 1,
    }

    with time_machine.travel(NOW, tick=False):
        contact_merge(survivor=pair["survivor"], duplicate=pair["duplicate"], user=recruiter)

    assert references_to(duplicate_id) == {}
    assert not Contact.objects.filter(pk=duplicate_id).exists()


def test_contact_merge_moves_every_row_of_the_duplicate_to_the_survivor(pair, recruiter):
    survivor = pair["survivor"]

    with time_machine.travel(NOW, tick=False):
        contact_merge(survivor=survivor, duplicate=pair["duplicate"], user=recruiter)

    assert sorted(Fact.objects.filter(contact=survivor).values_list("text", flat=True)) == [
        "Climbs",
        "Two kids",
        "Wants to lead a team",
    ]
    assert list(
        Interaction.objects.filter(contact=survivor)
        .order_by("occurred_at", "id")
        .values_list("kind", "summary")
    ) == [
        ("call", "First call"),
        ("note", "Sounds keen"),
        ("meeting", "Coffee"),
        ("merge", f"Merged duplicate “Ana” (#{pair['duplicate'].pk}) into this"),
    ]
    assert list(
        Employment.objects.filter(contact=survivor)
        .order_by("organization_name")
        .values_list("organization_name", "title", "ended_on")
    ) == [("Acme", "Engineer", None), ("Globex", "Lead", dt.date(2026, 6, 1))]
    assert Relationship.objects.filter(contact=survivor).count() == 1


def test_contact_merge_settles_connections_between_the_two_and_collisions(pair, recruiter):
    survivor, colleague, boss = pair["survivor"], pair["colleague"], pair["boss"]

    contact_merge(survivor=survivor, duplicate=pair["duplicate"], user=recruiter)

    assert sorted(
        Connection.objects.values_list("from_contact_id", "kind", "to_contact_id")
    ) == sorted(
        [
            (survivor.pk, "worked_with", colleague.pk),
            (survivor.pk, "reports_to", boss.pk),
            (colleague.pk, "referred_by", survivor.pk),
        ]
    )


def test_contact_merge_survivor_values_are_the_union_and_the_careful_wish(pair, recruiter):
    survivor = pair["survivor"]

    with time_machine.travel(NOW, tick=False):
        contact_merge(survivor=survivor, duplicate=pair["duplicate"], user=recruiter)

    survivor = Contact.objects.get(pk=survivor.pk)
    assert survivor.emails == ["ana@smith.example", "ana@work.example"]
    assert survivor.phones == ["+44 20 7946 0001", "+44 20 7946 0002"]
    assert survivor.linkedin_url == "https://www.linkedin.com/in/ana-smith"
    assert (survivor.first_name, survivor.last_name, survivor.title) == ("Ana", "Smith", "Engineer")
    assert survivor.organization.name == "Acme"
    assert survivor.location == "Berlin"
    assert survivor.roles == ["candidate", "hiring_manager"]
    assert survivor.tags == ["python", "berlin"]
    assert survivor.email_opt_out is True
    assert survivor.do_not_contact is False
    assert survivor.was_candidate is True


def test_contact_merge_keeps_the_latest_touch_and_moves_the_next_due(pair, recruiter):
    survivor = pair["survivor"]

    contact_merge(survivor=survivor, duplicate=pair["duplicate"], user=recruiter)

    relationship = Relationship.objects.get(contact=survivor)
    assert relationship.owner == recruiter
    assert relationship.last_touch_at == LATE
    assert relationship.next_touch_due == LATE + dt.timedelta(days=30)


def test_contact_merge_of_the_survivor_into_itself_is_refused(pair, recruiter):
    survivor = pair["survivor"]

    with pytest.raises(ValidationError) as raised:
        contact_merge(survivor=survivor, duplicate=survivor, user=recruiter)

    assert raised.value.messages == ["A contact cannot be merged into itself."]
    assert Fact.objects.filter(contact=survivor).count() == 1


def test_contact_merge_by_a_recruiter_who_does_not_own_both_is_refused(pair, other_recruiter):
    with pytest.raises(PermissionDenied):
        contact_merge(survivor=pair["survivor"], duplicate=pair["duplicate"], user=other_recruiter)

    assert Contact.objects.filter(pk=pair["duplicate"].pk).exists()
    assert Fact.objects.filter(contact=pair["duplicate"]).count() == 2
