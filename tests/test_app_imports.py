"""A server worker builds the app without pandas, polars, numpy or pyarrow; an analysis loads them.

Why: every ``survey serve`` worker (and every live server the tests start) imports ``survey.app``;
those four libraries were some 0.55 CPU-s of its 1.4 s start, for workers and requests (citizen
pages, field sync, the console) that never hold a data frame. The modules the routes import keep
them under ``TYPE_CHECKING`` and import them in the functions that compute, so this checks a fresh
process: the app built, its schema and a request served, none of them loaded; then the analysis
service's lazily imported weighting still gives the library's figures. A target upload, parsed
in between, needs none of them either. Nor does a server without ``REDIS_URL`` load the Redis client
(a seventh of the app's imports).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = {"numpy", "pandas", "polars", "pyarrow"}
PROBE = """
import json, sys
from litestar.testing import TestClient
from survey.app import create_app
from survey.settings import load_settings

app = create_app(load_settings({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "k" * 32}))
with TestClient(app) as client:
    answered = [client.get("/health").status_code, client.get("/schema/openapi.json").status_code]
built = sorted({m.split(".")[0] for m in sys.modules})

from survey.analyst.targets_csv import parse_targets_bytes

uploaded = parse_targets_bytes("variable;category;share\\nsex:age; F : 1.0 ;0,5\\n".encode("cp1252"))
upload = {"rows": [[r.variable, r.category, r.share] for r in uploaded[0]], "problems": uploaded[1],
          "loaded": sorted({m.split(".")[0] for m in sys.modules} & {"numpy", "pandas", "polars", "pyarrow"})}

import polars as pl
from survey.analyst.services import WeightingSpec, table, weight
from weighting import Targets

data = pl.DataFrame({"sex": ["F", "M", "M", "M"], "mode": ["online"] * 4, "q": ["a", "b", "a", "a"]}).to_pandas()
targets = Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}})
design = weight(data, targets, WeightingSpec(method="rake"), population=None)
figures = table(design, data, ["q"])
print(json.dumps({"answered": answered, "built": built, "upload": upload, "a": figures[("q", "a")]["estimate"]}))
"""


def test_building_the_app_loads_no_data_frame_library_and_an_analysis_still_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, f"sqlite:///{tmp_path / 'x.sqlite3'}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(found["built"]) & HEAVY == set()
    assert "redis" not in found["built"]
    assert found["answered"][1] == 200  # every handler's types resolved for the schema
    assert found["answered"][0] in {200, 503}  # the health page answers (503: the schema is not migrated)
    # a workbench target upload reads the file by the command line's category rule, still without them
    assert found["upload"] == {"rows": [["sex:age", "F:1", 0.5]], "problems": [], "loaded": []}
    # F weighs 2 (half the population, one of four rows), each M 2/3: "a" is (2 + 2/3 + 2/3) / 4
    assert abs(found["a"] - 5 / 6) < 1e-9
