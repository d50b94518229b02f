"""Job functions for the parallel-runner tests (module level: worker processes import them)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import numpy as np

Job = tuple[str, int, str]
"""(what to do, seed, scratch folder)."""


def draw(seed: int) -> list[float]:
    """What a well-behaved job returns: numbers from its own seed only."""
    return np.random.default_rng(seed).random(3).tolist()


def job(scale: float, spec: Job) -> list[float]:
    kind, seed, scratch = spec
    if kind == "raise":
        raise ValueError(f"bad input {seed}")
    if kind == "hang":
        time.sleep(3600)
    if kind == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if kind == "die-once":
        marker = Path(scratch) / f"died-{seed}"
        if not marker.exists():
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
    return [scale * x for x in draw(seed)]


class DiesOnArrival:
    """A job that kills the worker unpickling it, the first time only: the worker dies on
    receiving its batch, before running any of it. Arrived, it is an ordinary ``ok`` job."""

    def __init__(self, seed: int, scratch: str) -> None:
        self.seed = seed
        self.scratch = scratch

    def __reduce__(self) -> tuple[object, tuple[int, str]]:
        return arrive, (self.seed, self.scratch)


def arrive(seed: int, scratch: str) -> Job:
    marker = Path(scratch) / f"arrived-{seed}"
    if not marker.exists():
        marker.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return ("ok", seed, scratch)


class KillsOnLoad:
    """A context that kills every worker unpickling it: no worker can start."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return kill_on_load, ()


def kill_on_load() -> None:
    os.kill(os.getpid(), signal.SIGKILL)
