"""NegMAS's agreements on the mediator-quality domains; prints ``RESULT {json}`` as its last line.

Runs with the NegMAS environment's python (``bench/.venv-negmas``), imports nothing from Parley,
and reads the domain JSON files that ``mediator_quality.py`` wrote:

    .venv-negmas/bin/python bench/negmas_quality_worker.py --steps 100 DOMAIN.json [DOMAIN.json ...]

For each domain (seed = its position in the list) it runs ``VetoSTMechanism`` and
``HillClimbingSTMechanism`` with two ``BinaryComparatorNegotiator`` and ``SAOMechanism`` with two
``BoulwareTBNegotiator``, and reports each agreement as option indices (None when none) and the
steps taken. Utilities and metrics are computed by the caller from the same tables.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from negmas_worker import build


def _indices(agreement: Any) -> list[int] | None:
    if agreement is None:
        return None
    # HillClimbingSTMechanism 0.16.0 can wrap the outcome in a 1-tuple when it runs out of
    # neighbours; unwrap it so the agreement is counted as the outcome it names
    if len(agreement) == 1 and isinstance(agreement[0], tuple):
        agreement = agreement[0]
    return [int(str(v).removeprefix("v")) for v in agreement]  # options are named v0, v1, ...


def one(path: Path, seed: int, steps: int, only: str | None = None) -> dict[str, Any]:
    from negmas import BinaryComparatorNegotiator, SAOMechanism
    from negmas.sao import BoulwareTBNegotiator
    from negmas.st import HillClimbingSTMechanism, VetoSTMechanism

    out: dict[str, Any] = {}
    makers: dict[str, Any] = {
        "VetoST": (VetoSTMechanism, BinaryComparatorNegotiator),
        "HillClimbingST": (HillClimbingSTMechanism, BinaryComparatorNegotiator),
        "SAO Boulware": (SAOMechanism, BoulwareTBNegotiator),
    }
    if only is not None:
        makers = {only: makers[only]}
    for label, (mech_cls, neg_cls) in makers.items():
        random.seed(seed)  # NegMAS draws from both ``random`` and NumPy's global generator
        np.random.seed(seed)
        issues, ufuns = build(path)
        mechanism = mech_cls(issues=issues, n_steps=steps)
        for ufun in ufuns:
            mechanism.add(neg_cls(), ufun=ufun)
        state = mechanism.run()
        out[label] = {"agreement": _indices(state.agreement), "rounds": int(state.step)}
    return out


def main() -> None:
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--only", default=None, help="one mechanism: VetoST, HillClimbingST, ...")
    parser.add_argument("domains", nargs="+")
    args = parser.parse_args()
    results = [one(Path(p), seed, args.steps, args.only) for seed, p in enumerate(args.domains)]
    print("RESULT " + json.dumps(results), flush=True)


if __name__ == "__main__":
    sys.exit(main())
