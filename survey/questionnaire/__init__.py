"""The questionnaire model: pure data, no I/O beyond reading an XLSForm workbook."""

from survey.questionnaire.errors import ExpressionError, FormError, FormIssue
from survey.questionnaire.expressions import Expression, evaluate, parse
from survey.questionnaire.model import Choice, Page, Question, Questionnaire, QuestionType

__all__ = [
    "Choice",
    "Expression",
    "ExpressionError",
    "FormError",
    "FormIssue",
    "Page",
    "Question",
    "QuestionType",
    "Questionnaire",
    "evaluate",
    "parse",
]
