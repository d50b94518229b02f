"""The textbook case: Nash's (1950) barter between Bill and Jack, against his published answer.

The brute force here works in Nash's own integer units (exact arithmetic), independently of
the scenario's normalized floats and of the code under test.
"""

from __future__ import annotations

import itertools
import math

import pytest

from parley.analysis import Analysis, analyze, evaluate, zopa_outcomes
from parley.scenario import Scenario

GOODS = ("book", "whip", "ball", "bat", "box", "pen", "toy", "knife", "hat")
# Nash's table: what each good is worth to each man
BILL = dict(zip(GOODS, (2, 2, 2, 2, 4, 10, 4, 6, 2), strict=True))
JACK = dict(zip(GOODS, (4, 2, 1, 2, 1, 1, 1, 2, 2), strict=True))
BILL_TOTAL, JACK_TOTAL = 34, 16
BILL_KEEPS, JACK_KEEPS = 12, 6  # no trade: each keeps his own goods
NO_TRADE = dict.fromkeys(GOODS[:5], "Bill") | dict.fromkeys(GOODS[5:], "Jack")
# Nash: Bill gives Jack book, whip, ball, bat; Jack gives Bill pen, toy, knife; box stays
# with Bill and hat with Jack.
NASH = {**dict.fromkeys(("book", "whip", "ball", "bat", "hat"), "Jack")}
NASH |= dict.fromkeys(("box", "pen", "toy", "knife"), "Bill")


def units(holders: dict[str, str]) -> tuple[int, int]:
    bill = sum(BILL[g] for g in GOODS if holders[g] == "Bill")
    jack = sum(JACK[g] for g in GOODS if holders[g] == "Jack")
    return bill, jack


def every_allocation() -> list[dict[str, str]]:
    return [
        dict(zip(GOODS, who, strict=True)) for who in itertools.product(("Bill", "Jack"), repeat=9)
    ]


def brute_zopa() -> list[dict[str, str]]:
    return [
        a for a in every_allocation() if units(a)[0] >= BILL_KEEPS and units(a)[1] >= JACK_KEEPS
    ]


def brute_frontier() -> list[dict[str, str]]:
    allocations = every_allocation()
    vectors = [units(a) for a in allocations]
    return [
        a
        for a, (b, j) in zip(allocations, vectors, strict=True)
        if not any(b2 >= b and j2 >= j and (b2, j2) != (b, j) for b2, j2 in vectors)
    ]


def test_nash_point_is_nashs_published_answer(
    nash_1950: Scenario, nash_1950_analysis: Analysis
) -> None:
    nash = nash_1950_analysis.nash
    assert nash is not None
    assert nash_1950.space.to_values(nash.outcome) == NASH
    assert nash.utilities == pytest.approx((24 / 34, 11 / 16), abs=1e-12)
    gains = (
        nash.utilities[0] * BILL_TOTAL - BILL_KEEPS,
        nash.utilities[1] * JACK_TOTAL - JACK_KEEPS,
    )
    assert gains == pytest.approx((12, 5))  # Nash's gains, product 60


def test_brute_force_agrees_that_the_nash_point_is_unique() -> None:
    products = {
        tuple(a.values()): (units(a)[0] - BILL_KEEPS) * (units(a)[1] - JACK_KEEPS)
        for a in brute_zopa()
    }
    best = max(products.values())
    assert best == 60
    assert [k for k, v in products.items() if v == best] == [tuple(NASH[g] for g in GOODS)]


def test_zopa_matches_brute_force(nash_1950: Scenario, nash_1950_analysis: Analysis) -> None:
    expected = brute_zopa()
    assert nash_1950_analysis.zopa_size == len(expected) == 293
    found = [nash_1950.space.to_values(row) for rows in zopa_outcomes(nash_1950) for row in rows]
    assert found == expected  # same outcomes, same (outcome-number) order


def test_frontier_matches_brute_force(nash_1950: Scenario, nash_1950_analysis: Analysis) -> None:
    expected = sorted(brute_frontier(), key=lambda a: (-units(a)[0], -units(a)[1]))
    found = [nash_1950.space.to_values(p.outcome) for p in nash_1950_analysis.pareto]
    assert len(found) == 18
    # equal utility vectors may come in either order here; the vectors' order must match
    assert [units(a) for a in found] == [units(a) for a in expected]
    assert sorted(map(str, found)) == sorted(map(str, expected))
    for point in nash_1950_analysis.pareto:
        bill, jack = units(nash_1950.space.to_values(point.outcome))
        assert point.utilities == pytest.approx((bill / BILL_TOTAL, jack / JACK_TOTAL), abs=1e-12)


def test_no_trade_sits_exactly_at_both_batnas(
    nash_1950: Scenario, nash_1950_analysis: Analysis
) -> None:
    """Bill's float sum 2+2+2+2+4 lands a hair below 12/34; it still counts as reaching it."""
    report = evaluate(nash_1950, nash_1950.space.from_values(NO_TRADE), analysis=nash_1950_analysis)
    assert report.in_zopa
    assert report.feasible
    assert not report.crossed
    assert not report.on_pareto
    nearest = min(
        math.dist(
            (b / BILL_TOTAL, j / JACK_TOTAL), (BILL_KEEPS / BILL_TOTAL, JACK_KEEPS / JACK_TOTAL)
        )
        for b, j in map(units, brute_frontier())
    )
    assert report.distance_to_pareto == pytest.approx(nearest, abs=1e-12)


def test_nash_point_evaluates_on_the_frontier(
    nash_1950: Scenario, nash_1950_analysis: Analysis
) -> None:
    report = evaluate(nash_1950, nash_1950.space.from_values(NASH))
    assert report.on_pareto
    assert report.in_zopa
    assert report.distance_to_pareto == 0.0
    assert report.parties == ("Bill", "Jack")
    assert report.to_json(nash_1950.space)["outcome"] == NASH


def test_other_special_points_and_ideal(nash_1950_analysis: Analysis) -> None:
    """Here all four points coincide; the ideal is each man's best package in the ZOPA."""
    a = nash_1950_analysis
    assert a.kalai == a.utilitarian == a.egalitarian == a.nash
    assert a.ideal == pytest.approx((30 / 34, 14 / 16))
    assert (a.parties, a.outcomes, a.feasible) == (("Bill", "Jack"), 512, 512)


def test_chunked_pass_gives_the_same_analysis(
    nash_1950: Scenario, nash_1950_analysis: Analysis
) -> None:
    assert analyze(nash_1950, chunk=7) == nash_1950_analysis
