"""Online submission throughput: the real app on PostgreSQL, driven from another process.

    .venv/bin/python bench/submissions.py --clients 16 --duration 20 --workers 2

Creates a throw-away PostgreSQL database (from TEST_POSTGRES_URL, like the tests), imports the
demo form, starts ``survey serve --workers N`` (the production command) in a subprocess and waits
until it says every worker listens (its ``ready:`` line), then a separate
driver process runs N concurrent clients posting complete responses (client-generated UUIDs,
one retry with the same UUID on a network error) for a fixed time. It prints throughput,
p50/p99 latency and ``acknowledged - stored``, which must be 0: every acknowledged response is
in the table, exactly once. Rate limiting is switched off (SURVEY_RATE_LIMIT=0): one address.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import uvloop
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from survey.demo.form import FORM_XLSX  # noqa: E402
from survey.questionnaire.xlsform import load_xlsform  # noqa: E402
from survey.store import migrate  # noqa: E402
from survey.store.db import make_engine, session_factory, transaction  # noqa: E402
from survey.store.services.consultations import ConsultationService  # noqa: E402

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SLUG = "bench"
ANSWERS = {
    "sex": "F", "age_group": "25-34", "municipality": "ixelles", "education": "high",
    "nationality_group": "belgian", "years_in_brussels": 7, "merge_municipalities": "disagree",
    "merge_why_not": ["identity", "other"], "merge_why_not_other": "history", "level_police": "region",
    "level_social_aid": "municipality", "level_housing": "region", "level_mobility": "region",
    "trust_municipality": 6, "trust_region": 5, "trust_federal": 3, "simpler_institutions": "agree",
    "more_participation": "strongly_agree", "comment": "bench",
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def create_database() -> tuple[str, str]:
    name = f"bench_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(name: str) -> None:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def prepare(url: str) -> int:
    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        service = ConsultationService(session)
        consultation = service.create(SLUG, {"en": "Bench"}, actor="bench")
        questionnaire = load_xlsform(FORM_XLSX).questionnaire
        version_id = service.add_version(
            consultation, questionnaire, source_name="bench", actor="bench"
        ).version.id
    engine.dispose()
    return version_id


def count_rows(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT count(*) FROM responses WHERE status = 'complete'")
        ).scalar_one()
    engine.dispose()
    return int(stored)


class _Protocol(asyncio.Protocol):
    """Reads HTTP/1.1 responses off one keep-alive connection and hands each status to the waiter."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[int] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        status_line, *header_lines = bytes(self.buffer[:end]).split(b"\r\n")
        length = 0
        for line in header_lines:
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        if len(self.buffer) < end + 4 + length:
            return
        status = int(status_line.split(b" ", 2)[1])
        del self.buffer[: end + 4 + length]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(status)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed"))


class _Connection:
    """A bare HTTP/1.1 keep-alive connection on a protocol object: httpx, and even asyncio streams,
    cost more CPU per request than the server does, and on a 2-core machine the load generator's
    CPU is taken from the server it measures."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.protocol: _Protocol | None = None

    async def post(self, path: str, body: bytes, timeout: float) -> int:
        loop = asyncio.get_running_loop()
        if self.protocol is None or self.protocol.transport is None or self.protocol.transport.is_closing():
            _, self.protocol = await loop.create_connection(_Protocol, self.host, self.port)
        protocol = self.protocol
        assert protocol.transport is not None
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()  # fmt: skip
        protocol.waiter = loop.create_future()
        protocol.transport.write(head + body)
        return await asyncio.wait_for(protocol.waiter, timeout)

    def close(self) -> None:
        if self.protocol is not None and self.protocol.transport is not None:
            self.protocol.transport.close()
        self.protocol = None


async def _client(host: str, port: int, path: str, version_id: int, until: float, out: dict) -> None:
    connection = _Connection(host, port)
    # The body is the same but for the UUID: build it from two halves rather than encode JSON each time.
    head, tail = (
        json.dumps({"uuid": "\0", "version_id": version_id, "language": "en", "answers": ANSWERS})
        .encode()
        .split(b"\\u0000")
    )
    while time.monotonic() < until:
        response_uuid = str(uuid.uuid4())
        body = head + response_uuid.encode() + tail
        for attempt in range(2):
            started = time.perf_counter()
            try:
                status = await connection.post(path, body, timeout=30)
            except (TimeoutError, OSError, ValueError, IndexError):
                connection.close()
                out["network_errors"] += 1
                if attempt == 0:
                    continue  # the same UUID again: the server must not store it twice
                break
            out["latencies"].append(time.perf_counter() - started)
            if status in (200, 201):
                out["acknowledged"].add(response_uuid)
            else:
                out["refused"][str(status)] = out["refused"].get(str(status), 0) + 1
            break
    connection.close()


async def _drive(base: str, version_id: int, clients: int, duration: float) -> dict:
    out: dict = {"latencies": [], "acknowledged": set(), "refused": {}, "network_errors": 0}
    url = httpx.URL(base)
    host, port = url.host, int(url.port or 80)
    until = time.monotonic() + duration
    started = time.monotonic()
    path = f"/api/consultations/{SLUG}/responses"
    await asyncio.gather(*(_client(host, port, path, version_id, until, out) for _ in range(clients)))
    out["elapsed"] = time.monotonic() - started
    out["acknowledged"] = len(out["acknowledged"])
    return out


def driver(base: str, version_id: int, clients: int, duration: float, queue: mp.Queue) -> None:
    """Runs in its own process so the load generator does not share a GIL with anything measured."""
    # uvloop (which the server uses too) halves the driver's CPU per request, left for the server.
    queue.put(json.dumps(uvloop.run(_drive(base, version_id, clients, duration))))


def wait_listening(server: subprocess.Popen[str], workers: int, timeout: float = 120) -> None:
    """Wait for ``survey serve`` to say every worker listens.

    Connecting as soon as the first worker answers could put all keep-alive clients on it: the
    run would then measure one worker, whatever ``--workers`` says.
    """
    if workers < 2:
        return
    assert server.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if not line:
            raise RuntimeError("server exited during start-up")
        if line.startswith("ready:"):
            return
    raise RuntimeError("the workers did not all start listening")


def wait_ready(base: str, server: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("server exited during start-up")
        try:
            if httpx.get(f"{base}/api/consultations", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--clients", type=int, default=16, help="concurrent clients, each on one keep-alive connection"
    )
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of posting")
    parser.add_argument(
        "--workers", type=int, default=2, help="server worker processes (survey serve --workers)"
    )
    args = parser.parse_args()

    name, url = create_database()
    server = None
    try:
        version_id = prepare(url)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(32),
               "SURVEY_RATE_LIMIT": "0", "LOG_LEVEL": "WARNING"}  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "survey", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(args.workers)],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_listening(server, args.workers)
        wait_ready(base, server)
        queue: mp.Queue = mp.Queue()
        process = mp.Process(target=driver, args=(base, version_id, args.clients, args.duration, queue))
        process.start()
        result = json.loads(queue.get())
        process.join()
        stored = count_rows(url)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_database(name)

    latencies = sorted(result["latencies"])
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else float("nan")
    print(f"workers={args.workers} clients={args.clients} duration={result['elapsed']:.1f}s")
    print(f"requests           {len(latencies)}")
    print(f"throughput         {len(latencies) / result['elapsed']:.1f} responses/s")
    print(f"latency p50        {statistics.median(latencies) * 1000 if latencies else float('nan'):.1f} ms")
    print(f"latency p99        {p99 * 1000:.1f} ms")
    print(f"acknowledged       {result['acknowledged']}")
    print(f"stored (rows)      {stored}")
    print(f"acknowledged-stored {result['acknowledged'] - stored}")
    print(f"refused            {result['refused'] or 0}  network errors {result['network_errors']}")


if __name__ == "__main__":
    main()
