"""The erasure of a person: anonymised everywhere in one transaction, in place, so every count
and dashboard figure stays what it was (README, "Privacy and security").

Each app forgets what it holds (`<app>.privacy.subject_erase`) and blots the person out of the
rows about others that name them (`mentions_redact`); crm anonymises the audit trail's entries
about the record (values of free-text fields, names) and writes the erasure itself there: who,
when and why, without the erased data. Nothing here saves a registered model, so the
anonymising writes put nothing on the trail."""

from typing import Any

from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from contacts import privacy as contacts_privacy
from contacts.models import Contact
from core.redaction import ERASED, Markers
from crm import audit
from crm.privacy.access import person_markers
from crm.privacy.rules import can_erase_person
from followups import privacy as followups_privacy
from jobs import privacy as jobs_privacy
from relationships import privacy as relationships_privacy

REASON_MAX_LENGTH = 500
# Values of these kinds of fields say what happened, not who it happened to: they stay.
KEPT_VALUE_FIELDS = (
    models.BooleanField,
    models.DateField,
    models.IntegerField,
    models.ForeignKey,
    models.UUIDField,
)


def _value_kept(model: type[models.Model] | None, name: str) -> bool:
    if model is None:
        return False
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "choices", None)) or isinstance(field, KEPT_VALUE_FIELDS)


def _changes_erased(model: type[models.Model] | None, changes: Any) -> Any:
    if not isinstance(changes, dict):
        return None
    return {
        name: values
        if _value_kept(model, name)
        else ([ERASED, ERASED] if isinstance(values, list) else ERASED)
        for name, values in changes.items()
    }


def _audit_entries_erase(contact: Contact) -> None:
    """The entries about the record keep who changed which field when, and lose the record's
    name and the free-text values."""
    entries = list(audit.contact_entries(contact).select_related("content_type"))
    for entry in entries:
        model = entry.content_type.model_class()
        entry.object_repr = ERASED
        entry.changes = _changes_erased(model, entry.changes)
        entry.changes_text = ""
        entry.serialized_data = None
        if isinstance(entry.additional_data, dict):
            entry.additional_data = {
                key: value
                for key, value in entry.additional_data.items()
                if isinstance(value, int) and not isinstance(value, bool)
            }
    LogEntry.objects.bulk_update(
        entries, ["object_repr", "changes", "changes_text", "serialized_data", "additional_data"]
    )
    AdminLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Contact), object_id=str(contact.pk)
    ).update(object_repr=ERASED, change_message="")


def _erasure_record(*, actor: User, contact: Contact, reason: str) -> LogEntry:
    return LogEntry.objects.log_create(
        contact,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=actor,
        changes={"erased": ["", reason]},
        changes_text=f"Erased on request: {reason}",
        additional_data={"contact_id": contact.pk},
    )


def _others_redact(contact: Contact, markers: Markers) -> None:
    recipients = followups_privacy.mentions_redact(
        contact=contact, job_ids=jobs_privacy.subject_job_ids(contact), markers=markers
    )
    relationships_privacy.mentions_redact(contact_ids=recipients - {contact.pk}, markers=markers)


@transaction.atomic
def person_erase(*, actor: User, contact: Contact, reason: str) -> Contact:
    """Anonymise the person everywhere; returns the anonymised contact. PermissionDenied unless
    `actor` manages the owner (or is an admin); ValidationError on "reason" without one."""
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("relationship__owner")
        .get(pk=contact.pk)
    )
    if not can_erase_person(actor, contact):
        raise PermissionDenied("Only the owner's manager or an admin erases a person.")
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why the person is erased (a request, a review)."})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"At most {REASON_MAX_LENGTH} characters."})
    addresses = followups_privacy.subject_addresses(contact)
    markers = person_markers(contact, addresses)
    names = (contact.first_name, contact.last_name)
    _others_redact(contact, markers)
    followups_privacy.subject_erase(contact=contact, addresses=addresses, now=timezone.now())
    jobs_privacy.subject_erase(contact=contact)
    relationships_privacy.subject_erase(contact=contact)
    contacts_privacy.subject_erase(contact=contact, markers=markers)
    _audit_entries_erase(contact)
    contact = Contact.objects.get(pk=contact.pk)
    # The reason is kept, but not the person in it ("Zebulon asked on the phone").
    reason_markers = Markers([*markers.values, *names])
    _erasure_record(actor=actor, contact=contact, reason=reason_markers.redact_text(reason))
    return contact
