"""Keyset paging for list pages: the cursor from the query string, the page, and the links to
the first and the next page. A bad cursor is not an error page: the first page is shown with a
note saying why."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.http import HttpRequest

from core.cursors import InvalidCursor

PageT = TypeVar("PageT")


@dataclass(frozen=True)
class KeysetPage(Generic[PageT]):
    page: PageT
    next_url: str
    first_url: str
    cursor_error: str
    filter_query: str

    def context(self) -> dict[str, Any]:
        """What the pagination partial (core/partials/pagination.html) reads."""
        return {
            "next_url": self.next_url,
            "first_url": self.first_url,
            "cursor_error": self.cursor_error,
        }


def keyset_page(
    request: HttpRequest, *, list_url: str, fetch: Callable[[str | None], PageT]
) -> KeysetPage[PageT]:
    """Fetch the page after the request's `after` cursor; `fetch(cursor)` returns an object
    with a `next_cursor` attribute (empty on the last page)."""
    query = request.GET.copy()
    cursor = query.pop("after", [""])[-1]
    cursor_error = ""
    try:
        page = fetch(cursor or None)
    except InvalidCursor as error:
        cursor_error = str(error)
        cursor = ""
        page = fetch(None)
    filter_query = query.urlencode()
    next_url = ""
    next_cursor = getattr(page, "next_cursor", "")
    if next_cursor:
        query["after"] = next_cursor
        next_url = f"{list_url}?{query.urlencode()}"
    return KeysetPage(
        page=page,
        next_url=next_url,
        first_url=f"{list_url}?{filter_query}".rstrip("?") if cursor else "",
        cursor_error=cursor_error,
        filter_query=filter_query,
    )
