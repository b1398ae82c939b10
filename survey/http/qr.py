"""The resume link as a QR code, drawn on the server as inline SVG.

A respondent who started on a library computer can carry on at home by scanning the code with a
phone. Drawing it here keeps the page free of scripts and of any third-party image service, which
would otherwise learn every resume token.
"""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(link: str, title: str) -> Markup:
    """An SVG image of ``link``, with ``title`` as its accessible name."""
    code = segno.make(link, error="m", micro=False)
    svg = code.svg_inline(scale=4, border=4, title=title, svgclass="qr", lineclass=None, omitsize=False)
    # role="img" makes screen readers announce the <title> instead of an unnamed graphic.
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 - segno escapes the title
