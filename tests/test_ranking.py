"""Rankings against their oracle: one stable sort of every outcome by utility."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.strategies.index import BucketedOutcomes, SortedOutcomes


def oracle(utilities: np.ndarray, positions: np.ndarray) -> np.ndarray:
    return positions[np.argsort(-utilities[positions], kind="stable")]


@pytest.mark.parametrize("kind", [SortedOutcomes, BucketedOutcomes])
@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5000001, 0.75, 1.0, 1 / 3, 2 / 3]),
        min_size=0,
        max_size=300,
    ),
    drop=st.integers(0, 7),
    probes=st.lists(st.floats(-0.5, 1.5, allow_nan=False), max_size=8),
    noise=st.integers(0, 2**31 - 1),
)
def test_each_ranking_is_the_full_stable_sort(
    kind: type[SortedOutcomes | BucketedOutcomes],
    values: list[float],
    drop: int,
    probes: list[float],
    noise: int,
) -> None:
    rng = np.random.default_rng(noise)
    utilities = np.array(values, dtype=np.float64)
    if utilities.size and noise % 2:
        utilities = utilities + rng.uniform(0, 1e-3, utilities.size)  # near-ties across buckets
    rows = np.arange(utilities.size * 2, dtype=np.int16).reshape(-1, 2)
    positions = np.flatnonzero(np.arange(utilities.size) % 8 != drop)
    ranking = kind(rows, utilities, positions)
    expected = oracle(utilities, positions)
    assert len(ranking) == expected.size
    for level in [*probes, *utilities[:5].tolist()]:
        # Questions come in any order; each must see the same ranking.
        assert ranking.count_at_least(level) == int(np.count_nonzero(utilities[positions] >= level))
        count = ranking.count_at_least(level)
        window = ranking.between(count - 5, count)
        assert np.array_equal(window, rows[expected[max(0, count - 5) : count]])
    assert np.array_equal(ranking.top(expected.size), rows[expected])
    if expected.size:
        assert ranking.best == utilities[positions].max()
        assert ranking.outcome(expected.size - 1) == tuple(rows[expected[-1]].tolist())


def test_a_ranking_asked_often_is_sorted_whole_and_answers_the_same() -> None:
    rng = np.random.default_rng(7)
    utilities = np.round(rng.uniform(0, 1, 5000), 3)  # many ties
    rows = np.arange(10000, dtype=np.int16).reshape(-1, 2)
    ranking = BucketedOutcomes(rows, utilities)
    expected = oracle(utilities, np.arange(utilities.size))
    for level in rng.uniform(-0.1, 1.1, 600):  # past the point where it sorts itself whole
        count = ranking.count_at_least(float(level))
        assert count == int(np.count_nonzero(utilities >= level))
        assert np.array_equal(
            ranking.between(count - 3, count), rows[expected[max(0, count - 3) : count]]
        )
