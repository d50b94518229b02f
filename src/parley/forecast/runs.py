"""One forecast run, and batches of runs as jobs for ``parley.parallel``.

A run draws its inputs, builds its variant of the scenario, plays it with the scenario's
protocol and strategies (``parley.play.run``) and keeps a ``RunRecord``: plain data, so
that it travels back from a worker process or a Ray actor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from parley.engine import Settings
from parley.forecast.draws import draw_run, run_generators, variants
from parley.play import run
from parley.scenario import Scenario, from_data


@dataclass(frozen=True)
class RunRecord:
    """How one run went, with the inputs it drew."""

    run: int
    seed: int
    """The session's seed: ``parley run`` on the drawn scenario with it replays the talks."""
    inputs: tuple[float, ...]
    cause: str
    """``agreement``, ``deadline``, ``walk-away: PARTY`` or ``cancelled: EVENT TITLE``."""
    agreement: tuple[int, ...] | None
    utilities: tuple[float, ...]
    """Per principal: the agreed package's utility, or its reservation value at the end."""
    rounds: int

    @property
    def agreed(self) -> bool:
        return self.agreement is not None


@dataclass(frozen=True)
class Pair:
    """A run, and the same run with the what-if's events switched off (if there is a what-if)."""

    base: RunRecord
    what_if: RunRecord | None


@dataclass(frozen=True)
class Context:
    """What every worker gets once: the scenario (as data), the seed and the what-if."""

    scenario: dict[str, Any]
    source: str
    seed: int
    off: tuple[str, ...]
    key: str


def context_for(scenario: Scenario, seed: int, off: Sequence[str]) -> Context:
    data = scenario.doc.model_dump(mode="json", exclude_none=True)
    key = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return Context(data, scenario.source, seed, tuple(off), key)


_BUILT: dict[str, Scenario] = {}
"""Scenarios a worker has built, by ``Context.key``: built once, not once per batch."""


def play_batch(context: Context, runs: tuple[int, int]) -> tuple[Pair, ...]:
    """Runs ``runs[0]`` to ``runs[1] - 1`` (a module-level function, as ``run_jobs`` needs)."""
    scenario = _BUILT.get(context.key)
    if scenario is None:
        scenario = _BUILT[context.key] = from_data(context.scenario, context.source)
    return tuple(play_one(scenario, context.seed, k, context.off) for k in range(*runs))


def play_one(scenario: Scenario, seed: int, number: int, off: Iterable[str] = ()) -> Pair:
    """Run ``number`` of a forecast with ``seed``: the same records wherever it is played."""
    rng, session_seed = run_generators(seed, number)
    values, rounds = draw_run(scenario, rng)
    base, other = variants(scenario, values, rounds, off)
    return Pair(
        _record(base, session_seed, number, values),
        None if other is None else _record(other, session_seed, number, values),
    )


def _record(drawn: Scenario, seed: int, number: int, values: tuple[float, ...]) -> RunRecord:
    session = run(drawn, Settings.from_scenario(drawn), seed)
    result = session.result()
    if result.utilities is not None:
        utilities = result.utilities
    else:
        utilities = tuple(session.reservation(p) for p in result.parties)
    return RunRecord(
        run=number,
        seed=seed,
        inputs=values,
        cause=_cause(result.ended, result.reason, result.ended_by),
        agreement=result.agreement,
        utilities=tuple(float(u) for u in utilities),
        rounds=result.rounds,
    )


def _cause(ended: str, reason: str, by: str | None) -> str:
    if ended == "walk-away":
        return f"walk-away: {by}"
    if ended == "cancelled":
        return f"cancelled: {reason}"  # the event's title
    return ended
