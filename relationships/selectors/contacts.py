"""Reads over contacts with their relationships: the contact list, the timeline, connections."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from accounts.models import User
from contacts.models import Contact, Employment, Fact
from contacts.permissions import facts_visible_q
from contacts.search import contact_search
from contacts.selectors import CAREER_ORDER
from core.cursors import cursor_encode, cursor_name_and_id
from relationships.models import Connection, Interaction, Relationship

CONTACT_PAGE_SIZE = 50
TIMELINE_LIMIT = 50


@dataclass(frozen=True)
class ContactFilters:
    """The contact list's filters. `owner` is a user id, or "none" for contacts nobody owns."""

    owner: int | str | None = None
    role: str = ""
    tag: str = ""
    tier: str = ""
    overdue: bool = False
    organization: int | None = None


@dataclass
class ContactPage:
    contacts: list[Contact]
    next_cursor: str | None
    filters: ContactFilters = field(default_factory=ContactFilters)


def contact_cursor_encode(contact: Contact) -> str:
    return cursor_encode([contact.sort_name, contact.pk])


def contact_cursor_decode(cursor: str) -> tuple[str, int]:
    return cursor_name_and_id(cursor)


def contact_queryset(filters: ContactFilters) -> QuerySet[Contact]:
    """Contacts matching `filters`, with organization and relationship owner joined."""
    # A list never shows the search documents: leave them in the database.
    queryset = Contact.objects.select_related("organization", "relationship__owner").defer(
        "search_vector", "organization__search_vector"
    )
    if filters.owner == "none":
        # NOT EXISTS lets PostgreSQL walk the name index and stop after a page; a LEFT JOIN ...
        # IS NULL was planned as an anti-join over every contact (seconds at a million).
        unowned = ~Exists(Relationship.objects.filter(contact_id=OuterRef("pk")))
        queryset = queryset.filter(unowned)
    elif filters.owner:
        queryset = queryset.filter(relationship__owner_id=int(filters.owner))
    if filters.role:
        queryset = queryset.filter(roles__contains=[filters.role])
    if filters.tag:
        queryset = queryset.filter(tags__contains=[filters.tag.strip().lower()])
    if filters.tier:
        queryset = queryset.filter(relationship__tier=filters.tier)
    if filters.overdue:
        queryset = queryset.filter(relationship__next_touch_due__lt=timezone.now())
    if filters.organization:
        queryset = queryset.filter(organization_id=filters.organization)
    return queryset.order_by("sort_name", "id")


# What the contact list page prints of a row (relationships.views.contact_list._row) and its
# cursor: fetching only these makes a page of 100 rows a third cheaper to read (the emails,
# phones, notes and users' passwords stay in the database).
CONTACT_ROW_COLUMNS = (
    "id", "first_name", "last_name", "sort_name", "title", "organization_id", "roles", "tags",
    "do_not_contact", "organization__id", "organization__name", "relationship__id",
    "relationship__contact_id", "relationship__owner_id", "relationship__tier",
    "relationship__last_touch_at", "relationship__next_touch_due", "relationship__owner__id",
    "relationship__owner__first_name", "relationship__owner__last_name",
    "relationship__owner__username",
)  # fmt: skip


def contact_list(
    *,
    filters: ContactFilters,
    after: str | None = None,
    limit: int = CONTACT_PAGE_SIZE,
    columns: tuple[str, ...] = (),
) -> ContactPage:
    """One page of contacts in name order, keyset-paginated (no COUNT, constant queries); only
    `columns` when given (CONTACT_ROW_COLUMNS for the list page)."""
    queryset = contact_queryset(filters)
    if columns:
        queryset = queryset.only(*columns)
    if after:
        sort_name, pk = contact_cursor_decode(after)
        queryset = queryset.filter(Q(sort_name__gt=sort_name) | Q(sort_name=sort_name, pk__gt=pk))
    rows = list(queryset[: limit + 1])
    has_more = len(rows) > limit
    contacts = rows[:limit]
    return ContactPage(
        contacts=contacts,
        next_cursor=contact_cursor_encode(contacts[-1]) if has_more else None,
        filters=filters,
    )


def contact_detail_queryset(*, user: User) -> QuerySet[Contact]:
    """Contacts with organization, relationship and owner (one join), career and the pinned
    facts `user` may see (one query each): the API's contact."""
    return (
        Contact.objects.defer("search_vector", "organization__search_vector")
        .select_related("organization", "relationship__owner")
        .prefetch_related(
            Prefetch(
                "employments",
                queryset=Employment.objects.select_related("organization")
                .defer("organization__search_vector")
                .order_by(*CAREER_ORDER),
                to_attr="career",
            ),
            Prefetch(
                "facts",
                queryset=Fact.objects.filter(facts_visible_q(user), pinned=True)
                .select_related("author")
                .order_by("-learned_on", "-id"),
                to_attr="pinned_facts",
            ),
        )
    )


def contact_search_list(*, query: str, limit: int) -> list[Contact]:
    """contacts.search's best matches with their relationship and owner (two queries more)."""
    contacts = contact_search(query=query, limit=limit)
    prefetch_related_objects(contacts, "relationship__owner")
    return contacts


def relationship_queryset() -> QuerySet[Relationship]:
    return Relationship.objects.select_related("owner")


def relationship_get(*, contact: Contact) -> Relationship | None:
    """The contact's relationship with its owner: no query when the page fetched it with the
    contact (the relationship panel's `related`)."""
    if Contact.relationship.is_cached(contact):
        try:
            relationship = contact.relationship
        except Relationship.DoesNotExist:
            return None
        if Relationship.owner.is_cached(relationship):
            return relationship
    return Relationship.objects.select_related("owner").filter(contact=contact).first()


def interaction_queryset(*, contact: Contact | None = None) -> QuerySet[Interaction]:
    """Timeline rows with recruiter and facts, all of them (interaction_list caps a page's)."""
    queryset = Interaction.objects.select_related("recruiter").prefetch_related("facts")
    return queryset if contact is None else queryset.filter(contact=contact)


def interaction_list(*, contact: Contact, limit: int = TIMELINE_LIMIT) -> list[Interaction]:
    return list(
        Interaction.objects.filter(contact=contact)
        .select_related("recruiter")
        .order_by("-occurred_at", "-id")[:limit]
    )


def organization_interaction_list(
    *, organization_id: int, limit: int = TIMELINE_LIMIT
) -> list[Interaction]:
    return list(
        Interaction.objects.filter(organization_id=organization_id)
        .select_related("recruiter", "contact")
        .order_by("-occurred_at", "-id")[:limit]
    )


def connection_queryset() -> QuerySet[Connection]:
    return Connection.objects.select_related("from_contact", "to_contact")


def connection_list(*, contact: Contact) -> list[Connection]:
    return list(
        Connection.objects.filter(Q(from_contact=contact) | Q(to_contact=contact))
        .select_related("from_contact", "to_contact")
        .order_by("kind", "id")
    )
