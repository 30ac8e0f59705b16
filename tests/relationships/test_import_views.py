from pathlib import Path

import pytest

from contacts.models import Contact, ContactImport
from contacts.tasks import import_preview
from relationships.models import Relationship

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "csv"
UPLOAD_URL = "/contacts/import/"


def mapping_post(contact_import: ContactImport, action: str, **extra) -> dict:
    data = {f"column_{i}": target for i, target in enumerate(contact_import.mapping)}
    return {**data, "on_duplicate": contact_import.on_duplicate, "action": action, **extra}


def test_import_upload_logged_out_redirects_to_login(client):
    response = client.get(UPLOAD_URL)

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/contacts/import/"


def test_import_upload_linkedin_export_previews_without_writing(client, recruiter, csv_upload):
    client.force_login(recruiter)

    response = csv_upload(client, (FIXTURES / "linkedin_connections.csv").read_bytes())

    contact_import = ContactImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/import/{contact_import.pk}/"
    assert contact_import.mapping == [
        "first_name", "last_name", "linkedin_url", "email", "organization", "title",
        "connected_on",
    ]  # fmt: skip
    assert (contact_import.result["rows"], contact_import.result["new"]) == (4, 4)
    assert Contact.objects.count() == 0
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'data-testid="count-new">4<' in page.content
    assert "Jürgen" in page.content.decode()


def test_import_confirm_writes_contacts_owned_by_the_importer(client, recruiter, csv_upload):
    client.force_login(recruiter)
    csv_upload(client, (FIXTURES / "linkedin_connections.csv").read_bytes())
    contact_import = ContactImport.objects.get()

    response = client.post(
        f"/contacts/import/{contact_import.pk}/", mapping_post(contact_import, "import")
    )

    contact_import.refresh_from_db()
    assert response.status_code == 302
    assert contact_import.status == ContactImport.Status.IMPORTED
    assert contact_import.content == ""
    assert sorted(Contact.objects.values_list("first_name", flat=True)) == [
        "Ana", "Jürgen", "Priya", "Tom",
    ]  # fmt: skip
    assert set(Relationship.objects.values_list("owner__username", flat=True)) == {"rosa"}


def test_import_confirm_twice_imports_once(client, recruiter, csv_upload):
    client.force_login(recruiter)
    csv_upload(client, (FIXTURES / "linkedin_connections.csv").read_bytes())
    contact_import = ContactImport.objects.get()
    data = mapping_post(contact_import, "import")

    client.post(f"/contacts/import/{contact_import.pk}/", data)
    client.post(f"/contacts/import/{contact_import.pk}/", data)

    assert Contact.objects.count() == 4


ERRORS = b"First Name,Email,Phone\nAna,ana@example.com,\nBen,not-an-email,\n,,+44 20 7946 0958\n"


def test_import_row_errors_are_listed_and_block_the_import_warnings_do_not(
    client, recruiter, csv_upload
):
    client.force_login(recruiter)
    csv_upload(client, ERRORS)
    contact_import = ContactImport.objects.get()

    response = client.post(
        f"/contacts/import/{contact_import.pk}/",
        mapping_post(contact_import, "import"),
        follow=True,
    )

    assert Contact.objects.count() == 0
    assert contact_import.result["issues"] == [
        {
            "line": 4,
            "column": "",
            "message": "No name, no email and no LinkedIn URL: nothing to make a person of.",
        },
    ]
    body = response.content.decode()
    assert "Nothing was imported: fix the rows with errors" in body
    assert "<td>3</td><td>Email</td><td>&#x27;not-an-email&#x27; is not a valid email" in body
    assert "Leave out the 1 row with errors and import the rest" in body


def test_import_skip_invalid_rows_imports_the_valid_ones(client, recruiter, csv_upload):
    client.force_login(recruiter)
    csv_upload(client, ERRORS)
    contact_import = ContactImport.objects.get()

    client.post(
        f"/contacts/import/{contact_import.pk}/",
        mapping_post(contact_import, "import", skip_invalid_rows="on"),
    )

    assert sorted(Contact.objects.values_list("first_name", flat=True)) == ["Ana", "Ben"]


def test_import_remap_previews_again_with_the_new_mapping(
    client, recruiter, csv_upload, django_capture_on_commit_callbacks
):
    client.force_login(recruiter)
    csv_upload(client, b"Given,Family,Mail\nAna,Souza,ana@example.com\n")
    contact_import = ContactImport.objects.get()
    assert contact_import.result["file_errors"] == [
        "No column is mapped to First name: the file needs a first name column "
        "(such as \u201cFirst Name\u201d)."
    ]
    remapped = {
        "column_0": "first_name",
        "column_1": "last_name",
        "column_2": "email",
        "on_duplicate": "skip",
        "action": "preview",
    }

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(f"/contacts/import/{contact_import.pk}/", remapped)
        again = client.post(f"/contacts/import/{contact_import.pk}/", remapped)
    contact_import.refresh_from_db()
    reading = (contact_import.status, contact_import.rows_read, contact_import.rows_total)
    import_preview.apply(args=[contact_import.pk])

    assert (response.status_code, again.status_code, len(queued)) == (302, 200, 1)
    assert reading == ("reading", 0, None)
    assert 'data-testid="import-progress-text">Reading your file…<' in (again.content.decode())
    contact_import.refresh_from_db()
    assert contact_import.status == "previewed"
    assert contact_import.mapping == ["first_name", "last_name", "email"]
    assert contact_import.result["file_errors"] == []
    assert contact_import.result["preview"][0]["emails"] == ["ana@example.com"]
    assert Contact.objects.count() == 0


def test_import_upload_unknown_encoding_is_a_field_error(client, recruiter, csv_upload):
    client.force_login(recruiter)

    response = csv_upload(client, "First Name\nJürgen\n".encode("latin-1"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["Cannot read the file as UTF-8 or UTF-16: save it as CSV UTF-8."]
    }
    assert ContactImport.objects.count() == 0


def test_import_upload_empty_file_is_a_field_error(client, recruiter, csv_upload):
    client.force_login(recruiter)

    response = csv_upload(client, b"")

    assert response.context["form"].errors == {"file": ["The submitted file is empty."]}
    assert ContactImport.objects.count() == 0


def test_import_preview_of_someone_elses_import_is_not_found(
    client, recruiter, csv_upload, other_recruiter
):
    client.force_login(recruiter)
    csv_upload(client, (FIXTURES / "linkedin_connections.csv").read_bytes())
    contact_import = ContactImport.objects.get()
    client.force_login(other_recruiter)

    response = client.post(
        f"/contacts/import/{contact_import.pk}/", mapping_post(contact_import, "import")
    )

    assert response.status_code == 404
    assert Contact.objects.count() == 0


# --- while the worker reads the file -------------------------------------------------------------


def test_import_page_while_reading_shows_the_progress_and_polls_it(client, recruiter, csv_upload):
    client.force_login(recruiter)
    response = csv_upload(client, (FIXTURES / "linkedin_connections.csv").read_bytes(), read=False)
    contact_import = ContactImport.objects.get()
    url = f"/contacts/import/{contact_import.pk}/"

    page = client.get(url)
    ContactImport.objects.filter(pk=contact_import.pk).update(rows_read=12_000)
    polled = client.get(url, HTTP_HX_REQUEST="true")

    assert response["Location"] == url
    body = page.content.decode()
    assert f'hx-get="{url}" hx-trigger="every 1s" hx-swap="outerHTML"' in body
    assert 'data-testid="import-progress-text">Reading your file…<' in body
    assert f'<a class="btn btn-outline-secondary btn-sm" href="{url}">Refresh</a>' in body
    assert polled.status_code == 200
    assert polled.content.decode().startswith('\n<div id="import-progress"')
    assert 'data-testid="import-progress-text">Reading your file… 12,000 rows so far<' in (
        polled.content.decode()
    )
    assert "<html" not in polled.content.decode()
    assert polled["Vary"] == "HX-Request, Cookie"
    assert Contact.objects.count() == 0


def test_import_page_polled_once_read_refreshes_to_the_preview(client, recruiter, csv_upload):
    client.force_login(recruiter)
    csv_upload(client, (FIXTURES / "linkedin_connections.csv").read_bytes(), read=False)
    contact_import = ContactImport.objects.get()
    url = f"/contacts/import/{contact_import.pk}/"
    import_preview.apply(args=[contact_import.pk])

    polled = client.get(url, HTTP_HX_REQUEST="true")
    page = client.get(url)

    assert (polled.status_code, polled["HX-Refresh"]) == (200, "true")
    assert b'data-testid="count-new">4<' in page.content
    assert b"import-progress" not in page.content


def test_import_of_a_file_being_read_imports_nothing(client, recruiter, csv_upload):
    client.force_login(recruiter)
    csv_upload(client, (FIXTURES / "linkedin_connections.csv").read_bytes(), read=False)
    contact_import = ContactImport.objects.get()
    data = {"column_0": "first_name", "on_duplicate": "skip", "action": "import"}

    response = client.post(f"/contacts/import/{contact_import.pk}/", data)

    assert b"Reading your file" in response.content
    assert ContactImport.objects.get().status == "reading"
    assert Contact.objects.count() == 0
