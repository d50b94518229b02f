"""Evidence for a suggested change to ``parley.analysis.core`` (not used by the benchmarks).

Patches ``_Scan`` in this process only and checks that ``analyze`` returns the same
``Analysis`` before and after, then times both:

1. prefilter each chunk against the running frontier before ``pareto_mask`` (for two
   principals, one ``searchsorted`` on the frontier's staircase drops every row it strictly
   dominates, so the O(n log n) sort runs on a handful of rows instead of 2^18);
2. score only the ZOPA rows the running frontier does not strictly dominate (each special
   point lies on the frontier, so the winners are among them).

Only ``_add_to_frontier`` and ``_add_to_zopa`` are patched, so the prototype follows changes
to the rest of the scan. A third suggestion (the ZOPA test and the running ideal column by
column) is timed on its own at the end.

    python bench/prototypes/analysis_prefilter.py [ISSUES ...]      # default: 6 7
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domains import make_domain, scenario_document

from parley.analysis import analyze, core
from parley.scenario import from_data

Matrix = np.ndarray


def dominated_by_staircase(front: Matrix, u: Matrix) -> np.ndarray:
    """Rows of ``u`` (n, 2) strictly dominated by some row of the 2-column frontier ``front``."""
    stair = np.unique(front, axis=0)  # x ascending; on a frontier y then strictly descends
    x, y = stair[:, 0], stair[:, 1]
    i = np.searchsorted(x, u[:, 0], side="left")  # first step with x >= ours: the best y there
    j = np.minimum(i, x.size - 1)
    return (i < x.size) & (y[j] >= u[:, 1]) & ((x[j] > u[:, 0]) | (y[j] > u[:, 1]))


def add_to_frontier(self: Any, numbers: np.ndarray, utilities: Matrix) -> None:
    if self.front_utilities.shape[0] and utilities.shape[1] == 2:
        keep = ~dominated_by_staircase(self.front_utilities, utilities)
        numbers, utilities = numbers[keep], utilities[keep]
    ORIGINAL["_add_to_frontier"](self, numbers, utilities)


def add_to_zopa(self: Any, numbers: np.ndarray, utilities: Matrix) -> None:
    # called after _add_to_frontier: the running frontier already holds this chunk's best rows,
    # and a row it strictly dominates cannot win (its dominator has a larger sum and a score at
    # least as high)
    if self.front_utilities.shape[0] and utilities.shape[1] == 2:
        keep = ~dominated_by_staircase(self.front_utilities, utilities)
        numbers, utilities = numbers[keep], utilities[keep]
    if numbers.size:
        ORIGINAL["_add_to_zopa"](self, numbers, utilities)


PATCHES = {"_add_to_frontier": add_to_frontier, "_add_to_zopa": add_to_zopa}
ORIGINAL = {name: getattr(core._Scan, name) for name in PATCHES}


def compare(issues: int) -> tuple[float, float]:
    scenario = from_data(scenario_document(make_domain(issues)), f"domain-{issues}")
    start = time.perf_counter()
    before = analyze(scenario)
    t_before = time.perf_counter() - start
    for name, function in PATCHES.items():
        setattr(core._Scan, name, function)
    try:
        start = time.perf_counter()
        after = analyze(scenario)
        t_after = time.perf_counter() - start
    finally:
        for name, function in ORIGINAL.items():
            setattr(core._Scan, name, function)
    same = before == after
    print(
        f"10^{issues}: analyze {t_before:.3f} s -> {t_after:.3f} s "
        f"({t_before / t_after:.1f}x), same Analysis: {same}"
    )
    if not same:
        raise SystemExit("the patched scan changed the result")
    return t_before, t_after


def reductions(chunks: int = 39, size: int = 1 << 18) -> tuple[float, float]:
    """The ZOPA test and the running ideal of ``_Scan.add``, as written and column by column,
    on the (2^18, 2) utility arrays of the 39 chunks of 10^7 outcomes."""
    u = np.random.default_rng(0).random((size, 2))
    d = np.zeros(2)

    def as_written() -> None:
        zopa = (u >= d).all(axis=1)
        u[zopa].max(axis=0)

    def by_column() -> None:
        zopa = (u[:, 0] >= d[0]) & (u[:, 1] >= d[1])
        if zopa.all():
            [u[:, j].max() for j in range(2)]
        else:
            [u[zopa, j].max() for j in range(2)]

    times = []
    for work in (as_written, by_column):
        start = time.perf_counter()
        for _ in range(chunks):
            work()
        times.append(time.perf_counter() - start)
    print(
        f"10^7: ZOPA test + ideal in _Scan.add {times[0]:.3f} s -> {times[1]:.3f} s column by "
        "column (NumPy reductions along axis 1, or axis 0 of an (n, 2) array, are slow)"
    )
    return times[0], times[1]


if __name__ == "__main__":
    found: dict[str, list[float]] = {}
    for n in [int(a) for a in sys.argv[1:]] or [6, 7]:
        found[str(n)] = list(compare(n))
    found["reductions"] = list(reductions())
    print("RESULT " + json.dumps(found))
