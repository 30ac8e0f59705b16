"""Reads of the handoff pages: the history, the contacts a recruiter could hand off, and what a
handoff moved."""

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import User
from contacts.models import Contact
from relationships.models import Handoff, Interaction, Relationship

# Checkboxes offered on the new-handoff form; beyond that, "all of their relationships".
HANDOFF_OPTION_LIMIT = 500
# Contacts listed on a handoff's page; the rest are counted from handoff.relationship_count.
HANDOFF_MOVED_LIMIT = 300


@dataclass
class ContactOptions:
    contacts: list[Contact]
    has_more: bool


@dataclass
class HandoffMoved:
    interactions: list[Interaction]
    more: int


def handoff_queryset() -> QuerySet[Handoff]:
    return Handoff.objects.select_related("from_recruiter", "to_recruiter", "performed_by")


def handoff_list(*, limit: int = 100) -> list[Handoff]:
    return list(handoff_queryset().order_by("-created_at", "-id")[:limit])


def handoff_contact_option_list(
    *, owner_id: int, include_id: int | None = None, limit: int = HANDOFF_OPTION_LIMIT
) -> ContactOptions:
    """The first `limit` contacts `owner_id` owns, by name; `include_id` is added when it is
    theirs but beyond the first page (a handoff started from that contact's page)."""
    rows = list(
        Contact.objects.filter(relationship__owner_id=owner_id)
        .select_related("organization")
        .order_by("sort_name", "id")[: limit + 1]
    )
    has_more = len(rows) > limit
    contacts = rows[:limit]
    if include_id is not None and all(contact.pk != include_id for contact in contacts):
        extra = (
            Contact.objects.filter(pk=include_id, relationship__owner_id=owner_id)
            .select_related("organization")
            .first()
        )
        if extra is not None:
            contacts.insert(0, extra)
    return ContactOptions(contacts=contacts, has_more=has_more)


def relationship_owner_id(*, contact_id: int) -> int | None:
    return (
        Relationship.objects.filter(contact_id=contact_id)
        .values_list("owner_id", flat=True)
        .first()
    )


def relationship_owned_count(*, owner: User) -> int:
    """How many relationships one recruiter owns (an indexed count over one owner's rows)."""
    return Relationship.objects.filter(owner=owner).count()


def handoff_get(*, handoff_id: int) -> Handoff:
    return handoff_queryset().get(pk=handoff_id)


def handoff_moved_list(*, handoff: Handoff, limit: int = HANDOFF_MOVED_LIMIT) -> HandoffMoved:
    """The timeline entries the handoff wrote, one per moved contact, by name; `more` comes from
    the stored count, so a big handoff is not counted again."""
    interactions = list(
        Interaction.objects.filter(handoff=handoff)
        .select_related("contact__organization")
        .order_by("contact__sort_name", "contact_id", "id")[:limit]
    )
    return HandoffMoved(
        interactions=interactions,
        more=max(handoff.relationship_count - len(interactions), 0),
    )
