"""Every failure is a WeightingError subclass whose one-line message names the culprit."""

from __future__ import annotations

import copy
import pickle

import pandas as pd
import pytest

from weighting import (
    BoundsError,
    ConvergenceError,
    Design,
    DesignError,
    EmptyCellError,
    MissingValueError,
    Note,
    Targets,
    TargetsError,
    VariableError,
    WeightingError,
    calibrate,
    estimate,
    poststratify,
    rake,
    trim,
)


def _one_line(exc: pytest.ExceptionInfo[WeightingError]) -> str:
    text = str(exc.value)
    assert "\n" not in text
    return text


def test_all_errors_share_the_base_class():
    for cls in (
        TargetsError,
        EmptyCellError,
        MissingValueError,
        ConvergenceError,
        BoundsError,
        VariableError,
    ):
        assert issubclass(cls, WeightingError)


def test_unknown_variable_is_named(sample):
    t = Targets.from_dict({"income": {"low": 0.5, "high": 0.5}})
    with pytest.raises(VariableError) as exc:
        rake(Design.from_frame(sample), t)
    assert "'income'" in _one_line(exc)


def test_sample_category_without_target_is_named(sample):
    t = Targets.from_dict({"age_group": {"18-34": 0.5, "35-64": 0.5}})
    with pytest.raises(TargetsError) as exc:
        rake(Design.from_frame(sample), t)
    assert "age_group=65+" in _one_line(exc)
    n = int((sample["age_group"] == "65+").sum())
    assert (exc.value.code, exc.value.values) == (
        "no_target",
        {"variable": "age_group", "category": "65+", "n": n},
    )


def test_target_category_without_respondent_is_named(sample):
    t = Targets.from_dict({"sex": {"F": 0.5, "M": 0.4, "X": 0.1}})
    with pytest.raises(EmptyCellError) as exc:
        poststratify(Design.from_frame(sample), t)
    assert "sex=X" in _one_line(exc)
    assert exc.value.code == "empty_cell"
    assert exc.value.values == {"variable": "sex", "category": "X", "share": pytest.approx(0.1)}


def test_empty_crossed_cell_is_named(sample):
    sample = sample[~((sample["sex"] == "M") & (sample["age_group"] == "65+"))]
    cells = {f"{s}:{a}": 1 / 6 for s in ("F", "M") for a in ("18-34", "35-64", "65+")}
    with pytest.raises(EmptyCellError) as exc:
        poststratify(Design.from_frame(sample), Targets.from_dict({"sex:age_group": cells}))
    assert "sex:age_group=M:65+" in _one_line(exc)


def test_missing_values_error_by_default_names_variable_and_row(sample, targets):
    sample.loc[4, "region"] = None
    with pytest.raises(MissingValueError) as exc:
        rake(Design.from_frame(sample), targets)
    msg = _one_line(exc)
    assert "'region'" in msg
    assert "row 5" in msg
    assert (exc.value.code, exc.value.values) == ("missing_values", {"variable": "region", "n": 1, "row": 5})


def test_non_convergence_says_iterations_and_gap(sample, targets):
    with pytest.raises(ConvergenceError) as exc:
        rake(Design.from_frame(sample), targets, max_iter=1, tol=1e-12)
    msg = _one_line(exc)
    assert "after 1 iterations" in msg
    assert "off its target" in msg
    assert exc.value.code == "rake_no_convergence"
    values = exc.value.values
    assert values["iterations"] == 1 and values["tol"] == 1e-12 and values["deviation"] > 1e-12
    assert f"{values['variable']}={values['category']} is" in msg  # the category the message names


def test_non_convergence_can_warn_instead(sample, targets):
    with pytest.warns(RuntimeWarning, match="did not converge"):
        design = rake(Design.from_frame(sample), targets, max_iter=1, tol=1e-12, strict=False)
    assert not design.diagnostics[-1].converged


def test_infeasible_bounds_are_named(sample, targets):
    with pytest.raises(BoundsError) as exc:
        calibrate(Design.from_frame(sample), targets, calfun="logit", bounds=(0.9, 1.1))
    assert "0.9,1.1" in _one_line(exc)
    assert exc.value.code == "bounds_infeasible"  # found on the cells before iterating
    assert "with g at" in exc.value.values["explanation"]
    assert {k: exc.value.values[k] for k in ("lo", "hi")} == {"lo": 0.9, "hi": 1.1}


@pytest.mark.parametrize(
    ("calfun", "bounds", "code"),
    [
        ("logit", None, "logit_bounds"),
        ("linear", (1.2, 2.0), "bounds_malformed"),
        ("raking", (0.5, 2), "raking_bounds"),
    ],
)
def test_malformed_bounds(sample, targets, calfun, bounds, code):
    with pytest.raises(BoundsError) as exc:
        calibrate(Design.from_frame(sample), targets, calfun=calfun, bounds=bounds)
    assert exc.value.code == code


def test_bad_base_weights_name_the_row(sample):
    sample.loc[2, "base"] = -1.0
    with pytest.raises(DesignError, match="data row 3"):
        Design.from_frame(sample, weights="base")
    sample.loc[2, "base"] = None
    with pytest.raises(MissingValueError, match=r"'base'.*data row 3"):
        Design.from_frame(sample, weights="base")


def test_zero_share_with_respondents(sample):
    t = Targets.from_dict({"sex": {"F": 1.0, "M": 0.0}})
    with pytest.raises(TargetsError, match="sex=M") as exc:
        rake(Design.from_frame(sample), t)
    n = int((sample["sex"] == "M").sum())
    assert exc.value.values == {"variable": "sex", "category": "M", "n": n}


def test_lonely_psu_is_reported(sample):
    lonely = sample.assign(stratum=["a"] + ["b"] * (len(sample) - 1))
    design = Design.from_frame(lonely, strata="stratum")
    with pytest.raises(DesignError, match="only one PSU"):
        estimate(design, ["score"])


def test_poststratify_with_several_margins_needs_a_name(sample, targets):
    with pytest.raises(TargetsError, match="sex, age_group, region"):
        poststratify(Design.from_frame(sample), targets)


def test_trim_bounds_validated(sample, targets):
    design = rake(Design.from_frame(sample), targets)
    with pytest.raises(BoundsError, match=r"1\.5,3") as exc:
        trim(design, 1.5, 3)
    assert (exc.value.code, exc.value.values) == ("trim_malformed", {"lo": 1.5, "hi": 3})


def test_codes_and_notes_survive_copies_and_pickles(sample, targets):
    """A caller across a process boundary (a worker, a cache) can still say them in its language."""
    with pytest.raises(ConvergenceError) as exc:
        rake(Design.from_frame(sample), targets, max_iter=1, tol=1e-12)
    again = pickle.loads(pickle.dumps(exc.value))
    assert (str(again), again.code, again.values) == (str(exc.value), exc.value.code, exc.value.values)
    (note,) = trim(rake(Design.from_frame(sample), targets), 0.5, 2.5).diagnostics[-1].notes
    assert isinstance(note, Note) and note.code == "trimmed" and note.values["lo"] == 0.5
    for twin in (copy.deepcopy(note), pickle.loads(pickle.dumps(note))):
        assert (twin, twin.code, twin.values) == (note, note.code, note.values)


def test_unknown_outcome_variable(sample):
    with pytest.raises(VariableError, match="'nope'"):
        estimate(Design.from_frame(sample), ["nope"])


def test_collapse_rule_unknown_category(sample, targets):
    with pytest.raises(TargetsError, match="'60\\+'"):
        rake(Design.from_frame(sample), targets, collapse={"age_group": {"60+": "x"}})


def test_frame_with_no_rows():
    with pytest.raises(DesignError):
        Design.from_frame(pd.DataFrame({"sex": []}))
