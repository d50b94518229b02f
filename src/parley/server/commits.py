"""Group commit: the writes of many sessions share one transaction, hence one disk flush.

A commit that reaches the disk (SQLite ``synchronous=FULL``, PostgreSQL's default) costs a
flush, a few milliseconds on ordinary disks; one at a time, that caps the whole room at a few
hundred answers per second however many sessions run. Here every write is handed to one
writer thread, which takes all the writes waiting, runs them in a single transaction and
commits once; each caller returns only after the commit that holds its write. Durability is
unchanged (nothing is acknowledged before its commit); only the flushes are shared.

If a shared transaction fails, each of its writes is retried alone, so one bad write fails
only its own caller.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future

from sqlalchemy import Connection, Engine

Write = Callable[[Connection], None]
"""One caller's statements, run on the shared transaction's connection (SQLAlchemy Core: the
ORM's unit of work cost more than the statements themselves, all of it holding the GIL)."""
BATCH = 512
"""Most writes in one transaction (a bound on how long one commit can take)."""


class GroupCommit:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._queue: queue.SimpleQueue[tuple[Write, Future[None]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def write(self, work: Write) -> None:
        """Run ``work`` in a transaction; return once it is committed (or raise its error)."""
        done: Future[None] = Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="parley-commit", daemon=True)
                self._thread.start()
            self._queue.put((work, done))
        done.result()

    def stop(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._queue.put(None)
                self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while (first := self._queue.get()) is not None:
            batch = [first]
            stopping = False
            while len(batch) < BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            self._commit(batch)
            if stopping:
                return

    def _commit(self, batch: list[tuple[Write, Future[None]]]) -> None:
        try:
            self._transaction([work for work, _ in batch])
        except Exception as exc:  # each caller gets its own write's error
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
            else:
                for item in batch:
                    self._commit([item])
            return
        for _, done in batch:
            done.set_result(None)

    def _transaction(self, works: list[Write]) -> None:
        with self.engine.begin() as connection:
            for work in works:
                work(connection)
