"""Writes to contacts, organizations, career history and facts.

Flows that also touch relationships or the timeline (onboarding a contact with its owner, merging,
importing) are composed one layer up, in relationships.services, which calls these.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from contacts.models import Contact, Employment, Fact, Organization
from contacts.normalize import (
    domain_normalize,
    email_normalize,
    linkedin_key,
    linkedin_url_validate,
    phone_key,
)
from contacts.permissions import (
    OWNER_FIELDS,
    can_change_contact_owner_fields,
    can_change_fact,
    can_delete_fact,
    can_review_lawful_basis,
)
from contacts.search_index import contact_search_refresh, organization_search_refresh

# What a person is, in the order the list's CSV export prints it.
CONTACT_DETAILS = (
    "first_name",
    "last_name",
    "emails",
    "phones",
    "linkedin_url",
    "title",
    "organization",
    "roles",
    "tags",
    "source",
    "location",
)
# Why we may hold a person's details, since when, and who or what says so.
LAWFUL_BASIS_FIELDS = frozenset({"lawful_basis", "lawful_basis_on", "lawful_basis_source"})
# The fields `contact_update` changes: the details, the opt-outs and the lawful basis.
CONTACT_FIELDS = frozenset(
    {*CONTACT_DETAILS, "email_opt_out", "do_not_contact", *LAWFUL_BASIS_FIELDS}
)
ORGANIZATION_FIELDS = frozenset({"name", "kind", "domain", "website", "industry", "notes"})


# --- organizations -------------------------------------------------------------------------------


@transaction.atomic
def organization_create(
    *,
    name: str,
    kind: str = Organization.Kind.OTHER,
    domain: str = "",
    website: str = "",
    industry: str = "",
    notes: str = "",
) -> Organization:
    organization = Organization(
        name=name.strip(),
        kind=kind,
        domain=domain_normalize(domain),
        website=website.strip(),
        industry=industry.strip(),
        notes=notes,
    )
    organization.full_clean()
    organization.save()
    organization_search_refresh([organization.pk])
    return organization


@transaction.atomic
def organization_get_or_create(
    *, name: str, kind: str = Organization.Kind.PROSPECT
) -> Organization:
    """The organization with this name (case-insensitively; the oldest if several), else a new
    one of `kind`. Call inside the transaction that uses it, so a failed save leaves no orphan."""
    name = name.strip()
    existing = (
        Organization.objects.alias(name_lower=Lower("name"))
        .filter(name_lower=name.lower())
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing
    return organization_create(name=name, kind=kind)


@transaction.atomic
def organization_update(*, organization: Organization, **changes: Any) -> Organization:
    unknown = set(changes) - ORGANIZATION_FIELDS
    if unknown:
        raise ValueError(f"organization_update does not change {sorted(unknown)}")
    if "domain" in changes:
        changes["domain"] = domain_normalize(changes["domain"])
    renamed = "name" in changes and changes["name"] != organization.name
    for field, value in changes.items():
        setattr(organization, field, value)
    organization.full_clean()
    organization.save()
    organization_search_refresh([organization.pk])
    if renamed:
        contact_search_refresh(organization.people.values_list("id", flat=True))
    return organization


# --- contacts ------------------------------------------------------------------------------------


def contact_clean_identities(
    *, emails: Iterable[str] = (), phones: Iterable[str] = (), linkedin_url: str = ""
) -> dict[str, Any]:
    """Normalised, de-duplicated identities, or ValidationError naming the bad field."""
    cleaned_emails: list[str] = []
    for raw in emails:
        if not (raw or "").strip():
            continue
        try:
            email = email_normalize(raw)
        except ValidationError as error:
            raise ValidationError({"emails": error.messages}) from error
        if email not in cleaned_emails:
            cleaned_emails.append(email)
    cleaned_phones = list(dict.fromkeys(p.strip() for p in phones if (p or "").strip()))
    try:
        url = linkedin_url_validate(linkedin_url)
    except ValidationError as error:
        raise ValidationError({"linkedin_url": error.messages}) from error
    return {
        "emails": cleaned_emails,
        "phones": cleaned_phones,
        "phone_keys": sorted({key for key in map(phone_key, cleaned_phones) if key}),
        "linkedin_url": url,
        "linkedin_key": linkedin_key(url),
    }


@transaction.atomic
def contact_create(
    *,
    first_name: str,
    last_name: str = "",
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    linkedin_url: str = "",
    title: str = "",
    organization: Organization | None = None,
    roles: Sequence[str] = (),
    tags: Sequence[str] = (),
    source: str = "",
    location: str = "",
    email_opt_out: bool = False,
    do_not_contact: bool = False,
    started_on: date | None = None,
    lawful_basis: str = Contact.LawfulBasis.LEGITIMATE_INTEREST,
    lawful_basis_on: date | None = None,
    lawful_basis_source: str = "",
) -> Contact:
    """Create a contact and, when it has a title or an organization, its current position. Its
    lawful basis holds from `lawful_basis_on` (today by default)."""
    contact = Contact(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        title=title.strip(),
        organization=organization,
        roles=list(dict.fromkeys(roles)),
        tags=_tags_clean(tags),
        source=source.strip(),
        location=location.strip(),
        email_opt_out=email_opt_out,
        do_not_contact=do_not_contact,
        lawful_basis=lawful_basis,
        lawful_basis_on=lawful_basis_on or timezone.localdate(),
        lawful_basis_source=lawful_basis_source.strip(),
        **contact_clean_identities(emails=emails, phones=phones, linkedin_url=linkedin_url),
    )
    _lawful_basis_check(contact)
    contact.was_candidate = Contact.Role.CANDIDATE in contact.roles
    contact.full_clean(exclude=["sort_name"])
    contact.save()
    if organization is not None or contact.title:
        _employment_open(contact, started_on=started_on or timezone.localdate())
    contact_search_refresh([contact.pk])
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    moved_on: date | None = None,
    user: User | None = None,
    **changes: Any,
) -> Contact:
    """Change a contact. A new organization or title closes the current position and opens a new
    one dated `moved_on` (today by default): the career path is recorded, never overwritten.

    `user` is who asks (None: the system, e.g. an unsubscribe link); emails, phones, opt-outs
    and the lawful basis are changed by the contact's owner, their manager or an admin only
    (contacts.permissions). A new basis or date without a new source is sourced "changed by
    <user>"."""
    unknown = set(changes) - CONTACT_FIELDS
    if unknown:
        raise ValueError(f"contact_update does not change {sorted(unknown)}")
    identities = {
        key: changes.pop(key) for key in ("emails", "phones", "linkedin_url") if key in changes
    }
    if identities:
        merged = {
            "emails": contact.emails,
            "phones": contact.phones,
            "linkedin_url": contact.linkedin_url,
            **identities,
        }
        changes.update(contact_clean_identities(**merged))
    if user is not None and not can_change_contact_owner_fields(user, contact):
        touched = sorted(
            field
            for field in OWNER_FIELDS & set(changes)
            if changes[field] != getattr(contact, field)
        )
        if touched:
            raise PermissionDenied(
                "Only the contact's owner, their manager or an admin changes "
                + ", ".join(field.replace("_", " ") for field in touched)
                + "."
            )
    basis_changed = any(
        field in changes and changes[field] != getattr(contact, field)
        for field in ("lawful_basis", "lawful_basis_on")
    )
    source_given = changes.get("lawful_basis_source", contact.lawful_basis_source) != (
        contact.lawful_basis_source
    )
    if basis_changed and not source_given and user is not None:
        changes["lawful_basis_source"] = f"changed by {user}"
    if "tags" in changes:
        changes["tags"] = _tags_clean(changes["tags"])
    if "roles" in changes:
        changes["roles"] = list(dict.fromkeys(changes["roles"]))
    moved = ("organization" in changes and changes["organization"] != contact.organization) or (
        "title" in changes and changes["title"].strip() != contact.title
    )
    for field, value in changes.items():
        setattr(contact, field, value.strip() if isinstance(value, str) else value)
    if Contact.Role.CANDIDATE in contact.roles:
        contact.was_candidate = True
    if "lawful_basis_on" in changes:
        _lawful_basis_check(contact)
    contact.full_clean(exclude=["sort_name"])
    contact.save()
    if moved:
        _employment_move(contact, moved_on=moved_on or timezone.localdate())
    contact_search_refresh([contact.pk])
    return contact


@transaction.atomic
def contact_lawful_basis_renew(*, contact: Contact, user: User) -> Contact:
    """The owner (their manager, an admin) states after a retention review that the contact's
    lawful basis still holds: it holds from today, "reviewed by <user>" (on the audit trail)."""
    if not can_review_lawful_basis(user, contact):
        raise PermissionDenied(
            "Only the contact's owner, their manager or an admin reviews their lawful basis."
        )
    return contact_lawful_basis_record(
        contact=contact, basis=contact.lawful_basis, source=f"reviewed by {user}"
    )


@transaction.atomic
def contact_lawful_basis_record(*, contact: Contact, basis: str, source: str) -> Contact:
    """A lawful basis that holds from today: a review renewed it, or the person consented (the
    re-consent email's page, followups.consent). Whoever records it has checked who may."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.lawful_basis = basis
    contact.lawful_basis_on = timezone.localdate()
    contact.lawful_basis_source = source.strip()[:200]
    contact.full_clean(exclude=["sort_name"])
    contact.save(
        update_fields=["lawful_basis", "lawful_basis_on", "lawful_basis_source", "updated_at"]
    )
    return contact


def _lawful_basis_check(contact: Contact) -> None:
    if contact.lawful_basis_on and contact.lawful_basis_on > timezone.localdate():
        raise ValidationError({"lawful_basis_on": "A lawful basis cannot start in the future."})


def _employment_open(contact: Contact, *, started_on: date) -> Employment:
    employment = Employment(
        contact=contact,
        organization=contact.organization,
        organization_name=contact.organization.name if contact.organization else "",
        title=contact.title,
        started_on=started_on,
    )
    employment.full_clean()
    employment.save()
    return employment


def _employment_move(contact: Contact, *, moved_on: date) -> None:
    current = contact.employments.filter(ended_on__isnull=True).first()
    if current is not None:
        if current.started_on is not None and current.started_on > moved_on:
            raise ValidationError(
                {
                    "moved_on": f"The current position started on {current.started_on}; "
                    f"a move on {moved_on} would end it before it began."
                }
            )
        current.ended_on = moved_on
        current.save(update_fields=["ended_on", "updated_at"])
    if contact.organization is not None or contact.title:
        _employment_open(contact, started_on=moved_on)


def _tags_clean(tags: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(tag.strip().lower() for tag in tags if (tag or "").strip()))


# --- facts ---------------------------------------------------------------------------------------


@transaction.atomic
def fact_create(
    *,
    contact: Contact,
    text: str,
    category: str = Fact.Category.OTHER,
    author: User | None = None,
    learned_on: date | None = None,
    pinned: bool = False,
    sensitive: bool | None = None,
) -> Fact:
    """Remember a fact; `sensitive=None` makes it sensitive when its category is
    (Fact.SENSITIVE_CATEGORIES)."""
    fact = Fact(
        contact=contact,
        text=text.strip(),
        category=category,
        author=author,
        learned_on=learned_on or timezone.localdate(),
        pinned=pinned,
        sensitive=category in Fact.SENSITIVE_CATEGORIES if sensitive is None else sensitive,
    )
    fact.full_clean()
    fact.save()
    contact_search_refresh([contact.pk])
    return fact


@transaction.atomic
def fact_update(*, fact: Fact, user: User | None = None, **changes: Any) -> Fact:
    """Change a fact. Anyone who sees it pins or unpins it; its text, category, date and
    sensitivity are changed by whoever wrote it down, their manager or an admin (`user=None`:
    the system)."""
    unknown = set(changes) - {"text", "category", "learned_on", "pinned", "sensitive"}
    if unknown:
        raise ValueError(f"fact_update does not change {sorted(unknown)}")
    content = {field for field in changes if field != "pinned"}
    if user is not None and content and not can_change_fact(user, fact):
        raise PermissionDenied(
            "Only whoever wrote a fact down, their manager or an admin edits it."
        )
    if changes.get("category") in Fact.SENSITIVE_CATEGORIES and "sensitive" not in changes:
        changes["sensitive"] = True
    for field, value in changes.items():
        setattr(fact, field, value.strip() if isinstance(value, str) else value)
    fact.full_clean()
    fact.save()
    contact_search_refresh([fact.contact_id])
    return fact


@transaction.atomic
def fact_delete(*, fact: Fact, user: User) -> None:
    if not can_delete_fact(user, fact):
        raise PermissionDenied("Only whoever wrote a fact down, a manager or an admin deletes it.")
    contact_id = fact.contact_id
    fact.delete()
    contact_search_refresh([contact_id])
