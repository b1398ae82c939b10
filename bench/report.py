"""Time the analyst pipeline on the demo: load frame, weight + estimate, bias audit, HTML, PDF.

Prints a table; never a test (timings on a shared machine are not pass/fail). Uses a throwaway
SQLite file (or ``--database-url``) and loads the demo into it first.

    .venv/bin/python bench/report.py            # demo, best of 3, PDF once
    .venv/bin/python bench/report.py --no-pdf   # skip WeasyPrint
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# bench/weighting.py would shadow the `weighting` package: import from the repository root instead.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import survey.analyst.models  # noqa: F401, E402  (registers the snapshot table)
from survey.analyst.report import report_html, write_pdf  # noqa: E402
from survey.analyst.services import WeightingSpec, bias_audit, load_context, run_analysis  # noqa: E402
from survey.demo.load import SLUG, load_demo  # noqa: E402
from survey.store import migrate  # noqa: E402
from survey.store.db import make_engine, session_factory  # noqa: E402


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    migrate.upgrade(url)
    factory = session_factory(make_engine(url))
    start = time.perf_counter()
    load_demo(factory, password="bench-pass-123")
    rows = [("load demo (once)", time.perf_counter() - start)]
    with factory() as session:
        context = load_context(session, SLUG)
        analysis = run_analysis(context, WeightingSpec())
        rows += [
            ("load frame + targets", _best(lambda: load_context(session, SLUG), args.repeat)),
            (
                "rake + estimates (4 tables)",
                _best(lambda: run_analysis(context, WeightingSpec()), args.repeat),
            ),
            ("bias audit + mode effects", _best(lambda: bias_audit(context, analysis), args.repeat)),
            ("report HTML (end to end)", _best(lambda: report_html(session, SLUG), args.repeat)),
        ]
        if not args.no_pdf:
            html = report_html(session, SLUG)
            rows.append(("report PDF (WeasyPrint, once)", _best(lambda: write_pdf(html, tmp / "r.pdf"), 1)))
    print(f"{'step':<32} {'seconds':>8}   (n = {analysis.design.n})")
    for name, seconds in rows:
        print(f"{name:<32} {seconds:>8.3f}")


if __name__ == "__main__":
    main()
