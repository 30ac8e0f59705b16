from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Contact, ContactImport
from relationships.models import Relationship

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "csv"
UPLOAD_URL = "/contacts/import/"


def upload(client, content: bytes, name: str = "people.csv", on_duplicate: str = "skip"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(UPLOAD_URL, {"file": file, "on_duplicate": on_duplicate})


def mapping_post(contact_import: ContactImport, action: str, **extra) -> dict:
    data = {f"column_{i}": target for i, target in enumerate(contact_import.mapping)}
    return {**data, "on_duplicate": contact_import.on_duplicate, "action": action, **extra}


def test_import_upload_logged_out_redirects_to_login(client):
    response = client.get(UPLOAD_URL)

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/contacts/import/"


def test_import_upload_linkedin_export_previews_without_writing(client, recruiter):
    client.force_login(recruiter)

    response = upload(client, (FIXTURES / "linkedin_connections.csv").read_bytes())

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


def test_import_confirm_writes_contacts_owned_by_the_importer(client, recruiter):
    client.force_login(recruiter)
    upload(client, (FIXTURES / "linkedin_connections.csv").read_bytes())
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


def test_import_confirm_twice_imports_once(client, recruiter):
    client.force_login(recruiter)
    upload(client, (FIXTURES / "linkedin_connections.csv").read_bytes())
    contact_import = ContactImport.objects.get()
    data = mapping_post(contact_import, "import")

    client.post(f"/contacts/import/{contact_import.pk}/", data)
    client.post(f"/contacts/import/{contact_import.pk}/", data)

    assert Contact.objects.count() == 4


ERRORS = b"First Name,Email,Phone\nAna,ana@example.com,\nBen,not-an-email,\n,,+44 20 7946 0958\n"


def test_import_row_errors_are_listed_and_block_the_import_warnings_do_not(client, recruiter):
    client.force_login(recruiter)
    upload(client, ERRORS)
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


def test_import_skip_invalid_rows_imports_the_valid_ones(client, recruiter):
    client.force_login(recruiter)
    upload(client, ERRORS)
    contact_import = ContactImport.objects.get()

    client.post(
        f"/contacts/import/{contact_import.pk}/",
        mapping_post(contact_import, "import", skip_invalid_rows="on"),
    )

    assert sorted(Contact.objects.values_list("first_name", flat=True)) == ["Ana", "Ben"]


def test_import_remap_previews_again_with_the_new_mapping(client, recruiter):
    client.force_login(recruiter)
    upload(client, b"Given,Family,Mail\nAna,Souza,ana@example.com\n")
    contact_import = ContactImport.objects.get()
    assert contact_import.result["file_errors"] == [
        "No column is mapped to First name: the file needs a first name column "
        "(such as \u201cFirst Name\u201d)."
    ]

    client.post(
        f"/contacts/import/{contact_import.pk}/",
        {
            "column_0": "first_name",
            "column_1": "last_name",
            "column_2": "email",
            "on_duplicate": "skip",
            "action": "preview",
        },
    )

    contact_import.refresh_from_db()
    assert contact_import.mapping == ["first_name", "last_name", "email"]
    assert contact_import.result["file_errors"] == []
    assert contact_import.result["preview"][0]["emails"] == ["ana@example.com"]
    assert Contact.objects.count() == 0


def test_import_upload_unknown_encoding_is_a_field_error(client, recruiter):
    client.force_login(recruiter)

    response = upload(client, "First Name\nJürgen\n".encode("latin-1"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["Cannot read the file as UTF-8 or UTF-16: save it as CSV UTF-8."]
    }
    assert ContactImport.objects.count() == 0


def test_import_upload_empty_file_is_a_field_error(client, recruiter):
    client.force_login(recruiter)

    response = upload(client, b"")

    assert response.context["form"].errors == {"file": ["The submitted file is empty."]}
    assert ContactImport.objects.count() == 0


def test_import_preview_of_someone_elses_import_is_not_found(client, recruiter, other_recruiter):
    client.force_login(recruiter)
    upload(client, (FIXTURES / "linkedin_connections.csv").read_bytes())
    contact_import = ContactImport.objects.get()
    client.force_login(other_recruiter)

    response = client.post(
        f"/contacts/import/{contact_import.pk}/", mapping_post(contact_import, "import")
    )

    assert response.status_code == 404
    assert Contact.objects.count() == 0
