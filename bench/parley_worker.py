"""One Parley measurement in a fresh process; prints ``RESULT {json}`` as its last line.

    python bench/parley_worker.py frontier  DOMAIN.json
    python bench/parley_worker.py analyze   DOMAIN.json [--enumerate]
    python bench/parley_worker.py linear    DOMAIN.json
    python bench/parley_worker.py negotiate DOMAIN.json --count N [--procs P] [--cold]
    python bench/parley_worker.py cli analyze|run

``analyze`` is ``parley.analysis.analyze`` as users call it: above ``core.LINEAR_FROM``
(2^20) outcomes, two linear-additive principals go to the exact linear fold. With
``--enumerate`` this process first raises ``core.LINEAR_FROM`` out of reach, so ``analyze``
enumerates the space as it does below the threshold. Either way the result reports the
``method`` that ran.

Times cover the workload only (imports and building the scenario come first and are not
counted); the parent measures the process's peak RSS and wall time. ``seconds`` is the first
call in a fresh process, as a command would make it; an ``analyze`` faster than
``WARM_BELOW`` is called once more and that call reported as ``warm_seconds``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from domains import read_domain, scenario_document
from pool import timed_negotiations

from parley.analysis import analyze, core, pareto_mask
from parley.analysis.core import DEFAULT_CHUNK, principal_preferences
from parley.analysis.linear_frontier import linear_frontier, special_points
from parley.analysis.points import quantize
from parley.engine import Settings

try:
    from parley.play import run
except ImportError:  # a tree from before the engine was reshaped (the before/after figures)
    from parley.engine.play import run  # type: ignore[no-redef]
from parley.scenario import Scenario, from_data

WARM_BELOW = 0.05  # analyze faster than this (seconds) is timed a second time, warm
_SCENARIO: Scenario | None = None
_SETTINGS: Settings | None = None


def scenario_of(path: Path) -> Scenario:
    return from_data(scenario_document(read_domain(path)), str(path))


def frontier(scenario: Scenario) -> dict[str, Any]:
    """The frontier alone, with Parley's public pieces: chunks, batch utilities, pareto_mask."""
    prefs = principal_preferences(scenario)
    front = np.empty((0, len(prefs)), dtype=np.float64)
    numbers = np.empty(0, dtype=np.int64)
    for start, rows in scenario.space.chunks(DEFAULT_CHUNK):
        u = quantize(np.column_stack([p.utilities(rows) for p in prefs]))
        keep = pareto_mask(u)
        u = np.concatenate([front, u[keep]])
        n = np.concatenate([numbers, start + np.flatnonzero(keep)])
        keep = pareto_mask(u)
        front, numbers = u[keep], n[keep]
    return {"frontier": sorted(map(tuple, front.tolist())), "frontier_size": int(numbers.size)}


def analysis(scenario: Scenario) -> dict[str, Any]:
    """``analyze`` as called (see the module doc for ``--enumerate``), and the method it used."""
    result = analyze(scenario)
    assert result.nash is not None
    assert result.kalai is not None
    assert result.utilitarian is not None
    assert result.egalitarian is not None
    return {
        "method": result.method,
        "frontier": sorted(p.utilities for p in result.pareto),
        "frontier_size": len(result.pareto),
        "feasible": result.feasible,
        "zopa_size": result.zopa_size,
        "nash": result.nash.utilities,
        "kalai": result.kalai.utilities,
        "utilitarian": result.utilitarian.utilities,
        "egalitarian": result.egalitarian.utilities,
    }


def enumerate_always() -> None:
    """Make ``analyze`` enumerate in this process: no space is above the dispatch threshold.

    Trees before the dispatch (commit 806d4d4) have no ``LINEAR_FROM``; the attribute is then
    set but unused, and ``analyze`` enumerates anyway.
    """
    core.LINEAR_FROM = 1 << 126


def linear(scenario: Scenario) -> dict[str, Any]:
    first, second = principal_preferences(scenario)
    found = linear_frontier(scenario.space, first, second)
    points = special_points(found, (first.reservation, second.reservation))
    nash, kalai = points["nash"], points["kalai"]
    assert nash is not None
    assert kalai is not None
    return {
        "frontier": sorted(map(tuple, found.utilities.tolist())) if len(found) <= 10_000 else [],
        "frontier_size": found.size,
        "frontier_vectors": len(found),
        "nash": tuple(found.utilities[nash].tolist()),
        "kalai": tuple(found.utilities[kalai].tolist()),
    }


def _setup(path: str, cold: bool) -> None:
    global _SCENARIO, _SETTINGS
    _SCENARIO = scenario_of(Path(path))
    names = [p.name for p in _SCENARIO.principals]
    _SETTINGS = Settings.from_scenario(
        _SCENARIO, protocol="direct", rounds=100, strategies=dict.fromkeys(names, "boulware")
    )
    _COLD[0] = cold


_COLD = [False]


def _one(seed: int) -> tuple[int, bool]:
    assert _SCENARIO is not None
    assert _SETTINGS is not None
    if _COLD[0]:
        # benchmark only: forget every party's ranking, as if each negotiation were the first
        try:
            from parley.strategies import index
        except ImportError:  # a tree from before the engine was reshaped
            from parley.engine.strategies import index  # type: ignore[no-redef]

        index._CACHE.clear()
    result = run(_SCENARIO, _SETTINGS, seed).result()
    return result.rounds, result.agreement is not None


def negotiate(path: str, count: int, procs: int, cold: bool) -> dict[str, Any]:
    return timed_negotiations(_setup, (path, cold), _one, count, procs)


def cli(command: str) -> dict[str, Any]:
    """The command's own work, in process: everything after ``import parley.cli.app``."""
    from parley.cli.app import main

    argv = {"analyze": ["analyze", "muscat-2026"], "run": ["run", "muscat-2026"]}[command]
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        main(argv)
    return {"seconds": time.perf_counter() - start}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=["frontier", "analyze", "linear", "negotiate", "cli"])
    parser.add_argument("target", help="a domain JSON file, or the CLI command")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument(
        "--enumerate", action="store_true", help="analyze: raise core.LINEAR_FROM out of reach"
    )
    args = parser.parse_args()
    if args.enumerate:
        enumerate_always()
    if args.task == "negotiate":
        result = negotiate(args.target, args.count, args.procs, args.cold)
    elif args.task == "cli":
        result = cli(args.target)
    else:
        scenario = scenario_of(Path(args.target))
        work = {"frontier": frontier, "analyze": analysis, "linear": linear}[args.task]
        start = time.perf_counter()
        result = work(scenario)
        result["seconds"] = time.perf_counter() - start
        if args.task == "analyze" and result["seconds"] < WARM_BELOW:
            # a second call in the same process: without one-time costs (lazy imports)
            start = time.perf_counter()
            work(scenario)
            result["warm_seconds"] = time.perf_counter() - start
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
