"""``survey serve``: run the web app with uvicorn, one process or several balanced by the kernel."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from types import FrameType

import typer

from survey.cli._common import DatabaseOption, database_url, fail, out
from survey.settings import get_settings
from survey.web import shared_counts
from survey.web.shared_counts import SharedTable

_APP = "survey.app:create_app"
_GATE_SECONDS = 120.0


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


class _Startup:
    """The workers open their sockets together, once every one of them has built the app.

    A socket opens the port to the kernel's spreading at once; a worker that opened its socket
    while a sibling was still importing took every connection made meanwhile, and keep-alive
    clients (a proxy's pool, a load test, tablets syncing) stayed on it for good: one busy core,
    one idle. A worker started again later finds the gate open and listens as soon as it is built.
    """

    def __init__(self, context: multiprocessing.context.SpawnContext) -> None:
        self._built = context.Value("i", 0)
        self._listening = context.Value("i", 0)
        self._gate = context.Event()

    def built(self) -> None:
        with self._built.get_lock():
            self._built.value += 1

    def wait_for_siblings(self, timeout: float = _GATE_SECONDS) -> None:
        self._gate.wait(timeout)  # a sibling that never builds must not keep the others closed

    def listening(self) -> None:
        with self._listening.get_lock():
            self._listening.value += 1

    def open_gate_when_built(self, workers: int, alive: Callable[[], bool], stop: threading.Event) -> None:
        """Open the gate once all are built, or one has died (the rest must serve), or on timeout."""
        deadline = time.monotonic() + _GATE_SECONDS
        while self._built.value < workers and alive() and time.monotonic() < deadline and not stop.is_set():
            time.sleep(0.05)
        self._gate.set()

    def all_listening(self, workers: int) -> bool:
        return bool(self._listening.value >= workers)


# No access log: it would write each client's address beside every request, and respondents stay
# anonymous (the app logs what it needs without addresses).
def _worker(host: str, port: int, counts: dict[str, SharedTable], startup: _Startup) -> None:
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
    config.load()
    startup.built()
    startup.wait_for_siblings()
    sock = _listening_socket(host, port)
    startup.listening()
    uvicorn.Server(config).run(sockets=[sock])


def _run_balanced(host: str, port: int, workers: int) -> None:
    """Start the workers, replace any that dies, stop them all on SIGINT or SIGTERM."""
    context = multiprocessing.get_context("spawn")
    try:
        _listening_socket(host, port).close()
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror}")
    counts = shared_counts.create_shared()  # a worker started again later counts on where it left off
    startup = _Startup(context)

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=_worker, args=(host, port, counts, startup), name="survey-worker")
        process.start()
        return process

    children = [start() for _ in range(workers)]
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    startup.open_gate_when_built(workers, lambda: all(child.is_alive() for child in children), stop)
    announced = False
    while not stop.wait(0.1 if not announced else 0.5):
        children = [child if child.is_alive() else start() for child in children]
        if not announced and startup.all_listening(workers):
            out.print(f"ready: {workers} workers listening")  # scripts and load tests wait for this line
            announced = True
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
