"""Rankings against their oracle: one stable sort of every outcome by utility."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.outcomes import Constraint, DiscreteIssue, Option, OutcomeSpace
from parley.preferences import LinearAdditive, RedLine
from parley.strategies.index import (
    BucketedOutcomes,
    SortedOutcomes,
    best_by_items,
    best_completion,
    ranked,
)


def oracle(utilities: np.ndarray, positions: np.ndarray) -> np.ndarray:
    return positions[np.argsort(-utilities[positions], kind="stable")]


@pytest.mark.parametrize("kind", [SortedOutcomes, BucketedOutcomes])
@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5000001, 0.75, 1.0, 1 / 3, 2 / 3]),
        min_size=0,
        max_size=300,
    ),
    drop=st.integers(0, 7),
    probes=st.lists(st.floats(-0.5, 1.5, allow_nan=False), max_size=8),
    noise=st.integers(0, 2**31 - 1),
)
def test_each_ranking_is_the_full_stable_sort(
    kind: type[SortedOutcomes | BucketedOutcomes],
    values: list[float],
    drop: int,
    probes: list[float],
    noise: int,
) -> None:
    rng = np.random.default_rng(noise)
    utilities = np.array(values, dtype=np.float64)
    if utilities.size and noise % 2:
        utilities = utilities + rng.uniform(0, 1e-3, utilities.size)  # near-ties across buckets
    rows = np.arange(utilities.size * 2, dtype=np.int16).reshape(-1, 2)
    positions = np.flatnonzero(np.arange(utilities.size) % 8 != drop)
    ranking = kind(rows, utilities, positions)
    expected = oracle(utilities, positions)
    assert len(ranking) == expected.size
    for level in [*probes, *utilities[:5].tolist()]:
        # Questions come in any order; each must see the same ranking.
        assert ranking.count_at_least(level) == int(np.count_nonzero(utilities[positions] >= level))
        count = ranking.count_at_least(level)
        window = ranking.between(count - 5, count)
        assert np.array_equal(window, rows[expected[max(0, count - 5) : count]])
    assert np.array_equal(ranking.top(expected.size), rows[expected])
    if expected.size:
        assert ranking.best == utilities[positions].max()
        assert ranking.outcome(expected.size - 1) == tuple(rows[expected[-1]].tolist())


def test_a_ranking_asked_often_is_sorted_whole_and_answers_the_same() -> None:
    rng = np.random.default_rng(7)
    utilities = np.round(rng.uniform(0, 1, 5000), 3)  # many ties
    rows = np.arange(10000, dtype=np.int16).reshape(-1, 2)
    ranking = BucketedOutcomes(rows, utilities)
    expected = oracle(utilities, np.arange(utilities.size))
    for level in rng.uniform(-0.1, 1.1, 600):  # past the point where it sorts itself whole
        count = ranking.count_at_least(float(level))
        assert count == int(np.count_nonzero(utilities >= level))
        assert np.array_equal(
            ranking.between(count - 3, count), rows[expected[max(0, count - 3) : count]]
        )


# -- best completions, against brute force -------------------------------------------------------


def _profile(
    seed: int, multi_issue_line: bool, constraints: bool = False
) -> tuple[OutcomeSpace, LinearAdditive]:
    rng = np.random.default_rng(seed)
    sizes = tuple(int(n) for n in rng.integers(1, 5, int(rng.integers(1, 5))))
    issues = [
        DiscreteIssue(f"i{j}", f"i{j}", options=tuple(Option(f"o{k}", str(k)) for k in range(n)))
        for j, n in enumerate(sizes)
    ]
    space = OutcomeSpace(tuple(issues), _constraints(seed, sizes) if constraints else ())
    lines = []
    for _ in range(int(rng.integers(0, 3))):
        column = int(rng.integers(len(sizes)))
        banned = frozenset({int(rng.integers(sizes[column]))})
        lines.append(RedLine("one issue", ((column, banned),)))
    if multi_issue_line and len(sizes) > 1:
        both = tuple((c, frozenset({0})) for c in (0, 1))
        lines.append(RedLine("two issues", both))
    values = tuple(tuple(float(v) for v in rng.choice([0.0, 0.5, 1.0], n)) for n in sizes)
    weights = tuple(float(w) for w in rng.dirichlet(np.ones(len(sizes))))
    prefs = LinearAdditive(sizes, red_lines=tuple(lines), weights=weights, values=values)
    return space, prefs


def _constraints(seed: int, sizes: tuple[int, ...]) -> tuple[Constraint, ...]:
    """Up to three combinations of one or two issues (they may rule out every package)."""
    rng = np.random.default_rng([seed, 2])
    found = []
    for k in range(int(rng.integers(0, 4))):
        columns = rng.choice(len(sizes), min(len(sizes), int(rng.integers(1, 3))), replace=False)
        conditions = tuple(
            (int(c), frozenset(int(o) for o in rng.choice(sizes[c], int(rng.integers(1, 3)))))
            for c in sorted(columns)
        )
        found.append(Constraint(f"constraint {k}", conditions))
    return tuple(found)


def _possible(space: OutcomeSpace, rows: np.ndarray) -> np.ndarray:
    """Brute force: does each row take no constraint whole?"""
    return np.array(
        [
            not any(all(int(r[c]) in o for c, o in k.conditions) for k in space.constraints)
            for r in rows
        ],
        dtype=bool,
    )


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    multi=st.booleans(),
    fixed=st.integers(0, 3),
    constraints=st.booleans(),
)
def test_the_best_completion_of_some_items_is_the_brute_force_best(
    seed: int, multi: bool, fixed: int, constraints: bool
) -> None:
    space, prefs = _profile(seed, multi, constraints)
    rows = space.all_rows()
    rng = np.random.default_rng(seed + 1)
    columns = sorted(rng.choice(len(space.sizes), min(fixed, len(space.sizes)), replace=False))
    items = {int(c): int(rng.integers(space.sizes[c])) for c in columns}
    ok = ~prefs.crosses(rows) & _possible(space, rows)
    for column, option in items.items():
        ok &= rows[:, column] == option
    best = best_completion(space, prefs, items)
    if not ok.any():
        assert best is None
        return
    assert best is not None
    assert all(best[c] == o for c, o in items.items())
    assert not prefs.crossed(best)
    assert space.impossible(best) is None
    assert prefs.utility(best) == pytest.approx(float(prefs.utilities(rows[ok]).max()))


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), multi=st.booleans())
def test_a_ranking_offers_no_package_that_cannot_exist(seed: int, multi: bool) -> None:
    space, prefs = _profile(seed, multi, constraints=True)
    rows = space.all_rows()
    keep = np.flatnonzero(~prefs.crosses(rows) & _possible(space, rows))
    expected = rows[oracle(prefs.utilities(rows), keep)]
    ranking = ranked(space, prefs)
    assert np.array_equal(np.asarray(ranking.between(0, len(ranking)), dtype=np.int64), expected)


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), multi=st.booleans(), count=st.integers(1, 30))
def test_the_best_texts_on_some_issues_are_brute_force_best_completions(
    seed: int, multi: bool, count: int
) -> None:
    space, prefs = _profile(seed, multi, constraints=True)
    columns = list(range(min(2, len(space.sizes))))
    rows = space.all_rows()
    ok = ~prefs.crosses(rows) & _possible(space, rows)
    best: dict[tuple[int, ...], float] = {}  # per combination of the covered options
    for row, value in zip(rows[ok], prefs.utilities(rows[ok]), strict=True):
        key = tuple(int(row[c]) for c in columns)
        best[key] = max(best.get(key, -np.inf), float(value))
    found = best_by_items(space, prefs, columns, count)
    assert len(found) == min(count, len(best))
    keys = [tuple(int(r[c]) for c in columns) for r in found]
    assert len(set(keys)) == len(keys)
    for row, key in zip(found, keys, strict=True):
        assert space.impossible(tuple(int(v) for v in row)) is None
        assert prefs.utility(tuple(int(v) for v in row)) == pytest.approx(best[key])
    expected = sorted(best.values(), reverse=True)[: len(found)]
    got = [prefs.utility(tuple(int(v) for v in r)) for r in found]
    assert got == pytest.approx(expected)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_a_profile_with_red_lines_added_ranks_as_if_ranked_afresh(seed: int) -> None:
    """Rankings reuse a profile's utilities when a binding adds red lines: same order."""
    space, prefs = _profile(seed, multi_issue_line=False)
    first = ranked(space, prefs)
    extra = RedLine("bound", ((0, frozenset(range(1, space.sizes[0]))),))
    bound = dataclasses.replace(prefs, red_lines=(*prefs.red_lines, extra))
    again = ranked(space, bound)
    rows = space.all_rows()
    keep = np.flatnonzero(~bound.crosses(rows))
    expected = rows[oracle(bound.utilities(rows), keep)]
    got = again.between(0, len(again))
    assert len(again) == keep.size <= len(first)
    assert np.array_equal(np.asarray(got, dtype=np.int64), expected.astype(np.int64))
