"""Opponent models: what one side believes the other's utility is, learned from its offers.

The interface (import it from here; ANAC agents and the accuracy metrics use only this)::

    class OpponentModel(Protocol):
        def observe(self, offer: Outcome, t: float) -> None:
            '''The opponent offered ``offer`` at time ``t`` (0 at the start, 1 at the deadline).'''
        def utilities(self, rows: NDArray[np.integer]) -> NDArray[np.float64]:
            '''Estimated utility for the opponent of each row (a package as option indices,
            one column per issue), in [0, 1].'''

    make_model("frequency", space, rng)            # a model by name (a factory)
    make_model("bayesian:particles=200", space, rng)   # with parameters

Every built-in model is a ``Model`` (a registered BOA ``Component`` of kind ``"model"``) built
as ``cls(space, rng, **params)``; ``utility(outcome)`` answers for one package through the batch
path. A model sees offers only, never the opponent's profile: the engine's views hold none.

Models:

- ``frequency``: HardHeaded's model (the ANAC 2011 winner; its chapter, "HardHeaded" by van
  Krimpen, Looije and Hajizadeh, was not found by our search): an issue whose option did not
  change between two consecutive offers gains weight (``learning`` / number of issues, then
  the weights are normalised); an option's value is how often it was offered, plus one, over
  the most offered option's count plus one (so all options are equal before any offer).
- ``bayesian``: Bayesian learning over weights and values (Hindriks and Tykhonov 2008, "Opponent
  modelling in automated multi-issue negotiation using Bayesian learning", AAMAS 2008, pp.
  326-333). The paper keeps a distribution over hypotheses (weight rankings times value-function
  shapes for ordered options) and discusses an approximation for scalability; Parley's issues
  are mostly unordered options, so it uses a particle approximation of its own choosing:
  ``particles`` hypotheses, each a weight vector (flat Dirichlet prior) and per-issue option
  values (uniform, rescaled so each issue's worst option is 0 and its best 1). As in the paper,
  an offer at time t is likely under a hypothesis in proportion to a Gaussian (width ``sigma``)
  around the utility a conceding opponent would ask for then, 1 - ``concession`` * t. When the
  effective sample size falls below half, particles are resampled and jittered (a choice of
  ours: the paper updates a fixed hypothesis set). The estimate is the posterior mean.
- ``learning``: the belief the learning mediators keep (``parley.strategies.learning.Belief``,
  imported, not copied), fed with the evidence an offer sequence gives: each offer is taken to
  be worth less to the opponent than its previous one and than its first one, when they differ
  (the usual concession assumption; evidence no sample agrees with is set aside by the belief).
- ``similarity``: the share of issues on which a package agrees with the opponent's latest
  offer; the heuristic Parley's time-based negotiators use to choose among packages of equal
  own utility.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

import numpy as np
from numpy.typing import NDArray

from parley.engine.messages import Outcome
from parley.outcomes import OutcomeSpace
from parley.strategies.base import Param, Parameter
from parley.strategies.boa.components import (
    COMPONENTS,
    Component,
    ComponentSpec,
    check_params,
    component,
)
from parley.strategies.learning import Belief, Encoding
from parley.strategies.learning import utilities as additive_utilities

Rows = NDArray[np.integer]


class OpponentModel(Protocol):
    """What a BOA bidding strategy, an ANAC agent and the accuracy metrics need of a model."""

    def observe(self, offer: Outcome, t: float) -> None: ...

    def utilities(self, rows: Rows) -> NDArray[np.float64]: ...


class Model(Component):
    """A registered opponent model: write ``observe`` and ``utilities``."""

    kind = "model"
    parameters: ClassVar[tuple[Parameter, ...]] = ()

    def __init__(self, space: OutcomeSpace, rng: np.random.Generator, **params: Param) -> None:
        self.params = check_params(type(self), params)
        self.space = space
        self.rng = rng
        self.sizes = space.sizes
        self.offers: list[Outcome] = []
        """Every offer observed, in order."""

    def observe(self, offer: Outcome, t: float) -> None:
        self.offers.append(tuple(offer))

    def utilities(self, rows: Rows) -> NDArray[np.float64]:
        raise NotImplementedError

    def utility(self, outcome: Outcome) -> float:
        return float(self.utilities(np.asarray([outcome], dtype=np.int64))[0])


def make_model(text: str, space: OutcomeSpace, rng: np.random.Generator) -> Model:
    """The model named by ``text`` (``name`` or ``name:key=value:...``) for ``space``; an
    unknown name or a bad parameter is a one-line error listing the valid ones."""
    spec = ComponentSpec.from_text("model", text)
    cls = COMPONENTS.find("model", spec.name)
    assert issubclass(cls, Model)
    return cls(space, rng, **dict(spec.params))


@component
class Frequency(Model):
    name = "frequency"
    summary = "issue weights from options kept between offers, option values from counts"
    source = "HardHeaded (ANAC 2011 winner; van Krimpen, Looije, Hajizadeh)"
    parameters = (
        Parameter(
            "learning", 0.2, "weight added to an unchanged issue (over the issue count)",
            above=0.0, at_most=10.0,
        ),
    )  # fmt: skip

    def __init__(self, space: OutcomeSpace, rng: np.random.Generator, **params: Param) -> None:
        super().__init__(space, rng, **params)
        self.weights = np.full(len(self.sizes), 1.0 / max(1, len(self.sizes)))
        self.counts = [np.zeros(n) for n in self.sizes]

    def observe(self, offer: Outcome, t: float) -> None:
        if self.offers:
            kept = np.asarray(offer) == np.asarray(self.offers[-1])
            self.weights = self.weights + kept * (self.number("learning") / len(self.sizes))
            self.weights /= self.weights.sum()
        for column, option in enumerate(offer):
            self.counts[column][option] += 1.0
        super().observe(offer, t)

    def utilities(self, rows: Rows) -> NDArray[np.float64]:
        rows = np.asarray(rows)
        total = np.zeros(rows.shape[0])
        for column, counts in enumerate(self.counts):
            values = (counts + 1.0) / (counts.max() + 1.0)
            total += self.weights[column] * values[rows[:, column]]
        return total


@component
class Bayesian(Model):
    name = "bayesian"
    summary = "posterior over weights and option values (particles), given a conceding opponent"
    source = "Hindriks, Tykhonov 2008, Opponent modelling ... using Bayesian learning (AAMAS)"
    parameters = (
        Parameter("particles", 400, "hypotheses kept", at_least=10, at_most=100_000),
        Parameter("sigma", 0.25, "spread of an offer's utility around the expected", above=0.0),
        Parameter(
            "concession", 0.4, "utility a conceding opponent gives up by the deadline",
            at_least=0.0, at_most=1.0,
        ),
    )  # fmt: skip

    def __init__(self, space: OutcomeSpace, rng: np.random.Generator, **params: Param) -> None:
        super().__init__(space, rng, **params)
        self.encoding = Encoding(self.sizes)
        count = int(self.params["particles"])
        self.weights = rng.dirichlet(np.ones(len(self.sizes)), count)
        self.values = self._normalised(rng.random((count, self.encoding.width)))
        self.log_p = np.zeros(count)
        self._mean: NDArray[np.float64] | None = None

    def _normalised(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each issue's option values rescaled to worst 0, best 1 (a one-option issue: 1)."""
        e = self.encoding
        lows = np.repeat(np.minimum.reduceat(values, e.offsets, axis=1), e.sizes, axis=1)
        highs = np.repeat(np.maximum.reduceat(values, e.offsets, axis=1), e.sizes, axis=1)
        span = highs - lows
        return np.where(span > 0, (values - lows) / np.where(span > 0, span, 1.0), 1.0)

    @property
    def theta(self) -> NDArray[np.float64]:
        """Each hypothesis's weighted option values: a package's utility is their sum."""
        return np.asarray(
            self.values * np.repeat(self.weights, self.encoding.sizes, axis=1), dtype=np.float64
        )

    def observe(self, offer: Outcome, t: float) -> None:
        super().observe(offer, t)
        u = self.theta[:, self.encoding.columns(np.asarray([offer]))[0]].sum(axis=1)
        expected = 1.0 - self.number("concession") * t
        self.log_p += -((u - expected) ** 2) / (2.0 * self.number("sigma") ** 2)
        self.log_p -= self.log_p.max()
        p = np.exp(self.log_p)
        p /= p.sum()
        if 1.0 / float((p**2).sum()) < 0.5 * p.size:
            self._resample(p)
        self._mean = None

    def _resample(self, p: NDArray[np.float64]) -> None:
        """Systematic resampling, then a small jitter so copies spread out again."""
        count = p.size
        points = (self.rng.random() + np.arange(count)) / count
        pick = np.minimum(np.searchsorted(np.cumsum(p), points), count - 1)
        # A Dirichlet draw around each copy's weights (concentration 200), as normalised gammas.
        drawn = self.rng.gamma(self.weights[pick] * 200.0 + 1e-3)
        self.weights = drawn / drawn.sum(axis=1, keepdims=True)
        jitter = self.rng.normal(0.0, 0.05, self.values.shape)
        self.values = self._normalised(np.clip(self.values[pick] + jitter, 0.0, 1.0))
        self.log_p = np.zeros(count)

    def mean(self) -> NDArray[np.float64]:
        """The posterior mean of the weighted option values."""
        if self._mean is None:
            p = np.exp(self.log_p - self.log_p.max())
            self._mean = np.asarray((p / p.sum()) @ self.theta, dtype=np.float64)
        return self._mean

    def utilities(self, rows: Rows) -> NDArray[np.float64]:
        return additive_utilities(self.encoding, self.mean(), np.asarray(rows, dtype=np.int64))


@component
class Learning(Model):
    name = "learning"
    summary = "the learning mediators' belief, fed with 'each offer is worth less than before'"
    source = "Parley's learning mediators (parley.strategies.learning), after their sources"

    def __init__(self, space: OutcomeSpace, rng: np.random.Generator, **params: Param) -> None:
        super().__init__(space, rng, **params)
        self.belief = Belief(Encoding(self.sizes), rng)
        self._estimate: NDArray[np.float64] | None = None

    def observe(self, offer: Outcome, t: float) -> None:
        offer = tuple(offer)
        earlier = {self.offers[0], self.offers[-1]} if self.offers else set()
        for before in sorted(earlier - {offer}):
            self.belief.learn(before, offer, 1.0)  # it asked for more before
            self._estimate = None
        super().observe(offer, t)

    def utilities(self, rows: Rows) -> NDArray[np.float64]:
        if self._estimate is None:
            self._estimate = self.belief.estimate()
        encoding = self.belief.encoding
        return additive_utilities(encoding, self._estimate, np.asarray(rows, dtype=np.int64))


@component
class Similarity(Model):
    name = "similarity"
    summary = "share of issues agreeing with the opponent's latest offer"
    source = "Parley's time-based negotiators (choosing among packages of equal own utility)"

    def utilities(self, rows: Rows) -> NDArray[np.float64]:
        rows = np.asarray(rows)
        if not self.offers:
            return np.zeros(rows.shape[0])
        same = rows == np.asarray(self.offers[-1])[None, :]
        return np.asarray(same.mean(axis=1), dtype=np.float64)


MODELS = ("frequency", "bayesian", "learning", "similarity")
"""The built-in models' names."""
