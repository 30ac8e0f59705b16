"""Light Markdown for a note's body, rendered safely: the text is escaped first, then only
**bold**, *emphasis*, [links](https://…) to http(s) addresses, line breaks and paragraphs become
HTML. Raw HTML in a note stays text."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")


def _inline(text: str) -> str:
    text = LINK.sub(r'<a href="\2" rel="nofollow noopener noreferrer">\1</a>', text)
    text = BOLD.sub(r"<strong>\1</strong>", text)
    return EMPHASIS.sub(r"<em>\1</em>", text)


def markdown_render(body: str) -> SafeString:
    paragraphs = re.split(r"\n\s*\n", escape(body.replace("\r\n", "\n").strip()))
    html = [
        "<p>" + "<br>\n".join(_inline(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    ]
    return mark_safe("\n".join(html))  # noqa: S308 -- escaped above, only our tags added
