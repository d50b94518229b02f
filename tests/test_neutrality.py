"""Muscat is neutral by construction: asymmetries between Iran and the United States are
sourced (and listed in docs/muscat-2026.md) or absent, and the protocol hands neither the side
that moves first nor the one that moves second an advantage of its own."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from parley.engine import Settings
from parley.play import play, start
from parley.scenario import Scenario, load

SIDES = ("Iran", "United States")
SEEDS = range(60)
TOLERANCE = 0.025
"""Largest mean advantage of moving first (or second) accepted, in utility over reservation.
Measured with the scenario's own strategies over 60 seeds: 0.020 with a clock that moves with
every principal's turn, 0.032 when it moved only with rounds."""
DOC = Path(__file__).parents[1] / "docs" / "muscat-2026.md"


@pytest.fixture(scope="module")
def muscat() -> Scenario:
    return load("muscat-2026")


def _gains(scenario: Scenario, order: tuple[str, str]) -> dict[str, list[float]]:
    """Each principal's gain over its reservation in every agreement of a one-session day
    (its concessions paced over the day itself, so that deals happen), moving in ``order``."""
    gains: dict[str, list[float]] = {side: [] for side in order}
    for seed in SEEDS:
        settings = Settings.from_scenario(scenario)
        settings = dataclasses.replace(settings, order=order, horizon=None, at_deadline="end")
        session, seats = start(scenario, settings, seed)
        result = play(session, seats)
        if result.utilities is None:
            continue
        for side, utility in zip(result.parties, result.utilities, strict=True):
            gains[side].append(utility - session.reservation(side))
    return gains


def test_moving_first_is_neither_an_advantage_nor_a_handicap(muscat: Scenario) -> None:
    advantages = []
    for order in (SIDES, SIDES[::-1]):
        gains = _gains(muscat, order)
        first, second = order
        assert len(gains[first]) >= len(SEEDS) // 2, "too few agreements to compare"
        advantages.append(float(np.mean(gains[first]) - np.mean(gains[second])))
    # Mirrored, each side moves first once: what remains is the order's own effect.
    assert abs(float(np.mean(advantages))) < TOLERANCE, advantages


def test_the_principals_start_from_the_same_reservation_value(muscat: Scenario) -> None:
    values = {side: muscat.preferences_of(side).reservation for side in SIDES}
    assert values["Iran"] == values["United States"]


def test_every_asymmetry_is_in_the_table_with_its_source(muscat: Scenario) -> None:
    """Every event that treats the sides differently (a shift of one side's reservation) is
    listed in the asymmetry table of docs/muscat-2026.md, and sourced in the file."""
    table = DOC.read_text(encoding="utf-8").split("### Asymmetries between the sides", 1)
    assert len(table) == 2, "docs/muscat-2026.md has an asymmetry table"
    listed = table[1].split("\n## ", 1)[0]
    for event in muscat.doc.timeline:
        if event.kind == "shift-reservation" and event.party in SIDES:
            assert event.title in listed, event.title
            assert event.source.strip(), event.title
    for row in ("reservation", "order", "red lines", "option order", "strategies"):
        assert row in listed.lower(), row
