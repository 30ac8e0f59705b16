"""The layers (docs/architecture.md, "Layers"): core <- accounts <- contacts <- relationships <-
jobs <- market <- followups <- dashboards <- crm.

Imports are checked by import-linter's contracts in pyproject.toml ([tool.importlinter]), which
`make lint` runs; the tests here prove they hold on the tree and break on a planted wrong import.
URL names are checked here: a template or a reverse()/redirect() in an app names only URLs of that
app or of lower apps (a lower app's page links upward through registered links and panels,
core.panels), and the project (crm/, templates at the top level) may name every app's.
"""

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

BASE_DIR = Path(__file__).resolve().parent.parent
PYPROJECT = BASE_DIR / "pyproject.toml"
# The venv's own (make install), else the first on PATH.
LINT_IMPORTS = shutil.which("lint-imports", path=Path(sys.executable).parent) or "lint-imports"
IMPORTLINTER = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
LAYERS_CONTRACT = next(c for c in IMPORTLINTER["contracts"] if c["id"] == "layers")
# Lowest first; optional layers ("(market)") without their parentheses.
LAYERS = [layer.strip("()") for layer in reversed(LAYERS_CONTRACT["layers"])]
PROJECT = LAYERS[-1]
# Template folders of no app's name, and whose they are.
TEMPLATE_OWNERS = {"registration": PROJECT}  # django.contrib.auth's login page, the project's
# (file, URL name) pairs that break the rule and wait for a redesign, each with its reason.
URL_ALLOWLIST: set[tuple[str, str]] = set()


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(cwd / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree_copy(tmp_path):
    """The project's packages and pyproject.toml, copied to a scratch folder to plant faults in."""
    for package in IMPORTLINTER["root_packages"]:
        shutil.copytree(
            BASE_DIR / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "results"),
        )
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    return tmp_path


def plant(path: Path, line: str) -> None:
    path.write_text(f"{line}\n{path.read_text()}")


# --- imports ------------------------------------------------------------------------------------


def test_import_contracts_hold_on_the_tree():
    result = lint_imports(BASE_DIR)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_import_contracts_break_on_an_import_of_a_higher_app(tree_copy):
    plant(tree_copy / "contacts" / "normalize.py", "from followups import models")

    result = lint_imports(tree_copy)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{LAYERS_CONTRACT['name']} BROKEN" in " ".join(result.stdout.split())
    assert "contacts.normalize -> followups.models" in result.stdout
    assert "Contracts: 1 kept, 1 broken." in result.stdout


def test_import_contracts_break_when_the_product_imports_tooling(tree_copy):
    plant(tree_copy / "core" / "links.py", "import devtools.services")

    result = lint_imports(tree_copy)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "The product imports no development tooling (devtools, bench) BROKEN" in " ".join(
        result.stdout.split()
    )
    assert "core.links -> devtools.services" in result.stdout


def test_every_first_party_package_is_checked():
    packages = {path.parent.name for path in BASE_DIR.glob("*/__init__.py")} - {"tests"}
    isort = tomllib.loads(PYPROJECT.read_text())["tool"]["ruff"]["lint"]["isort"]

    assert set(IMPORTLINTER["root_packages"]) == packages
    assert set(isort["known-first-party"]) == packages


def test_installed_apps_and_demo_order_follow_the_layers():
    # A package in the layers but not a root package would pass as a missing optional layer.
    present = [layer for layer in LAYERS if layer in IMPORTLINTER["root_packages"]]

    assert [app for app in settings.INSTALLED_APPS if app in LAYERS] == present
    assert present[1:-1] == settings.RAPPORT_LAYERS


# --- URL names ----------------------------------------------------------------------------------


def url_owners() -> dict[str, str]:
    """Each URL name, as reverse() takes it, -> the app whose URLconf defines it (those of
    Django's own URLconfs, such as admin:*, are left out: anyone may name them)."""
    owners: dict[str, str] = {}

    def walk(resolver: URLResolver, namespaces: list[str], owner: str | None) -> None:
        module = getattr(resolver.urlconf_module, "__name__", None)
        if module is not None:
            top = module.split(".")[0]
            owner = top if top in LAYERS else None
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver) and entry.namespace in DJANGOS_NAMESPACES:
                continue
            if isinstance(entry, URLResolver):
                inner = [*namespaces, entry.namespace] if entry.namespace else namespaces
                walk(entry, inner, owner)
            elif isinstance(entry, URLPattern) and entry.name and owner is not None:
                owners[":".join([*namespaces, entry.name])] = owner

    walk(get_resolver(), [], None)
    return owners


DJANGOS_NAMESPACES = {"admin"}
TEMPLATE_URL = re.compile(r"""\{%\s*url\s+(['"])(?P<name>[^'"]+)\1""")
REVERSING_CALLS = {"reverse", "reverse_lazy", "redirect", "resolve_url", "pk_link"}
URL_NAME_KEYWORDS = {"view_name", "url_name", "pattern_name"}


def template_url_names(path: Path) -> list[str]:
    return [match["name"] for match in TEMPLATE_URL.finditer(path.read_text())]


def literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def python_url_names(path: Path) -> list[str]:
    """The literal first arguments of reverse(), redirect() and the like, and the literal
    view_name=/url_name=/pattern_name= of any call; a literal with a "/" is an address."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        candidates = [node.args[0]] if called in REVERSING_CALLS and node.args else []
        candidates += [kw.value for kw in node.keywords if kw.arg in URL_NAME_KEYWORDS]
        names += [name for name in map(literal, candidates) if name is not None and "/" not in name]
    return names


def url_references(base_dir: Path) -> list[tuple[str, str, str]]:
    """(file, the app it belongs to, URL name) for every literal URL name in templates and apps."""
    references = []
    for path in sorted((base_dir / "templates").rglob("*.html")):
        parts = path.relative_to(base_dir / "templates").parts
        app = PROJECT if len(parts) == 1 else TEMPLATE_OWNERS.get(parts[0], parts[0])
        references += [(path, app, name) for name in template_url_names(path)]
    for app in LAYERS:
        for path in sorted((base_dir / app).rglob("*.py")):
            references += [(path, app, name) for name in python_url_names(path)]
    return [(str(path.relative_to(base_dir)), app, name) for path, app, name in references]


def url_offences(base_dir: Path, owners: dict[str, str]) -> list[str]:
    offences = []
    for file, app, name in url_references(base_dir):
        if (file, name) in URL_ALLOWLIST or name.split(":")[0] in DJANGOS_NAMESPACES:
            continue
        if app not in LAYERS:
            offences.append(f"{file}: templates/{app}/ belongs to no app")
        elif name not in owners:
            offences.append(f"{file} names {name!r}, which no URLconf defines")
        elif LAYERS.index(owners[name]) > LAYERS.index(app):
            offences.append(f"{file} ({app}) names {name!r} of the higher {owners[name]}")
    return offences


def test_apps_name_only_their_own_and_lower_apps_urls():
    assert url_offences(BASE_DIR, url_owners()) == []


def test_url_owners_come_from_the_urlconfs():
    owners = url_owners()

    assert owners["home"] == "crm"
    assert owners["contacts:contact-detail"] == "contacts"
    assert owners["relationships:contact-list"] == "relationships"
    assert owners["followups:policy"] == "followups"
    assert owners["webhooks:postmark_tracking_webhook"] == "followups"
    assert owners["api-job-list"] == "jobs"
    assert "admin:index" not in owners


def test_url_check_catches_an_upward_link(tmp_path):
    (tmp_path / "templates" / "contacts").mkdir(parents=True)
    (tmp_path / "templates" / "contacts" / "page.html").write_text(
        "<a href=\"{% url 'contacts:contact-detail' 1 %}\">Ana</a>\n"
        "<a href=\"{% url 'relationships:contact-list' %}\">Everyone</a>\n"
    )
    (tmp_path / "templates" / "base.html").write_text("{% url 'dashboards:index' %}\n")
    (tmp_path / "templates" / "nowhere").mkdir()
    (tmp_path / "templates" / "nowhere" / "page.html").write_text("{% url 'home' %}\n")
    for app in LAYERS:
        (tmp_path / app).mkdir(exist_ok=True)
    (tmp_path / "contacts" / "views.py").write_text(
        "from django.shortcuts import redirect\n"
        "from django.urls import reverse\n\n"
        "def view(request):\n"
        '    reverse("contacts:search")\n'
        '    redirect("/elsewhere/")\n'
        '    serializers.HyperlinkedIdentityField(view_name="api-job-detail")\n'
        '    return redirect("home")\n'
    )
    (tmp_path / "jobs" / "views.py").write_text(
        'from django.urls import reverse\n\nURL = reverse("contacts:no-such-page")\n'
    )

    assert url_offences(tmp_path, url_owners()) == [
        "templates/contacts/page.html (contacts) names 'relationships:contact-list' of the higher "
        "relationships",
        "templates/nowhere/page.html: templates/nowhere/ belongs to no app",
        "contacts/views.py (contacts) names 'api-job-detail' of the higher jobs",
        "contacts/views.py (contacts) names 'home' of the higher crm",
        "jobs/views.py names 'contacts:no-such-page', which no URLconf defines",
    ]
