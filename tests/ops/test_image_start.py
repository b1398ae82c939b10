"""The image's start command and health check, run here with compose's environment (no Docker engine).

The Dockerfile's CMD (migrate, then serve two workers) runs with the variables compose.yaml gives
the app, translated to this machine (the ``db`` and ``redis`` hosts become 127.0.0.1, the database
a fresh one, the password one that breaks a hand-written URL); the HEALTHCHECK command must then
succeed, which it does only once ``/ready`` says the schema is at head.

The image installs the project's runtime requirements only (``pip install .``), while this test runs
in the development environment, which holds more (test tools, their dependencies). So that a module
the image would lack fails here as it would there, every process of the server runs with an import
guard (a ``sitecustomize`` on PYTHONPATH) that refuses any package outside the closure of the
project's ``dependencies``, read from its installed metadata: the environment a fresh venv built
from the same requirements would have, without the minutes of installing one per run.
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
from importlib import metadata
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
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


GUARD = """
import importlib.abc, json, os, sys

_REFUSED = frozenset(json.loads(os.environ["SURVEY_TEST_NOT_IN_IMAGE"]))


class _NotInImage(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in _REFUSED:
            raise ModuleNotFoundError(f"No module named {name!r} (not a runtime requirement)", name=name)
        return None


sys.meta_path.insert(0, _NotInImage())
"""


def _runtime_distributions(project: str = "civic-consult") -> set[str]:
    """The project and everything its ``dependencies`` pull in (extras requested included)."""
    wanted: list[tuple[str, frozenset[str]]] = [(project, frozenset())]
    visited: set[tuple[str, frozenset[str]]] = set()
    found: set[str] = set()
    while wanted:
        name, extras = wanted.pop()
        if (canonicalize_name(name), extras) in visited:
            continue
        visited.add((canonicalize_name(name), extras))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a requirement for another platform or Python
        found.add(canonicalize_name(name))
        environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or any(requirement.marker.evaluate(e) for e in environments):
                wanted.append((requirement.name, frozenset(requirement.extras)))
    return found


def _modules_not_in_image() -> list[str]:
    """Top-level modules that only distributions outside the runtime closure provide."""
    runtime = _runtime_distributions()
    return sorted(
        module
        for module, dists in metadata.packages_distributions().items()
        if not any(canonicalize_name(d) in runtime for d in dists)
    )


def test_the_import_guard_refuses_test_tools_and_allows_runtime_packages() -> None:
    refused = set(_modules_not_in_image())
    assert {"pytest", "hypothesis", "playwright", "schemathesis"} <= refused
    assert not {"litestar", "sqlalchemy", "uvicorn", "prometheus_client", "weasyprint", "redis"} & refused


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
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    env |= {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(guard), env.get("PYTHONPATH")])),
        "SURVEY_TEST_NOT_IN_IMAGE": json.dumps(_modules_not_in_image()),
    }
    refused = subprocess.run(
        [sys.executable, "-c", "import pytest"], env=env, capture_output=True, text=True, check=False
    )
    assert "not a runtime requirement" in refused.stderr  # the guard is on in every process
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
