"""The tablet's interface words come from the one catalogue, written into ``/field/i18n.js`` when served.

Why: a second translation table inside the script escaped the catalogue's checks (each key in FR, NL
and EN with the same placeholders); now the script holds none and every key the scripts ask for exists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from litestar import Litestar
from litestar.testing import TestClient

from field_app.shell import SHELL_ROUTES, STATIC, TEXTS_MARK
from field_app.tablet_texts import TEXTS
from survey.catalogue import LANGUAGES, registered

ASKED = re.compile(r'\bt\("([A-Za-z_]+\.[A-Za-z_]+)"')


def _served_table() -> dict[str, dict[str, str]]:
    with TestClient(Litestar(route_handlers=SHELL_ROUTES)) as client:
        served = client.get("/field/i18n.js")
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/javascript")
    found = re.search(r"var T = (\{.*?\});\n", served.text)
    assert found is not None, "no table in the served i18n.js"
    table: dict[str, dict[str, str]] = json.loads(found.group(1))
    return table


def test_the_served_script_carries_every_catalogue_key_in_each_language() -> None:
    table = _served_table()
    assert sorted(table) == sorted(LANGUAGES)
    for language in LANGUAGES:
        assert table[language] == {key: texts[language] for key, texts in TEXTS.items()}
    assert table["nl"]["login.submit"] == "Inloggen"
    assert registered()["field.tablet"] is TEXTS  # so tests/test_catalogues.py checks it


def test_no_tablet_script_keeps_a_table_of_its_own() -> None:
    source = (STATIC / "i18n.js").read_text()
    assert TEXTS_MARK in source
    assert "Inloggen" not in source
    assert "Log in" not in source
    # words in a language written beside their key ({ nl: "…" }), as quotas.js had them, are not here
    tables = {
        p.name for p in Path(STATIC).glob("*.js") if re.search(r"\b(fr|nl|en)\s*:\s*[\"']", p.read_text())
    }
    assert tables == set()


def test_every_key_the_tablet_scripts_ask_for_is_in_the_catalogue() -> None:
    asked = {key for path in Path(STATIC).glob("*.js") for key in ASKED.findall(path.read_text())}
    assert len(asked) > 100
    assert sorted(asked - set(TEXTS)) == []
