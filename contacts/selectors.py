"""Reads of contacts, organizations, careers and facts, shared by pages and the API."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower

from accounts.models import User
from contacts.models import Contact, ContactImport, Employment, Fact, Organization
from contacts.normalize import email_normalize, linkedin_key, phone_key
from contacts.permissions import facts_visible_q
from core.cursors import cursor_encode, cursor_name_and_id

DUPLICATE_LIMIT = 10
# A career, latest first: the current position, then by start (an unknown start after the known).
CAREER_ORDER = (
    F("ended_on").desc(nulls_first=True),
    F("started_on").desc(nulls_last=True),
    "-id",
)


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing contact and what it shares with the identities given: its emails that were
    given (normalised, in the contact's order), the given phones it has, the LinkedIn profile."""

    contact: Contact
    emails: list[str]
    phones: list[str]
    linkedin: bool

    @property
    def reasons(self) -> list[str]:
        """What matched, as a page says it: "email ana@example.com", "LinkedIn profile"…"""
        reasons = [f"email {email}" for email in self.emails]
        reasons += [f"phone {phone}" for phone in self.phones]
        if self.linkedin:
            reasons.append("LinkedIn profile")
        return reasons


def _email_keys(emails: Iterable[str]) -> list[str]:
    keys = []
    for raw in emails:
        try:
            keys.append(email_normalize(raw))
        except Exception:  # noqa: BLE001,S112 - an invalid address matches nothing
            continue
    return keys


def contact_duplicate_list(
    *,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    linkedin_url: str = "",
    exclude_id: int | None = None,
) -> list[Contact]:
    """Existing contacts that share a normalised email, phone or LinkedIn profile."""
    email_keys = _email_keys(emails)
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


def contact_duplicate_match_list(
    *,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    linkedin_url: str = "",
    exclude_id: int | None = None,
) -> list[DuplicateMatch]:
    """contact_duplicate_list, with what each contact shares with the identities given: the one
    duplicate check of the new-contact page, the edit page and the API."""
    emails, phones = list(emails), list(phones)
    duplicates = contact_duplicate_list(
        emails=emails, phones=phones, linkedin_url=linkedin_url, exclude_id=exclude_id
    )
    wanted_emails = set(_email_keys(emails))
    wanted_phones = {phone_key(phone): phone for phone in phones if phone_key(phone)}
    wanted_profile = linkedin_key(linkedin_url)
    return [
        DuplicateMatch(
            contact=contact,
            emails=[email for email in contact.emails if email in wanted_emails],
            phones=[wanted_phones[key] for key in contact.phone_keys if key in wanted_phones],
            linkedin=bool(wanted_profile) and contact.linkedin_key == wanted_profile,
        )
        for contact in duplicates
    ]


def contact_import_get(*, import_id: int, created_by: User) -> ContactImport:
    """One of the user's imports (another user's is ContactImport.DoesNotExist), without its
    file: the page polling it while it is read asks every second."""
    return ContactImport.objects.defer("content").get(pk=import_id, created_by=created_by)


def contact_get(*, contact_id: int, related: tuple[str, ...] = ()) -> Contact:
    """One contact with its organization, and the `related` paths a page's panels read
    (PanelRegistry.related()), in one query."""
    return Contact.objects.select_related("organization", *related).get(pk=contact_id)


def employment_list(*, contact: Contact) -> QuerySet[Employment]:
    return contact.employments.select_related("organization").order_by(*CAREER_ORDER)


def fact_get(*, contact: Contact, fact_id: int, user: User) -> Fact:
    """One of the facts `user` may see (Fact.DoesNotExist for a sensitive one they may not)."""
    return contact.facts.filter(facts_visible_q(user)).get(pk=fact_id)


def fact_list(*, contact: Contact, user: User) -> QuerySet[Fact]:
    """The contact's facts `user` may see (contacts.permissions.can_see_fact)."""
    return (
        contact.facts.filter(facts_visible_q(user))
        .select_related("author")
        .order_by("-pinned", "-learned_on", "-id")
    )


def organization_queryset() -> QuerySet[Organization]:
    return Organization.objects.defer("search_vector")


def fact_queryset(*, user: User) -> QuerySet[Fact]:
    """Every fact `user` may see, for the API."""
    return Fact.objects.filter(facts_visible_q(user)).select_related("author")


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
    organizations: Sequence[Organization]
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
