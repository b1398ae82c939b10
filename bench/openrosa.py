"""ODK Collect's form list and form download, with the XForm built on every request and cached.

    .venv/bin/python bench/openrosa.py [--questions 500] [--repeat 30]

Imports a generated XLSForm (the one ``bench/xlsform_import.py`` writes: three languages, groups of
20 questions with relevants, constraints and calculations) and the WHO verbal-autopsy form of the
test corpus into a SQLite store, assigns an interviewer, and times what Collect does when it checks
for forms: ``GET formList`` then ``GET form.xml`` (HTTP Basic, through the whole app). "uncached"
empties the XForm cache before each request, which is what every request cost before the cache
(pyxform's whole pass each time); "cached" is the steady state. Prints the median and the 90th
percentile of each, in milliseconds.
"""

from __future__ import annotations

import argparse
import base64
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from litestar.testing import TestClient  # noqa: E402

import survey.store.models  # noqa: E402, F401  (every mapped table)
from bench.xlsform_import import REAL_FORM, build  # noqa: E402
from field_app.openrosa.xform import clear_xform_cache  # noqa: E402
from survey.app import create_app  # noqa: E402
from survey.questionnaire.xlsform import load_xlsform  # noqa: E402
from survey.settings import load_settings  # noqa: E402
from survey.store import migrate  # noqa: E402
from survey.store.db import make_engine, session_factory, transaction  # noqa: E402
from survey.store.models import Role  # noqa: E402
from survey.store.services.consultations import ConsultationService  # noqa: E402
from survey.store.services.field_assignments import assign  # noqa: E402
from survey.store.services.users import UserService  # noqa: E402

PASSWORD = "bench-pass-123"
AUTH = {
    "Authorization": "Basic " + base64.b64encode(f"collector:{PASSWORD}".encode()).decode(),
    "X-OpenRosa-Version": "1.0",
}


def _store(url: str, forms: dict[str, Path]) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        collector = UserService(session).create("collector", PASSWORD, Role.INTERVIEWER, actor="bench")
        service = ConsultationService(session)
        for slug, path in forms.items():
            consultation = service.create(slug, {"en": slug}, actor="bench")
            questionnaire = load_xlsform(path).questionnaire
            service.add_version(consultation, questionnaire, source_name=path.name, actor="bench")
            assign(session, collector, consultation, actor="bench")
    engine.dispose()


def _timed(call: Callable[[], None], repeat: int, *, cold: bool) -> list[float]:
    times = []
    for _ in range(repeat):
        if cold:
            clear_xform_cache()  # what every request met before the cache
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _row(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"| {label:<42} | {statistics.median(times):>9.1f} | {p90:>9.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        forms = {"generated": build(base / "generated.xlsx", args.questions), "whova": REAL_FORM}
        url = f"sqlite:///{base / 'bench.sqlite3'}"
        _store(url, forms)
        settings = load_settings(
            {"DATABASE_URL": url, "SURVEY_DATA_DIR": folder, "SECRET_KEY": "bench-secret-0123456789"}
        )
        print("| request (ms)                               |    median |       p90 |")
        print("| --- | ---: | ---: |")
        with TestClient(app=create_app(settings)) as client:
            for slug in forms:

                def form_list(slug: str = slug) -> None:
                    assert client.get(f"/openrosa/{slug}/formList", headers=AUTH).status_code == 200

                def download(slug: str = slug) -> None:
                    assert client.get(f"/openrosa/{slug}/form.xml", headers=AUTH).status_code == 200

                def both(cold: bool) -> Callable[[], None]:
                    def list_then_download() -> None:
                        form_list()
                        if cold:
                            clear_xform_cache()  # the download built it again too
                        download()

                    return list_then_download

                both(cold=False)()  # warm the app (first connection, imports)
                for state, cold in (("uncached", True), ("cached", False)):
                    for label, call in (("formList", form_list), ("form.xml", download),
                                        ("formList + form.xml", both(cold))):  # fmt: skip
                        print(_row(f"{slug}: {label}, {state}", _timed(call, args.repeat, cold=cold)))


if __name__ == "__main__":
    main()
