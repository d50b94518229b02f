"""The exact Pareto frontier of two linear-additive profiles, without enumerating the space.

With u(x) = sum_j t_j[x_j] for each principal, an outcome is on the frontier only if every
prefix (x_0 .. x_j) is, up to ties, on the frontier of the partial sums over issues 0..j:
otherwise the prefix that beats it, completed the same way, beats the whole outcome. So the
frontier is folded issue by issue: the partial sums of the kept prefixes plus each option of
the next issue, reduced to the prefixes that can still end on the frontier. Each fold handles
(kept prefixes x options) candidates, so the cost follows the frontier's length, not the
space's size: a random 12-issue, 10^12-outcome space takes milliseconds. Preferences that
nearly sum to a constant (what one side gains the other loses, issue by issue) put most
outcomes on the frontier; a fold that would exceed ``limit`` candidates is refused.

Exactness. The frontier is the one enumeration finds (``parley.analysis.analyze``): utilities
summed issue by issue as ``LinearAdditive.utilities`` sums them (the same float additions in
the same order), compared on the grid of ``points.quantize``, identical vectors all kept.
Float addition is monotone, so a prefix that is at least as good as another on both utilities
stays at least as good after any completion; it stays strictly better on a utility only if it
leads there by more than one grid step plus the rounding of the remaining additions
(``margin``). A prefix is therefore dropped only when a prefix at least as good on both
utilities leads it by more than ``margin`` on one of them: each of its completions is then
strictly dominated on the grid. Prefixes closer than that are kept, and the last fold
compares the finished utilities on the grid exactly as enumeration does.

Identical utility vectors. Outcomes that share a frontier vector (the same option values on
an issue, or offsetting differences) multiply across issues: with 12 issues and two
interchangeable options on each there are 4,096 outcomes per vector. So the result keeps, per
frontier vector, the count of outcomes and the lowest-numbered one (enumeration's tie rule),
plus the back-pointers (``_Level``) that list every one of them on demand (``outcomes``,
``all_rows``). Counts are exact.

Forbidden combinations. Red lines and the space's constraints that forbid options of one
issue are applied by leaving those options out. Those that combine issues are tracked as the
state of each prefix (``parley.combinations``: which of them the prefix still takes on every
issue seen so far); prefixes in the same state allow the same completions, so nodes are
merged and compared only within a state, and a completion that takes a combination whole is
never formed. Every state is empty after the last issue, where the comparison is enumeration's.

Scope: two principals with ``LinearAdditive`` preferences, and at most ``MOST`` combinations
that combine issues (``why_not_linear`` says why a scenario does not qualify). The ZOPA is
known only when the worst feasible outcome already meets both reservations (all feasible
outcomes) or no frontier outcome does (none): ``zopa_size`` returns None otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parley.analysis.points import SCORES, Point, best_row, kalai_score, quantize
from parley.analysis.report import Analysis
from parley.combinations import Walk, count_avoiding, extremes_avoiding, possible_count
from parley.errors import AnalysisError, FoldError
from parley.outcomes import MOST, Combination, OutcomeRows, OutcomeSpace
from parley.preferences import RESOLUTION, LinearAdditive, Preferences
from parley.scenario.model import Scenario

__all__ = [
    "CANDIDATE_LIMIT",
    "METHOD",
    "LinearFrontier",
    "linear_analysis",
    "linear_frontier",
    "special_points",
    "why_not_linear",
    "zopa_size",
]

Vector = NDArray[np.float64]
Indices = NDArray[np.int64]
Counts = NDArray[np.int64] | NDArray[np.object_]

SPECIAL = ("nash", "kalai", "utilitarian", "egalitarian")
METHOD = "linear frontier"
LISTED = 100_000
"""``linear_analysis`` lists every frontier outcome up to this many, else one per vector."""
CANDIDATE_LIMIT = 4_000_000
"""Most (kept prefixes x options) one fold may handle: about a gigabyte of working memory."""


@dataclass(frozen=True, eq=False)
class _Level:
    """One fold's kept prefixes (nodes): node ``v`` of this level extends node ``parent[e]`` of
    the previous level with option ``option[e]`` for each edge ``e`` in ``start[v]:start[v+1]``;
    ``best_parent``/``best_option`` give its lowest-numbered prefix."""

    parent: Indices
    option: Indices
    start: Indices
    best_parent: Indices
    best_option: Indices


@dataclass(frozen=True, eq=False)
class LinearFrontier:
    """The frontier as distinct utility vectors, by first principal's utility descending.

    ``rows[i]`` is the lowest-numbered outcome with vector ``i`` and ``utilities[i]`` its two
    utilities as ``Preferences.utilities`` computes them; ``counts[i]`` outcomes share the
    vector (``outcomes(i)`` lists them). ``feasible`` counts the outcomes crossing no red line;
    ``worst`` and ``best`` are each principal's lowest and highest utility among them (None
    when there are none).
    """

    space: OutcomeSpace
    rows: OutcomeRows
    utilities: NDArray[np.float64]
    counts: Counts
    feasible: int
    worst: tuple[float, float] | None
    best: tuple[float, float] | None
    _levels: tuple[_Level, ...]
    _members: Indices  # last-level nodes of vector i: _members[_member_start[i]:...[i+1]]
    _member_start: Indices

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    @property
    def size(self) -> int:
        """Outcomes on the frontier, counting every outcome of a shared vector."""
        return int(sum(int(c) for c in self.counts))

    def outcomes(self, i: int, *, limit: int = 1_000_000) -> OutcomeRows:
        """Every outcome with frontier vector ``i``, by outcome number."""
        if int(self.counts[i]) > limit:
            raise FoldError(
                f"frontier vector {i} is shared by {int(self.counts[i]):,} outcomes, more than "
                f"the limit of {limit:,}"
            )
        nodes = self._members[self._member_start[i] : self._member_start[i + 1]]
        return self._expand(nodes)

    def all_rows(self, *, limit: int = 1_000_000) -> OutcomeRows:
        """Every frontier outcome: vectors in frontier order, each one's outcomes by number."""
        if self.size > limit:
            raise AnalysisError(
                f"the frontier holds {self.size:,} outcomes, more than the limit of {limit:,}; "
                "use rows (one per utility vector) and outcomes(i)"
            )
        width = len(self.space.sizes)
        parts = [self.outcomes(i, limit=limit) for i in range(len(self))]
        return np.concatenate(parts) if parts else np.empty((0, width), dtype=np.int64)

    def _expand(self, nodes: Indices) -> OutcomeRows:
        n = len(self._levels)
        suffix = np.empty((nodes.size, 0), dtype=np.int64)
        for level in reversed(self._levels):
            starts, stops = level.start[nodes], level.start[nodes + 1]
            widths = stops - starts
            edges = np.repeat(stops - np.cumsum(widths), widths) + np.arange(int(widths.sum()))
            suffix = np.column_stack([level.option[edges], np.repeat(suffix, widths, axis=0)])
            nodes = level.parent[edges]
        rows = suffix.reshape(-1, n)
        order = np.lexsort(tuple(rows[:, j] for j in reversed(range(n))))
        return np.ascontiguousarray(rows[order])


def why_not_linear(
    prefs: Sequence[Preferences], constraints: Sequence[Combination] = ()
) -> str | None:
    """Why ``linear_frontier`` cannot take these principals' preferences on a space with these
    constraints (None if it can)."""
    if len(prefs) != 2:
        return f"it handles two principals, not {len(prefs)}"
    for k, p in enumerate(prefs):
        if type(p) is not LinearAdditive:
            return f"principal {k + 1}'s preferences are {type(p).__name__}, not LinearAdditive"
    combined = len(_combined(constraints, prefs))
    if combined > MOST:
        return f"{combined} red lines and constraints combine issues, more than {MOST}"
    return None


def linear_frontier(
    space: OutcomeSpace,
    first: Preferences,
    second: Preferences,
    *,
    limit: int = CANDIDATE_LIMIT,
) -> LinearFrontier:
    """The exact Pareto frontier of two principals' linear-additive preferences (module doc).

    Raises ``ParleyError`` when the preferences do not qualify (``why_not_linear``) or when a
    fold would handle more than ``limit`` candidates (the frontier is then too long to hold).
    """
    reason = why_not_linear((first, second), space.constraints)
    if reason is not None:
        raise FoldError(f"linear_frontier: {reason}")
    assert isinstance(first, LinearAdditive)
    assert isinstance(second, LinearAdditive)
    for p in (first, second):
        if p.sizes != space.sizes:
            raise FoldError(f"preferences for issue sizes {p.sizes}, space has {space.sizes}")
    tables = (first.weighted_tables, second.weighted_tables)
    allowed = _allowed_options(space, (first, second))
    combined = _combined(space.constraints, (first, second))
    feasible = count_avoiding(space.sizes, combined, allowed)
    if feasible == 0:
        return _empty(space)
    walk = Walk.of(space.sizes, combined)
    margin = RESOLUTION + _rounding_bound(tables)
    width = len(space.sizes)
    # level -1: one empty prefix
    node_u = np.zeros((1, 2), dtype=np.float64)
    # counts are exact: Python integers when int64 could overflow
    node_count: Counts = (
        np.ones(1, dtype=np.int64) if feasible < 2**62 else np.ones(1, dtype=np.object_)
    )
    node_rank = np.zeros(1, dtype=np.int64)
    node_state = np.full(1, walk.start, dtype=np.int64)
    levels: list[_Level] = []
    last_keys = node_u
    for j in range(width):
        options = allowed[j]
        if node_u.shape[0] * options.size > limit:
            raise FoldError(
                f"the Pareto frontier is too long to fold: {node_u.shape[0]:,} partial "
                f"packages on issues 1-{j} times {options.size} options of issue "
                f"{space.issues[j].id} exceed {limit:,} candidates (preferences that nearly "
                "sum to a constant put most packages on the frontier)"
            )
        parents = np.repeat(np.arange(node_u.shape[0], dtype=np.int64), options.size)
        chosen = np.tile(options, node_u.shape[0])
        states, alive = walk.step(j, node_state[parents], chosen)
        parents, chosen, states = parents[alive], chosen[alive], states[alive]
        step = np.column_stack([tables[0][j][chosen], tables[1][j][chosen]])
        # the first issue's utility is the table value itself, as in LinearAdditive.utilities
        candidates = step if j == 0 else node_u[parents] + step
        level, node_u, node_count, node_rank, node_state, last_keys = _fold(
            candidates,
            parents,
            chosen,
            states,
            node_count,
            node_rank,
            last=j == width - 1,
            margin=margin,
        )
        levels.append(level)
    worst, best = _extremes(tables, combined, allowed)
    return _frontier(
        space, feasible, worst, best, tuple(levels), node_u, node_count, node_rank, last_keys
    )


def special_points(
    frontier: LinearFrontier, reservations: Sequence[float]
) -> dict[str, int | None]:
    """Frontier index of the Nash, Kalai, utilitarian and egalitarian points.

    The definitions and tie rules of ``parley.analysis.points`` (each point lies on the
    frontier, and among outcomes sharing a vector the lowest-numbered one wins); all None
    when no outcome meets both reservations.
    """
    d = quantize(np.asarray(reservations, dtype=np.float64))
    u = quantize(frontier.utilities)
    inside = np.flatnonzero((u[:, 0] >= d[0]) & (u[:, 1] >= d[1]))
    if inside.size == 0:
        return dict.fromkeys(SPECIAL)
    u = u[inside]
    sums = u[:, 0] + u[:, 1]
    rows = frontier.rows[inside]
    numbers = np.empty(inside.size, dtype=np.int64)  # outcome order, safe beyond 2**63
    numbers[np.lexsort(tuple(rows[:, j] for j in reversed(range(rows.shape[1]))))] = np.arange(
        inside.size
    )
    found: dict[str, int | None] = {
        name: int(inside[best_row(score(u, d), sums, numbers)]) for name, score in SCORES.items()
    }
    ideal = u.max(axis=0)
    found["kalai"] = int(inside[best_row(kalai_score(u, d, ideal), sums, numbers)])
    return {name: found[name] for name in SPECIAL}


def zopa_size(frontier: LinearFrontier, reservations: Sequence[float]) -> int | None:
    """Outcomes meeting both reservations, when the frontier decides it; None otherwise.

    All feasible outcomes when the worst feasible outcome meets both (computed like any
    outcome's utility); none when no frontier outcome does.
    """
    d = quantize(np.asarray(reservations, dtype=np.float64))
    u = quantize(frontier.utilities)
    if not ((u[:, 0] >= d[0]) & (u[:, 1] >= d[1])).any():
        return 0
    assert frontier.worst is not None  # a frontier outcome exists
    if bool((quantize(np.array(frontier.worst, dtype=np.float64)) >= d).all()):
        return frontier.feasible
    return None


def linear_analysis(scenario: Scenario, *, listed: int = LISTED) -> Analysis:
    """``analyze``'s ``Analysis`` computed by the fold instead of enumeration.

    For scenarios whose principals ``why_not_linear`` accepts and whose ZOPA the frontier
    decides (``zopa_size``: every feasible outcome meets both reservations, or none does);
    raises ``ParleyError`` otherwise. The result equals ``analyze``'s but for ``method``, when
    the frontier holds at most ``listed`` outcomes; beyond that ``pareto`` lists the
    lowest-numbered outcome of each frontier utility vector.
    """
    prefs = [p.preferences for p in scenario.principals if p.preferences is not None]
    if len(prefs) != len(scenario.principals):
        raise AnalysisError(f"{scenario.source}: every principal needs preferences")
    reason = why_not_linear(prefs, scenario.space.constraints)
    if reason is not None:
        raise FoldError(f"{scenario.source}: the linear frontier does not apply: {reason}")
    first, second = prefs
    found = linear_frontier(scenario.space, first, second)
    reservations = (first.reservation, second.reservation)
    zopa = zopa_size(found, reservations)
    if zopa is None:
        raise FoldError(
            f"{scenario.source}: the reservation values cut the space, so the linear frontier "
            "cannot count the ZOPA"
        )
    rows = found.all_rows(limit=listed) if found.size <= listed else found.rows
    utilities = np.column_stack([first.utilities(rows), second.utilities(rows)])
    points = special_points(found, reservations)

    def point(name: str) -> Point | None:
        i = points[name]
        if i is None:
            return None
        return Point(
            tuple(int(v) for v in found.rows[i]), tuple(float(u) for u in found.utilities[i])
        )

    return Analysis(
        parties=tuple(p.name for p in scenario.principals),
        outcomes=scenario.space.cardinality,
        feasible=found.feasible,
        zopa_size=zopa,
        reservations=reservations,
        # with every feasible outcome in the ZOPA, the best is each principal's best outcome
        ideal=found.best if zopa else None,
        pareto=tuple(
            Point(tuple(int(v) for v in row), tuple(float(x) for x in u))
            for row, u in zip(rows, utilities, strict=True)
        ),
        nash=point("nash"),
        kalai=point("kalai"),
        utilitarian=point("utilitarian"),
        egalitarian=point("egalitarian"),
        method=METHOD,
        possible=possible_count(scenario.space),
    )


# -- the fold ---------------------------------------------------------------------------------


def _all_forbidden(
    constraints: Sequence[Combination], prefs: Sequence[Preferences]
) -> list[Combination]:
    """What makes an outcome infeasible: the space's constraints and the principals' red
    lines."""
    return [*constraints, *(line for p in prefs for line in p.red_lines)]


def _combined(
    constraints: Sequence[Combination], prefs: Sequence[Preferences]
) -> list[Combination]:
    """The forbidden combinations that combine issues (tracked as states)."""
    return [c for c in _all_forbidden(constraints, prefs) if len(c.conditions) > 1]


def _allowed_options(space: OutcomeSpace, prefs: Sequence[LinearAdditive]) -> list[Indices]:
    """Per issue, the options no one-issue red line or constraint forbids."""
    forbidden = [np.zeros(n, dtype=np.bool_) for n in space.sizes]
    for line in _all_forbidden(space.constraints, prefs):
        if len(line.conditions) == 1:
            ((column, options),) = line.conditions
            forbidden[column][list(options)] = True
    return [np.flatnonzero(~f).astype(np.int64) for f in forbidden]


def _extremes(
    tables: tuple[Sequence[Vector], Sequence[Vector]],
    combined: Sequence[Combination],
    allowed: Sequence[Indices],
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Each principal's lowest and highest utility over the feasible outcomes."""
    first = extremes_avoiding(tables[0], combined, allowed)
    second = extremes_avoiding(tables[1], combined, allowed)
    assert first is not None  # some outcome is feasible
    assert second is not None
    return (first[0], second[0]), (first[1], second[1])


def _empty(space: OutcomeSpace) -> LinearFrontier:
    nothing = np.empty(0, dtype=np.int64)
    return LinearFrontier(
        space=space,
        rows=np.empty((0, len(space.sizes)), dtype=np.int64),
        utilities=np.empty((0, 2), dtype=np.float64),
        counts=nothing,
        feasible=0,
        worst=None,
        best=None,
        _levels=(),
        _members=nothing,
        _member_start=np.zeros(1, dtype=np.int64),
    )


def _rounding_bound(tables: Sequence[Sequence[Vector]]) -> float:
    """More than twice the rounding any chain of the remaining additions can accumulate."""
    largest = max(float(sum(np.abs(t).max(initial=0.0) for t in ts)) for ts in tables)
    additions = max(len(ts) for ts in tables) + 2
    return 4.0 * additions * float(np.finfo(np.float64).eps) * max(largest, 1.0)


def _fold(
    candidates: NDArray[np.float64],
    parents: Indices,
    options: Indices,
    states: Indices,
    parent_count: Counts,
    parent_rank: Indices,
    *,
    last: bool,
    margin: float,
) -> tuple[_Level, NDArray[np.float64], Counts, Indices, Indices, NDArray[np.float64]]:
    """Merge candidates with identical partial utilities and states into nodes and keep the
    nodes that can still end on the frontier. Returns the level, the nodes' utilities, counts,
    ranks (order of their lowest-numbered prefixes), states and comparison keys (the grid
    values on the last level)."""
    # group identical (utility vector, state); within a group, the lowest-numbered prefix first
    order = np.lexsort(
        (options, parent_rank[parents], states, candidates[:, 1], candidates[:, 0])
    )
    u = candidates[order]
    state = states[order]
    first = np.ones(order.size, dtype=np.bool_)
    first[1:] = (u[1:, 0] != u[:-1, 0]) | (u[1:, 1] != u[:-1, 1]) | (state[1:] != state[:-1])
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    node_u = u[starts]
    node_state = state[starts]
    node_count = np.add.reduceat(parent_count[parents[order]], starts)
    keys = quantize(node_u) if last else node_u
    keep = ~_dominated_within(keys, node_state, 0.0 if last else margin)
    # renumber the kept nodes; their edges, sorted by node
    new_id = np.cumsum(keep) - 1
    on_kept = keep[group]
    edges = order[on_kept]
    edge_node = new_id[group[on_kept]]
    start = np.searchsorted(edge_node, np.arange(int(keep.sum()) + 1)).astype(np.int64)
    best = order[starts[keep]]  # the lowest-numbered prefix of each kept node
    rank = np.empty(best.size, dtype=np.int64)
    rank[np.lexsort((options[best], parent_rank[parents[best]]))] = np.arange(best.size)
    level = _Level(
        parent=parents[edges],
        option=options[edges],
        start=start,
        best_parent=parents[best],
        best_option=options[best],
    )
    return level, node_u[keep], node_count[keep], rank, node_state[keep], keys[keep]


def _dominated_within(
    keys: NDArray[np.float64], states: Indices, margin: float
) -> NDArray[np.bool_]:
    """``_dominated`` among the nodes of each state: only those allow the same completions."""
    found = np.unique(states)
    if found.size == 1:
        return _dominated(keys[:, 0], keys[:, 1], margin)
    dominated = np.empty(states.size, dtype=np.bool_)
    for state in found:
        members = np.flatnonzero(states == state)
        dominated[members] = _dominated(keys[members, 0], keys[members, 1], margin)
    return dominated


def _dominated(a: Vector, b: Vector, margin: float) -> NDArray[np.bool_]:
    """For each point: is some point at least as good on both and ahead by more than ``margin``
    on one? (With margin 0: strictly dominated.)"""
    n = a.size
    order = np.argsort(a, kind="stable")
    sa, sb = a[order], b[order]
    best_b_from = np.maximum.accumulate(sb[::-1])[::-1]  # best b among points i.. (a ascending)
    # ahead on b: some point with a >= ours has b > ours + margin
    ahead_b = best_b_from[np.searchsorted(sa, sa, side="left")] > sb + margin
    # ahead on a: some point with a > ours + margin has b >= ours
    beyond = np.searchsorted(sa, sa + margin, side="right")
    ahead_a = (beyond < n) & (best_b_from[np.minimum(beyond, n - 1)] >= sb)
    dominated = np.empty(n, dtype=np.bool_)
    dominated[order] = ahead_a | ahead_b
    return dominated


def _frontier(
    space: OutcomeSpace,
    feasible: int,
    worst: tuple[float, float],
    best: tuple[float, float],
    levels: tuple[_Level, ...],
    node_u: NDArray[np.float64],
    node_count: Counts,
    node_rank: Indices,
    keys: NDArray[np.float64],
) -> LinearFrontier:
    """Group the last level's nodes by grid vector; one frontier entry per vector."""
    width = len(space.sizes)
    order = np.lexsort((node_rank, -keys[:, 1], -keys[:, 0]))
    k = keys[order]
    first = np.ones(order.size, dtype=np.bool_)
    first[1:] = (k[1:, 0] != k[:-1, 0]) | (k[1:, 1] != k[:-1, 1])
    starts = np.flatnonzero(first)
    chosen = order[starts]  # the lowest-ranked node, hence outcome, of each vector
    counts = np.add.reduceat(node_count[order], starts) if order.size else node_count[:0]
    rows = np.empty((chosen.size, width), dtype=np.int64)
    nodes = chosen
    for j in reversed(range(width)):
        rows[:, j] = levels[j].best_option[nodes]
        nodes = levels[j].best_parent[nodes]
    member_start = np.append(starts, order.size).astype(np.int64)
    return LinearFrontier(
        space=space,
        rows=rows,
        utilities=np.ascontiguousarray(node_u[chosen]),
        counts=counts,
        feasible=feasible,
        worst=worst,
        best=best,
        _levels=levels,
        _members=order.astype(np.int64),
        _member_start=member_start,
    )
