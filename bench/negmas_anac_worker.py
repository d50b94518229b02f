"""NegMAS's re-implementations of the ANAC agents (``negmas-genius-agents``) on the domains
``anac_side_by_side.py`` wrote; prints ``RESULT {json}`` as its last line.

Runs with the agents' environment's python (``bench/.venv-negmas-agents``, made by
``negmas_env.py agents``) and imports nothing from Parley. Each domain JSON holds the issues
(option labels) and, per principal, its utility of every outcome (in ``itertools.product``
order of the options) and its reservation value, written by Parley, so both tools negotiate
over exactly the same numbers. Each agent gets a ``MappingUtilityFunction`` over those
utilities with the reservation as ``reserved_value``; discount factors are not passed (the
scores apply them afterwards, the same way for both tools).

    .venv-negmas-agents/bin/python bench/negmas_anac_worker.py --agents AgentK,HardHeaded \\
        --steps 100 --out RECORDS.json DOMAIN.json [...]

Every ordered pair of distinct agents plays every domain (the first agent in the first
principal's seat, offering first), ``SAOMechanism(n_steps=STEPS)``; the records (agreement as
option indices, relative time, steps, failure) go to ``--out``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
import traceback
import warnings
from pathlib import Path
from typing import Any


def build(path: Path) -> tuple[str, Any, list[Any], list[tuple[str, ...]], list[list[str]]]:
    from negmas import make_issue
    from negmas.outcomes import make_os
    from negmas.preferences import MappingUtilityFunction

    domain = json.loads(path.read_text(encoding="utf-8"))
    labels = [issue["values"] for issue in domain["issues"]]
    issues = [
        make_issue(values=v, name=i["name"]) for i, v in zip(domain["issues"], labels, strict=True)
    ]
    space = make_os(issues, name=domain["name"])
    outcomes = list(itertools.product(*labels))
    ufuns = [
        MappingUtilityFunction(
            mapping=dict(zip(outcomes, side["utilities"], strict=True)),
            outcome_space=space,
            reserved_value=side["reservation"],
        )
        for side in domain["sides"]
    ]
    return domain["name"], space, ufuns, outcomes, labels


def play(
    agents: dict[str, Any], paths: list[Path], steps: int, seed: int
) -> tuple[list[dict[str, Any]], float]:
    from negmas import SAOMechanism

    records = []
    total = 0.0
    for path in paths:
        name, space, ufuns, _outcomes, labels = build(path)
        for first, second in itertools.permutations(agents, 2):
            random.seed(seed)
            start = time.perf_counter()
            record: dict[str, Any] = {"domain": name, "agents": [first, second]}
            try:
                mechanism = SAOMechanism(outcome_space=space, n_steps=steps)
                for who, ufun in zip((first, second), ufuns, strict=True):
                    mechanism.add(agents[who](name=who), ufun=ufun)
                state = mechanism.run()
                agreement = state.agreement
                record.update(
                    agreement=None
                    if agreement is None
                    else [labels[j].index(v) for j, v in enumerate(agreement)],
                    time=float(state.relative_time),
                    steps=int(state.step),
                    failure=None,
                )
            except Exception as exc:  # one agent's fault spoils one negotiation, as in Parley
                last = traceback.format_exc().strip().splitlines()[-1]
                record.update(agreement=None, failure=f"{type(exc).__name__}: {last[:200]}")
            total += time.perf_counter() - start
            records.append(record)
    return records, total


def main() -> None:
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", required=True, help="negmas_genius_agents class names")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("domains", nargs="+", type=Path)
    args = parser.parse_args()
    import importlib.metadata

    import negmas_genius_agents

    agents = {name: getattr(negmas_genius_agents, name) for name in args.agents.split(",")}
    records, seconds = play(agents, args.domains, args.steps, args.seed)
    args.out.write_text(json.dumps(records), encoding="utf-8")
    versions = {p: importlib.metadata.version(p) for p in ("negmas", "negmas-genius-agents")}
    result = {"seconds": seconds, "count": len(records), "versions": versions}
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(main())
