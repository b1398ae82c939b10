"""Time the analysis frame with the counted-responses filter against a plain status filter.

Every reader of responses excludes those a field correction superseded
(:mod:`survey.store.services.counted`); this checks that the exclusion costs next to nothing at scale.
Creates a throwaway PostgreSQL database with ``bench/report.py``'s synthetic responses (1 % of them
corrections of another), loads the wide frame three times with each filter, prints the medians and
drops the database. Never a test: timings on a shared machine are not pass/fail.

    .venv/bin/python bench/counted.py                 # 100,000 responses
    .venv/bin/python bench/counted.py --n 20000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))

import report as synthetic  # noqa: E402  (bench/report.py: the synthetic consultation and its loader)
from sqlalchemy import ColumnElement, and_, create_engine, select, text  # noqa: E402

from survey.store import migrate  # noqa: E402
from survey.store.db import make_engine, session_factory  # noqa: E402
from survey.store.models import Response  # noqa: E402
from survey.store.services import frames  # noqa: E402
from survey.store.services.counted import counted  # noqa: E402

CORRECT = "UPDATE responses r SET replaces_uuid = o.uuid FROM responses o WHERE r.id <= :k AND r.id % 2 = 0 AND o.id = r.id - 1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic responses to load")
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server to create the throwaway database on")  # fmt: skip
    args = parser.parse_args()
    with synthetic.database(args.server) as url:
        migrate.upgrade(url)
        synthetic.load(url, args.n)
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(CORRECT), {"k": args.n // 50})
            connection.execute(text("ANALYZE responses"))
        engine.dispose()
        factory = session_factory(make_engine(url))
        form = synthetic.questionnaire()
        with factory() as session:
            consultation_id = int(session.scalar(select(Response.consultation_id).limit(1)) or 0)
        filters: dict[str, Callable[[int], ColumnElement[bool]]] = {
            "plain status filter": lambda c: and_(
                Response.consultation_id == c, Response.status == "complete"
            ),
            "counted()": counted,
        }
        for name, clause in filters.items():
            times, rows = [], 0
            for _ in range(3):
                frames.counted = clause  # responses_frame reads the filter from its module
                with factory() as session:
                    start = time.perf_counter()
                    rows = synthetic_frame_height(session, consultation_id, form)
                    times.append(time.perf_counter() - start)
            frames.counted = counted
            print(f"{name:22s} median of 3: {statistics.median(times):6.2f} s  ({rows} rows)")


def synthetic_frame_height(session: object, consultation_id: int, form: object) -> int:
    """Load the wide frame once; its height tells the two filters apart (corrections' originals go)."""
    return int(frames.responses_frame(session, consultation_id, form).height)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
