"""Shared fixtures. Scenarios are loaded once per session: they are immutable."""

from __future__ import annotations

import pytest

from parley.analysis import Analysis, analyze
from parley.scenario import Scenario, load


@pytest.fixture(scope="session")
def nash_1950() -> Scenario:
    """Nash's (1950) barter between Bill and Jack, the built-in textbook case."""
    return load("nash-1950")


@pytest.fixture(scope="session")
def nash_1950_analysis(nash_1950: Scenario) -> Analysis:
    return analyze(nash_1950)
