"""A party's outcomes ranked by its own utility: what time-based strategies search.

Built once per preference profile and shared by every session that uses it (a tournament plays
the same profile thousands of times). Spaces too large to enumerate are represented by a
seeded sample plus the profile's best outcome, which is enough for concession strategies.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parley.engine.messages import Outcome
from parley.outcomes import OutcomeSpace
from parley.preferences import LinearAdditive, Preferences

ENUMERATE_LIMIT = 2_000_000
SAMPLE_SIZE = 200_000
_CACHE: dict[tuple[int, int], tuple[OutcomeSpace, Preferences, RankedOutcomes]] = {}
_CACHE_LIMIT = 64
_ROWS: dict[tuple[int, ...], NDArray[np.integer]] = {}
_ROWS_LIMIT = 4


class RankedOutcomes:
    """Outcomes that cross none of the party's red lines, best first."""

    def __init__(self, rows: NDArray[np.integer], utilities: NDArray[np.float64]) -> None:
        self.rows = rows
        self.utilities = utilities
        self.best: float | None = float(utilities[0]) if utilities.size else None
        # utilities are descending; searches run on their ascending negation, made once.
        self._ascending: NDArray[np.float64] = -utilities

    def __len__(self) -> int:
        return int(self.utilities.size)

    def count_at_least(self, level: float) -> int:
        """How many outcomes are worth at least ``level`` (they are the first ones)."""
        return int(self._ascending.searchsorted(-level, side="right"))

    def outcome(self, position: int) -> Outcome:
        return tuple(self.rows[position].tolist())


def ranked(space: OutcomeSpace, prefs: Preferences) -> RankedOutcomes:
    """The ranking for ``prefs`` on ``space`` (cached)."""
    key = (id(space), id(prefs))
    hit = _CACHE.get(key)
    if hit is not None:
        return hit[2]
    rows = _candidates(space, prefs)
    rows = rows[~prefs.crosses(rows)]
    utilities = prefs.utilities(rows)
    order = np.argsort(-utilities, kind="stable")
    result = RankedOutcomes(np.take(rows, order, axis=0), utilities[order])
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (space, prefs, result)  # holding space and prefs keeps their ids unique
    return result


def _candidates(space: OutcomeSpace, prefs: Preferences) -> NDArray[np.integer]:
    """Rows in the compact, row-major layout the ranking keeps (gathering them is the cost)."""
    if space.cardinality <= ENUMERATE_LIMIT:
        return _all_rows(space)
    rng = np.random.default_rng(space.cardinality % (2**32))
    sample = np.column_stack([rng.integers(0, n, SAMPLE_SIZE) for n in space.sizes])
    if isinstance(prefs, LinearAdditive):
        best = np.array([[int(np.argmax(t)) for t in prefs.weighted_tables]])
        sample = np.vstack([best, sample])
    return np.ascontiguousarray(sample, dtype=_compact(space.sizes))


def _all_rows(space: OutcomeSpace) -> NDArray[np.integer]:
    """Every outcome of the space, shared by every profile ranked on a space of the same issue
    sizes (a forecast ranks thousands of drawn profiles on one agenda). Read-only: shared."""
    rows = _ROWS.get(space.sizes)
    if rows is None:
        if len(_ROWS) >= _ROWS_LIMIT:
            _ROWS.pop(next(iter(_ROWS)))
        rows = np.ascontiguousarray(space.all_rows(), dtype=_compact(space.sizes))
        rows.flags.writeable = False
        _ROWS[space.sizes] = rows
    return rows


def _compact(sizes: tuple[int, ...]) -> type[np.integer]:
    return np.int16 if max(sizes, default=1) < 2**15 else np.int32
