"""The seeded domains both tools are measured on, written once as JSON and read by both workers.

A domain is ``n`` categorical issues of ``options`` values each and two linear-additive utility
functions drawn as NegMAS's ``LinearAdditiveUtilityFunction.random(reserved_value=0.0,
normalized=True)`` draws them: issue weights uniform in [0, 1) divided by their sum, and each
value uniform in [0, 1); reservation value 0. The tables are drawn here with NumPy from a seed
(not by NegMAS), so that Parley and NegMAS evaluate exactly the same numbers.

This module runs in Parley's environment only; ``negmas_worker.py`` reads the JSON itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

OPTIONS = 10
SEED = 2026


def make_domain(issues: int, *, options: int = OPTIONS, seed: int = SEED) -> dict[str, Any]:
    """Two random normalized linear-additive profiles on ``issues`` x ``options`` outcomes."""
    rng = np.random.default_rng([seed, issues, options])
    ufuns = []
    for _ in range(2):
        weights = rng.random(issues)
        weights /= weights.sum()
        values = rng.random((issues, options))
        ufuns.append({"weights": weights.tolist(), "values": values.tolist()})
    return {
        "name": f"random-{issues}x{options}-s{seed}",
        "seed": seed,
        "issues": issues,
        "options": options,
        "reservation": 0.0,
        "ufuns": ufuns,
    }


def write_domain(folder: Path, issues: int, *, options: int = OPTIONS, seed: int = SEED) -> Path:
    """Write the domain's JSON into ``folder`` (overwriting) and return its path."""
    domain = make_domain(issues, options=options, seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{domain['name']}.json"
    path.write_text(json.dumps(domain), encoding="utf-8")
    return path


def read_domain(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def scenario_document(domain: dict[str, Any], *, rounds: int = 100) -> dict[str, Any]:
    """The domain as a Parley scenario document (for ``parley.scenario.from_data``)."""
    n, k = domain["issues"], domain["options"]
    issues = [
        {
            "id": f"i{j}",
            "name": f"issue {j}",
            "options": [{"id": f"v{o}", "label": f"v{o}"} for o in range(k)],
        }
        for j in range(n)
    ]
    parties = []
    for name, ufun in zip(("A", "B"), domain["ufuns"], strict=True):
        table = {
            f"i{j}": {
                "weight": ufun["weights"][j],
                "values": {f"v{o}": ufun["values"][j][o] for o in range(k)},
            }
            for j in range(n)
        }
        prefs = {"issues": table, "reservation": domain["reservation"]}
        parties.append({"name": name, "role": "principal", "preferences": prefs})
    return {
        "name": domain["name"],
        "title": f"Benchmark domain {domain['name']}",
        "issues": issues,
        "parties": parties,
        "protocol": {"kind": "direct", "rounds": rounds},
    }
