"""Spaces too large to enumerate are scanned through outcome classes: same answers, exactly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from parley.analysis import analyze, core
from parley.scenario import Scenario, dumps, from_data
from tests.cli_helpers import parley
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


@pytest.mark.parametrize("constraints", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_classes_equal_enumeration(
    seed: int, constraints: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = (
        random_scenario(seed, events=False, constraints=constraints)
        if seed % 2 or constraints
        else from_data(with_duplicate_options(seed))
    )
    enumerated = analyze(scenario)
    monkeypatch.setattr(core, "ENUMERATION_LIMIT", 0)
    classed = analyze(scenario, chunk=7)
    assert enumerated.method == "enumeration"
    assert classed.method == "outcome classes"
    assert (classed.feasible, classed.zopa_size) == (enumerated.feasible, enumerated.zopa_size)
    assert classed.possible == enumerated.possible
    for name in ("nash", "kalai", "utilitarian", "egalitarian"):
        a, b = getattr(enumerated, name), getattr(classed, name)
        assert (a is None) == (b is None)
        if a is not None:
            assert a.utilities == b.utilities
            assert a.outcome == b.outcome  # representatives keep the lowest outcome number
    assert {p.utilities for p in classed.pareto} == {p.utilities for p in enumerated.pareto}
    assert {p.outcome for p in classed.pareto} <= {p.outcome for p in enumerated.pareto}


def with_reservations(seed: int, reservation: float, constraints: bool = False) -> Scenario:
    """A random two-principal scenario whose principals both have BATNA ``reservation``."""
    drawn = random_scenario(seed, principals=2, events=False, constraints=constraints)
    data = drawn.doc.model_dump(mode="json")
    for party in data["parties"]:
        if party["role"] == "principal":
            party["preferences"]["reservation"] = reservation
    return from_data(data)


@pytest.mark.parametrize("constraints", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_linear_fold_dispatch_equals_enumeration(
    seed: int, constraints: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = with_reservations(seed, 0.0, constraints)  # every feasible package is in the ZOPA
    enumerated = analyze(scenario)
    monkeypatch.setattr(core, "LINEAR_FROM", 0)
    dispatched = analyze(scenario)
    assert dispatched.method == "linear frontier"
    assert (dispatched.possible, dispatched.feasible, dispatched.zopa_size) == (
        enumerated.possible,
        enumerated.feasible,
        enumerated.zopa_size,
    )
    for name in ("nash", "kalai", "utilitarian", "egalitarian"):
        assert getattr(dispatched, name) == getattr(enumerated, name)
    assert {p.utilities for p in dispatched.pareto} == {p.utilities for p in enumerated.pareto}


def test_the_fold_declines_when_reservations_cut_the_space(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = with_reservations(0, 0.6)
    enumerated = analyze(scenario)
    assert 0 < enumerated.zopa_size < enumerated.feasible  # the reservations do cut the space
    monkeypatch.setattr(core, "LINEAR_FROM", 0)
    assert analyze(scenario) == enumerated  # fell back to enumeration: the same Analysis


def test_a_trillion_outcome_linear_space_is_analysed_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(12)
    issues = [
        {
            "id": f"i{j}",
            "name": f"issue {j}",
            "options": [{"id": f"i{j}v{k}", "label": str(k)} for k in range(10)],
        }
        for j in range(12)
    ]
    parties = []
    for name in ("A", "B"):
        weights = rng.dirichlet(np.ones(12))
        prefs = {
            f"i{j}": {
                "weight": float(weights[j]),
                "values": {f"i{j}v{k}": float(v) for k, v in enumerate(rng.random(10))},
            }
            for j in range(12)
        }
        parties.append({"name": name, "role": "principal", "preferences": {"issues": prefs}})
    path = tmp_path / "big.toml"
    path.write_text(
        dumps(from_data({"name": "big", "title": "Big", "issues": issues, "parties": parties}).doc),
        encoding="utf-8",
    )
    code, out, err = parley(capsys, "analyze", str(path), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["outcomes"] == 10**12
    assert result["zopa_size"] == 10**12
    assert result["method"] != "enumeration"
    nash = result["nash"]["utilities"]
    assert all(0.0 < u <= 1.0 for u in nash)
    for point in result["pareto"]:  # nothing on the frontier beats the Nash product
        assert point["utilities"][0] * point["utilities"][1] <= nash[0] * nash[1] + 1e-12
