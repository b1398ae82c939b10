"""One worker process of ``survey serve --workers N``: uvicorn on a socket the parent owns.

Why a socket per worker and not one shared by all (uvicorn's ``--workers``): with one socket,
whichever worker wakes first accepts a whole burst of connections, and long-lived keep-alive
clients (tablets syncing, a proxy's pool) then all load one process while the others idle. With
SO_REUSEPORT each socket has its own queue and the kernel spreads new connections across them.

Why the parent owns the sockets: a worker that stops for a rolling restart closes only its copy,
so the connections queued on the socket wait for its successor instead of being reset. The parent
only binds a socket; the worker's server starts listening on it once the app is built (asyncio's
``create_server`` calls ``listen``), so no connection waits in the queue of a worker still
importing. At the first start, every worker also waits at a gate until all are built: one that
listened while a sibling was still importing took every connection made meanwhile, and keep-alive
clients (a proxy's pool, tablets syncing) stayed on it for good.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from dataclasses import dataclass
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event

import uvicorn

from survey.cli._common import say_unexpected
from survey.http import shared_counts
from survey.http.shared_counts import SharedTable

APP = "survey.app:create_app"
STOP_SECONDS = 30.0  # the parent kills a worker still busy this long after SIGTERM
DRAIN_SECONDS = 1.0  # between a worker's last accept and its shutdown: see Server.shutdown
GATE_SECONDS = 120.0


class Server(uvicorn.Server):
    """uvicorn's server, telling the parent once it accepts, and draining before it shuts down."""

    def __init__(self, config: uvicorn.Config, ready: Event) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._ready.set()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Stop accepting, give the connections just accepted time to send their request, then let
        uvicorn shut down (it answers every request it has begun and closes idle connections).

        Without the pause, a connection accepted a moment before SIGTERM whose request had not been
        read yet would be closed unanswered: a reset for a client that did nothing wrong.
        """
        for listener in self.servers:
            listener.close()  # the parent's copy keeps the socket: a sibling or successor accepts
        await asyncio.sleep(DRAIN_SECONDS)
        await super().shutdown(sockets)


@dataclass(frozen=True)
class Signals:
    """What a worker shares with the parent: its ``built`` count and ``gate`` (shared by all), and
    its own ``ready`` event, set once it accepts connections."""

    built: Synchronized[int]
    gate: Event
    ready: Event


def run_worker(sock: socket.socket, counts: dict[str, SharedTable], signals: Signals) -> None:
    """Build the app, wait at the gate, serve ``sock`` until SIGTERM.

    Rate limits and login throttles count in ``counts``, memory every worker shares.
    """
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a reload is the parent's business
    shared_counts.attach(counts)
    # No access log: it would write each client's address beside every request, and respondents
    # stay anonymous (the app logs what it needs without addresses).
    config = uvicorn.Config(
        APP,
        factory=True,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=int(STOP_SECONDS - 5),
    )
    try:
        config.load()
    except Exception as exc:
        say_unexpected("a worker could not build the app", exc)
        sys.exit(1)
    with signals.built.get_lock():
        signals.built.value += 1
    signals.gate.wait(GATE_SECONDS)  # the parent gives up on a sibling that never builds
    server = Server(config, signals.ready)
    server.run(sockets=[sock])
    if not server.started:
        sys.exit(3)  # the app's start-up failed; its error is above
