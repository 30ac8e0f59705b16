"""Every document the code cites is in the repository (CONTRIBUTING.md, "Tests").

A docstring, comment or template that names a Markdown file names one that exists here (relative
to the repository's root or to the citing file), and a citation of a section, such as
`docs/architecture.md, "The outbox"`, names a heading of that file. Nothing cites the design or
style documents that used to live outside the repository. Links between the Markdown files
resolve too.
"""

import io
import re
import subprocess
import tokenize
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SKIP_DIRS = {
    ".git",
    ".venv",
    ".devdata",
    "__pycache__",
    "node_modules",
    "staticfiles",
    "vendor",
    "results",
}
# Spelled in two parts so that this file does not cite them itself.
OUTSIDE_DOCUMENTS = ("DESIGN" + ".md", "STYLE" + ".md")
LARGEST_TEXT_FILE = 1_000_000

# A path-like name ending in .md: `docs/architecture.md`, `README.md`, `../x/y.md`.
MD_NAME = re.compile(r"(?<![\w/.-])((?:\.\.?/)*[\w-][\w./-]*\.md)(?![\w-])")
# A citation of a section: `docs/architecture.md, "Panels"` (or with single quotes).
SECTION_CITATION = re.compile(r"""((?:\.\.?/)*[\w-][\w./-]*\.md),\s*(["'])([^"'\n]+)\2""")
# A relative link in Markdown: [text](target) or [text](target#anchor).
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def repository_files(*suffixes: str) -> list[Path]:
    """The repository's files: tracked, or new and not ignored (what a commit would carry)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=BASE_DIR, capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    found = []
    for name in sorted(filter(None, listed.split("\0"))):
        path = BASE_DIR / name
        if any(part in SKIP_DIRS for part in Path(name).parts[:-1]) or not path.is_file():
            continue
        if suffixes and path.suffix not in suffixes:
            continue
        found.append(path)
    return found


def text_of(path: Path) -> str | None:
    if path.stat().st_size > LARGEST_TEXT_FILE:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def prose_of(path: Path) -> str:
    """What a reader reads in a source file: a Python file's comments and strings (docstrings
    among them), a template's whole text."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return text
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return "\n".join(
        token.string for token in tokens if token.type in (tokenize.COMMENT, tokenize.STRING)
    )


def cited_documents(prose: str) -> set[str]:
    return set(MD_NAME.findall(prose))


def cited_sections(prose: str) -> set[tuple[str, str]]:
    return {(document, section) for document, _, section in SECTION_CITATION.findall(prose)}


def resolve(name: str, citing: Path) -> Path | None:
    for base in (BASE_DIR, citing.parent):
        candidate = (base / name).resolve()
        if candidate.is_file() and candidate.is_relative_to(BASE_DIR):
            return candidate
    return None


def headings_of(document: Path) -> set[str]:
    return {heading.replace("`", "").strip() for heading in HEADING.findall(document.read_text())}


def anchor_of(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    kept = re.sub(r"[^\w\- ]", "", heading.lower())
    return kept.replace(" ", "-")


# This file's own examples are not citations.
THIS_FILE = Path(__file__).resolve()
SOURCES = [path for path in repository_files(".py", ".html") if path != THIS_FILE]
MARKDOWN = repository_files(".md")


def test_the_sources_and_documents_are_found():
    names = {path.relative_to(BASE_DIR).as_posix() for path in SOURCES + MARKDOWN}

    assert {"followups/relay.py", "templates/base.html", "docs/architecture.md"} <= names
    assert {"CONTRIBUTING.md", "tests/test_layers.py"} <= names
    assert "tests/test_docs.py" not in names


def test_every_cited_document_exists():
    missing = [
        f"{path.relative_to(BASE_DIR)} cites {name}"
        for path in SOURCES
        for name in sorted(cited_documents(prose_of(path)))
        if resolve(name, path) is None
    ]

    assert missing == []


def test_every_cited_section_exists():
    missing = []
    for path in SOURCES:
        for name, section in sorted(cited_sections(prose_of(path))):
            document = resolve(name, path)
            if document is not None and section not in headings_of(document):
                missing.append(f"{path.relative_to(BASE_DIR)} cites {name}, {section!r}")

    assert missing == []


def test_no_file_cites_the_documents_outside_the_repository():
    offences = []
    for path in repository_files():
        if path == THIS_FILE:
            continue
        text = text_of(path)
        if text is None:
            continue
        named = [name for name in OUTSIDE_DOCUMENTS if name in text]
        offences += [f"{path.relative_to(BASE_DIR)} names {name}" for name in named]

    assert offences == []


@pytest.mark.parametrize("document", MARKDOWN, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_links_between_documents_resolve(document):
    broken = []
    for target in MD_LINK.findall(document.read_text()):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        name, _, anchor = target.partition("#")
        linked = (document.parent / name).resolve()
        if not linked.exists() or (
            anchor
            and linked.suffix == ".md"
            and anchor not in {anchor_of(heading) for heading in headings_of(linked)}
        ):
            broken.append(target)

    assert broken == []


def test_citations_are_found_in_comments_and_docstrings(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""The relay (docs/architecture.md, "The outbox")."""\n'
        "# See CONTRIBUTING.md, 'Tests', and ../elsewhere/notes.md.\n"
        "TEMPLATE_NAME = 'x.html'\n"
    )

    prose = prose_of(sample)

    assert cited_documents(prose) == {
        "docs/architecture.md",
        "CONTRIBUTING.md",
        "../elsewhere/notes.md",
    }
    assert cited_sections(prose) == {
        ("docs/architecture.md", "The outbox"),
        ("CONTRIBUTING.md", "Tests"),
    }
    assert resolve("../elsewhere/notes.md", sample) is None
    assert anchor_of("The outbox state machine") == "the-outbox-state-machine"
