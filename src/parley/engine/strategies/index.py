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
    compact = np.int16 if max(space.sizes) < 2**15 else np.int32
    result = RankedOutcomes(rows[order].astype(compact), utilities[order])
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (space, prefs, result)  # holding space and prefs keeps their ids unique
    return result


def _candidates(space: OutcomeSpace, prefs: Preferences) -> NDArray[np.int64]:
    if space.cardinality <= ENUMERATE_LIMIT:
        return space.all_rows()
    rng = np.random.default_rng(space.cardinality % (2**32))
    sample = np.column_stack([rng.integers(0, n, SAMPLE_SIZE) for n in space.sizes])
    if isinstance(prefs, LinearAdditive):
        best = np.array([[int(np.argmax(t)) for t in prefs.weighted_tables]])
        sample = np.vstack([best, sample])
    return sample.astype(np.int64)
