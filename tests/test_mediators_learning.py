"""What the blind mediators learn: the belief over a party's values, the Nash search, and the
feedback mediator's result against a brute-force optimum."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis import analyze
from parley.engine import Settings, StrategySpec
from parley.play import run
from parley.strategies import learning
from parley.strategies.learning import Belief, Encoding, best_packages, products
from tests.scenario_factory import random_scenario


def _additive(rng: np.random.Generator, sizes: tuple[int, ...]) -> np.ndarray:
    weights = rng.dirichlet(np.ones(len(sizes)))
    return np.concatenate([w * rng.random(n) for w, n in zip(weights, sizes, strict=True)])


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(2, 6), min_size=1, max_size=4).map(tuple),
    seed=st.integers(0, 2**16),
)
def test_every_sample_agrees_with_every_answer_it_kept(sizes: tuple[int, ...], seed: int) -> None:
    rng = np.random.default_rng(seed)
    encoding = Encoding(sizes)
    truth = _additive(rng, sizes)
    belief = Belief(encoding, rng)
    for _ in range(30):
        a, b = (tuple(int(rng.integers(n)) for n in sizes) for _ in range(2))
        gap = float(truth @ encoding.change(a, b))
        if abs(gap) > 1e-12:
            belief.learn(a, b, gap)
    assert belief.ignored == 0  # truthful answers never contradict the samples
    if belief.constraints.shape[0]:
        assert (belief.theta @ belief.constraints.T > 0).all()
    values = belief.estimate()
    grid = np.indices(sizes).reshape(len(sizes), -1).T
    estimated = learning.utilities(encoding, values, grid)
    # each sample is scaled to 0..1 over the packages, so their mean stays within 0..1
    assert estimated.min() >= -1e-9
    assert estimated.max() <= 1.0 + 1e-9


def test_answers_teach_the_order_of_options() -> None:
    rng = np.random.default_rng(0)
    sizes = (4, 4, 4)
    encoding = Encoding(sizes)
    truth = _additive(rng, sizes)
    belief = Belief(encoding, rng)
    for _ in range(150):
        a, b = (tuple(int(rng.integers(n)) for n in sizes) for _ in range(2))
        gap = float(truth @ encoding.change(a, b))
        if abs(gap) > 1e-12:
            belief.learn(a, b, gap)
    grid = np.indices(sizes).reshape(3, -1).T
    true_u = learning.utilities(encoding, truth, grid)
    estimated = learning.utilities(encoding, belief.estimate(), grid)
    assert np.corrcoef(true_u, estimated)[0, 1] > 0.95


@pytest.mark.parametrize("seed", range(5))
def test_the_ascent_finds_the_enumerated_optimum(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(seed)
    sizes = (5, 4, 6, 3)
    encoding = Encoding(sizes)
    values = [_additive(rng, sizes), _additive(rng, sizes)]
    grid = np.indices(sizes).reshape(4, -1).T
    brute = float(products(encoding, values, grid).max())
    assert float(products(encoding, values, np.array(best_packages(encoding, values, rng)))[0]) == (
        pytest.approx(brute)
    )
    monkeypatch.setattr(learning, "ENUMERATE", 1)  # force the coordinate ascent
    found = best_packages(encoding, values, rng)
    assert float(products(encoding, values, np.array(found))[0]) >= 0.98 * brute


def _nash_ratio(seed: int, mediator: str, protocol: str) -> float | None:
    scenario = random_scenario(seed, principals=2, events=False)
    analysis = analyze(scenario)
    if analysis.nash is None:
        return None
    base = Settings.from_scenario(scenario, protocol=protocol, rounds=60, mediator=mediator)
    strategies = dict(base.strategies)
    for party in scenario.principals:
        strategies[party.name] = StrategySpec("boulware")
    result = run(scenario, replace(base, strategies=strategies), seed).result()
    if result.utilities is None:
        return 0.0
    d = analysis.reservations
    best = np.prod(np.subtract(analysis.nash.utilities, d))
    return float(np.prod(np.subtract(result.utilities, d)) / best) if best > 0 else None


def test_the_feedback_mediator_gets_close_to_the_nash_point() -> None:
    """Blind, on small random scenarios with a ZOPA: near the brute-force optimum on average."""
    ratios = [r for s in range(12) if (r := _nash_ratio(s, "feedback", "single-text")) is not None]
    assert len(ratios) >= 6
    assert np.mean(ratios) >= 0.8  # reservations and red lines cost it (see docs)


def test_bridging_learns_enough_to_close_deals() -> None:
    ratios = [r for s in range(12) if (r := _nash_ratio(s, "bridging", "shuttle")) is not None]
    assert len(ratios) >= 6
    assert np.mean([r > 0 for r in ratios]) >= 0.8
