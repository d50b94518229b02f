"""The frontier folded issue by issue equals the frontier found by enumeration, exactly.

Property tests draw small random linear-additive scenarios (values often on a coarse grid, so
that identical vectors and float near-ties such as 0.1 + 0.2 against 0.3 are common; red lines
and constraints on one issue or combining two) and check ``linear_frontier`` against an
independent brute force and against ``analyze``.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis import analyze
from parley.analysis.core import principal_preferences
from parley.analysis.linear_frontier import (
    METHOD,
    linear_analysis,
    linear_frontier,
    special_points,
    why_not_linear,
    zopa_size,
)
from parley.analysis.points import quantize
from parley.errors import ParleyError
from parley.outcomes import Constraint, DiscreteIssue, Option, OutcomeSpace
from parley.preferences import LinearAdditive, RedLine
from parley.scenario import Scenario, from_data
from tests.scenario_factory import random_scenario

COARSE = (0.0, 0.1, 0.2, 0.3, 0.25, 0.5, 0.6, 1 / 3, 2 / 34, 4 / 34, 1.0)
values = st.one_of(st.sampled_from(COARSE), st.floats(0.0, 1.0))
weights = st.one_of(st.sampled_from((0.1, 0.2, 0.3, 0.5, 1.0, 1 / 3)), st.floats(0.0, 1.0))


@st.composite
def combination(draw: st.DrawFn, sizes: list[int], description: str) -> dict[str, Any]:
    """Options of one or two issues taken together (a red line's or a constraint's table)."""
    columns = draw(st.lists(st.integers(0, len(sizes) - 1), min_size=1, max_size=2, unique=True))
    when = {
        f"i{j}": [
            f"o{k}"
            for k in draw(
                st.lists(st.integers(0, sizes[j] - 1), min_size=1, max_size=2, unique=True)
            )
        ]
        for j in columns
    }
    return {"description": description, "when": when}


@st.composite
def scenarios(draw: st.DrawFn, reservations: st.SearchStrategy[float] | None = None) -> Scenario:
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    issues = [
        {
            "id": f"i{j}",
            "name": f"issue {j}",
            "options": [{"id": f"o{k}", "label": f"o{k}"} for k in range(n)],
        }
        for j, n in enumerate(sizes)
    ]
    parties = []
    for name in ("A", "B"):
        table = {
            f"i{j}": {
                "weight": draw(weights),
                "values": {f"o{k}": draw(values) for k in range(n)},
            }
            for j, n in enumerate(sizes)
        }
        reservation = draw(reservations if reservations is not None else st.floats(0.0, 1.5))
        prefs: dict[str, Any] = {"issues": table, "reservation": reservation}
        prefs["red_lines"] = draw(st.lists(combination(sizes, "never"), max_size=2))
        parties.append({"name": name, "role": "principal", "preferences": prefs})
    constraints = [
        {**c, "basis": "ASSUMPTION"}
        for c in draw(st.lists(combination(sizes, "cannot"), max_size=3))
    ]
    doc = {"name": "random", "title": "random", "issues": issues, "parties": parties}
    try:
        return from_data({**doc, "constraints": constraints}, "random")
    except ParleyError:  # the constraints ruled out every package
        return from_data(doc, "random")


def brute_force(scenario: Scenario) -> dict[tuple[float, ...], list[tuple[int, ...]]]:
    """Frontier vectors on the grid -> their outcomes, by comparing every pair of outcomes."""
    first, second = principal_preferences(scenario)
    rows = scenario.space.all_rows()
    possible = [
        not any(c.crossed_by(tuple(row)) for c in scenario.space.constraints) for row in rows
    ]
    rows = rows[np.array(possible, dtype=bool) & ~first.crosses(rows) & ~second.crosses(rows)]
    grid = quantize(np.column_stack([first.utilities(rows), second.utilities(rows)]))
    frontier: dict[tuple[float, ...], list[tuple[int, ...]]] = {}
    for row, u in zip(rows, grid, strict=True):
        dominated = ((grid >= u).all(axis=1) & (grid > u).any(axis=1)).any()
        if not dominated:
            frontier.setdefault(tuple(u), []).append(tuple(int(i) for i in row))
    return frontier


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_frontier_equals_brute_force(scenario: Scenario) -> None:
    first, second = principal_preferences(scenario)
    found = linear_frontier(scenario.space, first, second)
    expected = brute_force(scenario)
    vectors = [tuple(u) for u in quantize(found.utilities)]
    assert set(vectors) == set(expected)
    assert len(vectors) == len(expected)  # one entry per vector
    for i, vector in enumerate(vectors):
        outcomes = sorted(expected[vector])
        assert [tuple(int(v) for v in r) for r in found.outcomes(i)] == outcomes
        assert int(found.counts[i]) == len(outcomes)
        assert tuple(int(v) for v in found.rows[i]) == outcomes[0]  # the lowest-numbered
        # utilities as the batch path computes them, bit for bit
        row = found.rows[i : i + 1]
        assert found.utilities[i, 0] == first.utilities(row)[0]
        assert found.utilities[i, 1] == second.utilities(row)[0]
    assert found.size == sum(len(o) for o in expected.values())
    assert list(quantize(found.utilities)[:, 0]) == sorted(
        quantize(found.utilities)[:, 0], reverse=True
    )


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_agrees_with_analyze(scenario: Scenario) -> None:
    first, second = principal_preferences(scenario)
    found = linear_frontier(scenario.space, first, second)
    analysis = analyze(scenario)
    assert [tuple(int(v) for v in r) for r in found.all_rows()] == [
        p.outcome for p in analysis.pareto
    ]
    assert found.feasible == analysis.feasible
    points = special_points(found, analysis.reservations)
    for name, index in points.items():
        expected = getattr(analysis, name)
        if index is None:
            assert expected is None
        else:
            assert expected is not None
            assert tuple(int(v) for v in found.rows[index]) == expected.outcome
            assert tuple(float(u) for u in found.utilities[index]) == expected.utilities
    size = zopa_size(found, analysis.reservations)
    assert size is None or size == analysis.zopa_size


@settings(max_examples=200, deadline=None)
@given(scenarios(st.sampled_from((0.0, 0.0, 0.1, 9.0))))
def test_linear_analysis_is_analyze(scenario: Scenario) -> None:
    """Where the frontier decides the ZOPA, the whole Analysis equals enumeration's."""
    expected = analyze(scenario)
    first, second = principal_preferences(scenario)
    found = linear_frontier(scenario.space, first, second)
    if zopa_size(found, expected.reservations) is None:
        with pytest.raises(ParleyError, match="cannot count the ZOPA"):
            linear_analysis(scenario)
        return
    assert linear_analysis(scenario) == dataclasses.replace(expected, method=METHOD)


def test_nash_1950(nash_1950: Scenario) -> None:
    """Nash's barter: sums of 2/34ths that only the grid makes equal."""
    prefs = principal_preferences(nash_1950)
    assert why_not_linear(prefs) is None
    found = linear_frontier(nash_1950.space, *prefs)
    analysis = analyze(nash_1950)
    assert [tuple(int(v) for v in r) for r in found.all_rows()] == [
        p.outcome for p in analysis.pareto
    ]
    points = special_points(found, analysis.reservations)
    assert analysis.nash is not None
    nash = points["nash"]
    assert nash is not None
    assert tuple(int(v) for v in found.rows[nash]) == analysis.nash.outcome


def _space(sizes: list[int]) -> OutcomeSpace:
    return OutcomeSpace(
        [
            DiscreteIssue(
                f"i{j}", f"issue {j}", options=tuple(Option(f"o{k}", "") for k in range(n))
            )
            for j, n in enumerate(sizes)
        ]
    )


def _linear(tables: list[list[float]], **extra: Any) -> LinearAdditive:
    return LinearAdditive(
        sizes=tuple(len(t) for t in tables),
        weights=(1.0,) * len(tables),
        values=tuple(tuple(t) for t in tables),
        **extra,
    )


def test_twins_are_counted_not_listed() -> None:
    """Twelve issues whose two options are worth the same: 4,096 outcomes per vector."""
    space = _space([3] * 12)
    a = _linear([[0.0, 0.5, 0.5]] * 12)
    b = _linear([[1.0, 0.2, 0.2]] * 12)
    found = linear_frontier(space, a, b)
    assert len(found) == 13  # how many issues take option 0
    assert [int(c) for c in found.counts] == [2**k * _choose(12, k) for k in range(12, -1, -1)]
    assert found.size == 3**12
    assert found.rows[0].tolist() == [1] * 12  # the lowest-numbered of the best for A
    assert len(found.outcomes(1)) == 2**11 * 12
    with pytest.raises(ParleyError, match="more than the limit"):
        found.all_rows(limit=1000)


def _choose(n: int, k: int) -> int:
    return len(list(itertools.combinations(range(n), k)))


def test_counts_beyond_int64_are_exact() -> None:
    space = _space([2] * 70)
    same = _linear([[0.5, 0.5]] * 70)
    found = linear_frontier(space, same, same)
    assert len(found) == 1
    assert int(found.counts[0]) == 2**70
    assert found.rows[0].tolist() == [0] * 70


def test_too_long_a_frontier_is_refused() -> None:
    """Opposed preferences that sum to a constant put every outcome on the frontier."""
    space = _space([10] * 6)
    values = [[k / 9 for k in range(10)]] * 6
    a = LinearAdditive(
        sizes=space.sizes, weights=(1, 2, 4, 8, 16, 32), values=tuple(tuple(v) for v in values)
    )
    b = LinearAdditive(
        sizes=space.sizes,
        weights=(1, 2, 4, 8, 16, 32),
        values=tuple(tuple(1 - x for x in v) for v in values),
    )
    with pytest.raises(ParleyError, match="too long to fold"):
        linear_frontier(space, a, b, limit=10_000)


def test_zopa_is_known_only_at_the_extremes() -> None:
    space = _space([2, 2])
    a = _linear([[0.0, 1.0], [0.0, 1.0]])
    b = _linear([[1.0, 0.0], [1.0, 0.0]])
    found = linear_frontier(space, a, b)
    assert zopa_size(found, (0.0, 0.0)) == 4
    assert zopa_size(found, (1.5, 1.5)) == 0
    assert zopa_size(found, (0.5, 0.5)) is None
    assert special_points(found, (1.5, 1.5)) == dict.fromkeys(
        ("nash", "kalai", "utilitarian", "egalitarian")
    )


def test_forbidden_options_are_left_out() -> None:
    space = _space([3, 3])
    line = RedLine("no o2 on i0", ((0, frozenset({2})),))
    a = _linear([[0.0, 0.5, 1.0], [0.0, 0.5, 1.0]], red_lines=(line,))
    b = _linear([[1.0, 0.5, 0.0], [1.0, 0.5, 0.0]])
    found = linear_frontier(space, a, b)
    assert found.feasible == 6
    assert all(row[0] != 2 for row in found.all_rows())
    everything = RedLine("nothing on i1", ((1, frozenset({0, 1, 2})),))
    empty = linear_frontier(space, _linear([[0.0, 0.5, 1.0]] * 2, red_lines=(everything,)), b)
    assert (len(empty), empty.feasible, empty.size) == (0, 0, 0)
    assert zopa_size(empty, (0.0, 0.0)) == 0
    assert set(special_points(empty, (0.0, 0.0)).values()) == {None}


def test_combinations_across_issues_are_followed_not_refused() -> None:
    """A red line and a constraint that combine issues: the fold leaves out exactly the
    packages that take one whole."""
    combined = RedLine("not both", ((0, frozenset({1})), (1, frozenset({1}))))
    space = OutcomeSpace(
        _space([2, 2]).issues, (Constraint("no", ((0, frozenset({0})), (1, frozenset({0})))),)
    )
    a = _linear([[0.0, 1.0], [0.0, 1.0]], red_lines=(combined,))
    b = _linear([[1.0, 0.0], [1.0, 0.0]])
    assert why_not_linear((a, b), space.constraints) is None
    found = linear_frontier(space, a, b)
    assert found.feasible == 2
    assert sorted(tuple(int(v) for v in r) for r in found.all_rows()) == [(0, 1), (1, 0)]
    assert found.worst == (1.0, 1.0)
    assert found.best == (1.0, 1.0)


def test_unsupported_preferences_are_named() -> None:
    b = _linear([[1.0, 0.0], [1.0, 0.0]])
    assert why_not_linear((b, b, b)) == "it handles two principals, not 3"
    many = tuple(
        RedLine(f"line {k}", ((0, frozenset({k % 2})), (1, frozenset({0})))) for k in range(63)
    )
    assert why_not_linear((_linear([[0.0, 1.0], [0.0, 1.0]], red_lines=many), b)) == (
        "63 red lines and constraints combine issues, more than 62"
    )
    with pytest.raises(ParleyError, match="two principals, not 3"):
        linear_analysis(random_scenario(1, principals=3, events=False))
