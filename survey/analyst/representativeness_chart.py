"""The monitor's evolution chart: one running figure per day of submission, as inline SVG.

Why beside `survey.analyst.charts` and built from its frame: the same rules hold (no JavaScript,
no inline style, a <title> and <desc>, a table beside it on the page, the palette's colours, 13 px
text on a 420 px drawing); only a line over days is new.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from survey.analyst.axes import Axis, ticks
from survey.analyst.chart_text import chart_text
from survey.analyst.charts import FONT, LINE, PAD, WIDTH, Chart, frame, svg_text, text_width, tick_label, wrap
from survey.analyst.formatting import num
from survey.analyst.palette import AXIS, GRID, Role, colour

__all__ = ["day_line"]

PLOT_HEIGHT = 150


def day_line(
    title: str, days: Sequence[str], values: Sequence[float], *, desc: str, lang: str = "en"
) -> Chart:
    """A line with a dot per day; days without a finite value (no responses yet) leave a gap.

    The title is drawn in the chart: the page shows these charts under one heading.
    """
    points = [(i, v) for i, v in enumerate(values) if math.isfinite(v)]
    body: list[str] = []
    y = float(PAD)
    for line in wrap(title, WIDTH - 2 * PAD, 14, 2):
        body.append(svg_text(PAD, y + 14, line, size=14, bold=True))
        y += 18
    top = y + 10
    bottom = top + PLOT_HEIGHT
    finite = [v for _, v in points] or [0.0]
    marks = ticks(min(finite), max(finite), 4)  # a line is read by position, not length: no zero needed
    axis = Axis(marks[0], marks[-1], tuple(marks))
    step = axis.ticks[1] - axis.ticks[0] if len(axis.ticks) > 1 else 1.0
    left = PAD + max(text_width(tick_label(t, lang, False, step)) for t in axis.ticks) + 6
    right = WIDTH - PAD - 4
    for t in axis.ticks:
        yt = axis.position(t, bottom, top)
        body.append(f'<line x1="{left:.1f}" y1="{yt:.1f}" x2="{right:.1f}" y2="{yt:.1f}" stroke="{GRID}"/>')
        body.append(svg_text(left - 6, yt + 4.5, tick_label(t, lang, False, step), anchor="end"))
    body.append(
        f'<line x1="{left:.1f}" y1="{bottom:.1f}" x2="{right:.1f}" y2="{bottom:.1f}" stroke="{AXIS}"/>'
    )
    step_x = (right - left) / max(len(days) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step_x, axis.position(v, bottom, top)

    if points:
        path = " ".join(
            f"{'M' if k == 0 else 'L'}{x:.1f} {y_:.1f}"
            for k, (x, y_) in enumerate(xy(i, v) for i, v in points)
        )
        line_colour = colour(Role.WEIGHTED)
        body.append(f'<path d="{path}" stroke="{line_colour}" stroke-width="2" fill="none"/>')
        for i, v in points:
            x, y_ = xy(i, v)
            body.append(
                f'<circle cx="{x:.1f}" cy="{y_:.1f}" r="3.5" fill="{line_colour}">'
                f"<title>{escape(days[i])}: {num(v, lang, 3)}</title></circle>"
            )
    shown = sorted({0, len(days) // 2, len(days) - 1}) if days else []
    for i in shown:
        x = left + i * step_x
        anchor = "start" if i == 0 and len(days) > 1 else "end" if i == len(days) - 1 and i else "middle"
        body.append(
            f'<line x1="{x:.1f}" y1="{bottom:.1f}" x2="{x:.1f}" y2="{bottom + 4:.1f}" stroke="{AXIS}"/>'
        )
        body.append(svg_text(x, bottom + 5 + FONT, days[i], anchor=anchor))
    y = bottom + 5 + FONT + 6
    body.append(svg_text((left + right) / 2, y + FONT, chart_text(lang)["axis_day"], anchor="middle"))
    return frame(y + LINE + PAD, title, desc, body, titled=True)
