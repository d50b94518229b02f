"""How well an opponent model knew the opponent, measured after a session from the true profiles.

The two measures of Baarslag, Hendrikx, Hindriks and Jonker 2016, "Learning about the opponent
in automated bilateral negotiation: a comprehensive survey of opponent modeling techniques"
(Autonomous Agents and Multi-Agent Systems, 2016):

- ``pearson``: the Pearson correlation between the model's estimated utilities and the
  opponent's true ones over the outcome space (every package up to ``SAMPLE`` of them, else a
  seeded sample of that many). 1 is a perfect ordering up to scale; a model that knows nothing
  scores about 0. A model whose estimates are all equal has no correlation: 0 by convention.
- ``pareto_distance``: the mean distance from each point of the estimated Pareto frontier to
  the nearest point of the true one. The estimated frontier is the Pareto frontier of the
  sampled packages under the modeller's own (true) utility and the model's estimate, each point
  placed at (own utility, estimated opponent utility); the true frontier is that of the two
  true profiles. 0 is a perfect model. (The survey leaves open where the estimated points lie;
  placing them at the estimate measures the model, not the luck of the packages it picks.)

Use after a tournament match or ``parley run``::

    seats = ...  # the strategies that played (parley.play.start returns them)
    for party, by_opponent in session_accuracy(seats, scenario).items():
        for opponent, acc in by_opponent.items():
            print(party, opponent, acc.pearson, acc.pareto_distance)

``models_of(strategy)`` reads a finished negotiator's models: any strategy with an
``opponent_models`` mapping (party -> ``OpponentModel``) is measured, BOA negotiators and any
ANAC agent that exposes its model the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parley.analysis.pareto import pareto_mask
from parley.outcomes import OutcomeSpace
from parley.preferences import Preferences
from parley.scenario import Scenario
from parley.strategies.boa.models import OpponentModel

SAMPLE = 20_000
"""Outcome spaces up to this size are compared whole; larger ones on a seeded sample."""


@dataclass(frozen=True)
class Accuracy:
    """One model's accuracy against the true profile of the party it modelled."""

    pearson: float
    pareto_distance: float
    outcomes: int
    """How many packages were compared (the whole space, or the sample)."""


def outcome_rows(space: OutcomeSpace, sample: int = SAMPLE, seed: int = 0) -> NDArray[np.int64]:
    """The packages compared: all that can exist, or a seeded sample of ``sample`` of them."""
    if space.cardinality <= sample:
        rows = np.asarray(space.all_rows(), dtype=np.int64)
    else:
        rng = np.random.default_rng(seed)
        rows = np.column_stack([rng.integers(0, n, sample) for n in space.sizes])
    if space.constraints:
        rows = rows[space.possible_rows(rows)]
    return rows


def model_accuracy(
    model: OpponentModel,
    opponent: Preferences,
    own: Preferences,
    space: OutcomeSpace,
    *,
    sample: int = SAMPLE,
) -> Accuracy:
    """``model``'s accuracy about ``opponent`` (its true profile), for a modeller whose own
    profile is ``own``, over ``space``."""
    rows = outcome_rows(space, sample)
    estimated = np.asarray(model.utilities(rows), dtype=np.float64)
    truth = opponent.utilities(rows)
    mine = own.utilities(rows)
    return Accuracy(
        pearson(estimated, truth), _frontier_distance(mine, estimated, truth), len(rows)
    )


def pearson(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    """The Pearson correlation of ``a`` and ``b``; 0 when either is constant."""
    if a.size < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def _frontier_distance(
    mine: NDArray[np.float64], estimated: NDArray[np.float64], truth: NDArray[np.float64]
) -> float:
    real = np.column_stack([mine, truth])
    real = real[pareto_mask(real)]
    guessed = np.column_stack([mine, estimated])
    guessed = guessed[pareto_mask(guessed)]
    nearest = [
        np.sqrt(((chunk[:, None, :] - real[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        for chunk in np.array_split(guessed, max(1, len(guessed) // 256))
    ]
    return float(np.concatenate(nearest).mean())


def models_of(strategy: object) -> Mapping[str, OpponentModel]:
    """A finished negotiator's opponent models by the party each models (empty: none)."""
    models = getattr(strategy, "opponent_models", None)
    return dict(models) if isinstance(models, Mapping) else {}


def session_accuracy(
    seats: Mapping[str, object], scenario: Scenario, *, sample: int = SAMPLE
) -> dict[str, dict[str, Accuracy]]:
    """For every seat with opponent models (``seats``: party -> strategy, as played), each
    model's accuracy against the modelled party's true profile in ``scenario``."""
    out: dict[str, dict[str, Accuracy]] = {}
    for party, strategy in seats.items():
        own = scenario.party(party).preferences
        for opponent, model in models_of(strategy).items():
            theirs = scenario.party(opponent).preferences
            if own is None or theirs is None:
                continue
            accuracy = model_accuracy(model, theirs, own, scenario.space, sample=sample)
            out.setdefault(party, {})[opponent] = accuracy
    return out
