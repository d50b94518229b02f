"""Nonlinear (hyper-rectangle) profiles: the Parley file form, evaluation on chunks of an
ANAC 2014-sized space (10**10 outcomes), and the outcome classes that make it analysable."""

from __future__ import annotations

import time

import numpy as np
import pytest

from parley.errors import ScenarioError
from parley.formats import load_folder
from parley.nonlinear import Classes, HyperRectangles, outcome_classes
from parley.scenario import Scenario, loads
from tests.test_formats_helpers import DATA

TOML = """
format = "parley-scenario/1"
name = "boxes"
title = "Boxes"

[[issues]]
id = "x"
name = "X"
type = "integer"
min = 0
max = 3

[[issues]]
id = "y"
name = "Y"
type = "real"
min = 0
max = 1
steps = 3

[[parties]]
name = "P"
role = "principal"
[parties.preferences]
kind = "hyper-rectangles"
max_utility = 8
[parties.preferences.ufun]
aggregation = "sum"
[[parties.preferences.ufun.rectangles]]
utility = 4
bounds = { x = [1, 2] }
[[parties.preferences.ufun.rectangles]]
utility = 2
weight = 2
exclude = true
bounds = { y = [0.5, 1] }
[[parties.preferences.ufun.ufuns]]
aggregation = "max"
weight = 0.5
rectangles = [{ utility = 3, bounds = { x = [3, 3] } }, { utility = 1 }]

[[parties]]
name = "Q"
role = "principal"
[parties.preferences.issues.x]
weight = 0.5
function = { kind = "linear", offset = 0.25, slope = 0.5, origin = 0 }
[parties.preferences.issues.y]
weight = 0.5
function = { kind = "triangular", low = 0, high = 1, top = 0.5 }
"""


@pytest.fixture(scope="module")
def boxes() -> Scenario:
    return loads(TOML, "boxes.toml")


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        # 4 if x in 1..2, 2 * 2 if y < 0.5, 0.5 * max(3 if x == 3, 1); / 8, at most 1
        (0, 0.0, (4 + 0.5) / 8),
        (1, 0.0, 1.0),  # (4 + 4 + 0.5) / 8 is above 1
        (2, 0.5, (4 + 0.5) / 8),
        (3, 1.0, 1.5 / 8),
    ],
)
def test_hyper_rectangles_written_in_a_parley_file(
    boxes: Scenario, x: int, y: float, expected: float
) -> None:
    prefs = boxes.preferences_of("P")
    assert isinstance(prefs, HyperRectangles)
    outcome = boxes.space.from_values({"x": x, "y": y})
    assert prefs.utility(outcome) == expected


def test_functions_written_in_a_parley_file(boxes: Scenario) -> None:
    q = boxes.preferences_of("Q")
    # linear 0.25 + 0.5 x clamped: 0.25, 0.75, 1, 1; triangle at 0, 0.5, 1: 0, 1, 0
    rows = boxes.space.all_rows()
    expected = [0.5 * min(1.0, 0.25 + 0.5 * x) + 0.5 * t
                for x in range(4) for t in (0.0, 1.0, 0.0)]
    assert q.utilities(rows).tolist() == expected


@pytest.mark.parametrize(
    ("old", "new", "pattern"),
    [
        ('kind = "hyper-rectangles"\nmax_utility = 8\n', 'kind = "hyper-rectangles"\n',
         "a hyper-rectangles profile needs ufun and max_utility"),
        ("bounds = { x = [1, 2] }", "bounds = { z = [1, 2] }",
         r"ufun\.rectangles\[0\]\.bounds\.z: unknown issue"),
        ('kind = "triangular", low = 0, high = 1, top = 0.5', 'kind = "triangular", low = 0',
         "a triangular function needs high and top"),
        ('function = { kind = "linear", offset = 0.25, slope = 0.5, origin = 0 }',
         'function = { kind = "linear" }\nvalues = { a = 1 }', "give one of values, points or"),
        ('kind = "hyper-rectangles"\n', 'kind = "hyper-rectangles"\nreservation = 0.5\n'
         'reservation_outcome = { x = 1, y = 0.5 }\n', "give reservation or reservation_outcome"),
    ],
    ids=["no max_utility", "unknown issue", "triangle", "two tables", "two reservations"],
)
def test_document_errors(old: str, new: str, pattern: str) -> None:
    assert old in TOML
    with pytest.raises(ScenarioError, match=pattern):
        loads(TOML.replace(old, new), "boxes.toml")


# -- an ANAC 2014-sized space ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def big() -> Scenario:
    return load_folder(DATA / "genius_anac2014_style")


def test_ten_billion_outcomes_load_quickly(big: Scenario) -> None:
    start = time.perf_counter()
    load_folder(DATA / "genius_anac2014_style")
    assert time.perf_counter() - start < 2.0
    assert big.space.cardinality == 10**10
    p1 = big.preferences_of("profile-1")
    assert isinstance(p1, HyperRectangles)
    assert (p1.discount, p1.reservation) == (0.95, 0.5)


def test_batch_evaluation_on_chunks(big: Scenario) -> None:
    checked = 0
    for start in (0, 123_456_789, 10**10 - (1 << 16)):
        rows = big.space.rows(start, start + (1 << 16))
        for party in big.principals:
            assert party.preferences is not None
            u = party.preferences.utilities(rows)
            assert u.shape == (1 << 16,)
            assert np.isfinite(u).all()
            assert ((u >= 0) & (u <= 1)).all()
            sample = rows[:: 1 << 10]
            assert u[:: 1 << 10].tolist() == [party.preferences.utility(r) for r in sample]
            checked += 1
    assert checked == 6


def test_outcome_classes_are_exact(big: Scenario) -> None:
    """Every outcome has the utilities of its class representative, so analysing one
    outcome per class combination covers all 10**10."""
    models = [p.preferences for p in big.principals if p.preferences is not None]
    classes = outcome_classes(models, big.space.sizes)
    assert classes.cardinality < 10**7  # 7,776,000 here: this file uses few distinct bounds
    assert [int(s.sum()) for s in classes.sizes] == list(big.space.sizes)
    rng = np.random.default_rng(2014)
    rows = np.column_stack([rng.integers(0, n, 50_000) for n in big.space.sizes])
    represented = classes.represent(rows)
    assert (represented <= rows).all()  # representatives are the lowest options
    for model in models:
        assert np.array_equal(model.utilities(rows), model.utilities(represented))
    expected = np.ones(rows.shape[0], dtype=np.int64)
    for j, of in enumerate(classes.representative_of):
        expected *= (of[None, :] == represented[:, j, None]).sum(axis=1)
    assert np.array_equal(classes.multiplicity(represented), expected)
    first = classes.rows(0, 4096)
    assert np.array_equal(classes.represent(first), first)


def test_class_rows_are_the_numbered_representatives() -> None:
    """rows() builds runs of repeated options; it must equal numbering last issue fastest."""
    classes = Classes((np.array([0, 0, 2]), np.array([0, 1]), np.array([0, 0, 0, 3, 3, 4])))
    reps = classes.representatives  # [0, 2], [0, 1], [0, 3, 4]: 12 outcomes

    def numbered(n: int) -> list[int]:
        return [int(reps[0][n // 6]), int(reps[1][n // 3 % 2]), int(reps[2][n % 3])]

    for start in range(classes.cardinality + 1):
        for stop in range(start, classes.cardinality + 3):
            rows = classes.rows(start, stop)
            expected = [numbered(n) for n in range(start, min(stop, classes.cardinality))]
            assert rows.tolist() == expected, (start, stop)


def test_outcome_classes_of_linear_models_split_by_value(boxes: Scenario) -> None:
    q = boxes.preferences_of("Q")
    classes = outcome_classes([q], boxes.space.sizes)
    # x: 0.25, 0.75, 1, 1 (clamped) -> three classes; y: 0, 1, 0 -> two
    assert [r.tolist() for r in classes.representatives] == [[0, 1, 2], [0, 1]]
    assert [s.tolist() for s in classes.sizes] == [[1, 1, 2], [2, 1]]
