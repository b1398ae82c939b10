"""Server-side validation: types, choices, constraints, skip logic, messages in the respondent's language."""

from __future__ import annotations

from survey.questionnaire.validation import validate
from tests.factories import demo_questionnaire, valid_answers


def test_valid_answers_are_typed() -> None:
    result = validate(demo_questionnaire(), valid_answers(years_in_brussels="12", trust_region=5.0), "fr")
    assert result.ok
    assert result.answers["years_in_brussels"] == 12
    assert result.answers["trust_region"] == 5
    assert result.answers["merge_why_not"] == ["identity", "other"]


def test_messages_follow_the_language() -> None:
    answers = valid_answers(sex=None)
    assert (
        validate(demo_questionnaire(), answers, "fr").errors[0].message == "Cette question est obligatoire."
    )
    assert validate(demo_questionnaire(), answers, "nl").errors[0].message == "Deze vraag is verplicht."
    assert validate(demo_questionnaire(), answers, "en").errors[0].message == "This question is required."


def test_type_and_choice_errors() -> None:
    answers = valid_answers(
        years_in_brussels="3.5", trust_region="lots", merge_why_not=["identity", "identity"]
    )
    codes = {e.question: e.code for e in validate(demo_questionnaire(), answers, "en").errors}
    assert codes == {"years_in_brussels": "integer", "trust_region": "integer", "merge_why_not": "choice"}


def test_skip_logic_both_ways() -> None:
    agree = validate(demo_questionnaire(), valid_answers(merge_municipalities="agree"), "en")
    assert [e.question for e in agree.errors] == ["merge_how"]  # now relevant and required
    assert "merge_why_not" not in agree.answers  # no longer relevant: dropped
    disagree = validate(
        demo_questionnaire(), valid_answers(merge_why_not=["cost"], merge_why_not_other=None), "en"
    )
    assert disagree.ok and "merge_why_not_other" not in disagree.answers


def test_partial_validation_skips_required_but_checks_values() -> None:
    result = validate(demo_questionnaire(), {"sex": "F", "trust_region": 12}, "en", partial=True)
    assert [e.code for e in result.errors] == ["constraint"]
