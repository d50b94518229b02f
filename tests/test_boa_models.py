"""Opponent models learn a conceding opponent's profile; accuracy metrics score them."""

from __future__ import annotations

import numpy as np
import pytest

from parley.engine.messages import Outcome
from parley.errors import StrategyError, UnknownNameError
from parley.outcomes import DiscreteIssue, Option, OutcomeSpace
from parley.preferences import LinearAdditive
from parley.strategies.boa.accuracy import model_accuracy, models_of, pearson
from parley.strategies.boa.models import Model, OpponentModel, make_model

SIZES = (5, 4, 6, 3)
SEEDS = range(8)


def _space(sizes: tuple[int, ...] = SIZES) -> OutcomeSpace:
    return OutcomeSpace(
        [
            DiscreteIssue(
                f"i{j}", f"issue {j}", options=tuple(Option(f"o{k}", f"o{k}") for k in range(n))
            )
            for j, n in enumerate(sizes)
        ]
    )


def _profile(rng: np.random.Generator, sizes: tuple[int, ...] = SIZES) -> LinearAdditive:
    """A random normalised additive profile (worst package 0, best 1)."""
    weights = rng.dirichlet(np.ones(len(sizes)))
    values = []
    for n in sizes:
        v = rng.random(n)
        values.append(tuple(float(x) for x in (v - v.min()) / (v.max() - v.min())))
    return LinearAdditive(
        sizes=sizes, weights=tuple(float(w) for w in weights), values=tuple(values)
    )


def _conceding_offers(
    space: OutcomeSpace, prefs: LinearAdditive, rng: np.random.Generator, count: int = 60
) -> list[tuple[Outcome, float]]:
    """A time-based opponent: at time t it offers a random package worth about 1 - t / 2."""
    rows = space.all_rows()
    worth = prefs.utilities(rows)
    offers = []
    for k in range(count):
        t = k / (count - 1)
        near = np.flatnonzero(np.abs(worth - (1.0 - 0.5 * t)) <= 0.05)
        if not near.size:
            near = np.array([int(np.argmin(np.abs(worth - (1.0 - 0.5 * t))))])
        offers.append((tuple(int(x) for x in rows[rng.choice(near)]), t))
    return offers


class TrueModel:
    """Knows the opponent's profile: the upper bound of every accuracy measure."""

    def __init__(self, prefs: LinearAdditive) -> None:
        self.prefs = prefs

    def observe(self, offer: Outcome, t: float) -> None:
        pass

    def utilities(self, rows: np.ndarray) -> np.ndarray:
        return self.prefs.utilities(np.asarray(rows))


class RandomModel:
    """Knows nothing: random option values."""

    def __init__(self, rng: np.random.Generator, sizes: tuple[int, ...] = SIZES) -> None:
        self.tables = [rng.random(n) for n in sizes]

    def observe(self, offer: Outcome, t: float) -> None:
        pass

    def utilities(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows)
        total = np.zeros(rows.shape[0])
        for j, table in enumerate(self.tables):
            total += table[rows[:, j]]
        return total


def _learned_correlations(name: str) -> list[float]:
    scores = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        space, theirs, mine = _space(), _profile(rng), _profile(rng)
        model = make_model(name, space, np.random.default_rng(seed))
        for offer, t in _conceding_offers(space, theirs, rng):
            model.observe(offer, t)
        scores.append(model_accuracy(model, theirs, mine, space).pearson)
    return scores


def _random_correlations() -> list[float]:
    scores = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        space, theirs, mine = _space(), _profile(rng), _profile(rng)
        scores.append(model_accuracy(RandomModel(rng), theirs, mine, space).pearson)
    return scores


THRESHOLD = 0.6
"""Mean correlation a learning model must reach on a conceding opponent (a random model's is
near 0: checked below, so the threshold separates knowing from guessing)."""


@pytest.mark.parametrize("name", ["frequency", "bayesian"])
def test_a_model_recovers_a_conceding_opponents_ordering(name: str) -> None:
    learned = _learned_correlations(name)
    assert float(np.mean(learned)) > THRESHOLD, learned
    assert float(np.mean(_random_correlations())) < THRESHOLD / 2


def test_the_learning_mediators_belief_learns_more_than_chance() -> None:
    learned = _learned_correlations("learning")
    assert float(np.mean(learned)) > 0.3, learned
    assert min(learned) > 0.0, learned


def test_accuracy_is_perfect_for_the_true_model_and_near_zero_for_a_random_one() -> None:
    rng = np.random.default_rng(7)
    space = _space((6, 6, 6, 6))
    theirs, mine = _profile(rng, space.sizes), _profile(rng, space.sizes)
    truth = model_accuracy(TrueModel(theirs), theirs, mine, space)
    assert truth.pearson == pytest.approx(1.0)
    assert truth.pareto_distance == pytest.approx(0.0, abs=1e-12)
    assert truth.outcomes == space.cardinality
    guesses = [
        model_accuracy(RandomModel(np.random.default_rng(s), space.sizes), theirs, mine, space)
        for s in range(10)
    ]
    assert abs(float(np.mean([g.pearson for g in guesses]))) < 0.2
    assert min(g.pareto_distance for g in guesses) > truth.pareto_distance


def test_accuracy_samples_a_space_too_large_to_compare_whole() -> None:
    rng = np.random.default_rng(3)
    space = _space((10,) * 6)
    theirs, mine = _profile(rng, space.sizes), _profile(rng, space.sizes)
    measured = model_accuracy(TrueModel(theirs), theirs, mine, space, sample=5000)
    assert measured.outcomes == 5000
    assert measured.pearson == pytest.approx(1.0)


def test_pearson_brute_force_and_constant_estimates() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.random(50), rng.random(50)
    da, db = a - a.mean(), b - b.mean()
    assert pearson(a, b) == pytest.approx(float((da @ db) / np.sqrt((da @ da) * (db @ db))))
    assert pearson(np.full(50, 0.3), b) == 0.0


@pytest.mark.parametrize("name", ["frequency", "bayesian", "learning", "similarity"])
def test_every_model_estimates_in_zero_one_and_satisfies_the_interface(name: str) -> None:
    rng = np.random.default_rng(1)
    space = _space()
    model = make_model(name, space, rng)
    assert isinstance(model, Model)
    typed: OpponentModel = model  # the protocol ANAC agents import
    for offer, t in _conceding_offers(space, _profile(rng), rng, count=10):
        typed.observe(offer, t)
    estimates = typed.utilities(space.all_rows())
    assert estimates.shape == (space.cardinality,)
    assert estimates.min() >= -1e-9
    assert estimates.max() <= 1.0 + 1e-9
    row = tuple(int(x) for x in space.all_rows()[5])
    assert model.utility(row) == pytest.approx(float(estimates[5]))


def test_frequency_weights_follow_unchanged_issues_and_values_follow_counts() -> None:
    space = _space((3, 3))
    model = make_model("frequency", space, np.random.default_rng(0))
    for offer in [(0, 0), (0, 1), (0, 2), (0, 0)]:  # issue 0 never moves: it matters
        model.observe(offer, 0.0)
    rows = np.array([[0, 0], [1, 0], [0, 1], [2, 2]])
    u = model.utilities(rows)
    assert (
        u[0] > u[2] > u[3]
    )  # (0,0) offered most; option 0 of the heavy issue beats 1 of the light
    assert u[0] - u[1] > u[0] - u[2]  # changing the issue it holds costs more


def test_a_model_is_named_with_parameters_and_bad_names_say_what_is_known() -> None:
    space = _space()
    rng = np.random.default_rng(0)
    model = make_model("bayesian:particles=20:sigma=0.3", space, rng)
    assert model.params["particles"] == 20
    with pytest.raises(
        UnknownNameError,
        match=r"unknown model component 'frequence' \(did you mean frequency\?\); "
        "known: bayesian, frequency, learning, similarity",
    ):
        make_model("frequence", space, rng)
    with pytest.raises(
        StrategyError,
        match="boa: model bayesian: unknown parameter 'k'; it takes particles, sigma, concession",
    ):
        make_model("bayesian:k=3", space, rng)


def test_models_of_reads_a_finished_negotiators_models() -> None:
    from parley.engine.drive import drive
    from parley.engine.settings import Settings
    from parley.play import start
    from parley.scenario import load
    from parley.strategies.boa.accuracy import session_accuracy

    scenario = load("job-offer")
    names = [p.name for p in scenario.principals]
    settings = Settings.from_scenario(
        scenario,
        protocol="direct",
        strategies={names[0]: "boa:model=frequency", names[1]: "linear"},
    )
    session, seats = start(scenario, settings, 1)
    drive(session, seats)
    assert list(models_of(seats[names[0]])) == [names[1]]
    assert models_of(seats[names[1]]) == {}
    measured = session_accuracy(seats, scenario)
    assert set(measured) == {names[0]}
    assert -1.0 <= measured[names[0]][names[1]].pearson <= 1.0
