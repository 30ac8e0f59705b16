"""Writes of market notes: create, update, confirm (reviewed: still true), retire. Each checks
the permission (market.permissions), cleans the whole note and saves nothing on an error."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Team, User
from market.models import REVIEW_AFTER, MarketNote
from market.permissions import can_change_note

EDITABLE_FIELDS = (
    "title", "body", "kind", "tags", "source", "source_url", "true_as_of", "review_by",
    "visibility", "role", "seniority", "region", "currency", "period", "p25", "median", "p75",
    "sample_size",
)  # fmt: skip
SALARY_FIELDS = ("role", "seniority", "region", "currency", "period", "p25", "median", "p75")


def _change_check(user: User, note: MarketNote) -> None:
    if not can_change_note(user, note):
        raise PermissionDenied("Only the note's author, their manager or an admin may change it.")


def _apply(note: MarketNote, fields: dict[str, Any], team: Team | None) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not a market note field: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(note, name, value)
    if note.visibility == MarketNote.Visibility.TEAM:
        note.team = team or note.team or note.author.team
    if note.kind != MarketNote.Kind.SALARY:
        for name in SALARY_FIELDS:
            setattr(note, name, None if name in ("p25", "median", "p75") else "")
        note.sample_size = None


@transaction.atomic
def note_create(
    *,
    author: User,
    title: str,
    true_as_of: datetime.date,
    team: Team | None = None,
    **fields: Any,
) -> MarketNote:
    """A new note by `author`; review_by defaults to 90 days after true_as_of. A team note is
    for `team` (another team's only for an admin), else the author's team."""
    if team is not None and team.pk != author.team_id and not author.is_admin:
        raise PermissionDenied("Only an admin writes notes for another team.")
    note = MarketNote(author=author, title="", true_as_of=true_as_of)
    _apply(note, {"title": title, **fields}, team)
    if note.review_by is None and note.true_as_of is not None:
        note.review_by = note.true_as_of + REVIEW_AFTER
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def note_update(
    *, note: MarketNote, user: User, team: Team | None = None, **fields: Any
) -> MarketNote:
    _change_check(user, note)
    note = MarketNote.objects.select_for_update().select_related("author").get(pk=note.pk)
    _apply(note, fields, team)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def note_confirm(*, note: MarketNote, user: User, today: datetime.date | None = None) -> MarketNote:
    """Reviewed and still true: due for review again 90 days from today."""
    _change_check(user, note)
    today = today or timezone.localdate()
    note = MarketNote.objects.select_for_update().get(pk=note.pk)
    if note.retired_at is not None:
        raise ValidationError("A retired note cannot be confirmed.")
    note.review_by = max(today, note.true_as_of) + REVIEW_AFTER
    note.full_clean()
    note.save(update_fields=["review_by", "updated_at"])
    return note


@transaction.atomic
def note_retire(*, note: MarketNote, user: User) -> MarketNote:
    """No longer true: kept with its history, never suggested again."""
    _change_check(user, note)
    note = MarketNote.objects.select_for_update().get(pk=note.pk)
    if note.retired_at is None:
        note.retired_at = timezone.now()
        note.save(update_fields=["retired_at", "updated_at"])
    return note
