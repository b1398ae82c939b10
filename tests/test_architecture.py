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


# Layers from the bottom up: a module may import its own layer's packages and those below, never above.
# The citizen pages, the API, the workbench, the console and the field app are doors side by side (layer 4);
# the entry points that assemble them sit on top.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset(
        {
            "weighting",
            "survey",
            "survey.settings",
            "survey.logs",
            "survey.metrics",
            "survey.catalogue",
            "survey.questionnaire",
        }
    ),
    frozenset(
        {
            "survey.store",
            "survey.category_labels",
            "survey.tabular",
            "survey.tabular_csv",
            "survey.parquet_splice",
            "survey.thrift_compact",
        }
    ),
    frozenset({"survey.http", "survey.ops"}),
    frozenset({"survey.web", "survey.api", "survey.analyst", "survey.console", "field_app"}),
    frozenset({"survey.cli", "survey.app", "survey.demo", "survey.__main__"}),
)
# Side-by-side imports between doors that are allowed, each for a reason: nothing else crosses sideways.
DOORS_ALLOWED = {
    (
        "field_app",
        "survey.analyst",
    ),  # the adaptive field plan is an analysis of the store, shown in the workbench
    ("field_app", "survey.console"),  # the console's field pages share the quota lines the field app edits
    ("survey.console", "survey.web"),  # the console previews a version with the citizen pages' own renderer
    ("survey.console", "survey.analyst"),  # the console's target pages reuse the workbench's target parser
}
# Modules that are entry points although they live in a door's package (the field app's own commands).
ENTRY_POINTS = {
    "field_app/cli.py",
    "field_app/quota_cli.py",
    "field_app/plan_quotas.py",
    "field_app/openrosa/collect_cli.py",
}


def _layer_name(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "survey" and len(parts) > 1:
        return f"survey.{parts[1]}"
    return parts[0]


def _is_module(relative: str) -> bool:
    return (ROOT / f"{relative}.py").exists() or (ROOT / relative).is_dir()


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if (
                node.module == "survey"
            ):  # ``from survey import metrics`` names a module, ``__version__`` does not
                found.update(f"survey.{a.name}" for a in node.names if _is_module(f"survey/{a.name}"))
    return {m for m in found if m.split(".")[0] in ("survey", "field_app", "weighting")}


def test_imports_point_down_the_layers() -> None:
    rank = {name: index for index, layer in enumerate(LAYERS) for name in layer}
    upward: list[str] = []
    for package in ("survey", "field_app", "weighting"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if relative in ENTRY_POINTS or relative == "survey/store/migrations/env.py":
                continue
            source = _layer_name(".".join(path.relative_to(ROOT).with_suffix("").parts))
            for module in sorted(_imported_modules(path)):
                target = _layer_name(module)
                if target == source or module == "survey":
                    continue
                assert target in rank, f"{relative} imports {module}: put {target} in a layer"
                sideways = rank[target] == rank[source] and (source, target) not in DOORS_ALLOWED
                if rank[target] > rank[source] or (sideways and rank[source] == 3):
                    upward.append(f"{relative} -> {module}")
    assert upward == []


_HANDLER_DECORATORS = {"get", "post", "put", "patch", "delete", "route", "head", "websocket"}


def _is_controller_module(tree: ast.Module) -> bool:
    """Whether a module defines a Litestar Controller or a route handler."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            isinstance(base, ast.Name) and base.id == "Controller" for base in node.bases
        ):
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(call, ast.Name) and call.id in _HANDLER_DECORATORS:
                    return True
    return False


def _session_uses(tree: ast.Module) -> list[str]:
    """SQLAlchemy imports and parameters typed ``Session`` (bare or in ``NamedDependency[...]``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] == "sqlalchemy"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            found.append(f"from {node.module} import")
        elif isinstance(node, ast.arg) and node.annotation is not None:
            names = {n.id for n in ast.walk(node.annotation) if isinstance(n, ast.Name)}
            names |= {n.attr for n in ast.walk(node.annotation) if isinstance(n, ast.Attribute)}
            if "Session" in names:
                found.append(f"parameter {node.arg}: Session")
    return found


def _controller_modules() -> dict[str, ast.Module]:
    modules = {}
    for package in ("survey", "field_app"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text())
            if _is_controller_module(tree):
                modules[str(path.relative_to(ROOT))] = tree
    return modules


def test_controllers_never_see_a_session() -> None:
    """Controllers name the services they need (``progress_service: ProgressService``); the data work
    behind them lives in ``survey/store/services``. So a controller module imports no SQLAlchemy and
    no handler or provider in it takes a ``Session``."""
    modules = _controller_modules()
    assert "survey/web/questionnaire.py" in modules and "field_app/api.py" in modules
    offenders = {path: uses for path, tree in modules.items() if (uses := _session_uses(tree))}
    assert offenders == {}  # no exemptions: the last ones (issue 18, item 1) were moved to services


def test_the_session_check_sees_a_session() -> None:
    source = (
        "from litestar import get\nfrom sqlalchemy.orm import Session\n"
        "@get('/')\ndef page(db_session: NamedDependency[Session]) -> None: ...\n"
    )
    tree = ast.parse(source)
    assert _is_controller_module(tree)
    assert _session_uses(tree) == ["from sqlalchemy.orm import", "parameter db_session: Session"]


def test_the_demo_loader_imports_no_controller() -> None:
    """The demo data goes through the services as any command does, not through a door's handlers."""
    controllers = {p.removesuffix(".py").replace("/", ".") for p in _controller_modules()}
    assert "field_app.api" in controllers
    imported = set()
    for path in (ROOT / "survey" / "demo").rglob("*.py"):
        imported |= _imported_modules(path)
    assert sorted(imported & controllers) == []
