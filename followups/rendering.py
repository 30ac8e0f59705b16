"""Merge fields: `{{ first_name }}` in a template's subject, text and HTML.

A small closed vocabulary rather than the Django template language: an admin can write any text,
a typo in a field name is refused when the template is saved, and rendering 100,000 messages is a
regular-expression substitution per message (no template compilation per row).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.html import escape, linebreaks

MERGE_FIELD = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

MERGE_FIELDS = {
    "first_name": "The recipient's first name",
    "full_name": "The recipient's full name",
    "job_title": "The job's title",
    "company": "The client's name, or the job's confidential alias for candidates",
    "stage": "The candidacy's current stage",
    "next_step": "What happens next in the candidacy",
    "outcome": "The decision on a closed candidacy",
    "pipeline": "For clients: the job's pipeline by stage",
    "awaiting_feedback": "For clients: who awaits their feedback",
    "recruiter_name": "The recruiter's name",
    "recruiter_signature": "The recruiter's signature (name and email)",
    "personal_note": "The recruiter's personal note on this message",
    "unsubscribe_url": "The recipient's one-click unsubscribe link",
}


def merge_fields_unknown(source: str) -> list[str]:
    """The merge fields in `source` that do not exist, in order of appearance, once each."""
    names = (match.group(1) for match in MERGE_FIELD.finditer(source or ""))
    return list(dict.fromkeys(name for name in names if name not in MERGE_FIELDS))


def merge(source: str, values: Mapping[str, str], *, html: bool = False) -> str:
    """Replace every merge field; in HTML the values are escaped and line breaks kept."""

    def value(match: re.Match) -> str:
        found = values.get(match.group(1), "")
        if not html:
            return found
        return linebreaks(found) if "\n" in found else escape(found)

    return MERGE_FIELD.sub(value, source or "")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(*, subject: str, text: str, html: str, values: Mapping[str, str]) -> Rendered:
    return Rendered(
        subject=" ".join(merge(subject, values).split()),
        text=merge(text, values),
        html=merge(html, values, html=True) if html else "",
    )


def merge_fields_help() -> Iterable[tuple[str, str]]:
    return MERGE_FIELDS.items()
