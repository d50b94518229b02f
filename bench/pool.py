"""Timing N negotiations in one process or a fork pool: shared by both tools' workers.

Standard library only, so the NegMAS worker (its own environment) imports it too.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from typing import Any


def timed_negotiations(
    setup: Callable[..., None],
    setup_args: Sequence[Any],
    one: Callable[[int], tuple[int, bool]],
    count: int,
    procs: int,
) -> dict[str, Any]:
    """Seeds 0..count-1 played by ``one`` after ``setup`` in each process.

    Returns the rate, the mean steps and the agreement rate."""
    start = time.perf_counter()
    if procs == 1:
        setup(*setup_args)
        outcomes = [one(seed) for seed in range(count)]
    else:
        context = multiprocessing.get_context("fork")
        with context.Pool(procs, initializer=setup, initargs=tuple(setup_args)) as pool:
            chunk = max(1, count // (procs * 4))
            outcomes = pool.map(one, range(count), chunksize=chunk)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "count": count,
        "rate": count / seconds,
        "mean_steps": sum(s for s, _ in outcomes) / len(outcomes),
        "agreement": sum(a for _, a in outcomes) / len(outcomes),
    }
