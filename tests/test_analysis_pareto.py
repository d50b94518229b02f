"""``pareto_mask`` against the definition, checked pair by pair."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis import pareto_mask


def dominates(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and a != b


def oracle(rows: list[tuple[float, ...]]) -> list[bool]:
    """O(n^2): a row is kept when no other row dominates it."""
    return [not any(dominates(other, row) for other in rows) for row in rows]


def vectorized_oracle(u: np.ndarray) -> np.ndarray:
    """The same definition, one row at a time against all rows (for larger inputs)."""
    return np.array(
        [not np.any(np.all(u >= row, axis=1) & np.any(u > row, axis=1)) for row in u],
        dtype=bool,
    )


# small integer values make ties and exact duplicates common
matrices = st.integers(1, 4).flatmap(
    lambda k: st.lists(
        st.tuples(*[st.integers(0, 5)] * k).map(lambda t: tuple(float(x) for x in t)),
        max_size=60,
    ).map(lambda rows: (k, rows))
)


@settings(max_examples=300, deadline=None)
@given(matrices)
def test_pareto_mask_equals_pairwise_oracle(case: tuple[int, list[tuple[float, ...]]]) -> None:
    k, rows = case
    u = np.array(rows, dtype=np.float64).reshape(len(rows), k)
    assert pareto_mask(u).tolist() == oracle(rows)


def test_identical_non_dominated_rows_are_all_kept() -> None:
    u = [[1, 1], [1, 1], [0, 2], [0, 2], [0, 1], [1, 0], [2, 0], [2, 0]]
    assert pareto_mask(u).tolist() == [True, True, True, True, False, False, True, True]


def test_duplicates_in_three_columns() -> None:
    u = [[1, 1, 1], [1, 1, 1], [1, 1, 0], [0, 0, 2], [0, 0, 2], [0, 0, 1]]
    assert pareto_mask(u).tolist() == [True, True, False, True, True, False]


def test_single_column_keeps_every_maximum() -> None:
    assert pareto_mask([[0.5], [1.0], [1.0], [0.2]]).tolist() == [False, True, True, False]


def test_empty_input() -> None:
    assert pareto_mask(np.empty((0, 2))).shape == (0,)


def test_rejects_a_vector() -> None:
    with pytest.raises(ValueError, match=r"\(n, k\)"):
        pareto_mask([1.0, 2.0])


@pytest.mark.parametrize("k", [2, 3, 4])
@pytest.mark.parametrize("levels", [6, 40, None])
def test_many_rows_across_blocks(k: int, levels: int | None) -> None:
    """Enough rows to cross the general method's blocks, with and without ties."""
    rng = np.random.default_rng(1950 + k)
    u = rng.random((1500, k)) if levels is None else rng.integers(0, levels, (1500, k)) / levels
    u = np.vstack([u, u[:100]])  # exact duplicates of some rows
    assert np.array_equal(pareto_mask(u), vectorized_oracle(u))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=80))
def test_two_column_sweep_agrees_with_general_method(rows: list[tuple[int, int]]) -> None:
    """A constant third column sends the same rows through the N-column method."""
    u = np.array(rows, dtype=np.float64).reshape(len(rows), 2)
    padded = np.column_stack([u, np.zeros(len(rows))])
    assert np.array_equal(pareto_mask(u), pareto_mask(padded))
