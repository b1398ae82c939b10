"""Fixtures for the operations tests: the demo loaded once per run and backend, a fresh copy for each test.

Why copies: a restore with --force overwrites its target and a drill writes into its source; each
test starts from the same loaded demo without seeing another test's rows (a copy costs milliseconds,
a load about ten seconds).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from survey.settings import Settings, get_settings, load_settings
from tests.conftest import drop_database, new_database
from tests.demo_template import copy_demo, shared_folder


@pytest.fixture(scope="session")
def _ops_demo_templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this run's demo templates are recorded: the analyst tests' own (tests/demo_template.py)."""
    return shared_folder(tmp_path_factory)


@pytest.fixture
def demo_url(
    database_url: str,
    _ops_demo_templates: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """A database holding the demo (its own copy), on the run's backend."""
    url = copy_demo(database_url, _ops_demo_templates, "ops_demo", tmp_path_factory.mktemp("ops_demo"))
    yield url
    drop_database(url)


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database (no schema) on the same backend, dropped afterwards."""
    url = new_database(database_url, "ops_fresh", tmp_path)
    yield url
    drop_database(url)


def settings_for(url: str, data_dir: Path) -> Settings:
    """Settings as an operator's environment would give them for this database and folder."""
    return load_settings({"DATABASE_URL": url, "SURVEY_DATA_DIR": str(data_dir), "SECRET_KEY": "s" * 40})


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The environment the CLI reads (its settings are cached: cleared before and after)."""
    data_dir = tmp_path / "cli_data"
    monkeypatch.setenv("SURVEY_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()
