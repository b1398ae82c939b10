"""Workbench over HTTP: login, guard, CSRF, targets upload, pages, snapshots, public page."""

from __future__ import annotations

import datetime as dt
import re

from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.analyst.report import report_html
from survey.analyst.routes import LOGIN_LIMITER_KEY
from survey.analyst.services import WeightingSpec
from survey.analyst.workbench_text import LANGUAGE_COOKIE
from survey.http import staff_session
from survey.http.login_throttle import MAX_PER_ACCOUNT
from survey.http.session_store import DatabaseSessions, id_hash
from survey.store.db import transaction
from survey.store.models import Answer, Consultation, Response, User, utcnow
from tests.analyst.conftest import PASSWORD, SLUG, TARGETS_GOOD, csrf, login

PAGES = (
    f"/analyst/{SLUG}",
    f"/analyst/{SLUG}/weighting",
    f"/analyst/{SLUG}/results",
    f"/analyst/{SLUG}/bias",
    f"/analyst/{SLUG}/breakdown?by=education",
)
API = f"/analyst/api/{SLUG}/results"


def test_anonymous_and_interviewer_are_refused(client: TestClient, demo: sessionmaker[Session]) -> None:
    for path in PAGES:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/analyst/login"
    assert client.get(API).status_code == 401
    assert login(client, "interviewer1") == 403
    assert staff_session.SESSION_COOKIE not in client.cookies
    with demo() as session:
        interviewer = session.scalars(select(User).where(User.username == "interviewer1")).one()
    # even a validly signed cookie for an interviewer, with a session open on the server, gets nothing
    with demo.begin() as session:
        DatabaseSessions().start(session, interviewer.id, id_hash("sid"), utcnow() + dt.timedelta(hours=1))
    client.cookies.set(
        staff_session.SESSION_COOKIE,
        staff_session.sign_session("test-secret-key-0123456789", interviewer, sid="sid"),
    )
    for path in PAGES:
        assert client.get(path, follow_redirects=False).status_code == 403
    assert client.get(API).status_code == 403
    assert login(client, "analyst", "wrong-password") == 401


def test_login_cookie_flags_and_csrf(client: TestClient) -> None:
    token = csrf(client)
    response = client.post(
        "/analyst/login", data={"username": "analyst", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403  # no CSRF token
    response = client.post(
        "/analyst/login",
        data={"username": "analyst", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get(PAGES[0]).status_code == 200
    assert client.post(f"/analyst/{SLUG}/snapshots", data={"csrf_token": "forged"}).status_code == 403
    client.post("/analyst/logout", data={"csrf_token": token})
    assert client.get(PAGES[0], follow_redirects=False).status_code == 303
    assert login(client, "admin") == 303
    assert (
        client.get(PAGES[0]).status_code == 200 and "Signed in as admin (admin)" in client.get(PAGES[0]).text
    )
    assert client.get(API).status_code == 200


def test_workbench_speaks_the_analysts_language(client: TestClient) -> None:
    english = client.get("/analyst/login")
    assert '<html lang="en">' in english.text and "<h1>Sign in</h1>" in english.text
    french = client.get("/analyst/login", headers={"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in french.text and "<h1>Se connecter</h1>" in french.text
    assert login(client) == 303

    dutch = client.get(f"/analyst/{SLUG}/weighting?method=rake&lang=nl")
    assert '<html lang="nl">' in dutch.text and "<h1>Diagnose van de weging</h1>" in dutch.text
    assert "Streefcijfers en wegingen" in dutch.text and "Aangemeld: analyst (analyst)" in dutch.text
    assert re.search(r"grootste verschil met een streefcijfer \d+,\d{3}%", dutch.text)
    assert "Methode iteratieve weging op de marges (raking) op" in dutch.text  # the method in words too
    # the switcher keeps the weighting choices; the choice is remembered for the next pages
    assert f'href="/analyst/{SLUG}/weighting?method=rake&amp;lang=fr"' in dutch.text
    assert client.cookies.get(LANGUAGE_COOKIE) == "nl"
    later = client.get(f"/analyst/{SLUG}/bias", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in later.text and "Wat het veldwerk heeft opgeleverd" in later.text
    back = client.get(f"/analyst/{SLUG}?lang=en")
    assert "<h2>Population targets</h2>" in back.text and client.cookies.get(LANGUAGE_COOKIE) == "en"


def test_weighting_errors_and_notes_read_in_the_analysts_language(client: TestClient) -> None:
    assert login(client) == 303
    logit = client.get(f"/analyst/{SLUG}/weighting?method=logit&lang=fr")
    assert logit.status_code == 400
    assert "la calibration logit a besoin de bornes finies, basse &lt; 1 &lt; haute" in logit.text
    bounds = client.get(f"/analyst/{SLUG}/results?method=linear&bounds_lo=2&bounds_hi=3&lang=nl")
    assert bounds.status_code == 400 and "gekregen: 2 en 3" in bounds.text
    pair = client.get(f"/analyst/{SLUG}/bias?method=linear&bounds_lo=half&bounds_hi=3&lang=fr")
    assert pair.status_code == 400 and "bornes : donnez deux nombres" in pair.text
    same = client.get(f"/analyst/{SLUG}/breakdown?question=sex&by=sex&lang=nl")
    assert same.status_code == 400 and "kies een uitsplitsing die niet de vraag zelf is" in same.text
    trimmed = client.get(f"/analyst/{SLUG}/weighting?method=rake&trim_lo=0.3&trim_hi=3&lang=nl")
    assert trimmed.status_code == 200
    assert re.search(
        r"<p>[\d.]+ gewichten begrensd \(verhouding g tussen 0,3 en 3\) in \d+ ronde\(s\)</p>", trimmed.text
    )
    english = client.get(f"/analyst/{SLUG}/weighting?method=logit&lang=en")
    assert "logit calibration needs finite bounds" in english.text  # the library's own sentence


def test_the_weighting_page_says_what_it_filled_in_for_missing_answers(
    client: TestClient, demo: sessionmaker[Session]
) -> None:
    """Respondents who skipped a weighting question are weighted in its most common category: say so."""
    assert login(client) == 303
    english = client.get(f"/analyst/{SLUG}/weighting?method=rake&lang=en")
    assert english.status_code == 200 and 'id="missing-title"' not in english.text  # the demo skips none
    with transaction(demo) as session:
        skipped = session.scalars(select(Response.id).order_by(Response.id).limit(3)).all()
        removed = session.scalars(
            select(Answer).where(Answer.response_id.in_(skipped), Answer.question == "education")
        ).all()
        kept = [(a.response_id, a.value_text) for a in removed]
        for answer in removed:
            session.delete(answer)
    try:
        french = client.get(f"/analyst/{SLUG}/weighting?method=rake&lang=fr")
        with demo() as session:
            dutch = report_html(session, SLUG, WeightingSpec(method="rake"), "nl")
    finally:
        with transaction(demo) as session:
            session.add_all(Answer(response_id=r, question="education", value_text=v) for r, v in kept)
    assert len(kept) == 3 and french.status_code == 200
    assert '<h2 id="missing-title">Réponses manquantes aux questions de pondération</h2>' in french.text
    assert "<li>Uw hoogste diploma: 3 respondenten zonder antwoord werden alleen voor de weging" in dutch
    assert re.search(
        r"<li>[^<]+ : 3 répondants sans réponse ont été comptés dans la catégorie la plus fréquente, [^<]+, pour la pondération seulement",
        french.text,
    )


def test_the_json_api_answers_a_weighting_it_cannot_do_with_422_and_a_code(client: TestClient) -> None:
    assert login(client) == 303
    logit = client.get(API + "?method=logit")
    assert logit.status_code == 422
    assert logit.json() == {
        "status_code": 422, "detail": "logit calibration needs finite bounds LO,HI with LO < 1 < HI",
        "code": "logit_bounds", "values": {},
    }  # fmt: skip
    unknown = client.get(API + "?method=nope").json()
    assert unknown["code"] == "unknown_method" and unknown["values"]["method"] == "nope"
    bounds = client.get(API + "?method=linear&bounds_lo=2&bounds_hi=3").json()
    assert (bounds["code"], bounds["values"]) == ("bounds_malformed", {"lo": 2.0, "hi": 3.0})
    assert client.get(API + "?method=rake").status_code == 200  # nothing stored was harmed


def test_odd_csrf_token_or_session_cookie_is_refused_not_a_500(client: TestClient) -> None:
    csrf(client)
    refused = client.post(
        "/analyst/login", data={"username": "analyst", "password": PASSWORD, "csrf_token": "é"}
    )
    assert refused.status_code == 403
    odd_cookie = {"Cookie": f"{staff_session.SESSION_COOKIE}=eyJ1aWQiOjF9.é".encode()}
    assert client.get(PAGES[0], headers=odd_cookie, follow_redirects=False).status_code == 303
    assert client.get(API, headers=odd_cookie).status_code == 401


def test_failed_logins_are_throttled_per_account(client: TestClient) -> None:
    for _ in range(MAX_PER_ACCOUNT):
        assert login(client, "analyst", "wrong-password") == 401
    token = csrf(client)
    locked = client.post(
        "/analyst/login",
        data={"username": "analyst", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert "Too many failed sign-in attempts" in locked.text
    assert staff_session.SESSION_COOKIE not in client.cookies
    assert login(client, "admin") == 303  # another account from the same client is not locked out
    assert client.app.state[LOGIN_LIMITER_KEY].counts("analyst", "testclient")[0] == MAX_PER_ACCOUNT


def test_targets_upload_good_and_broken(client: TestClient) -> None:
    assert login(client) == 303
    token = csrf(client, PAGES[0])
    broken = "variable,category,share\nsex,F,0.5\nsex,X,0.5\nage,18-24,1\n"
    response = client.post(
        f"/analyst/{SLUG}/targets",
        data={"csrf_token": token},
        files={"file": ("broken.csv", broken.encode(), "text/csv")},
    )
    assert response.status_code == 422
    assert (
        "line 3, column &#39;category&#39;: category &#39;X&#39; is not a choice of &#39;sex&#39;"
        in response.text
    )
    assert "line 4" in response.text
    dutch = client.post(
        f"/analyst/{SLUG}/targets?lang=nl",
        data={"csrf_token": token},
        files={"file": ("broken.csv", (broken + "sex,F,half\n").encode(), "text/csv")},
    )
    assert dutch.status_code == 422 and "De streefcijfers werden niet opgeslagen:" in dutch.text
    assert "regel 5, kolom &#39;share&#39;: aandeel &#39;half&#39; is geen getal" in dutch.text
    french = client.post(
        f"/analyst/{SLUG}/targets?lang=fr",
        data={"csrf_token": token},
        files={"file": ("broken.csv", broken.encode(), "text/csv")},
    )
    assert (
        "ligne 3, colonne « category » : la catégorie « X » n&#39;est pas un choix de « sex »" in french.text
    )
    # after a post, the language links lead to the overview (the posted URL only takes POST)
    assert f'href="/analyst/{SLUG}?lang=nl"' in french.text and "/targets?lang=" not in french.text
    halves = client.post(
        f"/analyst/{SLUG}/targets?lang=nl",
        data={"csrf_token": token},
        files={"file": ("half.csv", b"variable,category,share\nsex,F,0.25\nsex,M,0.25\n", "text/csv")},
    )
    assert "variabele „sex”: de aandelen tellen op tot 0,5, niet 1" in halves.text
    assert (
        "variable « sex » : la somme des parts vaut 1.000000, pas 1" not in french.text
    )  # shares do sum to 1
    response = client.post(
        f"/analyst/{SLUG}/targets?lang=en",  # the French upload above left French as the remembered choice
        data={"csrf_token": token, "label": "Census 2026", "population": "900000"},
        files={"file": ("good.csv", TARGETS_GOOD.read_bytes(), "text/csv")},
    )
    assert response.status_code == 200 and "Targets stored" in response.text
    versions = re.findall(
        r"<tr><td>(\d+)</td><td>([^<]*)</td>", response.text.split('id="target-versions"')[1]
    )
    assert versions[0] == ("2", "Census 2026") and ("1", "Demo population (approximate figures)") in versions


def test_pages_charts_comments_escaped_and_publish(client: TestClient, demo: sessionmaker[Session]) -> None:
    with transaction(demo) as session:
        first = session.scalars(select(Response).order_by(Response.id).limit(1)).one()
        session.query(Answer).filter_by(response_id=first.id, question="comment").delete()
        session.add(
            Answer(response_id=first.id, question="comment", value_text="<script>alert(1)</script> ok")
        )
    assert login(client) == 303
    page = client.get(f"/analyst/{SLUG}/weighting?method=rake&trim_lo=0.3&trim_hi=3")
    assert page.status_code == 200 and page.text.count("<svg") >= 7 and "effective n" in page.text
    results = client.get(f"/analyst/{SLUG}/results?method=rake")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ok" in results.text and "<script>alert" not in results.text
    assert "95% CI" in results.text and 'id="q-merge_municipalities"' in results.text
    bias = client.get(f"/analyst/{SLUG}/bias")
    assert "What the field work brought in" in bias.text and 'id="mode-effects"' in bias.text
    bad = client.get(f"/analyst/{SLUG}/weighting?method=logit")
    assert bad.status_code == 400 and 'id="run-error"' in bad.text
    api = client.get(API + "?method=poststratify&variables=sex")
    assert api.status_code == 200 and api.json()["diagnostics"][0]["method"] == "poststratify"

    token = csrf(client, PAGES[0])
    frozen = client.post(f"/analyst/{SLUG}/snapshots?method=rake", data={"csrf_token": token})
    assert frozen.status_code == 200
    draft_id = int(re.findall(r"Snapshot (\d+) frozen", frozen.text)[0])
    anonymous = TestClient(client.app)
    assert anonymous.get(f"/results/{SLUG}/{draft_id}").status_code == 404
    assert f"/results/{SLUG}/{draft_id}" not in anonymous.get(f"/results/{SLUG}").text
    client.post(f"/analyst/{SLUG}/snapshots/{draft_id}/publish", data={"csrf_token": token, "confirm": "1"})
    for lang, word in (("fr", "Résultats"), ("nl", "Resultaten"), ("en", "How to read these figures")):
        public = anonymous.get(f"/results/{SLUG}/{draft_id}?lang={lang}")
        assert public.status_code == 200 and word in public.text
        assert "<caption>" in public.text and 'role="img"' in public.text and "<script" not in public.text
    assert f"/results/{SLUG}/{draft_id}" in anonymous.get(f"/results/{SLUG}").text
    assert (
        client.post(f"/analyst/{SLUG}/snapshots/{draft_id}/publish", data={"csrf_token": token}).status_code
        == 409
    )


MARKUP = '<img src=x onerror="alert(1)">'


def test_labels_and_escaping_on_every_page(client: TestClient, demo: sessionmaker[Session]) -> None:
    """Choice labels instead of codes; free text (title, organiser, target label, comment) escaped."""
    with transaction(demo) as session:
        consultation = session.scalars(select(Consultation).where(Consultation.slug == SLUG)).one()
        saved = (dict(consultation.title), consultation.organiser)
        consultation.title = {lang: f"{text} {MARKUP}" for lang, text in saved[0].items()}
        consultation.organiser = f"Org {MARKUP}"
    try:
        assert login(client) == 303
        token = csrf(client, PAGES[0])
        upload = client.post(
            f"/analyst/{SLUG}/targets",
            data={"csrf_token": token, "label": f"Census {MARKUP}"},
            files={"file": ("good.csv", TARGETS_GOOD.read_bytes(), "text/csv")},
        )
        assert upload.status_code == 200
        pages = {path: client.get(path).text for path in (*PAGES, "/analyst")}
        for path, html in pages.items():
            assert MARKUP not in html, path
        assert "Census &lt;img src=x" in pages[PAGES[0]]
        for path in PAGES[1:]:
            assert "Lower secondary or less" in pages[path] and "<td>low</td>" not in pages[path], path
        assert "Your highest qualification" in pages[PAGES[1]] and "<h3>education</h3>" not in pages[PAGES[1]]
        frozen = client.post(
            f"/analyst/{SLUG}/snapshots?method=rake", data={"csrf_token": token, "publish": "1"}
        )
        snapshot_id = int(re.findall(r"Snapshot (\d+) frozen", frozen.text)[0])
        anonymous = TestClient(client.app)
        for lang, margin, organiser in (("fr", "Votre âge", "Org &lt;img"), ("nl", "Uw leeftijd", "Org &lt;img"),
                                        ("en", "Your age", "Org &lt;img")):  # fmt: skip
            public = anonymous.get(f"/results/{SLUG}/{snapshot_id}?lang={lang}").text
            assert MARKUP not in public and organiser in public and margin in public
            assert 'id="easy-read"' in public and "Census &lt;img" in public
        assert MARKUP not in anonymous.get(f"/results/{SLUG}").text
    finally:
        with transaction(demo) as session:
            consultation = session.scalars(select(Consultation).where(Consultation.slug == SLUG)).one()
            consultation.title, consultation.organiser = saved
