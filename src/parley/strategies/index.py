"""A party's outcomes ranked by its own utility: what time-based strategies search. A ranking
holds only packages that can exist (``OutcomeSpace.possible_rows``) and cross none of the
party's red lines.

Built once per preference profile and shared by every session that uses it (a tournament plays
the same profile thousands of times). Spaces too large to enumerate are represented by a
seeded sample plus the profile's best outcome, which is enough for concession strategies.

Large rankings are sorted lazily, as a bucket sort: one pass (a radix sort of 16-bit bucket
numbers) puts the outcomes in order of utility bucket, and a bucket is sorted within only when
a question reaches into it. Negotiators ask about the few packages just above their target, so
most buckets are never sorted; a forecast ranks two freshly drawn profiles per run, and this
is most of its time. The order is exactly that of one stable sort of every outcome by utility.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right

import numpy as np
from numpy.typing import NDArray

from parley.engine.messages import Outcome
from parley.outcomes import OutcomeSpace
from parley.preferences import LinearAdditive, Preferences, RedLine

ENUMERATE_LIMIT = 2_000_000
SAMPLE_SIZE = 200_000
BUCKETS = 2**16
SHORT = 4096
"""Up to this many outcomes a ranking also keeps its utilities as a Python list."""
SETTLE_AFTER = 256
"""Questions after which a lazily sorted ranking is sorted whole."""
EAGER = 65_536
"""Up to this many outcomes a ranking is sorted at once."""
_CACHE: dict[tuple[int, int], tuple[OutcomeSpace, Preferences, RankedOutcomes]] = {}
_CACHE_LIMIT = 64
_ROWS: dict[tuple[int, ...], NDArray[np.integer]] = {}
_SCORES: dict[
    tuple[int, tuple[float, ...], tuple[tuple[float, ...], ...]],
    tuple[OutcomeSpace, NDArray[np.float64], tuple[RedLine, ...], NDArray[np.bool_] | None],
] = {}
_SCORES_LIMIT = 8
_ROWS_LIMIT = 4
_IMPOSSIBLE: dict[int, tuple[OutcomeSpace, NDArray[np.bool_]]] = {}
"""Per space with constraints, which of its outcomes break one (the same for every profile)."""


class SortedOutcomes:
    """Outcomes best first, sorted at once: for spaces small enough that sorting costs less than
    the bookkeeping of sorting lazily (a tournament's domains)."""

    def __init__(
        self,
        rows: NDArray[np.integer],
        utilities: NDArray[np.float64],
        positions: NDArray[np.intp] | None = None,
    ) -> None:
        candidates = np.arange(utilities.size) if positions is None else positions
        order = candidates[np.argsort(-utilities[candidates], kind="stable")]
        self._rows = np.take(rows, order, axis=0)
        self._utilities = utilities[order]
        self.best: float | None = float(self._utilities[0]) if order.size else None
        # utilities are descending; searches run on their ascending negation, made once (as a
        # list when short: bisect answers one question faster than a NumPy call).
        self._ascending: NDArray[np.float64] = -self._utilities
        self._short = self._ascending.tolist() if order.size <= SHORT else None

    def __len__(self) -> int:
        return int(self._utilities.size)

    def count_at_least(self, level: float) -> int:
        """How many outcomes are worth at least ``level`` (they are the first ones)."""
        if self._short is not None:
            return bisect_right(self._short, -level)
        return int(self._ascending.searchsorted(-level, side="right"))

    def between(self, start: int, stop: int) -> NDArray[np.integer]:
        """The outcomes ranked ``start`` to ``stop - 1``, best first."""
        return self._rows[max(0, start) : max(0, stop)]

    def top(self, count: int) -> NDArray[np.integer]:
        """The ``count`` best outcomes (fewer if there are fewer)."""
        return self._rows[:count]

    def outcome(self, position: int) -> Outcome:
        return tuple(self._rows[position].tolist())


class BucketedOutcomes:
    """Outcomes (``positions`` into ``rows``) best first, sorted lazily bucket by bucket.

    A ranking asked many questions (the same profile in a tournament's thousands of
    negotiations) is worth sorting whole: after ``SETTLE_AFTER`` questions it becomes a
    ``SortedOutcomes`` (the same order) and answers as fast as one."""

    def __init__(
        self,
        rows: NDArray[np.integer],
        utilities: NDArray[np.float64],
        positions: NDArray[np.intp] | None = None,
    ) -> None:
        self._rows = rows
        self._utilities = utilities
        candidates = np.arange(utilities.size) if positions is None else positions
        worth = utilities[candidates]
        self._size = int(candidates.size)
        self.best: float | None = float(worth.max()) if worth.size else None
        low = float(worth.min()) if worth.size else 0.0
        span = (self.best or 0.0) - low
        self._low, self._scale = low, ((BUCKETS - 1) / span if span > 0 else 0.0)
        buckets = self._bucket(worth)
        # Highest bucket first; a stable radix sort keeps the original order within a bucket.
        self._order = candidates[np.argsort(BUCKETS - 1 - buckets, kind="stable")]
        counts = np.bincount(buckets, minlength=BUCKETS)[::-1]
        self._starts = np.concatenate([[0], np.cumsum(counts)])
        self._sorted = counts <= 1
        self._positions = positions
        self._asked = 0
        self._whole: SortedOutcomes | None = None

    def _sorted_whole(self) -> SortedOutcomes | None:
        """The whole ranking, once this one has been asked often enough to be worth it."""
        if self._whole is None:
            self._asked += 1
            if self._asked > SETTLE_AFTER:
                self._whole = SortedOutcomes(self._rows, self._utilities, self._positions)
        return self._whole

    def _bucket(self, worth: NDArray[np.float64]) -> NDArray[np.uint16]:
        scaled = np.floor((worth - self._low) * self._scale)
        return np.clip(scaled, 0, BUCKETS - 1).astype(np.uint16)

    def _slot(self, level: float) -> int:
        """The slot (0 = the best bucket) that a utility of ``level`` falls in."""
        return BUCKETS - 1 - int(self._bucket(np.array([level]))[0])

    def _settle(self, first: int, last: int) -> None:
        """Sort within every slot from ``first`` to ``last`` that is not sorted yet."""
        for slot in range(first, last + 1):
            if not self._sorted[slot]:
                a, b = int(self._starts[slot]), int(self._starts[slot + 1])
                members = self._order[a:b]
                self._order[a:b] = members[np.argsort(-self._utilities[members], kind="stable")]
                self._sorted[slot] = True

    def _slot_of(self, position: int) -> int:
        return int(np.searchsorted(self._starts, position, side="right")) - 1

    def __len__(self) -> int:
        return self._size

    def count_at_least(self, level: float) -> int:
        """How many outcomes are worth at least ``level`` (they are the first ones)."""
        whole = self._sorted_whole()
        if whole is not None:
            return whole.count_at_least(level)
        if self._size == 0 or level > (self.best or 0.0):
            return 0
        if level <= self._low:
            return self._size
        slot = self._slot(level)
        self._settle(slot, slot)
        a, b = int(self._starts[slot]), int(self._starts[slot + 1])
        inside = -self._utilities[self._order[a:b]]  # ascending
        return a + int(inside.searchsorted(-level, side="right"))

    def between(self, start: int, stop: int) -> NDArray[np.integer]:
        """The outcomes ranked ``start`` to ``stop - 1``, best first."""
        if self._whole is not None:
            return self._whole.between(start, stop)
        start, stop = max(0, start), min(stop, self._size)
        if stop <= start:
            return self._rows[:0]
        self._settle(self._slot_of(start), self._slot_of(stop - 1))
        return np.take(self._rows, self._order[start:stop], axis=0)

    def top(self, count: int) -> NDArray[np.integer]:
        """The ``count`` best outcomes (fewer if there are fewer)."""
        return self.between(0, count)

    def outcome(self, position: int) -> Outcome:
        return tuple(int(v) for v in self.between(position, position + 1)[0])


RankedOutcomes = SortedOutcomes | BucketedOutcomes
"""A ranking, whichever way it sorts: ``count_at_least``, ``between``, ``top``, ``outcome``."""


def best_completion(
    space: OutcomeSpace, prefs: Preferences, items: dict[int, int]
) -> Outcome | None:
    """The best outcome for ``prefs`` that takes every option in ``items``, can exist and
    crosses none of its red lines, or None. An additive profile whose red lines each forbid
    options of one issue is answered issue by issue (its best allowed option on every free
    issue) unless that answer breaks a constraint; any other question is searched through the
    profile's ranking (``best_with``)."""
    if any(c.taken_by(items) for c in space.constraints):
        return None  # no completion can exist
    allowed = _allowed_options(prefs)
    if allowed is None:
        return best_with(ranked(space, prefs), items)
    best = _issue_by_issue(prefs, allowed, items)
    if best is not None and space.impossible(best) is not None:
        return best_with(ranked(space, prefs), items)  # a constraint binds: search
    return best


def _issue_by_issue(
    prefs: Preferences, allowed: list[NDArray[np.bool_]], items: dict[int, int]
) -> Outcome | None:
    """``best_completion`` for an additive profile whose red lines each concern one issue
    (``allowed``: the options they leave), the constraints aside."""
    assert isinstance(prefs, LinearAdditive)
    best: list[int] = []
    for column, table in enumerate(prefs.weighted_tables):
        if column in items:
            if not allowed[column][items[column]]:
                return None
            best.append(items[column])
            continue
        options = np.flatnonzero(allowed[column])
        if not options.size:
            return None
        best.append(int(options[int(np.argmax(table[options]))]))
    return tuple(best)


def _allowed_options(prefs: Preferences) -> list[NDArray[np.bool_]] | None:
    """Per issue, the options no red line forbids, when every red line concerns one issue of
    an additive profile (None otherwise: the question needs the ranking)."""
    if not isinstance(prefs, LinearAdditive) or any(
        len(line.conditions) != 1 for line in prefs.red_lines
    ):
        return None
    allowed = [np.ones(size, dtype=np.bool_) for size in prefs.sizes]
    for line in prefs.red_lines:
        ((column, options),) = line.conditions
        allowed[column][list(options)] = False
    return allowed


def best_by_items(
    space: OutcomeSpace, prefs: Preferences, columns: list[int], count: int
) -> NDArray[np.integer]:
    """Its best outcomes with distinct options on ``columns``, best first, at most ``count``
    (each the best completion of its items). Additive profiles with one-issue red lines are
    answered from every combination of the covered options (when there are at most 65,536);
    others by scanning the ranking."""
    sizes = [space.sizes[c] for c in columns]
    if _allowed_options(prefs) is None or int(np.prod(sizes)) > EAGER:
        return _distinct_in_ranking(ranked(space, prefs), columns, count)
    found = []
    for combination in itertools.product(*(range(n) for n in sizes)):
        best = best_completion(space, prefs, dict(zip(columns, combination, strict=True)))
        if best is not None:
            found.append((-prefs.utility(best), combination, best))
    found.sort()  # best first; among equals, the earlier options
    rows = [best for _, _, best in found[:count]]
    return np.array(rows, dtype=np.int64).reshape(len(rows), len(space.sizes))


def _distinct_in_ranking(
    ranking: RankedOutcomes, columns: list[int], count: int
) -> NDArray[np.integer]:
    found: dict[tuple[int, ...], NDArray[np.integer]] = {}
    start, block = 0, 4096
    while start < len(ranking) and len(found) < count:
        rows = ranking.between(start, start + block)
        keys = rows[:, columns]
        _, first = np.unique(keys, axis=0, return_index=True)
        for i in sorted(first):  # in the ranking's order
            found.setdefault(tuple(int(v) for v in keys[i]), rows[i])
        start, block = start + block, block * 2
    return np.array(list(found.values())[:count])


def best_with(ranking: RankedOutcomes, items: dict[int, int]) -> Outcome | None:
    """The best-ranked outcome that takes every option in ``items`` (issue column -> option),
    or None: searched best first, a block at a time."""
    columns = np.fromiter(items, dtype=np.intp)
    options = np.fromiter(items.values(), dtype=np.intp)
    start, block = 0, 1024
    while start < len(ranking):
        rows = ranking.between(start, start + block)
        hit = np.flatnonzero((rows[:, columns] == options).all(axis=1))
        if hit.size:
            return tuple(int(v) for v in rows[int(hit[0])])
        start, block = start + block, block * 4
    return None


def ranked(space: OutcomeSpace, prefs: Preferences) -> RankedOutcomes:
    """The ranking for ``prefs`` on ``space`` (cached)."""
    key = (id(space), id(prefs))
    hit = _CACHE.get(key)
    if hit is not None:
        return hit[2]
    rows = _candidates(space, prefs)
    utilities, crossed = _scores(space, prefs, rows)
    impossible = _impossible(space, rows)
    if impossible is not None:
        crossed = impossible if crossed is None else crossed | impossible
    keep = None if crossed is None else np.flatnonzero(~crossed)
    size = utilities.size if keep is None else keep.size
    kind = SortedOutcomes if size <= EAGER else BucketedOutcomes
    result: RankedOutcomes = kind(rows, utilities, keep)
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (space, prefs, result)  # holding space and prefs keeps their ids unique
    return result


def _scores(
    space: OutcomeSpace, prefs: Preferences, rows: NDArray[np.integer]
) -> tuple[NDArray[np.float64], NDArray[np.bool_] | None]:
    """Every row's utility, and whether it crosses a red line (None: no red lines). When an
    endorsed framework binds items, a seat's profile gains red lines and is ranked again: the
    same tables' utilities, and the crossings of the red lines it already had, are reused."""
    if not isinstance(prefs, LinearAdditive) or rows.shape[0] != space.cardinality:
        crossed = prefs.crosses(rows) if prefs.red_lines else None
        return _utilities(space, prefs, rows), crossed
    key = (id(space), prefs.weights, prefs.values)
    hit = _SCORES.get(key)
    lines: tuple[RedLine, ...] = ()
    crossed = None
    if hit is None:
        utilities = _utilities(space, prefs, rows)
    else:
        _, utilities, lines, crossed = hit
        if prefs.red_lines[: len(lines)] != lines:
            lines, crossed = (), None
    for line in prefs.red_lines[len(lines) :]:
        more = line.crossed_by_rows(rows, space.sizes)
        crossed = more if crossed is None else crossed | more
    if len(_SCORES) >= _SCORES_LIMIT:
        _SCORES.pop(next(iter(_SCORES)))
    _SCORES[key] = (space, utilities, prefs.red_lines, crossed)  # space: keeps its id unique
    return utilities, crossed


def _impossible(space: OutcomeSpace, rows: NDArray[np.integer]) -> NDArray[np.bool_] | None:
    """Which rows break a constraint (None: the space has none); over the whole space, worked
    out once per space (a forecast ranks thousands of drawn profiles on one agenda)."""
    if not space.constraints:
        return None
    if rows.shape[0] != space.cardinality:
        return ~space.possible_rows(rows)
    hit = _IMPOSSIBLE.get(id(space))
    if hit is None:
        if len(_IMPOSSIBLE) >= _SCORES_LIMIT:
            _IMPOSSIBLE.pop(next(iter(_IMPOSSIBLE)))
        hit = _IMPOSSIBLE[id(space)] = (space, ~space.possible_rows(rows))  # space: keeps its id
    return hit[1]


def _utilities(
    space: OutcomeSpace, prefs: Preferences, rows: NDArray[np.integer]
) -> NDArray[np.float64]:
    """``prefs.utilities(rows)``; for a linear-additive profile over the whole space (rows in
    mixed-radix order, last issue fastest) as an outer sum of its tables, which adds the same
    numbers in the same order without gathering a column per issue."""
    if not isinstance(prefs, LinearAdditive) or rows.shape[0] != space.cardinality:
        return prefs.utilities(rows)
    tables = prefs.weighted_tables
    total = tables[0]
    for table in tables[1:]:
        total = np.add.outer(total, table).ravel()
    return np.asarray(total, dtype=np.float64)


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
