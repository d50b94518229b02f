"""Preference models beyond plain linear-additive, computed as GENIUS 10.4 computes them.

``HyperRectangles`` is GENIUS's nonlinear utility space (the ANAC 2014 format): a tree of
utility functions whose leaves are hyper-rectangles of the outcome space. ``CappedAdditive``
is a linear-additive model whose utility is capped, as GENIUS caps every additive utility at 1
(it matters when a profile's weights sum to more than 1).

Both keep Parley's two paths: ``utility`` for one outcome, written to follow the GENIUS code
step by step, and ``utilities`` for a batch, vectorized; tests hold them equal. Both paths add
the same terms in the same order as GENIUS, so the results are the same floats.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from parley.outcomes import Combination, OutcomeRows
from parley.preferences import LinearAdditive, Preferences, Utilities

Aggregation = Literal["sum", "min", "max"]

_JAVA_INT_MAX = 2147483647.0
"""GENIUS starts a MIN aggregation at Integer.MAX_VALUE and a MAX one at its negative."""


@dataclass(frozen=True)
class Rectangle:
    """A hyper-rectangle: ``bounds`` are (column, min, max) on issue values, all inclusive.

    Inclusive rectangles are worth ``utility * weight`` when every bound holds (always, when
    there are no bounds); exclusive ones when at least one bound is violated.
    """

    utility: float
    weight: float = 1.0
    exclusive: bool = False
    bounds: tuple[tuple[int, float, float], ...] = ()

    @property
    def worth(self) -> float:
        return self.utility * self.weight

    def holds(self, values: Sequence[float]) -> bool:
        """Does the rectangle pay for an outcome with these issue values?"""
        inside = all(low <= values[column] <= high for column, low, high in self.bounds)
        return not inside if self.exclusive else inside


@dataclass(frozen=True)
class Ufun:
    """A node: its rectangles, then its nested nodes times their weights, aggregated."""

    aggregation: Aggregation = "sum"
    weight: float = 1.0
    rectangles: tuple[Rectangle, ...] = ()
    children: tuple[Ufun, ...] = ()

    def value(self, values: Sequence[float]) -> float:
        """GENIUS's ``UtilityFunction.getUtility`` for one outcome's issue values."""
        terms = [r.worth if r.holds(values) else 0.0 for r in self.rectangles]
        terms += [child.value(values) * child.weight for child in self.children]
        total = _start(self.aggregation)
        for term in terms:
            if self.aggregation == "sum":
                total += term
            elif self.aggregation == "min":
                total = min(total, term)
            else:
                total = max(total, term)
        return total


def _start(aggregation: Aggregation) -> float:
    return {"sum": 0.0, "min": _JAVA_INT_MAX, "max": -_JAVA_INT_MAX}[aggregation]


@dataclass(frozen=True, kw_only=True)
class HyperRectangles(Preferences):
    """GENIUS's nonlinear utility: u = min(1, root(outcome) / max_utility).

    ``grids[j]`` holds the numeric value of each option of issue ``j`` (what rectangle bounds
    are compared with).
    """

    grids: tuple[tuple[float, ...], ...]
    root: Ufun
    max_utility: float

    def __post_init__(self) -> None:
        if len(self.grids) != len(self.sizes):
            raise ValueError("grids and sizes must have one entry per issue")
        for j, (grid, size) in enumerate(zip(self.grids, self.sizes, strict=True)):
            if len(grid) != size:
                raise ValueError(f"issue {j}: {len(grid)} grid values for {size} options")
        if not self.max_utility > 0:
            raise ValueError(f"max_utility must be positive, got {self.max_utility}")

    def utility(self, outcome: Sequence[int]) -> float:
        values = [grid[int(i)] for grid, i in zip(self.grids, outcome, strict=True)]
        return min(1.0, self.root.value(values) / self.max_utility)

    def utilities(self, rows: OutcomeRows) -> Utilities:
        # every bound reads one issue's column: contiguous columns make those reads fast
        total = self._batch(self.root, np.asfortranarray(rows)) / self.max_utility
        return np.minimum(total, 1.0)

    @cached_property
    def inside_tables(self) -> dict[tuple[int, float, float], NDArray[np.bool_]]:
        """For every distinct bound: which options of its issue satisfy it."""
        tables: dict[tuple[int, float, float], NDArray[np.bool_]] = {}
        stack = [self.root]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            for rectangle in node.rectangles:
                for bound in rectangle.bounds:
                    if bound not in tables:
                        column, low, high = bound
                        grid = np.asarray(self.grids[column], dtype=np.float64)
                        tables[bound] = (low <= grid) & (grid <= high)
        return tables

    def _pays(self, rectangle: Rectangle, rows: OutcomeRows) -> NDArray[np.bool_]:
        inside = np.ones(rows.shape[0], dtype=np.bool_)
        for bound in rectangle.bounds:
            inside &= self.inside_tables[bound][rows[:, bound[0]]]
        return ~inside if rectangle.exclusive else inside

    def _batch(self, node: Ufun, rows: OutcomeRows) -> Utilities:
        total = np.full(rows.shape[0], _start(node.aggregation), dtype=np.float64)
        combine = {"sum": np.add, "min": np.minimum, "max": np.maximum}[node.aggregation]
        for rectangle in node.rectangles:
            term = np.where(self._pays(rectangle, rows), rectangle.worth, 0.0)
            combine(total, term, out=total)
        for child in node.children:
            combine(total, self._batch(child, rows) * child.weight, out=total)
        return total

    def rectangle_count(self) -> int:
        """How many rectangles the whole tree holds."""
        count, stack = 0, [self.root]
        while stack:
            node = stack.pop()
            count += len(node.rectangles)
            stack.extend(node.children)
        return count


@dataclass(frozen=True, kw_only=True)
class CappedAdditive(Preferences):
    """A linear-additive model whose utility is at most ``ceiling`` (GENIUS: min(1, sum)).

    Reservation, discount and red lines are this object's; ``base`` supplies only the sum.
    """

    base: LinearAdditive
    ceiling: float = 1.0

    def utility(self, outcome: Sequence[int]) -> float:
        return min(self.ceiling, self.base.utility(outcome))

    def utilities(self, rows: OutcomeRows) -> Utilities:
        return np.minimum(self.base.utilities(rows), self.ceiling)

    def best_value(self) -> float:
        return min(self.ceiling, self.base.best_value())

    def worst_value(self) -> float:
        return min(self.ceiling, self.base.worst_value())


@dataclass(frozen=True)
class Classes:
    """The outcome space seen through a group of models: per issue, options no model tells
    apart form a class, represented by its lowest option.

    ``representative_of[j][o]`` is the representative of option ``o`` of issue ``j``. Every
    model gives an outcome the same utility (and red-line verdict) as the outcome made of its
    options' representatives, so analysing the representative outcomes, each standing for
    ``multiplicity`` outcomes, is exact. A representative outcome has the lowest outcome number
    among the outcomes it stands for, so "lowest outcome number" tie-breaks are kept.
    """

    representative_of: tuple[NDArray[np.int64], ...]

    @cached_property
    def representatives(self) -> tuple[NDArray[np.int64], ...]:
        """Per issue, the representative options in increasing order."""
        return tuple(np.unique(of) for of in self.representative_of)

    @cached_property
    def sizes(self) -> tuple[NDArray[np.int64], ...]:
        """Per issue, how many options each representative stands for."""
        return tuple(np.unique(of, return_counts=True)[1] for of in self.representative_of)

    @property
    def cardinality(self) -> int:
        """Number of representative outcomes (a Python int)."""
        count = 1
        for reps in self.representatives:
            count *= int(reps.size)
        return count

    def rows(self, start: int, stop: int) -> OutcomeRows:
        """Representative outcomes ``start`` .. ``stop - 1`` (last issue fastest), as rows of
        option indices of the original space (columns contiguous: models read by issue)."""
        stop = min(stop, self.cardinality)
        out = np.empty((max(0, stop - start), len(self.representatives)), np.int64, order="F")
        if not out.size:
            return out
        stride = 1  # outcomes per step of issue j
        for j in range(len(self.representatives) - 1, -1, -1):
            options = self.representatives[j]
            # consecutive outcomes hold each option for ``stride`` outcomes in turn: one run
            # per step, so an early issue costs a few runs instead of a division per outcome
            runs = np.arange(start // stride, (stop - 1) // stride + 1)
            ends = np.clip(np.append(runs, runs[-1] + 1) * stride, start, stop)
            out[:, j] = np.repeat(options[runs % options.size], np.diff(ends))
            stride *= options.size
        return out

    def chunks(self, chunk: int = 1 << 20) -> Iterator[tuple[int, OutcomeRows]]:
        for start in range(0, self.cardinality, chunk):
            yield start, self.rows(start, start + chunk)

    def represent(self, rows: OutcomeRows) -> OutcomeRows:
        """Each outcome replaced by its representative outcome."""
        return np.column_stack([of[rows[:, j]] for j, of in enumerate(self.representative_of)])

    def multiplicity(self, rows: OutcomeRows) -> NDArray[np.int64]:
        """How many outcomes of the full space each representative row stands for."""
        count = np.ones(rows.shape[0], dtype=np.int64)
        for j, of in enumerate(self.representative_of):
            count *= np.bincount(of, minlength=of.size)[rows[:, j]]
        return count


def outcome_classes(
    models: Sequence[Preferences], sizes: Sequence[int], constraints: Sequence[Combination] = ()
) -> Classes:
    """Group each issue's options that none of ``models`` and ``constraints`` tells apart
    (see ``Classes``).

    Hyper-rectangle models only see which of their bounds an option satisfies; linear-additive
    ones (capped or not) only its value in the table; red lines and constraints only membership
    of their option sets; any other model is assumed to tell every option apart. For ANAC
    2014-style scenarios this shrinks 10**10 outcomes to a few million representatives or fewer.
    """
    features: list[list[NDArray[np.float64]]] = [[] for _ in sizes]
    combinations = [*constraints, *(line for model in models for line in model.red_lines)]
    for combination in combinations:
        for column, options in combination.conditions:
            member = np.zeros(sizes[column], dtype=np.float64)
            member[list(options)] = 1.0
            features[column].append(member)
    for model in models:
        base = model.base if isinstance(model, CappedAdditive) else model
        if isinstance(base, HyperRectangles):
            for (column, _low, _high), inside in base.inside_tables.items():
                features[column].append(inside.astype(np.float64))
        elif isinstance(base, LinearAdditive):
            for column, table in enumerate(base.weighted_tables):
                features[column].append(table)
        else:
            for column, size in enumerate(sizes):
                features[column].append(np.arange(size, dtype=np.float64))
    representative_of = []
    for column, size in enumerate(sizes):
        if not features[column]:
            representative_of.append(np.zeros(size, dtype=np.int64))
            continue
        matrix = np.stack(features[column], axis=1)
        _, first, inverse = np.unique(matrix, axis=0, return_index=True, return_inverse=True)
        representative_of.append(first[inverse.reshape(-1)].astype(np.int64))
    return Classes(tuple(representative_of))


__all__ = [
    "Aggregation",
    "CappedAdditive",
    "Classes",
    "HyperRectangles",
    "Rectangle",
    "Ufun",
    "outcome_classes",
]
