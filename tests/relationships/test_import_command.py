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
        "Imported 4 new contacts and updated 0, with 2 new organizations, from 4 rows: "
        "0 merged into an earlier row, 0 already in Rapport, 0 with warnings, 0 empty."
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

    assert out.splitlines()[-1] == (
        "Would import 4 new contacts and update 0, with 2 new organizations, from 4 rows: "
        "0 merged into an earlier row, 0 already in Rapport, 0 with warnings, 0 empty."
    )
    assert Contact.objects.count() == 0


PEOPLE = "First Name,Email,Phone\nAna,ana@example.com,\nBen,not-an-email,\n,,+44 20 7946 0958\n"


def test_import_contacts_dry_run_with_row_errors_exits_zero_and_says_so(recruiter, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE)

    out, err = run(str(path), "--owner", "rosa", "--dry-run")

    assert err == "Row 4: No name, no email and no LinkedIn URL: nothing to make a person of.\n"
    assert out.splitlines()[-2:] == [
        "Row 3, column Email: 'not-an-email' is not a valid email address. Imported without it.",
        "Would import 2 new contacts and update 0, with 0 new organizations, from 3 rows: "
        "0 merged into an earlier row, 0 already in Rapport, 1 with warnings, 0 empty; 1 rows "
        "with errors would stop it (or be left out with --skip-invalid-rows).",
    ]
    assert Contact.objects.count() == 0


def test_import_contacts_row_with_nothing_to_import_stops_it(recruiter, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE)

    with pytest.raises(CommandError, match="Nothing was imported: fix the rows with errors"):
        run(str(path), "--owner", "rosa")

    assert Contact.objects.count() == 0


def test_import_contacts_skip_invalid_rows_imports_the_rest_and_counts_what_it_wrote(
    recruiter, tmp_path
):
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE + "ANA,ANA@example.com,\n,,\n")

    out, _ = run(str(path), "--owner", "rosa", "--skip-invalid-rows")

    assert sorted(Contact.objects.values_list("first_name", flat=True)) == ["Ana", "Ben"]
    assert out.splitlines()[-1] == (
        "Imported 2 new contacts and updated 0, with 0 new organizations, from 4 rows: "
        "1 merged into an earlier row, 0 already in Rapport, 1 with warnings, 1 empty; 1 rows "
        "with errors left out."
    )


def test_import_contacts_unknown_owner_is_a_clear_error(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("First Name\nAna\n")

    with pytest.raises(CommandError, match="No user 'nobody': --owner takes a username."):
        run(str(path), "--owner", "nobody")


def test_import_contacts_missing_file_is_a_clear_error(recruiter, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.csv: No such file or directory."):
        run(str(tmp_path / "missing.csv"), "--owner", "rosa")
