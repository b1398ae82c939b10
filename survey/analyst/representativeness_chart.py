"""The monitor's evolution chart: one running figure per day of submission, as inline SVG.

Why beside `survey.analyst.charts` and built from its frame: the same rules hold (no JavaScript,
no inline style, a <title> and <desc>, a table beside it on the page); only a line over days is new.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from survey.analyst.charts import PALETTE, _frame
from survey.analyst.formatting import num

__all__ = ["day_line"]

WIDTH, HEIGHT = 560, 230
LEFT, RIGHT, TOP, BOTTOM = 48, 14, 30, 196


def day_line(
    title: str, days: Sequence[str], values: Sequence[float], *, desc: str, lang: str = "en"
) -> Markup:
    """A line with a dot per day; days without a finite value (no responses yet) leave a gap."""
    points = [(i, v) for i, v in enumerate(values) if math.isfinite(v)]
    body = [
        f'<text x="{LEFT}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{WIDTH - RIGHT}" y2="{BOTTOM}" stroke="#444"/>',
    ]
    if not points:
        return _frame(WIDTH, HEIGHT, title, desc, body)
    low, high = min(v for _, v in points), max(v for _, v in points)
    span = (high - low) or abs(high) or 1.0
    step = (WIDTH - LEFT - RIGHT) / max(len(days) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return LEFT + i * step, BOTTOM - (v - low) / span * (BOTTOM - TOP)

    path = " ".join(
        f"{'M' if k == 0 else 'L'}{x:.1f} {y:.1f}" for k, (x, y) in enumerate(xy(i, v) for i, v in points)
    )
    body.append(f'<path d="{path}" stroke="{PALETTE[0]}" stroke-width="2" fill="none"/>')
    for i, v in points:
        x, y = xy(i, v)
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{PALETTE[0]}">'
            f"<title>{escape(days[i])}: {num(v, lang, 3)}</title></circle>"
        )
    for value in (low, high):
        y = xy(0, value)[1]
        body.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{num(value, lang, 2)}</text>'
        )
    body.append(f'<text x="{LEFT}" y="{BOTTOM + 16}" font-size="10">{escape(days[0])}</text>')
    body.append(
        f'<text x="{WIDTH - RIGHT}" y="{BOTTOM + 16}" font-size="10" text-anchor="end">{escape(days[-1])}</text>'
    )
    return _frame(WIDTH, HEIGHT, title, desc, body)
