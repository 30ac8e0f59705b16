"""Finding and blotting out what identifies a person in free text and JSON (the erasure of a
person, crm.privacy): the person's names, addresses and numbers are the markers; a text that
mentions one has each mention replaced, a JSON value has every string that mentions one
replaced whole."""

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, CharField, Value, When

ERASED = "[erased]"
# Markers shorter than this (an initial, "Al") would blot out half of any text.
MARKER_MIN_LENGTH = 3


def erased_unless_blank(field: str) -> Case:
    """An UPDATE's value for a free-text column: [erased] where it said something, blank where
    it was blank, so whatever counts the rows that say something (a rating with a comment)
    counts the same."""
    return Case(
        When(**{field: ""}, then=Value("")), default=Value(ERASED), output_field=CharField()
    )


class Markers:
    """What identifies one person, matched case-insensitively."""

    def __init__(self, values: Iterable[str]) -> None:
        cleaned = {" ".join(str(value).split()) for value in values}
        self.values = sorted(
            (value for value in cleaned if len(value) >= MARKER_MIN_LENGTH), key=len, reverse=True
        )
        self._pattern = (
            re.compile("|".join(re.escape(value) for value in self.values), re.IGNORECASE)
            if self.values
            else None
        )

    def __bool__(self) -> bool:
        return bool(self.values)

    def found_in(self, text: str) -> bool:
        return bool(self._pattern and text and self._pattern.search(text))

    def redact_text(self, text: str) -> str:
        """`text` with every mention replaced by [erased]."""
        if not self._pattern or not text:
            return text
        return self._pattern.sub(ERASED, text)

    def redact_json(self, value: Any) -> Any:
        """`value` (any JSON) with every string that mentions a marker replaced by [erased],
        and so every other string beside it in the same list or object: a row that mentions
        the person's address loses their name in the next cell too."""
        if isinstance(value, str):
            return ERASED if self.found_in(value) else value
        if isinstance(value, list):
            if any(isinstance(item, str) and self.found_in(item) for item in value):
                return [
                    ERASED if isinstance(item, str) else self.redact_json(item) for item in value
                ]
            return [self.redact_json(item) for item in value]
        if isinstance(value, dict):
            if any(isinstance(item, str) and self.found_in(item) for item in value.values()):
                return {
                    key: ERASED if isinstance(item, str) else self.redact_json(item)
                    for key, item in value.items()
                }
            return {key: self.redact_json(item) for key, item in value.items()}
        return value

    def lines_without(self, text: str) -> str:
        """`text` without the lines that mention a marker (a CSV's rows about the person)."""
        if not self._pattern or not text:
            return text
        return "".join(line for line in text.splitlines(keepends=True) if not self.found_in(line))
