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
