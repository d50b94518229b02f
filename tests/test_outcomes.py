"""Outcome spaces: numbering, chunked enumeration and value conversion are mutually consistent."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.errors import ParleyError
from parley.outcomes import DiscreteIssue, IntegerIssue, Option, OutcomeSpace, RealIssue
from parley.preferences import LinearAdditive, RedLine, reaches

sizes_strategy = st.lists(st.integers(1, 5), min_size=1, max_size=5)


def space_of(sizes: list[int]) -> OutcomeSpace:
    issues = []
    for j, n in enumerate(sizes):
        if j % 3 == 0:
            options = tuple(Option(f"o{k}", f"option {k}") for k in range(n))
            issues.append(DiscreteIssue(f"d{j}", f"d{j}", options=options))
        elif j % 3 == 1:
            issues.append(IntegerIssue(f"i{j}", f"i{j}", low=-2, high=-2 + n - 1))
        else:
            issues.append(RealIssue(f"r{j}", f"r{j}", low=0.5, high=1.5, steps=n))
    return OutcomeSpace(issues)


@given(sizes_strategy)
def test_rows_follow_itertools_product_order(sizes: list[int]) -> None:
    space = space_of(sizes)
    expected = np.array(list(itertools.product(*(range(n) for n in sizes))))
    assert space.cardinality == len(expected)
    np.testing.assert_array_equal(space.all_rows(), expected)


@given(sizes_strategy, st.integers(1, 7))
def test_chunks_cover_the_space_once_in_order(sizes: list[int], chunk: int) -> None:
    space = space_of(sizes)
    starts, parts = zip(*space.chunks(chunk), strict=True)
    assert list(starts) == list(range(0, space.cardinality, chunk))
    np.testing.assert_array_equal(np.vstack(parts), space.all_rows())


@given(sizes_strategy, st.data())
def test_index_outcome_and_values_round_trip(sizes: list[int], data: st.DataObject) -> None:
    space = space_of(sizes)
    number = data.draw(st.integers(0, space.cardinality - 1))
    outcome = space.outcome_at(number)
    assert space.index_of(outcome) == number
    assert space.from_values(space.to_values(outcome)) == outcome
    assert int(space.indices_of(space.rows(number, number + 1))[0]) == number


def test_values_of_each_issue_type() -> None:
    space = space_of([3, 3, 3])
    assert space.to_values((2, 0, 1)) == {"d0": "o2", "i1": -2, "r2": 1.0}
    with pytest.raises(ValueError, match="not an option"):
        space.from_values({"d0": "o9", "i1": -2, "r2": 1.0})
    with pytest.raises(ValueError, match="outside"):
        space.from_values({"d0": "o0", "i1": 5, "r2": 1.0})
    with pytest.raises(ValueError, match="grid"):
        space.from_values({"d0": "o0", "i1": -2, "r2": 0.7})
    with pytest.raises(ValueError, match="no value for issue"):
        space.from_values({"d0": "o0"})


def test_out_of_range_numbers_and_oversized_spaces_are_refused() -> None:
    space = space_of([2, 2])
    with pytest.raises(IndexError):
        space.outcome_at(4)
    big = OutcomeSpace([IntegerIssue(f"x{j}", "x", low=0, high=99) for j in range(5)])
    assert big.cardinality == 10**10
    with pytest.raises(ParleyError, match="chunks"):
        big.all_rows()
    first_start, first = next(big.chunks(1000))
    assert first_start == 0
    assert first.shape == (1000, 5)


@settings(max_examples=50)
@given(sizes_strategy, st.data())
def test_scalar_and_batch_paths_agree(sizes: list[int], data: st.DataObject) -> None:
    space = space_of(sizes)
    unit = st.floats(0, 1, allow_nan=False)
    values = tuple(tuple(data.draw(unit) for _ in range(n)) for n in sizes)
    weights = tuple(data.draw(unit) for _ in sizes)
    column = data.draw(st.integers(0, len(sizes) - 1))
    line = RedLine("banned", ((column, frozenset({0})),))
    prefs = LinearAdditive(
        sizes=tuple(sizes), reservation=0.3, red_lines=(line,), weights=weights, values=values
    )
    rows = space.all_rows()
    batch, crosses, ok = prefs.utilities(rows), prefs.crosses(rows), prefs.acceptable_rows(rows)
    for k, row in enumerate(rows):
        outcome = tuple(int(v) for v in row)
        assert batch[k] == prefs.utility(outcome)
        assert bool(crosses[k]) == bool(prefs.crossed(outcome))
        assert bool(ok[k]) == prefs.acceptable(outcome)


def test_reaches_absorbs_rounding_noise_only() -> None:
    assert reaches(0.1 + 0.2, 0.3)
    assert reaches(12 / 34 - 1e-16, 12 / 34)
    assert not reaches(0.3 - 1e-6, 0.3)


def test_discount_follows_genius() -> None:
    prefs = LinearAdditive(sizes=(2,), discount=0.5, weights=(1.0,), values=((0.0, 1.0),))
    assert prefs.discounted(0.8, 0.0) == pytest.approx(0.8)
    assert prefs.discounted(0.8, 1.0) == pytest.approx(0.4)
    assert prefs.discounted(0.8, 0.5) == pytest.approx(0.8 * 0.5**0.5)
