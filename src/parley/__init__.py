"""Parley: mediated, multi-issue negotiation with private preferences.

Importing ``parley`` loads no scenario and starts nothing; the names below are the public API.
"""

from parley.errors import (
    EngineError,
    IllegalActionError,
    ParleyError,
    ScenarioError,
    UnknownNameError,
)
from parley.outcomes import (
    Constraint,
    DiscreteIssue,
    IntegerIssue,
    Issue,
    Option,
    OutcomeSpace,
    RealIssue,
)
from parley.preferences import LinearAdditive, Preferences, RedLine
from parley.scenario import Party, Scenario, ScenarioDoc, load, loads

__version__ = "0.1.0"

__all__ = [
    "Constraint",
    "DiscreteIssue",
    "EngineError",
    "IllegalActionError",
    "IntegerIssue",
    "Issue",
    "LinearAdditive",
    "Option",
    "OutcomeSpace",
    "ParleyError",
    "Party",
    "Preferences",
    "RealIssue",
    "RedLine",
    "Scenario",
    "ScenarioDoc",
    "ScenarioError",
    "UnknownNameError",
    "__version__",
    "load",
    "loads",
]
