"""Shared CLI plumbing: the console, the database URL option and one-line error exits."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Generic, NoReturn, TypeVar, cast

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:  # SQLAlchemy and the progress bar load with the commands that use them, not for --help
    from sqlalchemy.orm import Session, sessionmaker

console = Console(stderr=True)
out = Console()

DatabaseOption = typer.Option(
    None,
    "--database-url",
    envvar="DATABASE_URL",
    help="SQLAlchemy URL of the store (default: SQLite file under SURVEY_DATA_DIR).",
    show_default=False,
)


def database_url(explicit: str | None) -> str:
    """The URL given on the command line or in the environment, else the settings' default."""
    from survey.settings import get_settings  # noqa: PLC0415  (--help reads no settings)

    return explicit or get_settings().database_url


def sessions(explicit: str | None) -> sessionmaker[Session]:
    """A session factory for the chosen database."""
    from survey.store.db import make_engine, session_factory  # noqa: PLC0415

    return session_factory(make_engine(database_url(explicit)))


def fail(message: str, code: int = 2) -> NoReturn:
    """Exit with one line on stderr, never a traceback (the message is printed as it is, brackets too)."""
    say_error(message)
    raise typer.Exit(code)


def say_error(message: str) -> None:
    """``error: …`` on stderr; also for the entry point's net, which runs outside any command."""
    console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)


def say_unexpected(what: str, exc: Exception) -> None:
    """One line for an error no command foresaw; with SURVEY_DEBUG=1 it is raised again, traceback and all."""
    if os.environ.get("SURVEY_DEBUG"):
        raise exc
    from survey.store.errors import first_line  # noqa: PLC0415  (it loads the questionnaire model)

    say_error(f"{what}: {first_line(exc)} (SURVEY_DEBUG=1 shows the traceback)")


def writable_file(path: Path, option: str = "--out") -> None:
    """Fail before any work unless ``path`` can become a file: nothing is then half-written."""
    if path.is_dir():
        fail(f"{option} {path}: it is a folder; name a file")
    if not path.resolve().parent.is_dir():
        fail(f"{option} {path}: folder {path.parent} does not exist")


@contextmanager
def stages(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar over named stages: call the function it yields as each stage starts.

    Why stages, not rows: a report or an export spends its time in a few long steps (loading,
    weighting, estimating, rendering); naming the current one tells the analyst where it is.
    """
    if not console.is_terminal:  # no bar (it would print only a stray blank line), nor its imports
        yield lambda _description: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("starting", total=total)
        started = 0

        def start(description: str) -> None:
            nonlocal started
            progress.update(task, completed=started, description=description)
            started += 1

        yield start
        progress.update(task, completed=total)


T = TypeVar("T")


class InThread(Generic[T]):
    """A call running in a thread of its own; :meth:`result` waits for it and raises its error here.

    Why: polars reads and writes files in native code, outside the interpreter's lock, so a command
    can go on meanwhile on the second core: `survey weight` imports numpy and the weighting library
    while its data are read, and lays out its diagnostics while its output is written. The thread
    is a daemon: a command that fails meanwhile exits without waiting for it.
    """

    def __init__(self, call: Callable[[], T]) -> None:
        self._call = call
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._call()
        except BaseException as exc:  # handed to the caller's thread, which reports it
            self._error = exc

    def result(self) -> T:
        """The call's value once it has returned; its exception, raised in the caller's thread."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return cast(T, self._value)

    def wait(self) -> None:
        """Wait for the call to end, whatever its outcome (before removing what it writes to)."""
        self._thread.join()
