"""The one email rule (contacts.normalize.email_normalize): the import, the forms and the API
give the same answer for the same address."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from contacts.importing import RowIssue, contact_import
from contacts.models import Contact
from contacts.normalize import email_normalize
from contacts.services import contact_create

pytestmark = pytest.mark.django_db

NON_ASCII_LOCAL = "jürgen.müller@example.de"
REFUSED = "'jürgen.müller@example.de' is not a valid email address."


@pytest.fixture
def rosa_client(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def rosa_api(recruiter) -> APIClient:
    api = APIClient()
    api.force_authenticate(recruiter)
    return api


def edit_form_data(contact: Contact, **overrides) -> dict:
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "emails": "\n".join(contact.emails),
        "phones": "\n".join(contact.phones),
        "linkedin_url": contact.linkedin_url,
        "title": contact.title,
        "organization_name": contact.organization.name if contact.organization else "",
        "roles": contact.roles,
        "tags": ", ".join(contact.tags),
        "source": contact.source,
        "location": contact.location,
        "moved_on": "2026-11-20",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        (" Ana.Souza@Mail.Example ", "ana.souza@mail.example"),
        ("o'brien+jobs@mail.example", "o'brien+jobs@mail.example"),
        ("jurgen@MÜLLER.example", "jurgen@müller.example"),  # an internationalised domain
    ],
)
def test_email_normalize_strips_and_lowercases_what_the_validator_accepts(raw, normalised):
    assert email_normalize(raw) == normalised


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (NON_ASCII_LOCAL, REFUSED),  # letters beyond ASCII before the @
        ("bob@", "'bob@' is not a valid email address."),
        ("a" * 250 + "@x.io", f"'{'a' * 250}@x.io' is longer than 254 characters."),
    ],
)
def test_email_normalize_refuses_what_the_validator_refuses_and_says_which(raw, message):
    with pytest.raises(ValidationError) as caught:
        email_normalize(raw)

    assert caught.value.messages == [message]


def test_import_form_and_api_refuse_a_non_ascii_local_part_with_the_same_answer(
    rosa_client, rosa_api
):
    imported = contact_import(content=f"First Name,Email\nJürgen,{NON_ASCII_LOCAL}\n".encode())
    ana = contact_create(first_name="Ana", emails=["ana@mail.example"])
    edited = rosa_client.post(
        f"/contacts/{ana.pk}/edit/", edit_form_data(ana, emails=NON_ASCII_LOCAL)
    )
    created = rosa_api.post(
        "/api/v1/contacts/", {"first_name": "Jürgen", "emails": [NON_ASCII_LOCAL]}, format="json"
    )

    # The import keeps the person and leaves the address out, with the same answer as a warning.
    assert imported.warning_issues == [RowIssue(2, "Email", f"{REFUSED} Imported without it.")]
    assert imported.written is True
    assert edited.status_code == 200
    assert edited.context["form"].errors == {"emails": [REFUSED]}
    assert created.status_code == 400
    assert created.json()["error"]["fields"] == {"emails": [REFUSED]}
    assert list(Contact.objects.order_by("id").values_list("first_name", "emails")) == [
        ("Jürgen", []),
        ("Ana", ["ana@mail.example"]),
    ]


def test_a_contact_imported_with_valid_emails_saves_through_its_edit_form(rosa_client):
    content = (
        "First Name,Last Name,Email,Email 2\n"
        "Jürgen,Müller,J.Mueller@Mail.Example,jurgen@MÜLLER.example\n"
    ).encode()
    result = contact_import(content=content)
    assert (result.issues, result.written) == ([], True)
    jurgen = Contact.objects.get()
    assert jurgen.emails == ["j.mueller@mail.example", "jurgen@müller.example"]
    assert rosa_client.get(f"/contacts/{jurgen.pk}/edit/").status_code == 200

    response = rosa_client.post(
        f"/contacts/{jurgen.pk}/edit/", edit_form_data(jurgen, title="Staff Engineer")
    )

    assert response.status_code == 302
    jurgen.refresh_from_db()
    assert (jurgen.title, jurgen.emails) == (
        "Staff Engineer",
        ["j.mueller@mail.example", "jurgen@müller.example"],
    )
