"""Helpers shared by the tests: waiting on a condition (never a fixed sleep), reading a page like
a person would, walking API pages, forging keyset cursors, a contact's career, logging in through
the browser."""

import base64
import threading
import time
from collections.abc import Callable
from html.parser import HTMLParser
from typing import TypeVar

from playwright.sync_api import Page, expect

T = TypeVar("T")


# --- waiting -------------------------------------------------------------------------------------


def wait_until(condition: Callable[[], T], *, timeout: float = 30, what: str = "condition") -> T:
    """Return the first truthy value of `condition()`, polling until `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        pause.wait(0.05)


# --- pages: the text of the elements marked `data-testid="..."` ----------------------------------

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip


class _TestIdText(HTMLParser):
    def __init__(self, test_id: str) -> None:
        super().__init__()
        self.test_id = test_id
        self.found: list[list[str]] = []
        self.open: list[tuple[int, int]] = []  # (depth, index in found) of captured elements
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        self.depth += 1
        if dict(attrs).get("data-testid") == self.test_id:
            self.open.append((self.depth, len(self.found)))
            self.found.append([])

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if self.open and self.open[-1][0] == self.depth:
            self.open.pop()
        self.depth -= 1

    def handle_data(self, data):
        for _, index in self.open:
            self.found[index].append(data)


def texts(html: bytes | str, test_id: str) -> list[str]:
    """The whitespace-normalised text of every element with `data-testid=test_id`, in order."""
    parser = _TestIdText(test_id)
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return [" ".join("".join(parts).split()) for parts in parser.found]


def element_count(html: bytes | str, element_id: str) -> int:
    """How many elements carry `id=element_id` (an out-of-band swap repeats none)."""
    text = html.decode() if isinstance(html, bytes) else html
    return text.count(f'id="{element_id}"')


# --- the API -------------------------------------------------------------------------------------


def user_json(user) -> dict:
    """How the API shows a user."""
    return {"id": user.pk, "username": user.username, "name": str(user)}


def ids(response) -> list[int]:
    """The ids of one page of an API list."""
    return [row["id"] for row in response.json()["results"]]


def walk(api, url: str) -> list[list[int]]:
    """Follow `next` from `url`; the ids of every page."""
    pages = []
    while url:
        body = api.get(url).json()
        pages.append([row["id"] for row in body["results"]])
        url = body["next"]
    return pages


def cursor_of(raw: str) -> str:
    """A page cursor with `raw` inside, as a client could forge it."""
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# --- contacts ------------------------------------------------------------------------------------


def positions(contact) -> list[tuple]:
    """(organization name, title, started on, ended on) of each position, oldest first."""
    return [
        (e.organization_name, e.title, e.started_on, e.ended_on)
        for e in contact.employments.order_by("started_on", "id")
    ]


# --- the browser ---------------------------------------------------------------------------------


def log_in(page: Page, live_server, password: str, next_path: str = "/", username="rosa") -> None:
    """Log in through the login form and land on `next_path`."""
    page.goto(f"{live_server.url}/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}{next_path}")
