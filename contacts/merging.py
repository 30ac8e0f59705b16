"""Merging two contacts: everything that points at the duplicate ends up on the survivor.

Contacts cannot know the apps above it, so the merge is generic: every foreign key and
many-to-many that points at Contact, in any app, is moved to the survivor. An app whose unique
constraints could collide (one relationship per contact, one active candidacy per job...) registers
a resolver in its AppConfig.ready(); resolvers run first and settle those rows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from contacts.models import Contact
from contacts.search_index import contact_search_refresh
from contacts.services import contact_clean_identities

MergeResolver = Callable[[Contact, Contact], None]
_resolvers: dict[str, MergeResolver] = {}


def merge_resolver_register(name: str, resolver: MergeResolver) -> None:
    """`resolver(survivor, duplicate)` runs inside the merge's transaction, before the rows move."""
    _resolvers[name] = resolver


@dataclass
class MergeResult:
    survivor: Contact
    duplicate_name: str
    duplicate_id: int
    moved: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def contact_merge(*, survivor: Contact, duplicate: Contact) -> MergeResult:
    """Fold `duplicate` into `survivor`, then delete it. Nothing keeps pointing at it."""
    if survivor.pk == duplicate.pk:
        raise ValidationError("A contact cannot be merged into itself.")
    # Lock both rows in id order so two merges of the same pair cannot interleave.
    locked = {
        c.pk: c
        for c in Contact.objects.select_for_update()
        .filter(pk__in=[survivor.pk, duplicate.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise ValidationError("One of the two contacts no longer exists.")
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    result = MergeResult(survivor, duplicate.full_name, duplicate.pk)

    _fields_merge(survivor, duplicate)
    _current_position_settle(survivor, duplicate)
    for resolver in _resolvers.values():
        resolver(survivor, duplicate)
    result.moved = _references_move(survivor, duplicate)
    duplicate.delete()
    survivor.full_clean(exclude=["sort_name"])
    survivor.save()
    contact_search_refresh([survivor.pk])
    return result


def _fields_merge(survivor: Contact, duplicate: Contact) -> None:
    identities = contact_clean_identities(
        emails=[*survivor.emails, *duplicate.emails],
        phones=[*survivor.phones, *duplicate.phones],
        linkedin_url=survivor.linkedin_url or duplicate.linkedin_url,
    )
    for name, value in identities.items():
        setattr(survivor, name, value)
    for name in ("last_name", "title", "source", "location"):
        if not getattr(survivor, name):
            setattr(survivor, name, getattr(duplicate, name))
    if survivor.organization_id is None:
        survivor.organization_id = duplicate.organization_id
    survivor.roles = list(dict.fromkeys([*survivor.roles, *duplicate.roles]))
    survivor.tags = list(dict.fromkeys([*survivor.tags, *duplicate.tags]))
    survivor.was_candidate = survivor.was_candidate or duplicate.was_candidate
    # The more careful wish wins: if either record says "don't", we don't.
    survivor.email_opt_out = survivor.email_opt_out or duplicate.email_opt_out
    survivor.do_not_contact = survivor.do_not_contact or duplicate.do_not_contact


def _current_position_settle(survivor: Contact, duplicate: Contact) -> None:
    """One current position per contact: the survivor's stays; the duplicate's is closed."""
    if not survivor.employments.filter(ended_on__isnull=True).exists():
        return
    today = timezone.localdate()
    for employment in duplicate.employments.filter(ended_on__isnull=True):
        employment.ended_on = max(today, employment.started_on or today)
        employment.save(update_fields=["ended_on", "updated_at"])


def _references_move(survivor: Contact, duplicate: Contact) -> dict[str, int]:
    moved: dict[str, int] = {}
    for relation in Contact._meta.related_objects:
        label = relation.related_model._meta.label
        if relation.many_to_many:
            through = relation.through
            fk_name = next(
                f.name
                for f in through._meta.get_fields()
                if isinstance(f, models.ForeignKey) and f.related_model is Contact
            )
            count = through.objects.filter(**{fk_name: duplicate}).update(**{fk_name: survivor})
        else:
            manager = relation.related_model._base_manager
            count = manager.filter(**{relation.field.name: duplicate}).update(
                **{relation.field.name: survivor}
            )
        if count:
            moved[label] = moved.get(label, 0) + count
    return moved
