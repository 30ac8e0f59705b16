"""Reads of contacts, organizations, careers and facts, shared by pages and the API."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower

from contacts.models import Contact, Employment, Fact, Organization
from contacts.normalize import email_normalize, linkedin_key, phone_key
from core.cursors import cursor_encode, cursor_name_and_id

DUPLICATE_LIMIT = 10
# A career, latest first: the current position, then by start (an unknown start after the known).
CAREER_ORDER = (
    F("ended_on").desc(nulls_first=True),
    F("started_on").desc(nulls_last=True),
    "-id",
)


def contact_duplicate_list(
    *,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    linkedin_url: str = "",
    exclude_id: int | None = None,
) -> list[Contact]:
    """Existing contacts that share a normalised email, phone or LinkedIn profile."""
    email_keys = []
    for raw in emails:
        try:
            email_keys.append(email_normalize(raw))
        except Exception:  # noqa: BLE001,S112 - an invalid address matches nothing
            continue
    phone_keys = [key for key in map(phone_key, phones) if key]
    profile = linkedin_key(linkedin_url)
    match = Q(pk__in=[])
    if email_keys:
        match |= Q(emails__overlap=email_keys)
    if phone_keys:
        match |= Q(phone_keys__overlap=phone_keys)
    if profile:
        match |= Q(linkedin_key=profile)
    queryset = Contact.objects.filter(match).select_related("organization")
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    return list(queryset.order_by("id")[:DUPLICATE_LIMIT])


def contact_get(*, contact_id: int) -> Contact:
    return Contact.objects.select_related("organization").get(pk=contact_id)


def employment_list(*, contact: Contact) -> QuerySet[Employment]:
    return contact.employments.select_related("organization").order_by(*CAREER_ORDER)


def fact_list(*, contact: Contact) -> QuerySet[Fact]:
    return contact.facts.select_related("author").order_by("-pinned", "-learned_on", "-id")


def organization_get(*, organization_id: int) -> Organization:
    return Organization.objects.get(pk=organization_id)


def organization_people_list(*, organization: Organization, limit: int = 200) -> list[Contact]:
    return list(organization.people.order_by("sort_name", "id")[:limit])


ORGANIZATION_PAGE_SIZE = 50
PEOPLE_LIMIT = 50
FORMER_PEOPLE_LIMIT = 50
LIST_FIELDS = ("id", "name", "kind", "domain", "website", "industry")


@dataclass
class OrganizationPage:
    organizations: list[Organization]
    next_cursor: str | None


def organization_page_list(
    *, kind: str = "", after: str | None = None, limit: int = ORGANIZATION_PAGE_SIZE
) -> OrganizationPage:
    """One page of organizations by case-insensitive name (the lower(name) index), then id:
    keyset pagination, no COUNT, one query."""
    queryset = Organization.objects.only(*LIST_FIELDS).annotate(name_key=Lower("name"))
    if kind:
        queryset = queryset.filter(kind=kind)
    if after:
        name_key, pk = cursor_name_and_id(after)
        queryset = queryset.filter(Q(name_key__gt=name_key) | Q(name_key=name_key, pk__gt=pk))
    rows = list(queryset.order_by("name_key", "id")[: limit + 1])
    organizations = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = organizations[-1]
        next_cursor = cursor_encode([last.name_key, last.pk])
    return OrganizationPage(organizations=organizations, next_cursor=next_cursor)


def organization_former_people_list(
    *, organization: Organization, limit: int = FORMER_PEOPLE_LIMIT
) -> list[Employment]:
    """Positions that ended at `organization`, newest first, of people no longer there; one per
    person, with where they are now."""
    employments = (
        Employment.objects.filter(organization=organization, ended_on__isnull=False)
        .exclude(contact__organization=organization)
        .select_related("contact__organization")
        .order_by("-ended_on", "-id")[:limit]
    )
    seen: set[int] = set()
    former = []
    for employment in employments:
        if employment.contact_id not in seen:
            seen.add(employment.contact_id)
            former.append(employment)
    return former
