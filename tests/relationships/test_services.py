import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from relationships import services
from relationships.models import Handoff, Interaction, Relationship
from tests.factories import ContactFactory, RelationshipFactory
from tests.helpers import statements

pytestmark = pytest.mark.django_db

NOV_1 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


@time_machine.travel(NOV_1, tick=False)
def test_relationship_create_sets_cadence_from_tier(recruiter):
    relationship = RelationshipFactory(owner=recruiter, tier="A")

    assert relationship.cadence_days == 14
    assert relationship.last_touch_at is None
    assert relationship.next_touch_due == NOV_1 + dt.timedelta(days=14)


def test_logging_a_call_moves_last_and_next_touch(recruiter):
    with time_machine.travel(NOV_1, tick=False):
        relationship = RelationshipFactory(owner=recruiter, tier="B")
    called_at = dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.UTC)

    services.interaction_log(
        contact=relationship.contact, kind="call", summary="Talked about Berlin",
        recruiter=recruiter, occurred_at=called_at,
    )  # fmt: skip

    relationship.refresh_from_db()
    assert relationship.last_touch_at == called_at
    assert relationship.next_touch_due == dt.datetime(2026, 12, 20, 15, 30, tzinfo=dt.UTC)


def test_logging_a_note_does_not_move_the_clock(recruiter):
    with time_machine.travel(NOV_1, tick=False):
        relationship = RelationshipFactory(owner=recruiter)

    services.interaction_log(
        contact=relationship.contact, kind="note", summary="Prefers mornings", recruiter=recruiter
    )

    relationship.refresh_from_db()
    assert relationship.last_touch_at is None
    assert relationship.next_touch_due == NOV_1 + dt.timedelta(days=30)
    assert Interaction.objects.filter(contact=relationship.contact).count() == 1


def test_an_older_touch_logged_late_does_not_move_the_clock_back(recruiter):
    relationship = RelationshipFactory(owner=recruiter)
    recent = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    services.interaction_log(
        contact=relationship.contact, kind="call", summary="Recent", occurred_at=recent
    )

    services.interaction_log(
        contact=relationship.contact, kind="meeting", summary="Old", occurred_at=NOV_1
    )

    relationship.refresh_from_db()
    assert relationship.last_touch_at == recent
    assert relationship.next_touch_due == recent + dt.timedelta(days=30)


def test_touching_an_unowned_contact_makes_the_recruiter_its_owner(recruiter):
    contact = ContactFactory()

    services.interaction_log(contact=contact, kind="email", summary="Hello", recruiter=recruiter)

    relationship = Relationship.objects.get(contact=contact)
    assert relationship.owner == recruiter
    assert relationship.last_touch_at is not None


def test_interaction_without_summary_is_refused(recruiter):
    contact = ContactFactory()

    with pytest.raises(ValidationError) as caught:
        services.interaction_log(contact=contact, kind="call", summary="  ", recruiter=recruiter)

    assert "summary" in caught.value.message_dict
    assert Interaction.objects.count() == 0


def test_relationship_update_new_tier_brings_its_cadence(recruiter):
    with time_machine.travel(NOV_1, tick=False):
        relationship = RelationshipFactory(owner=recruiter, tier="B")

    services.relationship_update(relationship=relationship, user=recruiter, tier="C")

    relationship.refresh_from_db()
    assert (relationship.tier, relationship.cadence_days) == ("C", 90)
    assert relationship.next_touch_due == NOV_1 + dt.timedelta(days=90)


def test_relationship_update_by_another_recruiter_is_denied(recruiter, other_recruiter):
    relationship = RelationshipFactory(owner=recruiter, tier="B")

    with pytest.raises(PermissionDenied):
        services.relationship_update(relationship=relationship, user=other_recruiter, tier="A")

    relationship.refresh_from_db()
    assert relationship.tier == "B"


def test_handoff_of_all_changes_owners_and_writes_timelines(recruiter, other_recruiter):
    mine = [RelationshipFactory(owner=recruiter) for _ in range(3)]
    someone_elses = RelationshipFactory(owner=other_recruiter)

    handoff = services.relationship_handoff(
        from_recruiter=recruiter, to_recruiter=other_recruiter, performed_by=recruiter,
        note="Ana is on leave from Monday; Ben prefers email.",
    )  # fmt: skip

    assert (handoff.scope, handoff.relationship_count) == (Handoff.Scope.ALL, 3)
    assert set(Relationship.objects.values_list("owner__username", flat=True)) == {"tom"}
    entries = Interaction.objects.filter(kind="handoff").order_by("contact_id")
    assert [e.contact_id for e in entries] == sorted(r.contact_id for r in mine)
    assert {(e.summary, e.body, e.handoff_id) for e in entries} == {
        (
            "Handed off from Rosa Reyes to Tom Brandt",
            "Ana is on leave from Monday; Ben prefers email.",
            handoff.pk,
        )
    }
    assert not Interaction.objects.filter(contact=someone_elses.contact).exists()


def test_handoff_of_one_contact_moves_only_it(recruiter, other_recruiter):
    first, second = RelationshipFactory(owner=recruiter), RelationshipFactory(owner=recruiter)

    handoff = services.relationship_handoff(
        from_recruiter=recruiter, to_recruiter=other_recruiter, performed_by=recruiter,
        contacts=[first.contact],
    )  # fmt: skip

    assert handoff.scope == Handoff.Scope.ONE
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.owner, second.owner) == (other_recruiter, recruiter)


def test_handoff_of_a_contact_not_owned_changes_nothing(recruiter, other_recruiter, manager):
    mine = RelationshipFactory(owner=recruiter)
    theirs = RelationshipFactory(owner=other_recruiter)

    with pytest.raises(ValidationError) as caught:
        services.relationship_handoff(
            from_recruiter=recruiter, to_recruiter=manager, performed_by=recruiter,
            contacts=[mine.contact, theirs.contact],
        )  # fmt: skip

    assert caught.value.message_dict == {
        "contacts": [f"Rosa Reyes does not own: {theirs.contact.full_name}."]
    }
    mine.refresh_from_db()
    assert mine.owner == recruiter
    assert Handoff.objects.count() == 0
    assert Interaction.objects.count() == 0


def test_recruiter_cannot_hand_off_someone_elses_relationships(recruiter, other_recruiter):
    RelationshipFactory(owner=other_recruiter)

    with pytest.raises(PermissionDenied):
        services.relationship_handoff(
            from_recruiter=other_recruiter, to_recruiter=recruiter, performed_by=recruiter
        )

    assert Relationship.objects.get().owner == other_recruiter


def test_manager_hands_off_anyones_relationships(recruiter, other_recruiter, manager):
    RelationshipFactory(owner=other_recruiter)

    services.relationship_handoff(
        from_recruiter=other_recruiter, to_recruiter=recruiter, performed_by=manager
    )

    assert Relationship.objects.get().owner == recruiter


def test_handoff_to_oneself_is_refused(recruiter):
    RelationshipFactory(owner=recruiter)

    with pytest.raises(ValidationError) as caught:
        services.relationship_handoff(
            from_recruiter=recruiter, to_recruiter=recruiter, performed_by=recruiter
        )

    assert caught.value.message_dict == {
        "to_recruiter": ["Choose another recruiter to hand off to."]
    }


def test_handoff_runs_registered_movers_with_the_moved_contacts(recruiter, other_recruiter):
    relationship = RelationshipFactory(owner=recruiter)
    seen = []
    services.handoff_mover_register("test", lambda handoff, ids: seen.append((handoff.pk, ids)))
    try:
        handoff = services.relationship_handoff(
            from_recruiter=recruiter, to_recruiter=other_recruiter, performed_by=recruiter
        )
    finally:
        services._handoff_movers.pop("test")

    assert seen == [(handoff.pk, [relationship.contact_id])]


def test_contact_onboard_creates_contact_and_owned_relationship(recruiter):
    contact = services.contact_onboard(
        owner=recruiter, tier="A", first_name="Ana", emails=["a@x.io"]
    )

    assert contact.relationship.owner == recruiter
    assert contact.relationship.tier == "A"


@time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_relationship_bulk_create_owns_the_unowned_and_leaves_owned_contacts_alone(
    recruiter, other_recruiter
):
    owned = RelationshipFactory(owner=other_recruiter).contact
    new = [ContactFactory(), ContactFactory()]

    created = services.relationship_bulk_create(
        contact_ids=[owned.pk, *(contact.pk for contact in new)], owner=recruiter, tier="A"
    )

    assert created == 2
    assert sorted(
        Relationship.objects.values_list("contact_id", "owner__username", "tier", "cadence_days")
    ) == sorted(
        [(owned.pk, "tom", "B", 30), (new[0].pk, "rosa", "A", 14), (new[1].pk, "rosa", "A", 14)]
    )
    assert set(
        Relationship.objects.filter(owner=recruiter).values_list("next_touch_due", flat=True)
    ) == {dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC)}


# --- the one timeline write ----------------------------------------------------------------------

NOV_10 = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
NOV_20 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def test_bulk_log_writes_every_row_and_moves_each_clock_by_the_touch_rule(
    recruiter, other_recruiter
):
    with time_machine.travel(NOV_1, tick=False):
        fresh = RelationshipFactory(owner=recruiter, tier="A")  # never touched
        touched = RelationshipFactory(owner=other_recruiter)
        services.interaction_log(contact=touched.contact, kind="call", summary="Recent",
                                 occurred_at=NOV_20)  # fmt: skip
    unowned = ContactFactory()
    noted = ContactFactory()
    nobody_touched = ContactFactory()
    entry = services.TimelineEntry
    entries = [
        entry(contact=fresh.contact, kind="call", summary="First", occurred_at=NOV_10),
        entry(contact=fresh.contact, kind="email", summary=" Later ", occurred_at=NOV_20),
        entry(contact=touched.contact, kind="meeting", summary="Older", occurred_at=NOV_10),
        entry(contact=unowned, kind="message", summary="Hello", recruiter=recruiter,
              occurred_at=NOV_10),
        entry(contact=noted, kind="note", summary="A note", recruiter=recruiter),
        entry(contact=nobody_touched, kind="call", summary="No recruiter", occurred_at=NOV_10),
    ]  # fmt: skip

    with time_machine.travel(NOV_20 + dt.timedelta(hours=1), tick=False), statements() as run:
        written = services.interaction_bulk_log(entries=entries)

    # One insert for the rows, one statement for the clocks (owners included), one for the
    # replies owed the touches meet and one for what else they settle (followups' listeners).
    assert [sql.split("(")[0].strip() for sql in run] == [
        'INSERT INTO "relationships_interaction"',
        f"INSERT INTO {Relationship._meta.db_table} AS r",
        "UPDATE followups_followup AS f\nSET completed_at = "
        "'2026-11-20 10:00:00+00:00'::timestamptz, outcome = 'Answered.', updated_at = "
        "'2026-11-20 10:00:00+00:00'::timestamptz\n"
        "FROM unnest",
        "WITH touched AS",
    ]

    assert [(i.contact_id, i.kind, i.summary) for i in written] == [
        (fresh.contact_id, "call", "First"),
        (fresh.contact_id, "email", "Later"),
        (touched.contact_id, "meeting", "Older"),
        (unowned.pk, "message", "Hello"),
        (noted.pk, "note", "A note"),
        (nobody_touched.pk, "call", "No recruiter"),
    ]
    assert all(i.pk for i in written)
    assert Interaction.objects.count() == 7
    assert Interaction.objects.get(summary="A note").occurred_at == NOV_20 + dt.timedelta(hours=1)
    assert sorted(
        Relationship.objects.values_list(
            "contact_id", "owner__username", "tier", "last_touch_at", "next_touch_due"
        )
    ) == sorted(
        [
            # the latest of two touches, at the tier's cadence of 14 days
            (fresh.contact_id, "rosa", "A", NOV_20, NOV_20 + dt.timedelta(days=14)),
            # a touch older than the last one does not move the clock back
            (touched.contact_id, "tom", "B", NOV_20, NOV_20 + dt.timedelta(days=30)),
            # an ownerless contact gets the recruiter who touched them, tier B
            (unowned.pk, "rosa", "B", NOV_10, NOV_10 + dt.timedelta(days=30)),
        ]
    )


def test_bulk_log_refuses_a_row_without_summary_and_writes_none(recruiter):
    relationship = RelationshipFactory(owner=recruiter)
    entries = [
        services.TimelineEntry(contact=relationship.contact, kind="call", summary="Fine"),
        services.TimelineEntry(contact=relationship.contact, kind="call", summary=" "),
    ]

    with pytest.raises(ValidationError) as caught:
        services.interaction_bulk_log(entries=entries)

    assert caught.value.message_dict == {"summary": ["This field cannot be blank."]}
    assert Interaction.objects.count() == 0
    relationship.refresh_from_db()
    assert relationship.last_touch_at is None


def test_bulk_log_of_nothing_writes_nothing():
    with statements() as run:
        assert services.interaction_bulk_log(entries=[]) == []

    assert run == []
