import datetime as dt
from pathlib import Path

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.importing import ENCODING_ERROR, RowIssue, contact_import, mapping_guess
from contacts.models import Contact, Employment, Fact, Organization
from contacts.services import contact_create
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "csv"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def people() -> list[tuple]:
    return list(
        Contact.objects.order_by("id").values_list(
            "first_name", "last_name", "emails", "phones", "organization__name", "title"
        )
    )


# --- the LinkedIn export -------------------------------------------------------------------------


def test_contact_import_linkedin_export_imports_as_is():
    content = (FIXTURES / "linkedin_connections.csv").read_bytes()

    result = contact_import(content=content)

    assert result.file_errors == []
    assert result.issues == []
    assert result.header_line == 5
    assert result.mapping == [
        "first_name", "last_name", "linkedin_url", "email", "organization", "title",
        "connected_on",
    ]  # fmt: skip
    assert (result.rows, result.new, result.duplicates, result.errors) == (4, 4, 0, 0)
    assert result.written is True
    assert list(
        Contact.objects.order_by("id").values_list(
            "first_name", "last_name", "emails", "linkedin_key", "organization__name", "title",
            "source",
        )
    ) == [
        ("Ana", "Souza", ["ana.souza@globex.example"], "in/ana-souza-1a2b3c", "Globex",
         "Head of Talent", "LinkedIn"),
        ("Jürgen", "Müller", [], "in/juergen-mueller", "Acme, Inc.", "Senior Backend Engineer",
         "LinkedIn"),
        ("Priya", "Natarajan", [], "in/priyanatarajan", "Globex", "Engineering Manager",
         "LinkedIn"),
        ("Tom", "O'Brien", ["tom@obrien.example"], "in/tobrien", None, "", "LinkedIn"),
    ]  # fmt: skip
    assert list(
        Fact.objects.order_by("contact_id").values_list("contact__first_name", "text", "learned_on")
    ) == [
        ("Ana", "Connected on LinkedIn: 14 Mar 2025", dt.date(2025, 3, 14)),
        ("Jürgen", "Connected on LinkedIn: 2 Feb 2025", dt.date(2025, 2, 2)),
        ("Priya", "Connected on LinkedIn: 19 Dec 2024", dt.date(2024, 12, 19)),
        ("Tom", "Connected on LinkedIn: 7 Nov 2024", dt.date(2024, 11, 7)),
    ]


def test_contact_import_linkedin_export_opens_positions_and_indexes_for_search():
    content = (FIXTURES / "linkedin_connections.csv").read_bytes()

    contact_import(content=content)

    assert sorted(Organization.objects.values_list("name", flat=True)) == ["Acme, Inc.", "Globex"]
    assert list(
        Employment.objects.order_by("contact_id").values_list(
            "contact__first_name", "organization_name", "title", "started_on", "ended_on"
        )
    ) == [
        # The start of a position is unknown to an import: it stays unknown.
        ("Ana", "Globex", "Head of Talent", None, None),
        ("Jürgen", "Acme, Inc.", "Senior Backend Engineer", None, None),
        ("Priya", "Globex", "Engineering Manager", None, None),
    ]
    found = Contact.objects.filter(search_vector=SearchQuery("natarajan", config="simple"))
    assert list(found.values_list("first_name", flat=True)) == ["Priya"]
    for contact in Contact.objects.all():
        contact.full_clean(exclude=["sort_name"])  # what the services would have accepted


# --- malformed files: a clear error and nothing written ------------------------------------------


def test_contact_import_missing_first_name_column_writes_nothing():
    result = contact_import(content=csv_bytes("Last Name,Email", "Smith,ana@mail.example"))

    assert result.file_errors == [
        "No column is mapped to First name: the file needs a first name column "
        "(such as “First Name”)."
    ]
    assert result.written is False
    assert Contact.objects.count() == 0


def test_contact_import_bad_email_imports_the_person_without_it_and_warns():
    content = csv_bytes(
        "First Name,Last Name,Email",
        "Ana,Souza,ana@mail.example",
        "Bob,Stone,bob@",
        "Cleo,Park,cleo@mail.example",
    )

    result = contact_import(content=content)

    assert result.issues == []
    assert result.warning_issues == [
        RowIssue(3, "Email", "'bob@' is not a valid email address. Imported without it.")
    ]
    assert (result.rows, result.new, result.errors, result.warnings) == (3, 3, 0, 1)
    assert result.written is True
    assert [(name, emails) for name, _, emails, *_ in people()] == [
        ("Ana", ["ana@mail.example"]),
        ("Bob", []),
        ("Cleo", ["cleo@mail.example"]),
    ]


def test_contact_import_row_that_cannot_be_a_person_is_an_error_unless_left_out():
    content = csv_bytes(
        "First Name,Last Name,Email,Phone", "Ana,,ana@mail.example,", ",,,+44 20 7946 0958"
    )

    refused = contact_import(content=content)
    result = contact_import(content=content, skip_invalid_rows=True)

    assert refused.issues == [
        RowIssue(3, "", "No name, no email and no LinkedIn URL: nothing to make a person of.")
    ]
    assert (refused.written, refused.errors) == (False, 1)
    assert result.written is True
    assert (result.new, result.errors) == (1, 1)
    assert [name for name, *_ in people()] == ["Ana"]


def test_contact_import_latin1_file_is_refused_as_unknown_encoding():
    content = "First Name,Last Name\nJosé,Núñez\n".encode("latin-1")

    result = contact_import(content=content)

    assert result.file_errors == [ENCODING_ERROR]
    assert ENCODING_ERROR == "Cannot read the file as UTF-8 or UTF-16: save it as CSV UTF-8."
    assert Contact.objects.count() == 0


def test_contact_import_utf16_without_bom_is_refused():
    content = "First Name\nAna\n".encode("utf-16-le")

    result = contact_import(content=content)

    assert result.file_errors == [ENCODING_ERROR]


@pytest.mark.parametrize("content", [b"", b"\n\n   \n", b"\xef\xbb\xbf"])
def test_contact_import_empty_file_is_refused(content):
    result = contact_import(content=content)

    assert result.file_errors == ["The file is empty."]
    assert result.written is False
    assert Contact.objects.count() == 0


def test_contact_import_header_only_is_refused():
    result = contact_import(content=csv_bytes("First Name,Email", ",", ""))

    assert result.file_errors == ["The file has a header row but no contacts under it."]
    assert result.written is False
    assert Contact.objects.count() == 0


def test_contact_import_rows_repeating_a_person_are_merged_into_the_first():
    content = csv_bytes(
        "First Name,Email,Phone,LinkedIn,Title",
        "Ana,ana@mail.example,+44 20 7946 0958,,",
        "Ana,ANA@mail.example,,https://www.linkedin.com/in/ana-s,CTO",
        "Anna,,020 7946 0958,,",
        "Bob,,,https://www.linkedin.com/in/bob-stone,",
        "Bobby,bob@stone.example,,linkedin.com/in/Bob-Stone/,",
    )

    result = contact_import(content=content)

    assert (result.rows, result.new, result.merged, result.errors) == (5, 3, 2, 0)
    assert result.merged_rows == [
        {"line": 3, "into": 2, "name": "Ana", "why": "same email ana@mail.example"},
        {
            "line": 6,
            "into": 5,
            "name": "Bobby",
            "why": "same LinkedIn profile https://linkedin.com/in/Bob-Stone/",
        },
    ]
    # Sharing a phone alone is no proof: Anna is a person of her own, with a warning.
    assert result.warning_issues == [
        RowIssue(4, "Phone", "Same phone 020 7946 0958 as row 2: imported as another person.")
    ]
    assert list(
        Contact.objects.order_by("id").values_list("first_name", "emails", "linkedin_key", "title")
    ) == [
        ("Ana", ["ana@mail.example"], "in/ana-s", "CTO"),
        ("Anna", [], "", ""),
        ("Bob", ["bob@stone.example"], "in/bob-stone", ""),
    ]


def test_contact_import_values_that_cannot_be_imported_are_left_out_with_a_warning_each():
    content = csv_bytes(
        "First Name,Last Name,Phone,LinkedIn URL,Roles,Tags",
        ",Souza,,,,",
        "Bob,,12,https://example.com/bob,ceo; candidate,",
        "Cleo,,,,candidate; Hiring manager,Python; " + "x" * 51,
        "Dan,,,,,,extra",
    )

    result = contact_import(content=content)

    assert result.issues == []
    assert result.warning_issues == [
        RowIssue(
            3, "Phone", "'12' is not a phone number: it needs at least 7 digits. "
            "Imported without it.",
        ),
        RowIssue(
            3,
            "LinkedIn URL",
            "'https://example.com/bob' is not a LinkedIn profile URL "
            "(expected https://www.linkedin.com/in/<name>). Imported without it.",
        ),
        RowIssue(
            3,
            "Roles",
            "Unknown role 'ceo' (the roles are candidate, client, hiring_manager, interviewer, "
            "referrer, receptionist, other). Imported without it.",
        ),
        RowIssue(
            4, "Tags", f"Tag '{'x' * 51}' is longer than 50 characters. Imported without it."
        ),
        RowIssue(5, "", "Has 7 cells but the header has 6 columns: 'extra' left out."),
        RowIssue(2, "First Name", "No first name: imported with the last name only."),
    ]  # fmt: skip
    assert (result.warnings, result.errors, result.new) == (4, 0, 4)
    assert list(
        Contact.objects.order_by("id").values_list("first_name", "last_name", "roles", "tags")
    ) == [
        ("", "Souza", [], []),
        ("Bob", "", ["candidate"], []),
        ("Cleo", "", ["candidate", "hiring_manager"], ["python"]),
        ("Dan", "", [], []),
    ]


def test_contact_import_too_long_value_names_the_column():
    result = contact_import(content=csv_bytes("First Name,Company", "Ana," + "A" * 201))

    assert result.warning_issues == [
        RowIssue(
            2,
            "Company",
            f"'{'A' * 40}…' is longer than 200 characters (201). Imported without it.",
        )
    ]
    assert people() == [("Ana", "", [], [], None, "")]


# --- encodings, delimiters, mapping --------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_contact_import_reads_utf8_with_bom_and_utf16(encoding):
    text = "First Name,Last Name,Email\r\nJosé,Núñez,jose@mail.example\r\nZoë,Ødegård,\r\n"
    content = text.encode(encoding)
    if encoding == "utf-16-be":
        content = b"\xfe\xff" + content

    result = contact_import(content=content)

    assert result.headers == ["First Name", "Last Name", "Email"]
    assert result.written is True
    assert people() == [
        ("José", "Núñez", ["jose@mail.example"], [], None, ""),
        ("Zoë", "Ødegård", [], [], None, ""),
    ]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_contact_import_sniffs_semicolon_and_tab(delimiter):
    content = csv_bytes(
        delimiter.join(["Vorname", "Nachname", "E-Mail", "Firma"]),
        delimiter.join(["Jürgen", "Müller", "j.mueller@mail.example", "Acme, Inc."]),
    )

    result = contact_import(content=content)

    assert result.delimiter == delimiter
    assert people() == [("Jürgen", "Müller", ["j.mueller@mail.example"], [], "Acme, Inc.", "")]


def test_contact_import_explicit_mapping_imports_unknown_headers():
    content = csv_bytes("Given,Family,Reach me at,Notes", "Ana,Souza,ana@mail.example,likes tea")

    guessed = contact_import(content=content)
    result = contact_import(content=content, mapping=["first_name", "last_name", "email", ""])

    assert guessed.mapping == ["", "", "", ""]
    assert guessed.written is False
    assert result.written is True
    assert people() == [("Ana", "Souza", ["ana@mail.example"], [], None, "")]


def test_contact_import_mapping_one_field_twice_is_refused():
    content = csv_bytes("First Name,Nickname", "Ana,Annie")

    result = contact_import(content=content, mapping=["first_name", "first_name"])

    assert result.file_errors == [
        "Columns “First Name” and “Nickname” are both mapped to First name: choose one."
    ]
    assert Contact.objects.count() == 0


def test_mapping_guess_knows_common_headers_and_maps_repeatable_fields_twice():
    headers = [
        "First Name", "Surname", "Email 1", "Email 2", "Mobile", "Job Title",
        "Organisation", "Title", "Role", "Labels", "Lead Source", "City", "Notes",
    ]  # fmt: skip

    assert mapping_guess(headers) == [
        "first_name", "last_name", "email", "email", "phone", "title", "organization", "",
        "roles", "tags", "source", "location", "",
    ]  # fmt: skip


def test_contact_import_one_cell_with_several_emails_and_phones():
    content = csv_bytes(
        "First Name,Email,Phone,Work email",
        'Ana,"ana@mail.example; ana@work.example","+1 415 555 0100, +1 415 555 0199",'
        "ANA@work.example",
    )

    contact_import(content=content)

    assert people() == [
        (
            "Ana",
            "",
            ["ana@mail.example", "ana@work.example"],
            ["+1 415 555 0100", "+1 415 555 0199"],
            None,
            "",
        )
    ]
    assert Contact.objects.get().phone_keys == ["4155550100", "4155550199"]


def test_contact_import_roles_and_tags_are_normalised():
    content = csv_bytes("First Name,Roles,Tags", 'Ana,"Candidate, hiring manager","Python; ML"')

    contact_import(content=content)

    contact = Contact.objects.get()
    assert (contact.roles, contact.was_candidate, contact.tags) == (
        ["candidate", "hiring_manager"],
        True,
        ["python", "ml"],
    )


# --- duplicates in the database ------------------------------------------------------------------


def test_contact_import_existing_email_is_skipped_by_default():
    existing = ContactFactory(first_name="Ana", last_name="Souza", emails=["ana@mail.example"])
    content = csv_bytes("First Name,Email", "Ana,ANA@mail.example", "Bob,bob@mail.example")

    result = contact_import(content=content)

    assert (result.new, result.duplicates, result.updated) == (1, 1, 0)
    assert result.preview[0]["outcome"] == "duplicate"
    assert result.preview[0]["note"] == f"Already in Rapport: Ana Souza (#{existing.pk})."
    assert result.duplicate_rows == [
        {"line": 2, "name": "Ana", "contacts": [[existing.pk, "Ana Souza"]]}
    ]
    assert Contact.objects.filter(first_name="Ana").count() == 1
    assert Contact.objects.filter(first_name="Bob").count() == 1


def test_contact_import_existing_phone_is_a_duplicate_whatever_its_format():
    existing = contact_create(first_name="Ana", phones=["+44 20 7946 0958"])

    result = contact_import(content=csv_bytes("First Name,Mobile", "Annie,(020) 7946-0958"))

    assert (result.new, result.duplicates) == (0, 1)
    assert result.duplicate_rows[0]["contacts"] == [[existing.pk, "Ana"]]
    assert Contact.objects.count() == 1


def test_contact_import_existing_linkedin_profile_is_a_duplicate():
    existing = contact_create(first_name="Ana", linkedin_url="https://www.linkedin.com/in/ana-s")

    result = contact_import(content=csv_bytes("First Name,URL", "Ana,linkedin.com/in/ANA-S/?x=1"))

    assert (result.new, result.duplicates) == (0, 1)
    assert result.duplicate_rows[0]["contacts"] == [[existing.pk, "Ana"]]
    assert Contact.objects.count() == 1


def test_contact_import_row_matching_two_contacts_is_left_alone_even_on_update():
    ana = contact_create(first_name="Ana", emails=["ana@mail.example"])
    other = contact_create(first_name="Other", phones=["+1 415 555 0100"])
    content = csv_bytes("First Name,Email,Phone,Title", "Ana,ana@mail.example,4155550100,CTO")

    result = contact_import(content=content, on_duplicate="update")

    assert (result.new, result.updated, result.duplicates) == (0, 0, 1)
    assert result.preview[0]["note"] == (
        f"Matches 2 contacts already in Rapport; left alone: Ana (#{ana.pk}), Other (#{other.pk})."
    )
    assert Contact.objects.get(pk=ana.pk).title == ""


def test_contact_import_update_fills_blanks_and_adds_emails_and_phones():
    acme = OrganizationFactory(name="Acme")
    existing = contact_create(
        first_name="Ana", emails=["ana@mail.example"], title="Engineer",
        started_on=dt.date(2024, 3, 1), tags=["python"],
    )  # fmt: skip
    content = csv_bytes(
        "First Name,Last Name,Email,Phone,Company,Title,Tags,Location",
        'Ana,Souza,"ana@mail.example, ana@work.example",+44 20 7946 0958,ACME,CTO,"ml, python",',
    )

    result = contact_import(content=content, on_duplicate="update")

    assert (result.new, result.updated, result.duplicates) == (0, 1, 0)
    assert result.preview[0]["outcome"] == "update"
    existing.refresh_from_db()
    assert (
        existing.last_name, existing.emails, existing.phones, existing.phone_keys,
        existing.organization_id, existing.title, existing.tags, existing.location,
    ) == (
        "Souza", ["ana@mail.example", "ana@work.example"], ["+44 20 7946 0958"],
        ["2079460958"], acme.pk, "Engineer", ["python", "ml"], "",
    )  # fmt: skip
    today = dt.date.today()  # noqa: DTZ011
    assert list(
        existing.employments.order_by("id").values_list(
            "organization_name", "title", "started_on", "ended_on"
        )
    ) == [("", "Engineer", dt.date(2024, 3, 1), today), ("Acme", "Engineer", None, None)]
    found = Contact.objects.filter(search_vector=SearchQuery("souza", config="simple"))
    assert list(found.values_list("pk", flat=True)) == [existing.pk]


def test_contact_import_update_with_nothing_new_counts_a_duplicate():
    ContactFactory(first_name="Ana", last_name="Souza", emails=["ana@mail.example"])

    result = contact_import(
        content=csv_bytes("First Name,Last Name,Email", "Ana,Souza,ana@mail.example"),
        on_duplicate="update",
    )

    assert (result.new, result.updated, result.duplicates) == (0, 0, 1)


def test_contact_import_create_policy_creates_the_duplicate_anyway():
    ContactFactory(first_name="Ana", emails=["ana@mail.example"])

    result = contact_import(
        content=csv_bytes("First Name,Email", "Ana,ana@mail.example"), on_duplicate="create"
    )

    assert (result.new, result.duplicates) == (1, 0)
    assert Contact.objects.filter(emails__contains=["ana@mail.example"]).count() == 2


# --- organizations, dry run, batches -------------------------------------------------------------


def test_contact_import_matches_organizations_case_insensitively_and_creates_each_once():
    globex = OrganizationFactory(name="Globex")
    content = csv_bytes(
        "First Name,Company",
        "Ana,GLOBEX",
        "Bob,globex",
        "Cleo,Initech",
        "Dan,INITECH",
        "Eve,",
    )

    result = contact_import(content=content, batch_size=2)

    initech = Organization.objects.get(name="Initech")
    assert result.organizations_new == 1
    assert Organization.objects.count() == 2
    assert list(
        Contact.objects.order_by("first_name").values_list("first_name", "organization_id")
    ) == [("Ana", globex.pk), ("Bob", globex.pk), ("Cleo", initech.pk), ("Dan", initech.pk),
          ("Eve", None)]  # fmt: skip


def test_contact_import_dry_run_counts_but_writes_nothing():
    ContactFactory(first_name="Ana", emails=["ana@mail.example"])
    content = csv_bytes(
        "First Name,Email,Company", "Ana,ana@mail.example,Globex", "Bob,,Globex", "Cleo,,Initech"
    )

    result = contact_import(content=content, dry_run=True)

    assert (result.new, result.duplicates, result.organizations_new) == (2, 1, 2)
    assert result.written is False
    assert Contact.objects.count() == 1
    assert Organization.objects.count() == 0


def test_contact_import_writes_in_batches_and_reports_each():
    lines = [f"Person{n},person{n}@mail.example,Org {n % 2}" for n in range(5)]
    progress: list[str] = []
    created: list[list[int]] = []

    result = contact_import(
        content=csv_bytes("First Name,Email,Company", *lines),
        batch_size=2,
        on_progress=progress.append,
        on_created=created.append,
    )

    assert progress == [
        "Checked 2 of 5 people in 5 rows: 2 new, 0 to update, 0 already in Rapport, 0 merged, "
        "0 with errors.",
        "Checked 4 of 5 people in 5 rows: 4 new, 0 to update, 0 already in Rapport, 0 merged, "
        "0 with errors.",
        "Checked 5 of 5 people in 5 rows: 5 new, 0 to update, 0 already in Rapport, 0 merged, "
        "0 with errors.",
        "Wrote 2 of 5 new contacts.",
        "Wrote 4 of 5 new contacts.",
        "Wrote 5 of 5 new contacts.",
    ]
    assert [len(ids) for ids in created] == [2, 2, 1]
    assert sorted(id_ for ids in created for id_ in ids) == sorted(
        Contact.objects.values_list("pk", flat=True)
    )
    assert result.organizations_new == 2


def test_contact_import_rows_repeating_a_person_across_batches_are_merged():
    existing = ContactFactory(first_name="Ann", last_name="Lee", emails=["ann@work.example"])
    content = csv_bytes(
        "First Name,Email", "Ana,ana@mail.example", "Bob,", "Cleo,", "Ana,ana@mail.example",
        "Ana,ann@work.example; ana@mail.example",
    )  # fmt: skip

    result = contact_import(content=content, batch_size=2)

    # The last row brings row 2 an email of a contact already in Rapport: row 2 is that one.
    assert (result.new, result.merged, result.duplicates) == (2, 2, 1)
    assert result.duplicate_rows == [
        {"line": 2, "name": "Ana", "contacts": [[existing.pk, "Ann Lee"]]}
    ]
    assert Contact.objects.count() == 3


def test_contact_import_query_count_does_not_grow_with_rows():
    def import_rows(count: int, offset: int) -> int:
        lines = [
            f"P{n},p{n}@mail.example,+1 415 555 {n:04d},https://linkedin.com/in/p{n},Org {n},CTO"
            for n in range(offset, offset + count)
        ]
        content = csv_bytes("First Name,Email,Phone,URL,Company,Title", *lines)
        with CaptureQueriesContext(connection) as queries:
            contact_import(content=content)
        return len(queries)

    assert import_rows(1, 0) == import_rows(3, 100) == 10
    assert Contact.objects.count() == 4
