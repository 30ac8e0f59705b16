from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from contacts.importing import ImportResult
from contacts.models import ContactImport
from relationships.importing import contacts_import

ISSUES_SHOWN = 20


class Command(BaseCommand):
    help = (
        "Import contacts from a CSV file (UTF-8 or UTF-16; comma, semicolon or tab; LinkedIn's "
        "Connections.csv as exported), owned by --owner. A value that cannot be imported (an "
        "invalid email...) is left out with a warning; a row repeating a person is merged. All "
        "accepted rows or nothing: a row with nothing to make a person of stops the import "
        "unless --skip-invalid-rows. --dry-run says what would happen and exits 0 when the file "
        "could be read; otherwise exits non-zero when nothing was written because of errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument("--owner", required=True, help="username of the contacts' owner")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--on-duplicate",
            choices=ContactImport.OnDuplicate.values,
            default=ContactImport.OnDuplicate.SKIP,
            help="a row matching an existing contact by email, phone or LinkedIn: skip it "
            "(default), update the contact's blank fields, or create a new contact anyway",
        )
        parser.add_argument(
            "--skip-invalid-rows",
            action="store_true",
            help="import the valid rows and leave the rows with errors out",
        )

    def handle(self, *args, **options):
        try:
            owner = User.objects.get(username=options["owner"])
        except User.DoesNotExist as error:
            raise CommandError(
                f"No user {options['owner']!r}: --owner takes a username."
            ) from error
        try:
            content = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from error
        self.file = options["file"]
        result = contacts_import(
            content=content,
            owner=owner,
            dry_run=options["dry_run"],
            file_name=options["file"].name,
            on_duplicate=options["on_duplicate"],
            skip_invalid_rows=options["skip_invalid_rows"],
            on_progress=lambda message: self.stdout.write(f"  {message}"),
        )
        self._report(result)
        if result.file_errors:
            raise CommandError(f"Nothing was imported: {self.file} cannot be imported as it is.")
        if not result.dry_run and not result.written:
            raise CommandError(
                "Nothing was imported: fix the rows with errors above, or leave them out with "
                "--skip-invalid-rows."
            )

    def _report(self, result: ImportResult) -> None:
        for message in result.file_errors:
            self.stderr.write(f"{self.file}: {message}")
        self._issues(result.issues, result.errors, self.stderr, "rows with errors")
        self._issues(result.warning_issues, result.warnings, self.stdout, "rows with warnings")
        if result.file_errors:
            return
        if result.dry_run:
            errors = (
                f"; {result.errors:,} rows with errors would stop it (or be left out with "
                "--skip-invalid-rows)"
                if result.errors
                else ""
            )
            self.stdout.write(
                f"Would import {result.new:,} new contacts and update {result.updated:,}, "
                f"with {result.organizations_new:,} new organizations, from {result.rows:,} "
                f"rows: {self._rows(result)}{errors}."
            )
        elif result.written:
            left_out = f"; {result.errors:,} rows with errors left out" if result.errors else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {result.new:,} new contacts and updated {result.updated:,}, "
                    f"with {result.organizations_new:,} new organizations, from "
                    f"{result.rows:,} rows: {self._rows(result)}{left_out}."
                )
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Checked {result.rows:,} rows: {result.errors:,} with errors, "
                    f"{self._rows(result)}."
                )
            )

    @staticmethod
    def _rows(result: ImportResult) -> str:
        return (
            f"{result.merged:,} merged into an earlier row, {result.duplicates:,} already in "
            f"Rapport, {result.warnings:,} with warnings, {result.skipped_empty:,} empty"
        )

    def _issues(self, issues, count: int, out, what: str) -> None:
        for issue in issues[:ISSUES_SHOWN]:
            column = f", column {issue.column}" if issue.column else ""
            out.write(f"Row {issue.line}{column}: {issue.message}")
        if count > ISSUES_SHOWN:
            out.write(f"... and more: {count:,} {what} in all.")
