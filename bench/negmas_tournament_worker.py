"""NegMAS's ``cartesian_tournament`` on the tournament-scale grid; prints ``RESULT {json}`` last.

Runs with the NegMAS environment's python (``bench/.venv-negmas``) and imports nothing from
Parley; it reads the domain JSON files that ``tournament_scale.py`` wrote:

    .venv-negmas/bin/python bench/negmas_tournament_worker.py --njobs -1 DOMAIN.json [...]

The grid is PEERS.md's: BoulwareTB, LinearTB, ConcederTB and NaiveTitForTat negotiators, every
ordered pair (self-play included), each domain with its two utility functions in both seats
(``rotate_ufuns``), SAO with ``n_steps=100``: 4 x 4 x 2 per domain, 256 on 8 domains.
``--njobs -1`` is serial, ``--njobs 2`` two processes (NegMAS's own meaning).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from negmas_worker import build


def scenarios(paths: list[Path]) -> list[Any]:
    from negmas.inout import Scenario
    from negmas.outcomes import make_os

    out = []
    for path in paths:
        issues, ufuns = build(path)
        space = make_os(issues, name=path.stem)
        for ufun in ufuns:
            ufun.outcome_space = space
        out.append(Scenario(outcome_space=space, ufuns=tuple(ufuns), name=path.stem))
    return out


def tournament(paths: list[Path], njobs: int) -> dict[str, Any]:
    from negmas.sao import (
        BoulwareTBNegotiator,
        ConcederTBNegotiator,
        LinearTBNegotiator,
        NaiveTitForTatNegotiator,
    )
    from negmas.tournaments.neg import cartesian_tournament

    competitors = [
        BoulwareTBNegotiator,
        LinearTBNegotiator,
        ConcederTBNegotiator,
        NaiveTitForTatNegotiator,
    ]
    grid = scenarios(paths)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        results = cartesian_tournament(
            competitors=competitors,
            scenarios=grid,
            n_steps=100,
            rotate_ufuns=True,
            self_play=True,
            njobs=njobs,
            path=Path(folder) / "t",
            verbosity=0,
            plot_fraction=0.0,
            save_scenario_figs=False,
        )
        seconds = time.perf_counter() - start
    details = results.details
    count = len(details)
    agreed = int(details["agreement"].notna().sum()) if "agreement" in details else None
    return {"seconds": seconds, "count": count, "rate": count / seconds, "agreed": agreed}


def main() -> None:
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--njobs", type=int, default=-1)
    parser.add_argument("domains", nargs="+", type=Path)
    args = parser.parse_args()
    print("RESULT " + json.dumps(tournament(args.domains, args.njobs)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
