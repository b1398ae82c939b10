"""Adaptive quotas (#17): the server re-plans the field quotas when, and only when, what is stored changes."""

from __future__ import annotations

import copy
import re
import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from field_app.adaptive import ACTOR, refresh
from field_app.reports import cell_words
from survey.questionnaire.model import Questionnaire
from survey.store.db import transaction
from survey.store.models import AuditEntry, Consultation, FieldAdaptivePlan
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.targets import TargetRow, TargetService
from tests.analyst.conftest import CSRF
from tests.field_app.conftest import FORM, PASSWORD, SLUG, FieldEnv, basic, login
from tests.field_app.test_api import auth, interview, sync

ADAPTIVE = f"/field/api/admin/consultations/{SLUG}/adaptive"
TABLET_QUOTAS = f"/field/api/consultations/{SLUG}/quotas"


def add_targets(sessions: sessionmaker[Session], women: float = 0.5) -> None:
    with transaction(sessions) as session:
        consultation = ConsultationService(session).get(SLUG)
        version = ConsultationService(session).current_version(consultation)
        rows = [TargetRow("sex", "F", women), TargetRow("sex", "M", 1 - women)]
        TargetService(session).add(
            consultation, rows, load_questionnaire(version), actor="test", population=1000
        )


def tablet_quotas(client, token: str) -> dict[str, tuple[int, int]]:
    response = client.get(TABLET_QUOTAS, headers=auth(token))
    assert response.status_code == 200, response.text
    return {q["category"]: (q["done"], q["target"]) for q in response.json()}


def replans(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(
            session.scalar(
                select(func.count(AuditEntry.id)).where(
                    AuditEntry.action == "set_quotas", AuditEntry.actor == ACTOR
                )
            )
            or 0
        )


def test_stored_responses_change_the_quotas_the_tablets_receive(
    client, sessions, field_env: FieldEnv
) -> None:
    add_targets(sessions)
    token = login(client)["token"]
    assert sync(client, token, [interview(field_env) for _ in range(3)]).status_code == 200  # three women
    on = client.put(ADAPTIVE, json={"cells": "sex", "budget": 4}, headers=basic("ana"))
    assert on.status_code == 200, on.text
    assert on.json()["adaptive"] | {"planned_at": None} == {
        "enabled": True, "cells": "sex", "budget": 4, "start_field": 3, "field_now": 3, "spent": 0,
        "remaining": 4, "problem": "", "planned_at": None,
    }  # fmt: skip
    # Greedy by hand: M is empty (served first), then gains P²/(a(a+1)) = .25/2, .25/6 for M against
    # .25/12 for F, then a tie at .25/12 that goes to the first cell: F +1, M +3.
    assert tablet_quotas(client, token) == {"F": (3, 4), "M": (0, 3)}
    assert replans(sessions) == 1
    assert tablet_quotas(client, token) == {"F": (3, 4), "M": (0, 3)}
    assert replans(sessions) == 1  # nothing stored since: no re-plan
    # Two more women arrive instead of the men the plan asked for: two of the budget are spent,
    # and the two left both go to the men (M empty, then .25/2 against .25/30). F asked 4 and holds
    # 5: its target stays 4, so tablets and coordinators see it one over target.
    assert sync(client, token, [interview(field_env) for _ in range(2)]).status_code == 200
    assert tablet_quotas(client, token) == {"F": (5, 4), "M": (0, 2)}
    assert replans(sessions) == 2
    state = client.get(ADAPTIVE, headers=basic("ana")).json()["adaptive"]
    assert (state["spent"], state["remaining"]) == (2, 2)
    # New targets re-plan too: with 90 % women, the empty M cell still gets one (empty cells first),
    # then the women (.81/30 against .01/2).
    add_targets(sessions, women=0.9)
    assert tablet_quotas(client, token) == {"F": (5, 6), "M": (0, 1)}
    assert replans(sessions) == 3
    with sessions() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "ana")).all()
    assert "adaptive_quotas_on" in actions


def test_budget_spent_means_targets_equal_what_is_stored(client, sessions, field_env: FieldEnv) -> None:
    add_targets(sessions)
    token = login(client)["token"]
    assert client.put(ADAPTIVE, json={"cells": "sex", "budget": 1}, headers=basic("boss")).status_code == 200
    first = tablet_quotas(client, token)
    assert sum(t for _, t in first.values()) == 1
    sync(
        client,
        token,
        [interview(field_env, answers={"sex": "M", "age": 30, "votes": "no"}) for _ in range(2)],
    )
    # the budget is spent: nothing more is planned; M got two where it was asked first["M"] (at most
    # one), so it shows over target; F keeps what is stored (none) as its target
    assert tablet_quotas(client, token) == {"F": (0, 0), "M": (2, first["M"][1])}


def test_quotas_set_by_hand_switch_adaptive_off(client, sessions, field_env: FieldEnv) -> None:
    add_targets(sessions)
    token = login(client)["token"]
    assert client.put(ADAPTIVE, json={"cells": "sex", "budget": 6}, headers=basic("ana")).status_code == 200
    manual = [{"variable": "sex", "category": "F", "target": 9}]
    assert (
        client.put(
            f"/field/api/admin/consultations/{SLUG}/quotas", json=manual, headers=basic("ana")
        ).status_code
        == 200
    )
    sync(client, token, [interview(field_env)])
    assert tablet_quotas(client, token) == {"F": (1, 9)}  # not re-planned over the manual quota
    assert client.get(ADAPTIVE, headers=basic("ana")).json()["adaptive"]["enabled"] is False
    off = client.delete(ADAPTIVE, headers=basic("ana"))
    assert off.status_code == 200 and off.json()["adaptive"]["enabled"] is False


def test_bad_switches_are_refused_naming_the_field(client, sessions, field_env: FieldEnv) -> None:
    no_targets = client.put(ADAPTIVE, json={"cells": "sex", "budget": 4}, headers=basic("ana"))
    assert no_targets.status_code == 400 and "no targets" in no_targets.json()["detail"]
    add_targets(sessions)
    for body, words in (
        ({"cells": "sex:shoe", "budget": 4}, "cells: 'shoe' is not a question"),
        ({"cells": "votes", "budget": 4}, "cells:"),  # a question without targets
        ({"cells": "sex:sex", "budget": 4}, "named more than once"),
        ({"cells": "sex", "budget": -1}, "budget"),
        ({"cells": "sex", "budget": "many"}, "budget"),
    ):
        response = client.put(ADAPTIVE, json=body, headers=basic("ana"))
        assert response.status_code in (400, 422), response.text
        assert words in response.text
    assert client.put(ADAPTIVE, json={"cells": "sex", "budget": 4}, headers=basic("int1")).status_code == 403
    assert client.get(ADAPTIVE, headers=basic("coord")).status_code == 403
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(FieldAdaptivePlan)) == 0  # nothing half-stored


def workbench_login(client, username: str = "ana") -> None:
    token = CSRF.search(client.get("/analyst/login").text)
    assert token is not None
    client.post(
        "/analyst/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    )


def test_the_workbench_switches_adaptive_quotas_with_csrf_in_three_languages(
    client, sessions, field_env: FieldEnv
) -> None:
    add_targets(sessions)
    page = client.get(f"/analyst/{SLUG}/adaptive-quotas", follow_redirects=False)
    assert page.status_code == 303  # signed-out visitors go to the sign-in form
    workbench_login(client)
    page = client.get(f"/analyst/{SLUG}/adaptive-quotas?lang=fr")
    assert page.status_code == 200 and "Quotas adaptatifs" in page.text and "jamais activés" in page.text
    form = {"action": "on", "cells": "sex", "budget": "4"}
    forged = client.post(f"/analyst/{SLUG}/adaptive-quotas", data={**form, "csrf_token": "forged"})
    assert forged.status_code == 403
    token = CSRF.search(page.text)
    assert token is not None
    bad = client.post(
        f"/analyst/{SLUG}/adaptive-quotas", data={**form, "budget": "<b>x</b>", "csrf_token": token.group(1)}
    )
    assert bad.status_code == 400 and "Budget : donnez un nombre entier" in bad.text
    evil = client.post(f"/analyst/{SLUG}/adaptive-quotas",
                       data={**form, "cells": "<script>x</script>", "csrf_token": token.group(1)})  # fmt: skip
    assert evil.status_code == 400 and "<script>x</script>" not in evil.text and "&lt;script&gt;" in evil.text
    done = client.post(
        f"/analyst/{SLUG}/adaptive-quotas?lang=nl", data={**form, "csrf_token": token.group(1)}
    )
    assert done.status_code == 200, done.text
    assert "Adaptieve quota ingeschakeld" in done.text
    assert re.search(
        r'data-cell="sex=M"><th scope="row">Man</th><td class="n">0</td><td class="n">2</td>', done.text
    )
    english = client.get(f"/analyst/{SLUG}/adaptive-quotas?lang=en")
    assert "Adaptive quotas" in english.text and 'id="adaptive-on"><strong>on</strong>' in english.text
    off = client.post(
        f"/analyst/{SLUG}/adaptive-quotas", data={**form, "action": "off", "csrf_token": token.group(1)}
    )
    assert off.status_code == 200 and "switched off" in off.text
    with sessions() as session:
        consultation = session.scalar(select(Consultation).where(Consultation.slug == SLUG))
        assert consultation is not None
        row = session.get(FieldAdaptivePlan, consultation.id)
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "ana")).all()
    assert row is not None and not row.enabled
    assert {"adaptive_quotas_on", "adaptive_quotas_off"} <= set(actions)


def test_tablets_reading_at_once_plan_once(client, sessions, field_env: FieldEnv) -> None:
    add_targets(sessions)
    token = login(client)["token"]
    assert client.put(ADAPTIVE, json={"cells": "sex", "budget": 6}, headers=basic("ana")).status_code == 200
    sync(client, token, [interview(field_env) for _ in range(2)])  # the counts change: one re-plan is due
    before = replans(sessions)
    start, errors, replaced = threading.Barrier(4), [], []

    def read() -> None:
        try:
            start.wait(timeout=30)
            with transaction(sessions) as session:
                consultation = ConsultationService(session).get(SLUG)
                replaced.append(refresh(session, consultation))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert replaced.count(True) == 1 and replans(sessions) == before + 1
    # Four left over F 2, M 0: M empty first, then gains .25/2 (M), a tie at .25/6 won by F, then .25/6 (M).
    assert tablet_quotas(client, token) == {"F": (2, 3), "M": (0, 3)}


def test_cells_in_words_in_every_interface_language_even_one_the_form_lacks() -> None:
    form = copy.deepcopy(FORM)
    form["languages"], form["default_language"] = ["fr"], "fr"
    for choices in form["choices"].values():
        for choice in choices:
            choice["labels"] = {"fr": choice["labels"]["fr"]}
    words = cell_words(Questionnaire.from_dict(form), (("sex", "F"), ("votes", "no")))
    assert words == {"fr": "Femme, Non", "nl": "Femme, Non", "en": "Femme, Non"}  # words, never codes
    full = cell_words(Questionnaire.from_dict(FORM), (("sex", "F"), ("votes", "no")))
    assert full == {"fr": "Femme, Non", "nl": "Vrouw, Nee", "en": "Woman, No"}


def test_a_plan_that_cannot_be_made_keeps_the_quotas_and_says_why(
    client, sessions, field_env: FieldEnv
) -> None:
    add_targets(sessions)
    token = login(client)["token"]
    assert client.put(ADAPTIVE, json={"cells": "sex", "budget": 4}, headers=basic("ana")).status_code == 200
    before = tablet_quotas(client, token)
    with transaction(sessions) as session:  # new targets without the planned question
        consultation = ConsultationService(session).get(SLUG)
        version = ConsultationService(session).current_version(consultation)
        rows = [TargetRow("votes", "yes", 0.6), TargetRow("votes", "no", 0.4)]
        TargetService(session).add(consultation, rows, load_questionnaire(version), actor="test")
    assert tablet_quotas(client, token) == before  # the tablets still get quotas, as last planned
    state = client.get(ADAPTIVE, headers=basic("ana")).json()["adaptive"]
    assert state["enabled"] is True and "sex" in state["problem"]
    workbench_login(client)
    page = client.get(f"/analyst/{SLUG}/adaptive-quotas?lang=en").text
    assert 'id="adaptive-problem"' in page and "The last re-plan failed" in page
