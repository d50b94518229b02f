"""Ray tasks as workers: one batch of jobs per remote call, on one machine or a cluster.

Ray is optional and imported only here, only when asked for. A batch is one task on Ray's
own pool of worker processes (started with Ray, reused from one batch and one run to the next),
so a run starts no process of its own. The task is a streaming generator: it says when it
starts and yields each job's report as the job finishes, which is what lets the runner time
out a hung job (the task is cancelled, which kills its worker process) and go on with the rest
of its batch. The context is put in Ray's object store once.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from parley.errors import ParallelError
from parley.parallel.backend import Event, describe

INSTALL = "pip install parley[ray]"


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ParallelError(f"--ray needs Ray, which is not installed: {INSTALL}") from None
    return ray


def connect(address: str, workers: int | None) -> int:
    """Join Ray (``address`` "local" starts it here); return the CPUs it offers."""
    ray = _ray()
    if not ray.is_initialized():
        try:
            if address == "local":
                _start_local(ray, workers)
            else:
                ray.init(address=address, logging_level="ERROR")
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ParallelError(
                f"--ray {address}: cannot connect to Ray: {describe(exc)}"
            ) from None
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _start_local(ray: Any, workers: int | None) -> None:
    # Workers must import what the caller can (its job module may live beside it). They inherit
    # the environment of the Ray started here, so PYTHONPATH is set for the length of the
    # start. A runtime_env would do the same, but Ray then cannot use the worker processes it
    # starts in advance and starts new ones for the first batches, a second or more later.
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    try:
        ray.init(
            address="local",  # always a new instance, never someone else's cluster
            num_cpus=workers,
            include_dashboard=False,
            logging_level="ERROR",
            log_to_driver=False,  # a killed worker's noise is not the user's business
        )
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved


def run_batch(
    fn: Callable[[Any, Any], Any], context: Any, jobs: list[Any]
) -> Iterator[tuple[bool, Any] | None]:
    """The task's body: None when it starts, then each job's report (see ``_report``)."""
    yield None
    for job in jobs:
        yield _report(fn, context, job)


def _report(fn: Callable[[Any, Any], Any], context: Any, job: Any) -> tuple[bool, Any]:
    """``(True, the value pickled)`` or ``(False, why the job failed)``. Pickled here, a value
    that cannot be fails its job alone; left to Ray, it would fail the whole task."""
    try:
        value = fn(context, job)
    except Exception as exc:
        return False, describe(exc)
    try:
        return True, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        return False, f"result not picklable: {describe(exc)}"


@dataclass(slots=True)
class _InFlight:
    """One batch's task: its result stream and how many of its jobs have not reported."""

    stream: Any
    left: int


class TaskPool:
    """Batches in flight on Ray, by slot number (see ``backend.Pool``).

    A slot is a place for one batch at a time, not a process: Ray picks the worker process that
    runs each batch and replaces those that die or are killed.
    """

    def __init__(self, fn: Callable[[Any, Any], Any], context: Any) -> None:
        self.ray = _ray()
        # no retries by Ray: it would replay the whole batch, while the runner redoes only the
        # job that was running and charges the try to it
        self.task = self.ray.remote(num_cpus=1, max_retries=0, num_returns="streaming")(run_batch)
        self.fn = fn
        self.context = self.ray.put(context)
        self.fresh: list[int] = []  # started slots, not yet reported ready
        self.batches: dict[int, _InFlight] = {}
        self.next_slot = 0

    def start(self) -> int:
        slot, self.next_slot = self.next_slot, self.next_slot + 1
        self.fresh.append(slot)
        return slot

    def send(self, slot: int, jobs: list[Any]) -> None:
        self.batches[slot] = _InFlight(self.task.remote(self.fn, self.context, jobs), len(jobs))

    def events(self, timeout: float) -> list[Event]:
        events = [Event("ready", slot) for slot in self.fresh]
        self.fresh.clear()
        if events or not self.batches:
            return events
        slots = {id(batch.stream): slot for slot, batch in self.batches.items()}
        streams = [batch.stream for batch in self.batches.values()]
        ready, _ = self.ray.wait(streams, num_returns=1, timeout=timeout)
        if ready:  # and whatever else is already there
            ready, _ = self.ray.wait(streams, num_returns=len(streams), timeout=0)
        return [self._next(slots[id(stream)]) for stream in ready]

    def _next(self, slot: int) -> Event:
        """The event behind the next result of ``slot``'s batch, which is ready."""
        batch = self.batches[slot]
        try:
            item = self.ray.get(next(batch.stream))
        except self.ray.exceptions.RayError as exc:
            del self.batches[slot]
            # the task itself failed (jobs' own errors are reports): it could not load what it
            # was sent, such as a function its worker cannot import; otherwise its worker died
            broken = isinstance(exc, self.ray.exceptions.RayTaskError)
            return Event("broken" if broken else "died", slot, payload=describe(exc).split(":")[0])
        if item is None:
            return Event("started", slot)
        batch.left -= 1
        if not batch.left:  # the task is ending: nothing more to wait for, nor to cancel
            del self.batches[slot]
        ok, payload = item
        return Event("done", slot, ok, pickle.loads(payload) if ok else payload)

    def kill(self, slot: int) -> None:
        batch = self.batches.pop(slot, None)
        if batch is not None:
            self.ray.cancel(batch.stream, force=True)  # kills the worker process running it

    def close(self) -> None:
        for slot in list(self.batches):
            self.kill(slot)
