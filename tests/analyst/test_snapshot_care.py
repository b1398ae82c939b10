"""Publishing with care: review and preview a draft, confirm before publishing, refuse duplicates,
withdraw with a dated notice on the public page, compare two snapshots."""

from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import AuditEntry, ResultSnapshot
from tests.analyst.conftest import SLUG, csrf, login

OVERVIEW = f"/analyst/{SLUG}"


def _freeze(client: TestClient, token: str, query: str) -> int:
    page = client.post(f"/analyst/{SLUG}/snapshots?{query}", data={"csrf_token": token})
    assert page.status_code == 200, page.text[:500]
    return int(re.findall(r"Snapshot (\d+) frozen", page.text)[0])


@pytest.fixture
def signed_in(client: TestClient) -> tuple[TestClient, str]:
    assert login(client) == 303
    return client, csrf(client, OVERVIEW)


def test_duplicate_refused_naming_the_existing_snapshot(
    signed_in: tuple[TestClient, str], demo: sessionmaker[Session]
) -> None:
    client, token = signed_in
    first = _freeze(client, token, "method=poststratify&variables=sex")
    again = client.post(
        f"/analyst/{SLUG}/snapshots?method=poststratify&variables=sex", data={"csrf_token": token}
    )
    assert again.status_code == 409
    assert f"snapshot {first} already holds these results" in again.text
    other = _freeze(
        client, token, "method=poststratify&variables=age_group"
    )  # other settings: a new snapshot
    assert other != first
    with demo() as session:
        assert session.scalar(select(ResultSnapshot).where(ResultSnapshot.id == first)) is not None


def test_publish_needs_confirmation_after_a_preview(signed_in: tuple[TestClient, str]) -> None:
    client, token = signed_in
    draft = _freeze(client, token, "method=rake&variables=sex&variables=age_group")
    anonymous = TestClient(client.app)
    review = client.get(f"/analyst/{SLUG}/snapshots/{draft}")
    assert review.status_code == 200 and 'id="publish-form"' in review.text and "required" in review.text
    for lang, word in (("fr", "Aperçu : cette page n’est pas publique"), ("nl", "Voorbeeld: deze pagina"),
                       ("en", "Preview: this page is not public")):  # fmt: skip
        preview = client.get(f"/analyst/{SLUG}/snapshots/{draft}/preview?lang={lang}")
        assert preview.status_code == 200 and word in preview.text and 'id="easy-read"' in preview.text
        assert preview.headers["cache-control"] == "no-store"
    assert (
        anonymous.get(f"/analyst/{SLUG}/snapshots/{draft}/preview", follow_redirects=False).status_code == 303
    )
    unconfirmed = client.post(f"/analyst/{SLUG}/snapshots/{draft}/publish", data={"csrf_token": token})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.text
    assert anonymous.get(f"/results/{SLUG}/{draft}").status_code == 404
    done = client.post(
        f"/analyst/{SLUG}/snapshots/{draft}/publish", data={"csrf_token": token, "confirm": "1"}
    )
    assert done.status_code == 200 and f"Snapshot {draft} published" in done.text
    public = anonymous.get(f"/results/{SLUG}/{draft}?lang=en")
    assert public.status_code == 200 and "Preview: this page" not in public.text


def test_withdraw_keeps_a_dated_page_and_an_audit_line(
    signed_in: tuple[TestClient, str], demo: sessionmaker[Session]
) -> None:
    client, token = signed_in
    snapshot = _freeze(client, token, "method=rake&variables=education")
    client.post(f"/analyst/{SLUG}/snapshots/{snapshot}/publish", data={"csrf_token": token, "confirm": "1"})
    anonymous = TestClient(client.app)
    assert f"/results/{SLUG}/{snapshot}?" in anonymous.get(f"/results/{SLUG}").text
    unconfirmed = client.post(f"/analyst/{SLUG}/snapshots/{snapshot}/withdraw", data={"csrf_token": token})
    assert unconfirmed.status_code == 400 and anonymous.get(f"/results/{SLUG}/{snapshot}").status_code == 200
    withdrawn = client.post(
        f"/analyst/{SLUG}/snapshots/{snapshot}/withdraw", data={"csrf_token": token, "confirm": "1"}
    )
    assert withdrawn.status_code == 200 and f"Snapshot {snapshot} withdrawn" in withdrawn.text
    for lang, word in (("fr", "ont été retirés le"), ("nl", "werden op"), ("en", "were withdrawn on")):
        page = anonymous.get(f"/results/{SLUG}/{snapshot}?lang={lang}")
        assert page.status_code == 410 and word in page.text and 'id="easy-read"' not in page.text
    listing = anonymous.get(f"/results/{SLUG}?lang=en").text
    assert f"/results/{SLUG}/{snapshot}?" not in listing and "withdrawn on" in listing
    again = client.post(
        f"/analyst/{SLUG}/snapshots/{snapshot}/withdraw", data={"csrf_token": token, "confirm": "1"}
    )
    assert again.status_code == 409
    assert (
        client.post(
            f"/analyst/{SLUG}/snapshots/{snapshot}/publish", data={"csrf_token": token, "confirm": "1"}
        ).status_code
        == 409
    )
    with demo() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "result_snapshot", AuditEntry.entity_id == str(snapshot)
            )
        ).all()
    assert "withdraw_snapshot" in actions and "publish_snapshot" in actions
    refrozen = _freeze(client, token, "method=rake&variables=education")  # a withdrawn one is no duplicate
    assert refrozen != snapshot


def test_compare_two_snapshots(signed_in: tuple[TestClient, str], demo: sessionmaker[Session]) -> None:
    client, token = signed_in
    a = _freeze(client, token, "method=poststratify&variables=education")
    b = _freeze(client, token, "method=rake&variables=sex&variables=age_group&variables=education")
    page = client.get(f"/analyst/{SLUG}/snapshots/compare?a={a}&b={b}&lang=en")
    assert page.status_code == 200
    assert 'id="compare-inputs"' in page.text and 'id="compare-answers"' in page.text
    with demo() as session:
        first, second = session.get(ResultSnapshot, a), session.get(ResultSnapshot, b)
        assert first is not None and second is not None
        merge = next(q for q in second.content["questions"] if q["name"] == "merge_municipalities")
        agree_b = next(r for r in merge["rows"] if r["category"] == "agree")["weighted"]["estimate"]
        merge_a = next(q for q in first.content["questions"] if q["name"] == "merge_municipalities")
        agree_a = next(r for r in merge_a["rows"] if r["category"] == "agree")["weighted"]["estimate"]
    expected = f"{100 * (agree_b - agree_a):+.1f}"
    assert expected in page.text  # the change is the difference of the two frozen estimates
    other = client.get(f"/analyst/{SLUG}/snapshots/compare?a={a}&b=999999")
    assert other.status_code == 404
    assert client.get(f"/analyst/{SLUG}/snapshots/compare?a={a}&b=x").status_code == 400
