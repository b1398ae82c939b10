"""The image's build and start, replayed here step by step (no Docker engine runs on these machines).

The Dockerfile is read, not paraphrased: its ``COPY`` lines fill a build folder with the same files,
its ``pip install`` target is installed from PyPI into a fresh venv of the same Python (so the
venv holds the project's runtime requirements and nothing of the development environment: no test
tools, no dev extras), and its ``CMD`` (migrate, then serve two workers) runs from that venv with
the variables compose.yaml gives the app, translated to this machine (the ``db`` and ``redis``
hosts become 127.0.0.1, the database a fresh one, the password one that breaks a hand-written URL).
The ``HEALTHCHECK`` command, run by the venv's Python, must then succeed, which it does only once
``/ready`` says the schema is at head.

Why uv and not pip: ``python -m venv`` + ``pip install .`` took 472 s here, too long for a suite
that must stay under 8 minutes. uv installs the same thing (it resolves the same requirements from
the same index) with a cache kept between runs: a machine's first run downloads every wheel, later
runs link them from the cache. The project itself is built afresh from the copied files on every
run, so the venv always holds the code under test.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import make_url
from uv import find_uv_bin

from tests.conftest import POSTGRES_URL, _create_postgresql, drop_database, free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "p@ss:w/o%rd#?"  # the local server trusts connections: the password only has to survive the URL
INSTALL_TIMEOUT = 600  # a cold cache downloads about 200 MB of wheels
# Migrate, then start two workers: on two cores shared with other test runs this has taken two minutes.
START_TIMEOUT = 300


def _dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text().replace("\\\n", " ")


def _dockerfile_json(instruction: str) -> list[str]:
    match = re.search(rf"^{instruction}\b.*?(\[.*\])\s*$", _dockerfile(), re.MULTILINE)
    assert match, instruction
    return json.loads(match.group(1))


def _copy_build_context(into: Path) -> None:
    """What the Dockerfile's COPY lines put in its WORKDIR, copied from the checkout."""
    copies = re.findall(r"^COPY\s+(.+)$", _dockerfile(), re.MULTILINE)
    assert copies, "the Dockerfile copies nothing"
    for line in copies:
        *sources, dest = line.split()
        for source in sources:
            target = into / dest / Path(source).name if dest.endswith("/") else into / dest
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / source, target)


def _pip_install_target() -> str:
    """The argument of the Dockerfile's ``pip install`` (options skipped): what the image installs."""
    match = re.search(r"\bpip install((?:\s+--[\w-]+)*)\s+(\S+)", _dockerfile())
    assert match, "the Dockerfile has no pip install"
    return match.group(2)


def _python_version() -> str:
    match = re.search(r"^FROM\s+python:(\d+\.\d+)", _dockerfile(), re.MULTILINE)
    assert match, "the Dockerfile's base image is not python:X.Y"
    return match.group(1)


@pytest.fixture(scope="module")
def image_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv holding what the image's ``pip install`` installs; its path."""
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == _python_version(), (
        "this Python is not the image's"
    )
    build = tmp_path_factory.mktemp("image") / "app"
    build.mkdir()
    _copy_build_context(build)
    venv = build.parent / "venv"
    uv = find_uv_bin()
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], env=env, check=True)
    installed = subprocess.run(
        [uv, "pip", "install", "--python", str(venv / "bin" / "python"), "--link-mode", "hardlink",
         _pip_install_target()],
        env=env, cwd=build, capture_output=True, text=True, check=False, timeout=INSTALL_TIMEOUT,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-4000:]
    # pip compiles every module it installs; uv does not (see _venv_env): the modules the server
    # imports are compiled once here, instead of by the migration and both workers at once.
    subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import survey.app, survey.cli.main, survey.cli.serve_worker"],
        env=_venv_env(venv), cwd=build.parent, check=True,
    )  # fmt: skip
    yield venv


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


def _venv_env(venv: Path) -> dict[str, str]:
    """This machine's environment with the venv first on PATH, as the image's Python is.

    The image's ``pip install`` compiles every module to bytecode (pip's default), so its processes
    never compile; uv leaves that out (8,500 files: minutes on two busy cores), so here a process
    that imports a module not yet compiled writes its bytecode for the next ones.
    """
    drop = {"PYTHONPATH", "DATABASE_URL", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return env | {"VIRTUAL_ENV": str(venv), "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}


def test_the_venv_holds_the_installed_project_and_its_runtime_requirements_only(
    image_venv: Path, tmp_path: Path
) -> None:
    probe = """
import importlib.util, json, survey
print(json.dumps({
    "survey": survey.__file__,
    "found": [m for m in json.loads(__import__("sys").argv[1]) if importlib.util.find_spec(m)],
}))
"""
    modules = ["pytest", "hypothesis", "playwright", "schemathesis", "uv", "mypy",
               "litestar", "sqlalchemy", "uvicorn", "prometheus_client", "weasyprint", "redis", "polars"]  # fmt: skip
    run = subprocess.run(
        [str(image_venv / "bin" / "python"), "-c", probe, json.dumps(modules)],
        env=_venv_env(image_venv), cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    seen = json.loads(run.stdout)
    assert Path(seen["survey"]).is_relative_to(image_venv)  # installed, not the checkout on a path
    assert set(seen["found"]) == {"litestar", "sqlalchemy", "uvicorn", "prometheus_client", "weasyprint",
                                  "redis", "polars"}  # fmt: skip
    assert (image_venv / "bin" / "survey").is_file()


def test_the_image_command_starts_and_its_health_check_passes(image_venv: Path, tmp_path: Path) -> None:
    database = f"ops_image_{secrets.token_hex(4)}"
    url = _create_postgresql(database, make_url(POSTGRES_URL))
    port = str(free_port())
    python = str(image_venv / "bin" / "python")
    command = [part.replace("8000", port) for part in _dockerfile_json("CMD")]
    healthcheck = [part.replace("8000", port) for part in _dockerfile_json("HEALTHCHECK")]
    assert healthcheck[0] == "python"
    healthcheck[0] = python
    env = _venv_env(image_venv) | _compose_environment(database) | {"SURVEY_DATA_DIR": str(tmp_path / "var")}
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(command, env=env, cwd=tmp_path, start_new_session=True, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            check = subprocess.run(healthcheck, env=env, capture_output=True, check=False)
            if check.returncode == 0:
                break
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the health check never passed"
            time.sleep(0.5)  # polling a server that is starting: there is no event to wait on
        doctor = subprocess.run(
            [python, "-m", "survey", "doctor"], env=env, cwd=tmp_path, capture_output=True, text=True,
            check=False,
        )  # fmt: skip
        assert doctor.returncode == 0, doctor.stdout + doctor.stderr
        assert "fail" not in doctor.stdout
        # The command execs the server, so the signals `docker kill -s HUP` and `docker stop` send
        # to PID 1 reach it: a rolling restart, then a graceful stop with exit code 0.
        server.send_signal(signal.SIGHUP)
        while "reloaded: 2 workers listening" not in (tmp_path / "server.log").read_text():
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline + START_TIMEOUT, "the reload never finished"
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
