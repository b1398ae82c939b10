"""``survey serve``: run the web app with uvicorn, one process or several balanced by the kernel."""

from __future__ import annotations

import multiprocessing
import os
import secrets
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from types import FrameType

import typer

from survey.cli._common import DatabaseOption, database_url, fail, out, say_error, say_unexpected
from survey.settings import get_settings
from survey.web import shared_counts
from survey.web.shared_counts import SharedTable

_APP = "survey.app:create_app"
_START_SECONDS = 120.0
_YOUNG_SECONDS = 60.0  # a worker dying sooner than this after its start is restarted ever more slowly
_MAX_RESTART_DELAY = 60.0


def run_server(url: str, host: str | None, port: int | None, workers: int = 1) -> None:
    """Serve the app factory; the URL goes through the environment so every worker sees it."""
    os.environ["DATABASE_URL"] = url
    development = os.environ.get("SURVEY_ENV", "development") != "production"
    if not os.environ.get("SECRET_KEY") and workers > 1 and development:
        # Each worker would otherwise make its own development key, and a form signed by one worker
        # would be refused by the next (3 of 4 consent posts failed with --workers 4): the parent makes
        # one and the workers inherit it. Production still has to set SECRET_KEY itself.
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(32)
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

    def wait_for_siblings(self) -> None:
        self._gate.wait(_START_SECONDS)  # the parent gives up on a sibling that never builds

    def listening(self) -> None:
        with self._listening.get_lock():
            self._listening.value += 1

    def open_gate_when_all_built(self, workers: int) -> None:
        if self._built.value >= workers:
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
    try:
        config.load()
    except Exception as exc:
        say_unexpected("a worker could not build the app", exc)
        sys.exit(1)
    startup.built()
    startup.wait_for_siblings()
    sock = _listening_socket(host, port)
    startup.listening()
    uvicorn.Server(config).run(sockets=[sock])


class _Workers:
    """The worker processes: started together, replaced when one dies (ever more slowly if they
    keep dying young), stopped together."""

    def __init__(self, start: Callable[[], BaseProcess], workers: int) -> None:
        self._start = start
        self.children = [start() for _ in range(workers)]
        self._started = [time.monotonic()] * workers
        self._delay = [1.0] * workers  # the least time between a start and the next in the same slot

    def dead_exit_code(self) -> int | None:
        """The exit code of a worker that has died, if any has."""
        return next((child.exitcode for child in self.children if not child.is_alive()), None)

    def replace_dead(self) -> None:
        now = time.monotonic()
        for slot, child in enumerate(self.children):
            if child.is_alive() or now < self._started[slot] + self._delay[slot]:
                continue
            say_error(f"a worker exited (code {child.exitcode}); starting another")
            young = now - self._started[slot] < _YOUNG_SECONDS
            self._delay[slot] = min(_MAX_RESTART_DELAY, self._delay[slot] * 2) if young else 1.0
            self.children[slot] = self._start()
            self._started[slot] = now

    def stop(self) -> None:
        for child in self.children:
            child.terminate()  # uvicorn shuts down gracefully on SIGTERM: queued responses are written
        for child in self.children:
            child.join(30)
            if child.is_alive():
                child.kill()
                child.join(5)


def _run_balanced(host: str, port: int, workers: int) -> None:
    """Start the workers, replace any that dies, stop them all on SIGINT or SIGTERM.

    A worker that dies before all listen ends the start-up with exit 1: the reason is in its
    output above, and starting it again would only print the same error forever.
    """
    context = multiprocessing.get_context("spawn")
    try:
        _listening_socket(host, port).close()
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror}")
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    with tempfile.TemporaryDirectory(prefix="survey-serve-") as lock_dir:
        counts = shared_counts.create_shared(lock_dir)  # a worker started again counts on where it left off
        startup = _Startup(context)

        def start() -> BaseProcess:
            process = context.Process(
                target=_worker, args=(host, port, counts, startup), name="survey-worker"
            )
            process.start()
            return process

        pool = _Workers(start, workers)
        try:
            problem = _start_up(pool, startup, workers, stop)
            if problem is None and not stop.is_set():
                out.print(f"ready: {workers} workers listening")  # scripts and load tests wait for this line
                while not stop.wait(0.5):
                    pool.replace_dead()
        finally:
            pool.stop()
    if problem:
        fail(problem, 1)


def _start_up(pool: _Workers, startup: _Startup, workers: int, stop: threading.Event) -> str | None:
    """Wait until every worker listens; what went wrong otherwise (None when stopped or all listen)."""
    deadline = time.monotonic() + _START_SECONDS
    while not stop.wait(0.05):
        code = pool.dead_exit_code()
        if code is not None:
            return f"a worker exited during start-up (code {code}); its error is above"
        startup.open_gate_when_all_built(workers)
        if startup.all_listening(workers):
            return None
        if time.monotonic() > deadline:
            return f"the workers did not all start within {_START_SECONDS:.0f} s"
    return None


def serve(
    host: str | None = typer.Option(None, help="Interface to listen on (default SURVEY_HOST or 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default SURVEY_PORT or 8000)."),
    workers: int = typer.Option(1, min=1, help="Worker processes (balanced by the kernel on Linux)."),
    database: str | None = DatabaseOption,
) -> None:
    """Run the web app (citizen pages, field app, analyst API)."""
    run_server(database_url(database), host, port, workers)
