"""The one colour palette of every chart: Okabe–Ito, with a fixed colour per role.

Why one module: a reader who learnt on the results page that blue is "weighted" and orange is
"unweighted" must find the same on the diagnostics, the bias audit, the public page and the PDF
report. Okabe & Ito (2008) chose these eight colours to stay apart for the common forms of colour
blindness; ``tests/analyst/test_palette.py`` checks it for our roles through the Machado (2009)
simulation. Roles own their colour: a series without a role takes one of the colours no role uses,
and when there are more such series than colours the chart labels each bar directly instead of
repeating a colour (a repeated colour would silently say "same group").
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

__all__ = [
    "AXIS", "BACKGROUND", "GRID", "INK", "OKABE_ITO", "OUTLINE", "ROLE_COLOURS", "WHISKER", "Role", "colour",
    "free_colours", "series_colours",
]  # fmt: skip

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}


class Role(StrEnum):
    """What a series is; the same role has the same colour on every page and in the report."""

    WEIGHTED = "weighted"
    UNWEIGHTED = "unweighted"
    ONLINE = "online"
    FIELD = "field"
    TARGET = "target"  # population margins: the target of weighting and the bias audit's reference


ROLE_COLOURS: dict[Role, str] = {
    Role.WEIGHTED: OKABE_ITO["blue"],
    Role.UNWEIGHTED: OKABE_ITO["orange"],
    Role.ONLINE: OKABE_ITO["sky_blue"],
    Role.FIELD: OKABE_ITO["bluish_green"],
    Role.TARGET: OKABE_ITO["black"],  # the reference every sample is measured against
}
# Colours left for series without a role (subgroups, scenarios). Yellow is left out: on white it
# is too faint for a bar (contrast 1.2:1), even with an outline. These five roles are the five
# Okabe–Ito colours that stay furthest apart under protanopia and deuteranopia (CIEDE2000 of 17.9
# at the closest pair, against 12.5 for the other choices of five).
_FREE = (OKABE_ITO["vermillion"], OKABE_ITO["reddish_purple"])
AXIS = "#333333"  # axis lines and bar outlines: dark enough for 3:1 against white
OUTLINE = AXIS
GRID = "#d0d0d0"
INK = "#1b1b1b"  # text, as the pages' body text
WHISKER = OKABE_ITO["black"]  # CI whiskers and marker outlines: 4.3:1 even over a weighted (blue) bar
BACKGROUND = "#ffffff"  # a downloaded chart's own background


def colour(role: Role) -> str:
    return ROLE_COLOURS[role]


def free_colours() -> tuple[str, ...]:
    """Colours no role uses, in the order series without a role take them."""
    return _FREE


def series_colours(roles: Sequence[Role | None]) -> list[str] | None:
    """A colour per series: its role's, else the next free one; None when the free ones run out.

    None tells the chart to label each bar directly and draw them all in the weighted colour.
    """
    free = iter(_FREE)
    picked: list[str] = []
    for role in roles:
        if role is not None:
            picked.append(ROLE_COLOURS[role])
            continue
        nxt = next(free, None)
        if nxt is None:
            return None
        picked.append(nxt)
    return picked
