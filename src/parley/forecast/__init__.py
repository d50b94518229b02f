"""Forecasts: Monte Carlo over the uncertainty a scenario declares (``parley forecast``).

Each run draws the scenario's uncertain inputs from its own seeded generator, plays the
scenario's protocol with its strategies, and records how the talks ended. The runs go through
``parley.parallel.run_jobs`` in batches, so a forecast uses every core (or a Ray cluster) and
gives the same result for any number of workers. A what-if replays the same runs with some
events switched off (by default every event that can end the talks). docs/forecast.md
explains the method and its limits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from parley.engine import Settings
from parley.errors import ParallelError, UsageError, did_you_mean
from parley.forecast.draws import hazards, switchable
from parley.forecast.report import Effect, Forecast, Summary, WhatIf, sensitivity, what_if, wilson
from parley.forecast.runs import Pair, RunRecord, context_for, play_batch, play_one
from parley.parallel import Done, run_jobs
from parley.scenario import Scenario

__all__ = [
    "Effect",
    "Forecast",
    "Pair",
    "RunRecord",
    "Summary",
    "WhatIf",
    "check",
    "forecast",
    "play_one",
    "wilson",
]

BATCH = 20
"""Runs per job: large enough that sending a job costs little, small enough for a smooth bar."""

Progress = Callable[[int, int], None]
Runner = Callable[..., Iterator[Done[Any]]]


def forecast(
    scenario: Scenario,
    runs: int,
    *,
    seed: int = 0,
    workers: int | None = None,
    ray: str | None = None,
    without: Sequence[str] | None = None,
    progress: Progress | None = None,
    runner: Runner = run_jobs,
) -> Forecast:
    """``runs`` runs of ``scenario`` and, unless ``without`` is empty, the same runs with the
    events titled in ``without`` (default: every switchable event that ends the talks) off.

    ``runner`` is ``parley.parallel.run_jobs`` or a function with its signature.
    """
    off = check(scenario, runs, without)
    if seed < 0:
        raise UsageError(f"--seed: got {seed}; expected a whole number of at least 0")
    jobs = [(k, min(k + BATCH, runs)) for k in range(0, runs, BATCH)]
    pairs: list[Pair] = []
    failures: list[tuple[int, str]] = []
    finished = 0
    for done in runner(play_batch, jobs, context_for(scenario, seed, off), workers=workers,
                       ray=ray):
        if done.value is not None:
            pairs.extend(done.value)
        else:
            failures.append((jobs[done.index][0], f"{done.failure}"))
        finished += jobs[done.index][1] - jobs[done.index][0]
        if progress is not None:
            progress(finished, runs)
    if failures and not pairs:
        raise ParallelError(
            f"every batch of runs failed; the first (from run {failures[0][0]}): {failures[0][1]}"
        )
    pairs.sort(key=lambda pair: pair.base.run)  # completion order varies; run order does not
    base = [pair.base for pair in pairs]
    other = [pair.what_if for pair in pairs if pair.what_if is not None]
    principals = Settings.from_scenario(scenario).order
    return Forecast(
        scenario=scenario.name,
        title=scenario.title,
        source=scenario.source,
        seed=seed,
        principals=principals,
        space=scenario.space,
        inputs=scenario.inputs,
        records=tuple(base),
        failures=tuple(sorted(failures)),
        summary=Summary.of(base, scenario.space),
        effects=sensitivity(scenario.inputs, base),
        what_if=what_if(off, base, other, scenario.space) if off else None,
        reservations=tuple(scenario.preferences_of(p).reservation for p in principals),
    )


def check(scenario: Scenario, runs: int, without: Sequence[str] | None = None) -> list[str]:
    """The titles a what-if switches off; a ``ParleyError`` if the forecast cannot run."""
    if runs < 1:
        raise UsageError(f"--runs: must be at least 1, got {runs}")
    if not scenario.inputs and not switchable(scenario):
        raise UsageError(
            f"{scenario.source}: nothing is uncertain: the scenario has no [uncertainty] section "
            "and no random timeline event; see docs/forecast.md"
        )
    if without is None:
        return hazards(scenario)
    known = switchable(scenario)
    for title in without:
        if title not in known:
            raise UsageError(
                f"--without: no random or uncertain event titled {title!r} in {scenario.source}"
                f"{did_you_mean(title, known)}; "
                f"expected one of: {'; '.join(known) or '(none)'}"
            )
    return list(dict.fromkeys(without))
