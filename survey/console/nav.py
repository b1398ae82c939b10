"""The console's navigation: one line per page, so that adding a page is adding a line.

``MAIN_NAV`` is the bar at the top of every page; ``CONSULTATION_NAV`` the sections of one
consultation (``{slug}`` is filled in). Each entry is (text key in ``texts``, address).
"""

from __future__ import annotations

MAIN_NAV: list[tuple[str, str]] = [
    ("nav_consultations", "/console"),
]

CONSULTATION_NAV: list[tuple[str, str]] = [
    ("nav_overview", "/console/c/{slug}"),
    ("nav_questionnaire", "/console/c/{slug}/questionnaire"),
]
