"""The coordinators' page never calls a tablet complete on no news, counts unfinished interviews the
tablet reports, and shows quota cells in words with a visible "full" state (issue #24)."""

from __future__ import annotations

import re
from typing import Any

from tests.field_app.conftest import SLUG, FieldEnv, basic, login
from tests.field_app.test_api import auth, interview

QUOTAS = f"/field/api/admin/consultations/{SLUG}/quotas"


def english(username: str = "coord") -> dict[str, str]:
    return {**basic(username), "Accept-Language": "en"}


def report(client, token: str, items: list[dict[str, Any]], **extra: Any):
    """One sync with the tablet's manifest (every item it holds finished) and what else it says."""
    manifest = [{"uuid": i["uuid"], "client_hash": i["client_hash"]} for i in items]
    body = {"items": items, "manifest": manifest, **extra}
    return client.post("/field/api/sync", json=body, headers=auth(token))


def row(client, device_id: int, lang: str = "en") -> str:
    """The overview's row for one tablet."""
    html = client.get(f"/field/coordinator?lang={lang}", headers=basic("coord")).text
    found = re.search(rf'<tr><th scope="row"><a href="[^"]*/devices/{device_id}[^"]*">.*?</tr>', html)
    assert found is not None, html
    return found.group(0)


def test_a_tablet_that_never_synced_is_never_complete(client, field_env: FieldEnv) -> None:
    device_id = login(client)["device_id"]
    line = row(client, device_id)
    assert "never synced" in line and "complete" not in line
    assert "jamais synchronisée" in row(client, device_id, "fr")
    page = client.get(f"/field/coordinator/devices/{device_id}", headers=english()).text
    assert "never synced" in page and "complete at last sync" not in page


def test_unfinished_interviews_the_tablet_reports_keep_it_from_complete(client, field_env: FieldEnv) -> None:
    body = login(client)
    token, device_id = body["token"], body["device_id"]
    done = interview(field_env)
    assert report(client, token, [done], unfinished=2).status_code == 200
    line = row(client, device_id)
    assert '<span class="bad">2</span>' in line and "2 unfinished interview(s) on the tablet" in line
    assert "complete" not in line
    assert "2 onafgewerkte interview(s) op de tablet" in row(client, device_id, "nl")
    reconciliation = client.get(f"/field/api/admin/devices/{device_id}/reconciliation", headers=basic("boss"))
    assert reconciliation.json()["unfinished"] == 2 and reconciliation.json()["synced_at"]
    assert report(client, token, [done], unfinished=0).status_code == 200
    assert "complete at last sync" in row(client, device_id)


def test_a_tablet_that_does_not_report_the_count_says_so(client, field_env: FieldEnv) -> None:
    body = login(client)
    assert report(client, body["token"], []).status_code == 200  # an empty manifest is still a sync
    line = row(client, body["device_id"])
    assert "not reported" in line and "complete at last sync" in line and "never synced" not in line


def test_a_bad_unfinished_count_is_refused_naming_the_field(client, field_env: FieldEnv) -> None:
    token = login(client)["token"]
    for bad in (-1, "three", 10**7):
        response = report(client, token, [], unfinished=bad)
        assert response.status_code == 422 and "unfinished" in response.text


def test_quota_cells_in_words_in_each_language_with_a_full_state(client, field_env: FieldEnv) -> None:
    cells = [
        {"variable": "sex", "category": "F", "target": 1},
        {"variable": "sex:votes", "category": "M:yes", "target": 3},
    ]
    assert client.put(QUOTAS, json=cells, headers=basic("ana")).status_code == 200
    token = login(client)["token"]
    assert report(client, token, [interview(field_env)]).status_code == 200
    quotas = client.get(f"/field/api/consultations/{SLUG}/quotas", headers=auth(token)).json()
    assert [(q["labels"], q["done"], q["full"]) for q in quotas] == [
        ({"fr": "Femme", "nl": "Vrouw", "en": "Woman"}, 1, True),
        ({"fr": "Homme, Oui", "nl": "Man, Ja", "en": "Man, Yes"}, 0, False),
    ]
    page = client.get("/field/coordinator?lang=fr", headers=basic("coord")).text
    assert '<th scope="row">Femme</th><td class="n">1</td><td class="n">1</td>' in page
    assert '<strong class="ok">complet</strong>' in page and "encore 3" in page
    assert "Quotas : Test terrain" in page
    english_page = client.get("/field/coordinator?lang=en", headers=basic("coord")).text
    assert '<th scope="row">Man, Yes</th>' in english_page and "full" in english_page
