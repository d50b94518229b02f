"""Spaces too large to enumerate are scanned through outcome classes: same answers, exactly."""

from __future__ import annotations

import pytest

from parley.analysis import analyze, core
from parley.scenario import from_data
from tests.scenario_factory import random_scenario


def with_duplicate_options(seed: int) -> dict[str, object]:
    """A scenario where some options are worth the same to everyone (so classes merge them)."""
    issues = [
        {
            "id": f"i{j}",
            "name": f"i{j}",
            "options": [{"id": f"i{j}o{k}", "label": str(k)} for k in range(4)],
        }
        for j in range(3)
    ]
    parties = []
    for p, shift in (("A", 0), ("B", 1)):
        values = {
            f"i{j}": {
                "weight": 1 / 3,
                "values": {f"i{j}o{k}": float(((k + shift + seed) // 2) % 3) / 2 for k in range(4)},
            }
            for j in range(3)
        }
        parties.append(
            {"name": p, "role": "principal", "preferences": {"issues": values, "reservation": 0.2}}
        )
    return {"name": "dup", "title": "dup", "issues": issues, "parties": parties}


@pytest.mark.parametrize("seed", range(12))
def test_classes_equal_enumeration(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = (
        random_scenario(seed, events=False) if seed % 2 else from_data(with_duplicate_options(seed))
    )
    enumerated = analyze(scenario)
    monkeypatch.setattr(core, "ENUMERATION_LIMIT", 0)
    classed = analyze(scenario, chunk=7)
    assert enumerated.method == "enumeration"
    assert classed.method == "outcome classes"
    assert (classed.feasible, classed.zopa_size) == (enumerated.feasible, enumerated.zopa_size)
    for name in ("nash", "kalai", "utilitarian", "egalitarian"):
        a, b = getattr(enumerated, name), getattr(classed, name)
        assert (a is None) == (b is None)
        if a is not None:
            assert a.utilities == b.utilities
            assert a.outcome == b.outcome  # representatives keep the lowest outcome number
    assert {p.utilities for p in classed.pareto} == {p.utilities for p in enumerated.pareto}
    assert {p.outcome for p in classed.pareto} <= {p.outcome for p in enumerated.pareto}
