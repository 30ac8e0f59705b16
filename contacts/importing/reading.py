"""Reading a CSV of contacts: decoding, the delimiter, the header row, the column mapping and the
checks of each row. Pure Python, no database: the writing side (contacts.importing.writing) gets
rows that are already clean.

Row numbers are the file's line numbers, header and preamble lines included, so "row 7" is what a
spreadsheet or an editor shows as line 7.

The person matters more than a field: a cell that cannot be imported (an invalid email, a phone
too short, a URL that is not a LinkedIn profile...) is left out with a warning naming row, column
and value, and the row is imported without it. Only a row with nothing to make a person of (no
name, no email and no LinkedIn URL) is an error. A row that repeats a person of an earlier row
(the same email in any case, the same LinkedIn profile with or without its trailing slash) is
merged into that row (`FileMerger`).
"""

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from contacts.models import Contact, Organization
from contacts.normalize import (
    PHONE_MIN_DIGITS,
    email_normalize,
    linkedin_key,
    linkedin_url_validate,
    phone_key,
)

ENCODING_ERROR = "Cannot read the file as UTF-8 or UTF-16: save it as CSV UTF-8."
EMPTY_ERROR = "The file is empty."
NO_ROWS_ERROR = "The file has a header row but no contacts under it."
DELIMITERS = (",", ";", "\t")
# The header is looked for in the first lines: LinkedIn puts a few lines of notes above it.
HEADER_SCAN_ROWS = 30
HEADER_SCAN_CHARS = 64 * 1024

# Fields a column can be imported into, in the order the mapping form offers them.
TARGETS: dict[str, str] = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
    "linkedin_url": "LinkedIn URL",
    "title": "Title",
    "organization": "Organization",
    "roles": "Roles",
    "tags": "Tags",
    "source": "Source",
    "location": "Location",
    "connected_on": "LinkedIn “Connected On” (a dated fact)",
}
# Several columns may feed these (Email 1, Email 2...); every other field takes one column.
REPEATABLE_TARGETS = frozenset({"email", "phone", "roles", "tags"})
REQUIRED_TARGET = "first_name"
# The dates a "Connected On" column is read in: LinkedIn's own ("14 Mar 2025"), then others.
CONNECTED_ON_FORMATS = ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
LEFT_OUT = "Imported without it."
NOTHING_TO_IMPORT = "No name, no email and no LinkedIn URL: nothing to make a person of."

_ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": ("firstname", "first", "givenname", "forename", "prénom", "vorname"),
    "last_name": ("lastname", "last", "surname", "familyname", "nachname", "nom"),
    "email": (
        "email", "emails", "emailaddress", "emailaddresses", "mail", "workemail",
        "personalemail", "primaryemail", "businessemail", "otheremail",
    ),
    "phone": (
        "phone", "phones", "phonenumber", "phonenumbers", "mobile", "mobilephone",
        "mobilenumber", "cell", "cellphone", "telephone", "tel", "workphone", "homephone",
        "primaryphone", "businessphone",
    ),
    "linkedin_url": (
        "url", "linkedin", "linkedinurl", "linkedinprofile", "linkedinprofileurl", "profileurl",
    ),
    "title": ("title", "jobtitle", "position", "currentposition", "currenttitle"),
    "organization": (
        "company", "companyname", "organization", "organisation", "organizationname",
        "organisationname", "firma", "employer", "currentcompany", "account", "accountname",
    ),
    "roles": ("roles", "role", "contactrole", "contacttype"),
    "tags": ("tags", "tag", "labels", "label", "keywords"),
    "source": ("source", "leadsource", "origin"),
    "location": ("location", "city", "town", "region"),
    "connected_on": ("connectedon",),
}  # fmt: skip
HEADER_ALIASES: dict[str, str] = {
    alias: target for target, aliases in _ALIASES.items() for alias in aliases
}

_MAX_LENGTHS = {
    name: Contact._meta.get_field(name).max_length
    for name in ("first_name", "last_name", "title", "source", "location", "linkedin_url")
} | {"organization": Organization._meta.get_field("name").max_length}
_PHONE_MAX = 40
_TAG_MAX = 50
_ROLES = {role.value: role.value for role in Contact.Role} | {
    role.label.lower().replace(" ", "_"): role.value for role in Contact.Role
}
_ROLE_HINT = ", ".join(role.value for role in Contact.Role)
_SPLIT = re.compile(r"[;,]")
_SPLIT_EMAILS = re.compile(r"[;,\s]+")
_url_validate = URLValidator()
UNCLOSED_QUOTE_ISSUE = (
    'Runs over several lines: a quote (") is probably not closed, so the rows after it were '
    "read into this one. Close the quote or remove it."
)


class ImportFileError(Exception):
    """The file as a whole cannot be imported: unreadable, empty, without rows, malformed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class RowIssue:
    """What is wrong with one cell (or with the row, when `column` is ""): an error (the row is
    not imported) or a warning (it is, without that value), by the list it is in."""

    line: int
    column: str
    message: str


@dataclass(slots=True)
class ContactRow:
    """One clean row, ready to write."""

    line: int
    first_name: str = ""
    last_name: str = ""
    emails: list[str] = field(default_factory=list)
    email_columns: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    phone_keys: list[str] = field(default_factory=list)
    phone_columns: list[str] = field(default_factory=list)
    linkedin_url: str = ""
    linkedin_key: str = ""
    linkedin_column: str = ""
    title: str = ""
    organization: str = ""
    roles: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    source: str = ""
    location: str = ""
    connected_on: date | None = None
    first_name_column: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_someone(self) -> bool:
        """A name, an email or a LinkedIn profile: enough to make a person of."""
        return bool(self.first_name or self.last_name or self.emails or self.linkedin_key)


# --- the file ------------------------------------------------------------------------------------


def text_decode(content: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with its BOM; anything else is refused."""
    return "".join(text_chunks([content]))


def text_chunks(chunks: Iterable[bytes], *, max_bytes: int | None = None) -> Iterator[str]:
    """text_decode of a file read a chunk at a time (an upload's chunks()), a piece of text for
    each chunk: refused as soon as a chunk cannot be decoded, or once over `max_bytes`, without
    ever holding the whole file."""
    head = b""
    decoder: codecs.IncrementalDecoder | None = None
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise ImportFileError(bytes_over_limit_error(size, max_bytes))
        if decoder is None:
            head += chunk
            if len(head) < len(codecs.BOM_UTF8):  # too short to tell a BOM yet
                continue
            decoder = codecs.getincrementaldecoder(_encoding_of(head))()
            chunk, head = head, b""
        yield _text_of(decoder, chunk)
    if decoder is None:
        decoder = codecs.getincrementaldecoder(_encoding_of(head))()
        yield _text_of(decoder, head)
    yield _text_of(decoder, b"", final=True)


def _encoding_of(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def _text_of(decoder: codecs.IncrementalDecoder, chunk: bytes, *, final: bool = False) -> str:
    try:
        text = decoder.decode(chunk, final)
    except UnicodeDecodeError as error:
        raise ImportFileError(ENCODING_ERROR) from error
    if "\x00" in text:  # UTF-16 without a BOM decodes as UTF-8 full of NULs
        raise ImportFileError(ENCODING_ERROR)
    return text


def bytes_over_limit_error(size: int, limit: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; the limit here is {limit // 1024 // 1024} MB. "
        "Split it, or ask an admin to run `manage.py import_contacts` with it."
    )


def rows_over_limit_error(limit: int, line: int) -> str:
    return (
        f"Row {line:,} is past the limit: the file has more than {limit:,} contacts and the "
        f"limit here is {limit:,}. Split it, or ask an admin to run `manage.py import_contacts` "
        "with it."
    )


def header_key(header: str) -> str:
    """ "E-mail Address" -> "emailaddress", "Email 2" -> "email": how headers are compared."""
    return re.sub(r"[\W\d_]", "", header.casefold())


def _recognised(cells: Sequence[str]) -> int:
    return sum(1 for cell in cells if header_key(cell) in HEADER_ALIASES)


@dataclass
class Table:
    """A CSV's header and an iterator over its data rows as (line number, cells)."""

    text: str
    delimiter: str
    header_index: int  # among the csv rows, blank ones included
    headers: list[str]
    header_line: int = 0
    # Rows under the header with cells, every one of them blank (",,,"), met by rows() so far.
    empty_rows: int = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The data rows under the header, blank rows left out (those with cells counted in
        `empty_rows`). ImportFileError on bad CSV."""
        reader = csv.reader(_lines(self.text), delimiter=self.delimiter)
        consumed = 0
        index = -1
        self.empty_rows = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ImportFileError(
                    f"Row {consumed + 1}: the CSV is malformed ({error})."
                ) from error
            line, consumed = consumed + 1, reader.line_num
            index += 1
            if index <= self.header_index:
                continue
            if any(cell.strip() for cell in cells):
                yield line, cells
            elif cells:
                self.empty_rows += 1

    def has_rows(self) -> bool:
        return next(self.rows(), None) is not None


# A line and its ending, as io.StringIO(text, newline="") reads them: "\r\n", "\r" or "\n".
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` one at a time, without the copy of it a StringIO makes (four bytes a
    character: 40 MB for a 10 MB file)."""
    return (match.group() for match in _LINE.finditer(text))


def table_read(text: str) -> Table:
    """Find the delimiter and the header row (skipping a preamble such as LinkedIn's notes)."""
    if not text.strip():
        raise ImportFileError(EMPTY_ERROR)
    head = text[:HEADER_SCAN_CHARS]
    best: tuple[int, int, str] | None = None  # (recognised headers, -row index, delimiter)
    for delimiter in DELIMITERS:
        for index, cells in enumerate(_head_rows(head, delimiter)):
            score = _recognised(cells)
            if score and (best is None or (score, -index) > best[:2]):
                best = (score, -index, delimiter)
            if score >= 2:
                break
    if best is None:
        delimiter = _delimiter_guess(head)
        index = next(i for i, cells in enumerate(_head_rows(head, delimiter)) if any(cells))
    else:
        _, index, delimiter = best[0], -best[1], best[2]
    cells = _head_rows(head, delimiter)[index]
    table = Table(
        text=text, delimiter=delimiter, header_index=index, headers=[c.strip() for c in cells]
    )
    table.header_line = _line_of(head, delimiter, index)
    return table


def _head_rows(head: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for cells in reader:
            rows.append(cells if any(cell.strip() for cell in cells) else [])
            if len(rows) >= HEADER_SCAN_ROWS:
                break
    except csv.Error:
        pass  # a cut-off quote at the end of the head: the rows before it are enough
    return rows


def _line_of(head: str, delimiter: str, index: int) -> int:
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
    consumed = 0
    for row_index, _ in enumerate(reader):
        if row_index == index:
            return consumed + 1
        consumed = reader.line_num
    return consumed + 1


def _delimiter_guess(head: str) -> str:
    first = next((line for line in head.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=first.count)


# --- the mapping ---------------------------------------------------------------------------------


def mapping_guess(headers: Sequence[str]) -> list[str]:
    """One target per column: known header names mapped, the rest ("") left out."""
    taken: set[str] = set()
    mapping = []
    for header in headers:
        target = HEADER_ALIASES.get(header_key(header), "")
        if target in taken and target not in REPEATABLE_TARGETS:
            target = ""
        taken.add(target)
        mapping.append(target)
    return mapping


def mapping_problems(headers: Sequence[str], mapping: Sequence[str]) -> list[str]:
    """Why this mapping cannot be imported, as sentences; [] when it can."""
    if len(mapping) != len(headers):
        return [f"The mapping names {len(mapping)} columns; the file has {len(headers)}."]
    problems = []
    first_column: dict[str, str] = {}
    for header, target in zip(headers, mapping, strict=True):
        if target and target not in TARGETS:
            problems.append(f"Column “{header}”: {target!r} is not a field contacts have.")
        elif target in first_column and target not in REPEATABLE_TARGETS:
            problems.append(
                f"Columns “{first_column[target]}” and “{header}” are both mapped to "
                f"{TARGETS[target]}: choose one."
            )
        elif target:
            first_column[target] = header
    if REQUIRED_TARGET not in first_column:
        problems.append(
            "No column is mapped to First name: the file needs a first name column "
            "(such as “First Name”)."
        )
    return problems


# --- the rows ------------------------------------------------------------------------------------


class RowReader:
    """Turns the cells of one row into a ContactRow, or into issues naming row and column."""

    def __init__(self, headers: Sequence[str], mapping: Sequence[str]) -> None:
        self.headers = [header or f"column {n}" for n, header in enumerate(headers, 1)]
        self.columns: dict[str, list[int]] = {}
        # "Connected On" last: it fills the source only when no source column did.
        for index, target in sorted(enumerate(mapping), key=lambda c: c[1] == "connected_on"):
            if target:
                self.columns.setdefault(target, []).append(index)

    def read(self, line: int, cells: Sequence[str]) -> tuple[ContactRow, list[RowIssue]]:
        """The row and its warnings: each value that could not be imported, left out."""
        row = ContactRow(line=line)
        warnings: list[RowIssue] = []
        extra = [cell for cell in cells[len(self.headers) :] if cell.strip()]
        if extra:
            warnings.append(
                RowIssue(
                    line,
                    "",
                    f"Has {len(cells)} cells but the header has {len(self.headers)} columns: "
                    f"{', '.join(repr(cell.strip()) for cell in extra)} left out.",
                )
            )
        # Every field a column can feed is one line: a mapped cell with a line break is an
        # unbalanced quote that swallowed the rows under it, not one person.
        if any(
            "\n" in cells[index] or "\r" in cells[index]
            for indexes in self.columns.values()
            for index in indexes
            if index < len(cells)
        ):
            return row, [RowIssue(line, "", UNCLOSED_QUOTE_ISSUE)]
        for target, indexes in self.columns.items():
            for index in indexes:
                value = cells[index].strip() if index < len(cells) else ""
                for problem in self._cell(row, target, value, self.headers[index]):
                    warnings.append(RowIssue(line, self.headers[index], f"{problem} {LEFT_OUT}"))
        if REQUIRED_TARGET in self.columns:
            row.first_name_column = self.headers[self.columns[REQUIRED_TARGET][0]]
        return row, warnings

    def _cell(self, row: ContactRow, target: str, value: str, column: str) -> list[str]:
        """Put one cell's value on the row; what could not be put there, as sentences."""
        if not value:
            return []
        if target == "email":
            return _emails_add(row, value, column)
        if target == "phone":
            return _phones_add(row, value, column)
        if target == "roles":
            return _roles_add(row, value)
        if target == "tags":
            return _tags_add(row, value)
        if target == "linkedin_url":
            return _linkedin_set(row, value, column)
        if target == "connected_on":
            return _connected_on_set(row, value)
        limit = _MAX_LENGTHS[target]
        if len(value) > limit:
            return [f"'{value[:40]}…' is longer than {limit} characters ({len(value)})."]
        if not getattr(row, target):
            setattr(row, target, value)
        return []


def _emails_add(row: ContactRow, value: str, column: str) -> list[str]:
    problems = []
    for raw in _SPLIT_EMAILS.split(value):
        if not raw:
            continue
        try:
            email = email_normalize(raw)
        except ValidationError as error:
            problems.append(error.messages[0])
            continue
        if email not in row.emails:
            row.emails.append(email)
            row.email_columns.append(column)
    return problems


def _phones_add(row: ContactRow, value: str, column: str) -> list[str]:
    problems = []
    for raw in _SPLIT.split(value):
        phone = raw.strip()
        if not phone:
            continue
        key = phone_key(phone)
        if not key:
            problems.append(
                f"'{phone}' is not a phone number: it needs at least {PHONE_MIN_DIGITS} digits."
            )
        elif len(phone) > _PHONE_MAX:
            problems.append(f"'{phone}' is longer than {_PHONE_MAX} characters.")
        elif key not in row.phone_keys:
            row.phones.append(phone)
            row.phone_keys.append(key)
            row.phone_columns.append(column)
    return problems


def _roles_add(row: ContactRow, value: str) -> list[str]:
    problems = []
    for raw in _SPLIT.split(value):
        name = re.sub(r"[\s-]+", "_", raw.strip().lower())
        if not name:
            continue
        role = _ROLES.get(name)
        if role is None:
            problems.append(f"Unknown role '{raw.strip()}' (the roles are {_ROLE_HINT}).")
        elif role not in row.roles:
            row.roles.append(role)
    return problems


def _tags_add(row: ContactRow, value: str) -> list[str]:
    problems = []
    for raw in _SPLIT.split(value):
        tag = raw.strip().lower()
        if len(tag) > _TAG_MAX:
            problems.append(f"Tag '{raw.strip()}' is longer than {_TAG_MAX} characters.")
        elif tag and tag not in row.tags:
            row.tags.append(tag)
    return problems


def _linkedin_set(row: ContactRow, value: str, column: str) -> list[str]:
    try:
        url = linkedin_url_validate(value)
        _url_validate(url)
    except ValidationError:
        return [
            f"'{value}' is not a LinkedIn profile URL "
            "(expected https://www.linkedin.com/in/<name>)."
        ]
    if len(url) > _MAX_LENGTHS["linkedin_url"]:
        return [f"'{url[:40]}…' is longer than {_MAX_LENGTHS['linkedin_url']} characters."]
    if not row.linkedin_url:
        row.linkedin_url, row.linkedin_key = url, linkedin_key(url)
        row.linkedin_column = column
    return []


def connected_on_parse(value: str) -> date | None:
    """ "14 Mar 2025" (LinkedIn's export), "2025-03-14", "14/03/2025"...; None when no date."""
    for pattern in CONNECTED_ON_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def _connected_on_set(row: ContactRow, value: str) -> list[str]:
    """The date becomes a fact (contacts.importing.writing); the source, when no column gave
    one, says where we met."""
    row.source = row.source or "LinkedIn"
    connected_on = connected_on_parse(value)
    if connected_on is None:
        return [f"'{value}' is not a date like 14 Mar 2025."]
    row.connected_on = row.connected_on or connected_on
    return []


def row_name_settle(row: ContactRow) -> RowIssue | None:
    """A row without a first name: named after its email or LinkedIn profile when it has no name
    at all, so the person can be found (the warning says to fix it); with a last name, imported
    with that alone."""
    if row.first_name:
        return None
    column = row.first_name_column
    if row.last_name:
        return RowIssue(row.line, column, "No first name: imported with the last name only.")
    if row.emails:
        row.first_name = row.emails[0].split("@")[0][: _MAX_LENGTHS["first_name"]]
        source = "email address"
    else:
        row.first_name = row.linkedin_key.split("/", 1)[-1][: _MAX_LENGTHS["first_name"]]
        source = "LinkedIn profile"
    return RowIssue(
        row.line, column, f"No name: imported as '{row.first_name}' (from the {source})."
    )


@dataclass(frozen=True, slots=True)
class Merge:
    """A row that repeats the person of an earlier row, merged into it."""

    into: ContactRow
    why: str  # "same email ana@mail.example"


class FileMerger:
    """Remembers the emails, LinkedIn profiles and phones of the rows read so far. A later row
    sharing an email or a LinkedIn profile with an earlier one is the same person: `merge` folds
    it into that row. Sharing only a phone (a switchboard, a family line) is not enough: the row
    stays a person of its own, with a warning."""

    def __init__(self) -> None:
        self.emails: dict[str, ContactRow] = {}
        self.profiles: dict[str, ContactRow] = {}
        self.phones: dict[str, ContactRow] = {}

    def same_person(self, row: ContactRow) -> Merge | None:
        for email in row.emails:
            if email in self.emails:
                return Merge(self.emails[email], f"same email {email}")
        if row.linkedin_key and row.linkedin_key in self.profiles:
            return Merge(
                self.profiles[row.linkedin_key], f"same LinkedIn profile {row.linkedin_url}"
            )
        return None

    def shared_phone(self, row: ContactRow) -> RowIssue | None:
        for phone, key, column in zip(row.phones, row.phone_keys, row.phone_columns, strict=True):
            if key in self.phones and self.phones[key] is not row:
                first = self.phones[key].line
                return RowIssue(
                    row.line,
                    column,
                    f"Same phone {phone} as row {first}: imported as another person.",
                )
        return None

    def remember(self, row: ContactRow) -> None:
        for email in row.emails:
            self.emails.setdefault(email, row)
        if row.linkedin_key:
            self.profiles.setdefault(row.linkedin_key, row)
        for key in row.phone_keys:
            self.phones.setdefault(key, row)


def row_merge(into: ContactRow, row: ContactRow) -> None:
    """Fold `row` into `into`: what `into` lacks is taken, emails, phones, roles and tags added."""
    for name in ("first_name", "last_name", "title", "organization", "source", "location"):
        if not getattr(into, name) and getattr(row, name):
            setattr(into, name, getattr(row, name))
    if not into.first_name_column:
        into.first_name_column = row.first_name_column
    if not into.linkedin_url and row.linkedin_url:
        into.linkedin_url, into.linkedin_key = row.linkedin_url, row.linkedin_key
        into.linkedin_column = row.linkedin_column
    for email, column in zip(row.emails, row.email_columns, strict=True):
        if email not in into.emails:
            into.emails.append(email)
            into.email_columns.append(column)
    for phone, key, column in zip(row.phones, row.phone_keys, row.phone_columns, strict=True):
        if key not in into.phone_keys:
            into.phones.append(phone)
            into.phone_keys.append(key)
            into.phone_columns.append(column)
    for name in ("roles", "tags"):
        values = getattr(into, name)
        values.extend(value for value in getattr(row, name) if value not in values)
    if row.connected_on and (into.connected_on is None or row.connected_on < into.connected_on):
        into.connected_on = row.connected_on
