"""The layout is the architecture: weighting/ stays a pure library, imports point one way."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_weighting_imports_no_database_or_web() -> None:
    banned = ("sqlalchemy", "litestar", "survey", "field_app", "alembic", "psycopg", "uvicorn", "jinja2")
    imports = _imports("weighting")
    assert len(imports) >= 5
    offenders = {f: sorted(n for n in names if n.split(".")[0] in banned) for f, names in imports.items()}
    assert {f: n for f, n in offenders.items() if n} == {}


def test_store_and_questionnaire_do_not_import_the_web_layer() -> None:
    for package in ("survey/store", "survey/questionnaire"):
        for path, names in _imports(package).items():
            if path.endswith("migrations/env.py"):
                continue  # the migration environment is a composition root: it loads every table
            web = [
                n
                for n in names
                if n.startswith(("survey.web", "survey.api", "survey.cli", "litestar", "field_app"))
            ]
            assert web == [], path


def test_only_composition_roots_in_survey_import_field_app() -> None:
    """field_app builds on survey; survey knows field_app only where the whole product is assembled.

    Anything else would be an import cycle in waiting (``field_app.cli`` uses ``survey.cli._common``).
    """
    roots = {"survey/app.py", "survey/cli/main.py", "survey/demo/load.py", "survey/store/migrations/env.py"}
    importers = {
        path
        for path, names in _imports("survey").items()
        if any(n.split(".")[0] == "field_app" for n in names)
    }
    assert importers and importers <= roots, sorted(importers - roots)
