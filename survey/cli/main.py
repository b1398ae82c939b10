"""The ``survey`` command: one entry point for operators and analysts, with --help everywhere.

The composition root of the CLI: it is the one place that knows both ``survey`` and ``field_app``.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from typing import Any

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup

from survey.cli._coerce import lighten
from survey.cli._common import say_error, say_unexpected


@dataclass(frozen=True)
class Lazy:
    """A command loaded only when it runs or shows its own help: `survey --help` imports none of them.

    Why: the commands need pandas, polars, SQLAlchemy, Litestar and the weighting library, which
    took two seconds to import before any help could be printed. ``attach`` says how the module adds
    itself: ``register`` (its ``register(app)``), ``typer:ATTR`` (a sub-app) or ``command:ATTR`` (a
    function); ``summary`` is the line `survey --help` shows (a test holds it to the start of the
    command's own help).
    """

    module: str
    attach: str
    summary: str

    def load(self, name: str) -> _click.Command:
        """Import the module and build the click command it defines."""
        module = importlib.import_module(self.module)
        holder = typer.Typer()
        kind, _, attr = self.attach.partition(":")
        if kind == "register":
            module.register(holder)
        elif kind == "typer":
            holder.add_typer(getattr(module, attr), name=name)
        else:
            holder.command(name)(getattr(module, attr))
        return typer.main.get_group(holder).commands[name]


# One line per command, in the order `survey --help` lists them.
COMMANDS: dict[str, Lazy] = {
    "demo": Lazy(
        "survey.cli.demo",
        "command:demo",
        "Migrate the database and load the demo: form, population targets, staff and 1,151 responses.",
    ),
    "serve": Lazy(
        "survey.cli.serve", "command:serve", "Run the web app (citizen pages, field app, analyst API)."
    ),
    "weight": Lazy(
        "survey.cli.weighting",
        "register",
        "Weight responses to population margins; write every input row and column plus the weights.",
    ),
    "estimate": Lazy(
        "survey.cli.weighting",
        "register",
        "Estimate means / proportions with SEs and CIs: variable,category,(by),estimate,se,ci_low,ci_high,n.",
    ),
    "report": Lazy(
        "survey.cli.report",
        "register",
        "Weight the latest targets and write diagnostics, results per question and the bias audit.",
    ),
    "export": Lazy(
        "survey.cli.export",
        "register",
        "One row per counted response (a correction replaces its original), the final weight in column "
        "``weight``, plus OUT.codebook.csv.",
    ),
    "plan": Lazy(
        "field_app.plan_quotas",
        "register",
        "Plan field interviews that minimise the design effect of the post-stratified weights.",
    ),
    "monitor": Lazy(
        "survey.cli.monitor",
        "register",
        "Representativeness of the responses: R-indicator, propensity CV, partial indicators, coverage, by day.",
    ),
    "db": Lazy("survey.cli.db", "typer:app", "Create or migrate the database schema (Alembic)."),
    "consultation": Lazy(
        "survey.cli.consultations", "typer:app", "Create, open, close, schedule and list consultations."
    ),
    "form": Lazy("survey.cli.forms", "typer:app", "Validate and import XLSForm questionnaires."),
    "user": Lazy("survey.cli.users", "typer:app", "Manage staff accounts."),
    "grant": Lazy(
        "survey.cli.grants",
        "typer:app",
        "Per-consultation rights of analysts, coordinators and interviewers (admins are global).",
    ),
    "targets": Lazy("survey.cli.targets", "typer:app", "Prepare population targets for weighting."),
    "scheme": Lazy(
        "survey.cli.schemes", "typer:app", "Named weighting schemes of a consultation (add, list, remove)."
    ),
    "invite": Lazy(
        "survey.cli.invitations", "typer:app", "Invitation codes: close a consultation to a recruited panel."
    ),
    "collect": Lazy(
        "field_app.openrosa.collect_cli",
        "typer:app",
        "ODK Collect: app users configured by QR code (create, revoke, list).",
    ),
    "device": Lazy(
        "field_app.cli",
        "register",
        "Field tablets: list, revoke, assign interviewers, supervisor unlock codes.",
    ),
    "quota": Lazy(
        "field_app.quota_cli", "typer:app", "Field quotas by hand: list them, or replace them from a CSV."
    ),
    "erase": Lazy(
        "survey.cli.privacy",
        "command:erase_command",
        "Erase one person's answers, corrections, field receipt and notes; an audit line without content stays.",
    ),
    "purge": Lazy(
        "survey.cli.privacy",
        "command:purge_command",
        "Delete unfinished responses not saved for --older-than days; complete ones are never touched.",
    ),
    "backup": Lazy(
        "survey.cli.ops",
        "command:backup_command",
        "Back up the store, the data folder's files and the non-secret configuration into one archive.",
    ),
    "restore": Lazy(
        "survey.cli.ops",
        "command:restore_command",
        "Restore a backup into an empty database and the data folder, after checking every checksum.",
    ),
    "doctor": Lazy(
        "survey.cli.ops",
        "command:doctor_command",
        "Check the deployment: configuration, database and schema, secret, folders, clock, Redis, PDF.",
    ),
}


class LazyGroup(TyperGroup):
    """The `survey` group: lists `COMMANDS` from their summaries and imports one only when it is used."""

    _listing = False

    def list_commands(self, ctx: _click.Context) -> list[str]:
        """Lazy commands in table order, then any registered the usual way."""
        return [*COMMANDS, *(n for n in super().list_commands(ctx) if n not in COMMANDS)]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        """While the group's own help is drawn, a stand-in with the summary; otherwise the real command."""
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        lazy = COMMANDS[cmd_name]
        if self._listing:
            return TyperCommand(name=cmd_name, help=lazy.summary, short_help=lazy.summary)
        command = lazy.load(cmd_name)
        lighten(command, ctx)
        self.commands[cmd_name] = command
        return command

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        """Parse with the light conversion of plain values (pydantic loads only for an odd one)."""
        lighten(self, ctx)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """Draw the help with stand-ins, so that listing the commands imports none of them."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=LazyGroup,
    help="Civic consultation platform: collect online and field responses, weight them, publish results.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Civic consultation platform: collect online and field responses, weight them, publish results."""


def _database_error(exc: Exception) -> bool:
    """Whether ``exc`` comes from SQLAlchemy or Alembic, without importing either for a command that
    never loaded them (then it cannot be one of theirs)."""
    kinds: list[Any] = []
    if (sa := sys.modules.get("sqlalchemy.exc")) is not None:
        kinds.append(sa.SQLAlchemyError)
    if (alembic := sys.modules.get("alembic.util.exc")) is not None:
        kinds.append(alembic.CommandError)
    return bool(kinds) and isinstance(exc, tuple(kinds))


def main() -> None:
    """Console-script entry point: an error no command foresaw still ends in one line, not a traceback.

    Commands name their own bad input (exit 2); this is the net under them. SURVEY_DEBUG=1 lets
    the traceback through for a bug report.
    """
    try:
        app()
    except OSError as exc:  # a folder where a file was meant, a missing folder, a full disk
        _die(f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc), 2)
    except Exception as exc:
        if _database_error(exc):  # a malformed --database-url, an unknown revision
            from survey.store.errors import first_line  # noqa: PLC0415  (not loaded for --help)

            _die(f"database: {first_line(exc)}", 2)
        say_unexpected(f"unexpected {type(exc).__name__}", exc)
        raise SystemExit(1) from None


# Commands that only read files and write files: once one has ended (its output renamed into place,
# its streams flushed) nothing is left to clean up, and the interpreter's own shutdown after polars and
# numpy (freeing every module's objects) took 0.1 s of CPU on an idle machine and up to 0.4 s of wall
# on a busy one, a fifth of `survey weight`'s run on a million Parquet rows. They end at once.
FILE_COMMANDS = frozenset({"weight", "estimate"})


def run() -> None:
    """The console script and ``python -m survey``: :func:`main`, after which a file command's process
    ends at once with its exit code (tests call :func:`main`, whose process goes on)."""
    file_command = bool(sys.argv[1:2]) and sys.argv[1] in FILE_COMMANDS
    if file_command:
        _collect_rarely()
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    if file_command:
        _exit_now(code)
    raise SystemExit(code)


def _collect_rarely() -> None:
    """Python's cycle collector a hundred times rarer, for a file command's short process.

    Why: such a command imports polars, numpy and the weighting library, several hundred thousand
    objects that live until the process ends, and the default collector (every 700 new objects)
    walked them again and again meanwhile: 0.05 s of CPU in `survey weight`'s 0.5 s on a million
    rows. Cycles are still collected; the large data (arrays, frames) are freed by reference count.
    """
    import gc  # noqa: PLC0415  (only the file commands change it)

    gc.set_threshold(100_000)


def _exit_now(code: object) -> None:
    """End the process with ``code`` as SystemExit would, without the interpreter's shutdown."""
    import os  # noqa: PLC0415  (only the file commands end this way)
    from contextlib import suppress  # noqa: PLC0415

    if isinstance(code, str):  # SystemExit prints a text code and exits with 1
        say_error(code)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe or stream: nothing more to say on it
            stream.flush()
    os._exit(code if isinstance(code, int) else 0)


def _die(message: str, code: int) -> None:
    say_error(message)
    raise SystemExit(code)
