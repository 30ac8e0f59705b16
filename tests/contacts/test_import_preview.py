"""The preview of an upload, read by the worker (contacts.import_preview): kept by the upload,
read with its progress saved as it goes, then previewed, or failed with nothing kept."""

import codecs
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.importing import ENCODING_ERROR, contact_import_stage
from contacts.importing.reading import rows_over_limit_error, text_chunks, text_decode
from contacts.models import Contact, ContactImport
from contacts.tasks import import_preview

pytestmark = pytest.mark.django_db

HEADER = b"First Name,Last Name,Email Address,Company,Position\n"


def people_csv(rows: int) -> bytes:
    return HEADER + b"".join(
        b"Person%d,Souza,person%d@mail.example,Acme %d,Data lead\n" % (n, n, n % 40)
        for n in range(rows)
    )


def staged(recruiter, content: bytes, captured) -> ContactImport:
    with captured(execute=False) as queued:
        contact_import = contact_import_stage(
            file_name="people.csv", chunks=[content], created_by=recruiter
        )
    assert len(queued) == 1
    return contact_import


def progress_saved(queries) -> list[tuple[int, int | None]]:
    """(rows_read, rows_total) of each progress write of the reading, in order."""
    saved = []
    for query in queries:
        sql = query["sql"]
        if sql.startswith('UPDATE "contacts_contactimport" SET "rows_read"'):
            read = int(re.search(r'"rows_read" = (\d+)', sql).group(1))
            total = re.search(r'"rows_total" = (\d+)', sql)
            saved.append((read, int(total.group(1)) if total else None))
    return saved


def test_import_stage_keeps_the_file_and_queues_its_reading(
    recruiter, django_capture_on_commit_callbacks
):
    content = people_csv(30_000)  # 1.7 MB: the head, then two writes
    chunks = [content[i : i + 65_536] for i in range(0, len(content), 65_536)]

    with django_capture_on_commit_callbacks(execute=False) as queued:
        contact_import = contact_import_stage(
            file_name="people.csv", chunks=iter(chunks), created_by=recruiter
        )

    contact_import.refresh_from_db()
    assert len(queued) == 1
    assert (contact_import.status, contact_import.rows_read, contact_import.rows_total) == (
        "reading", 0, None
    )  # fmt: skip
    assert contact_import.content == content.decode()
    assert contact_import.mapping == ["first_name", "last_name", "email", "organization", "title"]
    assert contact_import.result == {}


def test_import_stage_of_a_file_undecodable_past_its_head_keeps_nothing(recruiter):
    content = people_csv(5000) + "Jürgen,Müller\n".encode("latin-1")  # 290 kB
    chunks = [content[i : i + 65_536] for i in range(0, len(content), 65_536)]

    with pytest.raises(ValidationError) as refused:
        contact_import_stage(file_name="people.csv", chunks=iter(chunks), created_by=recruiter)

    assert refused.value.message_dict == {"file": [ENCODING_ERROR]}
    assert ContactImport.objects.count() == 0


def test_import_preview_of_a_large_file_saves_its_progress_every_thousand_rows(
    recruiter, django_capture_on_commit_callbacks
):
    contact_import = staged(recruiter, people_csv(2500), django_capture_on_commit_callbacks)

    with CaptureQueriesContext(connection) as queries:
        outcome = import_preview.apply(args=[contact_import.pk]).get()

    contact_import.refresh_from_db()
    assert outcome == "previewed"
    assert progress_saved(queries) == [(1000, None), (2000, None), (2500, 2500)]
    assert (contact_import.status, contact_import.rows_read, contact_import.rows_total) == (
        "previewed", 2500, 2500
    )  # fmt: skip
    result = contact_import.result
    assert (result["rows"], result["new"], result["organizations_new"]) == (2500, 2500, 40)
    assert result["preview"][0]["emails"] == ["person0@mail.example"]
    assert contact_import.error == ""
    assert Contact.objects.count() == 0


def test_import_preview_past_the_row_limit_fails_naming_the_row_and_keeps_nothing(
    recruiter, settings, django_capture_on_commit_callbacks
):
    settings.CONTACT_IMPORT_MAX_ROWS = 1000
    contact_import = staged(recruiter, people_csv(1500), django_capture_on_commit_callbacks)

    outcome = import_preview.apply(args=[contact_import.pk]).get()

    contact_import.refresh_from_db()
    assert outcome == "failed"
    assert contact_import.error == rows_over_limit_error(1000, 1002)
    assert contact_import.error.startswith("Row 1,002 is past the limit: ")
    assert (contact_import.status, contact_import.rows_read, contact_import.rows_total) == (
        "failed", 1000, None
    )  # fmt: skip
    assert (contact_import.content, contact_import.result) == ("", {})
    assert Contact.objects.count() == 0


def test_import_preview_of_a_quote_never_closed_fails_naming_its_row(
    recruiter, django_capture_on_commit_callbacks
):
    # The quote swallows every line under it, past what a CSV field may hold.
    quoted = b'Ana,"Souza,ana@mail.example,Acme,Data lead\n' + b"Bob,Stone\n" * 15_000
    content = people_csv(3) + quoted
    contact_import = staged(recruiter, content, django_capture_on_commit_callbacks)

    import_preview.apply(args=[contact_import.pk])

    contact_import.refresh_from_db()
    assert contact_import.status == "failed"
    assert contact_import.error == (
        "Row 5: the CSV is malformed (field larger than field limit (131072))."
    )
    assert (contact_import.content, contact_import.result) == ("", {})


def test_import_preview_task_for_an_import_already_read_changes_nothing(
    recruiter, django_capture_on_commit_callbacks
):
    contact_import = staged(recruiter, people_csv(3), django_capture_on_commit_callbacks)
    import_preview.apply(args=[contact_import.pk])
    contact_import.refresh_from_db()

    again = import_preview.apply(args=[contact_import.pk]).get()
    gone = import_preview.apply(args=[contact_import.pk + 1000]).get()

    assert (again, gone) == (None, None)
    assert ContactImport.objects.get().updated_at == contact_import.updated_at


@pytest.mark.parametrize(
    ("rows_read", "rows_total", "label"),
    [
        (0, None, "Reading your file…"),
        (12_000, None, "Reading your file… 12,000 rows so far"),
        (12_000, 50_000, "Reading your file… 12,000 of 50,000 rows"),
        (50_000, 50_000, "Read 50,000 rows; checking them against the contacts in Rapport…"),
    ],
)
def test_import_reading_progress_says_how_far_the_reading_has_come(rows_read, rows_total, label):
    contact_import = ContactImport(rows_read=rows_read, rows_total=rows_total)

    assert contact_import.reading_progress == label


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_text_chunks_reads_chunks_cut_anywhere_as_the_whole_file(encoding):
    content = "First Name,Last Name\nJürgen,Müller\nZoë,Łukasiewicz 李\n".encode(encoding)
    # One byte at a time: the BOM and every character cut across chunks.
    chunks = [content[i : i + 1] for i in range(len(content))]

    assert "".join(text_chunks(chunks)) == text_decode(content)
    assert "".join(text_chunks(chunks)).startswith("First Name")
    assert not "".join(text_chunks(chunks)).startswith(codecs.BOM_UTF8.decode("utf-8"))
