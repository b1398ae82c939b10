"""Inline SVG charts: no JavaScript, no inline style (the CSP forbids both), print-friendly.

Why hand-written SVG: charts must render identically in the browser, in a self-contained HTML
report and in WeasyPrint's PDF, with no plotting dependency. Colours are SVG presentation
attributes (allowed by ``style-src 'self'``); every chart has a <title> and <desc> and the
pages always put a data table next to it, so the chart is never the only way to read a number.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from html import escape

import numpy as np
from markupsafe import Markup

from survey.analyst.formatting import num, number, pct

PALETTE = ("#1f5f99", "#d9822b", "#5a9e4b", "#8e5ea2", "#7f7f7f")
_GLYPH = 0.6  # average glyph width over font size for the sans-serif faces browsers and WeasyPrint pick
_LABELS_MIN, _LABELS_MAX = 60, 280
_LEGEND_ROW = 16
_ids = itertools.count(1)


def _frame(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    n = next(_ids)
    return Markup(  # noqa: S704 - every text inserted above went through html.escape
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="ct{n} cd{n}">'
        f'<title id="ct{n}">{escape(title)}</title><desc id="cd{n}">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _text_width(text: str, size: float) -> float:
    """Rough rendered width: SVG cannot measure text, and a label must not run off the chart."""
    return len(text) * size * _GLYPH


def _label_column(labels: Sequence[str], size: float = 11) -> tuple[int, list[str]]:
    """Width of the label column, and the labels cut with an ellipsis where they would not fit.

    The column grows with the longest label (up to a cap, so the bars keep their room); each bar's
    tooltip and the table beside every chart keep the whole label.
    """
    widest = max((_text_width(label, size) for label in labels), default=0.0)
    left = math.ceil(min(max(widest + 12, _LABELS_MIN), _LABELS_MAX))
    room = int((left - 12) / (size * _GLYPH))
    return left, [
        label if _text_width(label, size) <= left - 12 else label[: room - 1].rstrip() + "…"
        for label in labels
    ]


def _figure(value: float, lang: str) -> str:
    """A count or a weight as a reader wants it on a chart: 1 151, 728, 3,6, never 1.15e+03."""
    return num(value, lang, 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2)


def _legend(series: Sequence[str], x: int, y: int, right: int) -> tuple[list[str], int]:
    """Legend items left to right, wrapping onto a new row before ``right``; also its height."""
    parts: list[str] = []
    px, row = float(x), 0
    for i, name in enumerate(series):
        width = 14 + _text_width(name, 11)
        if px > x and px + width > right:
            px, row = float(x), row + 1
        ty = y + row * _LEGEND_ROW
        parts.append(
            f'<rect x="{px:.0f}" y="{ty - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        parts.append(f'<text x="{px + 14:.0f}" y="{ty}" font-size="11">{escape(name)}</text>')
        px += width + 20
    return parts, row * _LEGEND_ROW


def grouped_bars(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    percent: bool = True,
    desc: str = "",
    lang: str = "en",
) -> Markup:
    """Horizontal grouped bars, one group per label, one bar per series (e.g. target vs achieved)."""
    names = list(series)
    left, shown = _label_column(labels)
    bar, gap, width = 9, 8, left + 410
    group = bar * len(names) + gap
    body, extra = _legend(names, left, 14, width - 10)
    height = 34 + extra + group * len(labels) + 10
    values = [v for vs in series.values() for v in vs if math.isfinite(v)]
    top = max(values, default=1.0) or 1.0
    scale = (width - left - 60) / top
    for i, label in enumerate(labels):
        y0 = 28 + extra + i * group
        body.append(
            f'<text x="{left - 6}" y="{y0 + group / 2}" font-size="11" text-anchor="end">{escape(shown[i])}</text>'
        )
        for j, name in enumerate(names):
            v = series[name][i]
            if not math.isfinite(v):
                continue
            y = y0 + j * bar
            text = pct(v, lang) if percent else _figure(v, lang)
            body.append(
                f'<rect x="{left}" y="{y}" width="{max(v * scale, 0.5):.1f}" height="{bar - 1}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(label)}, {escape(name)}: {text}</title></rect>'
            )
            body.append(f'<text x="{left + v * scale + 4:.1f}" y="{y + bar - 2}" font-size="9">{text}</text>')
    return _frame(width, height, title, desc or f"{title}: {', '.join(names)} per category.", body)


def estimate_bars(title: str, labels: Sequence[str], estimates: Sequence[tuple[float, float, float]], *,
                  percent: bool = True, desc: str = "", lang: str = "en") -> Markup:  # fmt: skip
    """Bars with 95% confidence-interval whiskers (estimate, low, high)."""
    left, shown = _label_column(labels)
    bar, width = 16, left + 390
    height = 20 + (bar + 8) * len(labels) + 10
    top = max((h for _, _, h in estimates if math.isfinite(h)), default=1.0) or 1.0
    scale = (width - left - 70) / top
    body = []
    for i, (label, (est, lo, hi)) in enumerate(zip(labels, estimates, strict=True)):
        y = 12 + i * (bar + 8)
        text = pct(est, lang) if percent else num(est, lang)
        body.append(
            f'<text x="{left - 6}" y="{y + 12}" font-size="11" text-anchor="end">{escape(shown[i])}</text>'
        )
        body.append(
            f'<rect x="{left}" y="{y}" width="{max(est * scale, 0.5):.1f}" height="{bar}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {text}</title></rect>"
        )
        if math.isfinite(lo) and math.isfinite(hi):
            x1, x2, cy = left + lo * scale, left + hi * scale, y + bar / 2
            body.append(
                f'<path d="M{x1:.1f} {cy}H{x2:.1f}M{x1:.1f} {cy - 5}V{cy + 5}M{x2:.1f} {cy - 5}V{cy + 5}" '
                f'stroke="#222" stroke-width="1.2" fill="none"/>'
            )
        body.append(
            f'<text x="{left + max(hi, est) * scale + 6:.1f}" y="{y + 12}" font-size="10">{text}</text>'
        )
    return _frame(width, height, title, desc or f"{title}: estimates with 95% confidence intervals.", body)


def histogram(
    title: str,
    values: Sequence[float] | np.ndarray,
    *,
    bins: int = 30,
    desc: str = "",
    lang: str = "en",
    tallest: str = "max count {n}",
    summary: str = "{n} weights from {low} to {high}.",
) -> Markup:
    """Distribution of the weights; a long right tail means a few respondents carry a lot.

    Binned with numpy: the weights of 100k respondents would take a Python loop a while.
    """
    array = np.asarray(values, dtype=np.float64)
    finite = array[np.isfinite(array)]
    width, height, left, bottom = 560, 220, 40, 190
    if not finite.size:
        return _frame(width, height, title, "no data", [])
    lo, hi = float(finite.min()), float(finite.max())
    step = (hi - lo) / bins or 1.0
    counts = np.bincount(np.minimum(((finite - lo) / step).astype(np.int64), bins - 1), minlength=bins)
    top = int(counts.max()) or 1
    bw = (width - left - 10) / bins
    body = [f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="#444"/>']
    for i, c in enumerate(counts.tolist()):
        h = (bottom - 20) * c / top
        body.append(
            f'<rect x="{left + i * bw:.1f}" y="{bottom - h:.1f}" width="{bw - 1:.1f}" height="{h:.1f}" '
            f'fill="{PALETTE[0]}"><title>{_figure(lo + i * step, lang)}–{_figure(lo + (i + 1) * step, lang)}: '
            f"{c}</title></rect>"
        )
    body.append(f'<text x="{left}" y="{bottom + 16}" font-size="10">{_figure(lo, lang)}</text>')
    body.append(
        f'<text x="{width - 10}" y="{bottom + 16}" font-size="10" text-anchor="end">{_figure(hi, lang)}</text>'
    )
    body.append(
        f'<text x="{left}" y="12" font-size="10">{escape(tallest.format(n=number(top, lang)))}</text>'
    )
    words = summary.format(n=number(finite.size, lang), low=_figure(lo, lang), high=_figure(hi, lang))
    return _frame(width, height, title, desc or f"{title}: {words}", body)
