"""Evidence for a suggested change to the time-based negotiators (not used by the benchmarks).

``TimeBased`` recomputes, on every turn, its target (a power), the count of packages above it
(a ``searchsorted``) and, to answer an offer, the next round's target; ``offer_at`` compares
its 64-package window with the other's last offer even when neither the count nor that offer
has changed since its last turn. This prototype patches, in this process only:

- ``TimeBased.propose`` and ``TimeBased.accepts`` to read a schedule computed once per
  (deadline, reservation) with one vectorized call: for every round, the count of packages at
  or above the target and the acceptance threshold;
- the window comparison to be remembered per (count, anchors) for the session's strategy.

It checks that every transcript is unchanged, then times Boulware vs Boulware before and after
on the current kernel. What it does not remove is the kernel's own per-turn cost.

    python bench/prototypes/engine_schedule.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domains import make_domain, scenario_document

from parley.engine import Settings
from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.play import run
from parley.scenario import from_data
from parley.strategies import negotiators


def schedule(self: Any, view: View) -> tuple[list[int], list[float]]:
    """Per round number: packages at or above the target, and the acceptance threshold."""
    key = (view.deadline, view.reservation)
    cached = self.__dict__.get("_schedule")
    if cached is not None and cached[0] == key:
        return cached[1]  # type: ignore[no-any-return]
    ranking = self.ranking(view)
    top, floor = self.best_utility(view), view.reservation
    deadline = view.deadline
    rounds = np.arange(deadline + 2, dtype=np.float64)
    if deadline <= 1:
        now = np.ones_like(rounds)
    else:
        now = np.minimum(1.0, np.maximum(0.0, (rounds - 1) / (deadline - 1)))
    later = np.minimum(1.0, now + 1.0 / max(1, deadline - 1))
    power = 1.0 / self.exponent
    targets = floor + (top - floor) * (1.0 - now**power)
    counts = np.maximum(1, ranking._ascending.searchsorted(-np.maximum(targets, floor), "right"))
    accept = floor + (top - floor) * (1.0 - later**power) - 1e-12
    result = (counts.tolist(), accept.tolist())
    self.__dict__["_schedule"] = (key, result)
    return result


def propose(self: Any, view: View, ask: Ask) -> Outcome:
    counts, _accept = schedule(self, view)
    count = counts[view.round]
    anchors = tuple(o for o in map(view.latest_proposal, view.others()) if o is not None)
    carried = view.latest_carried()
    if carried is not None:
        anchors += (carried,)
    memo = self.__dict__.setdefault("_offers", {})
    offer: Outcome | None = memo.get((count, anchors))
    if offer is None:
        ranking = self.ranking(view)
        if not anchors:
            offer = ranking.outcome(count - 1)
        else:
            low = max(0, count - negotiators.WINDOW)
            window = ranking.rows[low:count]
            closeness = (window[:, None, :] == np.asarray(anchors)[None, :, :]).sum(axis=(1, 2))
            offer = ranking.outcome(low + int(closeness.argmax()))
        memo[(count, anchors)] = offer
    return offer


def accepts(self: Any, view: View, offer: Outcome) -> bool:
    _counts, accept = schedule(self, view)
    assert view.preferences is not None
    return bool(view.preferences.utility(offer) >= accept[view.round])


PATCHES = {"propose": propose, "accepts": accepts}


def play(issues: int, count: int) -> tuple[float, list[Any]]:
    scenario = from_data(scenario_document(make_domain(issues)), f"domain-{issues}")
    settings = Settings.from_scenario(
        scenario, protocol="direct", rounds=100, strategies={"A": "boulware", "B": "boulware"}
    )
    run(scenario, settings, 0)  # build the rankings outside the timing, for both variants
    start = time.perf_counter()
    transcripts = [run(scenario, settings, seed).transcript for seed in range(count)]
    return count / (time.perf_counter() - start), transcripts


def main() -> None:
    rates: dict[str, list[float]] = {}
    for issues, count in ((3, 1000), (5, 300)):
        before, expected = play(issues, count)
        saved = {name: negotiators.TimeBased.__dict__[name] for name in PATCHES}
        for name, function in PATCHES.items():
            setattr(negotiators.TimeBased, name, function)
        try:
            after, found = play(issues, count)
        finally:
            for name, function in saved.items():
                setattr(negotiators.TimeBased, name, function)
        if found != expected:
            raise SystemExit("the schedule changed the negotiations")
        print(
            f"10^{issues}: {before:,.0f} -> {after:,.0f} negotiations/s with a per-session "
            f"schedule ({after / before:.2f}x), identical transcripts"
        )
        rates[str(issues)] = [before, after]
    print("RESULT " + json.dumps(rates))


if __name__ == "__main__":
    main()
