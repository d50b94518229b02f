"""The benchmark domains: seeded, NegMAS-shaped, and read by Parley exactly as written.

``bench/`` is not a package; its ``domains`` module is imported from the folder. No test here
measures time: speed belongs in ``bench/run_benchmarks.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from parley.analysis.core import principal_preferences
from parley.scenario import from_data

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def domains():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import domains as module
    finally:
        sys.path.remove(str(BENCH))
    return module


def test_same_seed_same_tables(domains) -> None:  # type: ignore[no-untyped-def]
    assert domains.make_domain(4) == domains.make_domain(4)
    assert domains.make_domain(4) != domains.make_domain(4, seed=domains.SEED + 1)


def test_tables_are_shaped_like_negmas_random_ufuns(domains) -> None:  # type: ignore[no-untyped-def]
    domain = domains.make_domain(5)
    assert domain["reservation"] == 0.0
    for ufun in domain["ufuns"]:
        assert np.isclose(sum(ufun["weights"]), 1.0)
        values = np.array(ufun["values"])
        assert values.shape == (5, domains.OPTIONS)
        assert ((values >= 0.0) & (values < 1.0)).all()


def test_parley_reads_the_json_tables_exactly(domains, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = domains.write_domain(tmp_path, 3)
    domain = json.loads(path.read_text(encoding="utf-8"))
    scenario = from_data(domains.scenario_document(domains.read_domain(path)), str(path))
    assert scenario.space.cardinality == 10**3
    rows = scenario.space.all_rows()
    for prefs, ufun in zip(principal_preferences(scenario), domain["ufuns"], strict=True):
        assert prefs.reservation == 0.0
        expected = np.zeros(rows.shape[0])
        for j, (weight, values) in enumerate(zip(ufun["weights"], ufun["values"], strict=True)):
            expected = expected + weight * np.array(values)[rows[:, j]]
        assert np.array_equal(prefs.utilities(rows), expected)
