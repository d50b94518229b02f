"""Drawing a run's uncertain inputs, and the scenario a run plays with them.

A run's draws come from its own generator (seeded from the forecast's seed and the run's
number), so a run is the same whichever worker plays it and whatever ran before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from parley.preferences import LinearAdditive, Preferences
from parley.scenario import Scenario
from parley.scenario.model import silenced
from parley.scenario.schema import DistributionDoc, EventDoc
from parley.scenario.uncertainty import Input


def draw(dist: DistributionDoc, rng: np.random.Generator) -> float:
    """One draw; always inside ``dist.support()``."""
    low, high = dist.support()
    if dist.kind == "choice":
        assert dist.values is not None  # guaranteed by DistributionDoc
        assert dist.probabilities is not None
        # searchsorted on the running total instead of rng.choice: no renormalising of
        # probabilities that sum to 1 only up to rounding, and zero-probability values never win
        k = int(np.searchsorted(np.cumsum(dist.probabilities), rng.random(), side="right"))
        return float(dist.values[min(k, len(dist.values) - 1)])
    if low == high:
        return low
    if dist.kind == "uniform":
        return float(rng.uniform(low, high))
    if dist.kind == "triangular":
        assert dist.mode is not None  # guaranteed by DistributionDoc
        return float(rng.triangular(low, dist.mode, high))
    assert dist.mean is not None  # normal: guaranteed by DistributionDoc
    assert dist.sd is not None
    return float(np.clip(rng.normal(dist.mean, dist.sd), low, high))


def run_generators(seed: int, run: int) -> tuple[np.random.Generator, int]:
    """Run ``run``'s generator for its draws, and the seed of its session."""
    draws = np.random.default_rng(np.random.SeedSequence([seed, run, 0]))
    session_seed = int(np.random.SeedSequence([seed, run, 1]).generate_state(1)[0])
    return draws, session_seed


def draw_run(
    scenario: Scenario, rng: np.random.Generator
) -> tuple[tuple[float, ...], dict[int, int]]:
    """The run's input values (in ``scenario.inputs`` order) and, for each per-session event
    that happens, the round it fires at (keyed by its position in ``uncertainty.events``)."""
    values = tuple(draw(item.distribution, rng) for item in scenario.inputs)
    rounds: dict[int, int] = {}
    events = scenario.doc.uncertainty.events if scenario.doc.uncertainty else ()
    for item, value in zip(scenario.inputs, values, strict=True):
        if item.target == "event" and item.per == "session" and value == 1.0:
            assert item.index is not None  # set for every event input
            fixed = events[item.index].event
            assert fixed is not None  # a per-session input is always an event of its own
            deadline = scenario.protocol.rounds
            rounds[item.index] = (
                fixed.round if fixed.round is not None else int(rng.integers(1, deadline + 1))
            )
    return values, rounds


def switchable(scenario: Scenario) -> list[str]:
    """Titles of the events a what-if may switch off: random timeline events and the events
    the uncertainty section declares."""
    titles = [e.title for e in scenario.timeline if e.probability is not None]
    if scenario.doc.uncertainty is not None:
        titles += [e.event.title for e in scenario.doc.uncertainty.events if e.event is not None]
    return list(dict.fromkeys(titles))


def hazards(scenario: Scenario) -> list[str]:
    """The switchable events that end the talks (kind ``cancel``): the default what-if."""
    events = [e for e in scenario.doc.timeline if e.probability is not None]
    if scenario.doc.uncertainty is not None:
        events += [e.event for e in scenario.doc.uncertainty.events if e.event is not None]
    return list(dict.fromkeys(e.title for e in events if e.kind == "cancel"))


def variants(
    scenario: Scenario,
    values: Sequence[float],
    session_rounds: dict[int, int],
    off: Iterable[str] = (),
) -> tuple[Scenario, Scenario | None]:
    """``scenario`` with the drawn ``values`` applied, and (if ``off`` names any events) the
    same with those events switched off.

    Both share the drawn profiles, so strategies rank their outcomes once for the pair. A
    random event switched off keeps its place with probability 0, so the session draws the
    same random numbers for every other event: a what-if run differs from its base run only
    where a switched-off event would have fired.
    """
    silent = frozenset(off)
    by_party: dict[str, list[tuple[Input, float]]] = {}
    for item, value in zip(scenario.inputs, values, strict=True):
        if item.party is not None:
            by_party.setdefault(item.party, []).append((item, value))
    parties = tuple(
        p if p.name not in by_party or p.preferences is None
        else replace(p, preferences=_preferences(p.preferences, by_party[p.name], scenario))
        for p in scenario.parties
    )

    def with_timeline(switched_off: frozenset[str]) -> Scenario:
        timeline = _timeline(scenario, values, session_rounds, switched_off)
        doc = scenario.doc.model_copy(update={"timeline": timeline})
        return Scenario(doc, scenario.source, scenario.space, parties, scenario.inputs)

    return with_timeline(frozenset()), with_timeline(silent) if silent else None


def _preferences(
    prefs: Preferences, drawn: Sequence[tuple[Input, float]], scenario: Scenario
) -> LinearAdditive:
    assert isinstance(prefs, LinearAdditive)  # checked when the scenario was built
    weights = list(prefs.weights)
    tables = [list(t) for t in prefs.values]
    reservation = prefs.reservation
    dropped: set[int] = set()
    touched = False
    for item, value in drawn:
        if item.target == "weight":
            assert item.column is not None
            weights[item.column], touched = value, True
        elif item.target == "value":
            assert item.column is not None
            assert item.option is not None
            tables[item.column][item.option] = value
        elif item.target == "reservation":
            reservation = value
        elif item.target == "red-line" and value == 0.0:
            assert item.index is not None
            dropped.add(item.index)
    uncertainty = scenario.doc.uncertainty
    total = sum(weights)
    if touched and uncertainty is not None and uncertainty.normalize_weights and total > 0:
        scale = sum(prefs.weights) / total  # keep the declared sum (usually 1)
        weights = [w * scale for w in weights]
    lines = tuple(line for k, line in enumerate(prefs.red_lines) if k not in dropped)
    return replace(prefs, weights=tuple(weights), values=tuple(tuple(t) for t in tables),
                   reservation=reservation, red_lines=lines)


def _timeline(
    scenario: Scenario, values: Sequence[float], session_rounds: dict[int, int], off: frozenset[str]
) -> tuple[EventDoc, ...]:
    events = list(scenario.doc.timeline)
    per_round: dict[int, float] = {}
    for item, value in zip(scenario.inputs, values, strict=True):
        if item.target == "event-probability":
            assert item.index is not None
            events[item.index] = events[item.index].model_copy(update={"probability": value})
        elif item.target == "event" and item.per == "round":
            assert item.index is not None
            per_round[item.index] = value
    declared = scenario.doc.uncertainty.events if scenario.doc.uncertainty else ()
    for k, decl in enumerate(declared):
        if decl.event is None:
            continue
        if k in per_round:
            events.append(decl.event.model_copy(update={"probability": per_round[k]}))
        elif k in session_rounds and decl.event.title not in off:
            events.append(decl.event.model_copy(update={"round": session_rounds[k]}))
    return silenced(events, off)
