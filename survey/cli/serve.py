"""``survey serve``: run the web app with uvicorn, one process or several balanced by the kernel."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
from types import FrameType

import typer

from survey.cli._common import DatabaseOption, database_url, fail, out
from survey.settings import get_settings
from survey.web import shared_counts
from survey.web.shared_counts import SharedTable

_APP = "survey.app:create_app"


def run_server(url: str, host: str | None, port: int | None, workers: int = 1) -> None:
    """Serve the app factory; the URL goes through the environment so every worker sees it."""
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    out.print(f"serving on http://{host}:{port}/  (API docs: http://{host}:{port}/schema)")
    if workers > 1 and hasattr(socket, "SO_REUSEPORT"):
        _run_balanced(host, port, workers)
        return
    import uvicorn  # noqa: PLC0415

    uvicorn.run(
        _APP, factory=True, host=host, port=port, workers=workers, log_level="warning", access_log=False
    )


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


# No access log: it would write each client's address beside every request, and respondents stay
# anonymous (the app logs what it needs without addresses).
def _worker(host: str, port: int, counts: dict[str, SharedTable]) -> None:
    """One worker with a listening socket of its own on the shared port.

    With one socket shared by every worker (uvicorn's ``--workers``), whichever worker wakes
    first accepts a whole burst of connections, and long-lived keep-alive clients (tablets
    syncing, a proxy's pool) then all load one process while the others idle. SO_REUSEPORT
    gives each worker its own queue and lets the kernel spread new connections across them.
    Rate limits and login throttles count in ``counts``, memory every worker shares.
    """
    import uvicorn  # noqa: PLC0415

    shared_counts.attach(counts)

    config = uvicorn.Config(_APP, factory=True, log_level="warning", access_log=False)
    # The app is built before the socket opens: a worker still importing would otherwise get its
    # share of new connections from the kernel and leave them waiting (a restart, a slow start).
    config.load()
    uvicorn.Server(config).run(sockets=[_listening_socket(host, port)])


def _run_balanced(host: str, port: int, workers: int) -> None:
    """Start the workers, replace any that dies, stop them all on SIGINT or SIGTERM."""
    context = multiprocessing.get_context("spawn")
    try:
        _listening_socket(host, port).close()
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror}")

    counts = shared_counts.create_shared()  # a worker started again later counts on where it left off

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=_worker, args=(host, port, counts), name="survey-worker")
        process.start()
        return process

    children = [start() for _ in range(workers)]
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    while not stop.wait(0.5):
        children = [child if child.is_alive() else start() for child in children]
    for child in children:
        child.terminate()  # uvicorn shuts down gracefully on SIGTERM: queued responses are written
    for child in children:
        child.join(30)


def serve(
    host: str | None = typer.Option(None, help="Interface to listen on (default SURVEY_HOST or 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default SURVEY_PORT or 8000)."),
    workers: int = typer.Option(1, min=1, help="Worker processes (balanced by the kernel on Linux)."),
    database: str | None = DatabaseOption,
) -> None:
    """Run the web app (citizen pages, field app, analyst API)."""
    run_server(database_url(database), host, port, workers)
