"""Questionnaire wording for codes: question and choice labels in the reader's language.

Why a separate, serialisable table: the analysis works on codes (``education = low``), but the
workbench, the report and the public page must show what respondents read (``Primary school``),
and a published snapshot must keep the labels of the questionnaire version it was made from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from survey.category_labels import CROSS
from survey.questionnaire.model import Questionnaire

__all__ = ["CROSS", "Labels"]


@dataclass(frozen=True)
class Labels:
    """Question labels by name, choice labels by question and code, each per language."""

    questions: dict[str, dict[str, str]] = field(default_factory=dict)
    choices: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    @classmethod
    def from_questionnaire(cls, questionnaire: Questionnaire, names: set[str] | None = None) -> Labels:
        """Labels of every question (or of ``names`` only), with their choices."""
        questions: dict[str, dict[str, str]] = {}
        choices: dict[str, dict[str, dict[str, str]]] = {}
        for q in questionnaire.questions:
            if names is not None and q.name not in names:
                continue
            questions[q.name] = {k: v for k, v in q.labels.items() if v}
            if q.type.has_choices:
                choices[q.name] = {
                    c.name: {k: v for k, v in c.labels.items() if v} for c in questionnaire.choices_for(q)
                }
        return cls(questions, choices)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Labels:
        """Inverse of :meth:`to_dict`; snapshots frozen before labels existed give an empty table."""
        data = data or {}
        return cls(dict(data.get("questions", {})), dict(data.get("choices", {})))

    def to_dict(self) -> dict[str, Any]:
        return {"questions": self.questions, "choices": self.choices}

    def question(self, name: str, lang: str) -> str:
        """``age_group`` → ``Age group``; a crossed margin joins its parts with ×."""
        if CROSS in name:
            return " × ".join(self.question(part, lang) for part in name.split(CROSS))
        # "Your age:" reads as a name once the trailing colon of the form's prompt is dropped
        return (self.questions.get(name, {}).get(lang) or name).rstrip(" :?\u00a0\u202f") or name

    def choice(self, question: str, code: str, lang: str) -> str:
        """The choice label in ``lang``, else the code itself (never another language's text)."""
        if CROSS in question and code.count(CROSS) == question.count(CROSS):
            parts = zip(question.split(CROSS), code.split(CROSS), strict=True)
            return " × ".join(self.choice(q, c, lang) for q, c in parts)
        return self.choices.get(question, {}).get(code, {}).get(lang) or code

    def questions_list(self, names: list[str] | tuple[str, ...], lang: str) -> str:
        """Comma-separated labels of several questions (margins in a sentence)."""
        return ", ".join(self.question(n, lang) for n in names)
