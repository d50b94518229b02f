"""Local worker processes, each fed a batch at a time (by default one job) through its own pipe.

Workers are forked from a "forkserver" (a small single-threaded process that has imported
Parley once: safe beside threads, and a replacement worker starts in milliseconds rather
than the second a fresh interpreter takes), or started with "spawn" where there is no
forkserver (Windows). Either way the caller's main module must guard its entry point with
``if __name__ == "__main__":``. Workers get ``fn`` and ``context`` once and ignore Ctrl-C so
that only the parent decides when to stop; a worker whose parent disappears sees its pipe
close and exits.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Callable
from contextlib import suppress
from multiprocessing.connection import Connection, wait
from multiprocessing.context import SpawnContext
from multiprocessing.process import BaseProcess
from typing import Any

from parley.parallel.backend import Event, describe

METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
CONTEXT: SpawnContext = multiprocessing.get_context(METHOD)  # type: ignore[assignment]
PRELOAD = ["parley.parallel.processes", "numpy"]


class ProcessPool:
    """Worker processes by slot number (see ``backend.Pool``)."""

    def __init__(self, fn: Callable[[Any, Any], Any], context: Any) -> None:
        if METHOD == "forkserver":
            CONTEXT.set_forkserver_preload(PRELOAD)  # read when the server first starts
        self.fn = fn
        self.context = context
        self.workers: dict[int, tuple[BaseProcess, Connection]] = {}
        self.ready: set[int] = set()  # slots whose worker has said ready
        self.next_slot = 0

    def start(self) -> int:
        slot, self.next_slot = self.next_slot, self.next_slot + 1
        mine, theirs = CONTEXT.Pipe()
        process = CONTEXT.Process(
            target=serve,
            args=(theirs, self.fn, self.context),
            daemon=True,
            name=f"parley-worker-{slot}",
        )
        process.start()
        theirs.close()  # so that the worker's death reads as end-of-file here
        self.workers[slot] = (process, mine)
        return slot

    def send(self, slot: int, jobs: list[Any]) -> None:
        self.workers[slot][1].send(jobs)

    def events(self, timeout: float) -> list[Event]:
        by_conn = {conn: slot for slot, (_, conn) in self.workers.items()}
        events = []
        for conn in wait(list(by_conn), timeout):
            assert isinstance(conn, Connection)
            slot = by_conn[conn]
            try:
                message = conn.recv()
            except (EOFError, OSError):
                why = self._bury(slot)  # a worker that never said ready could not start
                events.append(Event("died" if slot in self.ready else "broken", slot, payload=why))
                continue
            if message[0] == "done":
                _, ok, payload = message
                events.append(Event("done", slot, ok, payload))
                continue
            if message[0] == "ready":
                self.ready.add(slot)
            events.append(Event(message[0], slot))  # ready or started
        return events

    def kill(self, slot: int) -> None:
        process, conn = self.workers.pop(slot)
        process.kill()
        process.join()
        conn.close()

    def close(self) -> None:
        for _, conn in self.workers.values():
            with suppress(OSError):
                conn.send(None)  # asks an idle worker to leave; a busy one is killed below
        deadline = time.monotonic() + 1.0
        for process, _ in self.workers.values():
            process.join(timeout=max(0.0, deadline - time.monotonic()))
        for slot in list(self.workers):
            self.kill(slot)

    def _bury(self, slot: int) -> str:
        process, conn = self.workers.pop(slot)
        process.join(timeout=5)
        conn.close()
        code = process.exitcode
        if code is not None and code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit code {code}"


def serve(conn: Connection, fn: Callable[[Any, Any], Any], context: Any) -> None:
    """A worker's life: say ready, then run each batch it is sent until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send(("ready",))
        while (jobs := conn.recv()) is not None:
            conn.send(("started",))
            for job in jobs:
                _run_one(conn, fn, context, job)
    except (EOFError, OSError):
        return  # the parent has gone


def _run_one(conn: Connection, fn: Callable[[Any, Any], Any], context: Any, job: Any) -> None:
    """Run one job and send its report; a value that cannot be pickled fails that job alone."""
    try:
        reply: tuple[str, bool, Any] = ("done", True, fn(context, job))
    except Exception as exc:
        reply = ("done", False, describe(exc))
    try:
        conn.send(reply)
    except (EOFError, OSError):
        raise
    except Exception as exc:  # pickling failed before anything was written
        conn.send(("done", False, f"result not picklable: {describe(exc)}"))
