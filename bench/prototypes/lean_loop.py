"""How fast can Boulware vs Boulware go in plain Python? (Evidence; not used by benchmarks.)

The same decisions as Parley's ``boulware`` negotiators under the ``direct`` protocol (same
targets, same 64-package window, same closeness to the other's last proposal, same acceptance
rule), with no kernel, no messages and no views, each checked to reach the same agreement in
the same round as ``parley.engine.run``:

- ``negotiate``: one tight loop that computes each decision when it is needed (a few NumPy
  calls per turn), as the engine's strategies do;
- ``negotiate_scheduled``: each party first computes its whole schedule with one vectorized
  call per session (the target, the count of packages above it and the acceptance threshold
  for every round), and remembers the package it chose for each (count, other's last offer):
  a turn is then a few list and dict lookups.

    python bench/prototypes/lean_loop.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domains import make_domain, scenario_document

from parley.engine import Settings
from parley.play import run
from parley.preferences import LinearAdditive
from parley.scenario import Scenario, from_data
from parley.strategies.index import ranked

WINDOW = 64
EXPONENT = 0.2


def negotiate(scenario: Scenario, deadline: int) -> tuple[tuple[int, ...] | None, int]:
    """(agreement, round) of Boulware vs Boulware in alternating offers."""
    space = scenario.space
    parties = []
    for party in scenario.principals:
        prefs = party.preferences
        assert isinstance(prefs, LinearAdditive)
        ranking = ranked(space, prefs)
        ascending = -ranking.utilities
        top = float(ranking.utilities[0])
        floor = prefs.reservation
        tables = [list(map(float, t)) for t in prefs.weighted_tables]
        parties.append((ranking.rows, ascending, top, floor, tables, prefs))
    last: list[tuple[int, ...] | None] = [None, None]
    standing: tuple[int, ...] | None = None
    endorsed: set[int] = set()
    step = 1.0 / max(1, deadline - 1)
    for number in range(1, deadline + 1):
        time_now = 1.0 if deadline <= 1 else min(1.0, (number - 1) / (deadline - 1))
        for me in (0, 1):
            rows, ascending, top, floor, _tables, prefs = parties[me]
            if standing is not None:
                value = prefs.utility(standing)
                later = min(1.0, time_now + step)
                goal = floor + (top - floor) * (1.0 - later ** (1.0 / EXPONENT))
                if value >= floor and value >= goal - 1e-12:
                    endorsed.add(me)
                    if len(endorsed) == 2:
                        return standing, number
                    continue
            target = floor + (top - floor) * (1.0 - time_now ** (1.0 / EXPONENT))
            count = max(1, int(np.searchsorted(ascending, -max(target, floor), side="right")))
            low = max(0, count - WINDOW)
            anchor = last[1 - me]
            if anchor is None:
                offer = tuple(int(v) for v in rows[count - 1])
            else:
                closeness = (rows[low:count] == anchor).sum(axis=1)
                offer = tuple(int(v) for v in rows[low + int(closeness.argmax())])
            standing, endorsed, last[me] = offer, {me}, offer
    return None, deadline


def negotiate_scheduled(scenario: Scenario, deadline: int) -> tuple[tuple[int, ...] | None, int]:
    """``negotiate`` with every per-round quantity computed once per session."""
    space = scenario.space
    times = np.minimum(1.0, np.arange(deadline + 1) / max(1, deadline - 1))  # round r: [r - 1]
    later = np.minimum(1.0, times + 1.0 / max(1, deadline - 1))
    parties = []
    for party in scenario.principals:
        prefs = party.preferences
        assert isinstance(prefs, LinearAdditive)
        ranking = ranked(space, prefs)
        top, floor = float(ranking.utilities[0]), prefs.reservation
        targets = floor + (top - floor) * (1.0 - times ** (1.0 / EXPONENT))
        levels = -np.maximum(targets, floor)
        counts = np.maximum(1, np.searchsorted(-ranking.utilities, levels, side="right"))
        accept = floor + (top - floor) * (1.0 - later ** (1.0 / EXPONENT)) - 1e-12
        memo: dict[tuple[int, tuple[int, ...] | None], tuple[int, ...]] = {}
        parties.append((ranking.rows, counts.tolist(), accept.tolist(), floor, prefs, memo))
    last: list[tuple[int, ...] | None] = [None, None]
    standing: tuple[int, ...] | None = None
    endorsed: set[int] = set()
    for number in range(1, deadline + 1):
        for me in (0, 1):
            rows, counts, accept, floor, prefs, memo = parties[me]
            if standing is not None:
                value = prefs.utility(standing)
                if value >= floor and value >= accept[number - 1]:
                    endorsed.add(me)
                    if len(endorsed) == 2:
                        return standing, number
                    continue
            count, anchor = counts[number - 1], last[1 - me]
            offer = memo.get((count, anchor))
            if offer is None:
                low = max(0, count - WINDOW)
                if anchor is None:
                    offer = tuple(rows[count - 1].tolist())
                else:
                    closeness = (rows[low:count] == anchor).sum(axis=1)
                    offer = tuple(rows[low + int(closeness.argmax())].tolist())
                memo[(count, anchor)] = offer
            standing, endorsed, last[me] = offer, {me}, offer
    return None, deadline


def main() -> None:
    found: dict[str, dict[str, float]] = {}
    for issues, count in ((3, 3000), (5, 2000)):
        scenario = from_data(scenario_document(make_domain(issues)), f"domain-{issues}")
        settings = Settings.from_scenario(
            scenario, protocol="direct", rounds=100, strategies={"A": "boulware", "B": "boulware"}
        )
        result = run(scenario, settings, 0).result()
        expected = (result.agreement, result.rounds)
        rates = {}
        for loop in (negotiate, negotiate_scheduled):
            if loop(scenario, 100) != expected:
                raise SystemExit(f"{loop.__name__} differs from parley.engine.run")
            start = time.perf_counter()
            for _ in range(count):
                loop(scenario, 100)
            rates[loop.__name__] = count / (time.perf_counter() - start)
        found[str(issues)] = rates
        print(
            f"10^{issues}: plain loop {rates['negotiate']:,.0f} negotiations/s, scheduled "
            f"{rates['negotiate_scheduled']:,.0f}/s; both reach parley.engine.run's agreement "
            f"{expected[0]} in round {expected[1]}"
        )
    print("RESULT " + json.dumps(found))


if __name__ == "__main__":
    main()
