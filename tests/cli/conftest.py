"""Fixtures shared by the command-line tests."""

from __future__ import annotations

import pytest
import typer

from survey.cli.weighting import register


@pytest.fixture
def app() -> typer.Typer:
    """The weighting commands (weight, estimate, …) on an app of their own, for typer's CliRunner."""
    application = typer.Typer()
    register(application)
    return application
