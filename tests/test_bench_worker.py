"""The benchmark worker's two ``analyze`` rows run what their labels say.

``bench/parley_worker.py analyze`` is ``analyze`` as shipped; with ``--enumerate`` it first
raises ``core.LINEAR_FROM`` so that ``analyze`` enumerates. Both must report their method and
agree. No test here measures time: speed belongs in ``bench/run_benchmarks.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

from parley.analysis import core
from parley.scenario import from_data

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def bench() -> tuple[ModuleType, ModuleType]:
    sys.path.insert(0, str(BENCH))
    try:
        import domains
        import parley_worker
    finally:
        sys.path.remove(str(BENCH))
    return domains, parley_worker


def test_enumerate_flag_forces_enumeration_with_the_same_answer(
    bench: tuple[ModuleType, ModuleType], monkeypatch: pytest.MonkeyPatch
) -> None:
    domains, worker = bench
    # 128^3 = 2,097,152 outcomes: above LINEAR_FROM (2^20), small enough to enumerate quickly
    domain = domains.make_domain(3, options=128)
    scenario = from_data(domains.scenario_document(domain), "bench-worker")
    assert scenario.space.cardinality > core.LINEAR_FROM
    shipped = worker.analysis(scenario)
    assert shipped["method"] == "linear frontier"
    monkeypatch.setattr(core, "LINEAR_FROM", core.LINEAR_FROM)  # restored after the test
    worker.enumerate_always()
    enumerated = worker.analysis(scenario)
    assert enumerated["method"] == "enumeration"
    assert {k: v for k, v in shipped.items() if k != "method"} == {
        k: v for k, v in enumerated.items() if k != "method"
    }
