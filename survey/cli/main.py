"""The ``survey`` command: one entry point for operators and analysts, with --help everywhere.

The composition root of the CLI: it is the one place that knows both ``survey`` and ``field_app``.
"""

from __future__ import annotations

import typer

from field_app.cli import register as register_field
from survey.cli import db, export, forms, invitations, report, targets, users, weighting
from survey.cli.demo import demo
from survey.cli.serve import serve

app = typer.Typer(
    help="Civic consultation platform: collect online and field responses, weight them, publish results.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(forms.app, name="form")
app.add_typer(users.app, name="user")
app.add_typer(targets.app, name="targets")
app.add_typer(invitations.app, name="invite")
app.command()(demo)
app.command()(serve)
weighting.register(app)
report.register(app)
export.register(app)
register_field(app)


def main() -> None:
    """Console-script entry point."""
    app()
