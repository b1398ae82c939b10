"""Printable invitation letters: one A4 page per code, with the personal link as a QR code.

Drawn as HTML and printed to PDF by WeasyPrint (loaded lazily: it needs Pango, which a server may
lack; the console then says so instead of failing). The QR code is drawn on the server
(``survey.http.qr``), so no third-party service ever sees a code.
"""

from __future__ import annotations

from markupsafe import escape

from survey.console import texts
from survey.http.qr import qr_svg
from survey.store.models import Consultation

_STYLE = """
@page { size: A4; margin: 25mm; }
body { font-family: sans-serif; font-size: 12pt; }
section { page-break-after: always; }
.code { font-size: 20pt; font-weight: bold; font-family: monospace; }
svg.qr { width: 45mm; height: 45mm; }
"""


def letters_html(consultation: Consultation, codes: list[str], base_url: str, lang: str) -> str:
    """One section per code; texts in ``lang``, the title in ``lang`` when the consultation has it."""
    title = str(consultation.title.get(lang) or consultation.slug)
    root = base_url.rstrip("/")
    pages = []
    for code in codes:
        link = f"{root}/c/{consultation.slug}?code={code}"
        pages.append(
            "<section>"
            f"<h1>{escape(title)}</h1>"
            f"<p>{escape(texts.text('i_letter_invited', lang, organiser=consultation.organiser or title))}</p>"
            f"<p>{escape(texts.text('i_letter_scan', lang))}</p>"
            f"{qr_svg(link, texts.text('i_letter_qr', lang))}"
            f"<p>{escape(texts.text('i_letter_type', lang))}<br>{escape(link.split('?', maxsplit=1)[0])}</p>"
            f'<p>{escape(texts.text("i_letter_code", lang))}<br><span class="code">{escape(code)}</span></p>'
            f"<p>{escape(texts.text('i_letter_once', lang))}</p>"
            "</section>"
        )
    return (
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>{''.join(pages)}</body></html>"
    )


def letters_pdf(consultation: Consultation, codes: list[str], base_url: str, lang: str) -> bytes:
    """The letters as PDF bytes."""
    from weasyprint import HTML  # noqa: PLC0415 - optional: needs Pango, absent on some servers

    pdf: bytes = HTML(string=letters_html(consultation, codes, base_url, lang)).write_pdf()
    return pdf
