"""Scenarios: the document format, loading and saving, and the built-in scenarios."""

from parley.scenario.io import builtin_names, dumps, from_data, load, loads, save
from parley.scenario.model import Member, Party, Scenario
from parley.scenario.schema import ScenarioDoc

__all__ = [
    "Member",
    "Party",
    "Scenario",
    "ScenarioDoc",
    "builtin_names",
    "dumps",
    "from_data",
    "load",
    "loads",
    "save",
]
