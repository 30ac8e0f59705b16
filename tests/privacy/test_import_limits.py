"""CSV imports of hostile files: an unbalanced quote is a row error, not two people in one."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.importing import ENCODING_ERROR, ImportFileError, RowIssue, contact_import
from contacts.importing.reading import (
    UNCLOSED_QUOTE_ISSUE,
    rows_over_limit_error,
    text_chunks,
)
from contacts.importing.staging import contact_import_files_expire
from contacts.models import Contact, ContactImport

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "lines",
    [
        ('Ana,"Souza,ana@mail.example', "Bob,Stone,bob@mail.example"),
        ('Ana,"Souza,ana@mail.example', 'Bob,Stone",bob@mail.example'),
    ],
)
def test_an_unbalanced_quote_is_a_row_error_and_writes_nothing(lines):
    content = ("\n".join(["First Name,Last Name,Email", *lines]) + "\n").encode()

    result = contact_import(content=content)

    assert result.issues == [RowIssue(2, "", UNCLOSED_QUOTE_ISSUE)]
    assert result.written is False
    assert Contact.objects.count() == 0


# --- uploads through the page --------------------------------------------------------------------


def _upload(client, content: bytes):
    file = SimpleUploadedFile("people.csv", content, content_type="text/csv")
    return client.post("/contacts/import/", {"file": file, "on_duplicate": "skip"})


def _file_errors(response) -> list[str]:
    assert response.status_code == 200
    return response.context["form"].errors["file"]


def test_a_csv_over_the_size_limit_is_refused_and_kept_nowhere(rosa_client, settings):
    settings.CONTACT_IMPORT_MAX_BYTES = 1024 * 1024
    content = b"First Name\n" + b"Ana\n" * 300_000  # 1.1 MB

    response = _upload(rosa_client, content)

    assert _file_errors(response) == [
        "The file is 1.1 MB; the limit here is 1 MB. "
        "Split it, or ask an admin to run `manage.py import_contacts` with it."
    ]
    assert ContactImport.objects.count() == 0


def test_a_csv_over_the_size_limit_is_refused_as_it_is_read():
    chunks = [b"First Name\n", b"Ana\n" * 200_000, b"Ana\n" * 100_000]  # 1.1 MB in all

    with pytest.raises(ImportFileError) as refused:
        "".join(text_chunks(iter(chunks), max_bytes=1024 * 1024))

    assert refused.value.message == (
        "The file is 1.1 MB; the limit here is 1 MB. "
        "Split it, or ask an admin to run `manage.py import_contacts` with it."
    )


def test_a_binary_file_is_refused_as_not_csv(rosa_client):
    content = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40

    response = _upload(rosa_client, content)

    assert _file_errors(response) == [ENCODING_ERROR]
    assert ContactImport.objects.count() == 0


def test_a_200000_row_file_fails_its_reading_past_the_row_limit(rosa_client, csv_upload):
    content = b"First Name,Last Name\n" + b"".join(b"Ana%d,Souza\n" % n for n in range(200_000))

    response = csv_upload(rosa_client, content)

    failed = ContactImport.objects.get()
    assert response["Location"] == f"/contacts/import/{failed.pk}/"
    assert (failed.status, failed.rows_read, failed.content, failed.result) == (
        "failed",
        50_000,
        "",
        {},
    )
    assert failed.error == rows_over_limit_error(50_000, 50_002)
    assert failed.error == (
        "Row 50,002 is past the limit: the file has more than 50,000 contacts and the limit "
        "here is 50,000. Split it, or ask an admin to run `manage.py import_contacts` with it."
    )
    page = rosa_client.get(response["Location"])
    assert "Row 50,002 is past the limit" in page.content.decode()
    assert Contact.objects.count() == 0


def test_an_upload_never_imported_is_let_go_after_a_day(rosa_client, recruiter, csv_upload):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        csv_upload(rosa_client, b"First Name\nAna\n")
    kept = ContactImport.objects.get()

    with time_machine.travel(dt.datetime(2026, 3, 3, 8, 59, tzinfo=dt.UTC), tick=False):
        assert contact_import_files_expire() == 0
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 1, tzinfo=dt.UTC), tick=False):
        assert contact_import_files_expire() == 1

    kept.refresh_from_db()
    assert kept.content == ""
    assert kept.file_name == "people.csv"


def test_a_body_over_the_memory_limit_is_a_400(rosa_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = rosa_client.post("/contacts/new/", {"first_name": "Ana", "last_name": "x" * 2000})

    assert response.status_code == 400
