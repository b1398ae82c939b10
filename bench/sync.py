"""Field sync benchmark: 10,000 interviews queued on one device, synced to PostgreSQL.

Usage: ``.venv/bin/python -m bench.sync [--postgres URL] [--count 10000] [--batch 500]``
Creates (and drops) its own database, syncs in batches through the real app (in-process
TestClient), replays 10% of the batches as a tablet would after a lost acknowledgement, then
reports time, throughput, duplicates and lost interviews, and the size of the PWA shell.
"""

from __future__ import annotations

import argparse
import gzip
import secrets
import time
import uuid
from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from field_app.shell import ASSETS, STATIC
from survey.app import create_app
from survey.questionnaire.model import Questionnaire
from survey.settings import load_settings
from survey.store import migrate
from survey.store.db import make_engine, session_factory, transaction
from survey.store.models import Response, Role
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from survey.store.services.users import UserService

PASSWORD = "bench-pass-123"


def _q(name, type_, **extra):
    base = {"name": name, "type": type_, "labels": {"en": name}, "easy_labels": {}, "hints": {}, "required": False,
            "required_messages": {}, "constraint": None, "constraint_messages": {}, "relevant": None,
            "choice_list": None, "choice_filter": None, "appearance": None, "page": ""}  # fmt: skip
    base.update(extra)
    return base


FORM = {
    "form_id": "bench", "title": {"en": "Bench"}, "version": "1", "default_language": "en", "languages": ["en"],
    "easy_languages": [],
    "pages": [{"name": "p", "labels": {}, "relevant": None, "questions": [
        _q("sex", "select_one", required=True, choice_list="sex"),
        _q("age", "integer", required=True, constraint=". >= 16"),
        _q("votes", "select_one", choice_list="yn", relevant="${age} >= 18"),
        _q("comment", "text"),
    ]}],
    "choices": {"sex": [{"name": n, "labels": {"en": n}, "easy_labels": {}, "filters": {}} for n in "FM"],
                "yn": [{"name": n, "labels": {"en": n}, "easy_labels": {}, "filters": {}} for n in ("yes", "no")]},
}  # fmt: skip


def shell_size() -> tuple[int, int]:
    files = [STATIC / name for name in ASSETS] + [Path("survey/questionnaire/expressions.js")]
    raw = sum(f.stat().st_size for f in files)
    zipped = sum(len(gzip.compress(f.read_bytes())) for f in files)
    return raw, zipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        help="PostgreSQL URL the throw-away bench database is made beside",
    )
    parser.add_argument("--count", type=int, default=10_000, help="interviews the tablet uploads")
    parser.add_argument("--batch", type=int, default=500, help="interviews per sync request")
    args = parser.parse_args()
    name = f"bench_sync_{secrets.token_hex(4)}"
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        factory = session_factory(make_engine(url))
        with transaction(factory) as session:
            user = UserService(session).create("bench", PASSWORD, Role.INTERVIEWER, actor="bench")
            consultations = ConsultationService(session)
            consultation = consultations.create("bench", {"en": "Bench"}, actor="bench")
            version = consultations.add_version(
                consultation, Questionnaire.from_dict(FORM), source_name="bench", actor="bench"
            ).version
            assign(session, user, consultation, actor="bench")
            version_id = version.id
        settings = load_settings({"DATABASE_URL": url, "SURVEY_DATA_DIR": "/tmp", "SECRET_KEY": "b" * 32})
        items = [
            {"uuid": str(uuid.uuid4()), "consultation": "bench", "version_id": version_id, "language": "en",
             "answers": {"sex": "FM"[i % 2], "age": 16 + i % 60, "votes": "yes", "comment": f"c{i}"},
             "started_at": "2026-11-23T10:00:00Z", "submitted_at": "2026-11-23T10:05:00Z", "client_hash": f"h{i}"}
            for i in range(args.count)
        ]  # fmt: skip
        with TestClient(app=create_app(settings), timeout=600) as client:
            token = client.post("/field/api/login", json={"username": "bench", "password": PASSWORD}).json()[
                "token"
            ]
            headers = {"Authorization": f"Bearer {token}"}
            batches = [items[i : i + args.batch] for i in range(0, len(items), args.batch)]
            statuses: dict[str, int] = {}
            started = time.perf_counter()
            for number, batch in enumerate(batches):
                chunk = items[
                    number * 2000 : (number + 1) * 2000
                ]  # the manifest, in chunks as the tablet sends it
                body: dict[str, object] = {"items": batch, "manifest_append": number > 0}
                if chunk:
                    body["manifest"] = [{"uuid": i["uuid"], "client_hash": i["client_hash"]} for i in chunk]
                response = client.post("/field/api/sync", json=body, headers=headers)
                response.raise_for_status()
                for result in response.json()["results"]:
                    statuses[result["status"]] = statuses.get(result["status"], 0) + 1
            elapsed = time.perf_counter() - started
            replay_started = time.perf_counter()
            replayed = 0
            for batch in batches[::10]:
                results = client.post("/field/api/sync", json={"items": batch}, headers=headers).json()[
                    "results"
                ]
                replayed += sum(r["status"] == "duplicate" for r in results)
            replay_elapsed = time.perf_counter() - replay_started
        with factory() as session:
            stored = int(session.scalar(select(func.count(Response.id))) or 0)
            distinct = int(session.scalar(select(func.count(func.distinct(Response.uuid)))) or 0)
        raw, zipped = shell_size()
        print(f"interviews queued:        {args.count} in {len(batches)} batches of {args.batch}")
        print(f"sync time:                {elapsed:.1f} s ({args.count / elapsed:.0f} interviews/s)")
        print(f"results:                  {statuses}")
        print(f"replayed batches:         {replayed} duplicates acknowledged in {replay_elapsed:.1f} s")
        print(f"responses in store:       {stored} (distinct UUIDs {distinct})")
        print(f"duplicates stored:        {stored - distinct}")
        print(f"lost:                     {args.count - distinct}")
        print(f"app shell:                {raw / 1024:.1f} KiB raw, {zipped / 1024:.1f} KiB gzipped")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
