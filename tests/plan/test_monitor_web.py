"""The representativeness monitor: page and JSON on the demo, checked against independent computations."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker

from survey.analyst.services import load_context
from tests.plan.conftest import SLUG, login
from weighting import Design, Targets, kish_deff, poststratify
from weighting.representativeness import cells_from_data, r_indicator, weight_effect

API = f"/analyst/api/{SLUG}/representativeness"
PAGE = f"/analyst/{SLUG}/representativeness"


def demo_frame(demo: sessionmaker[Session]) -> tuple[pd.DataFrame, Targets, float]:
    with demo() as session:
        context = load_context(session, SLUG)
        return context.frame.to_pandas(), context.targets, float(context.population or 0)


def test_api_figures_equal_an_independent_computation(client, demo: sessionmaker[Session]):
    assert login(client) == 303
    body = client.get(API, params={"cells": "sex:education"}).json()
    frame, targets, population = demo_frame(demo)
    data = frame.dropna(subset=["sex", "education"])
    sex, edu = targets.margin("sex"), targets.margin("education")
    shares = {f"{s}:{e}": p * q for s, p in zip(sex.categories, sex.shares, strict=True)
              for e, q in zip(edu.categories, edu.shares, strict=True)}  # fmt: skip
    counts = (data["sex"] + ":" + data["education"]).value_counts()
    n = len(data)
    # CV of the cell response rates n_c / (N P_c), over the population's units.
    rates = np.array([counts.get(c, 0) / (population * p) for c, p in shares.items()])
    weights = np.array(list(shares.values()))
    mean = float(np.dot(weights, rates))
    sd = math.sqrt(float(np.dot(weights, (rates - mean) ** 2)))
    assert body["r_indicator"]["cv"] == pytest.approx(sd / mean)
    assert body["r_indicator"]["r"] == pytest.approx(1 - 2 * sd)
    assert body["r_indicator"]["n"] == n
    # deff of the post-stratified weights, from the library's own post-stratification of the rows.
    crossed = Targets.from_dict({"sex:education": shares})
    design = poststratify(Design.from_frame(data[["sex", "education"]].reset_index(drop=True)), crossed)
    assert body["weights"]["deff"] == pytest.approx(kish_deff(design.weights))
    assert body["weights"]["n_eff"] == pytest.approx(n / kish_deff(design.weights))
    online = data[data["mode"] == "online"]
    assert body["online_r_indicator"]["n"] == len(online)
    assert body["online_weights"]["deff"] > body["weights"]["deff"]  # the field interviews help
    coverage = {(r["margin"], r["category"]): r for r in body["coverage"]}
    assert coverage["sex", "F"]["responses"] == int((data["sex"] == "F").sum())
    assert coverage["sex", "F"]["online_responses"] == int((online["sex"] == "F").sum())
    assert coverage["sex:education", "F:low"]["online_ratio"] == pytest.approx(
        ((online["sex"] == "F") & (online["education"] == "low")).mean() / shares["F:low"]
    )
    assert {p["variable"] for p in body["partial"]} == {"sex", "education"}
    days = body["days"]
    assert days and days[-1]["n"] == n and [d["day"] for d in days] == sorted(d["day"] for d in days)
    assert all(a["n"] <= b["n"] for a, b in itertools.pairwise(days))


def test_page_in_three_languages_with_charts(client):
    assert login(client) == 303
    page = client.get(PAGE, params={"cells": "sex:age_group,education"})
    assert page.status_code == 200
    html = page.text
    for part in ('id="indicators"', 'id="partials"', 'id="coverage"', 'id="evolution"', "<svg"):
        assert part in html
    assert html.count('class="chart"') == 2
    assert "R-indicator" in html and "Kish design effect" in html
    fr = client.get(PAGE, params={"lang": "fr"}).text
    assert "Indicateur R" in fr and "Indicateurs partiels" in fr
    nl = client.get(PAGE, params={"lang": "nl"}).text
    assert "Partiële indicatoren" in nl
    overview = client.get(f"/analyst/{SLUG}").text
    assert PAGE in overview  # linked from the workbench's steps


def test_bad_cells_are_a_400_page_and_a_422_json_and_escaped(client):
    assert login(client) == 303
    page = client.get(PAGE, params={"cells": "sex:<script>alert(1)</script>", "lang": "fr"})
    assert page.status_code == 400
    assert "question inconnue" in page.text
    assert "<script>alert(1)</script>" not in page.text
    answer = client.get(API, params={"cells": "sex:sex"})
    assert answer.status_code == 422
    assert answer.json().get("code") == "cells_repeated"


def test_anonymous_visitors_are_refused(client):
    assert client.get(API).status_code == 401
    response = client.get(PAGE, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/analyst/login"


def test_plan_on_the_page_and_in_the_json(client):
    assert login(client) == 303
    body = client.get(API, params={"cells": "sex:age_group", "budget": "148", "draws": "40"}).json()
    plan = body["plan"]
    assert sum(r["planned"] for r in plan["rows"]) == 148
    assert all(r["after"] == r["responses"] + r["planned"] for r in plan["rows"])
    assert plan["after"]["deff"] < plan["proportional_after"]["deff"] < body["weights"]["deff"]
    scenarios = {s["scenario"]: s for s in plan["simulation"]}
    assert set(scenarios) == {"plan", "proportional", "none"}
    assert scenarios["plan"]["interviews"] == 148 and scenarios["none"]["interviews"] == 0
    assert scenarios["plan"]["rmse"] < scenarios["none"]["rmse"]
    page = client.get(PAGE, params={"cells": "sex:age_group", "budget": "148", "draws": "20", "lang": "nl"})
    assert page.status_code == 200
    for part in ('id="plan"', 'id="plan-effect"', 'id="simulation"', "Wat 148 veldinterviews opleveren"):
        assert part in page.text
    assert page.text.count('class="chart"') == 3
    assert "--budget 148 --cells sex:age_group --apply" in page.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"budget": "many"}, "field interviews: give a whole number from 0 to 100000"),
        ({"budget": "-3"}, "field interviews: give a whole number from 0 to 100000"),
        ({"budget": "10", "draws": "0"}, "simulated samples: give a whole number from 1 to 500"),
    ],
)
def test_a_bad_plan_request_is_a_400_naming_the_field(client, params, message):
    assert login(client) == 303
    page = client.get(PAGE, params={"cells": "sex", **params})
    assert page.status_code == 400
    assert message in page.text
    assert client.get(API, params={"cells": "sex", **params}).status_code == 422


def test_each_day_equals_the_figures_of_the_responses_stored_by_then(client, demo: sessionmaker[Session]):
    assert login(client) == 303
    body = client.get(API, params={"cells": "sex:education"}).json()
    frame, targets, population = demo_frame(demo)
    days = pd.to_datetime(frame["submitted_at"], utc=True).dt.date
    for point in body["days"][:: max(1, len(body["days"]) // 4)]:
        until = frame[days <= pd.Timestamp(point["day"]).date()]
        cells = cells_from_data(until, targets, ["sex", "education"])
        assert point["n"] == int(cells.responses.sum())
        assert point["cv"] == pytest.approx(r_indicator(cells, population).cv)
        assert point["deff"] == pytest.approx(weight_effect(cells).deff)


def test_notes_in_the_readers_language(client):
    assert login(client) == 303
    fr = client.get(PAGE, params={"cells": "sex:education", "lang": "fr"}).text
    assert "supposent ses questions indépendantes" in fr
    nl = client.get(PAGE, params={"cells": "sex:education", "lang": "nl"}).text
    assert "veronderstellen onafhankelijke vragen" in nl


def test_the_demo_monitor_opens_on_the_plan_its_field_work_follows_with_the_simulation_chart(client):
    assert login(client) == 303
    page = client.get(PAGE, params={"lang": "en"})  # the first opening: no choice in the query
    assert page.status_code == 200
    html = page.text
    assert 'id="cells" name="cells" value="sex:age_group,education"' in html
    assert 'id="budget" name="budget" value="148"' in html
    for part in ('id="plan"', 'id="plan-effect"', 'id="simulation"', "What 148 field interviews buy"):
        assert part in html
    assert html.count('class="chart"') == 3  # the two evolution charts and what the plan buys
    link = re.search(r'id="adaptive-link" href="([^"]+)"', html)
    assert link is not None  # the plan shown leads to the page that makes the tablets follow it
    prefilled = client.get(link.group(1).replace("&amp;", "&")).text
    assert (
        'name="cells" value="sex:age_group,education"' in prefilled
        and 'name="budget" value="148"' in prefilled
    )
    adaptive = client.get(f"/analyst/{SLUG}/adaptive-quotas", params={"lang": "en"}).text
    assert 'id="adaptive-on"><strong>on</strong>' in adaptive
    assert re.search(r'id="adaptive-remaining">148<', adaptive)
