"""The weighting an analyst chose, read from a query string or a form.

Why apart from the routes: the workbench pages read the choice from the query string (every page is
a bookmarkable GET) and the scheme form from its posted fields, and the :class:`WorkbenchService`
reads the same fields when it stores a scheme; one reading serves them all, with the refusals of
``survey scheme add``.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from survey.analyst.services import WeightingSpec
from survey.store.errors import NotFoundError
from survey.store.models import WeightingScheme
from survey.store.services.schemes import SchemeChoice, SchemeError, check_choice
from weighting import WeightingError

__all__ = ["SCHEME_FIXES", "choice_from", "selection", "spec_from_query"]

SCHEME_FIXES = ("method", "variables", "bounds_lo", "bounds_hi", "trim_lo", "trim_hi", "targets")


def _pair(lo: str | None, hi: str | None, what: str) -> tuple[float, float] | None:
    if not lo and not hi:
        return None
    try:
        return float(lo or ""), float(hi or "")
    except ValueError as exc:
        raise WeightingError(f"{what}: give two numbers, low and high", code=f"{what}_pair") from exc


def choice_from(fields: Any) -> SchemeChoice:
    """Method, margins, bounds and trimming from a query string or a form (one reading for both),
    checked by the rule ``survey scheme add`` applies too; refusals are WeightingError for the page."""
    choice = SchemeChoice(
        method=fields.get("method") or "rake",
        variables=tuple(v for v in fields.getall("variables", []) if v),
        bounds=_pair(fields.get("bounds_lo"), fields.get("bounds_hi"), "bounds"),
        trim=_pair(fields.get("trim_lo"), fields.get("trim_hi"), "trim"),
    )
    try:
        check_choice(choice)
    except SchemeError as exc:
        raise WeightingError(str(exc), code=exc.code, **exc.values) from None
    return choice


def selection(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Which targets to load: ``?scheme=NAME`` (its own version) or ``?targets=VERSION`` (else the latest)."""
    q = request.query_params
    raw = (q.get("targets") or "").strip()
    if raw and not raw.isdigit():
        raise NotFoundError(f"no targets version {raw!r}")
    return {"targets": int(raw) if raw else None, "scheme": (q.get("scheme") or "").strip() or None}


def spec_from_query(request: Request[Any, Any, Any], scheme: WeightingScheme | None = None) -> WeightingSpec:
    """The weighting choices carried in the query string, so every page is a bookmarkable GET.

    With a saved ``scheme`` the choices are the scheme's; a query that also sets some of them is
    refused rather than one of the two silently ignored.
    """
    q = request.query_params
    keys = tuple(dict.fromkeys(k for k in q.getall("key", []) if k))
    if scheme is not None:
        given = [name for name in SCHEME_FIXES if any(v.strip() for v in q.getall(name, []))]
        if given:
            raise WeightingError(
                f"scheme {scheme.name} fixes its targets, method, margins, bounds and trimming; "
                f"{given[0]} cannot be given with it: choose the scheme or your own settings",
                code="scheme_and_settings", name=scheme.name, given=given[0],
            )  # fmt: skip
        return WeightingSpec.of_scheme(scheme, keys)
    choice = choice_from(q)
    return WeightingSpec(method=choice.method, variables=choice.variables, bounds=choice.bounds,
                         trim=choice.trim, keys=keys)  # fmt: skip
