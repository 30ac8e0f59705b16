"""Keyset-pagination cursors shared by pages and the API: base64 of the JSON list of the last
row's ordering values. A cursor comes from the client, so decoding refuses anything PostgreSQL
could not compare (NUL characters, integers past bigint) instead of failing with a 500."""

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

INVALID_CURSOR = "This page link is not valid; start again from the first page."


class InvalidCursor(ValueError):
    def __init__(self, message: str = INVALID_CURSOR) -> None:
        super().__init__(message)


def cursor_encode(values: Sequence[Any]) -> str:
    plain = [value.isoformat() if hasattr(value, "isoformat") else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def cursor_decode(cursor: str, *, length: int) -> list[Any]:
    """The cursor's `length` raw values, or InvalidCursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error) as error:
        raise InvalidCursor from error
    if not isinstance(values, list) or len(values) != length:
        raise InvalidCursor
    return values


def cursor_name_and_id(cursor: str) -> tuple[str, int]:
    """Decode the common (name key, id) cursor."""
    name, pk = cursor_decode(cursor, length=2)
    if not isinstance(name, str) or isinstance(pk, bool) or not isinstance(pk, int):
        raise InvalidCursor
    if not (cursor_value_comparable(name) and 0 < pk < 2**63):
        raise InvalidCursor
    return name, pk


def cursor_value_comparable(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, int) and not isinstance(value, bool):
        return -(2**63) <= value < 2**63
    return True
