"""One way to render and one CSRF scheme, read from the source (issue 18, item 4).

Why from the source: a second scheme or a page built from strings works until the day it is wrong,
so no behavioural test notices it arriving; the rule is about where code lives, so the test reads it.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("survey", "field_app", "weighting")
CSRF_MODULE = "survey/http/csrf.py"
TEMPLATES_MODULE = "survey/http/templates.py"
COOKIE_NAMES = ("survey_csrf", "staff_csrf")
CRYPTO_CALLS = {"new", "compare_digest", "same_text", "token_urlsafe", "token_hex", "sha256"}


@cache
def _modules() -> dict[str, ast.Module]:
    found = {}
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                found[relative] = ast.parse(path.read_text(), relative)
    return found


def _says_csrf(node: ast.AST) -> bool:
    """Whether a piece of code names CSRF itself (the module's name ``csrf`` as a reference does not count:
    calling the one scheme is allowed, being another is not)."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            words = inner.value.lower()
            if "_csrf" in words or "csrf_" in words or "csrf|" in words or "csrf:" in words:
                return True
        if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef) and "csrf" in inner.name.lower():
            return True
        if isinstance(inner, ast.Name) and "csrf" in inner.id.lower() and inner.id != "csrf":
            return True
    return False


def _crypto_calls(node: ast.AST) -> set[str]:
    calls = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            func = inner.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in CRYPTO_CALLS:
                calls.add(name)
    return calls


def csrf_implementations(modules: dict[str, ast.Module]) -> list[str]:
    """Functions and constants outside survey/http/csrf.py that make, check or name a CSRF token or cookie."""
    found = []
    for path, tree in modules.items():
        if path == CSRF_MODULE:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                body = ast.Module(body=node.body, type_ignores=[])
                if "csrf" in node.name.lower() or (_crypto_calls(body) and _says_csrf(body)):
                    found.append(f"{path}: {node.name}")
            elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                cookie = isinstance(node.value, ast.Constant) and node.value.value in COOKIE_NAMES
                if cookie or any("csrf" in n.lower() for n in names):
                    found.append(f"{path}: {', '.join(names)}")
    return found


def test_the_product_has_exactly_one_csrf_implementation() -> None:
    modules = _modules()
    assert csrf_implementations(modules) == []
    one = modules[CSRF_MODULE]
    defined = {n.name for n in one.body if isinstance(n, ast.FunctionDef)}
    assert {"token", "check", "form_token", "form_ok", "seed_cookie"} <= defined


def test_the_csrf_check_can_fail() -> None:
    """A second scheme, as the staff pages had one, is found: a MAC of a seed under a csrf name."""
    source = (
        "import hmac\nCSRF_COOKIE = 'staff_csrf'\n"
        "def csrf_token(secret, seed):\n    return hmac.new(secret, b'csrf|' + seed, 'sha256').hexdigest()\n"
        "def ok(secret, seed, given):\n    return hmac.compare_digest(given, mac(secret, 'csrf:' + seed))\n"
        "def session_ok(secret, body, given):\n    return hmac.compare_digest(given, mac(secret, body))\n"
    )
    found = csrf_implementations({"survey/other.py": ast.parse(source)})
    assert found == ["survey/other.py: CSRF_COOKIE", "survey/other.py: csrf_token", "survey/other.py: ok"]


def _builds_environments(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Environment"
        for node in ast.walk(tree)
    )


def _escapes_by_hand(tree: ast.Module) -> bool:
    """Imports ``html.escape`` or ``markupsafe.escape``: HTML written as strings, escaped call by call."""
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module in ("html", "markupsafe")
        and any(alias.name == "escape" for alias in node.names)
        for node in ast.walk(tree)
    )


# modules that draw SVG or a standalone document outside any page template (charts, QR codes, the
# printable letters, the API schema page): markup generators, not pages
DRAWINGS = {
    "survey/http/qr.py",
    "survey/api/schema_page.py",
    "survey/analyst/charts.py",
    "survey/analyst/representativeness_chart.py",
    "survey/console/invitations_letters.py",
}


def test_every_page_is_a_jinja_template_from_the_one_factory() -> None:
    modules = _modules()
    builders = sorted(path for path, tree in modules.items() if _builds_environments(tree))
    assert builders == [TEMPLATES_MODULE]
    by_hand = sorted(path for path, tree in modules.items() if _escapes_by_hand(tree))
    assert sorted(set(by_hand) - DRAWINGS) == []
    coordinator = [
        p for p in modules if p.startswith(("field_app/coordinator", "field_app/openrosa/app_user"))
    ]
    assert len(coordinator) >= 5 and not any(_escapes_by_hand(modules[p]) for p in coordinator)
