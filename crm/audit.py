"""The audit trail (README, "Privacy and security"): django-auditlog records who changed what on
the records below, with the actor from AuditlogMiddleware. Sensitive values are masked when they
are written down: a fact's text entirely, a contact's emails and phones partly, a token's key
and a user's password never recorded. Entries older than AUDIT_RETENTION_DAYS are deleted by the
daily beat task crm.audit_prune.

The History pages (crm.views) read a contact's or a job's entries with `history_for_contact` and
`history_for_job`: one query each, capped at HISTORY_LIMIT newest entries."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import ApiToken, User
from contacts.models import Contact, Fact
from followups.models import Message, MessageTemplate, Policy
from jobs.models import Candidacy, Job
from relationships.models import Relationship

HISTORY_LIMIT = 200
HIDDEN = "[hidden]"


def mask_all(value: str) -> str:
    """auditlog's mask for values not to be read back at all (a fact's text may be sensitive)."""
    return HIDDEN if value not in ("", "None") else value


def audit_register() -> None:
    """Called once from crm.apps.CrmConfig.ready()."""
    mask_all_path = "crm.audit.mask_all"
    auditlog.register(
        Contact,
        exclude_fields=["search_vector", "phone_keys", "linkedin_key", "sort_name", "updated_at"],
        mask_fields=["emails", "phones"],
    )
    auditlog.register(
        Fact, exclude_fields=["updated_at"], mask_fields=["text"], mask_callable=mask_all_path
    )
    auditlog.register(Relationship, exclude_fields=["updated_at"])
    auditlog.register(Job, exclude_fields=["updated_at", "search_vector"])
    auditlog.register(Candidacy, exclude_fields=["updated_at"])
    auditlog.register(
        Message,
        include_fields=[
            "status",
            "owner",
            "recipient",
            "subject",
            "send_after",
            "skip_reason",
            "skipped_by",
        ],
        mask_fields=["recipient"],
    )
    auditlog.register(Policy)
    auditlog.register(MessageTemplate, exclude_fields=["updated_at"])
    auditlog.register(User, exclude_fields=["password", "last_login"])
    auditlog.register(Token, mask_fields=["key"], mask_callable=mask_all_path)
    auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at", "updated_at"])


@dataclass(frozen=True)
class HistoryRow:
    entry: LogEntry
    what: str
    changes: list[tuple[str, str, str]]


def _content_types(*models: type) -> dict[type, ContentType]:
    return ContentType.objects.get_for_models(*models)


def _rows(entries: Any) -> list[HistoryRow]:
    rows = []
    for entry in entries:
        changes = [
            (field, _shown(values[0]), _shown(values[1]))
            for field, values in (entry.changes_dict or {}).items()
            if isinstance(values, list | tuple) and len(values) == 2  # noqa: PLR2004
        ]
        model = entry.content_type.model_class()
        label = model._meta.verbose_name.capitalize() if model else entry.content_type.model
        rows.append(HistoryRow(entry=entry, what=f"{label}: {entry.object_repr}", changes=changes))
    return rows


def _shown(value: Any) -> str:
    return "" if value in (None, "None") else str(value)


def _entries(condition: Q) -> list[HistoryRow]:
    entries = (
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")[:HISTORY_LIMIT]
    )
    return _rows(entries)


def history_for_contact(contact: Contact) -> list[HistoryRow]:
    """The contact's own entries, its facts' (even deleted ones), relationship's, candidacies'
    and messages', newest first."""
    return _entries(contact_entries_condition(contact))


def contact_entries(contact: Contact) -> QuerySet[LogEntry]:
    """Every entry about the contact's record (those of `history_for_contact`, all of them):
    what a subject-access export shows and an erasure anonymises."""
    return LogEntry.objects.filter(contact_entries_condition(contact)).order_by("timestamp", "id")


def contact_entries_condition(contact: Contact) -> Q:
    types = _content_types(Contact, Fact, Relationship, Candidacy, Message)
    return (
        Q(content_type=types[Contact], object_id=contact.pk)
        | Q(
            content_type__in=[types[Fact], types[Relationship]],
            additional_data__contact_id=contact.pk,
        )
        | Q(
            content_type=types[Candidacy],
            object_id__in=Candidacy.objects.filter(contact_id=contact.pk).values("pk"),
        )
        | Q(
            content_type=types[Message],
            object_id__in=Message.objects.filter(contact_id=contact.pk).values("pk"),
        )
    )


def history_for_job(job: Job) -> list[HistoryRow]:
    """The job's own entries, its candidacies' and messages', newest first."""
    types = _content_types(Job, Candidacy, Message)
    return _entries(
        Q(content_type=types[Job], object_id=job.pk)
        | Q(
            content_type=types[Candidacy],
            object_id__in=Candidacy.objects.filter(job_id=job.pk).values("pk"),
        )
        | Q(
            content_type=types[Message],
            object_id__in=Message.objects.filter(job_id=job.pk).values("pk"),
        )
    )


def audit_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the entries older than AUDIT_RETENTION_DAYS; how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = LogEntry.objects.filter(timestamp__lt=cutoff).delete()
    return deleted
