"""Strategies: who decides a seat's answers. The engine never imports this package.

Built-ins are registered here; installed packages add theirs through the ``parley.strategies``
entry-point group, and a user's file through ``parley run --import FILE.py``. ``seating``
decides which strategy sits where.
"""

from __future__ import annotations

from parley.strategies.anac import AGENTS as ANAC_AGENTS
from parley.strategies.base import (
    Advice,
    Adviser,
    Draft,
    Mediator,
    Negotiator,
    Parameter,
    Spoiler,
    Strategy,
    ThirdParty,
)
from parley.strategies.blind import Annealing, Feedback
from parley.strategies.boa.negotiator import Boa
from parley.strategies.bridging import NashBridging
from parley.strategies.confidential import Confidential
from parley.strategies.elicit import Elicit
from parley.strategies.mediators import Bridging, HillClimb, Relay
from parley.strategies.negotiators import (
    Boulware,
    Conceder,
    Hardliner,
    Linear,
    RandomNegotiator,
    TitForTat,
)
from parley.strategies.outsiders import Counsel, Framework, Hazard, Watchful
from parley.strategies.registry import REGISTRY, Entry, register

for _cls in (
    Boulware, Linear, Conceder, TitForTat, Hardliner, RandomNegotiator, Boa,
    Relay, Bridging, NashBridging, HillClimb, Annealing, Feedback, Elicit, Confidential,
    Framework, Watchful, Hazard, Counsel,
):  # fmt: skip
    register(_cls)
for _agent in ANAC_AGENTS:
    register(_agent)

NEGOTIATORS = REGISTRY.by_role["principal"]
"""Negotiator strategies by name (a live view of the registry)."""
MEDIATORS = REGISTRY.by_role["mediator"]

__all__ = [
    "MEDIATORS",
    "NEGOTIATORS",
    "REGISTRY",
    "Advice",
    "Adviser",
    "Draft",
    "Entry",
    "Mediator",
    "Negotiator",
    "Parameter",
    "Spoiler",
    "Strategy",
    "ThirdParty",
    "register",
]
