"""An app's start moves what start-up loaded out of the garbage collector's reach, once per process.

A server worker starts one app; the tests' live servers start many in one process, and a full
collection at each of those starts scanned the whole test worker again for nothing. Asking ``gc``
whether the process is frozen already is no cheaper: ``gc.get_freeze_count()`` walks every frozen
object. Run in a fresh interpreter: the test worker's own heap may already be frozen.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import gc, json, sys
from litestar.testing import TestClient
from survey.app import create_app
from survey.settings import load_settings
from survey.store import migrate

url = f"sqlite:///{sys.argv[1]}/s.sqlite3"
migrate.upgrade(url)
settings = load_settings({"DATABASE_URL": url, "SURVEY_DATA_DIR": sys.argv[1],
                          "SECRET_KEY": "test-secret-key-0123456789"})
full = []
gc.callbacks.append(lambda phase, info: full.append(1) if phase == "start" and info["generation"] == 2 else None)
counted = gc.get_freeze_count
walks = []
gc.get_freeze_count = lambda: walks.append(1) or counted()
starts = []
for _ in range(2):
    before, walked = len(full), len(walks)
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").status_code == 200
    starts.append({"full_collections": len(full) - before, "frozen_walks": len(walks) - walked,
                   "frozen": counted()})
print(json.dumps(starts))
"""


def test_the_first_app_start_freezes_and_a_second_start_collects_nothing_more(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    first, second = json.loads(done.stdout.strip().splitlines()[-1])
    assert first["full_collections"] >= 1 and first["frozen"] > 10_000
    assert second["full_collections"] == 0
    # nor counts the frozen objects: gc.get_freeze_count() walks them all (425,000 in a test worker)
    assert second["frozen_walks"] == 0
    assert second["frozen"] == first["frozen"]
