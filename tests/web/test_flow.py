"""The questionnaire without JavaScript, through plain HTTP: what a no-script browser does."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import Answer, Response
from tests.web.conftest import SLUG

PAGE_1 = {"sex": "F", "age_group": "25-34", "municipality": "ixelles", "education": "high",
          "nationality_group": "belgian", "years_in_brussels": "7"}  # fmt: skip
PAGE_3 = {"level_police": "region", "level_social_aid": "municipality", "level_housing": "region",
          "level_mobility": "region"}  # fmt: skip
PAGE_4 = {"trust_municipality": "6", "trust_region": "5", "trust_federal": "3",
          "simpler_institutions": "agree", "more_participation": "strongly_agree"}  # fmt: skip


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def shown(html: str) -> list[str]:
    return re.findall(r'name="_shown" value="([^"]+)"', html)


def start(client, lang: str = "en"):
    landing = client.get(f"/c/{SLUG}", headers={"accept-language": lang})
    assert landing.status_code == 200
    page = client.post(
        f"/c/{SLUG}/start",
        data={"csrf_token": token(landing.text), "consent": "yes", "_lang": lang, "_easy": "0"},
    )
    assert page.status_code == 200, page.text
    return page


def post(client, page, fields: dict[str, object], action: str = "next"):
    data: dict[str, object] = {"csrf_token": token(page.text), "_lang": "en", "_easy": "0", "_action": action,
                               "_shown": shown(page.text), **fields}  # fmt: skip
    return client.post(str(page.url), data=data)


def stored(sessions: sessionmaker[Session]) -> tuple[Response, dict[str, list[str | float | None]]]:
    with sessions() as session:
        response = session.scalars(select(Response)).one()
        answers: dict[str, list[str | float | None]] = {}
        for row in session.scalars(select(Answer).where(Answer.response_id == response.id)):
            answers.setdefault(row.question, []).append(
                row.value_text if row.value_number is None else row.value_number
            )
        return response, answers


def test_landing_shows_purpose_consent_and_language(client, version) -> None:
    page = client.get(f"/c/{SLUG}", headers={"accept-language": "nl-BE,nl;q=0.9,en;q=0.5"})
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert "Doel NL" in page.text and "privacy@example.org" in page.text and "Brussels (test)" in page.text
    assert "ongeveer 5 minuten" in page.text
    assert 'name="consent"' in page.text
    assert client.get(f"/c/{SLUG}?lang=fr").text.count("Objectif FR") == 1


def test_consent_is_required(client, version) -> None:
    landing = client.get(f"/c/{SLUG}?lang=fr")
    refused = client.post(f"/c/{SLUG}/start", data={"csrf_token": token(landing.text), "_lang": "fr"})
    assert refused.status_code == 400
    assert "Cochez la case" in refused.text


def test_complete_without_javascript_with_skip_logic(client, version, sessions) -> None:
    page = start(client)
    assert "Page 1 of" in page.text
    page = post(client, page, PAGE_1)
    assert "/p/2" in str(page.url)
    assert shown(page.text) == ["merge_municipalities"]
    # Disagreeing switches on the "why not" question: the page comes back with it, no error.
    page = post(client, page, {"merge_municipalities": "disagree"})
    assert page.status_code == 200 and "/p/2" in str(page.url)
    assert "Your answer opens further questions below." in page.text
    assert shown(page.text) == ["merge_municipalities", "merge_why_not"]
    page = post(client, page, {"merge_municipalities": "disagree", "merge_why_not": ["identity", "other"]})
    assert shown(page.text) == ["merge_municipalities", "merge_why_not", "merge_why_not_other"]
    page = post(client, page, {"merge_municipalities": "disagree", "merge_why_not": ["identity", "other"],
                               "merge_why_not_other": "<b>pride</b>"})  # fmt: skip
    assert "/p/3" in str(page.url)
    page = post(client, page, PAGE_3)
    page = post(client, page, PAGE_4)
    assert "Send my answers" in page.text
    page = post(client, page, {"comment": "Merci & <script>alert(1)</script>"})
    assert "/thanks" in str(page.url) and "Thank you" in page.text
    response, answers = stored(sessions)
    assert response.status == "complete" and response.mode == "online" and response.language == "en"
    assert answers["merge_why_not"] == ["identity", "other"]
    assert answers["merge_why_not_other"] == ["<b>pride</b>"]
    assert "merge_how" not in answers
    assert answers["years_in_brussels"] == [7.0]


def test_changing_an_answer_drops_the_questions_it_switched_off(client, version, sessions) -> None:
    page = post(client, start(client), PAGE_1)
    # With the script on (_js), questions it revealed count as seen: no extra round trip.
    page = post(client, page, {"merge_municipalities": "disagree", "merge_why_not": ["cost"], "_js": "1"})
    assert "/p/3" in str(page.url)
    page = post(client, page, {}, action="back")
    assert "/p/2" in str(page.url)
    page = post(client, page, {"merge_municipalities": "agree"})
    assert shown(page.text) == ["merge_municipalities", "merge_how"]
    page = post(client, page, {"merge_municipalities": "agree", "merge_how": "fewer"})
    assert "/p/3" in str(page.url)
    _response, answers = stored(sessions)
    assert answers["merge_how"] == ["fewer"] and "merge_why_not" not in answers


def test_errors_are_listed_translated_and_answers_kept(client, version) -> None:
    page = start(client, "fr")
    wrong = post(client, page, {**PAGE_1, "years_in_brussels": "300", "sex": ""} | {"_lang": "fr"})
    assert wrong.status_code == 422
    assert 'role="alert"' in wrong.text and 'href="#q-sex-0"' in wrong.text
    assert "Cette question est obligatoire." in wrong.text
    assert "Un nombre entre 0 et 100." in wrong.text
    assert 'value="300"' in wrong.text and 'value="ixelles" checked' in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    fixed = post(client, wrong, {**PAGE_1, "_lang": "fr"})
    assert "/p/2" in str(fixed.url)


def test_free_text_is_escaped(client, version) -> None:
    page = post(client, start(client), PAGE_1)
    page = post(client, page, {"merge_municipalities": "disagree", "merge_why_not": ["other"],
                               "merge_why_not_other": "<script>alert(1)</script>", "years_in_brussels": "x"})  # fmt: skip
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_save_and_resume_then_completed_cannot_change(client, version, sessions) -> None:
    page = post(client, start(client), PAGE_1)
    saved = post(client, page, {"merge_municipalities": "neutral"}, action="save")
    link = re.search(r'id="resume-anchor">([^<]+)<', saved.text)
    assert link
    with sessions() as session:
        response = session.scalars(select(Response)).one()
        assert response.status == "in_progress"
        token_text = link.group(1).rsplit("/", 1)[1]
        assert (
            token_text not in (response.resume_token_hash or "")
            and len(response.resume_token_hash or "") == 64
        )
    client.cookies.clear()
    resumed = client.get(link.group(1))
    assert "/p/3" in str(resumed.url)
    back = client.get(link.group(1).replace("http://testserver.local", "") + "/p/2")
    assert 'value="neutral" checked' in back.text
    page = post(client, resumed, PAGE_3)
    page = post(client, page, PAGE_4)
    done = post(client, page, {})
    assert "/thanks" in str(done.url)
    again = client.get(link.group(1))
    assert "/thanks" in str(again.url)
    replay = post(client, page, {"comment": "changed"})
    assert "/thanks" in str(replay.url)
    _response, answers = stored(sessions)
    assert "comment" not in answers


def test_csrf_and_honeypot_refuse_posts(client, version) -> None:
    landing = client.get(f"/c/{SLUG}")
    assert client.post(f"/c/{SLUG}/start", data={"consent": "yes"}).status_code == 403
    assert client.post(f"/c/{SLUG}/start", data={"consent": "yes", "csrf_token": "x.y"}).status_code == 403
    honey = {"consent": "yes", "csrf_token": token(landing.text), "website": "http://spam"}
    assert client.post(f"/c/{SLUG}/start", data=honey).status_code == 400


def test_unknown_token_is_404(client, version) -> None:
    assert client.get(f"/c/{SLUG}/r/not-a-token/p/1").status_code == 404


def test_every_page_is_small(client, version) -> None:
    page = start(client)
    sizes = [len(client.get(f"/c/{SLUG}").content), len(page.content)]
    for fields in (PAGE_1, {"merge_municipalities": "neutral"}, PAGE_3, PAGE_4):
        page = post(client, page, fields)
        sizes.append(len(page.content))
    for asset in ("/static/web/site.css", "/static/web/survey.js", "/static/expressions.js"):
        sizes.append(len(client.get(asset).content))
    assert max(sizes) < 50_000, sizes


def test_saved_page_offers_the_link_as_a_qr_code(client, version) -> None:
    page = post(client, start(client), PAGE_1)
    saved = post(client, page, {"merge_municipalities": "neutral"}, action="save")
    assert "<details" in saved.text and "QR code" in saved.text
    svg = re.search(r"<svg[^>]*>.*?</svg>", saved.text, re.S)
    assert (
        svg
        and 'role="img"' in svg.group(0)
        and "<title>QR code of the link to continue</title>" in svg.group(0)
    )
    assert len(re.findall(r"<path", svg.group(0))) >= 1


def test_two_simultaneous_sends_store_one_response(live_server, version, sessions) -> None:
    """A double click on "send": both posts reach the server at once; one response is stored."""
    import threading

    import httpx

    with httpx.Client(base_url=live_server.url, follow_redirects=True) as browser:
        page = start(browser)
        for fields in (PAGE_1, {"merge_municipalities": "neutral"}, PAGE_3, PAGE_4):
            page = post(browser, page, fields)
        data = {"csrf_token": token(page.text), "_lang": "en", "_easy": "0", "_action": "next",
                "_shown": shown(page.text), "comment": "double click"}  # fmt: skip
        cookies = dict(browser.cookies)
        results: list[httpx.Response] = []
        barrier = threading.Barrier(4)

        def send() -> None:
            with httpx.Client(base_url=live_server.url, cookies=cookies, follow_redirects=True) as tab:
                barrier.wait()
                results.append(tab.post(str(page.url), data=data))

        threads = [threading.Thread(target=send) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(results) == 4
    assert all(r.status_code == 200 and r.url.path.endswith("/thanks") for r in results), [
        (r.status_code, r.url.path) for r in results
    ]
    response, answers = stored(sessions)
    assert response.status == "complete" and answers["comment"] == ["double click"]


def test_thank_you_page_links_to_published_results_only(client, version, sessions) -> None:
    from survey.store.db import transaction
    from survey.store.models import ResultSnapshot, TargetSet, utcnow

    def finish() -> str:
        client.cookies.clear()
        page = post(client, start(client), PAGE_1)
        for fields in ({"merge_municipalities": "neutral"}, PAGE_3, PAGE_4, {}):
            page = post(client, page, fields)
        assert page.url.path.endswith("/thanks")
        return page.text

    assert "/results/" not in finish()
    with transaction(sessions) as session:
        targets = TargetSet(consultation_id=version.consultation_id, version=1)
        session.add(targets)
        session.flush()
        snapshot = ResultSnapshot(
            consultation_id=version.consultation_id, questionnaire_version_id=version.id,
            target_set_id=targets.id, data_hash="0" * 64, method="rake", software_version="test", content={},
        )  # fmt: skip
        session.add(snapshot)
    assert "/results/" not in finish()
    with transaction(sessions) as session:
        session.get(ResultSnapshot, snapshot.id).published_at = utcnow()  # type: ignore[union-attr]
    assert f'href="/results/{SLUG}?lang=en"' in finish()
