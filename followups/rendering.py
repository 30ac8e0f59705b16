"""Merge fields: `{{ first_name }}` in a template's subject, text and HTML.

A small closed vocabulary rather than the Django template language: an admin can write any text,
a typo in a field name is refused when the template is saved, and rendering 100,000 messages is a
regular-expression substitution per message (no template compilation per row).

Values are plain text. In the HTML part each value is escaped first, then its line breaks become
`<br>`, so a value can never add markup (a link, a paragraph) to a message. An optional value
left blank (a personal note) leaves no empty paragraph in the HTML and no run of blank lines in
the text.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.html import escape

MERGE_FIELD = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

MERGE_FIELDS = {
    "first_name": "The recipient's first name",
    "full_name": "The recipient's full name",
    "job_title": "The job's title",
    "company": "The client's name, or the job's confidential alias for candidates",
    "stage": "The candidacy's current stage",
    "progress": "For candidates: where the candidacy stands, what has happened so far",
    "next_step": "What happens next",
    "next_update": "When the recipient hears from us again, e.g. Monday 16 March",
    "outcome": "What was decided: on a closed candidacy, or a closed job for its client",
    "pipeline": "For clients: the job's pipeline by stage",
    "awaiting_feedback": "For clients: who awaits their feedback",
    "feedback_request": "For clients: who awaits their feedback, as a sentence (blank if no one)",
    "previous_recruiter": "For introductions: the recruiter who handed the contact over",
    "recruiter_name": "The recruiter's name",
    "recruiter_signature": "The recruiter's signature (name and email)",
    "personal_note": "The recruiter's personal note on this message",
    "market_note": "A fresh market note the recipient has not had, as a sentence (blank if none)",
    "market_this_week": (
        "For clients: up to three fresh notes on the job's market from the last 7 days, as a "
        "short list (blank if none)"
    ),
    "unsubscribe_url": "The recipient's one-click unsubscribe link",
    "rating_question": "For closure notices: the one-click rating question (blank if not asked)",
    "rating_links": "For closure notices: the three rating links, a line each (for the text part)",
    "rating_good_url": "For closure notices: the rating link for “good”",
    "rating_okay_url": "For closure notices: the rating link for “okay”",
    "rating_not_good_url": "For closure notices: the rating link for “not good”",
}

_NEWLINES = re.compile(r"\r\n?")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
# A paragraph holding nothing but white space and line breaks: what a blank value leaves.
_EMPTY_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(?:\s|&nbsp;|<br\s*/?>)*</p>[ \t]*\n?", re.I)
_BLANK_HTML_LINES = re.compile(r"\n{2,}")
# A paragraph of nothing but links without an address (blank optional values) and separators.
_BLANK_LINK_PARAGRAPH = re.compile(
    r'<p(?:\s[^>]*)?>(?:\s|·|&middot;|<br\s*/?>|<a href="">[^<]*</a>)*</p>[ \t]*\n?', re.I
)


def merge_fields_unknown(source: str) -> list[str]:
    """The merge fields in `source` that do not exist, in order of appearance, once each."""
    names = (match.group(1) for match in MERGE_FIELD.finditer(source or ""))
    return list(dict.fromkeys(name for name in names if name not in MERGE_FIELDS))


def _plain(value: str) -> str:
    """A value as text: line endings made \\n, no blank lines around it, at most one inside."""
    value = _NEWLINES.sub("\n", value or "").strip()
    return _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("", value))


def _html(value: str) -> str:
    """A value as HTML: escaped first, then its line breaks made `<br>`."""
    return escape(_plain(value)).replace("\n", "<br>\n")


def merge(source: str, values: Mapping[str, str], *, html: bool = False) -> str:
    """Replace every merge field; in HTML the values are escaped and line breaks kept."""
    clean = _html if html else _plain

    def value(match: re.Match) -> str:
        return clean(values.get(match.group(1), ""))

    return MERGE_FIELD.sub(value, source or "")


def tidy_text(text: str) -> str:
    """No trailing spaces, no blank lines at the start, no runs of blank lines (a blank optional
    value leaves one paragraph break, not three)."""
    ends_with_newline = text.endswith("\n")
    text = _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("", _NEWLINES.sub("\n", text)))
    text = text.strip("\n")
    return text + "\n" if ends_with_newline and text else text


def tidy_html(html: str) -> str:
    """No empty paragraphs (a blank optional value, or links whose addresses are all blank), no
    runs of blank lines."""
    html = _EMPTY_PARAGRAPH.sub("", _NEWLINES.sub("\n", html))
    html = _BLANK_LINK_PARAGRAPH.sub("", html)
    return _BLANK_HTML_LINES.sub("\n", html).strip("\n") + ("\n" if html.endswith("\n") else "")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    # The market note the words carry ({{ market_note }}), recorded when the message is sent.
    market_note_id: int | None = None


def render(*, subject: str, text: str, html: str, values: Mapping[str, str]) -> Rendered:
    return Rendered(
        subject=" ".join(merge(subject, values).split()),
        text=tidy_text(merge(text, values)),
        html=tidy_html(merge(html, values, html=True)) if html else "",
    )


def merge_fields_help() -> Iterable[tuple[str, str]]:
    return MERGE_FIELDS.items()
