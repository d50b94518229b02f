"""Proof on the real GENIUS and GeniusWeb scenarios in ``../shared/data`` (skipped when absent).

- every folder imports and every principal's utility is finite on every outcome;
- export then import in the same format gives identical utilities on every outcome;
- GENIUS ``pareto.xml`` files (CSV text) match the frontier Parley computes;
- the ANL 2023 ``specials.json`` (Nash, Kalai, maximum welfare, frontier size) match
  ``parley.analysis`` to 1e-9.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from parley.formats import export, load_folder
from parley.nonlinear import HyperRectangles, outcome_classes
from parley.scenario import Scenario
from tests.test_formats_helpers import SHARED, shared_or_skip, utility_matrix

pytestmark = pytest.mark.shared_data

ENUMERATE = 5_000_000
"""Spaces up to this size are checked outcome by outcome; larger ones (nonlinear) through
their outcome classes, which stand for every outcome exactly."""


def _folders(kind: str, pattern: str = "*", holding: str = "") -> list[object]:
    """Folders of ``../shared/data/KIND`` (holding a file named ``holding``, if given)."""
    base = SHARED / kind
    if not base.is_dir():
        reason = f"{base} is absent: the real {kind} scenarios live there"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="absent")]
    return [pytest.param(p, id=p.name) for p in sorted(base.glob(pattern))
            if p.is_dir() and (not holding or (p / holding).exists())]


ALL = _folders("genius") + _folders("geniusweb")


@cache
def _load(folder: Path) -> Scenario:
    return load_folder(folder)


def _chunks(scenario: Scenario) -> Iterator[NDArray[np.int64]]:
    """Every outcome, or one representative per outcome class for huge spaces, a chunk at a
    time (all 38.7 million representatives of nonlinear_S-1NIKFRT-1 at once take 3 GB)."""
    space = scenario.space
    if space.cardinality <= ENUMERATE:
        yield from (rows for _start, rows in space.chunks(1 << 18))
        return
    models = [p.preferences for p in scenario.principals if p.preferences is not None]
    classes = outcome_classes(models, space.sizes)
    assert classes.cardinality <= 50_000_000, classes.cardinality
    yield from (rows for _start, rows in classes.chunks(1 << 20))


def test_the_collection_is_complete() -> None:
    base = shared_or_skip()
    for kind, count in (("genius", 36), ("geniusweb", 30)):
        index = (base / kind / "INDEX.md").read_text(encoding="utf-8")
        listed = [n for n in re.findall(r"^\| (\S+) \|", index, flags=re.MULTILINE)
                  if n != "folder"]  # the header row
        folders = sorted(p.name for p in (base / kind).iterdir() if p.is_dir())
        assert len(folders) == count
        assert sorted(listed) == folders


@pytest.mark.parametrize("folder", ALL)
def test_imports_with_finite_utilities(folder: Path) -> None:
    scenario = _load(folder)
    assert len(scenario.principals) >= 2
    assert [p.name for p in scenario.mediators] == ["Mediator"]
    if scenario.space.cardinality > ENUMERATE:
        pytest.skip("checked with the frontier pass in test_pareto_files_match")
    for rows in _chunks(scenario):
        assert np.isfinite(utility_matrix(scenario, rows)).all()


@pytest.mark.parametrize("folder", ALL)
def test_export_then_import_is_identical(folder: Path, tmp_path: Path) -> None:
    scenario = _load(folder)
    fmt = "genius" if folder.parent.name == "genius" else "geniusweb"
    export(scenario, fmt, tmp_path)
    again = load_folder(tmp_path)
    assert [p.name for p in again.principals] == [p.name for p in scenario.principals]
    for mine, theirs in zip(scenario.principals, again.principals, strict=True):
        assert mine.preferences is not None
        assert theirs.preferences is not None
        assert theirs.preferences.reservation == mine.preferences.reservation
        assert theirs.preferences.discount == mine.preferences.discount
        if isinstance(mine.preferences, HyperRectangles):
            # the same rectangles make the same function on all 10**10 outcomes
            assert theirs.preferences == mine.preferences
    if scenario.space.cardinality > ENUMERATE:
        rng = np.random.default_rng(0)
        rows = np.column_stack([rng.integers(0, n, 1 << 18) for n in scenario.space.sizes])
        assert np.array_equal(utility_matrix(scenario, rows), utility_matrix(again, rows))
        return
    for rows in _chunks(scenario):
        assert np.array_equal(utility_matrix(scenario, rows), utility_matrix(again, rows))


def _frontier(scenario: Scenario) -> NDArray[np.float64]:
    """Distinct non-dominated utility pairs of a bilateral scenario, chunk by chunk."""
    front = np.empty((0, 2))
    for rows in _chunks(scenario):
        u = utility_matrix(scenario, rows)
        assert np.isfinite(u).all()
        # per distinct first utility, only the best second one can be on the frontier
        firsts, inverse = np.unique(u[:, 0], return_inverse=True)
        seconds = np.full(firsts.size, -np.inf)
        np.maximum.at(seconds, inverse, u[:, 1])
        candidates = np.vstack([front, np.column_stack([firsts, seconds])])
        order = np.lexsort((-candidates[:, 1], -candidates[:, 0]))
        candidates = candidates[order]
        best_so_far = np.maximum.accumulate(np.concatenate([[-np.inf], candidates[:-1, 1]]))
        front = candidates[candidates[:, 1] > best_so_far]
    return front[np.argsort(front[:, 0])]


@pytest.mark.parametrize("folder", _folders("genius", holding="pareto.xml"))
def test_pareto_files_match(folder: Path) -> None:
    pareto = folder / "pareto.xml"
    expected = np.array([[float(x) for x in line.split(",")]
                         for line in pareto.read_text().splitlines() if line.strip()])
    front = _frontier(_load(folder))
    # pareto.xml prints Java floats (about 7 significant digits)
    assert front.shape == expected.shape
    assert np.allclose(front, expected[np.argsort(expected[:, 0])], rtol=0.0, atol=1e-7)


@pytest.mark.parametrize("folder", _folders("geniusweb", "anl2023_*"))
def test_anl2023_specials(folder: Path) -> None:
    from parley.analysis import analyze  # imported here: written in parallel; fail, not skip

    specials = json.loads((folder / "specials.json").read_text())
    scenario = _load(folder)
    analysis = analyze(scenario)
    assert analysis.nash is not None
    assert analysis.kalai is not None
    assert analysis.utilitarian is not None
    assert analysis.zopa_size == specials["size"] == scenario.space.cardinality
    assert len(analysis.pareto) == len(specials["pareto_front"])
    for mine, key in ((analysis.nash, "nash"), (analysis.kalai, "kalai"),
                      (analysis.utilitarian, "social_welfare")):
        assert mine.utilities == pytest.approx(specials[key]["utility"], abs=1e-9, rel=0.0)
    theirs = sorted(tuple(p["utility"]) for p in specials["pareto_front"])
    ours = sorted(p.utilities for p in analysis.pareto)
    assert np.allclose(ours, theirs, rtol=0.0, atol=1e-9)
