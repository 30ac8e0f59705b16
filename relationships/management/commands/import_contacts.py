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
        "Connections.csv as exported), owned by --owner. All accepted rows or nothing: any row "
        "with an error stops the import unless --skip-invalid-rows. Exits non-zero when nothing "
        "was written because of errors."
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
            on_duplicate=options["on_duplicate"],
            skip_invalid_rows=options["skip_invalid_rows"],
            on_progress=lambda message: self.stdout.write(f"  {message}"),
        )
        self._report(result)
        if not result.written and result.has_errors:
            raise CommandError("Nothing was imported: fix the errors above and run it again.")

    def _report(self, result: ImportResult) -> None:
        for message in result.file_errors:
            self.stderr.write(f"{self.file}: {message}")
        for issue in result.issues[:ISSUES_SHOWN]:
            column = f", column {issue.column}" if issue.column else ""
            self.stderr.write(f"Row {issue.line}{column}: {issue.message}")
        if result.errors > ISSUES_SHOWN:
            self.stderr.write(f"... and more: {result.errors:,} rows have errors in all.")
        verb = "Would import" if result.dry_run else "Imported" if result.written else "Checked"
        summary = (
            f"{verb} {result.rows:,} rows: {result.new:,} new contacts, {result.updated:,} "
            f"updated, {result.duplicates:,} duplicates, {result.errors:,} rows with errors, "
            f"{result.organizations_new:,} new organizations."
        )
        style = self.style.SUCCESS if result.written else self.style.WARNING
        self.stdout.write(style(summary))
