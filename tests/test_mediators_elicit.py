"""The ``elicit`` mediator and its parts: the posterior it learns from answers, the value of
a question, the reservation estimate, the Nash point it reaches (brute force as oracle), and
what it is allowed to see."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from parley.engine import Settings, StrategySpec
from parley.engine.view import View
from parley.play import run
from parley.scenario import Scenario, from_data
from parley.strategies.concession import (
    RESERVATIONS,
    Answers,
    demand,
    reservation_estimate,
    reservation_posterior,
)
from parley.strategies.design import nash_points, question_values
from parley.strategies.elicit import Elicit, Posterior
from parley.strategies.learning import Encoding
from tests.scenario_factory import random_scenario

SIZES = (4, 3, 5)


def _party(rng: np.random.Generator, sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """A normalised additive party: issue weights summing to 1, each issue's values 0..1."""
    weights = rng.dirichlet(np.ones(len(sizes)))
    values = []
    for n in sizes:
        v = rng.random(n)
        values.append((v - v.min()) / (v.max() - v.min()))
    return weights, np.concatenate([w * v for w, v in zip(weights, values, strict=True)])


def _spans(encoding: Encoding, theta: np.ndarray) -> np.ndarray:
    """Each issue's share of the utility range (the weight of a normalised profile)."""
    parts = np.split(theta, np.cumsum(encoding.sizes)[:-1])
    spans = np.array([p.max() - p.min() for p in parts])
    return spans / spans.sum()


@pytest.mark.parametrize("seed", range(4))
def test_the_posterior_concentrates_on_the_true_weights(seed: int) -> None:
    """A truthful party's better / worse answers to random questions pin its weights down."""
    rng = np.random.default_rng(seed)
    encoding = Encoding(SIZES)
    weights, theta = _party(rng, SIZES)
    belief = Posterior(encoding, np.random.default_rng(seed + 100))
    before = np.abs(_spans(encoding, belief.estimate()) - weights).max()
    for _ in range(150):
        new = tuple(int(rng.integers(n)) for n in SIZES)
        old = tuple(int(rng.integers(n)) for n in SIZES)
        gap = (
            theta[encoding.columns(np.array([new]))].sum()
            - theta[encoding.columns(np.array([old]))].sum()
        )
        if abs(gap) > 1e-12:
            belief.learn(new, old, float(np.sign(gap)))
    after = np.abs(_spans(encoding, belief.estimate()) - weights).max()
    assert after < 0.1
    assert after < before
    assert belief.ignored == 0  # truthful answers never contradict the posterior


def test_a_question_that_splits_the_worlds_is_worth_more() -> None:
    """Two equally likely worlds with different Nash points: comparing the two candidates
    tells them apart, re-asking a question both worlds answer alike tells nothing."""
    # Worlds 0 and 1; choices A and B; A is the Nash point in world 0, B in world 1.
    worth = np.array([[1.0, 0.2], [0.2, 1.0]])
    labels = np.array([0, 1])
    # Candidate drafts: x0 is better than the reference for party 0 in world 0 only; x1 is
    # better for both parties in both worlds.
    new = np.array(
        [
            [[0.8, 0.5], [0.9, 0.5]],  # world 0: x0, x1 (party 0, party 1)
            [[0.2, 0.5], [0.9, 0.5]],  # world 1
        ]
    )
    old = np.array([[[0.5, 0.4]], [[0.5, 0.4]]])
    value = question_values(new, old, worth, labels)
    assert value.shape == (2, 1)
    assert value[0, 0] > value[1, 0]
    assert value[1, 0] == pytest.approx(0.0, abs=1e-12)


def test_each_world_gets_its_own_nash_point() -> None:
    """The vectorised ascent agrees with enumeration in every world (2 issues: exact)."""
    rng = np.random.default_rng(3)
    encoding = Encoding((5, 6))
    thetas = [rng.random((20, encoding.width)) for _ in range(2)]
    grid = np.indices(encoding.sizes).reshape(2, -1).T
    found = nash_points(encoding, thetas, np.zeros(2), grid[:1])
    for s in range(20):
        utils = [theta[s][encoding.columns(grid)].sum(axis=1) for theta in thetas]
        best = grid[int(np.argmax(utils[0] * utils[1]))]
        product = [theta[s][encoding.columns(found[s : s + 1])].sum() for theta in thetas]
        assert np.prod(product) == pytest.approx(float(np.max(utils[0] * utils[1])))
        assert best.shape == found[s].shape


@pytest.mark.parametrize(("truth", "exponent"), [(0.0, 0.2), (0.6, 0.2), (0.4, 1.0)])
def test_the_reservation_estimate_brackets_the_truth(truth: float, exponent: float) -> None:
    """Answers of a time-dependent party to packages of known worth: the posterior's central
    90% holds its reservation, and the estimate is within a grid step or two of it."""
    rng = np.random.default_rng(int(truth * 10))
    answers = Answers()
    worths = []
    for k in range(80):
        t = 0.2 + 0.8 * k / 79
        worth = float(rng.uniform(truth - 0.1, 1.0))
        answers.add(t, (k,), bool(worth >= demand(np.array(t), truth, exponent)))
        worths.append(worth)
    weight = reservation_posterior(answers, np.array(worths))
    cumulative = np.cumsum(weight)
    low = RESERVATIONS[int(np.searchsorted(cumulative, 0.05))]
    high = RESERVATIONS[int(np.searchsorted(cumulative, 0.95))]
    assert low - 1e-9 <= truth <= high + 1e-9
    assert abs(reservation_estimate(answers, np.array(worths)) - truth) <= 0.1 + 1e-9


def _small(seed: int) -> Scenario:
    """Two normalised additive parties on 3 issues x 4 options, reservation 0, a mediator."""
    rng = np.random.default_rng(seed)
    issues = [
        {
            "id": f"i{j}",
            "name": f"issue {j}",
            "options": [{"id": f"v{o}", "label": f"v{o}"} for o in range(4)],
        }
        for j in range(3)
    ]
    parties: list[dict[str, object]] = []
    for name in ("A", "B"):
        weights = rng.dirichlet(np.ones(3))
        table = {}
        for j in range(3):
            v = rng.random(4)
            v = (v - v.min()) / (v.max() - v.min())
            values = {f"v{o}": float(v[o]) for o in range(4)}
            table[f"i{j}"] = {"weight": float(weights[j]), "values": values}
        prefs = {"issues": table, "reservation": 0.0}
        parties.append({"name": name, "role": "principal", "preferences": prefs})
    parties.append({"name": "M", "role": "mediator"})
    doc = {
        "name": f"small-{seed}",
        "title": "Small additive domain",
        "issues": issues,
        "parties": parties,
        "protocol": {"kind": "single-text", "rounds": 100},
    }
    return from_data(doc, f"small-{seed}")


def _ratio(scenario: Scenario, seed: int, feedback: str = "truthful") -> float:
    """The agreement's Nash product over the brute-force optimum (0 without agreement)."""
    base = Settings.from_scenario(scenario, protocol="single-text", rounds=100, mediator="elicit")
    strategies = dict(base.strategies)
    for party in scenario.principals:
        strategies[party.name] = StrategySpec("boulware", {"feedback": feedback})
    result = run(scenario, replace(base, strategies=strategies), seed).result()
    if result.utilities is None:
        return 0.0
    prefs = [p.preferences for p in scenario.principals]
    grid = np.indices(scenario.space.sizes).reshape(len(scenario.space.sizes), -1).T
    best = max(prefs[0].utility(tuple(r)) * prefs[1].utility(tuple(r)) for r in grid)
    return float(np.prod(result.utilities) / best)


def test_elicit_reaches_the_brute_force_nash_point() -> None:
    """On small domains the agreement is near the enumerated Nash point: within 2% of its
    product in most of them, and never far (answers are ordinal, so the cardinal trade-off
    that separates the last candidates is sometimes left open)."""
    ratios = np.array([_ratio(_small(seed), seed) for seed in range(6)])
    assert (ratios >= 0.98).sum() >= 4
    assert ratios.min() >= 0.8


def test_elicit_still_agrees_when_parties_never_say_better() -> None:
    ratios = [_ratio(_small(seed), seed, "never-better") for seed in range(4)]
    assert min(ratios) > 0.0
    assert np.mean(ratios) >= 0.9


def test_elicit_sees_answers_never_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every view the mediator drafts from holds no preferences and no confidences, and the
    principals are never invited to confide."""
    seen: list[View] = []
    original = Elicit.choose

    def spy(self: Elicit, view: View) -> tuple[tuple[int, ...], int | None]:
        seen.append(view)
        return original(self, view)

    monkeypatch.setattr(Elicit, "choose", spy)
    scenario = _small(0)
    settings = Settings.from_scenario(
        scenario, protocol="single-text", rounds=30, mediator="elicit"
    )
    session = run(scenario, settings, 0)
    assert seen
    assert all(v.preferences is None and not v.confided for v in seen)
    assert not any(msg.kind == "confide" for msg in session.transcript)


@pytest.mark.parametrize("seed", range(6))
def test_elicit_respects_red_lines_and_any_number_of_principals(seed: int) -> None:
    """Random scenarios (2-3 principals, red lines, reservations, events): the talks end, and
    any agreement is one every principal may sign."""
    scenario = random_scenario(seed)
    negotiator = ("boulware", "conceder", "random", "tit-for-tat")[seed % 4]
    base = Settings.from_scenario(scenario, protocol="single-text", rounds=30, mediator="elicit")
    strategies = dict(base.strategies)
    for party in scenario.principals:
        strategies[party.name] = StrategySpec(negotiator)
    session = run(scenario, replace(base, strategies=strategies), seed)
    result = session.result()
    assert session.ended is not None
    if result.agreement is not None:
        for party in scenario.principals:
            prefs = party.preferences
            assert prefs is not None
            assert prefs.acceptable(result.agreement, prefs.reservation)
