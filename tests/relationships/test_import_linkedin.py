"""A LinkedIn export as they really are: a notes preamble, quoted commas, names in any script,
an invalid email, the same person twice (the URL with a trailing slash, the email in another
case), an empty row. Exact counts for the preview and the import."""

import datetime as dt
from pathlib import Path

import pytest

from contacts.importing import RowIssue, contact_import
from contacts.models import Contact, ContactImport, Employment, Fact
from relationships.importing import contacts_import
from relationships.models import Interaction
from tests.factories import ContactFactory
from tests.helpers import texts

pytestmark = pytest.mark.django_db

MESSY = (
    Path(__file__).resolve().parent.parent / "fixtures" / "csv" / "linkedin_connections_messy.csv"
)

COUNTS = ("rows", "new", "merged", "updated", "duplicates", "warnings", "errors", "skipped_empty")


def counts(result) -> dict[str, int]:
    return {name: getattr(result, name) for name in (*COUNTS, "organizations_new")}


def test_the_preview_counts_new_merged_warned_and_empty_rows_exactly():
    result = contact_import(content=MESSY.read_bytes(), dry_run=True)

    assert result.header_line == 5
    assert result.file_errors == []
    assert counts(result) == {
        "rows": 7, "new": 5, "merged": 2, "updated": 0, "duplicates": 0, "warnings": 1,
        "errors": 0, "skipped_empty": 1, "organizations_new": 4,
    }  # fmt: skip
    assert result.issues == []
    assert result.warning_issues == [
        RowIssue(
            7,
            "Email Address",
            "'jurgen@@acme.example' is not a valid email address. Imported without it.",
        )
    ]
    assert result.merged_rows == [
        {
            "line": 9,
            "into": 6,
            "name": "Ana Souza",
            "why": "same LinkedIn profile https://www.linkedin.com/in/ana-souza/",
        },
        {
            "line": 12,
            "into": 11,
            "name": "Olena Koval",
            "why": "same email olena.koval@mail.example",
        },
    ]
    olena = next(row for row in result.preview if row["line"] == 11)
    assert (olena["emails"], olena["organization"], olena["title"]) == (
        ["olena.koval@mail.example"],
        "Umbrella",
        "CTO",
    )
    assert [(row["line"], row["outcome"]) for row in result.preview] == [
        (6, "new"), (7, "new"), (8, "new"), (9, "merged"), (11, "new"), (12, "merged"), (13, "new"),
    ]  # fmt: skip
    assert Contact.objects.count() == 0


def test_the_import_writes_each_person_once_with_facts_careers_and_timeline(recruiter):
    result = contacts_import(
        content=MESSY.read_bytes(), owner=recruiter, dry_run=False, file_name="Connections.csv"
    )

    assert result.written is True
    assert counts(result) == {
        "rows": 7, "new": 5, "merged": 2, "updated": 0, "duplicates": 0, "warnings": 1,
        "errors": 0, "skipped_empty": 1, "organizations_new": 4,
    }  # fmt: skip
    assert list(
        Contact.objects.order_by("id").values_list(
            "first_name", "last_name", "emails", "linkedin_key", "organization__name", "title"
        )
    ) == [
        ("Ana", "Souza", ["ana.souza@globex.example"], "in/ana-souza", "Globex", "Head of Talent"),
        ("Jürgen", "Müller", [], "in/juergen-mueller", "Acme, Inc.", "Engineer, Backend"),
        ("李", "娜", [], "in/li-na", "Initech, Ltd.", "产品经理"),
        ("Олена", "Коваль", ["olena.koval@mail.example"], "in/olena-koval", "Umbrella", "CTO"),
        ("Σοφία", "Παπαδοπούλου", [], "in/sofia-p", None, ""),
    ]
    assert list(
        Fact.objects.order_by("contact_id").values_list("text", "learned_on", "author__username")
    ) == [
        ("Connected on LinkedIn: 14 Mar 2025", dt.date(2025, 3, 14), "rosa"),
        ("Connected on LinkedIn: 2 Feb 2025", dt.date(2025, 2, 2), "rosa"),
        ("Connected on LinkedIn: 19 Dec 2024", dt.date(2024, 12, 19), "rosa"),
        ("Connected on LinkedIn: 7 Nov 2024", dt.date(2024, 11, 7), "rosa"),
        ("Connected on LinkedIn: 12 Mar 2024", dt.date(2024, 3, 12), "rosa"),
    ]
    # Nobody knows when these jobs began: no start date, not the day of the import.
    assert set(Employment.objects.values_list("started_on", "ended_on")) == {(None, None)}
    assert Employment.objects.count() == 4
    timeline = Interaction.objects.order_by("contact_id")
    assert (
        list(timeline.values_list("summary", "kind", "recruiter__username"))
        == [("Imported from Connections.csv by Rosa Reyes", "other", "rosa")] * 5
    )
    assert [i.organization_id for i in timeline] == [
        c.organization_id for c in Contact.objects.order_by("id")
    ]


def test_a_second_import_with_update_says_so_on_the_timeline_and_remembers_once(recruiter):
    ana = ContactFactory(first_name="Ana", last_name="Souza", emails=["ana.souza@globex.example"])

    result = contacts_import(
        content=MESSY.read_bytes(),
        owner=recruiter,
        dry_run=False,
        file_name="Connections.csv",
        on_duplicate="update",
    )
    again = contacts_import(
        content=MESSY.read_bytes(),
        owner=recruiter,
        dry_run=False,
        file_name="Connections.csv",
        on_duplicate="update",
    )

    assert (result.new, result.updated) == (4, 1)
    assert (again.new, again.updated, again.duplicates) == (0, 0, 5)
    assert list(ana.interactions.values_list("summary", flat=True)) == [
        "Updated from Connections.csv by Rosa Reyes"
    ]
    assert list(ana.facts.values_list("text", flat=True)) == ["Connected on LinkedIn: 14 Mar 2025"]


def test_the_pages_show_the_counts_and_a_file_with_warnings_imports_without_a_tick(
    client, recruiter, csv_upload
):
    client.force_login(recruiter)
    csv_upload(client, MESSY.read_bytes(), name="Connections.csv")
    contact_import = ContactImport.objects.get()
    url = f"/contacts/import/{contact_import.pk}/"

    preview = client.get(url)

    shown = {name: texts(preview.content, f"count-{name.replace('_', '-')}") for name in COUNTS}
    assert shown == {
        "rows": ["7"], "new": ["5"], "merged": ["2"], "updated": ["0"], "duplicates": ["0"],
        "warnings": ["1"], "errors": ["0"], "skipped_empty": ["1"],
    }  # fmt: skip
    assert texts(preview.content, "import-warnings")[0].endswith(
        "7Email Address'jurgen@@acme.example' is not a valid email address. Imported without it."
    )
    assert "skip_invalid_rows" not in preview.content.decode()
    mapping = {f"column_{i}": target for i, target in enumerate(contact_import.mapping)}

    done = client.post(url, {**mapping, "on_duplicate": "skip", "action": "import"}, follow=True)

    assert (
        "Imported 5 new contacts and updated 0; 2 rows merged into an earlier row; 1 rows "
        "imported without a value (see the warnings)." in done.content.decode()
    )
    ana = Contact.objects.get(first_name="Ana")
    page = client.get(f"/contacts/{ana.pk}/")
    assert "Imported from Connections.csv by Rosa Reyes" in page.content.decode()
