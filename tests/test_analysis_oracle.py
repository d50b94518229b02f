"""The analysis against a brute-force oracle on random small linear-additive scenarios, with red
lines and constraints (combinations no package may take).

The oracle reads the generated numbers directly and loops over ``itertools.product`` in plain
Python; it calls nothing from Parley. Weights are multiples of 1/4 and values multiples of 1/8
(reservations of 1/16), so every utility, sum, gain and product is exact in floats: the oracle
and the code must then agree exactly, ties included.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis import Analysis, Point, analyze, evaluate, zopa_outcomes
from parley.errors import ParleyError
from parley.scenario import Scenario, from_data

Outcome = tuple[int, ...]
Line = tuple[str, dict[int, set[int]]]  # description, {issue column: options that cross}


@dataclass(frozen=True)
class Profile:
    name: str
    role: str
    weights: tuple[float, ...]
    values: tuple[tuple[float, ...], ...]
    reservation: float
    red_lines: tuple[Line, ...]

    def utility(self, outcome: Outcome) -> float:
        return sum(w * v[i] for w, v, i in zip(self.weights, self.values, outcome, strict=True))

    def crossed(self, outcome: Outcome) -> list[str]:
        return [d for d, when in self.red_lines if takes(outcome, when)]


def takes(outcome: Outcome, when: dict[int, set[int]]) -> bool:
    return all(outcome[j] in s for j, s in when.items())


@dataclass(frozen=True)
class Case:
    sizes: tuple[int, ...]
    profiles: tuple[Profile, ...]  # principals first, then at most one spoiler
    constraints: tuple[Line, ...] = ()

    def impossible(self, outcome: Outcome) -> list[str]:
        return [d for d, when in self.constraints if takes(outcome, when)]

    @property
    def principals(self) -> tuple[Profile, ...]:
        return tuple(p for p in self.profiles if p.role == "principal")

    def to_data(self) -> dict[str, Any]:
        issues = [
            {"id": f"i{j}", "name": f"Issue {j}", "options": [{"id": f"o{k}"} for k in range(n)]}
            for j, n in enumerate(self.sizes)
        ]
        for issue in issues:
            for option in issue["options"]:
                option["label"] = f"option {option['id']}"
        return {
            "name": "random",
            "title": "Random linear-additive case",
            "issues": issues,
            "constraints": [
                {**_when(d, when), "basis": "ASSUMPTION"} for d, when in self.constraints
            ],
            "parties": [_party(p) for p in self.profiles],
        }


def _when(description: str, when: dict[int, set[int]]) -> dict[str, Any]:
    listed = {f"i{j}": [f"o{k}" for k in sorted(s)] for j, s in when.items()}
    return {"description": description, "when": listed}


def _party(p: Profile) -> dict[str, Any]:
    issues = {
        f"i{j}": {"weight": w, "values": {f"o{k}": v for k, v in enumerate(table)}}
        for j, (w, table) in enumerate(zip(p.weights, p.values, strict=True))
    }
    lines = [_when(d, when) for d, when in p.red_lines]
    preferences = {"issues": issues, "reservation": p.reservation, "red_lines": lines}
    return {"name": p.name, "role": p.role, "preferences": preferences}


@st.composite
def red_lines(
    draw: st.DrawFn, sizes: tuple[int, ...], owner: str, most: int = 2
) -> tuple[Line, ...]:
    """Up to ``most`` combinations of one or two issues (red lines, or constraints)."""
    lines = []
    for k in range(draw(st.integers(0, most))):
        columns = draw(
            st.lists(st.integers(0, len(sizes) - 1), min_size=1, max_size=2, unique=True)
        )
        when = {
            j: set(
                draw(st.lists(st.integers(0, sizes[j] - 1), min_size=1, max_size=2, unique=True))
            )
            for j in columns
        }
        lines.append((f"{owner} line {k}", when))
    return tuple(lines)


@st.composite
def profiles(draw: st.DrawFn, sizes: tuple[int, ...], name: str, role: str) -> Profile:
    weights = tuple(draw(st.integers(0, 4)) / 4 for _ in sizes)
    values = tuple(tuple(draw(st.integers(0, 8)) / 8 for _ in range(n)) for n in sizes)
    # up to 3/4 of the best utility, in sixteenths: the ZOPA is sometimes empty, often not
    best = sum(w * max(v) for w, v in zip(weights, values, strict=True))
    reservation = draw(st.integers(0, int(12 * best))) / 16
    return Profile(name, role, weights, values, reservation, draw(red_lines(sizes, name)))


@st.composite
def cases(draw: st.DrawFn, principals: int) -> Case:
    sizes = draw(
        st.lists(st.integers(1, 5), min_size=2, max_size=4).filter(lambda s: math.prod(s) <= 120)
    )
    sizes = tuple(sizes)
    people = [draw(profiles(sizes, f"P{i}", "principal")) for i in range(principals)]
    if draw(st.booleans()):  # a spoiler's red lines are reported but bind no one
        people.append(draw(profiles(sizes, "Spoiler", "spoiler")))
    # constraints that leave some package (a file whose constraints rule out all is an error)
    constraints = draw(
        red_lines(sizes, "constraint", most=3).filter(
            lambda lines: any(
                not any(takes(o, when) for _, when in lines)
                for o in itertools.product(*(range(n) for n in sizes))
            )
        )
    )
    return Case(sizes, tuple(people), constraints)


@dataclass(frozen=True)
class Expected:
    """What the definitions give, computed by brute force."""

    outcomes: list[Outcome]
    utility: dict[Outcome, tuple[float, ...]]
    feasible: list[Outcome]
    zopa: list[Outcome]
    frontier: list[Outcome]
    points: dict[str, Outcome | None]
    ideal: tuple[float, ...] | None


def oracle(case: Case) -> Expected:
    outcomes = list(itertools.product(*(range(n) for n in case.sizes)))
    number = {o: k for k, o in enumerate(outcomes)}  # itertools.product order
    principals = case.principals
    d = [p.reservation for p in principals]
    utility = {o: tuple(p.utility(o) for p in principals) for o in outcomes}
    feasible = [
        o for o in outcomes if not case.impossible(o) and not any(p.crossed(o) for p in principals)
    ]
    zopa = [o for o in feasible if all(u >= r for u, r in zip(utility[o], d, strict=True))]

    def dominates(a: Outcome, b: Outcome) -> bool:
        ua, ub = utility[a], utility[b]
        return all(x >= y for x, y in zip(ua, ub, strict=True)) and ua != ub

    frontier = [o for o in feasible if not any(dominates(q, o) for q in feasible)]
    frontier.sort(key=lambda o: (*(-u for u in utility[o]), number[o]))

    def best(candidates: list[Outcome], score: Any) -> Outcome | None:
        if not candidates:
            return None
        return max(candidates, key=lambda o: (score(utility[o]), sum(utility[o]), -number[o]))

    def gains(u: tuple[float, ...]) -> list[float]:
        return [x - r for x, r in zip(u, d, strict=True)]

    ideal = tuple(max(utility[o][i] for o in zopa) for i in range(len(d))) if zopa else None

    def kalai(u: tuple[float, ...]) -> float:
        assert ideal is not None
        g = [(x - r) / (m - r) if m != r else 0.0 for x, r, m in zip(u, d, ideal, strict=True)]
        return -(max(g) - min(g))

    points = {
        "nash": best(zopa, lambda u: math.prod(gains(u))),
        "utilitarian": best(zopa, sum),
        "egalitarian": best(zopa, lambda u: min(gains(u))),
        "kalai": best([o for o in frontier if o in zopa], kalai),
    }
    return Expected(outcomes, utility, feasible, zopa, frontier, points, ideal)


def check(case: Case, analysis: Analysis) -> Expected:
    expected = oracle(case)
    assert analysis.outcomes == len(expected.outcomes)
    possible = [o for o in expected.outcomes if not case.impossible(o)]
    assert analysis.possible == (len(possible) if case.constraints else None)
    assert analysis.feasible == len(expected.feasible)
    assert analysis.zopa_size == len(expected.zopa)
    assert analysis.ideal == expected.ideal
    assert [p.outcome for p in analysis.pareto] == expected.frontier
    assert [p.utilities for p in analysis.pareto] == [
        expected.utility[o] for o in expected.frontier
    ]
    for name, outcome in expected.points.items():
        point: Point | None = getattr(analysis, name)
        if outcome is None:
            assert point is None, name
        else:
            assert point is not None, name
            assert point.outcome == outcome, name
            assert point.utilities == expected.utility[outcome], name
    return expected


@settings(max_examples=150, deadline=None)
@given(cases(2), st.integers(1, 9))
def test_two_principals_match_the_oracle(case: Case, chunk: int) -> None:
    scenario = from_data(case.to_data())
    analysis = analyze(scenario)
    check(case, analysis)
    assert analyze(scenario, chunk=chunk) == analysis


@settings(max_examples=150, deadline=None)
@given(cases(3), st.integers(1, 9))
def test_three_principals_match_the_oracle(case: Case, chunk: int) -> None:
    scenario = from_data(case.to_data())
    analysis = analyze(scenario)
    check(case, analysis)
    assert analyze(scenario, chunk=chunk) == analysis


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 3).flatmap(cases), st.data())
def test_evaluate_matches_the_oracle(case: Case, data: st.DataObject) -> None:
    scenario = from_data(case.to_data())
    analysis = analyze(scenario)
    expected = oracle(case)
    outcome = data.draw(st.sampled_from(expected.outcomes))
    report = evaluate(scenario, outcome, analysis=analysis)
    assert report.utilities == expected.utility[outcome]
    assert report.feasible == (outcome in expected.feasible)
    assert report.in_zopa == (outcome in expected.zopa)
    assert report.on_pareto == (outcome in expected.frontier)
    crossed = [(p.name, d) for p in case.profiles for d in p.crossed(outcome)]
    assert [(c.party, c.description) for c in report.crossed] == crossed
    assert list(report.broken) == case.impossible(outcome)
    nearest = min(
        (math.dist(expected.utility[outcome], expected.utility[o]) for o in expected.frontier),
        default=math.inf,
    )
    assert report.distance_to_pareto == pytest.approx(nearest, abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(cases(2), st.integers(1, 9))
def test_zopa_outcomes_lists_the_zopa_in_order(case: Case, chunk: int) -> None:
    scenario = from_data(case.to_data())
    rows = np.concatenate(list(zopa_outcomes(scenario, chunk=chunk)))
    assert [tuple(int(i) for i in r) for r in rows] == oracle(case).zopa


def test_empty_zopa_gives_null_points() -> None:
    """Both principals want everything: no package leaves both above a high BATNA."""
    mine = Profile("A", "principal", (1.0, 1.0), ((0.0, 1.0), (0.0, 1.0)), 1.5, ())
    yours = Profile("B", "principal", (1.0, 1.0), ((1.0, 0.0), (1.0, 0.0)), 1.5, ())
    case = Case((2, 2), (mine, yours))
    analysis = analyze(from_data(case.to_data()))
    check(case, analysis)
    assert analysis.zopa_size == 0
    assert analysis.special == dict.fromkeys(("nash", "kalai", "utilitarian", "egalitarian"))
    assert analysis.ideal is None
    assert len(analysis.pareto) == 4  # (2, 0), (1, 1) twice, (0, 2)


def test_spoiler_red_lines_do_not_make_outcomes_infeasible() -> None:
    flat = ((0.0, 1.0),)
    a = Profile("A", "principal", (1.0,), flat, 0.0, ())
    b = Profile("B", "principal", (1.0,), flat, 0.0, ())
    spoiler = Profile("S", "spoiler", (1.0,), flat, 0.0, (("S hates o1", {0: {1}}),))
    scenario = from_data(Case((2,), (a, b, spoiler)).to_data())
    assert analyze(scenario).feasible == 2
    report = evaluate(scenario, (1,))
    assert report.feasible
    assert [(c.party, c.description) for c in report.crossed] == [("S", "S hates o1")]


def test_evaluate_rejects_a_malformed_outcome(nash_1950: Scenario) -> None:
    with pytest.raises(ParleyError, match="expected 9 option indices"):
        evaluate(nash_1950, (0, 1))
    with pytest.raises(ParleyError, match=r"outside 0\.\.1 for issue book"):
        evaluate(nash_1950, (2, 0, 0, 0, 0, 0, 0, 0, 0))


def test_quantized_ties_beat_float_noise() -> None:
    """A's 0.1 + 0.2 and 0.3 + 0.0 differ in floats; as utilities they tie: both packages stay
    on the frontier, and both reach a reservation of 0.1 + 0.2."""
    assert 0.1 + 0.2 != 0.3 + 0.0
    a = Profile("A", "principal", (1.0, 1.0), ((0.1, 0.3), (0.2, 0.0)), 0.1 + 0.2, ())
    b = Profile("B", "principal", (1.0, 1.0), ((0.5, 0.25), (0.0, 0.25)), 0.0, ())
    analysis = analyze(from_data(Case((2, 2), (a, b)).to_data()))
    assert [p.outcome for p in analysis.pareto] == [(1, 0), (0, 0), (1, 1), (0, 1)]
    assert analysis.zopa_size == 3
