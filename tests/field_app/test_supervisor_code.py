"""Supervisor unlock codes and sign-out, on the server side: a coordinator (CLI or API) sets or rotates
a consultation's code; tablets get only its salted PBKDF2 hash with their assignments; signing a
tablet out ends its device token, so a copy of it gets 401 afterwards."""

from __future__ import annotations

import re

import typer
from sqlalchemy import select
from typer.testing import CliRunner

from field_app.cli import register
from field_app.supervisor import code_hash
from survey.store.models import Device, FieldSupervisorCode
from tests.field_app.conftest import FieldEnv, basic, login
from tests.field_app.test_api import auth, interview, sync


def _cli(database_url: str, *args: str):  # type: ignore[no-untyped-def]
    app = typer.Typer()
    register(app)
    return CliRunner().invoke(app, ["device", "supervisor-code", *args, "--database-url", database_url])


def test_the_code_reaches_tablets_only_as_a_salted_slow_hash(
    client, sessions, field_env: FieldEnv, database_url: str
) -> None:
    assert login(client)["consultations"][0]["supervisor"] is None  # none set yet
    made = _cli(database_url, field_env.slug)
    assert made.exit_code == 0, made.output
    found = re.search(r"supervisor code for field-test: (\d{4} \d{4} \d{4})", made.output)
    assert found is not None, made.output
    code = found.group(1)
    body = login(client)
    sent = body["consultations"][0]["supervisor"]
    assert sent["iterations"] >= 100_000 and len(sent["salt"]) == 32
    assert sent["hash"] == code_hash(code, sent["salt"], sent["iterations"])
    assert code.replace(" ", "") not in str(body)  # the code itself never travels
    with sessions() as session:
        row = session.scalars(select(FieldSupervisorCode)).one()
        assert row.hash == sent["hash"] and code.replace(" ", "") not in (row.hash + row.salt)

    # A coordinator rotates it through the API; tablets see the new hash at their next call.
    rotated = client.put(
        f"/field/api/admin/consultations/{field_env.slug}/supervisor-code",
        json={"code": "8642-1357-9999"}, headers=basic("coord"),
    )  # fmt: skip
    assert rotated.status_code == 204, rotated.text
    [info] = client.get("/field/api/consultations", headers=auth(body["token"])).json()
    assert info["supervisor"]["salt"] != sent["salt"]
    assert info["supervisor"]["hash"] == code_hash(
        "864213579999", info["supervisor"]["salt"], info["supervisor"]["iterations"]
    )


def test_bad_codes_and_wrong_roles_are_refused(client, field_env: FieldEnv, database_url: str) -> None:
    url = f"/field/api/admin/consultations/{field_env.slug}/supervisor-code"
    short = client.put(url, json={"code": "1234"}, headers=basic("coord"))
    assert short.status_code == 422 and [e["field"] for e in short.json()["errors"]] == ["code"]
    odd = client.put(url, json={"code": "12345678<script>"}, headers=basic("boss"))
    assert odd.status_code == 422
    assert client.put(url, json={"code": "123456789"}, headers=basic("ana")).status_code == 403
    assert client.put(url, json={"code": "123456789"}, headers=basic("int1")).status_code == 403
    assert client.put(url, json={"code": "123456789"}).status_code == 401
    missing = client.put("/field/api/admin/consultations/nope/supervisor-code", json={"code": "123456789"},
                         headers=basic("coord"))  # fmt: skip
    assert missing.status_code == 404
    refused = _cli(database_url, field_env.slug, "--code", "12")
    assert refused.exit_code != 0 and "code" in refused.output
    assert _cli(database_url, "nope").exit_code != 0


def test_sign_out_ends_the_device_token_for_good(client, sessions, field_env: FieldEnv) -> None:
    first, second = login(client), login(client)  # two tablets of one interviewer
    assert sync(client, first["token"], [interview(field_env)]).status_code == 200
    assert client.post("/field/api/logout", headers=auth(first["token"])).status_code == 204
    for response in (
        client.get("/field/api/consultations", headers=auth(first["token"])),
        sync(client, first["token"], [interview(field_env)]),
        client.post("/field/api/logout", headers=auth(first["token"])),
    ):
        assert response.status_code == 401 and response.json()["code"] == "device_unknown", response.text
    assert sync(client, second["token"], [interview(field_env)]).status_code == 200  # the other tablet works
    with sessions() as session:
        device = session.get(Device, first["device_id"])
        assert device is not None and device.revoked_at is not None
    assert client.post("/field/api/logout").status_code == 401
