"""Keeping an uploaded CSV between its preview and the confirmed import (ContactImport).

The upload only keeps the file: its reading and checking, the preview, is the worker's
(contacts.importing.previewing, the task contacts.import_preview), however big the file.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone

from accounts.models import User
from contacts.importing.previewing import contact_import_read_enqueue
from contacts.importing.reading import (
    HEADER_SCAN_CHARS,
    NO_ROWS_ERROR,
    ImportFileError,
    mapping_guess,
    table_read,
    text_chunks,
)
from contacts.importing.writing import ImportResult
from contacts.models import ContactImport

FILE_NAME_MAX = 255
# An upload not imported is let go after this long (crm's beat runs contacts.import_files_expire).
FILE_KEEP = timedelta(days=1)
# The upload's first characters, where its header is looked for, are checked before it is kept;
# the rest is written this many characters at a time.
HEAD_CHARS = HEADER_SCAN_CHARS
WRITE_CHARS = 1024 * 1024


@transaction.atomic
def contact_import_stage(
    *,
    file_name: str,
    chunks: Iterable[bytes],
    created_by: User,
    on_duplicate: str = ContactImport.OnDuplicate.SKIP,
) -> ContactImport:
    """Keep an upload, decoded and written a piece at a time, and queue its preview: the import
    is `reading` until the worker has read it. ValidationError on "file" when it is over the
    size limit, cannot be decoded, is empty or has no rows under its header (seen in its first
    lines): there is nothing to map or preview then, and nothing is kept."""
    pieces = text_chunks(chunks, max_bytes=settings.CONTACT_IMPORT_MAX_BYTES)
    try:
        head, whole = _head_take(pieces)
        headers = _headers_check(head, whole=whole)
        contact_import = ContactImport(
            file_name=file_name[:FILE_NAME_MAX],
            content=head,
            mapping=mapping_guess(headers),
            on_duplicate=on_duplicate,
            status=ContactImport.Status.READING,
            created_by=created_by,
        )
        contact_import.full_clean()
        contact_import.save()
        _content_append(contact_import.pk, pieces)
    except ImportFileError as error:
        raise ValidationError({"file": error.message}) from error
    contact_import_read_enqueue(contact_import.pk)
    return contact_import


def _head_take(pieces: Iterator[str]) -> tuple[str, bool]:
    """The first HEAD_CHARS or so of the text, and whether that is all of it."""
    head: list[str] = []
    size = 0
    for piece in pieces:
        head.append(piece)
        size += len(piece)
        if size >= HEAD_CHARS:
            return "".join(head), False
    return "".join(head), True


def _headers_check(head: str, *, whole: bool) -> list[str]:
    """The header of a file from its first lines; ImportFileError when it has no rows under it.
    A row cut off at the end of a head that is not the whole file is the worker's to judge."""
    table = table_read(head)
    try:
        if not table.has_rows():
            raise ImportFileError(NO_ROWS_ERROR)
    except ImportFileError:
        if whole:
            raise
    return table.headers


def _content_append(contact_import_id: int, pieces: Iterator[str]) -> None:
    """Write the rest of the file about WRITE_CHARS at a time: the request never holds all of it
    (a 10 MB file is ten UPDATEs of a row no one else sees yet)."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= WRITE_CHARS:
            _content_write(contact_import_id, "".join(batch))
            batch, size = [], 0
    if size:
        _content_write(contact_import_id, "".join(batch))


def _content_write(contact_import_id: int, text: str) -> None:
    ContactImport.objects.filter(pk=contact_import_id).update(
        content=Concat(F("content"), Value(text))
    )


@transaction.atomic
def contact_import_reread(
    *, contact_import: ContactImport, mapping: Sequence[str], on_duplicate: str
) -> ContactImport:
    """Preview a previewed file again with another mapping or policy: `reading` again, out of
    the worker. A second click while it reads, or on an import done, changes nothing."""
    claimed = ContactImport.objects.filter(
        pk=contact_import.pk, status=ContactImport.Status.PREVIEWED
    ).update(
        status=ContactImport.Status.READING,
        rows_read=0,
        # None (not known) when the last preview read no row: its mapping had no first name.
        rows_total=contact_import.result.get("rows") or None,
        updated_at=timezone.now(),
    )
    if claimed:
        contact_import = contact_import_remap(
            contact_import=contact_import, mapping=mapping, on_duplicate=on_duplicate
        )
        contact_import_read_enqueue(contact_import.pk)
    contact_import.refresh_from_db()
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
