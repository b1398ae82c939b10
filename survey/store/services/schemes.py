"""Weighting schemes: a consultation's named weightings, each bound to one target-set version.

Why a service of its own: the workbench, ``survey scheme`` and the snapshots must agree on what a
scheme may hold (the method takes the bounds it is given, margins come from its targets, the name is
fit for a link) and on how its definition reads when copied into a snapshot; one module says both.
Every change is audited in the caller's transaction.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.store.errors import NotFoundError, StoreError
from survey.store.models import Consultation, Target, TargetSet, WeightingScheme
from survey.store.services.audit import record

__all__ = [
    "BOUNDED",
    "METHODS",
    "SchemeChoice",
    "SchemeError",
    "SchemeService",
    "check_choice",
    "definition",
]

METHODS: tuple[str, ...] = ("rake", "poststratify", "linear", "logit", "raking")
BOUNDED: tuple[str, ...] = ("linear", "logit")  # the calibration functions that take bounds on g
MISSING: tuple[str, ...] = ("mode", "category", "error")  # as the weighting library names them
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,59}\Z")


class SchemeError(StoreError):
    """A scheme that cannot be stored; ``code`` and ``values`` let a page say it in its reader's language."""

    def __init__(self, message: str, *, code: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class SchemeChoice:
    """What a weighting does: method, margins (empty = every margin of its targets), bounds on g,
    trimming of g and the treatment of missing answers."""

    method: str = "rake"
    variables: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None
    trim: tuple[float, float] | None = None
    missing: str = "mode"

    def settings(self) -> dict[str, Any]:
        """What the scheme's ``settings`` column holds (the method has its own column)."""
        return {
            "variables": list(self.variables),
            "bounds": list(self.bounds) if self.bounds else None,
            "trim": list(self.trim) if self.trim else None,
            "missing": self.missing,
        }

    @classmethod
    def of(cls, scheme: WeightingScheme) -> SchemeChoice:
        settings = scheme.settings or {}
        bounds, trim = settings.get("bounds"), settings.get("trim")
        return cls(
            method=scheme.method,
            variables=tuple(settings.get("variables") or ()),
            bounds=(float(bounds[0]), float(bounds[1])) if bounds else None,
            trim=(float(trim[0]), float(trim[1])) if trim else None,
            missing=str(settings.get("missing") or "mode"),
        )


def check_choice(choice: SchemeChoice) -> None:
    """The one rule every door applies: a known method, bounds only where the method uses them,
    bounds or trimming as two finite numbers (SchemeError otherwise). Whether they can be met is
    the weighting library's to say, when the scheme is run."""
    if choice.method not in METHODS:
        raise SchemeError(
            f"unknown method {choice.method!r}; choose one of {', '.join(METHODS)}",
            code="unknown_method", method=choice.method, methods=", ".join(METHODS),
        )  # fmt: skip
    if choice.bounds is not None and choice.method not in BOUNDED:
        raise SchemeError(
            f"bounds on g apply to linear or logit calibration only; {choice.method} would ignore them: "
            "choose linear or logit, or clear the bounds",
            code="bounds_ignored", method=choice.method,
        )  # fmt: skip
    for what, pair in (("bounds", choice.bounds), ("trim", choice.trim)):
        if pair is not None and not all(math.isfinite(v) for v in pair):  # their order: the library's rule
            raise SchemeError(f"{what}: give two numbers, low and high", code=f"{what}_pair")
    if choice.missing not in MISSING:
        raise SchemeError(
            f"missing: choose one of {', '.join(MISSING)}", code="scheme_missing", choices=", ".join(MISSING)
        )


def target_summary(target_set: TargetSet) -> dict[str, Any]:
    """A target set as a snapshot or a page names it: version, label, source, date, population."""
    return {
        "version": target_set.version,
        "label": target_set.label,
        "source": target_set.source,
        "uploaded": target_set.created_at.isoformat(),
        "population": target_set.population,
    }


def definition(scheme: WeightingScheme, target_set: TargetSet) -> dict[str, Any]:
    """The scheme in full, as a snapshot copies it: its name, targets version and every choice."""
    return {
        "name": scheme.name,
        "targets": target_summary(target_set),
        "method": scheme.method,
        **SchemeChoice.of(scheme).settings(),
    }


class SchemeService:
    """Add, list, read and remove a consultation's schemes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        consultation: Consultation,
        name: str,
        target_set: TargetSet,
        choice: SchemeChoice,
        *,
        actor: str,
        actor_id: int | None = None,
    ) -> WeightingScheme:
        """Store a new scheme; refuses a name in use, a foreign target set and margins it lacks."""
        name = name.strip()
        if not NAME.match(name):
            raise SchemeError(
                f"name {name!r}: use 1 to 60 letters, digits, '.', '_' or '-', starting with a letter or digit",
                code="scheme_name", name=name,
            )  # fmt: skip
        check_choice(choice)
        if target_set.consultation_id != consultation.id:
            raise NotFoundError(f"consultation '{consultation.slug}' has no such target set")
        available = self.margins(target_set)
        unknown = [v for v in choice.variables if v not in available]
        if unknown:
            raise SchemeError(
                f"targets version {target_set.version} have no margin {unknown[0]!r} "
                f"(they have: {', '.join(available)})",
                code="no_targets_for", variable=unknown[0], available=", ".join(available),
            )  # fmt: skip
        margins = list(choice.variables) or available
        if choice.method == "poststratify" and len(margins) != 1:
            raise SchemeError(
                f"post-stratification takes one margin (cross them, e.g. sex:age_group); the targets have "
                f"{', '.join(margins)}: choose raking or one margin",
                code="one_margin", margins=", ".join(margins),
            )  # fmt: skip
        if self.find(consultation, name) is not None:
            raise SchemeError(f"a scheme named {name!r} exists already", code="scheme_taken", name=name)
        scheme = WeightingScheme(
            consultation_id=consultation.id, name=name, target_set_id=target_set.id, method=choice.method,
            settings=choice.settings(), created_by_id=actor_id,
        )  # fmt: skip
        self.session.add(scheme)
        self.session.flush()
        record(
            self.session, actor=actor, actor_id=actor_id, action="add_scheme", entity="weighting_scheme",
            entity_id=scheme.id, details={"consultation": consultation.slug, **definition(scheme, target_set)},
        )  # fmt: skip
        return scheme

    def margins(self, target_set: TargetSet) -> list[str]:
        """The margins a target set gives, in the order they were uploaded."""
        rows = self.session.scalars(
            select(Target.variable).where(Target.target_set_id == target_set.id).order_by(Target.id)
        )
        return list(dict.fromkeys(rows))

    def all(self, consultation: Consultation) -> list[WeightingScheme]:
        return list(
            self.session.scalars(
                select(WeightingScheme)
                .where(WeightingScheme.consultation_id == consultation.id)
                .order_by(WeightingScheme.name)
            )
        )

    def find(self, consultation: Consultation, name: str) -> WeightingScheme | None:
        return self.session.scalar(
            select(WeightingScheme).where(
                WeightingScheme.consultation_id == consultation.id, WeightingScheme.name == name
            )
        )

    def get(self, consultation: Consultation, name: str) -> WeightingScheme:
        found = self.find(consultation, name)
        if found is None:
            raise NotFoundError(f"consultation '{consultation.slug}' has no weighting scheme '{name}'")
        return found

    def target_set(self, scheme: WeightingScheme) -> TargetSet:
        found = self.session.get(TargetSet, scheme.target_set_id)
        assert found is not None  # a foreign key holds it
        return found

    def remove(
        self, consultation: Consultation, name: str, *, actor: str, actor_id: int | None = None
    ) -> None:
        """Delete a scheme; snapshots made with it keep its name and full definition in their content."""
        scheme = self.get(consultation, name)
        details = {"consultation": consultation.slug, **definition(scheme, self.target_set(scheme))}
        self.session.delete(scheme)
        record(
            self.session, actor=actor, actor_id=actor_id, action="remove_scheme", entity="weighting_scheme",
            entity_id=scheme.id, details=details,
        )  # fmt: skip
