"""Reads of contacts, organizations, careers and facts, shared by pages and the API."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from contacts.models import Contact, Employment, Fact, Organization
from contacts.normalize import email_normalize, linkedin_key, phone_key

DUPLICATE_LIMIT = 10


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
    return contact.employments.select_related("organization").order_by("-started_on", "-id")


def fact_list(*, contact: Contact) -> QuerySet[Fact]:
    return contact.facts.select_related("author").order_by("-pinned", "-learned_on", "-id")


def organization_get(*, organization_id: int) -> Organization:
    return Organization.objects.get(pk=organization_id)


def organization_people_list(*, organization: Organization, limit: int = 200) -> list[Contact]:
    return list(organization.people.order_by("sort_name", "id")[:limit])
