"""The scheduling loop shared by both backends: batches of jobs, per-job deadlines, redo on death.

A backend (``processes.ProcessPool`` or ``ray_tasks.TaskPool``) only starts workers, sends a
batch of jobs to an idle one, reports events and kills a worker. A worker runs its batch in
order and reports when it starts and as each job finishes, so a job that raises or hangs is
known and fails alone, and the jobs of its batch not yet run go back to the queue untouched.
A dead worker's unfinished jobs are run again one per call: which of them it was running is not
certain (Ray may lose a dying worker's last reports), and a death alone is that job's own.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from parley.errors import ParallelError, UsageError
from parley.parallel.backend import Event, Pool

C = TypeVar("C")
J = TypeVar("J")
R = TypeVar("R")

START_FAILURES = 3
"""Workers that cannot start (``broken``), in a row, before the run gives up."""

POLL = 1.0
"""Longest wait for an event; deadlines are checked at least this often."""

BATCHES_PER_WORKER = 4
"""Default batching on Ray: each worker gets about this many batches, so that the last ones
finish close together."""

MAX_BATCH = 64
"""Default batching on Ray never puts more jobs than this in one remote call."""


@dataclass(frozen=True)
class Done(Generic[R]):
    """One finished job: its position in the input, its value or why it failed.

    ``attempts`` counts the runs charged to the job: its last one, and each that killed its
    worker while it ran alone.
    """

    index: int
    value: R | None
    failure: str | None
    attempts: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.failure is None


def run_jobs(
    fn: Callable[[C, J], R],
    jobs: Sequence[J],
    context: C,
    *,
    workers: int | None = None,
    ray: str | None = None,
    timeout: float | None = None,
    tries: int = 2,
    batch: int | None = None,
) -> Iterator[Done[R]]:
    """Run ``fn(context, job)`` for every job; yield a ``Done`` as each finishes (see package doc).

    ``workers``: processes (default: every core) or Ray workers (default: the cluster's CPUs).
    ``ray``: None for local processes, "local" to start Ray here, or a cluster address.
    ``batch``: jobs per call to a worker (default: see ``batch_size``).
    """
    if workers is not None and workers < 1:
        raise UsageError(f"--workers: must be at least 1, got {workers}")
    if timeout is not None and timeout <= 0:
        raise UsageError(f"--timeout: must be a positive number of seconds, got {timeout}")
    if tries < 1:
        raise ValueError(f"tries must be at least 1, got {tries}")
    if batch is not None and batch < 1:
        raise ValueError(f"batch must be at least 1, got {batch}")
    if not jobs:
        return
    pool, size = _pool(fn, context, workers, ray)
    size = min(size, len(jobs))
    batch = batch or batch_size(len(jobs), size, remote=ray is not None)
    try:
        yield from _schedule(pool, size, jobs, timeout, tries, batch)
    finally:
        pool.close()


def batch_size(jobs: int, workers: int, *, remote: bool) -> int:
    """Jobs per call to a worker.

    A local process's next job is one pipe message away, so it takes one at a time. A Ray call
    costs about a millisecond of scheduling, as much as a small negotiation: there each worker
    gets about ``BATCHES_PER_WORKER`` batches of at most ``MAX_BATCH`` jobs.
    """
    if not remote:
        return 1
    return max(1, min(MAX_BATCH, jobs // (workers * BATCHES_PER_WORKER)))


def _pool(
    fn: Callable[[C, J], R], context: C, workers: int | None, ray: str | None
) -> tuple[Pool, int]:
    if ray is None:
        from parley.parallel.processes import ProcessPool

        return ProcessPool(fn, context), workers or os.cpu_count() or 1
    from parley.parallel.ray_tasks import TaskPool, connect

    size = connect(ray, workers)
    return TaskPool(fn, context), workers or size


@dataclass(slots=True)
class _Batch:
    """The jobs sent to one worker, in the order it runs them; once it has started, the first
    is running."""

    indices: deque[int]
    since: float = 0.0
    """When the running job started."""
    deadline: float = float("inf")
    """No clock runs while the batch waits for a worker."""


class _Run:
    """The state of one ``run_jobs`` call: what is queued, what runs where, what died."""

    def __init__(
        self, pool: Pool, jobs: Sequence[Any], timeout: float | None, tries: int, batch: int
    ) -> None:
        self.pool = pool
        self.jobs = jobs
        self.timeout = timeout
        self.tries = tries
        self.batch = batch
        self.queue = deque(range(len(jobs)))
        self.alone: deque[int] = deque()  # left by a dead worker: each goes in a call of its own
        self.deaths = [0] * len(jobs)  # deaths of a worker running the job alone
        self.idle: list[int] = []
        self.busy: dict[int, _Batch] = {}
        self.start_failures = 0
        self.left = len(jobs)

    def send(self) -> None:
        while self.idle and (self.alone or self.queue):
            slot = self.idle.pop()
            if self.alone:
                indices = [self.alone.popleft()]
            else:
                indices = [self.queue.popleft() for _ in range(min(self.batch, len(self.queue)))]
            self.busy[slot] = _Batch(deque(indices))
            self.pool.send(slot, [self.jobs[i] for i in indices])

    def wait(self) -> float:
        soonest = min((b.deadline for b in self.busy.values()), default=float("inf"))
        return max(0.0, min(POLL, soonest - time.monotonic()))

    def handle(self, event: Event) -> Done[Any] | None:
        """Apply ``event``; return the job it finished, if any."""
        now = time.monotonic()
        if event.kind == "ready":
            self.idle.append(event.slot)
            return None
        if event.kind == "broken":
            self._broken(event)
            return None
        if event.kind == "died":
            return self._died(event, now)
        batch = self.busy[event.slot]
        if event.kind == "started":
            self.start_failures = 0
            self._clock(batch, now)
            return None
        index = batch.indices.popleft()
        value, failure = (event.payload, None) if event.ok else (None, str(event.payload))
        done = Done(index, value, failure, self.deaths[index] + 1, now - batch.since)
        if batch.indices:
            self._clock(batch, now)
        else:
            del self.busy[event.slot]
            self.idle.append(event.slot)
        return done

    def overdue(self) -> Iterator[Done[Any]]:
        """Time out every running job past its deadline: kill its worker, requeue the rest."""
        now = time.monotonic()
        for slot, batch in list(self.busy.items()):
            if now >= batch.deadline:
                del self.busy[slot]
                self.pool.kill(slot)
                self.pool.start()
                index = batch.indices.popleft()
                self.queue.extendleft(reversed(batch.indices))
                failure = f"timeout after {self.timeout:g} s"
                yield Done(index, None, failure, self.deaths[index] + 1, now - batch.since)

    def _clock(self, batch: _Batch, now: float) -> None:
        """The batch's first job starts running now."""
        batch.since = now
        if self.timeout is not None:
            batch.deadline = now + self.timeout

    def _broken(self, event: Event) -> None:
        """Replace the worker and requeue its batch as it was: none of it ran."""
        self.start_failures += 1
        if self.start_failures >= START_FAILURES:
            raise ParallelError(f"parallel workers fail to start: {event.payload}")
        self.pool.start()
        batch = self.busy.pop(event.slot, None)
        if batch is not None:
            self.queue.extendleft(reversed(batch.indices))

    def _died(self, event: Event, now: float) -> Done[Any] | None:
        """Replace the worker. Its unfinished jobs run again, each alone; a job that was alone
        is charged the death and runs again while tries remain."""
        self.pool.start()
        batch = self.busy.pop(event.slot, None)
        if batch is None:
            return None
        if len(batch.indices) > 1:
            self.alone.extend(batch.indices)
            return None
        index = batch.indices[0]
        self.deaths[index] += 1
        if self.deaths[index] < self.tries:
            self.alone.appendleft(index)
            return None
        died = self.deaths[index]
        failure = f"worker died {'once' if died == 1 else f'{died} times'} ({event.payload})"
        return Done(index, None, failure, died, now - batch.since)


def _schedule(
    pool: Pool, size: int, jobs: Sequence[Any], timeout: float | None, tries: int, batch: int
) -> Iterator[Done[Any]]:
    run = _Run(pool, jobs, timeout, tries, batch)
    for _ in range(size):
        pool.start()
    while run.left:
        run.send()
        for event in pool.events(run.wait()):
            done = run.handle(event)
            if done is not None:
                run.left -= 1
                yield done
        for done in run.overdue():
            run.left -= 1
            yield done
