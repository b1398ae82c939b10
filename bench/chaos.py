"""Acknowledged = stored under chaos: 50 clients submit while workers die and database connections drop.

    .venv/bin/python bench/chaos.py --clients 50 --duration 30 --workers 2

Creates a throw-away PostgreSQL database (from TEST_POSTGRES_URL, like the tests), imports the demo
form and starts ``survey serve --workers N`` (the production command). N client threads then post
complete responses, each with a fresh client UUID, and retry what was not acknowledged (a broken
connection, a 5xx) with the **same** UUID until the server acknowledges it, as the citizen pages and
the tablets do. Meanwhile, at a third, half and two thirds of the run:

1. a worker is killed with SIGKILL (the server replaces it);
2. every connection the server holds to PostgreSQL is cut with ``pg_terminate_backend``, what a
   database restart does to it (the PostgreSQL server itself is never restarted: other work uses it);
3. both at once.

At the end it prints: ``acknowledged`` (UUIDs the server answered 200/201 for), ``stored`` (of those,
how many are in the table), ``doubled`` (UUIDs stored more than once), ``lost`` (acknowledged but not
stored), and ``stored unacknowledged`` (in the table though no client got an answer for it: a client
always retries until it does, so this must be 0 too). The exit code is 1 unless doubled = lost = 0.
Rate limiting is off (SURVEY_RATE_LIMIT=0: every client comes from one address).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from submissions import (  # noqa: E402  (the throughput bench's database and server helpers)
    ANSWERS,
    POSTGRES_URL,
    SLUG,
    create_database,
    drop_database,
    free_port,
    prepare,
    wait_listening,
    wait_ready,
)


@dataclass
class Tally:
    """What the clients saw; guarded by ``lock`` (client threads write, the main thread reads)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: dict[str, int] = field(default_factory=dict)
    acknowledged_at: list[float] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)
    attempts: int = 0
    retries: int = 0
    network_errors: int = 0
    server_errors: int = 0


def workers_of(pid: int) -> list[int]:
    """The worker processes of ``survey serve`` (children running multiprocessing's spawn_main)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
        if parent == pid and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return sorted(found)


def listening_workers(server_pid: int, port: int) -> int:
    """How many workers hold a listening socket on ``port`` (read from /proc: a replacement binds its
    socket only once it has built the app, so this says when it can take connections)."""
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                listening.add(fields[9])  # the socket's inode
    count = 0
    for pid in workers_of(server_pid):
        try:
            links = {str(f.readlink()) for f in Path(f"/proc/{pid}/fd").iterdir()}
        except OSError:
            continue
        count += any(f"socket:[{inode}]" in links for inode in listening)
    return count


def cut_connections(database: str) -> int:
    """Terminate every backend connected to the bench database (never the server, never other databases)."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        cut = connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": database},
        ).all()
    admin.dispose()
    return len(cut)


def post_once(port: int, body: bytes, connection: list[http.client.HTTPConnection | None]) -> int:
    """One POST on the client's keep-alive connection (made again after an error); the status."""
    if connection[0] is None:
        connection[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn = connection[0]
    try:
        conn.request(
            "POST", f"/api/consultations/{SLUG}/responses", body, {"Content-Type": "application/json"}
        )
        reply = conn.getresponse()
        reply.read()
        return reply.status
    except (OSError, http.client.HTTPException):
        conn.close()
        connection[0] = None
        raise


def client(port: int, version_id: int, stop: threading.Event, give_up: float, tally: Tally) -> None:
    """Submit responses until ``stop``; each one is retried with its UUID until acknowledged."""
    connection: list[http.client.HTTPConnection | None] = [None]
    while not stop.is_set():
        response_uuid = str(uuid.uuid4())
        body = json.dumps(
            {"uuid": response_uuid, "version_id": version_id, "language": "fr", "answers": ANSWERS}
        ).encode()
        first = True
        while True:
            if time.monotonic() > give_up:
                return  # the UUID stays unacknowledged; the summary counts what is stored anyway
            with tally.lock:
                tally.attempts += 1
                tally.retries += 0 if first else 1
            first = False
            try:
                status = post_once(port, body, connection)
            except (OSError, http.client.HTTPException):
                with tally.lock:
                    tally.network_errors += 1
                time.sleep(0.05)
                continue
            if status in (200, 201):
                with tally.lock:
                    tally.acknowledged[response_uuid] = status
                    tally.acknowledged_at.append(time.monotonic())
                break
            if status >= 500:
                with tally.lock:
                    tally.server_errors += 1
                time.sleep(0.05)
                continue
            with tally.lock:
                tally.refused[response_uuid] = status  # a 4xx is an answer: not retried
            break


def watch_listening(server_pid: int, port: int, stop: threading.Event, start: float, log: list[str]) -> None:
    """Log each change in the number of workers that listen, to show how long a replacement takes."""
    last = listening_workers(server_pid, port)
    while not stop.wait(0.2):
        now = listening_workers(server_pid, port)
        if now != last:
            log.append(f"{time.monotonic() - start:5.1f}s {now} worker(s) listening")
            last = now


def chaos(
    server: subprocess.Popen[str], database: str, duration: float, log: list[str], start: float
) -> None:
    """Kill a worker, cut the database connections, then both, spread over the run."""

    def at(fraction: float) -> None:
        time.sleep(max(0.0, start + duration * fraction - time.monotonic()))

    def kill() -> None:
        workers = workers_of(server.pid)
        if workers:
            os.kill(workers[0], signal.SIGKILL)
        log.append(
            f"{time.monotonic() - start:5.1f}s SIGKILL worker {workers[0] if workers else '(none found)'}"
        )

    def cut() -> None:
        log.append(
            f"{time.monotonic() - start:5.1f}s pg_terminate_backend: {cut_connections(database)} connections"
        )

    at(1 / 3)
    kill()
    at(1 / 2)
    cut()
    at(2 / 3)
    kill()
    cut()


def stored_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT uuid, count(*) FROM responses GROUP BY uuid")).all()
    engine.dispose()
    return {str(u): int(n) for u, n in rows}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (threads)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of new submissions")
    parser.add_argument(
        "--workers", type=int, default=2, help="server worker processes (survey serve --workers)"
    )
    parser.add_argument("--grace", type=float, default=120.0, help="seconds after the run to finish retries")
    args = parser.parse_args()

    name, url = create_database()
    server = None
    tally, log = Tally(), []
    try:
        version_id = prepare(url)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(32),
               "SURVEY_RATE_LIMIT": "0", "LOG_LEVEL": "ERROR"}  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "survey", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(args.workers)],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        wait_listening(server, args.workers)
        output = server.stdout
        threading.Thread(
            target=lambda: [None for _ in output or ()], daemon=True
        ).start()  # never a full pipe
        wait_ready(f"http://127.0.0.1:{port}", server)
        stop = threading.Event()
        give_up = time.monotonic() + args.duration + args.grace
        threads = [
            threading.Thread(target=client, args=(port, version_id, stop, give_up, tally), daemon=True)
            for _ in range(args.clients)
        ]
        watching = threading.Event()
        started = time.monotonic()
        watcher = threading.Thread(
            target=watch_listening, args=(server.pid, port, watching, started, log), daemon=True
        )
        watcher.start()
        for thread in threads:
            thread.start()
        chaos(server, make_url(url).database or name, args.duration, log, started)
        time.sleep(max(0.0, args.duration - args.duration * 2 / 3))
        stop.set()
        for thread in threads:
            thread.join(timeout=args.grace + 30)
        watching.set()
        watcher.join(timeout=5)
        alive = server.poll() is None
        workers_after = len(workers_of(server.pid))
        counts = stored_counts(url)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_database(name)

    with tally.lock:
        acknowledged = set(tally.acknowledged)
        refused = dict(tally.refused)
        moments = sorted(tally.acknowledged_at)
    gap, gap_start = max(((b - a, a) for a, b in pairwise(moments)), default=(0.0, started))
    stored = acknowledged & set(counts)
    doubled = sorted(u for u, n in counts.items() if n > 1)
    lost = acknowledged - set(counts)
    unacknowledged = set(counts) - acknowledged - set(refused)
    print(f"workers={args.workers} clients={args.clients} duration={args.duration:.0f}s")
    for line in sorted(log, key=lambda entry: float(entry.split("s ", 1)[0])):
        print(f"chaos              {line}")
    print(f"server alive       {alive} ({workers_after} workers at the end)")
    print(f"attempts           {tally.attempts} (retries {tally.retries}, network errors {tally.network_errors}, "
          f"5xx {tally.server_errors}, refused 4xx {len(refused)})")  # fmt: skip
    print(f"longest pause      {gap:.1f}s without any acknowledgement, from {gap_start - started:.1f}s")
    print(f"acknowledged       {len(acknowledged)}")
    print(f"stored             {len(stored)}")
    print(f"doubled            {len(doubled)}")
    print(f"lost               {len(lost)}")
    print(f"stored unacknowledged {len(unacknowledged)}")
    return 0 if not doubled and not lost and not unacknowledged and not refused else 1


if __name__ == "__main__":
    raise SystemExit(main())
