"""Checking and writing the rows of a CSV import: set-based, a batch at a time.

Two passes. The check reads every row (merging a row that repeats a person of an earlier row into
it), then per batch asks the database once for the existing contacts sharing an email, a phone or
a LinkedIn profile and once for the organizations it names: it writes nothing, so a dry run is
the check alone and its counts are exactly what the import would do. The write, in one
transaction and only when nothing stops it, creates the missing organizations, then per batch
COPYs the new contacts and their current positions (started on an unknown date: an import does
not know when a job began), inserts their "Connected on LinkedIn" facts, refreshes their search
documents and hands their ids to `on_created` and `on_written`; contacts filled in by the
`update` policy are written with one UPDATE per batch. Never a service call per row: 100,000 rows
are a few hundred statements.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest, Lower
from django.utils import timezone

from accounts.models import User
from contacts.importing.reading import (
    NO_ROWS_ERROR,
    NOTHING_TO_IMPORT,
    UNCLOSED_QUOTE_ISSUE,
    ContactRow,
    FileMerger,
    ImportFileError,
    RowIssue,
    RowReader,
    mapping_guess,
    mapping_problems,
    row_merge,
    row_name_settle,
    rows_over_limit_error,
    table_read,
    text_decode,
)
from contacts.models import Contact, ContactImport, Employment, Fact, Organization
from contacts.search_index import contact_search_refresh, organization_search_refresh
from core.dates import day_label

BATCH_SIZE = 2000
PREVIEW_ROWS = 20
# `on_rows_read` is told the count after every this many rows read.
ROWS_READ_EVERY = 1000
# The report lists this many issues and duplicates; the counts are always exact.
LISTED_MAX = 1000

OnDuplicate = ContactImport.OnDuplicate
ContactsCreated = Callable[[list[int]], None]
# (contact id, organization id) of each contact a batch created, or (created=False) updated.
ContactsWritten = Callable[..., None]
Progress = Callable[[str], None]
# on_rows_read(rows read so far), and on_rows_read(rows, done=True) once every row is read.
RowsRead = Callable[..., None]
CONNECTED_FACT = "Connected on LinkedIn: "


@dataclass
class ImportResult:
    """What an import did, or would do (dry run): counts, row issues and the first rows."""

    dry_run: bool = False
    headers: list[str] = field(default_factory=list)
    mapping: list[str] = field(default_factory=list)
    header_line: int = 0
    delimiter: str = ","
    on_duplicate: str = OnDuplicate.SKIP
    rows: int = 0  # data rows read, blank lines left out
    new: int = 0
    updated: int = 0
    duplicates: int = 0  # rows matching an existing contact that was left as it was
    merged: int = 0  # rows repeating a person of an earlier row, merged into it
    errors: int = 0  # rows that cannot become a person: not imported
    warnings: int = 0  # rows imported without a value that could not be (see warning_issues)
    skipped_empty: int = 0  # rows with every cell blank
    organizations_new: int = 0
    file_errors: list[str] = field(default_factory=list)
    # The file itself cannot be read (undecodable, empty, malformed, over the row limit): no
    # mapping would make it importable, unlike a file error of the mapping.
    unreadable: bool = False
    issues: list[RowIssue] = field(default_factory=list)
    warning_issues: list[RowIssue] = field(default_factory=list)
    duplicate_rows: list[dict[str, Any]] = field(default_factory=list)
    merged_rows: list[dict[str, Any]] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    written: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.errors)

    def summary(self) -> dict[str, Any]:
        """The result as JSON, as ContactImport.result keeps it."""
        return asdict(self)


def contact_import(
    *,
    content: bytes | str,
    mapping: Sequence[str] | None = None,
    on_duplicate: str = OnDuplicate.SKIP,
    skip_invalid_rows: bool = False,
    dry_run: bool = False,
    on_created: ContactsCreated | None = None,
    on_written: ContactsWritten | None = None,
    on_progress: Progress | None = None,
    on_rows_read: RowsRead | None = None,
    max_rows: int | None = None,
    batch_size: int = BATCH_SIZE,
    author: User | None = None,
    lawful_basis_source: str = "import",
) -> ImportResult:
    """Import the contacts of a CSV file (bytes as uploaded, or text already decoded).

    Either every accepted row is written or nothing is: a file-level error, or any row with an
    error (nothing to make a person of) unless `skip_invalid_rows`, stops the import before it
    writes; warnings do not. A dry run checks and counts and writes nothing. `on_created` gets
    the ids of each batch's new contacts inside the transaction (the relationships layer gives
    them an owner there); `on_written(pairs, created=...)` the (id, organization id) of each
    batch's new and updated contacts (their timeline); `on_progress` is told, in a sentence, how
    far the check and the write have come, `on_rows_read` how many rows the reading has come to.
    More than `max_rows` data rows is a file error, found by reading one row past it.
    `author` is the author of the facts it writes. New contacts are held on legitimate interest
    from today, sourced `lawful_basis_source` ("import Connections.csv").
    """
    result = ImportResult(dry_run=dry_run, on_duplicate=OnDuplicate(on_duplicate))
    progress = on_progress or (lambda message: None)
    rows_read = on_rows_read or (lambda rows, done=False: None)
    try:
        text = content if isinstance(content, str) else text_decode(content)
        table = table_read(text)
    except ImportFileError as error:
        result.file_errors.append(error.message)
        result.unreadable = True
        return result
    result.headers = table.headers
    result.header_line, result.delimiter = table.header_line, table.delimiter
    result.mapping = list(mapping) if mapping is not None else mapping_guess(table.headers)
    result.file_errors = mapping_problems(result.headers, result.mapping)
    if result.file_errors:
        return result
    plan = _ImportPlan(result, author=author, lawful_basis_source=lawful_basis_source)
    reading = _Reading(result, RowReader(result.headers, result.mapping))
    try:
        for line, cells in table.rows():
            if max_rows is not None and result.rows >= max_rows:
                raise ImportFileError(rows_over_limit_error(max_rows, line))
            reading.read(line, cells)
            if result.rows % ROWS_READ_EVERY == 0:
                rows_read(result.rows)
    except ImportFileError as error:
        result.file_errors.append(error.message)
        result.unreadable = True
    result.skipped_empty = table.empty_rows
    if result.unreadable:
        return result
    rows_read(result.rows, done=True)
    rows = reading.people()
    for start in range(0, len(rows), batch_size):
        plan.check(rows[start : start + batch_size])
        progress(_checked(result, min(start + batch_size, len(rows)), len(rows)))
    if result.rows == 0 and not result.file_errors:
        result.file_errors.append(NO_ROWS_ERROR)
    if not rows:
        progress(_checked(result, 0, 0))
    blocked = bool(result.file_errors) or (result.errors > 0 and not skip_invalid_rows)
    if dry_run or blocked:
        return result
    with transaction.atomic():
        plan.write(
            on_created=on_created, on_written=on_written, progress=progress, batch_size=batch_size
        )
    result.written = True
    return result


def _checked(result: ImportResult, checked: int, people: int) -> str:
    return (
        f"Checked {checked:,} of {people:,} people in {result.rows:,} rows: {result.new:,} new, "
        f"{result.updated:,} to update, {result.duplicates:,} already in Rapport, "
        f"{result.merged:,} merged, {result.errors:,} with errors."
    )


class _Reading:
    """The first pass: every row read, each warning and error recorded, the rows that repeat a
    person merged into the first, so the check sees each person once."""

    def __init__(self, result: ImportResult, reader: RowReader) -> None:
        self.result = result
        self.reader = reader
        self.merger = FileMerger()
        self.rows: list[ContactRow] = []
        self.warned: set[int] = set()

    def read(self, line: int, cells: list[str]) -> None:
        result = self.result
        result.rows += 1
        row, warnings = self.reader.read(line, cells)
        if not row.is_someone:
            result.errors += 1
            # A row the reader refused whole (an unclosed quote) says why; else it is empty.
            refused = [w.message for w in warnings if w.message == UNCLOSED_QUOTE_ISSUE]
            issue = RowIssue(line, "", refused[0] if refused else NOTHING_TO_IMPORT)
            if len(result.issues) < LISTED_MAX:
                result.issues.append(issue)
            self._preview(row, "error", issue.message)
            return
        merge = self.merger.same_person(row)
        if merge is None:
            shared = self.merger.shared_phone(row)
            warnings += [shared] if shared else []
        self.warn(warnings)
        if merge is not None:
            row_merge(merge.into, row)
            self.merger.remember(merge.into)
            self._preview_refresh(merge.into)
            result.merged += 1
            note = f"Merged into row {merge.into.line}: {merge.why}."
            self._preview(row, "merged", note, warnings)
            if len(result.merged_rows) < LISTED_MAX:
                result.merged_rows.append(
                    {"line": line, "into": merge.into.line, "name": row.full_name, "why": merge.why}
                )
            return
        self.merger.remember(row)
        self.rows.append(row)
        self._preview(row, "new", "", warnings)

    def warn(self, warnings: list[RowIssue]) -> None:
        result = self.result
        for issue in warnings:
            if issue.line not in self.warned:
                self.warned.add(issue.line)
                result.warnings += 1
            if len(result.warning_issues) < LISTED_MAX:
                result.warning_issues.append(issue)

    def people(self) -> list[ContactRow]:
        """The rows to check, each a person, named (a row without a name is named after its email
        or profile, with a warning)."""
        for row in self.rows:
            issue = row_name_settle(row)
            if issue is not None:
                self.warn([issue])
                for entry in self.result.preview:
                    if entry["line"] == row.line:
                        entry["name"] = row.full_name
                        entry["warnings"].append(issue.message)
        return self.rows

    def _preview_refresh(self, row: ContactRow) -> None:
        """The first rows show a row as it is after what was merged into it."""
        for entry in self.result.preview:
            if entry["line"] == row.line:
                entry.update(name=row.full_name, organization=row.organization, title=row.title)

    def _preview(
        self, row: ContactRow, outcome: str, note: str, warnings: Sequence[RowIssue] = ()
    ) -> None:
        if len(self.result.preview) < PREVIEW_ROWS:
            self.result.preview.append(
                {
                    "line": row.line,
                    "name": row.full_name,
                    "emails": row.emails,
                    "phones": row.phones,
                    "organization": row.organization,
                    "title": row.title,
                    "outcome": outcome,
                    "note": note,
                    "warnings": [issue.message for issue in warnings],
                }
            )


class _ImportPlan:
    """What the import will write: new rows, contacts to fill in, organizations to create."""

    def __init__(
        self, result: ImportResult, *, author: User | None = None, lawful_basis_source: str = ""
    ) -> None:
        self.result = result
        self.author = author
        self.lawful_basis_source = lawful_basis_source.strip()[:200]
        self.today = timezone.localdate()
        # lowercase name -> [id or None while it is still to be created, name as written]
        self.organizations: dict[str, list[Any]] = {}
        self.new_rows: list[ContactRow] = []
        self.changed: dict[int, Contact] = {}
        self.moved: set[int] = set()  # changed contacts whose position changes
        self.organization_fills: dict[int, str] = {}  # contact id -> organization key
        self.connected_known: set[int] = set()  # contacts with a "Connected on LinkedIn" fact
        self.connected_new: dict[int, date] = {}  # changed contact id -> the date to remember

    # --- the check: reads only ---

    def check(self, rows: list[ContactRow]) -> None:
        if not rows:
            return
        self._organizations_find(rows)
        if self.result.on_duplicate == OnDuplicate.CREATE:
            matches: dict[int, list[Contact]] = {}
        else:
            matches = self._existing_find(rows)
        if self.result.on_duplicate == OnDuplicate.UPDATE:
            self._connected_known_find(rows, matches)
        for row in rows:
            found = matches.get(row.line, [])
            if not found:
                self.new_rows.append(row)
                self.result.new += 1
            elif len(found) == 1 and self.result.on_duplicate == OnDuplicate.UPDATE:
                self._fill_or_note(row, found[0])
            else:
                self._duplicate_note(row, found, "Already in Rapport")

    def _organizations_find(self, rows: list[ContactRow]) -> None:
        wanted: dict[str, str] = {}
        for row in rows:
            key = row.organization.lower()
            if key and key not in self.organizations:
                wanted.setdefault(key, row.organization)
        if not wanted:
            return
        existing = (
            Organization.objects.annotate(name_lower=Lower("name"))
            .filter(name_lower__in=list(wanted))
            .order_by("-id")  # the oldest of same-named organizations wins
            .values_list("name_lower", "id", "name")
        )
        for key, pk, name in existing:
            self.organizations[key] = [pk, name]
        for key, name in wanted.items():
            if key not in self.organizations:
                self.organizations[key] = [None, name]
                self.result.organizations_new += 1

    def _existing_find(self, rows: list[ContactRow]) -> dict[int, list[Contact]]:
        """Existing contacts per row line: those matching by email first, LinkedIn, then phone."""
        emails = sorted({email for row in rows for email in row.emails})
        phone_keys = sorted({key for row in rows for key in row.phone_keys})
        profiles = sorted({row.linkedin_key for row in rows if row.linkedin_key})
        if not (emails or phone_keys or profiles):
            return {}
        with connection.cursor() as cursor:
            cursor.execute(EXISTING_SQL, [emails, phone_keys, profiles])
            ids = [pk for (pk,) in cursor.fetchall()]
        if not ids:
            return {}
        by_email: dict[str, Contact] = {}
        by_phone: dict[str, Contact] = {}
        by_profile: dict[str, Contact] = {}
        for contact in Contact.objects.filter(pk__in=ids).order_by("-id"):  # the oldest wins
            contact = self.changed.get(contact.pk, contact)  # filled by an earlier batch
            for email in contact.emails:
                by_email[email] = contact
            for key in contact.phone_keys:
                by_phone[key] = contact
            if contact.linkedin_key:
                by_profile[contact.linkedin_key] = contact
        found: dict[int, list[Contact]] = {}
        for row in rows:
            candidates = [
                *(by_email.get(email) for email in row.emails),
                by_profile.get(row.linkedin_key),
                *(by_phone.get(key) for key in row.phone_keys),
            ]
            unique = list({c.pk: c for c in candidates if c is not None}.values())
            if unique:
                found[row.line] = unique
        return found

    def _connected_known_find(self, rows: list[ContactRow], matches: dict) -> None:
        """Which matched contacts already remember when they connected on LinkedIn (one query,
        only for a batch with such dates)."""
        ids = {
            contact.pk for row in rows if row.connected_on for contact in matches.get(row.line, [])
        }
        if ids:
            self.connected_known |= set(
                Fact.objects.filter(
                    contact_id__in=ids, text__startswith=CONNECTED_FACT
                ).values_list("contact_id", flat=True)
            )

    def _fill_or_note(self, row: ContactRow, contact: Contact) -> None:
        contact = self.changed.get(contact.pk, contact)
        filled = _contact_fill(contact, row)
        new_organization = row.organization and contact.organization_id is None
        if new_organization and contact.pk not in self.organization_fills:
            self.organization_fills[contact.pk] = row.organization.lower()
            filled.add("organization")
        known = contact.pk in self.connected_known or contact.pk in self.connected_new
        if row.connected_on and not known:
            self.connected_new[contact.pk] = row.connected_on
            filled.add("LinkedIn connection date")
        if not filled:
            self._duplicate_note(row, [contact], "Already in Rapport, nothing new")
            return
        if {"title", "organization"} & filled:
            self.moved.add(contact.pk)
        if contact.pk not in self.changed:
            self.changed[contact.pk] = contact
            self.result.updated += 1
        added = ", ".join(name.replace("_", " ") for name in sorted(filled))
        self._outcome(row.line, "update", f"Adds {added} to {contact.full_name} (#{contact.pk}).")

    def _duplicate_note(self, row: ContactRow, found: list[Contact], note: str) -> None:
        self.result.duplicates += 1
        names = ", ".join(f"{contact.full_name} (#{contact.pk})" for contact in found)
        if len(found) > 1:
            note = f"Matches {len(found)} contacts already in Rapport; left alone"
        self._outcome(row.line, "duplicate", f"{note}: {names}.")
        if len(self.result.duplicate_rows) < LISTED_MAX:
            self.result.duplicate_rows.append(
                {
                    "line": row.line,
                    "name": row.full_name,
                    "contacts": [[contact.pk, contact.full_name] for contact in found],
                }
            )

    def _outcome(self, line: int, outcome: str, note: str) -> None:
        preview = self.result.preview
        if preview and line <= preview[-1]["line"]:
            for entry in preview:
                if entry["line"] == line:
                    entry["outcome"], entry["note"] = outcome, note

    # --- the write ---

    def write(
        self,
        *,
        on_created: ContactsCreated | None,
        on_written: ContactsWritten | None,
        progress: Progress,
        batch_size: int,
    ):
        self._organizations_create()
        written = 0
        for start in range(0, len(self.new_rows), batch_size):
            rows = self.new_rows[start : start + batch_size]
            ids = self._contacts_copy(rows)
            self._positions_copy(
                (contact_id, *self._organization_of(row.organization), row.title)
                for contact_id, row in zip(ids, rows, strict=True)
                if row.organization or row.title
            )
            self._connected_facts_create(
                (contact_id, row.connected_on)
                for contact_id, row in zip(ids, rows, strict=True)
                if row.connected_on
            )
            contact_search_refresh(ids)
            if on_created:
                on_created(ids)
            if on_written:
                organization_ids = [self._organization_of(row.organization)[0] for row in rows]
                on_written(list(zip(ids, organization_ids, strict=True)), created=True)
            written += len(ids)
            progress(f"Wrote {written:,} of {len(self.new_rows):,} new contacts.")
        changed = list(self.changed.values())
        for start in range(0, len(changed), batch_size):
            batch = changed[start : start + batch_size]
            self._contacts_update(batch)
            self._connected_facts_create(
                (contact.pk, self.connected_new[contact.pk])
                for contact in batch
                if contact.pk in self.connected_new
            )
            if on_written:
                on_written([(c.pk, c.organization_id) for c in batch], created=False)
        if changed:
            progress(f"Updated {len(changed):,} contacts.")

    def _connected_facts_create(self, connections: Iterable[tuple[int, date]]) -> None:
        """ "Connected on LinkedIn: 14 Mar 2025", remembered as of that day, in one insert."""
        Fact.objects.bulk_create(
            [
                Fact(
                    contact_id=contact_id,
                    category=Fact.Category.OTHER,
                    text=f"{CONNECTED_FACT}{day_label(connected_on)}",
                    learned_on=connected_on,
                    author=self.author,
                )
                for contact_id, connected_on in connections
            ],
            batch_size=BATCH_SIZE,
        )

    def _organizations_create(self) -> None:
        missing = [entry for entry in self.organizations.values() if entry[0] is None]
        created = Organization.objects.bulk_create(
            [Organization(name=name) for _, name in missing], batch_size=BATCH_SIZE
        )
        for entry, organization in zip(missing, created, strict=True):
            entry[0] = organization.pk
        organization_search_refresh(organization.pk for organization in created)

    def _organization_of(self, name: str) -> tuple[int | None, str]:
        if not name:
            return None, ""
        pk, stored_name = self.organizations[name.lower()]
        return pk, stored_name

    def _contacts_copy(self, rows: list[ContactRow]) -> list[int]:
        """COPY the rows in, with ids taken from the table's sequence first."""
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('contacts_contact', 'id')) "
                "FROM generate_series(1, %s)",
                [len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            with cursor.copy(CONTACT_COPY_SQL) as copy:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row(
                        (
                            pk, now, now, row.first_name, row.last_name, row.emails, row.phones,
                            sorted(row.phone_keys), row.linkedin_url, row.linkedin_key, row.title,
                            self._organization_of(row.organization)[0], row.roles,
                            Contact.Role.CANDIDATE in row.roles, row.tags, row.source,
                            row.location, False, False, Contact.LawfulBasis.LEGITIMATE_INTEREST,
                            self.today, self.lawful_basis_source,
                        )
                    )  # fmt: skip
        return ids

    def _positions_copy(self, positions: Iterable[tuple[int, int | None, str, str]]) -> None:
        """Current positions: (contact id, organization id, organization name, title). Their
        start is unknown (null): the day of the import is not the day the job began."""
        now = timezone.now()
        with connection.cursor() as cursor, cursor.copy(EMPLOYMENT_COPY_SQL) as copy:
            for contact_id, organization_id, organization_name, title in positions:
                copy.write_row(
                    (now, now, contact_id, organization_id, organization_name, title, None)
                )

    def _contacts_update(self, contacts: list[Contact]) -> None:
        now = timezone.now()
        for contact in contacts:
            contact.updated_at = now
            key = self.organization_fills.get(contact.pk)
            if key is not None:
                contact.organization_id = self.organizations[key][0]
        Contact.objects.bulk_update(contacts, UPDATED_FIELDS)
        moved = [contact for contact in contacts if contact.pk in self.moved]
        if moved:
            # The current position ends by today; when the new one began, the file does not say.
            Employment.objects.filter(
                contact_id__in=[contact.pk for contact in moved], ended_on__isnull=True
            ).update(ended_on=Greatest(F("started_on"), self.today), updated_at=now)
            names = dict(self.organizations.values())
            names.update(
                Organization.objects.filter(
                    pk__in={contact.organization_id for contact in moved} - set(names)
                ).values_list("id", "name")
            )
            self._positions_copy(
                (c.pk, c.organization_id, names.get(c.organization_id, ""), c.title) for c in moved
            )
        contact_search_refresh(contact.pk for contact in contacts)


# One index probe per key. `emails && ARRAY[...2000 keys]` would be one query too, but the planner
# guesses that a long array overlaps most rows and scans the whole table.
EXISTING_SQL = """
SELECT c.id FROM unnest(%s::varchar(254)[]) AS k(email)
    JOIN contacts_contact AS c ON c.emails @> ARRAY[k.email]
UNION
SELECT c.id FROM unnest(%s::varchar(20)[]) AS k(phone_key)
    JOIN contacts_contact AS c ON c.phone_keys @> ARRAY[k.phone_key]
UNION
SELECT c.id FROM contacts_contact AS c
    WHERE c.linkedin_key = ANY(%s::varchar(200)[]) AND c.linkedin_key <> ''
"""
CONTACT_COPY_SQL = (
    "COPY contacts_contact (id, created_at, updated_at, first_name, last_name, emails, phones, "
    "phone_keys, linkedin_url, linkedin_key, title, organization_id, roles, was_candidate, tags, "
    "source, location, email_opt_out, do_not_contact, lawful_basis, lawful_basis_on, "
    "lawful_basis_source) FROM STDIN"
)
EMPLOYMENT_COPY_SQL = (
    "COPY contacts_employment (created_at, updated_at, contact_id, organization_id, "
    "organization_name, title, started_on) FROM STDIN"
)
UPDATED_FIELDS = [
    "last_name", "emails", "phones", "phone_keys", "linkedin_url", "linkedin_key", "title",
    "organization", "roles", "was_candidate", "tags", "source", "location", "updated_at",
]  # fmt: skip


def _contact_fill(contact: Contact, row: ContactRow) -> set[str]:
    """Copy what the row knows and the contact does not (but its organization); the names of
    what changed."""
    filled = set()
    for name in ("last_name", "title", "source", "location"):
        if not getattr(contact, name) and getattr(row, name):
            setattr(contact, name, getattr(row, name))
            filled.add(name)
    if not contact.linkedin_url and row.linkedin_url:
        contact.linkedin_url, contact.linkedin_key = row.linkedin_url, row.linkedin_key
        filled.add("linkedin_url")
    new_emails = [email for email in row.emails if email not in contact.emails]
    if new_emails:
        contact.emails = [*contact.emails, *new_emails]
        filled.add("emails")
    new_phones = [
        (phone, key)
        for phone, key in zip(row.phones, row.phone_keys, strict=True)
        if key not in contact.phone_keys
    ]
    if new_phones:
        contact.phones = [*contact.phones, *(phone for phone, _ in new_phones)]
        contact.phone_keys = sorted({*contact.phone_keys, *(key for _, key in new_phones)})
        filled.add("phones")
    for name in ("roles", "tags"):
        added = [value for value in getattr(row, name) if value not in getattr(contact, name)]
        if added:
            setattr(contact, name, [*getattr(contact, name), *added])
            filled.add(name)
    if Contact.Role.CANDIDATE in contact.roles:
        contact.was_candidate = True
    return filled
