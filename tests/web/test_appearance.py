"""XLSForm appearances on the citizen pages: minimal, horizontal(-compact), likert, field-list groups, rank.

Drawn by the server without JavaScript; checked in real Chromium at a phone's and a desktop's width,
axe-clean at both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from survey.questionnaire.model import Questionnaire
from survey.questionnaire.xlsform import load_xlsform
from survey.store.db import transaction
from survey.store.models import Answer
from survey.store.services.consultations import ConsultationService
from tests.questionnaire.test_xlsform_bugs import workbook
from tests.web.conftest import axe
from tests.web.test_flow import post, token

SLUG = "looks"
AGREE = [
    ("agree", "sd", "Strongly disagree"), ("agree", "d", "Disagree"), ("agree", "n", "Neutral"),
    ("agree", "a", "Agree"), ("agree", "sa", "Strongly agree"),
    ("yn", "yes", "Yes"), ("yn", "no", "No"),
    ("city", "bxl", "Brussels"), ("city", "antw", "Antwerp"), ("city", "liege", "Liège"), ("city", "gent", "Ghent"),
    ("prio", "parks", "Parks"), ("prio", "roads", "Roads"), ("prio", "schools", "Schools"),
]  # fmt: skip


def looks_form(tmp_path: Path) -> Questionnaire:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label::English (en)", "appearance", "required"],
            ["begin group", "opinions", "Your opinions", "field-list", ""],
            ["select_one city", "city", "Where do you live?", "minimal", "yes"],
            ["select_one yn", "car", "Do you have a car?", "horizontal", ""],
            ["select_multiple city", "visit", "Cities you visit", "horizontal-compact", ""],
            ["select_one agree", "parks_ok", "The parks are well kept", "likert", "yes"],
            ["end group", "", "", "", ""],
            ["rank prio", "prio", "Put these in order", "", "yes"],
        ],
        [["list_name", "name", "label::English (en)"], *[list(row) for row in AGREE]],
    )
    return load_xlsform(path).questionnaire


@pytest.fixture
def looks(tmp_path: Path, sessions) -> Questionnaire:
    form = looks_form(tmp_path)
    with transaction(sessions) as session:
        service = ConsultationService(session)
        consultation = service.create(SLUG, {"en": "Looks"}, actor="test")
        service.add_version(consultation, form, source_name="looks.xlsx", actor="test")
    return form


def _first_page(client):
    landing = client.get(f"/c/{SLUG}?lang=en")
    return client.post(
        f"/c/{SLUG}/start", data={"csrf_token": token(landing.text), "consent": "yes", "_lang": "en"}
    )


def test_field_list_group_is_one_page(client, looks) -> None:
    page = _first_page(client)
    for name in ("city", "car", "visit", "parks_ok"):
        assert f'id="wrap-{name}"' in page.text
    assert 'id="wrap-prio"' not in page.text and "Page 1 of 2" in page.text


def test_minimal_is_a_labelled_dropdown(client, looks) -> None:
    page = _first_page(client)
    assert '<label for="q-city" class="qlabel">Where do you live?' in page.text
    assert '<select id="q-city" name="city" class="dropdown" aria-required="true">' in page.text
    assert '<option value="liege">Liège</option>' in page.text


def test_horizontal_and_compact_keep_a_fieldset_of_radios(client, looks) -> None:
    page = _first_page(client)
    assert '<fieldset id="q-car" class="layout-horizontal">' in page.text
    assert '<fieldset id="q-visit" class="layout-horizontal-compact">' in page.text
    assert page.text.count('type="checkbox"') == 4


def test_likert_is_a_fieldset_scale(client, looks) -> None:
    page = _first_page(client)
    assert '<fieldset id="q-parks_ok" class="layout-likert">' in page.text
    assert '<label for="q-parks_ok-4">Strongly agree</label>' in page.text


def test_appearances_answered_without_javascript_are_stored(client, looks, sessions) -> None:
    page = _first_page(client)
    missing = post(client, page, {"car": "yes"})
    assert missing.status_code == 422 and 'href="#q-city"' in missing.text
    assert (
        '<select id="q-city" name="city" class="dropdown" aria-required="true" aria-invalid="true"'
        in missing.text
    )
    page = post(client, missing, {"city": "gent", "car": "no", "visit": ["bxl", "gent"], "parks_ok": "a"})
    assert "/p/2" in str(page.url)
    with sessions() as session:
        rows = {(a.question, a.position): a.value_text for a in session.scalars(select(Answer))}
    assert rows == {("city", 0): "gent", ("car", 0): "no", ("visit", 0): "bxl", ("visit", 1): "gent",
                    ("parks_ok", 0): "a"}  # fmt: skip


def _to_first_page(page, url: str):
    page.goto(f"{url}/c/{SLUG}?lang=en")
    page.check("#consent")
    page.click("button[type=submit]")
    page.wait_for_url("**/p/1")


def _rank_twice(page) -> None:
    page.select_option("#q-city", "liege")
    page.check("#q-car-0")
    page.check("#q-parks_ok-2")
    page.click("button[value=next]")
    page.wait_for_url("**/p/2")
    page.select_option("#q-prio-place-1", "roads")
    page.select_option("#q-prio-place-2", "roads")
    page.select_option("#q-prio-place-3", "parks")
    page.click("button[value=next]")
    page.wait_for_selector("#error-prio:not([hidden])")
    assert "chosen twice" in page.inner_text("#error-prio")


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_appearances_in_chromium_without_javascript(fresh_page, looks, live_server, width: int) -> None:
    page = fresh_page(java_script_enabled=False, viewport={"width": width, "height": 900}, locale="en-GB")
    _to_first_page(page, live_server.url)
    # the scale on one row at both widths; the middle labels are only for screen readers on a phone
    boxes = [page.locator(f"#q-parks_ok-{i}").bounding_box() for i in range(5)]
    assert len({round(b["y"]) for b in boxes if b}) == 1
    assert page.is_visible("label[for=q-parks_ok-0]") and page.is_visible("label[for=q-parks_ok-4]")
    middle = page.locator("label[for=q-parks_ok-2]").bounding_box()
    assert middle is not None and (middle["width"] <= 1) == (width == 390)
    yes, no = (page.locator(f"#q-car-{i}").bounding_box() for i in range(2))
    assert yes and no and round(yes["y"]) == round(no["y"])
    _rank_twice(page)
    page.select_option("#q-prio-place-2", "schools")
    page.click("button[value=next]")
    page.wait_for_url("**/thanks")


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_appearances_pass_axe(fresh_page, looks, live_server, width: int) -> None:
    """axe needs scripts to run, so this page has them."""
    page = fresh_page(viewport={"width": width, "height": 900}, locale="en-GB")
    _to_first_page(page, live_server.url)
    _axe_clean(page)
    _rank_twice(page)
    _axe_clean(page)


def _axe_clean(page) -> None:
    assert [(v["id"], v["nodes"]) for v in axe(page)] == []
