from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contacts.models import Contact
from relationships.models import Relationship

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "csv"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_contacts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_contacts_linkedin_export_gives_the_owner_a_relationship_each(recruiter):
    out, err = run(str(FIXTURES / "linkedin_connections.csv"), "--owner", "rosa")

    assert err == ""
    assert out.splitlines()[-1] == (
        "Imported 4 rows: 4 new contacts, 0 updated, 0 duplicates, 0 rows with errors, "
        "2 new organizations."
    )
    assert sorted(
        Relationship.objects.values_list("contact__first_name", "owner__username", "tier")
    ) == [
        ("Ana", "rosa", "B"),
        ("Jürgen", "rosa", "B"),
        ("Priya", "rosa", "B"),
        ("Tom", "rosa", "B"),
    ]


def test_import_contacts_dry_run_says_what_it_would_do_and_writes_nothing(recruiter):
    out, _ = run(str(FIXTURES / "linkedin_connections.csv"), "--owner", "rosa", "--dry-run")

    assert out.splitlines()[-1].startswith("Would import 4 rows: 4 new contacts")
    assert Contact.objects.count() == 0


def test_import_contacts_bad_row_names_row_and_column_and_fails(recruiter, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("First Name,Email\nAna,ana@example.com\nBen,not-an-email\n")

    with pytest.raises(CommandError, match="Nothing was imported"):
        run(str(path), "--owner", "rosa")

    assert Contact.objects.count() == 0


def test_import_contacts_reports_row_errors_on_stderr(recruiter, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("First Name,Email\nAna,ana@example.com\nBen,not-an-email\n")
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError):
        call_command("import_contacts", str(path), "--owner", "rosa", stdout=out, stderr=err)

    assert err.getvalue() == "Row 3, column Email: 'not-an-email' is not a valid email address.\n"


def test_import_contacts_skip_invalid_rows_imports_the_rest(recruiter, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("First Name,Email\nAna,ana@example.com\nBen,not-an-email\n")

    out, _ = run(str(path), "--owner", "rosa", "--skip-invalid-rows")

    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Ana"]
    assert "1 rows with errors" in out.splitlines()[-1]


def test_import_contacts_unknown_owner_is_a_clear_error(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("First Name\nAna\n")

    with pytest.raises(CommandError, match="No user 'nobody': --owner takes a username."):
        run(str(path), "--owner", "nobody")


def test_import_contacts_missing_file_is_a_clear_error(recruiter, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.csv: No such file or directory."):
        run(str(tmp_path / "missing.csv"), "--owner", "rosa")
