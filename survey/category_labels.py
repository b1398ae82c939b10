"""The category a cell's text names, by the rules of :mod:`survey.tabular`, with no data-frame library.

Why apart from :mod:`survey.tabular`: the workbench's target upload (:mod:`survey.analyst.targets_csv`)
follows the same rule as the command line's reader, and a server worker should not load polars, which
that reader needs, to trim a label.
"""

from __future__ import annotations

import re

__all__ = ["CROSS", "category_label", "crossed_label"]

CROSS = ":"  # crossed margins: variable ``sex:age_group``, category ``F:18-24``
_DECIMAL = re.compile(r"[+-]?\d+\.\d*")


def category_label(text: str) -> str:
    """The category a cell's text names: stripped, and ``1.0`` read as ``1`` (see :mod:`survey.tabular`).

    Examples:
        >>> [category_label(t) for t in (" F ", "1.0", "2.50", "01", "NA", "10.")]
        ['F', '1', '2.5', '01', 'NA', '10']
    """
    label = text.strip()
    if _DECIMAL.fullmatch(label):
        label = label.rstrip("0").rstrip(".")
    return label


def crossed_label(text: str) -> str:
    """A crossed category, part by part: ``" F : 1.0 "`` is ``F:1``."""
    return CROSS.join(category_label(part) for part in text.split(CROSS))
