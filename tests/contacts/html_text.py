"""Read a page like a person would: the text of the elements marked `data-testid="..."`."""

from html.parser import HTMLParser

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
