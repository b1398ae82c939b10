"""Charts in real Chromium: legible on a 390 px phone, downloadable as SVG and PNG, a contents list.

Screenshots go to ``SHOTS`` when it is set (a reviewer looks at them); the assertions do not need them.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from sqlalchemy.orm import Session, sessionmaker

from survey.settings import Settings
from tests.analyst.conftest import PASSWORD, SLUG
from tests.conftest import LiveServer
from tests.web import conftest as web

SHOTS = os.environ.get("SURVEY_CHART_SHOTS")
# pages in browser contexts kept for the module (tests/web/conftest.py)
shared_contexts, fresh_page = web.shared_contexts, web.fresh_page
PHONE = {"width": 390, "height": 844}
SVG = "{http://www.w3.org/2000/svg}"
# Every chart's text, as the reader sees it: the computed size times the chart's on-screen scale.
TEXT_SIZES = """() => [...document.querySelectorAll('svg.chart text')].map(t => ({
  text: t.textContent,
  computed: parseFloat(getComputedStyle(t).fontSize),
  shown: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
}))"""


@pytest.fixture(scope="module")
def server(demo: sessionmaker[Session], demo_settings: Settings) -> Iterator[LiveServer]:
    """One live app for the module: its tests only read the module's demo database."""
    with LiveServer(demo_settings) as live:
        yield live


@pytest.fixture(scope="module")
def signed_in(server: LiveServer, browser: Any) -> dict[str, Any]:
    """The cookies of the analyst, signed in once through the form for the whole module.

    Why: each test used to sign in again (a context, the form, its redirect) before the page it is
    about; now each opens a fresh page that carries this session.
    """
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.url}/analyst/login")
    page.fill("#username", "analyst")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert not page.url.endswith("/analyst/login"), "the analyst could not sign in"
    state: dict[str, Any] = context.storage_state()
    context.close()
    return state


def _signed_in(fresh_page: Any, state: dict[str, Any], **options: Any) -> Any:
    """A page with these options and nothing else than the analyst's session cookie."""
    return fresh_page(cookies=state["cookies"], **options)


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("results-fr", "results?lang=fr"),
        ("weighting-nl", "weighting?lang=nl"),
        ("bias-fr", "bias?lang=fr"),
        ("breakdown-nl", "breakdown?by=education&lang=nl"),
        ("breakdown-means-fr", "breakdown?question=trust_municipality&by=municipality&lang=fr"),
        ("representativeness-en", "representativeness?budget=60&draws=10&lang=en"),
    ],
)
def test_chart_text_is_at_least_11_px_on_a_390_px_phone(
    server: LiveServer, fresh_page: Any, signed_in: dict[str, Any], name: str, path: str
) -> None:
    page = _signed_in(fresh_page, signed_in, viewport=PHONE)
    page.goto(f"{server.url}/analyst/{SLUG}/{path}")
    sizes = page.evaluate(TEXT_SIZES)
    assert len(sizes) > 20, name  # the page has charts with text
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], name
    assert [s for s in sizes if s["computed"] < 11] == []
    assert [s for s in sizes if s["shown"] < 11] == []
    _shot(page, f"{name}-390")
    page.close()


def test_results_page_opens_with_contents_that_lead_to_every_question(
    server: LiveServer, fresh_page: Any, signed_in: dict[str, Any]
) -> None:
    page = _signed_in(fresh_page, signed_in)
    page.goto(f"{server.url}/analyst/{SLUG}/results?lang=nl")
    links = page.locator("#toc a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    questions = page.locator("section.question")
    assert len(targets) == questions.count() + 3  # summary, questions, each question, comments
    for target in targets:
        assert target and target.startswith("#") and page.locator(target).count() == 1, target
    assert page.locator("#toc").bounding_box()["y"] < page.locator("#key-results").bounding_box()["y"]
    toc = page.inner_text("#toc")
    assert (
        "(schaal van 0 tot 10)" in toc and "(schaal van 0 tot 100)" in toc
    )  # numeric questions with their scale
    trust = page.locator("#q-trust_municipality")
    assert "schaal van 0 tot 10 – Van 0 (geen vertrouwen) tot 10 (volledig vertrouwen)" in trust.inner_text()
    assert "gemiddelde (schaal van 0 tot 10)" in trust.locator("table").inner_text()
    ticks = trust.locator("svg.chart text").evaluate_all("ts => ts.map(t => t.textContent)")
    assert {"0", "2", "4", "6", "8", "10"} <= set(ticks)  # the axis is the question's 0 to 10
    assert "Gewogen gemiddelde op de schaal van de vraag, van 0 tot 10" in " ".join(ticks)
    page.close()


def test_every_chart_downloads_as_svg_and_png(
    server: LiveServer, fresh_page: Any, signed_in: dict[str, Any], tmp_path: Path
) -> None:
    page = _signed_in(fresh_page, signed_in, accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in ("results", "weighting", "bias", "breakdown?by=mode", "representativeness",
                 "breakdown?question=merge_why_not&by=education"):  # fmt: skip
        page.goto(f"{server.url}/analyst/{SLUG}/{path}")
        boxes = page.locator(".chart-box")
        assert boxes.count() >= 1 and boxes.count() == page.locator("a.svg-download").count(), path
        assert page.locator("button.png-download").count() == boxes.count(), path
    page.goto(f"{server.url}/analyst/{SLUG}/results?lang=fr")
    box = page.locator("#q-merge_municipalities .chart-box")
    with page.expect_download() as svg_download:
        box.locator("a.svg-download").click()
    svg_file = tmp_path / svg_download.value.suggested_filename
    svg_download.value.save_as(svg_file)
    assert svg_file.suffix == ".svg"
    root = ElementTree.parse(svg_file).getroot()
    assert root.tag == f"{SVG}svg" and root.get("width") == "420"
    drawn = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert (
        page.inner_text("#q-merge_municipalities h2").split(" (")[0] in drawn
    )  # the file carries the question
    assert "Pourcentage" in drawn and "%" in drawn
    with page.expect_download() as png_download:
        box.locator("button.png-download").click()
    png_file = tmp_path / png_download.value.suggested_filename
    png_download.value.save_as(png_file)
    data = png_file.read_bytes()
    assert png_file.suffix == ".png" and data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 840 and height == 2 * int(root.get("height") or 0)  # drawn at twice the size
    assert errors == []
    page.close()


def test_without_javascript_the_svg_link_remains(
    server: LiveServer, fresh_page: Any, signed_in: dict[str, Any]
) -> None:
    page = _signed_in(fresh_page, signed_in, java_script_enabled=False)
    page.goto(f"{server.url}/analyst/{SLUG}/results")
    assert page.locator("a.svg-download").count() >= 10
    assert page.locator("button.png-download").count() == 0
    href = page.locator("a.svg-download").first.get_attribute("href")
    assert href and href.startswith("data:image/svg+xml;base64,")
    page.close()
