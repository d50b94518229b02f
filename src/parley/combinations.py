"""Outcomes that avoid forbidden combinations, built issue by issue.

A combination (a constraint, a red line) concerns a few issues. A partial outcome, its options
chosen on the first issues, is summed up for what follows by a *state*: bit ``k`` is set while
the partial outcome takes combination ``k`` on every issue of it seen so far. Taking an option
clears the bits of the combinations it leaves; a bit still set on a combination's last issue
means the outcome takes it whole, and is forbidden. Partial outcomes in the same state allow
exactly the same completions, so counting the outcomes that avoid every combination, or
finding their extreme utilities, takes one pass over the issues with one entry per state
(``count_avoiding``, ``extremes_avoiding``), and the exact Pareto fold of
``parley.analysis.linear_frontier`` compares partial outcomes only within a state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parley.outcomes import MOST, Combination, OutcomeSpace

States = NDArray[np.int64]
Indices = NDArray[np.int64]


@dataclass(frozen=True)
class Walk:
    """The states of partial outcomes for some combinations over issues of given sizes.

    ``keep[j][o]``: the bits that survive option ``o`` of issue ``j`` (every combination that
    does not concern issue ``j``, and those that list ``o`` there); ``ends[j]``: the bits of the
    combinations whose last issue is ``j``; ``start``: the state of the empty outcome.
    """

    keep: tuple[States, ...]
    ends: tuple[int, ...]
    start: int

    @classmethod
    def of(cls, sizes: Sequence[int], combinations: Sequence[Combination]) -> Walk:
        if len(combinations) > MOST:
            raise ValueError(f"{len(combinations)} combinations; at most {MOST} can be tracked")
        everything = (1 << len(combinations)) - 1
        keep = [np.full(n, everything, dtype=np.int64) for n in sizes]
        ends = [0] * len(sizes)
        for k, combination in enumerate(combinations):
            for column, options in combination.conditions:
                leaves = np.ones(sizes[column], dtype=np.bool_)
                leaves[list(options)] = False
                keep[column][leaves] &= ~(1 << k)
            ends[max(column for column, _ in combination.conditions)] |= 1 << k
        return cls(tuple(keep), tuple(ends), everything)

    def step(
        self, column: int, states: States, options: Indices
    ) -> tuple[States, NDArray[np.bool_]]:
        """The states after taking ``options`` on issue ``column`` from ``states`` (pairwise),
        and which of them still avoid every combination (none ends there taken whole)."""
        after = states & self.keep[column][options]
        return after, (after & self.ends[column]) == 0

    def groups(self, column: int, options: Indices | None = None) -> list[tuple[int, Indices]]:
        """The options of issue ``column`` (or those of them in ``options``) grouped by the bits
        they keep."""
        if options is None:
            options = np.arange(self.keep[column].size, dtype=np.int64)
        bits, which = np.unique(self.keep[column][options], return_inverse=True)
        which = which.reshape(-1)
        return [(int(b), options[which == g]) for g, b in enumerate(bits)]


def count_avoiding(
    sizes: Sequence[int],
    combinations: Sequence[Combination],
    allowed: Sequence[Indices] | None = None,
) -> int:
    """How many outcomes take none of ``combinations`` (exact, a Python int); with
    ``allowed``, only outcomes taking those options on each issue count."""
    walk = Walk.of(sizes, combinations)
    counts = {walk.start: 1}
    for column in range(len(sizes)):
        after: dict[int, int] = {}
        for bits, options in walk.groups(column, None if allowed is None else allowed[column]):
            for state, count in counts.items():
                state &= bits
                if not state & walk.ends[column]:
                    after[state] = after.get(state, 0) + count * options.size
        counts = after
    return sum(counts.values())


def extremes_avoiding(
    tables: Sequence[NDArray[np.float64]],
    combinations: Sequence[Combination],
    allowed: Sequence[Indices] | None = None,
) -> tuple[float, float] | None:
    """The lowest and the highest sum of one value from each table (one table per issue)
    over the outcomes that take none of ``combinations`` (and, with ``allowed``, only those
    options on each issue); None when there are none.

    Summed in issue order, as ``LinearAdditive.utilities`` sums: float addition is monotone,
    so carrying each state's extremes from issue to issue gives the extremes exactly."""
    walk = Walk.of([t.size for t in tables], combinations)
    reach = {walk.start: (0.0, 0.0)}  # 0.0 + x is x: the first issue's value itself
    for column, table in enumerate(tables):
        after: dict[int, tuple[float, float]] = {}
        for bits, options in walk.groups(column, None if allowed is None else allowed[column]):
            low, high = float(table[options].min()), float(table[options].max())
            for state, (lowest, highest) in reach.items():
                state &= bits
                if state & walk.ends[column]:
                    continue
                was = after.get(state, (np.inf, -np.inf))
                after[state] = (min(was[0], lowest + low), max(was[1], highest + high))
        reach = after
    if not reach:
        return None
    return min(low for low, _ in reach.values()), max(high for _, high in reach.values())


def possible_count(space: OutcomeSpace) -> int | None:
    """How many packages of ``space`` break none of its constraints (None: it declares none)."""
    if not space.constraints:
        return None
    return count_avoiding(space.sizes, space.constraints)
