"""docs/architecture.md, "Layers": the apps are settings.RAPPORT_LAYERS, lowest first.
An app imports only itself, the apps to its left and the project's shared `crm` helpers."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
LAYERS = settings.RAPPORT_LAYERS
SHARED = {"crm"}
# The project's own wiring may import every app; the shared helpers themselves may not.
PROJECT_WIRING = {"urls.py", "api_urls.py", "views.py", "settings.py"}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_only_leftwards(app):
    allowed = {app, *LAYERS[: LAYERS.index(app)], *SHARED}
    forbidden = set(LAYERS) - allowed
    offences = [
        f"{path.relative_to(BASE_DIR)} imports {name}"
        for path in sorted((BASE_DIR / app).rglob("*.py"))
        for name in sorted(imported_top_levels(path) & forbidden)
    ]
    assert offences == []


def test_shared_helpers_import_no_app_but_accounts_for_permissions():
    offences = [
        f"{path.relative_to(BASE_DIR)} imports {name}"
        for path in sorted((BASE_DIR / "crm").rglob("*.py"))
        if path.name not in PROJECT_WIRING and "management" not in path.parts
        for name in sorted(imported_top_levels(path) & set(LAYERS))
    ]
    assert offences == []


def test_layer_check_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from jobs.models import Job\nimport followups.tasks\nfrom . import x\n")

    assert imported_top_levels(sample) == {"jobs", "followups"}
