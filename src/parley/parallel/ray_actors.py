"""Ray actors as workers: the same one-job-at-a-time pool on one machine or a cluster.

Ray is optional and imported only here, only when asked for. Each actor holds ``fn`` and the
context (put in Ray's object store once); a hung job's actor is killed and replaced, and an
actor that dies (its process or node lost) reports as a dead worker.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from parley.errors import ParleyError
from parley.parallel.runner import Event, describe

INSTALL = "pip install parley[ray]"


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ParleyError(f"--ray needs Ray, which is not installed: {INSTALL}") from None
    return ray


def connect(address: str, workers: int | None) -> int:
    """Join Ray (``address`` "local" starts it here); return the CPUs it offers."""
    ray = _ray()
    if not ray.is_initialized():
        try:
            if address == "local":
                ray.init(
                    address="local",  # always a new instance, never someone else's cluster
                    num_cpus=workers,
                    include_dashboard=False,
                    logging_level="ERROR",
                    log_to_driver=False,  # a killed worker's noise is not the user's business
                    # workers import what the caller can: its job module may live beside it
                    runtime_env={"env_vars": {"PYTHONPATH": ":".join(p for p in sys.path if p)}},
                )
            else:
                ray.init(address=address, logging_level="ERROR")
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ParleyError(f"--ray {address}: cannot connect to Ray: {describe(exc)}") from None
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


class Worker:
    """The actor's body: ``fn`` and its context, one job per call."""

    def __init__(self, fn: Callable[[Any, Any], Any], context: Any) -> None:
        self.fn = fn
        self.context = context

    def ready(self) -> bool:
        return True

    def run(self, job: Any) -> tuple[bool, Any]:
        try:
            return True, self.fn(self.context, job)
        except Exception as exc:
            return False, describe(exc)


class ActorPool:
    """Ray actors by slot number (see ``runner.Pool``)."""

    def __init__(self, fn: Callable[[Any, Any], Any], context: Any) -> None:
        self.ray = _ray()
        self.actor_class = self.ray.remote(num_cpus=1, max_restarts=0)(Worker)
        self.fn = fn
        self.context = self.ray.put(context)
        self.actors: dict[int, Any] = {}
        self.calls: dict[Any, tuple[int, str]] = {}  # in-flight call -> (slot, "ready" | "run")
        self.next_slot = 0

    def start(self) -> int:
        slot, self.next_slot = self.next_slot, self.next_slot + 1
        actor = self.actor_class.remote(self.fn, self.context)
        self.actors[slot] = actor
        self.calls[actor.ready.remote()] = (slot, "ready")
        return slot

    def send(self, slot: int, index: int, job: Any) -> None:
        self.calls[self.actors[slot].run.remote(job)] = (slot, "run")

    def events(self, timeout: float) -> list[Event]:
        if not self.calls:
            return []
        finished, _ = self.ray.wait(list(self.calls), num_returns=1, timeout=timeout)
        if finished:  # and whatever else is already there
            finished, _ = self.ray.wait(list(self.calls), num_returns=len(self.calls), timeout=0)
        events = []
        for ref in finished:
            slot, what = self.calls.pop(ref)
            try:
                value = self.ray.get(ref)
            except self.ray.exceptions.RayError as exc:
                self.actors.pop(slot, None)
                events.append(Event("died", slot, payload=describe(exc).split(":")[0]))
                continue
            if what == "ready":
                events.append(Event("ready", slot))
            else:
                ok, payload = value
                events.append(Event("done", slot, ok, payload))
        return events

    def kill(self, slot: int) -> None:
        actor = self.actors.pop(slot)
        for ref, (owner, _) in list(self.calls.items()):
            if owner == slot:
                del self.calls[ref]
        self.ray.kill(actor, no_restart=True)

    def close(self) -> None:
        for slot in list(self.actors):
            self.kill(slot)
