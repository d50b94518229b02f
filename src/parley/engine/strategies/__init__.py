"""Strategies registered by name, for negotiators (principals) and mediators."""

from __future__ import annotations

import numpy as np

from parley.engine.settings import StrategySpec
from parley.engine.strategies.base import Mediator, Negotiator, Strategy
from parley.engine.strategies.blind import Annealing, Feedback
from parley.engine.strategies.confidential import Confidential
from parley.engine.strategies.mediators import Bridging, HillClimb, Relay
from parley.engine.strategies.negotiators import (
    Boulware,
    Conceder,
    Hardliner,
    Linear,
    RandomNegotiator,
    TitForTat,
)
from parley.errors import EngineError, UnknownNameError

NEGOTIATORS: dict[str, type[Negotiator]] = {
    cls.name: cls for cls in (Boulware, Linear, Conceder, TitForTat, Hardliner, RandomNegotiator)
}
MEDIATORS: dict[str, type[Mediator]] = {
    cls.name: cls for cls in (Relay, Bridging, HillClimb, Annealing, Feedback, Confidential)
}


def build(spec: StrategySpec, role: str, protocol: str, rng: np.random.Generator) -> Strategy:
    """A strategy instance for a seat of ``role`` under ``protocol``."""
    registry: dict[str, type[Negotiator]] | dict[str, type[Mediator]]
    registry = MEDIATORS if role == "mediator" else NEGOTIATORS
    cls = registry.get(spec.name)
    if cls is None:
        raise UnknownNameError(
            f"{'mediator' if role == 'mediator' else 'negotiator'} strategy", spec.name, registry
        )
    if protocol not in cls.protocols:
        fitting = [n for n, c in registry.items() if protocol in c.protocols]
        raise EngineError(
            f"the {spec.name} mediator cannot run the {protocol} protocol; "
            f"mediators for {protocol}: {', '.join(fitting)}"
        )
    return cls(rng, **dict(spec.params))


__all__ = ["MEDIATORS", "NEGOTIATORS", "Mediator", "Negotiator", "Strategy", "build"]
