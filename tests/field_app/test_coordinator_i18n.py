"""Coordinators' pages in French, Dutch and English: negotiation, switcher, texts, dates, structure."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from tests.field_app.conftest import FieldEnv, basic, login
from tests.field_app.test_api import interview, sync


class Structure(HTMLParser):
    """What the accessibility checks need: tables with their first child, header cells, scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[str] = []  # first element inside each table
        self.th_scopes: list[str | None] = []
        self.scripts = 0
        self._in_table_start = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._in_table_start:
            self.tables.append(tag)
            self._in_table_start = False
        if tag == "table":
            self._in_table_start = True
        elif tag == "th":
            self.th_scopes.append(dict(attrs).get("scope"))
        elif tag == "script":
            self.scripts += 1


def structure(html: str) -> Structure:
    parser = Structure()
    parser.feed(html)
    return parser


def setup_two_tablets(client: Any, env: FieldEnv) -> dict[str, Any]:
    """Tablet A sends one interview, reports an edited one and one never sent; tablet B reports A's."""
    a = login(client)
    sent, edited, never = interview(env), interview(env), interview(env)
    sync(client, a["token"], [sent, edited])
    manifest = [
        {"uuid": sent["uuid"], "client_hash": sent["client_hash"]},
        {"uuid": edited["uuid"], "client_hash": "changed-after-sending"},
        {"uuid": never["uuid"], "client_hash": never["client_hash"]},
    ]
    sync(client, a["token"], [], manifest=manifest)
    b = login(client)
    sync(client, b["token"], [], manifest=[{"uuid": sent["uuid"], "client_hash": sent["client_hash"]}])
    silent = login(client)  # registered, never synced: no manifest yet
    return {"a": a["device_id"], "b": b["device_id"], "silent": silent["device_id"], "sent": sent}


def test_french_from_accept_language_with_switcher(client, field_env: FieldEnv) -> None:
    ids = setup_two_tablets(client, field_env)
    page = client.get("/field/coordinator", headers={**basic("coord"), "Accept-Language": "fr-BE,nl;q=0.8"})
    assert page.status_code == 200
    html = page.text
    assert '<html lang="fr">' in html and "<title>Réconciliation du terrain</title>" in html
    assert page.headers["content-language"] == "fr" and "Accept-Language" in page.headers["vary"]
    assert "<caption>Tablettes : dernier manifeste signalé comparé aux données enregistrées</caption>" in html
    for header in (
        "Tablette",
        "Enquêteur",
        "État",
        "Dernière synchronisation",
        "Reçus",
        "Manquants",
        "En conflit",
    ):
        assert f'<th scope="col">{header}</th>' in html
    assert "à vérifier" in html and "active" in html and "jamais" in html  # the silent tablet
    assert f'href="/field/coordinator/devices/{ids["a"]}"' in html  # no explicit choice: plain links
    assert 'aria-label="Langue"' in html
    assert (
        '<a href="/field/coordinator?lang=fr" hreflang="fr" lang="fr" aria-current="true">Français</a>'
        in html
    )
    assert '<a href="/field/coordinator?lang=nl" hreflang="nl" lang="nl">Nederlands</a>' in html
    assert '<a href="/field/coordinator?lang=en" hreflang="en" lang="en">English</a>' in html
    # Dates say the month in words and UTC, with a machine-readable twin.
    assert '<time datetime="20' in html and " UTC</time>" in html
    assert any(f" {month} 20" in html for month in ("janvier", "février", "mars", "avril", "mai", "juin",
               "juillet", "août", "septembre", "octobre", "novembre", "décembre"))  # fmt: skip

    device = client.get(
        f"/field/coordinator/devices/{ids['a']}", headers={**basic("coord"), "Accept-Language": "fr"}
    )
    html = device.text
    assert "<caption>Décompte</caption>" in html and "UUID à problème" in html
    assert "absent des données enregistrées" in html and "empreinte de la tablette" in html
    assert "<td>manquant</td>" in html and "<td>en conflit</td>" in html and "Dernier contact" in html
    other = client.get(
        f"/field/coordinator/devices/{ids['b']}", headers={**basic("coord"), "Accept-Language": "fr"}
    )
    assert f"reçu de la tablette {ids['a']}" in other.text


def test_dutch_by_query_overrides_the_header_and_links_keep_it(client, field_env: FieldEnv) -> None:
    ids = setup_two_tablets(client, field_env)
    french_browser = {**basic("coord"), "Accept-Language": "fr"}
    overview = client.get("/field/coordinator?lang=nl", headers=french_browser).text
    assert '<html lang="nl">' in overview and "<title>Reconciliatie van het veldwerk</title>" in overview
    for header in (
        "Tablet",
        "Enquêteur",
        "Status",
        "Laatste synchronisatie",
        "Ontvangen",
        "Ontbrekend",
        "In conflict",
    ):
        assert f'<th scope="col">{header}</th>' in overview
    assert "nakijken" in overview and "actief" in overview and "nooit" in overview and "Taal" in overview
    assert f'href="/field/coordinator/devices/{ids["a"]}?lang=nl"' in overview  # the choice is kept
    assert 'hreflang="nl" lang="nl" aria-current="true">Nederlands</a>' in overview
    assert " om " in overview and " UTC</time>" in overview

    url = f"/field/coordinator/devices/{ids['a']}"
    device = client.get(url + "?lang=nl", headers=french_browser).text
    assert "<caption>Aantallen</caption>" in device and "<caption>Ontbrekende of conflicterende" in device
    assert "niet in de opgeslagen gegevens" in device and "hash op de tablet" in device
    assert "<td>ontbrekend</td>" in device and "<td>in conflict</td>" in device
    assert '<a href="/field/coordinator?lang=nl">Alle tablets</a>' in device
    assert f'<a href="{url}?lang=fr" hreflang="fr" lang="fr">Français</a>' in device
    other = client.get(f"/field/coordinator/devices/{ids['b']}?lang=nl", headers=french_browser).text
    assert f"ontvangen van tablet {ids['a']}" in other
    silent = client.get(f"/field/coordinator/devices/{ids['silent']}?lang=nl", headers=french_browser).text
    assert "Deze tablet heeft nog geen manifest gemeld" in silent


def test_unsupported_language_falls_back_and_default_is_french(client, field_env: FieldEnv) -> None:
    setup_two_tablets(client, field_env)
    german = client.get(
        "/field/coordinator?lang=de", headers={**basic("coord"), "Accept-Language": "de, nl;q=0.5"}
    )
    assert '<html lang="nl">' in german.text
    assert '<html lang="fr">' in client.get("/field/coordinator", headers=basic("coord")).text


def test_pages_stay_script_free_with_captioned_tables_in_every_language(client, field_env: FieldEnv) -> None:
    ids = setup_two_tablets(client, field_env)
    for lang in ("fr", "nl", "en"):
        for url in ("/field/coordinator", f"/field/coordinator/devices/{ids['a']}"):
            page = client.get(f"{url}?lang={lang}", headers=basic("coord"))
            assert "script-src" not in page.headers["content-security-policy"]
            found = structure(page.text)
            assert found.scripts == 0
            assert found.tables and set(found.tables) == {"caption"}, (lang, url)
            assert found.th_scopes and all(scope in ("col", "row") for scope in found.th_scopes)


def test_json_reconciliation_carries_reason_codes(client, field_env: FieldEnv) -> None:
    ids = setup_two_tablets(client, field_env)
    data = client.get(f"/field/api/admin/devices/{ids['b']}/reconciliation", headers=basic("coord")).json()
    (item,) = data["items"]
    assert (item["state"], item["reason"], item["params"]) == (
        "conflicting",
        "other_device",
        {"device": str(ids["a"])},
    )
    assert item["detail"] == f"received from device {ids['a']}"
