"""The one way the product writes HTML: Jinja, autoescaping every template.

Why one factory: the workbench, the console and the coordinators' pages each keep their templates
beside their code, but none may build a page from strings with a hand-placed ``escape()`` (one
forgotten call is an injection); every environment comes from here, so escaping is never a choice.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape


def environment(folder: Path) -> Environment:
    """Templates under ``folder`` with autoescape on for every file, whatever its extension."""
    return Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(default=True))
