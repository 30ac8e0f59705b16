"""The subject-access export: everything Rapport holds about one person, by kind, as JSON-ready
values (the JSON file and the readable page show the same thing). Each app lists its own rows
about the person (`<app>.privacy.subject_rows`); crm adds the uploads that mention them and the
audit trail's entries about their record. The export itself goes on the audit trail."""

import json
from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from contacts import privacy as contacts_privacy
from contacts.models import Contact
from core.redaction import Markers
from crm import audit
from crm.privacy.rules import can_export_person
from followups import privacy as followups_privacy
from jobs import privacy as jobs_privacy
from relationships import privacy as relationships_privacy

# Derived columns (search documents, match keys) say nothing the export does not already say.
DERIVED_FIELDS = frozenset({"search_vector", "phone_keys", "linkedin_key", "sort_name"})


def person_markers(contact: Contact, addresses: Iterable[str] = ()) -> Markers:
    """What identifies the person in other rows' free text: full name, addresses, phones,
    LinkedIn URL (not a first name alone: it would match other people)."""
    return Markers(
        [contact.full_name, *contact.emails, *addresses, *contact.phones, contact.linkedin_url]
    )


def person_sections(contact: Contact) -> dict[str, QuerySet]:
    """Each kind of row about the person and its query, in the order the export shows them."""
    return {
        **contacts_privacy.subject_rows(contact),
        **relationships_privacy.subject_rows(contact),
        **jobs_privacy.subject_rows(contact),
        **followups_privacy.subject_rows(contact),
    }


def _rows(queryset: QuerySet) -> list[dict[str, Any]]:
    fields = [
        field.attname
        for field in queryset.model._meta.concrete_fields
        if field.name not in DERIVED_FIELDS
    ]
    return list(queryset.values(*fields))


def _import_rows(contact: Contact, markers: Markers) -> list[dict[str, Any]]:
    return [
        {
            "id": upload.pk,
            "file_name": upload.file_name,
            "status": upload.status,
            "created_at": upload.created_at,
            "lines": [line for line in upload.content.splitlines() if markers.found_in(line)],
        }
        for upload in contacts_privacy.imports_mentioning(markers)
    ]


def _audit_rows(contact: Contact) -> list[dict[str, Any]]:
    actions = dict(LogEntry.Action.choices)
    return [
        {
            "id": entry.pk,
            "timestamp": entry.timestamp,
            "action": str(actions.get(entry.action, entry.action)),
            "record": entry.content_type.model,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "changes": entry.changes,
            "changes_text": entry.changes_text,
            "actor_id": entry.actor_id,
        }
        for entry in audit.contact_entries(contact).select_related("content_type")
    ]


def person_export(*, actor: User, contact: Contact) -> dict[str, Any]:
    """Every row about the person by kind (JSON-ready: dates as ISO 8601 strings), with when
    and for whom it was made. PermissionDenied unless `actor` is the owner, their manager or an
    admin."""
    if not can_export_person(actor, contact):
        raise PermissionDenied("Only the owner, their manager or an admin exports a person.")
    markers = person_markers(contact, followups_privacy.subject_addresses(contact))
    kinds: dict[str, list[dict[str, Any]]] = {
        kind: _rows(queryset) for kind, queryset in person_sections(contact).items()
    }
    kinds["imports"] = _import_rows(contact, markers)
    kinds["audit_entries"] = _audit_rows(contact)
    export = {
        "contact_id": contact.pk,
        "exported_at": timezone.now(),
        "exported_by": actor.pk,
        "counts": {kind: len(rows) for kind, rows in kinds.items()},
        "kinds": kinds,
    }
    LogEntry.objects.log_create(
        contact,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        changes_text="Subject-access export",
    )
    return json.loads(json.dumps(export, cls=DjangoJSONEncoder))


def person_erasure_counts(contact: Contact) -> dict[str, int]:
    """How many rows of each kind an erasure will anonymise (for its confirmation page)."""
    counts = {kind: queryset.count() for kind, queryset in person_sections(contact).items()}
    counts["audit_entries"] = audit.contact_entries(contact).count()
    return {kind: count for kind, count in counts.items() if count}
