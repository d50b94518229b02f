"""The ANAC side-by-side benchmark's pure parts: ranks and Spearman's correlation against
textbook answers, the outcome table NegMAS negotiates over, and a NegMAS negotiation scored
by Parley's rules. ``bench/`` is not a package; its module is imported from the folder. No
test here runs NegMAS or measures time."""

from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parley.analysis import analyze
from parley.scenario import load
from tests.test_formats_helpers import shared_or_skip

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _module() -> Any:
    sys.path.insert(0, str(BENCH))
    try:
        import anac_side_by_side as module  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(BENCH))
    return module


@pytest.fixture(scope="module")
def bench() -> Any:
    return _module()


def test_ranks_put_the_largest_first_and_share_ties(bench: Any) -> None:
    assert bench.ranks([0.2, 0.9, 0.5]) == [3.0, 1.0, 2.0]
    assert bench.ranks([0.5, 0.9, 0.5, 0.1]) == [2.5, 1.0, 2.5, 4.0]


def test_spearman_textbook_values(bench: Any) -> None:
    assert bench.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert bench.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # without ties rho = 1 - 6 * sum(d^2) / (n (n^2 - 1)); here d = (0, 0, 1, -1, 0): 1 - 12/120
    assert bench.spearman([5, 4, 3, 2, 1], [5, 4, 2, 3, 1]) == pytest.approx(0.9)
    # ties: ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4): Pearson of the ranks
    expected = 4.5 / math.sqrt(4.5 * 5.0)
    assert bench.spearman([4, 2, 2, 1], [4, 3, 2, 1]) == pytest.approx(expected)
    assert bench.spearman([1, 1, 1], [1, 2, 3]) is None
    assert bench.spearman([1], [1]) is None


@given(st.lists(st.floats(-1, 1), min_size=2, max_size=12, unique=True))
def test_spearman_of_a_ranking_with_its_mirror(values: list[float]) -> None:
    bench = _module()
    assert bench.spearman(values, values) == pytest.approx(1.0)
    assert bench.spearman(values, [-v for v in values]) == pytest.approx(-1.0)


def test_the_outcome_table_holds_every_outcome_in_product_order(bench: Any) -> None:
    scenario = load("nash-1950")
    table = bench.outcome_table(scenario)
    sizes = [len(issue["values"]) for issue in table["issues"]]
    outcomes = list(itertools.product(*(range(n) for n in sizes)))
    for side, party in zip(table["sides"], scenario.principals, strict=True):
        prefs = party.preferences
        assert prefs is not None
        assert side["reservation"] == prefs.reservation
        assert side["utilities"] == pytest.approx([prefs.utility(o) for o in outcomes])


def test_a_negmas_negotiation_is_scored_by_parleys_rules(bench: Any) -> None:
    folder = shared_or_skip() / "genius" / "anac2012_RentalHouse_A"  # d = 0.5, r = 0.5
    scenario = load(str(folder))
    analysis = analyze(scenario)
    assert analysis.nash is not None
    names = {"AgentK": "agent-k", "HardHeaded": "hardheaded"}
    deal = analysis.nash.outcome
    record = {
        "domain": scenario.name,
        "agents": ["AgentK", "HardHeaded"],
        "agreement": list(deal),
        "time": 0.5,
        "failure": None,
    }
    row = bench.negmas_row(record, scenario, analysis, names)
    assert row["strategies"] == ["agent-k", "hardheaded"]
    assert row["agreed"] is True
    expected = [u * 0.5**0.5 for u in analysis.nash.utilities]
    assert row["discounted"] == pytest.approx(expected)
    assert row["welfare"] == pytest.approx(sum(expected))
    assert row["nash_distance"] == pytest.approx(0.0, abs=1e-12)
    none = bench.negmas_row(record | {"agreement": None, "time": 1.0}, scenario, analysis, names)
    assert none["discounted"] == pytest.approx([0.5 * 0.5, 0.5 * 0.5])
    failed = bench.negmas_row(record | {"failure": "ValueError: x"}, scenario, analysis, names)
    assert failed["discounted"] is None


def _rows(domain: str, pairs: list[tuple[str, str, float, float]]) -> list[dict[str, Any]]:
    return [
        {"domain": domain, "strategies": [a, b], "discounted": [u, v], "failure": None}
        for a, b, u, v in pairs
    ]


def test_the_score_table_sums_each_agents_seats_per_domain(bench: Any) -> None:
    rows = _rows("d1", [("a", "b", 0.9, 0.1), ("b", "a", 0.3, 0.5)]) + _rows(
        "d2", [("a", "b", 0.2, 0.4)]
    )
    rows.append({"domain": "d2", "strategies": ["b", "a"], "discounted": None, "failure": "x"})
    total, count = bench.score_table(rows, ["d1", "d2"], ["a", "b"])
    assert total.ravel().tolist() == pytest.approx([1.4, 0.4, 0.2, 0.4])
    assert count.tolist() == [[2, 2], [1, 1]]


def test_the_domain_bootstrap_of_equal_rankings_is_certain(bench: Any) -> None:
    rows = _rows("d1", [("a", "b", 0.9, 0.1), ("a", "c", 0.6, 0.3)]) + _rows(
        "d2", [("b", "c", 0.5, 0.2), ("c", "a", 0.1, 0.7)]
    )
    table = bench.score_table(rows, ["d1", "d2"], ["a", "b", "c"])
    assert bench.domain_bootstrap(table, table, draws=200) == pytest.approx((1.0, 1.0))
    # reversed scores in the other tool: every draw ranks the agents the other way round
    mirror = (-table[0], table[1])
    assert bench.domain_bootstrap(table, mirror, draws=200) == pytest.approx((-1.0, -1.0))


def test_the_ranking_table_has_a_model_column_only_with_models(bench: Any) -> None:
    rows: list[dict[str, Any]] = [
        {
            "strategies": ["a", "b"],
            "failure": None,
            "agreed": True,
            "discounted": [0.8, 0.4],
            "welfare": 1.2,
            "nash_distance": 0.1,
            "model_pearson": None,
        },
    ]
    plain = bench.ranking_table(rows).splitlines()
    assert "model" not in plain[0]
    assert plain[2] == "| 1 | a | 1 | 0.800 | 1.200 | 0.100 | 100% | 0 |"
    rows[0]["model_pearson"] = [0.5, None]
    modelled = bench.ranking_table(rows).splitlines()
    assert modelled[2] == "| 1 | a | 1 | 0.800 | 1.200 | 0.100 | 100% | 0.500 | 0 |"
    assert modelled[3] == "| 2 | b | 1 | 0.400 | 1.200 | 0.100 | 100% | - | 0 |"
