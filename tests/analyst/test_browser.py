"""The workbench in a real browser: login, targets, weighting, charts, publish; axe-core and escaping."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.analyst import snapshots
from survey.analyst.services import WeightingSpec, load_context, run_analysis
from survey.settings import Settings
from survey.store.db import transaction
from survey.store.models import Answer, Response
from survey.store.services.schemes import SchemeChoice, SchemeService
from tests.analyst.conftest import PASSWORD, SLUG, TARGETS_GOOD
from tests.conftest import LiveServer
from tests.web.conftest import axe

INJECTED = '<img src=x onerror="alert(1)">'


@pytest.fixture
def server(demo: sessionmaker[Session], demo_settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(demo_settings) as live:
        yield live


def test_analyst_journey_and_public_page(server: LiveServer, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.url}/analyst/{SLUG}")
    assert page.url.endswith("/analyst/login")
    page.fill("#username", "analyst")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()  # signed in (the cookie is set) before going elsewhere
    page.goto(f"{server.url}/analyst/{SLUG}")

    broken = tmp_path / "broken.csv"
    broken.write_text("variable,category,share\nsex,F,0.6\nsex,Q,0.4\n")
    page.set_input_files("#file", str(broken))
    page.click("#targets-form button[type=submit]")
    assert "line 3, column 'category': category 'Q' is not a choice of 'sex'" in page.inner_text(
        "#upload-errors"
    )
    page.set_input_files("#file", str(TARGETS_GOOD))
    page.fill("#label", "Browser upload")
    page.click("#targets-form button[type=submit]")
    assert "Targets stored" in page.inner_text("#notice")
    assert "Browser upload" in page.inner_text("#target-versions")

    page.select_option("#method", "rake")
    page.click("#run-form button[type=submit]")
    page.wait_for_load_state()  # the whole page, charts included, before counting them
    assert "converged yes" in page.inner_text("#summary")
    charts = page.locator("svg.chart")
    assert charts.count() >= 7
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 30
    page.check("#freeze-form input[name=publish]")
    page.click("#freeze-form button[type=submit]")
    assert "frozen" in page.inner_text("#notice")
    link = page.locator("#snapshots a", has_text="public page").first
    public_path = link.get_attribute("href")
    assert public_path and public_path.startswith(f"/results/{SLUG}/")
    page.click("text=Results")
    page.wait_for_load_state()
    assert page.locator("section.question svg.chart").count() >= 10
    assert not [p for p in problems if "Content Security Policy" in p], problems
    context.close()

    anonymous = browser.new_context()
    visitor = anonymous.new_page()
    visitor.goto(f"{server.url}{public_path}?lang=nl")
    assert "Resultaten" in visitor.inner_text("h1")
    assert visitor.locator("table caption").count() >= 10
    response = visitor.goto(f"{server.url}/analyst/{SLUG}/results")
    assert visitor.url.endswith("/analyst/login")
    response = visitor.request.get(f"{server.url}/analyst/api/{SLUG}/results")
    assert response.status == 401
    listing = visitor.goto(f"{server.url}/results/{SLUG}")
    assert listing is not None and listing.status == 200
    assert visitor.locator(f"a[href^='/results/{SLUG}/']").count() == 1
    anonymous.close()


def test_axe_core_and_escaping_on_analyst_and_public_pages(
    server: LiveServer, browser: Any, demo: sessionmaker[Session]
) -> None:
    with transaction(demo) as session:
        first = session.scalars(select(Response).order_by(Response.id).limit(1)).one()
        session.query(Answer).filter_by(response_id=first.id, question="comment").delete()
        session.add(Answer(response_id=first.id, question="comment", value_text=f"{INJECTED} ok"))
        context = load_context(session, SLUG)
        snapshot = snapshots.create_snapshot(
            session,
            context,
            run_analysis(context, WeightingSpec()),
            actor="test",
            actor_id=None,
            publish=True,
        )
        public = f"/results/{SLUG}/{snapshot.id}"
        assert context.target_set is not None
        SchemeService(session).add(context.consultation, "axe-logit", context.target_set,
                                   SchemeChoice(method="logit", bounds=(0.3, 3.0)), actor="test")  # fmt: skip
    ctx = browser.new_context()
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    found: dict[str, list[dict[str, object]]] = {}
    page.goto(f"{server.url}/analyst/login")
    found["login"] = axe(page)
    page.fill("#username", "analyst")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for name, path in (("index", "/analyst"), ("consultation", f"/analyst/{SLUG}"),
                       ("weighting", f"/analyst/{SLUG}/weighting"), ("results", f"/analyst/{SLUG}/results"),
                       ("bias", f"/analyst/{SLUG}/bias"), ("breakdown", f"/analyst/{SLUG}/breakdown?by=education"),
                       ("weighting nl", f"/analyst/{SLUG}/weighting?lang=nl"),
                       ("breakdown fr", f"/analyst/{SLUG}/breakdown?by=education&lang=fr"),
                       ("breakdown means", f"/analyst/{SLUG}/breakdown?question=trust_region&by=age_group"),
                       ("breakdown options nl", f"/analyst/{SLUG}/breakdown?question=merge_why_not&by=municipality&lang=nl"),
                       ("bias en", f"/analyst/{SLUG}/bias?lang=en"),
                       ("scheme with g-weights", f"/analyst/{SLUG}/weighting?scheme=axe-logit&lang=fr"),
                       ("scheme results", f"/analyst/{SLUG}/results?scheme=axe-logit"),
                       ("public list", f"/results/{SLUG}?lang=nl"),
                       *((f"public {lang}", f"{public}?lang={lang}") for lang in ("nl", "en", "fr"))):  # fmt: skip
        page.goto(f"{server.url}{path}")
        found[name] = axe(page)
        assert page.locator("img[src=x]").count() == 0, name
        if name == "results":
            assert f"{INJECTED} ok" in page.inner_text("main")  # shown as text, not run
    # the frozen bias audit, unfolded, on the French public page the loop ends on
    assert page.url == f"{server.url}{public}?lang=fr"
    page.locator("#bias-audit summary").click()
    assert page.locator("#bias-audit #bias-rows").is_visible()
    found["public bias audit"] = axe(page)
    # on a phone, wide tables scroll inside their own region and charts shrink: the page never does
    page.set_viewport_size({"width": 360, "height": 740})
    for path in (f"{public}?lang=fr", f"/analyst/{SLUG}/bias?lang=nl", f"/analyst/{SLUG}/results?lang=en",
                 f"/analyst/{SLUG}/weighting?scheme=axe-logit", f"/analyst/{SLUG}"):  # fmt: skip
        page.goto(f"{server.url}{path}")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360, path
    ctx.close()
    assert not dialogs
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(found, indent=1)
