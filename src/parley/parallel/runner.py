"""The scheduling loop shared by both backends: one job per worker, deadlines, redo on death.

A backend (``processes.ProcessPool`` or ``ray_actors.ActorPool``) only starts workers, sends a
job to an idle one, reports events (ready, done, died) and kills a worker. Giving each worker
one job at a time is what lets a hung job be timed out and a dead worker's job be known.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar

from parley.errors import ParleyError

C = TypeVar("C")
J = TypeVar("J")
R = TypeVar("R")

START_FAILURES = 3
"""Workers that die before ever becoming ready, in a row, before the run gives up."""

POLL = 1.0
"""Longest wait for an event; deadlines are checked at least this often."""


@dataclass(frozen=True)
class Done(Generic[R]):
    """One finished job: its position in the input, its value or why it failed."""

    index: int
    value: R | None
    failure: str | None
    attempts: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass(frozen=True)
class Event:
    """What a backend saw happen to worker ``slot``."""

    kind: Literal["ready", "done", "died"]
    slot: int
    ok: bool = True
    payload: Any = None
    """The job's value (done, ok), its failure text (done, not ok) or why the worker died."""


class Pool(Protocol):
    def start(self) -> int:
        """Start a worker; return its slot number (it reports ``ready`` when it can take jobs)."""

    def send(self, slot: int, index: int, job: Any) -> None: ...

    def events(self, timeout: float) -> list[Event]:
        """Events that happened, waiting at most ``timeout`` seconds for the first one."""

    def kill(self, slot: int) -> None:
        """Stop worker ``slot`` at once, whatever it is doing."""

    def close(self) -> None: ...


def describe(exc: BaseException) -> str:
    """How a failure is recorded: the exception's type and message on one line."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_jobs(
    fn: Callable[[C, J], R],
    jobs: Sequence[J],
    context: C,
    *,
    workers: int | None = None,
    ray: str | None = None,
    timeout: float | None = None,
    tries: int = 2,
) -> Iterator[Done[R]]:
    """Run ``fn(context, job)`` for every job; yield a ``Done`` as each finishes (see package doc).

    ``workers``: processes (default: every core) or Ray actors (default: the cluster's CPUs).
    ``ray``: None for local processes, "local" to start Ray here, or a cluster address.
    """
    if workers is not None and workers < 1:
        raise ParleyError(f"--workers: must be at least 1, got {workers}")
    if timeout is not None and timeout <= 0:
        raise ParleyError(f"--timeout: must be a positive number of seconds, got {timeout}")
    if tries < 1:
        raise ValueError(f"tries must be at least 1, got {tries}")
    if not jobs:
        return
    pool, size = _pool(fn, context, workers, ray)
    try:
        yield from _schedule(pool, min(size, len(jobs)), jobs, timeout, tries)
    finally:
        pool.close()


def _pool(
    fn: Callable[[C, J], R], context: C, workers: int | None, ray: str | None
) -> tuple[Pool, int]:
    if ray is None:
        from parley.parallel.processes import ProcessPool

        return ProcessPool(fn, context), workers or os.cpu_count() or 1
    from parley.parallel.ray_actors import ActorPool, connect

    size = connect(ray, workers)
    return ActorPool(fn, context), workers or size


class _Running:
    __slots__ = ("deadline", "index", "started")

    def __init__(self, index: int, started: float, timeout: float | None) -> None:
        self.index = index
        self.started = started
        self.deadline = started + timeout if timeout is not None else float("inf")


def _schedule(
    pool: Pool, size: int, jobs: Sequence[Any], timeout: float | None, tries: int
) -> Iterator[Done[Any]]:
    queue = deque(range(len(jobs)))
    attempts = [0] * len(jobs)
    idle: list[int] = []
    running: dict[int, _Running] = {}
    ever_ready: set[int] = set()
    start_failures = 0
    left = len(jobs)
    for _ in range(size):
        pool.start()
    while left:
        while idle and queue:
            slot, index = idle.pop(), queue.popleft()
            attempts[index] += 1
            running[slot] = _Running(index, time.monotonic(), timeout)
            pool.send(slot, index, jobs[index])
        soonest = min((r.deadline for r in running.values()), default=float("inf"))
        wait = max(0.0, min(POLL, soonest - time.monotonic()))
        for event in pool.events(wait):
            if event.kind == "ready":
                ever_ready.add(event.slot)
                start_failures = 0
                idle.append(event.slot)
                continue
            job = running.pop(event.slot, None)
            if event.kind == "done":
                idle.append(event.slot)
            else:  # died: replace the worker, and redo its job while tries remain
                if event.slot not in ever_ready:
                    start_failures += 1
                    if start_failures >= START_FAILURES:
                        raise ParleyError(f"parallel workers fail to start: {event.payload}")
                pool.start()
                if job is not None and attempts[job.index] < tries:
                    queue.appendleft(job.index)
                    continue
            if job is None:
                continue
            left -= 1
            yield _done(job, attempts, event)
        now = time.monotonic()
        for slot, job in list(running.items()):
            if now >= job.deadline:
                del running[slot]
                pool.kill(slot)
                pool.start()
                left -= 1
                yield Done(
                    job.index,
                    None,
                    f"timeout after {timeout:g} s",
                    attempts[job.index],
                    now - job.started,
                )


def _done(job: _Running, attempts: list[int], event: Event) -> Done[Any]:
    seconds = time.monotonic() - job.started
    tried = attempts[job.index]
    if event.kind == "died":
        times = "once" if tried == 1 else f"{tried} times"
        return Done(job.index, None, f"worker died {times} ({event.payload})", tried, seconds)
    if event.ok:
        return Done(job.index, event.payload, None, tried, seconds)
    return Done(job.index, None, str(event.payload), tried, seconds)
