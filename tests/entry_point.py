"""The ``survey`` command's entry point run inside the test process, seen as a script sees it.

Why: ``python -m survey ...`` in a subprocess costs an interpreter start and the imports of the command
(one to three seconds each), which the test worker has already paid. ``run_survey`` calls the same
``survey.cli.main.main`` the console script calls, so the net for errors no command foresaw is
exercised too; only interpreter start-up itself is not, and tests/cli/test_cli_startup.py and
tests/cli/test_demo.py keep real subprocesses for that.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass

from typer.testing import CliRunner

from survey.cli.main import main


@dataclass(frozen=True)
class Ran:
    """What a finished ``survey`` run left: its exit code and what it wrote on each stream."""

    returncode: int
    stdout: str
    stderr: str


def run_survey(*args: str, env: Mapping[str, str | None] | None = None) -> Ran:
    """Run ``survey ARGS`` through ``main()`` with its own stdin, stdout, stderr and environment changes.

    The streams are not terminals (as with ``subprocess.run(capture_output=True)``); ``env`` values
    replace the process environment for the run only (``None`` removes a variable).
    """
    saved_argv = sys.argv
    with CliRunner().isolation(env=env) as (stdout, stderr, _):
        sys.argv = ["survey", *args]
        try:
            main()
            code = 0
        except SystemExit as exit_:
            code = _exit_code(exit_.code)
            if isinstance(exit_.code, str):  # what the interpreter prints for sys.exit("message")
                sys.stderr.write(exit_.code + "\n")
        finally:
            sys.argv = saved_argv
            sys.stdout.flush()
            sys.stderr.flush()
        return Ran(code, stdout.getvalue().decode(), stderr.getvalue().decode())


def _exit_code(code: object) -> int:
    """The process exit status ``SystemExit(code)`` would give."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1
