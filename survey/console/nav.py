"""The console's navigation: one line per page, so that adding a page is adding a line.

``MAIN_NAV`` is the bar at the top of every page; ``CONSULTATION_NAV`` the sections of one
consultation (``{slug}`` is filled in). Each entry is (text key in ``texts``, address).
"""

from __future__ import annotations

MAIN_NAV: list[tuple[str, str]] = [
    ("nav_consultations", "/console"),
    ("nav_people", "/console/people"),
    ("nav_audit", "/console/audit"),
]

CONSULTATION_NAV: list[tuple[str, str]] = [
    ("nav_overview", "/console/c/{slug}"),
    ("nav_questionnaire", "/console/c/{slug}/questionnaire"),
    ("nav_invitations", "/console/c/{slug}/invitations"),
    ("nav_targets", "/console/c/{slug}/targets"),
    ("nav_quotas", "/console/c/{slug}/quotas"),
]
