"""What the README points a newcomer at exists: every page path resolves, every file is there."""

import re
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
CODE = re.findall(r"`([^`\s]+)`", README)
# Placeholders in documented paths, and a value each takes.
SAMPLES = {"<token>": "abc", "<esp>": "postmark", "<key>": "x"}
# Made at run time, or outside the repository.
NOT_IN_REPO = (".devdata/", ".venv/", ".env", "bench/results/<date>.json", "../shared/")


def _page_paths() -> list[str]:
    paths = [code for code in CODE if code.startswith("/") and not code.startswith("/usr/")]
    paths += re.findall(r"https://<host>(/[^\s`]*)", README)
    return sorted(set(paths))


def _file_paths() -> list[str]:
    return sorted(
        {
            code
            for code in CODE
            if re.fullmatch(
                r"\.?\.?/?[\w.-]+(/[\w.<>-]*)+|[\w-]+\.(py|md|toml|example)|Procfile", code
            )
            and not code.startswith("/")
            and not code.startswith(NOT_IN_REPO)
            and "://" not in code
        }
    )


def test_readme_says_where_an_admin_works():
    admin_pages = ["/admin/", "/dev/mailbox/", "/followups/templates/", "/status/"]

    assert [path for path in admin_pages if path in _page_paths()] == admin_pages


@pytest.mark.parametrize("path", _page_paths())
def test_every_page_the_readme_names_exists(path):
    for placeholder, value in SAMPLES.items():
        path = path.replace(placeholder, value)
    try:
        resolve(path)
    except Resolver404:
        pytest.fail(f"README names {path}, which no URL pattern answers")


@pytest.mark.parametrize("path", _file_paths())
def test_every_file_the_readme_names_exists(path):
    # A bare module name ("selectors.py") is the one each app has.
    found = (ROOT / path).exists() or ("/" not in path and any(ROOT.glob(f"*/{path}")))
    assert found, f"README names {path}, which is not in the repository"
