"""Time the analyst pipeline at scale: 100,000 synthetic responses x 30 questions on PostgreSQL.

Prints a table; never a test (timings on a shared machine are not pass/fail). Creates a throwaway
database on the server (schema by the Alembic migrations), bulk-loads the synthetic responses with
COPY (the per-response service would take the whole budget on validation), then times each step:
load into a frame, weight, estimate every question with SEs, bias audit, HTML and PDF report, and
the public results page served by the real app (uvicorn) from a published snapshot. Drops the
database at the end.

    .venv/bin/python bench/report.py                    # 100,000 responses, 30 page requests
    .venv/bin/python bench/report.py --n 20000 --no-pdf
    OPENBLAS_NUM_THREADS=2 .venv/bin/python bench/report.py   # BLAS threads as numpy's default

BLAS runs single-threaded unless OPENBLAS_NUM_THREADS says otherwise: the estimates are hundreds
of vector operations on 100k rows, where OpenBLAS threads cost more than they give (measured on a
shared 2-core machine: np.dot on 100k floats 44x slower with the default threads). Set it before
numpy is imported, as the server and the CLI should.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

# bench/weighting.py would shadow the `weighting` package: import from the repository root instead.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
import uvicorn  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import survey.store.models  # noqa: F401, E402  (every mapped table)
from survey.analyst import snapshots  # noqa: E402
from survey.analyst.audit import bias_audit  # noqa: E402
from survey.analyst.report import render_report, report_html, write_pdf  # noqa: E402
from survey.analyst.services import WeightingSpec, analyse, load_context, prepare_data, weight  # noqa: E402
from survey.app import create_app  # noqa: E402
from survey.questionnaire.model import Choice, Page, Question, Questionnaire, QuestionType  # noqa: E402
from survey.settings import load_settings  # noqa: E402
from survey.store import migrate  # noqa: E402
from survey.store.db import make_engine, session_factory, transaction  # noqa: E402
from survey.store.services.consultations import ConsultationService  # noqa: E402
from survey.store.services.targets import TargetRow, TargetService  # noqa: E402

T = TypeVar("T")
SLUG = "bench-report"
LANGS = ("fr", "nl", "en")
# margin -> (categories, population shares, online tilt, field tilt): online over-represents the
# young and the highly educated, field interviews lean the other way (as in the reference case).
MARGINS: dict[str, tuple[list[str], list[float], list[float], list[float]]] = {
    "sex": (["F", "M"], [0.52, 0.48], [0.9, 1.1], [1.2, 0.8]),
    "age_group": (["18-24", "25-34", "35-44", "45-54", "55-64", "65+"], [0.12, 0.2, 0.19, 0.17, 0.15, 0.17],
                  [1.3, 1.4, 1.1, 1.0, 0.7, 0.4], [0.8, 0.9, 1.0, 1.0, 1.2, 1.5]),
    "education": (["low", "mid", "high"], [0.3, 0.35, 0.35], [0.4, 1.0, 1.7], [1.8, 1.0, 0.5]),
    "municipality": ([f"m{i:02d}" for i in range(1, 20)], list(np.full(19, 1 / 19)), [1.0] * 19, [1.0] * 19),
    "nationality_group": (["be", "eu", "non_eu"], [0.6, 0.25, 0.15], [1.1, 1.2, 0.5], [0.8, 0.9, 1.6]),
}  # fmt: skip
LIKERT = [str(k) for k in range(1, 6)]
OPINIONS, MULTIS, NUMBERS, TEXTS = 16, 4, 3, 2  # + 5 margins = 30 questions


def _labels(text_: str) -> dict[str, str]:
    return {"fr": f"{text_} (fr)", "nl": f"{text_} (nl)", "en": text_}


def questionnaire() -> Questionnaire:
    """A 30-question form: the 5 margins, 16 Likert items, 4 multi-selects, 3 numbers, 2 comments."""
    choices = {m: tuple(Choice(c, _labels(f"{m} {c}")) for c in cats) for m, (cats, *_) in MARGINS.items()}
    choices["likert"] = tuple(Choice(c, _labels(f"Level {c}")) for c in LIKERT)
    choices["reasons"] = tuple(Choice(f"r{k}", _labels(f"Reason {k}")) for k in range(1, 7))
    qs = [Question(m, QuestionType.SELECT_ONE, _labels(m), choice_list=m) for m in MARGINS]
    qs += [Question(f"op{k:02d}", QuestionType.SELECT_ONE, _labels(f"Opinion {k}"), choice_list="likert")
           for k in range(1, OPINIONS + 1)]  # fmt: skip
    qs += [Question(f"mu{k}", QuestionType.SELECT_MULTIPLE, _labels(f"Reasons {k}"), choice_list="reasons")
           for k in range(1, MULTIS + 1)]  # fmt: skip
    qs += [Question(f"nu{k}", QuestionType.INTEGER, _labels(f"Trust {k}")) for k in range(1, NUMBERS + 1)]
    qs += [Question(f"tx{k}", QuestionType.TEXT, _labels(f"Comment {k}")) for k in range(1, TEXTS + 1)]
    return Questionnaire("bench", _labels("Bench consultation"), "1", "fr", LANGS,
                         (Page("all", _labels("All"), questions=tuple(qs)),), choices)  # fmt: skip


def synthetic(n: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Responses (id, mode, language) and their answers in long form, as the store keeps them."""
    rng = np.random.default_rng(seed)
    mode = np.where(rng.random(n) < 0.9, "online", "field")
    codes: dict[str, np.ndarray] = {}
    for name, (_cats, shares, on, fi) in MARGINS.items():
        drawn = np.empty(n, dtype=np.int64)
        for label, tilt in (("online", on), ("field", fi)):
            p = np.asarray(shares) * np.asarray(tilt)
            rows = mode == label
            drawn[rows] = rng.choice(len(p), size=int(rows.sum()), p=p / p.sum())
        codes[name] = drawn
    ids = np.arange(1, n + 1)
    parts = [pl.DataFrame({"response_id": ids, "question": m, "position": 0, "value_text": np.asarray(c)[codes[m]]})
             for m, (c, *_) in MARGINS.items()]  # fmt: skip
    lean = 0.5 * codes["education"] + 0.2 * codes["age_group"] - 0.3 * (codes["nationality_group"] == 2)
    for k in range(1, OPINIONS + 1):
        latent = lean * (1 if k % 2 else -0.6) + rng.normal(0, 1.2, n)
        answer = np.clip(np.digitize(latent, [-1.2, -0.4, 0.4, 1.2]), 0, 4)
        keep = rng.random(n) > 0.05
        parts.append(pl.DataFrame({"response_id": ids[keep], "question": f"op{k:02d}", "position": 0,
                                   "value_text": np.asarray(LIKERT)[answer[keep]]}))  # fmt: skip
    for k in range(1, MULTIS + 1):
        chosen = rng.random((n, 6)) < (0.15 + 0.1 * codes["education"][:, None] * np.linspace(0, 1, 6))
        chosen &= (rng.random(n) < 0.9)[:, None]
        rows, cols = np.nonzero(chosen)
        parts.append(pl.DataFrame({"response_id": ids[rows], "question": f"mu{k}", "position": cols,
                                   "value_text": np.asarray([f"r{c}" for c in range(1, 7)])[cols]}))  # fmt: skip
    frame = pl.concat(parts, how="vertical_relaxed").with_columns(
        pl.lit(None, dtype=pl.Float64).alias("value_number")
    )
    numbers = [pl.DataFrame({"response_id": ids, "question": f"nu{k}", "position": 0, "value_text": None,
                             "value_number": np.clip(np.round(5 + lean + rng.normal(0, 2, n)), 0, 10)})
               for k in range(1, NUMBERS + 1)]  # fmt: skip
    texts = []
    for k in range(1, TEXTS + 1):
        wrote = rng.random(n) < 0.02
        texts.append(pl.DataFrame({"response_id": ids[wrote], "question": f"tx{k}", "position": 0,
                                   "value_text": [f"Comment <b>{i}</b> & more" for i in ids[wrote]]}))  # fmt: skip
    answers = pl.concat([frame, *numbers, *texts], how="diagonal_relaxed")
    responses = pl.DataFrame({"id": ids, "mode": mode, "language": rng.choice(list(LANGS), n)})
    return responses, answers


def _copy(raw: Any, table: str, frame: pl.DataFrame) -> None:
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="")
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN (FORMAT csv)") as copy:  # fmt: skip
        copy.write(buffer.getvalue())


def load(url: str, n: int) -> None:
    """Consultation, version and targets through the services; responses and answers by COPY."""
    form = questionnaire()
    factory = session_factory(make_engine(url))
    with transaction(factory) as session:
        service = ConsultationService(session)
        consultation = service.create(SLUG, form.title, actor="bench", organiser="Bench Region (synthetic)")
        version = service.add_version(consultation, form, source_name="bench", actor="bench").version
        rows = [TargetRow(m, c, float(s)) for m, (cats, shares, *_) in MARGINS.items()
                for c, s in zip(cats, shares, strict=True)]  # fmt: skip
        TargetService(session).add(consultation, rows, form, actor="bench", label="Synthetic census",
                                   source="bench/report.py", population=1_000_000.0)  # fmt: skip
        ids = (consultation.id, version.id)
    responses, answers = synthetic(n)
    now = "2026-11-01 12:00:00+00"
    responses = responses.with_columns(
        pl.Series("uuid", [str(uuid.uuid4()) for _ in range(n)]), consultation_id=pl.lit(ids[0]),
        questionnaire_version_id=pl.lit(ids[1]), easy_read=pl.lit(value=False), status=pl.lit("complete"),
        submitted_at=pl.lit(now), received_at=pl.lit(now), content_hash=pl.lit("0" * 64),
    )  # fmt: skip
    engine = make_engine(url)
    raw = engine.raw_connection().driver_connection
    _copy(raw, "responses", responses)
    _copy(raw, "answers", answers)
    with raw.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('responses', 'id'), %s)", (n,))
        cursor.execute("ANALYZE responses; ANALYZE answers")
    raw.commit()
    raw.close()
    engine.dispose()


@contextmanager
def database(server: str) -> Iterator[str]:
    """A fresh database on the server, dropped afterwards whatever happens."""
    name = f"bench_report_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed(rows: list[tuple[str, float]], name: str, fn: Callable[[], T]) -> T:
    start = time.perf_counter()
    value = fn()
    rows.append((name, time.perf_counter() - start))
    print(f"  {name:<36} {rows[-1][1]:>8.3f}", file=sys.stderr, flush=True)
    return value


def public_page(url: str, snapshot_path: str, requests: int) -> list[float]:
    """Serve the real app with uvicorn in a thread and time GETs of the public page (ms)."""
    settings = load_settings({"DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(24),
                              "SURVEY_DATA_DIR": tempfile.mkdtemp(prefix="bench-report-"), "LOG_LEVEL": "WARNING"})  # fmt: skip
    with socket_port() as port:
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    times = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for lang in ("fr", *(["fr", "nl", "en"] * requests)):
                start = time.perf_counter()
                response = client.get(f"{snapshot_path}?lang={lang}")
                times.append(1000 * (time.perf_counter() - start))
                response.raise_for_status()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return times


@contextmanager
def socket_port() -> Iterator[int]:
    import socket  # noqa: PLC0415 - only here

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    yield port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server URL; the bench makes and drops a database of its own there",
    )
    parser.add_argument("--n", type=int, default=100_000, help="responses to generate and report on")
    parser.add_argument("--requests", type=int, default=10, help="public page requests per language")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF render (the slowest step)")
    args = parser.parse_args()
    rows: list[tuple[str, float]] = []
    with database(args.server) as url:
        timed(rows, "setup: migrate (Alembic)", lambda: migrate.upgrade(url))
        timed(rows, "setup: COPY responses+answers", lambda: load(url, args.n))
        factory = session_factory(make_engine(url))
        spec = WeightingSpec()
        with factory() as session:
            context = timed(rows, "load into a frame", lambda: load_context(session, SLUG))
            data = timed(rows, "prepare (multi-select dummies)", lambda: prepare_data(context))
            design = timed(
                rows,
                "weight (rake, 5 margins)",
                lambda: weight(data, context.targets, spec, context.population),
            )
            analysis = timed(
                rows, "estimate all questions + SEs", lambda: analyse(context, spec, data, design)
            )
            audit = timed(rows, "bias audit + mode effects", lambda: bias_audit(context, analysis))
            html = timed(rows, "render HTML report", lambda: render_report(context, analysis, audit))
            out = Path(tempfile.mkdtemp(prefix="bench-report-")) / "report.pdf"
            if not args.no_pdf:
                timed(rows, "render PDF report (WeasyPrint)", lambda: write_pdf(html, out))
            full = time.perf_counter()
            html = timed(rows, "full report HTML (end to end)", lambda: report_html(session, SLUG, spec))
            if not args.no_pdf:
                write_pdf(html, out)
                rows.append(("full report HTML+PDF (end to end)", time.perf_counter() - full))
        with transaction(factory) as session:
            snap = timed(rows, "freeze + publish snapshot", lambda: snapshots.create_snapshot(
                session, context, analysis, actor="bench", actor_id=None, publish=True))  # fmt: skip
            path = f"/results/{SLUG}/{snap.id}"
        pages = public_page(url, path, args.requests)
        factory.kw["bind"].dispose()
    print(f"n = {args.n:,} responses ({analysis.n}), 30 questions, {len(html) / 1e6:.1f} MB HTML, "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'step':<36} {'seconds':>8}")
    for name, seconds in rows:
        print(f"{name:<36} {seconds:>8.3f}")
    warm = pages[1:]
    print(f"public page: first {pages[0]:.0f} ms; then {len(warm)} requests p50 "
          f"{statistics.median(warm):.0f} ms, max {max(warm):.0f} ms (goal < 200 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
