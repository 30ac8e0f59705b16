"""What relationships holds about one person, for a subject-access export and an erasure
(crm.privacy): their relationship, their timeline and their connections. Timeline rows keep
their kind, direction, recruiter and time (the dashboards count them); their words go."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from contacts.models import Contact
from core.redaction import ERASED, Markers
from relationships.models import Connection, Interaction, Relationship


def subject_rows(contact: Contact) -> dict[str, QuerySet]:
    return {
        "relationship": Relationship.objects.filter(contact=contact),
        "interactions": Interaction.objects.filter(contact=contact).order_by("occurred_at", "id"),
        "connections": Connection.objects.filter(
            Q(from_contact=contact) | Q(to_contact=contact)
        ).order_by("id"),
    }


def subject_erase(*, contact: Contact) -> None:
    Interaction.objects.filter(contact=contact).update(summary=ERASED, body="")
    Connection.objects.filter(Q(from_contact=contact) | Q(to_contact=contact)).update(note="")


def mentions_redact(*, contact_ids: Iterable[int], markers: Markers) -> int:
    """Blot the person out of other contacts' timeline rows that mention them (a client's copy
    of a digest naming the candidates waiting for feedback); how many rows changed."""
    ids = list(contact_ids)
    if not ids or not markers:
        return 0
    condition = Q()
    for value in markers.values:
        condition |= Q(summary__icontains=value) | Q(body__icontains=value)
    rows = list(Interaction.objects.filter(condition, contact_id__in=ids))
    for row in rows:
        row.summary = markers.redact_text(row.summary)[:300]
        row.body = markers.redact_text(row.body)
    Interaction.objects.bulk_update(rows, ["summary", "body"])
    return len(rows)
