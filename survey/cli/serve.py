"""``survey serve``: run the web app with uvicorn, one process or several balanced by the kernel.

With ``--workers N`` (N > 1) the parent process owns N sockets on the port (SO_REUSEPORT: the
kernel spreads new connections across them) and runs one worker per socket (survey.cli.serve_worker).
It replaces a worker that dies, stops them all on SIGINT or SIGTERM, and on SIGHUP replaces them
one by one (a rolling restart, e.g. after installing a new version): see :meth:`_Workers.reload`.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from pathlib import Path
from types import FrameType

import typer

from survey.cli._common import DatabaseOption, database_url, fail, out, say_error
from survey.cli.serve_worker import APP, STOP_SECONDS, Signals, run_worker
from survey.http import shared_counts
from survey.settings import get_settings

_START_SECONDS = 120.0
_YOUNG_SECONDS = 60.0  # a worker dying sooner than this after its start is restarted ever more slowly
_MAX_RESTART_DELAY = 60.0
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


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

    signal.signal(signal.SIGHUP, _reload_needs_workers)
    uvicorn.run(
        APP, factory=True, host=host, port=port, workers=workers, log_level="warning", access_log=False
    )


def _reload_needs_workers(_signum: int, _frame: FrameType | None) -> None:
    """One process cannot be replaced without a gap: say so instead of dying of SIGHUP."""
    say_error("SIGHUP ignored: a rolling restart needs survey serve --workers 2 or more")


def _bound_socket(host: str, port: int) -> socket.socket:
    """A socket bound to the port in the SO_REUSEPORT group; its worker's server starts listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


class _Worker:
    """A worker process and the event it sets once it accepts connections."""

    def __init__(self, process: BaseProcess, ready: Event) -> None:
        self.process = process
        self.ready = ready
        self.started = time.monotonic()


class _Workers:
    """The worker processes, one per socket: started together, replaced when one dies (ever more
    slowly if they keep dying young), replaced one by one on reload, stopped together."""

    def __init__(
        self, start: Callable[[socket.socket], _Worker], bind: Callable[[], socket.socket], workers: int
    ) -> None:
        self._start = start
        self._bind = bind
        self.sockets = [bind() for _ in range(workers)]
        self.slots = [start(sock) for sock in self.sockets]
        self._delay = [1.0] * workers  # the least time between a start and the next in the same slot
        self._retiring: list[BaseProcess] = []  # old workers finishing their requests after a reload

    def dead_exit_code(self) -> int | None:
        """The exit code of a worker that has died, if any has."""
        return next((w.process.exitcode for w in self.slots if not w.process.is_alive()), None)

    def all_ready(self) -> bool:
        return all(w.ready.is_set() for w in self.slots)

    def replace_dead(self) -> None:
        """Start a worker in place of each that died, on a new socket.

        The dead worker's socket is closed at once, so the kernel sends new connections to the
        living workers only; the replacement listens on its new socket once its app is built.
        (Connections already queued on the dead worker's socket are reset; clients retry them.)
        """
        now = time.monotonic()
        for slot, worker in enumerate(self.slots):
            if worker.process.is_alive():
                continue
            if self.sockets[slot].fileno() != -1:
                self.sockets[slot].close()
                say_error(f"a worker exited (code {worker.process.exitcode}); starting another")
            if now < worker.started + self._delay[slot]:
                continue
            young = now - worker.started < _YOUNG_SECONDS
            self._delay[slot] = min(_MAX_RESTART_DELAY, self._delay[slot] * 2) if young else 1.0
            self.sockets[slot] = self._bind()
            self.slots[slot] = self._start(self.sockets[slot])
        self._reap_retiring()

    def reload(self, stop: threading.Event) -> str | None:
        """Replace each worker in turn; what went wrong, if anything (the old worker then stays).

        For each socket: start a new worker on it and wait until it accepts; only then ask the old
        one to stop (SIGTERM). Both accept from the same socket meanwhile, so no connection finds
        the port closed; the old one stops accepting, answers the requests it has begun (see
        survey.cli.serve_worker) and exits while the next slot is replaced. New workers import the code
        afresh: installing a new version and sending SIGHUP upgrades the server without a gap.
        """
        for slot, old in enumerate(self.slots):
            if not old.process.is_alive():
                continue  # replace_dead gives it a successor
            new = self._start(self.sockets[slot])
            deadline = time.monotonic() + _START_SECONDS
            while not new.ready.wait(0.05):
                if stop.is_set() or not new.process.is_alive() or time.monotonic() > deadline:
                    code = new.process.exitcode
                    new.process.terminate()
                    new.process.join(STOP_SECONDS)
                    if stop.is_set():
                        return None
                    why = f"exited (code {code})" if code is not None else "did not start in time"
                    return f"the new worker {slot + 1} {why}; the running workers keep serving"
            old.process.terminate()  # uvicorn stops gracefully on SIGTERM
            self._retiring.append(old.process)
            self.slots[slot] = new
        return None

    def _reap_retiring(self) -> None:
        for process in list(self._retiring):
            if not process.is_alive():
                process.join()
                self._retiring.remove(process)

    def stop(self) -> None:
        processes = [w.process for w in self.slots] + self._retiring
        for process in processes:
            if process.is_alive():
                process.terminate()  # uvicorn shuts down gracefully on SIGTERM: queued responses are written
        for process in processes:
            process.join(STOP_SECONDS)
            if process.is_alive():
                process.kill()
                process.join(5)
        for sock in self.sockets:
            sock.close()


def _run_balanced(host: str, port: int, workers: int) -> None:
    """Start the workers, replace any that dies, reload them on SIGHUP, stop them all on SIGINT or SIGTERM.

    A worker that dies before all are ready ends the start-up with exit 1: the reason is in its
    output above, and starting it again would only print the same error forever.
    """
    context = multiprocessing.get_context("spawn")
    try:
        probe = _bound_socket(host, port)
        probe.listen()  # a port taken by another program fails here, before any worker starts
        probe.close()
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror}")
    stop, reload, wake = threading.Event(), threading.Event(), threading.Event()

    def on_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()
        wake.set()

    def on_reload(_signum: int, _frame: FrameType | None) -> None:
        reload.set()
        wake.set()

    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGHUP, on_reload)
    problem: str | None = None
    built, gate = context.Value("i", 0), context.Event()
    with tempfile.TemporaryDirectory(prefix="survey-serve-") as work_dir:
        counts = shared_counts.create_shared(work_dir)  # a worker started again counts on where it left off
        _share_metrics(Path(work_dir) / "metrics")

        def start(sock: socket.socket) -> _Worker:
            signals = Signals(built, gate, context.Event())
            process = context.Process(target=run_worker, args=(sock, counts, signals), name="survey-worker")
            process.start()
            return _Worker(process, signals.ready)

        pool = _Workers(start, lambda: _bound_socket(host, port), workers)
        try:
            problem = _start_up(pool, stop, lambda: _open_gate(built, gate, workers))
            if problem is None and not stop.is_set():
                out.print(f"ready: {workers} workers listening")  # scripts and load tests wait for this line
                _supervise(pool, workers, stop, reload, wake)
        finally:
            pool.stop()
    if problem:
        fail(problem, 1)


def _open_gate(built: Synchronized[int], gate: Event, workers: int) -> None:
    """Let the first workers listen once all are built (later ones find the gate open)."""
    if built.value >= workers:
        gate.set()


def _supervise(
    pool: _Workers, workers: int, stop: threading.Event, reload: threading.Event, wake: threading.Event
) -> None:
    """Replace dead workers and run the reloads asked for, until told to stop."""
    while not stop.is_set():
        if reload.is_set():
            reload.clear()
            out.print(f"reloading: {workers} workers, one at a time")
            failed = pool.reload(stop)
            if failed:
                say_error(f"reload stopped: {failed}")
            elif not stop.is_set():
                out.print(f"reloaded: {workers} workers listening")
        pool.replace_dead()
        wake.wait(0.5)
        wake.clear()


def _share_metrics(folder: Path) -> None:
    """Have every worker count its metrics in files of one folder, so /metrics sums all workers.

    prometheus_client reads ``PROMETHEUS_MULTIPROC_DIR`` when a worker imports it; the folder is
    this server's own (made empty here, removed at exit), so counts never mix with an earlier run.
    Counts of workers that have exited (reloads, crashes) stay in their files: totals never go back.
    """
    folder.mkdir()
    os.environ[MULTIPROCESS_DIR] = str(folder)


def _start_up(pool: _Workers, stop: threading.Event, open_gate: Callable[[], None]) -> str | None:
    """Wait until every worker accepts; what went wrong otherwise (None when stopped or all ready)."""
    deadline = time.monotonic() + _START_SECONDS
    while not stop.wait(0.05):
        code = pool.dead_exit_code()
        if code is not None:
            return f"a worker exited during start-up (code {code}); its error is above"
        open_gate()
        if pool.all_ready():
            return None
        if time.monotonic() > deadline:
            return f"the workers did not all start within {_START_SECONDS:.0f} s"
    return None


def serve(
    host: str | None = typer.Option(None, help="Interface to listen on (default SURVEY_HOST or 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default SURVEY_PORT or 8000)."),
    workers: int = typer.Option(
        1, min=1, help="Worker processes (balanced by the kernel on Linux; SIGHUP replaces them one by one)."
    ),
    database: str | None = DatabaseOption,
) -> None:
    """Run the web app (citizen pages, field app, analyst API).

    With --workers N > 1, send SIGHUP to this process for a rolling restart (each worker replaced
    by a new one, which loads the installed code afresh, without refusing a request), SIGTERM to stop.
    """
    run_server(database_url(database), host, port, workers)
