"""The preview of an upload, out of the request: the worker (contacts.import_preview) reads and
checks the kept file as a dry run, saving how many rows it has read as it goes, and keeps the
report, or the reason the file cannot be read.

The page polls `rows_read` while the import is `reading`: each progress write is its own
statement in autocommit, outside any transaction, so it is seen at once.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from contacts.importing import writing
from contacts.models import ContactImport

logger = logging.getLogger(__name__)

READ_FAILED = (
    "Reading the file stopped after {rows:,} rows: something went wrong on our side. "
    "Upload it again; if it happens again, ask an admin."
)


def contact_import_read_enqueue(contact_import_id: int) -> None:
    """Queue the reading of an upload once it is committed: the worker must find it."""
    from contacts.tasks import import_preview  # contacts.tasks imports this module

    transaction.on_commit(lambda: import_preview.delay(contact_import_id))


def contact_import_read(*, contact_import_id: int) -> ContactImport | None:
    """Read and check an import that is `reading` and keep its preview: `previewed`, or `failed`
    with the file's error (its content and report let go: nothing half kept). None when there is
    nothing to read: the import is gone, or already read by another run of the task."""
    contact_import = ContactImport.objects.filter(
        pk=contact_import_id, status=ContactImport.Status.READING
    ).first()
    if contact_import is None:
        return None
    waiting = ContactImport.objects.filter(
        pk=contact_import_id, status=ContactImport.Status.READING
    )
    read = {"rows": 0}

    def rows_read(rows: int, *, done: bool = False) -> None:
        read["rows"] = rows
        total = {"rows_total": rows} if done else {}
        waiting.update(rows_read=rows, **total, updated_at=timezone.now())

    try:
        result = writing.contact_import(
            content=contact_import.content,
            mapping=contact_import.mapping,
            on_duplicate=contact_import.on_duplicate,
            dry_run=True,
            on_rows_read=rows_read,
            max_rows=settings.CONTACT_IMPORT_MAX_ROWS,
        )
    except Exception:  # the time limit, a lost database...: the page must not wait for ever
        logger.exception("Reading contact import %s failed", contact_import_id)
        _failed(waiting, READ_FAILED.format(rows=read["rows"]), rows_read=read["rows"])
    else:
        if result.unreadable:
            _failed(waiting, " ".join(result.file_errors), rows_read=result.rows)
        else:
            waiting.update(
                status=ContactImport.Status.PREVIEWED,
                result=result.summary(),
                rows_read=result.rows,
                rows_total=result.rows,
                error="",
                updated_at=timezone.now(),
            )
    contact_import.refresh_from_db()
    return contact_import


def _failed(waiting: QuerySet[ContactImport], error: str, *, rows_read: int) -> None:
    waiting.update(
        status=ContactImport.Status.FAILED,
        error=error,
        content="",
        result={},
        rows_read=rows_read,
        updated_at=timezone.now(),
    )
