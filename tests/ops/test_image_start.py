"""The image's start command and health check, run here with compose's environment (no Docker engine).

The Dockerfile's CMD (migrate, then serve two workers) runs with the variables compose.yaml gives
the app, translated to this machine (the ``db`` and ``redis`` hosts become 127.0.0.1, the database
a fresh one, the password one that breaks a hand-written URL); the HEALTHCHECK command must then
succeed, which it does only once ``/ready`` says the schema is at head.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL, _create_postgresql, drop_database, free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "p@ss:w/o%rd#?"  # the local server trusts connections: the password only has to survive the URL


def _dockerfile_json(instruction: str) -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    match = re.search(rf"^{instruction}\b.*?(\[.*\])\s*$", text, re.MULTILINE)
    assert match, instruction
    return json.loads(match.group(1))


def _compose_environment(database: str) -> dict[str, str]:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    secrets_from_env_file = {"POSTGRES_PASSWORD": PASSWORD, "SECRET_KEY": secrets.token_urlsafe(48)}
    environment: dict[str, str] = {}
    for name, value in compose["services"]["app"]["environment"].items():
        environment[name] = re.sub(
            r"\$\{(\w+)[^}]*\}", lambda m: secrets_from_env_file[m.group(1)], str(value)
        )
    server = make_url(POSTGRES_URL)
    environment |= {
        "POSTGRES_HOST": str(server.host), "POSTGRES_PORT": str(server.port or 5432),
        "POSTGRES_USER": str(server.username), "POSTGRES_DB": database,
        "REDIS_URL": environment["REDIS_URL"].replace("//redis:", "//127.0.0.1:").rsplit("/", 1)[0] + "/15",
    }  # fmt: skip
    return environment


def test_the_image_command_starts_and_its_health_check_passes(tmp_path: Path) -> None:
    database = f"ops_image_{secrets.token_hex(4)}"
    url = _create_postgresql(database, make_url(POSTGRES_URL))
    port = str(free_port())
    command = [part.replace("8000", port) for part in _dockerfile_json("CMD")]
    healthcheck = [part.replace("8000", port) for part in _dockerfile_json("HEALTHCHECK")]
    healthcheck[0] = sys.executable if healthcheck[0] == "python" else healthcheck[0]
    env = {
        **os.environ, **_compose_environment(database), "SURVEY_DATA_DIR": str(tmp_path / "var"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }  # fmt: skip
    env.pop("DATABASE_URL", None)
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(command, env=env, cwd=tmp_path, start_new_session=True, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while True:
            check = subprocess.run(healthcheck, env=env, capture_output=True, check=False)
            if check.returncode == 0:
                break
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the health check never passed"
            time.sleep(0.5)  # polling a server that is starting: there is no event to wait on
        doctor = subprocess.run(
            [sys.executable, "-m", "survey", "doctor"], env=env, capture_output=True, text=True, check=False
        )
        assert doctor.returncode == 0, doctor.stdout + doctor.stderr
        assert "fail" not in doctor.stdout
        # The command execs the server, so the signals `docker kill -s HUP` and `docker stop` send
        # to PID 1 reach it: a rolling restart, then a graceful stop with exit code 0.
        server.send_signal(signal.SIGHUP)
        while "reloaded: 2 workers listening" not in (tmp_path / "server.log").read_text():
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline + 120, "the reload never finished"
            time.sleep(0.5)
        assert subprocess.run(healthcheck, env=env, capture_output=True, check=False).returncode == 0
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        log.close()
        drop_database(url)
