"""Keeping an uploaded CSV between its preview and the confirmed import (ContactImport)."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from contacts.importing.reading import (
    NO_ROWS_ERROR,
    ImportFileError,
    mapping_guess,
    table_read,
    text_decode,
)
from contacts.importing.writing import ImportResult
from contacts.models import ContactImport

FILE_NAME_MAX = 255
# An upload not imported is let go after this long (crm's beat runs contacts.import_files_expire).
FILE_KEEP = timedelta(days=1)


def rows_over_limit_error(limit: int) -> str:
    return (
        f"The file has more than {limit:,} contacts; the limit here is {limit:,}. Split it, or "
        "ask an admin to run `manage.py import_contacts` with it."
    )


@transaction.atomic
def contact_import_stage(
    *,
    file_name: str,
    content: bytes,
    created_by: User,
    on_duplicate: str = ContactImport.OnDuplicate.SKIP,
) -> ContactImport:
    """Keep an upload for its preview. ValidationError on "file" when it is unreadable, empty
    or has no rows under its header: there is nothing to map or preview then."""
    try:
        text = text_decode(content)
        table = table_read(text)
        if not table.has_rows():
            raise ImportFileError(NO_ROWS_ERROR)
        limit = settings.CONTACT_IMPORT_MAX_ROWS
        if next(islice(table.rows(), limit, None), None) is not None:
            raise ImportFileError(rows_over_limit_error(limit))
    except ImportFileError as error:
        raise ValidationError({"file": error.message}) from error
    contact_import = ContactImport(
        file_name=file_name[:FILE_NAME_MAX],
        content=text,
        mapping=mapping_guess(table.headers),
        on_duplicate=on_duplicate,
        created_by=created_by,
    )
    contact_import.full_clean()
    contact_import.save()
    return contact_import


@transaction.atomic
def contact_import_remap(
    *,
    contact_import: ContactImport,
    mapping: Sequence[str] | None = None,
    on_duplicate: str | None = None,
) -> ContactImport:
    """Change the mapping or the duplicate policy of an import not yet done."""
    if contact_import.status == ContactImport.Status.IMPORTED:
        raise ValidationError("This file has already been imported.")
    if mapping is not None:
        contact_import.mapping = list(mapping)
    if on_duplicate is not None:
        contact_import.on_duplicate = on_duplicate
    contact_import.full_clean()
    contact_import.save(update_fields=["mapping", "on_duplicate", "updated_at"])
    return contact_import


@transaction.atomic
def contact_import_record(*, contact_import: ContactImport, result: ImportResult) -> ContactImport:
    """Keep a preview's or an import's report; once imported, the file itself is let go."""
    contact_import.result = result.summary()
    if result.written:
        contact_import.status = ContactImport.Status.IMPORTED
        contact_import.content = ""
    contact_import.full_clean()
    contact_import.save()
    return contact_import


def contact_import_files_expire(*, now: datetime | None = None) -> int:
    """Let go of the files uploaded more than a day ago and never imported (their reports stay):
    how many. An imported file is let go at once (contact_import_record)."""
    now = now or timezone.now()
    return (
        ContactImport.objects.filter(updated_at__lt=now - FILE_KEEP)
        .exclude(content="")
        .update(content="", updated_at=now)
    )
