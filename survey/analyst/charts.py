"""Inline SVG charts: no inline script or style (the CSP forbids both), print-friendly, downloadable.

Why hand-written SVG: charts must render identically in the browser, in a self-contained HTML
report and in WeasyPrint's PDF, with no plotting dependency. Colours are SVG presentation
attributes (allowed by ``style-src 'self'``) and come from ``survey.analyst.palette`` only; every
chart has a <title> and <desc> and the pages always put a data table next to it, so the chart is
never the only way to read a number.

Why 420 px wide with 13 px text: a phone 390 px wide shows a chart about 366 px wide, so the chart
shrinks to 87 % and its smallest text to 11.3 px, still legible. Category labels sit on their own
line above their bars (wrapped, not cut, up to two lines) so the bars keep the whole width.
"""

from __future__ import annotations

import base64
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

from survey.analyst.axes import Axis, value_axis
from survey.analyst.chart_text import chart_text
from survey.analyst.formatting import num, number, pct
from survey.analyst.palette import AXIS, BACKGROUND, GRID, INK, OUTLINE, WHISKER, Role, colour, series_colours

if TYPE_CHECKING:  # only the weights' histogram bins with numpy; every other chart is plain Python
    import numpy as np

__all__ = [
    "FONT", "LINE", "PAD", "WIDTH", "Chart", "estimate_bars", "frame", "grouped_bars", "histogram", "svg_text",
    "text_width", "tick_label", "wrap",
]  # fmt: skip

WIDTH = 420
FONT = 13  # the one text size on a chart (titles 14): 11.3 px on a 390 px phone
TITLE_FONT = 14
LINE = 17  # line height of 13 px text
PAD = 8
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
_GLYPH = 0.6  # average glyph width over font size for the sans-serif faces browsers and WeasyPrint pick
_ids = itertools.count(1)


@dataclass(frozen=True)
class Chart:
    """A chart as the page shows it (inline SVG) and as a reader downloads it (a standalone file).

    The standalone file carries its title and a white background: saved alone, a chart must still
    say what it shows.
    """

    svg: Markup
    standalone: str
    filename: str
    title: str

    def __html__(self) -> str:
        return str(self.svg)

    def __str__(self) -> str:
        return str(self.svg)

    def __contains__(self, text: str) -> bool:
        return text in self.svg

    @property
    def svg_url(self) -> str:
        """The standalone SVG as a data URL: a download link that needs no route and no JavaScript."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.standalone.encode()).decode("ascii")


def text_width(text: str, size: float = FONT) -> float:
    """Rough rendered width: SVG cannot measure text, and a label must not run off the chart."""
    return len(text) * size * _GLYPH


def wrap(text: str, width: float, size: float = FONT, lines: int = 2) -> list[str]:
    """``text`` broken into at most ``lines`` lines of ``width`` px; the last cut with an ellipsis."""
    room = max(int(width / (size * _GLYPH) + 1e-6), 4)
    out: list[str] = []
    current = ""
    for whole in text.split():
        word = whole
        while len(word) > room:  # a word longer than a line is cut where the line ends
            if current:
                out.append(current)
                current = ""
            out.append(word[:room])
            word = word[room:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= room:
            current = candidate
        else:
            out.append(current)
            current = word
    if current or not out:
        out.append(current)
    if len(out) > lines:
        last = out[lines - 1]
        out = [*out[: lines - 1], last[: room - 1].rstrip() + "…"]
    return out


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60] or "chart"


def svg_text(x: float, y: float, text: str, *, anchor: str = "start", size: int = FONT, bold: bool = False,
             fill: str = INK) -> str:  # fmt: skip
    """One line of text, escaped; never below ``FONT`` on a chart (the 390 px phone test holds it)."""
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{weight}>'
        f"{escape(text)}</text>"
    )


def _title_lines(title: str, y: float) -> tuple[list[str], float]:
    """A downloaded chart's title, wrapped onto up to three lines; also the y below it."""
    lines = wrap(title, WIDTH - 2 * PAD, TITLE_FONT, 3)
    parts = [svg_text(PAD, y + TITLE_FONT + i * (TITLE_FONT + 4), line, size=TITLE_FONT, bold=True)
             for i, line in enumerate(lines)]  # fmt: skip
    return parts, y + len(lines) * (TITLE_FONT + 4) + 6


def frame(height: float, title: str, desc: str, body: list[str], *, titled: bool = False) -> Chart:
    """The inline chart and its standalone file from the same drawing.

    ``titled``: the drawing already shows its title (charts the page gives no heading of their own).
    """
    n = next(_ids)
    h = math.ceil(height)
    inner = "".join(body)
    root = (
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {{h}}" width="{WIDTH}" height="{{h}}" '
        f'font-family="{FONT_FAMILY}"'
    )
    svg = Markup(  # noqa: S704 - every text inserted went through html.escape
        f'<svg {root.format(h=h)} class="chart" role="img" aria-labelledby="ct{n} cd{n}">'
        f'<title id="ct{n}">{escape(title)}</title><desc id="cd{n}">{escape(desc)}</desc>{inner}</svg>'
    )
    head, top = ([], 0.0) if titled else _title_lines(title, PAD)
    total = math.ceil(h + top)
    standalone = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<svg {root.format(h=total)}><title>{escape(title)}</title><desc>{escape(desc)}</desc>"
        f'<rect width="{WIDTH}" height="{total}" fill="{BACKGROUND}"/>{"".join(head)}'
        f'<g transform="translate(0 {top:.0f})">{inner}</g></svg>\n'
    )
    return Chart(svg, standalone, _slug(title), title)


def _figure(value: float, lang: str) -> str:
    """A count or a weight as a reader wants it on a chart: 1 151, 728, 3,6, never 1.15e+03."""
    return num(value, lang, 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2)


def tick_label(value: float, lang: str, percent: bool, step: float) -> str:
    """A tick label with no more digits than the step needs (20 %, 2,5, 0,25)."""
    digits = 0
    scaled = step * (100 if percent else 1)
    while digits < 3 and abs(scaled * 10**digits - round(scaled * 10**digits)) > 1e-6:
        digits += 1
    return pct(value, lang, digits) if percent else num(value, lang, digits)


def _diamond(x: float, y: float, r: float = 6) -> str:
    return (
        f'<path d="M{x:.1f} {y - r:.1f}L{x + r:.1f} {y:.1f}L{x:.1f} {y + r:.1f}L{x - r:.1f} {y:.1f}Z" '
        f'fill="{colour(Role.UNWEIGHTED)}" stroke="{WHISKER}" stroke-width="1"/>'
    )


def _legend(items: Sequence[tuple[str, str, str]], y: float) -> tuple[list[str], float]:
    """Legend items (name, colour, shape) left to right, wrapping before the right edge; the y below."""
    parts: list[str] = []
    x, row = float(PAD), 0
    for name, fill, shape in items:
        shown = wrap(name, WIDTH - 2 * PAD - 20, FONT, 1)[0]
        width = 20 + text_width(shown)
        if x > PAD and x + width > WIDTH - PAD:
            x, row = float(PAD), row + 1
        cy = y + row * (LINE + 4) + FONT / 2
        if shape == "diamond":
            parts.append(_diamond(x + 6, cy, 5))
        else:
            parts.append(f'<rect x="{x:.1f}" y="{cy - 6:.1f}" width="12" height="12" fill="{fill}" '
                         f'stroke="{OUTLINE}" stroke-width="0.5"/>')  # fmt: skip
        parts.append(svg_text(x + 18, cy + 4.5, shown))
        x += width + 16
    return parts, y + (row + 1) * (LINE + 4) + 4


def _axis(axis: Axis, x0: float, x1: float, top: float, bottom: float, unit: str, lang: str,
          percent: bool) -> tuple[list[str], list[str], float]:  # fmt: skip
    """Grid lines (drawn under the bars), the axis with its ticks and title, and the y below it."""
    step = axis.ticks[1] - axis.ticks[0] if len(axis.ticks) > 1 else 1.0
    grid: list[str] = []
    parts = [f'<line x1="{x0:.1f}" y1="{bottom:.1f}" x2="{x1:.1f}" y2="{bottom:.1f}" stroke="{AXIS}"/>']
    for value in axis.ticks:
        x = axis.position(value, x0, x1)
        grid.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<line x1="{x:.1f}" y1="{bottom:.1f}" x2="{x:.1f}" y2="{bottom + 4:.1f}" stroke="{AXIS}"/>'
        )
        parts.append(svg_text(x, bottom + 5 + FONT, tick_label(value, lang, percent, step), anchor="middle"))
    if axis.low < 0 < axis.high:
        x = axis.position(0.0, x0, x1)
        grid.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{AXIS}"/>')
    y = bottom + 5 + FONT + 6
    centre = (x0 + x1) / 2
    room = 2 * min(centre - PAD, WIDTH - PAD - centre)  # centred under the axis, yet inside the chart
    for line in wrap(unit, room, FONT, 2):
        parts.append(svg_text(centre, y + FONT, line, anchor="middle"))
        y += LINE
    return grid, parts, y


def grouped_bars(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    roles: Sequence[Role | None] | None = None,
    intervals: Mapping[str, Sequence[tuple[float, float]]] | None = None,
    marks: Sequence[float] | None = None,
    percent: bool = True,
    scale: tuple[float, float] | None = None,
    unit: str | None = None,
    direct: bool = False,
    desc: str = "",
    lang: str = "en",
) -> Chart:
    """Horizontal bars, one group per label and one bar per series, on one value axis.

    ``roles`` give series their palette colour; series without one take a free colour, and when
    those run out every bar is labelled directly (as with ``direct``) instead of repeating a colour.
    ``intervals`` draw 95 % CI whiskers; ``marks`` (one series only) draws the unweighted
    estimate as a diamond. ``scale`` fixes the axis (a numeric question's 0 to 10).
    """
    words = chart_text(lang)
    names = list(series)
    given = list(roles) if roles is not None else [None] * len(names)
    picked = None if direct else series_colours(given)
    direct = picked is None
    colours = picked or [colour(role or Role.WEIGHTED) for role in given]
    spans = intervals or {}
    fmt: Callable[[float], str] = (lambda v: pct(v, lang)) if percent else (lambda v: _figure(v, lang))
    axis, first_tick, last_tick, value_room = _value_room(series, spans, marks, scale, fmt, lang, percent)

    body: list[str] = []
    y = float(PAD)
    if not direct:
        items = [(name, colours[j], "bar") for j, name in enumerate(names)]
        if marks is not None:
            items.append((words["unweighted"], colour(Role.UNWEIGHTED), "diamond"))
        legend, y = _legend(items, y)
        body += legend
    label_col = 0.0
    shown_names = names
    if direct:
        label_col = min(max(text_width(n) for n in names) + 10, WIDTH * 0.38)
        shown_names = [wrap(n, label_col - 10, FONT, 1)[0] for n in names]
    x0 = PAD + max(label_col, first_tick)
    x1 = WIDTH - PAD - max(value_room, last_tick)
    bar = 14 if len(names) > 1 else 18
    zero = axis.position(min(max(0.0, axis.low), axis.high), x0, x1)
    lane = _Lane(axis, x0, x1, zero, bar, fmt)
    top = y
    bars: list[str] = []
    for i, label in enumerate(labels):
        for line in wrap(label, WIDTH - 2 * PAD, FONT, 2):
            bars.append(svg_text(PAD, y + FONT, line))
            y += LINE
        y += 2
        for j, name in enumerate(names):
            v = series[name][i]
            cy = y + bar / 2
            if direct:
                bars.append(svg_text(x0 - 6, cy + 4.5, shown_names[j], anchor="end"))
            if not math.isfinite(v):
                bars.append(svg_text(x0 + 2, cy + 4.5, "–"))
                y += bar + 3
                continue
            tip = f"{label}, {name}: {fmt(v)}" if len(names) > 1 or direct else f"{label}: {fmt(v)}"
            span = spans[name][i] if name in spans else None
            mark = marks[i] if marks is not None else None
            bars += _bar(lane, y, v, colours[j], tip, span, mark)
            y += bar + 3
        y += 6
    grid, axis_parts, y = _axis(axis, x0, x1, top, y, unit or words["axis_percent"], lang, percent)
    body += grid + bars + axis_parts
    description = desc or words["desc_series"].format(title=title, series=", ".join(names))
    return frame(y + PAD, title, description, body)


def _value_room(
    series: Mapping[str, Sequence[float]],
    spans: Mapping[str, Sequence[tuple[float, float]]],
    marks: Sequence[float] | None,
    scale: tuple[float, float] | None,
    fmt: Callable[[float], str],
    lang: str,
    percent: bool,
) -> tuple[Axis, float, float, float]:
    """The value axis over every bar, whisker and mark, and the room its end ticks and the values need."""
    values = [v for vs in series.values() for v in vs]
    values += [e for pairs in spans.values() for pair in pairs for e in pair] + list(marks or [])
    axis = value_axis(values, scale=scale)
    step = axis.ticks[1] - axis.ticks[0] if len(axis.ticks) > 1 else 1.0
    first_tick = text_width(tick_label(axis.ticks[0], lang, percent, step)) / 2
    last_tick = text_width(tick_label(axis.ticks[-1], lang, percent, step)) / 2
    finite = [v for vs in series.values() for v in vs if math.isfinite(v)]
    return axis, first_tick, last_tick, max((text_width(fmt(v)) for v in finite), default=0.0) + 10


@dataclass(frozen=True)
class _Lane:
    """Where one chart's bars go: its axis between x0 and x1, the zero line, a bar's height, the format."""

    axis: Axis
    x0: float
    x1: float
    zero: float
    height: int
    fmt: Callable[[float], str]


def _bar(
    lane: _Lane, y: float, v: float, fill: str, tip: str, span: tuple[float, float] | None, mark: float | None
) -> list[str]:
    """One bar with its CI whisker, the unweighted diamond and its value, written past both."""
    cy = y + lane.height / 2
    x = lane.axis.position(v, lane.x0, lane.x1)
    text = lane.fmt(v)
    parts = [
        f'<rect x="{min(x, lane.zero):.1f}" y="{y:.1f}" width="{max(abs(x - lane.zero), 0.5):.1f}" '
        f'height="{lane.height}" fill="{fill}" stroke="{OUTLINE}" stroke-width="0.5"><title>{escape(tip)}</title></rect>'
    ]
    right = x
    if span is not None and math.isfinite(span[0]) and math.isfinite(span[1]):
        xa, xb = lane.axis.position(span[0], lane.x0, lane.x1), lane.axis.position(span[1], lane.x0, lane.x1)
        parts.append(
            f'<path d="M{xa:.1f} {cy:.1f}H{xb:.1f}M{xa:.1f} {cy - 5:.1f}V{cy + 5:.1f}'
            f'M{xb:.1f} {cy - 5:.1f}V{cy + 5:.1f}" stroke="{WHISKER}" stroke-width="1.5" fill="none"/>'
        )
        right = max(right, xb)
    if mark is not None and math.isfinite(mark):
        xm = lane.axis.position(mark, lane.x0, lane.x1)
        parts.append(_diamond(xm, cy))
        if xm - 6 < right + 7 + text_width(text) and xm + 6 > right:  # the value goes past the diamond
            right = max(right, xm + 6)
    parts.append(svg_text(right + 5, cy + 4.5, text))
    return parts


def estimate_bars(
    title: str,
    labels: Sequence[str],
    estimates: Sequence[tuple[float, float, float]],
    *,
    unweighted: Sequence[float] | None = None,
    percent: bool = True,
    scale: tuple[float, float] | None = None,
    unit: str | None = None,
    desc: str = "",
    lang: str = "en",
) -> Chart:
    """Weighted estimates with 95 % CI whiskers (estimate, low, high), and the unweighted ones as diamonds."""
    words = chart_text(lang)
    name = words["weighted_ci"]
    return grouped_bars(
        title,
        labels,
        {name: [e for e, _, _ in estimates]},
        roles=[Role.WEIGHTED],
        intervals={name: [(lo, hi) for _, lo, hi in estimates]},
        marks=unweighted,
        percent=percent,
        scale=scale,
        unit=unit,
        desc=desc or words["desc_estimates"].format(title=title),
        lang=lang,
    )


def histogram(
    title: str,
    values: Sequence[float] | np.ndarray,
    *,
    bins: int = 30,
    desc: str = "",
    lang: str = "en",
    summary: str = "{n} weights from {low} to {high}.",
) -> Chart:
    """Distribution of the weights; a long right tail means a few respondents carry a lot.

    Binned with numpy: the weights of 100k respondents would take a Python loop a while.
    """
    import numpy as np  # noqa: PLC0415

    words = chart_text(lang)
    array = np.asarray(values, dtype=np.float64)
    finite = array[np.isfinite(array)]
    if not finite.size:
        return frame(60, title, desc or title, [])
    lo, hi = float(finite.min()), float(finite.max())
    x_axis = value_axis([lo, hi], scale=None) if lo >= 0 else value_axis([lo, hi])
    step = (x_axis.high - x_axis.low) / bins
    counts = np.bincount(
        np.minimum(((finite - x_axis.low) / step).astype(np.int64), bins - 1), minlength=bins
    )
    y_axis = value_axis([float(counts.max())], whole=True, count=4)
    y_step = y_axis.ticks[1] - y_axis.ticks[0] if len(y_axis.ticks) > 1 else 1.0
    left = PAD + max(text_width(tick_label(t, lang, False, y_step)) for t in y_axis.ticks) + 6
    right = WIDTH - PAD - text_width(tick_label(x_axis.ticks[-1], lang, False, 1.0)) / 2
    top, bottom = PAD + LINE + 8, PAD + LINE + 8 + 170
    body = [svg_text(PAD, PAD + FONT, words["axis_count"])]
    for t in y_axis.ticks:
        yt = y_axis.position(t, bottom, top)
        body.append(f'<line x1="{left:.1f}" y1="{yt:.1f}" x2="{right:.1f}" y2="{yt:.1f}" stroke="{GRID}"/>')
        body.append(svg_text(left - 6, yt + 4.5, tick_label(t, lang, False, y_step), anchor="end"))
    bw = (right - left) / bins
    for i, c in enumerate(counts.tolist()):
        yt = y_axis.position(float(c), bottom, top)
        a, b = x_axis.low + i * step, x_axis.low + (i + 1) * step
        body.append(
            f'<rect x="{left + i * bw:.1f}" y="{yt:.1f}" width="{max(bw - 1, 0.5):.1f}" height="{bottom - yt:.1f}" '
            f'fill="{colour(Role.WEIGHTED)}"><title>{_figure(a, lang)}–{_figure(b, lang)}: {c}</title></rect>'
        )
    _, parts, y = _axis(x_axis, left, right, bottom, bottom, words["axis_weight"], lang, False)
    body += parts
    words_desc = summary.format(n=number(finite.size, lang), low=_figure(lo, lang), high=_figure(hi, lang))
    return frame(y + PAD, title, desc or f"{title}: {words_desc}", body)
