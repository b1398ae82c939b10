"""Saved weighting schemes in the workbench: saved from a run, chosen by name, shown on every page,
kept by snapshots and the API, and tied to their targets version when newer targets arrive."""

from __future__ import annotations

import html
import re

from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import AuditEntry, Consultation, ResultSnapshot, WeightingScheme
from survey.store.services.schemes import SchemeService
from survey.store.services.targets import TargetService
from tests.analyst.conftest import SLUG, TARGETS_GOOD, csrf, login

BOUNDED = {"method": "logit", "variables": ["sex", "age_group"], "bounds_lo": "0.3", "bounds_hi": "3"}


def _text(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:dd|p|td|section)>', page, re.S)
    assert found, element_id
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def _save(client: TestClient, name: str, token: str, **fields: object) -> str:
    response = client.post(
        f"/analyst/{SLUG}/schemes?lang=en", data={"csrf_token": token, "name": name, **fields}
    )
    errors = re.search(r'id="upload-errors".*?</div>', response.text, re.S)
    assert response.status_code == 200, errors.group(0) if errors else response.text[-2000:]
    return response.text


def test_a_scheme_saved_from_a_run_is_what_every_page_shows(
    client: TestClient, demo: sessionmaker[Session]
) -> None:
    assert login(client) == 303
    run = client.get(f"/analyst/{SLUG}/weighting", params={**BOUNDED, "lang": "en"})
    assert run.status_code == 200
    assert 'id="save-scheme-form"' in run.text and 'name="targets" value="1"' in run.text  # the version shown
    assert 'id="g-weights"' in run.text  # bounds in use: the g-weights are shown
    token = csrf(client, f"/analyst/{SLUG}")
    overview = _save(client, "sex-age-logit", token, targets="1", **BOUNDED)
    assert "Scheme sex-age-logit saved." in overview and 'id="schemes"' in overview
    for page in ("weighting", "results", "breakdown", "bias"):
        shown = client.get(f"/analyst/{SLUG}/{page}", params={"scheme": "sex-age-logit", "lang": "en"})
        assert shown.status_code == 200, (page, shown.text[-1500:])
        assert _text(shown.text, "which-scheme") == "sex-age-logit"
        assert (
            _text(shown.text, "which-method").startswith("Logit")
            or "logit" in _text(shown.text, "which-method").lower()
        )
        assert _text(shown.text, "which-bounds") == "0.30–3.00"
        assert _text(shown.text, "which-trim") == "none"
        assert _text(shown.text, "which-targets").startswith("version 1:")
        assert _text(shown.text, "which-n") == "1,151"
        assert "scheme=sex-age-logit" in shown.text  # the steps keep the scheme
    with demo() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "add_scheme")).all()
        assert [a.details["name"] for a in audit] == ["sex-age-logit"] and audit[0].actor == "analyst"


def test_a_plain_rake_names_no_scheme_and_shows_no_g(client: TestClient) -> None:
    assert login(client) == 303
    page = client.get(f"/analyst/{SLUG}/weighting?lang=en")
    assert _text(page.text, "which-scheme") == "none (settings chosen for this page)"
    assert 'id="g-weights"' not in page.text
    trimmed = client.get(f"/analyst/{SLUG}/weighting?lang=en&trim_lo=0.3&trim_hi=3")
    assert 'id="g-weights"' in trimmed.text and _text(trimmed.text, "which-trim") == "0.30–3.00"


def test_a_scheme_with_other_settings_in_the_query_is_refused_not_half_applied(client: TestClient) -> None:
    assert login(client) == 303
    token = csrf(client, f"/analyst/{SLUG}")
    _save(client, "plain-rake", token, method="rake")
    mixed = client.get(f"/analyst/{SLUG}/results?lang=en&scheme=plain-rake&method=linear")
    assert mixed.status_code == 400
    assert "scheme plain-rake fixes its targets, method, margins" in html.unescape(mixed.text)
    french = client.get(f"/analyst/{SLUG}/results?lang=fr&scheme=plain-rake&targets=1")
    assert "le schéma plain-rake fixe ses cibles" in html.unescape(french.text)
    assert client.get(f"/analyst/{SLUG}/results?scheme=nobody").status_code == 404
    assert client.get(f"/analyst/{SLUG}/results?targets=99").status_code == 404


def test_a_refused_scheme_is_not_stored_and_says_why(client: TestClient, demo: sessionmaker[Session]) -> None:
    assert login(client) == 303
    token = csrf(client, f"/analyst/{SLUG}")
    cases = [
        (
            {"name": "rake-bounds", "method": "rake", "bounds_lo": "0.5", "bounds_hi": "2"},
            "bounds on g apply to linear or logit",
        ),
        ({"name": "bad name", "method": "rake"}, "name 'bad name'"),
        ({"name": "tight", "method": "logit", "bounds_lo": "0.99", "bounds_hi": "1.01"}, "cannot be met"),
        ({"name": "v9", "method": "rake", "targets": "9"}, "no targets version 9"),
    ]
    for fields, needle in cases:
        response = client.post(f"/analyst/{SLUG}/schemes?lang=en", data={"csrf_token": token, **fields})
        assert response.status_code == 422 and needle in html.unescape(response.text), (fields, needle)
        assert "The scheme was not saved:" in response.text
    forged = client.post(f"/analyst/{SLUG}/schemes", data={"name": "forged", "method": "rake"})
    assert forged.status_code == 403
    with demo() as session:
        names = set(session.scalars(select(WeightingScheme.name)))
    assert not names & {"rake-bounds", "bad name", "tight", "v9", "forged"}


def test_newer_targets_never_move_a_scheme_or_a_snapshot(
    client: TestClient, demo: sessionmaker[Session]
) -> None:
    assert login(client) == 303
    token = csrf(client, f"/analyst/{SLUG}")
    _save(client, "pinned", token, targets="1", method="linear", bounds_lo="0.3", bounds_hi="3")
    frozen = client.post(f"/analyst/{SLUG}/snapshots?scheme=pinned&lang=en", data={"csrf_token": token})
    assert frozen.status_code == 200 and "frozen" in frozen.text
    upload = client.post(
        f"/analyst/{SLUG}/targets?lang=en",
        data={"csrf_token": token, "label": "census 2025"},
        files={"file": ("newer.csv", TARGETS_GOOD.read_bytes(), "text/csv")},
    )
    assert upload.status_code == 200
    with demo() as session:
        consultation = session.scalars(select(Consultation).where(Consultation.slug == SLUG)).one()
        newest = TargetService(session).latest(consultation).version
        scheme = SchemeService(session).get(consultation, "pinned")
        assert SchemeService(session).target_set(scheme).version == 1 < newest
        snapshot = session.scalars(select(ResultSnapshot).order_by(ResultSnapshot.id.desc())).first()
        assert snapshot is not None
        snapshot_id = snapshot.id
        weighting = snapshot.content["weighting"]
        assert snapshot.settings["scheme"] == "pinned" and weighting["scheme"] == "pinned"
        assert weighting["definition"] == {
            "name": "pinned", "method": "linear", "variables": [], "bounds": [0.3, 3.0], "trim": None,
            "missing": "mode", "targets": weighting["targets"],
        }  # fmt: skip
        assert weighting["targets"]["version"] == 1
    page = client.get(f"/analyst/{SLUG}/results?scheme=pinned&lang=en")
    assert _text(page.text, "which-targets").startswith("version 1:")
    assert f"A newer target set exists (version {newest})" in _text(page.text, "newer-targets")
    review = client.get(f"/analyst/{SLUG}/snapshots/{snapshot_id}?lang=en")
    assert _text(review.text, "snapshot-scheme") == "pinned"
    public = client.get(f"/analyst/{SLUG}/snapshots/{snapshot_id}/preview?lang=en")
    assert "Weighting scheme: pinned (targets set, version 1)." in public.text  # the public page names it too
    assert f"A newer target set exists (version {newest})" in review.text
    latest = client.get(f"/analyst/{SLUG}/results?lang=en")
    assert (
        _text(latest.text, "which-targets").startswith(f"version {newest}:")
        and 'id="newer-targets"' not in latest.text
    )
    older = client.get(f"/analyst/{SLUG}/results?lang=en&targets=1")
    assert _text(older.text, "which-targets").startswith("version 1:") and 'id="newer-targets"' in older.text


def test_the_api_names_the_scheme_and_its_definition(client: TestClient) -> None:
    assert login(client) == 303
    token = csrf(client, f"/analyst/{SLUG}")
    _save(client, "api-trim", token, targets="1", method="rake", trim_lo="0.3", trim_hi="3")
    body = client.get(f"/analyst/api/{SLUG}/results?scheme=api-trim").json()
    assert body["spec"]["scheme"] == "api-trim" and body["spec"]["trim"] == [0.3, 3.0]
    assert body["weighting"]["definition"]["name"] == "api-trim"
    assert body["weighting"]["targets"]["version"] == 1 and body["weighting"]["deff"] > 1
    summary = client.get(f"/analyst/api/{SLUG}/summary?scheme=api-trim").json()
    assert summary["weighting"]["scheme"] == "api-trim"
    assert client.get(f"/analyst/api/{SLUG}/results?scheme=api-trim&method=linear").status_code in (400, 422)


def test_removing_a_scheme_keeps_what_snapshots_recorded(
    client: TestClient, demo: sessionmaker[Session]
) -> None:
    assert login(client) == 303
    token = csrf(client, f"/analyst/{SLUG}")
    _save(client, "short-lived", token, targets="1", method="raking")
    client.post(f"/analyst/{SLUG}/snapshots?scheme=short-lived", data={"csrf_token": token})
    gone = client.post(f"/analyst/{SLUG}/schemes/short-lived/remove?lang=en", data={"csrf_token": token})
    assert gone.status_code == 200 and "Scheme short-lived removed." in gone.text
    assert (
        client.post(f"/analyst/{SLUG}/schemes/short-lived/remove", data={"csrf_token": token}).status_code
        == 404
    )
    assert client.post(f"/analyst/{SLUG}/schemes/plain-rake/remove", data={}).status_code == 403  # CSRF
    with demo() as session:
        kept = [s.content["weighting"]["definition"]["name"] for s in session.scalars(select(ResultSnapshot))
                if (s.content.get("weighting") or {}).get("scheme") == "short-lived"]  # fmt: skip
        assert kept == ["short-lived"]
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.action == "remove_scheme")).one().actor
            == "analyst"
        )
