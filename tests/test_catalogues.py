"""One catalogue format: key → language → text, every key in French, Dutch and English.

Every module that shows words registers its catalogue (``survey.catalogue.register``) when it is
imported; importing the whole product therefore gathers them all. The checks: each key has the three
languages, not empty, with the same ``{placeholders}``; an easy-read key (``…_easy``) sits beside its
standard one; no module keeps a table in the other shape (language first); and no key-first table is
left out of the registry, where nothing would check it.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import field_app
import survey
from survey.catalogue import LANGUAGES, Catalogue, problems, registered

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = ("survey.store.migrations", "survey.__main__")


def _import_everything() -> dict[str, Catalogue]:
    for package in (survey, field_app):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not module.name.startswith(SKIPPED):
                importlib.import_module(module.name)
    return dict(registered())


@pytest.fixture(scope="module")
def catalogues() -> dict[str, Catalogue]:
    return _import_everything()


def test_the_product_registers_its_catalogues(catalogues: dict[str, Catalogue]) -> None:
    names = set(catalogues)
    assert {"http.i18n", "questionnaire.messages", "console", "field.coordinator"} <= names
    assert {"report_text.report_text", "workbench_text.own_words", "chart_text.chart_text"} <= names
    assert sum(len(c) for c in catalogues.values()) > 500


def test_every_key_has_french_dutch_and_english_with_the_same_placeholders(
    catalogues: dict[str, Catalogue],
) -> None:
    found = [p for name, catalogue in catalogues.items() for p in problems(name, catalogue)]
    assert found == []


def test_the_checks_can_fail() -> None:
    broken: Catalogue = {"a": {"fr": "x {n}", "nl": "y {n}", "en": "z"}, "b": {"fr": "x", "en": "z"}}
    assert len(problems("broken", broken)) == 2


def test_easy_read_keys_sit_beside_their_standard_wording(catalogues: dict[str, Catalogue]) -> None:
    orphans = [
        f"{name}: {key}"
        for name, catalogue in catalogues.items()
        for key in catalogue
        if key.endswith("_easy") and key.removesuffix("_easy") not in catalogue
    ]
    assert orphans == []


def _module_tables(path: Path) -> list[tuple[str, ast.Dict]]:
    tables = []
    for node in ast.parse(path.read_text()).body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(value, ast.Dict) and isinstance(target, ast.Name) and value.keys:
            tables.append((target.id, value))
    return tables


def _constant_keys(table: ast.Dict) -> set[object]:
    return {k.value for k in table.keys if isinstance(k, ast.Constant)}


def test_no_table_is_written_language_first() -> None:
    language_first = [
        f"{path.relative_to(ROOT)}: {name}"
        for package in ("survey", "field_app")
        for path in sorted((ROOT / package).rglob("*.py"))
        for name, table in _module_tables(path)
        if _constant_keys(table) == set(LANGUAGES) and all(isinstance(v, ast.Dict) for v in table.values)
    ]
    assert language_first == []


def test_every_key_first_table_is_registered(catalogues: dict[str, Catalogue]) -> None:
    """A table of translated words that nothing registers would escape every check above."""
    known = {(key, tuple(sorted(texts.items()))) for c in catalogues.values() for key, texts in c.items()}
    unchecked = []
    for package in ("survey", "field_app"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            for name, table in _module_tables(path):
                entries = [v for v in table.values if isinstance(v, ast.Dict)]
                if len(entries) < 2 or not all(_constant_keys(v) == set(LANGUAGES) for v in entries):
                    continue
                value = getattr(importlib.import_module(module_name), name)
                words = {(str(k), tuple(sorted(t.items()))) for k, t in value.items()}
                if not words <= known:
                    unchecked.append(f"{path.relative_to(ROOT)}: {name}")
    assert unchecked == []
