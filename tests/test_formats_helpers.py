"""Helpers shared by the ``test_formats_*`` modules (no tests of its own)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from parley.outcomes import Value
from parley.scenario import Scenario

DATA = Path(__file__).parent / "data" / "formats"
SHARED = Path(__file__).parents[1].parent / "shared" / "data"


def shared_or_skip() -> Path:
    """``../shared/data``, or skip: tests over real GENIUS/GeniusWeb files need it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the real GENIUS and GeniusWeb scenarios live there")
    return SHARED


def copy_folder(name: str, tmp_path: Path) -> Path:
    """A scratch copy of ``tests/data/formats/NAME`` to corrupt."""
    target = tmp_path / name
    shutil.copytree(DATA / name, target)
    return target


def utility(scenario: Scenario, party: str, **values: Value) -> float:
    """One party's utility of the outcome ``values``, checked equal on the scalar and batch
    paths."""
    prefs = scenario.preferences_of(party)
    outcome = scenario.space.from_values(values)
    scalar = prefs.utility(outcome)
    batch = prefs.utilities(np.asarray([outcome], dtype=np.int64))
    assert float(batch[0]) == scalar
    return scalar


def utility_matrix(scenario: Scenario, rows: NDArray[np.int64]) -> NDArray[np.float64]:
    """Principals' utilities of ``rows``, one column per principal."""
    return np.column_stack([p.preferences.utilities(rows) for p in scenario.principals
                            if p.preferences is not None])
