"""The manual quota editor in the console, and its twin `survey quota set`, on the field app's rule."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from survey.cli.main import app as cli
from survey.store.models import AuditEntry, FieldQuota
from tests.console.conftest import post
from tests.factories import store_demo_form

PAGE = "/console/c/panel/quotas"


def _quotas(sessions: sessionmaker[Session]) -> dict[tuple[str, str], int]:
    with sessions() as session:
        return {(q.variable, q.category): q.target for q in session.scalars(select(FieldQuota))}


def test_quotas_are_set_edited_and_removed_in_one_form(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    store_demo_form(sessions, "panel")
    page = client.get(f"{PAGE}?lang=en")
    assert page.status_code == 200 and "age_group" in page.text  # the usable questions are listed
    rows = {"variable_0": "sex", "category_0": "F", "target_0": "120",
            "variable_1": "sex:age_group", "category_1": "M:65+", "target_1": "15",
            "variable_2": "", "category_2": "", "target_2": ""}  # fmt: skip
    assert post(client, PAGE, rows, token_from=PAGE).status_code == 303
    assert _quotas(sessions) == {("sex", "F"): 120, ("sex:age_group", "M:65+"): 15}
    shown = client.get(f"{PAGE}?lang=fr").text
    assert 'value="sex:age_group"' in shown and 'value="120"' in shown
    edit = {"variable_0": "sex", "category_0": "F", "target_0": "90",
            "variable_1": "sex:age_group", "category_1": "M:65+", "target_1": "15", "remove_1": "1"}  # fmt: skip
    assert post(client, PAGE, edit, token_from=PAGE).status_code == 303
    assert _quotas(sessions) == {("sex", "F"): 90}
    with sessions() as session:
        audited = session.scalars(select(AuditEntry.details).where(AuditEntry.action == "set_quotas",
                                                                   AuditEntry.actor == "organiser")).all()  # fmt: skip
    assert [d["cells"] for d in audited] == [2, 1]


def test_every_problem_is_listed_and_nothing_changes(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    store_demo_form(sessions, "panel")
    post(client, PAGE, {"variable_0": "sex", "category_0": "F", "target_0": "5"}, token_from=PAGE)
    bad = {"variable_0": "sex", "category_0": "X", "target_0": "5",
           "variable_1": "sex", "category_1": "M", "target_1": "-3",
           "variable_2": "nope", "category_2": "a", "target_2": "1"}  # fmt: skip
    answer = post(client, f"{PAGE}?lang=en", bad, token_from=PAGE)
    assert answer.status_code == 400
    assert "row 2 (sex=M): the target must be a whole number" in answer.text
    bad["target_1"] = "3"
    answer = post(client, f"{PAGE}?lang=en", bad, token_from=PAGE)
    assert answer.status_code == 400
    assert "&#39;X&#39; is not a choice" in answer.text and "nope" in answer.text
    in_french = post(client, f"{PAGE}?lang=fr", bad, token_from=PAGE)
    assert "sex=X : « X » n&#39;est pas un choix de la question à choix unique « sex »" in in_french.text
    assert _quotas(sessions) == {("sex", "F"): 5}
    assert client.post(PAGE, data={"variable_0": "sex", "csrf_token": "forged"}).status_code == 403


def test_survey_quota_set_is_the_same_rule(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    store_demo_form(sessions, "panel")
    table = tmp_path / "quotas.csv"
    table.write_text("variable,category,target\nsex,F,10\nsex,M,12\n")
    runner = CliRunner()
    done = runner.invoke(cli, ["quota", "set", "panel", str(table), "--database-url", database_url])
    assert done.exit_code == 0, done.output
    assert _quotas(sessions) == {("sex", "F"): 10, ("sex", "M"): 12}
    listed = runner.invoke(cli, ["quota", "list", "panel", "--database-url", database_url])
    assert "sex,M,12,0" in listed.output
    table.write_text("variable,category,target\nsex,Q,1\n")
    refused = runner.invoke(cli, ["quota", "set", "panel", str(table), "--database-url", database_url])
    assert refused.exit_code != 0 and "'Q' is not a choice" in refused.output
    table.write_text("variable,category,target\nsex,F,many\n")
    refused = runner.invoke(cli, ["quota", "set", "panel", str(table), "--database-url", database_url])
    assert refused.exit_code != 0 and "line 2: column 'target'" in refused.output
    assert _quotas(sessions) == {("sex", "F"): 10, ("sex", "M"): 12}
