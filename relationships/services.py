"""Writes to relationships, the timeline, connections and handoffs; and the contact flows that
span contacts and relationships (onboarding, merging), composed here because this layer sees both.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from contacts import merging
from contacts import services as contact_services
from contacts.models import Contact, Fact
from relationships.handoff_options import handoff_options_perform
from relationships.models import Connection, Handoff, Interaction, Relationship
from relationships.permissions import (
    can_change_relationship,
    can_give_contact,
    can_hand_off,
    can_merge,
)

# --- relationships -------------------------------------------------------------------------------


def relationship_create(
    *, contact: Contact, owner: User, tier: str = Relationship.Tier.B
) -> Relationship:
    now = timezone.now()
    cadence = Relationship.CADENCE_DAYS[Relationship.Tier(tier)]
    relationship = Relationship(
        contact=contact, owner=owner, tier=tier, cadence_days=cadence, next_touch_due=None
    )
    relationship.next_touch_due = relationship.next_touch_after(now)
    relationship.full_clean()
    relationship.save()
    return relationship


def relationship_bulk_create(
    *, contact_ids: Iterable[int], owner: User, tier: str = Relationship.Tier.B
) -> int:
    """Give every listed contact without an owner a relationship owned by `owner`; how many.

    One INSERT ... SELECT over the ids: an import gives thousands of contacts an owner at once.
    """
    ids = list(contact_ids)
    if not ids:
        return 0
    cadence = Relationship.CADENCE_DAYS[Relationship.Tier(tier)]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Relationship._meta.db_table}
                (created_at, updated_at, contact_id, owner_id, tier, cadence_days, next_touch_due)
            SELECT %s, %s, contact_id, %s, %s, %s, %s FROM unnest(%s::bigint[]) AS t(contact_id)
            ON CONFLICT (contact_id) DO NOTHING
            """,  # noqa: S608 - the table name is the model's, every value a parameter
            [now, now, owner.pk, tier, cadence, now + timedelta(days=cadence), ids],
        )
        return cursor.rowcount


def contact_owner_get(contact: Contact) -> User | None:
    """Who owns `contact` (None: nobody yet), for contacts.permissions."""
    relationship = (
        Relationship.objects.select_related("owner").filter(contact_id=contact.pk).first()
    )
    return relationship.owner if relationship is not None else None


@transaction.atomic
def relationship_update(
    *,
    relationship: Relationship,
    user: User,
    tier: str | None = None,
    cadence_days: int | None = None,
) -> Relationship:
    """Change tier and/or cadence; a new tier brings its cadence unless one is given."""
    if not can_change_relationship(user, relationship):
        raise PermissionDenied("Only the owner, a manager or an admin changes this relationship.")
    if tier is not None and tier != relationship.tier:
        relationship.tier = tier
        if cadence_days is None:
            cadence_days = Relationship.CADENCE_DAYS[Relationship.Tier(tier)]
    if cadence_days is not None:
        relationship.cadence_days = cadence_days
    relationship.next_touch_due = relationship.next_touch_after(
        relationship.last_touch_at or relationship.created_at or timezone.now()
    )
    relationship.full_clean()
    relationship.save()
    return relationship


# --- contacts with their relationship ------------------------------------------------------------


@transaction.atomic
def contact_onboard(
    *,
    owner: User,
    user: User | None = None,
    tier: str = Relationship.Tier.B,
    **contact_fields: Any,
) -> Contact:
    """A new contact and its relationship, owned by `owner`; `user` creates it (None: the
    system). Its lawful basis is sourced "added by <user>" unless the fields say otherwise."""
    if user is not None and not can_give_contact(user, owner):
        raise PermissionDenied("Only managers and admins give a new contact to another recruiter.")
    if not (contact_fields.get("lawful_basis_source") or "").strip():
        contact_fields["lawful_basis_source"] = f"added by {user or owner}"
    contact = contact_services.contact_create(**contact_fields)
    relationship_create(contact=contact, owner=owner, tier=tier)
    return contact


@transaction.atomic
def contact_merge(*, survivor: Contact, duplicate: Contact, user: User) -> merging.MergeResult:
    """Merge `duplicate` into `survivor` and say so on the survivor's timeline."""
    if not can_merge(user, survivor, duplicate):
        raise PermissionDenied(
            "Only a manager, an admin or the recruiter who owns both contacts merges them."
        )
    result = merging.contact_merge(survivor=survivor, duplicate=duplicate)
    moved = ", ".join(f"{count} {label.split('.')[1]}" for label, count in result.moved.items())
    interaction_log(
        contact=result.survivor,
        kind=Interaction.Kind.MERGE,
        direction=Interaction.Direction.INTERNAL,
        summary=f"Merged duplicate “{result.duplicate_name}” (#{result.duplicate_id}) into this",
        body=f"Moved: {moved}." if moved else "Nothing else pointed at the duplicate.",
        recruiter=user,
    )
    return result


def relationship_merge_resolve(survivor: Contact, duplicate: Contact) -> None:
    """Settle what the generic merge cannot: one relationship per contact, unique connections.
    Registered with contacts.merging in RelationshipsConfig.ready()."""
    theirs = Relationship.objects.select_for_update().filter(contact=duplicate).first()
    ours = Relationship.objects.select_for_update().filter(contact=survivor).first()
    if theirs and ours:
        touches = [t for t in (ours.last_touch_at, theirs.last_touch_at) if t]
        if touches:
            ours.last_touch_at = max(touches)
            ours.next_touch_due = ours.next_touch_after(ours.last_touch_at)
            ours.save(update_fields=["last_touch_at", "next_touch_due", "updated_at"])
        theirs.delete()
    pair = Q(from_contact=survivor, to_contact=duplicate) | Q(
        from_contact=duplicate, to_contact=survivor
    )
    Connection.objects.filter(pair).delete()
    for link in Connection.objects.filter(from_contact=duplicate):
        if Connection.objects.filter(
            from_contact=survivor, to_contact=link.to_contact_id, kind=link.kind
        ).exists():
            link.delete()
    for link in Connection.objects.filter(to_contact=duplicate):
        if Connection.objects.filter(
            from_contact=link.from_contact_id, to_contact=survivor, kind=link.kind
        ).exists():
            link.delete()


# --- the timeline --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One row for `interaction_bulk_log`: what happened to `contact`, by whom, when."""

    contact: Contact
    kind: str
    summary: str
    body: str = ""
    direction: str = Interaction.Direction.OUTBOUND
    recruiter: User | None = None
    occurred_at: datetime | None = None
    handoff: Handoff | None = None


# Later apps settle what a touch satisfies (an open keep-in-touch follow-up, a "call instead"):
# `listener(touches, clock_moved)` runs inside the timeline write's transaction, once per write,
# with the touches written (calls, emails, meetings, messages) and the ids of the contacts whose
# relationship clock they moved. A listener answers with one set-based statement, whatever the
# number of rows, so a relay batch stays a constant number of statements.
TouchListener = Callable[[Sequence[Interaction], set[int]], None]
_touch_listeners: dict[str, TouchListener] = {}


def touch_listener_register(name: str, listener: TouchListener) -> None:
    _touch_listeners[name] = listener


@transaction.atomic
def interaction_log(
    *,
    contact: Contact,
    kind: str,
    summary: str,
    body: str = "",
    direction: str = Interaction.Direction.OUTBOUND,
    recruiter: User | None = None,
    occurred_at: datetime | None = None,
    facts: Sequence[Fact] = (),
    handoff: Handoff | None = None,
) -> Interaction:
    """Write one timeline row (see `interaction_bulk_log`), remembering the facts it taught."""
    entry = TimelineEntry(
        contact=contact,
        kind=kind,
        summary=summary,
        body=body,
        direction=direction,
        recruiter=recruiter,
        occurred_at=occurred_at,
        handoff=handoff,
    )
    [interaction] = interaction_bulk_log(entries=[entry])
    if facts:
        interaction.facts.set(facts)
    return interaction


@transaction.atomic
def interaction_bulk_log(*, entries: Sequence[TimelineEntry]) -> list[Interaction]:
    """Write timeline rows: one INSERT for up to 2,000 rows. A touch (call, email, meeting,
    message) moves its relationship's clock, `last_touch_at` and `next_touch_due`, in one
    statement for all of them; a touch older than the last one does not move the clock back, and
    a contact without an owner gets the recruiter who touched them as owner (tier B). The touch
    listeners hear of the touches after that (see `touch_listener_register`)."""
    now = timezone.now()
    interactions = []
    for entry in entries:
        interaction = Interaction(
            contact=entry.contact,
            organization_id=entry.contact.organization_id,
            kind=entry.kind,
            direction=entry.direction,
            summary=entry.summary.strip(),
            body=entry.body,
            recruiter=entry.recruiter,
            occurred_at=entry.occurred_at or now,
            handoff=entry.handoff,
        )
        # The fields' own rules (choices, lengths, a summary); the foreign keys are the
        # instances given, checked by the database without a query per row.
        interaction.clean_fields(exclude=["contact", "organization", "recruiter", "handoff"])
        interactions.append(interaction)
    if not interactions:
        return []
    Interaction.objects.bulk_create(interactions, batch_size=2000)
    touches = [i for i in interactions if i.is_touch]
    if touches:
        clock_moved = _relationships_touch(touches, now=now)
        for listener in _touch_listeners.values():
            listener(touches, clock_moved)
    return interactions


TOUCH_SQL = f"""
INSERT INTO {Relationship._meta.db_table} AS r
    (created_at, updated_at, contact_id, owner_id, tier, cadence_days, last_touch_at,
     next_touch_due)
SELECT %(now)s, %(now)s, t.contact_id, COALESCE(t.owner_id, e.owner_id), %(tier)s, %(cadence)s,
    t.at, t.at + make_interval(days => %(cadence)s)
FROM unnest(%(contact_ids)s::bigint[], %(owner_ids)s::bigint[], %(ats)s::timestamptz[])
    AS t(contact_id, owner_id, at)
LEFT JOIN {Relationship._meta.db_table} e ON e.contact_id = t.contact_id
WHERE t.owner_id IS NOT NULL OR e.id IS NOT NULL
ORDER BY t.contact_id
ON CONFLICT (contact_id) DO UPDATE
SET last_touch_at = excluded.last_touch_at, updated_at = excluded.updated_at,
    next_touch_due = excluded.last_touch_at + make_interval(days => r.cadence_days)
WHERE r.last_touch_at IS NULL OR r.last_touch_at < excluded.last_touch_at
RETURNING r.contact_id
"""  # noqa: S608 - the table name is the model's, every value a parameter


def _relationships_touch(touches: Sequence[Interaction], *, now: datetime) -> set[int]:
    """Move the clocks of the touched relationships to their latest touch, in one upsert: the
    ones without a relationship and with a recruiter get one, owned by that recruiter. Returns
    the ids of the contacts whose clock moved."""
    latest: dict[int, Interaction] = {}
    for touch in touches:
        seen = latest.get(touch.contact_id)
        if seen is None or touch.occurred_at > seen.occurred_at:
            latest[touch.contact_id] = touch
    if not latest:
        return set()
    ordered = [latest[contact_id] for contact_id in sorted(latest)]
    tier = Relationship.Tier.B
    with connection.cursor() as cursor:
        cursor.execute(
            TOUCH_SQL,
            {
                "now": now,
                "tier": tier,
                "cadence": Relationship.CADENCE_DAYS[tier],
                "contact_ids": [touch.contact_id for touch in ordered],
                "owner_ids": [touch.recruiter_id for touch in ordered],
                "ats": [touch.occurred_at for touch in ordered],
            },
        )
        return {contact_id for (contact_id,) in cursor.fetchall()}


# --- connections ---------------------------------------------------------------------------------


@transaction.atomic
def connection_create(
    *,
    from_contact: Contact,
    to_contact: Contact,
    kind: str,
    note: str = "",
    user: User | None = None,
) -> Connection:
    connection = Connection(
        from_contact=from_contact,
        to_contact=to_contact,
        kind=kind,
        note=note.strip(),
        created_by=user,
    )
    connection.full_clean()
    connection.save()
    return connection


@transaction.atomic
def connection_delete(*, connection: Connection) -> None:
    connection.delete()


# --- handoffs ------------------------------------------------------------------------------------

# Later apps move their own open work with the relationships (follow-ups, jobs, messages):
# `mover(handoff, contact_ids)` runs inside the handoff's transaction.
HandoffMover = Callable[[Handoff, list[int]], None]
_handoff_movers: dict[str, HandoffMover] = {}


def handoff_mover_register(name: str, mover: HandoffMover) -> None:
    _handoff_movers[name] = mover


def _handoff_relationships(
    *,
    from_recruiter: User,
    to_recruiter: User,
    performed_by: User,
    contacts: Sequence[Contact] | None,
    lock: bool,
) -> tuple[QuerySet[Relationship], str]:
    """The relationships a handoff moves and its scope, or PermissionDenied / ValidationError
    when it may not happen."""
    if not can_hand_off(performed_by, from_recruiter):
        raise PermissionDenied("Recruiters hand off their own relationships; managers anyone's.")
    if from_recruiter.pk == to_recruiter.pk:
        raise ValidationError({"to_recruiter": "Choose another recruiter to hand off to."})
    if not to_recruiter.is_active:
        raise ValidationError({"to_recruiter": f"{to_recruiter} is not an active user."})
    relationships = Relationship.objects.filter(owner=from_recruiter)
    if lock:
        relationships = relationships.select_for_update()
    if contacts is not None:
        wanted = {contact.pk for contact in contacts}
        if not wanted:
            raise ValidationError({"contacts": "Choose at least one contact to hand off."})
        relationships = relationships.filter(contact_id__in=wanted)
        found = set(relationships.values_list("contact_id", flat=True))
        missing = wanted - found
        if missing:
            names = ", ".join(str(c) for c in contacts if c.pk in missing)
            raise ValidationError({"contacts": f"{from_recruiter} does not own: {names}."})
        scope = Handoff.Scope.ONE if len(wanted) == 1 else Handoff.Scope.SELECTION
    else:
        scope = Handoff.Scope.ALL
    return relationships, scope


def _owns_nothing(from_recruiter: User) -> ValidationError:
    return ValidationError({"contacts": f"{from_recruiter} owns no relationships to hand off."})


def relationship_handoff_check(
    *,
    from_recruiter: User,
    to_recruiter: User,
    performed_by: User,
    contacts: Sequence[Contact] | None = None,
) -> None:
    """Raise what relationship_handoff would raise, writing nothing: the handoff form asks
    before its confirm step shows what will move."""
    relationships, scope = _handoff_relationships(
        from_recruiter=from_recruiter,
        to_recruiter=to_recruiter,
        performed_by=performed_by,
        contacts=contacts,
        lock=False,
    )
    if scope == Handoff.Scope.ALL and not relationships.exists():
        raise _owns_nothing(from_recruiter)


@transaction.atomic
def relationship_handoff(
    *,
    from_recruiter: User,
    to_recruiter: User,
    performed_by: User,
    note: str = "",
    contacts: Sequence[Contact] | None = None,
    options: Mapping[str, Any] | None = None,
) -> Handoff:
    """Move relationships from one recruiter to another: the listed contacts, or all of them when
    `contacts` is None. Every moved contact gets a handoff entry on its timeline. `options` are
    the choices made for the handoff options later apps registered (by name, see
    relationships.handoff_options), performed after everything moved."""
    relationships, scope = _handoff_relationships(
        from_recruiter=from_recruiter,
        to_recruiter=to_recruiter,
        performed_by=performed_by,
        contacts=contacts,
        lock=True,
    )
    moved = list(relationships.select_related("contact").order_by("contact_id"))
    if not moved:
        raise _owns_nothing(from_recruiter)
    handoff = Handoff(
        from_recruiter=from_recruiter,
        to_recruiter=to_recruiter,
        performed_by=performed_by,
        scope=scope,
        note=note.strip(),
        relationship_count=len(moved),
    )
    handoff.full_clean()
    handoff.save()
    contact_ids = [relationship.contact_id for relationship in moved]
    Relationship.objects.filter(pk__in=[r.pk for r in moved]).update(
        owner=to_recruiter, updated_at=timezone.now()
    )
    summary = f"Handed off from {from_recruiter} to {to_recruiter}"
    interaction_bulk_log(
        entries=[
            TimelineEntry(
                contact=relationship.contact,
                kind=Interaction.Kind.HANDOFF,
                direction=Interaction.Direction.INTERNAL,
                summary=summary,
                body=handoff.note,
                recruiter=performed_by,
                handoff=handoff,
            )
            for relationship in moved
        ]
    )
    for mover in _handoff_movers.values():
        mover(handoff, contact_ids)
    handoff_options_perform(handoff, performed_by, options or {})
    return handoff
