"""The ``survey`` command: one entry point for operators and analysts, with --help everywhere.

The composition root of the CLI: it is the one place that knows both ``survey`` and ``field_app``.
"""

from __future__ import annotations

import typer
from alembic.util.exc import CommandError
from sqlalchemy.exc import SQLAlchemyError

from field_app.cli import register as register_field
from survey.cli import db, export, forms, invitations, plan, report, targets, users, weighting
from survey.cli._common import say_error, say_unexpected
from survey.cli.demo import demo
from survey.cli.serve import serve
from survey.store.errors import first_line

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
plan.register(app)
register_field(app)


def main() -> None:
    """Console-script entry point: an error no command foresaw still ends in one line, not a traceback.

    Commands name their own bad input (exit 2); this is the net under them. SURVEY_DEBUG=1 lets
    the traceback through for a bug report.
    """
    try:
        app()
    except OSError as exc:  # a folder where a file was meant, a missing folder, a full disk
        _die(f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc), 2)
    except (SQLAlchemyError, CommandError) as exc:  # a malformed --database-url, an unknown revision
        _die(f"database: {first_line(exc)}", 2)
    except Exception as exc:
        say_unexpected(f"unexpected {type(exc).__name__}", exc)
        raise SystemExit(1) from None


def _die(message: str, code: int) -> None:
    say_error(message)
    raise SystemExit(code)
