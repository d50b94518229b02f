"""One NegMAS measurement in a fresh process; prints ``RESULT {json}`` as its last line.

Runs with the NegMAS environment's python (``bench/.venv-negmas``), never with Parley's, and
imports nothing from Parley: it reads the same domain JSON that Parley's worker reads.

    .venv-negmas/bin/python bench/negmas_worker.py pareto    DOMAIN.json
    .venv-negmas/bin/python bench/negmas_worker.py negotiate DOMAIN.json --count N [--procs P]

NegMAS is called as its 0.16.0 documentation describes: ``pareto_frontier(ufuns,
issues=...)``, then ``nash_points`` and ``kalai_points`` on that frontier; negotiations are
``SAOMechanism(n_steps=100)`` with two ``BoulwareTBNegotiator``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from pool import timed_negotiations

_STATE: dict[str, Any] = {}


def build(path: Path) -> tuple[list[Any], list[Any]]:
    from negmas import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction

    domain = json.loads(path.read_text(encoding="utf-8"))
    # Random domains give n issues of k options and one reservation; exported scenarios
    # (mediator_quality.py) give each issue's size and each profile's reservation.
    sizes = domain.get("sizes") or [domain["options"]] * domain["issues"]
    names = [[f"v{o}" for o in range(k)] for k in sizes]
    issues = [make_issue(values=names[j], name=f"i{j}") for j in range(len(sizes))]
    ufuns = [
        LinearAdditiveUtilityFunction(
            values=[dict(zip(names[j], u["values"][j], strict=True)) for j in range(len(sizes))],
            weights=list(u["weights"]),
            issues=issues,
            reserved_value=u.get("reservation", domain.get("reservation", 0.0)),
        )
        for u in domain["ufuns"]
    ]
    return issues, ufuns


def pareto(path: Path) -> dict[str, Any]:
    from negmas.preferences import kalai_points, nash_points, pareto_frontier

    issues, ufuns = build(path)
    start = time.perf_counter()
    frontier, _indices = pareto_frontier(ufuns, issues=issues)
    found = time.perf_counter()
    nash = nash_points(ufuns, frontier, issues=issues)
    kalai = kalai_points(ufuns, frontier, issues=issues)
    done = time.perf_counter()
    return {
        "frontier_seconds": found - start,
        "points_seconds": done - found,
        "seconds": done - start,
        "frontier": sorted(tuple(float(x) for x in u) for u in frontier),
        "frontier_size": len(frontier),
        "nash": [float(x) for x in nash[0][0]] if nash else None,
        "kalai": [float(x) for x in kalai[0][0]] if kalai else None,
    }


def _setup(path: str) -> None:
    issues, ufuns = build(Path(path))
    _STATE.update(issues=issues, ufuns=ufuns)


def _one(seed: int) -> tuple[int, bool]:
    from negmas import SAOMechanism
    from negmas.sao import BoulwareTBNegotiator

    random.seed(seed)
    mechanism = SAOMechanism(issues=_STATE["issues"], n_steps=100)
    for ufun in _STATE["ufuns"]:
        mechanism.add(BoulwareTBNegotiator(), ufun=ufun)
    state = mechanism.run()
    return int(state.step), state.agreement is not None


def negotiate(path: str, count: int, procs: int) -> dict[str, Any]:
    import negmas.sao  # noqa: F401  (imported before the pool forks, as Parley's worker does)

    return timed_negotiations(_setup, (path,), _one, count, procs)


def main() -> None:
    warnings.simplefilter("ignore")  # NegMAS warns that large spaces are slow; we know
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=["pareto", "negotiate"])
    parser.add_argument("domain")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--procs", type=int, default=1)
    args = parser.parse_args()
    if args.task == "pareto":
        result = pareto(Path(args.domain))
    else:
        result = negotiate(args.domain, args.count, args.procs)
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(main())
