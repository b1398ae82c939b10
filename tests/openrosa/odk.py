"""ODK Validate on many XForms in one Java process.

Why: each ODK Validate run starts a JVM (about a second on the CI machine), and the corpus has over
thirty forms. ODK Validate takes several paths at once and reports each under its own ``Validating:``
line, so one run answers for all of them; a form it refuses is validated again on its own through
pyxform, whose error message then names what is wrong.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from pyxform.validators import odk_validate

VALID = ">> Xform is valid!"


def valid_paths(paths: Sequence[Path], timeout: float = 600) -> set[Path]:
    """The paths ODK Validate accepts, from one run over all of them (``failFast`` off)."""
    if not paths:
        return set()
    odk_validate.check_java_available()
    run = subprocess.run(
        ["java", "-Djava.awt.headless=true", "-jar", odk_validate.ODK_VALIDATE_PATH, *map(str, paths)],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in run.stdout.splitlines():
        if line.startswith("Validating: "):
            current = sections.setdefault(line.removeprefix("Validating: ").strip(), [])
        else:
            current.append(line)
    accepted = {p for p in paths if VALID in sections.get(str(p), [])}
    if run.returncode == 0:
        assert accepted == set(paths), f"ODK Validate passed but did not report every form:\n{run.stdout}"
    return accepted


def assert_valid(path: Path, accepted: set[Path]) -> None:
    """Pass if the shared run accepted ``path``; otherwise ODK Validate alone says why (and fails)."""
    if path in accepted:
        return
    odk_validate.check_xform(str(path))  # raises ODKValidateError with ODK Validate's own message
    raise AssertionError(f"{path.name}: refused in the shared ODK Validate run, accepted alone")
