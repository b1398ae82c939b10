"""The palette: one definition, a fixed colour per role, and roles that stay apart for colour-blind readers."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from survey.analyst import charts, palette
from survey.analyst.palette import OKABE_ITO, ROLE_COLOURS, Role, free_colours, series_colours
from tests.analyst.colour_vision import ciede2000, distance

ANALYST = Path(palette.__file__).parent
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
DICHROMACIES = ("protanopia", "deuteranopia")


def test_ciede2000_matches_sharma_wu_dalal_test_pairs() -> None:
    """Pairs 1, 17 and 25 of the published CIEDE2000 test data (Sharma, Wu & Dalal 2005)."""
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    assert ciede2000((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387)) == pytest.approx(
        1.2644, abs=1e-4
    )


def test_the_simulation_merges_what_colour_blind_readers_confuse() -> None:
    """Red against green (ColorBrewer Set1) is far apart for most readers, close for a deuteranope:
    the same threshold the roles pass below rejects it, so the check can fail."""
    red, green = "#E41A1C", "#4DAF4A"
    assert distance(red, green) > 60
    assert distance(red, green, "deuteranopia") < 12
    old = ("#1f5f99", "#d9822b", "#5a9e4b", "#8e5ea2")  # the palette before this one
    assert min(distance(a, b, "deuteranopia") for a, b in itertools.combinations(old, 2)) < 12


@pytest.mark.parametrize("deficiency", [None, *DICHROMACIES])
def test_role_colours_stay_distinguishable(deficiency: str | None) -> None:
    """Every pair of roles at least 15 CIEDE2000 apart (about 7 just-noticeable differences)."""
    gaps = {
        (a.value, b.value): distance(ROLE_COLOURS[a], ROLE_COLOURS[b], deficiency)
        for a, b in itertools.combinations(Role, 2)
    }
    print(deficiency, {k: round(v, 1) for k, v in sorted(gaps.items(), key=lambda kv: kv[1])})
    assert min(gaps.values()) >= 15, gaps


def test_every_usable_colour_stays_apart_even_with_tritanopia() -> None:
    usable = [*ROLE_COLOURS.values(), *free_colours()]
    for deficiency in DICHROMACIES:
        assert min(distance(a, b, deficiency) for a, b in itertools.combinations(usable, 2)) >= 12
    roles = list(ROLE_COLOURS.values())
    assert min(distance(a, b, "tritanopia") for a, b in itertools.combinations(roles, 2)) >= 10


def test_roles_and_free_colours_are_okabe_ito_and_never_shared() -> None:
    used = [*ROLE_COLOURS.values(), *free_colours()]
    assert set(ROLE_COLOURS) == set(Role)
    assert len(set(used)) == len(used)
    assert set(used) <= set(OKABE_ITO.values())
    assert OKABE_ITO["yellow"] not in used  # too faint on white for a bar


def test_series_take_their_role_colour_and_direct_labels_replace_repeats() -> None:
    assert series_colours([Role.TARGET, Role.UNWEIGHTED, Role.WEIGHTED]) == [
        ROLE_COLOURS[Role.TARGET], ROLE_COLOURS[Role.UNWEIGHTED], ROLE_COLOURS[Role.WEIGHTED],
    ]  # fmt: skip
    assert series_colours([None, Role.WEIGHTED, None]) == [
        free_colours()[0], ROLE_COLOURS[Role.WEIGHTED], free_colours()[1],
    ]  # fmt: skip
    assert series_colours([None] * (len(free_colours()) + 1)) is None
    many = {f"group {i}": [0.1 * i, 0.2] for i in range(1, 6)}
    chart = charts.grouped_bars("Many groups", ["Yes", "No"], many)
    for name in many:  # every bar named beside it, no legend to decode
        assert chart.svg.count(f">{name}</text>") == 2
    fills = set(re.findall(r'<rect [^>]*fill="(#[0-9A-Fa-f]{6})"', str(chart.svg)))
    assert fills == {ROLE_COLOURS[Role.WEIGHTED]}


def test_the_same_role_has_the_same_colour_on_every_chart() -> None:
    fit = charts.grouped_bars("Fit", ["a", "b"], {"T": [0.5, 0.5], "U": [0.4, 0.6], "W": [0.5, 0.5]},
                              roles=[Role.TARGET, Role.UNWEIGHTED, Role.WEIGHTED])  # fmt: skip
    estimate = charts.estimate_bars(
        "Q", ["a", "b"], [(0.5, 0.4, 0.6), (0.5, 0.4, 0.6)], unweighted=[0.3, 0.7]
    )
    assert (
        f'fill="{ROLE_COLOURS[Role.UNWEIGHTED]}"' in fit
        and f'fill="{ROLE_COLOURS[Role.UNWEIGHTED]}"' in estimate
    )
    assert (
        f'fill="{ROLE_COLOURS[Role.WEIGHTED]}"' in fit and f'fill="{ROLE_COLOURS[Role.WEIGHTED]}"' in estimate
    )


def test_no_chart_code_or_template_writes_a_colour_of_its_own() -> None:
    """Colours are named once, in palette.py; the chart builders and the SVG in templates use it."""
    sources = [p for p in ANALYST.glob("*.py") if p.name != "palette.py"]
    sources += list((ANALYST / "templates").rglob("*.html"))
    found = {p.name: HEX.findall(p.read_text()) for p in sources}
    assert {k: v for k, v in found.items() if v} == {}
