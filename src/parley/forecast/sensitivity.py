"""Which uncertain inputs move a forecast's result most.

Two measures per (input, output) pair, both computed from the runs already played (no extra
runs):

- ``first_order``: the binned first-order index, the share of the output's variance explained
  by the input alone, Var(E[Y | X]) / Var(Y). X is cut into ``BINS`` bins of equal counts (an
  input with at most ``BINS`` distinct values, such as a red line that holds or not, gets one
  bin per value); E[Y | X] is the mean of Y within each bin. With n runs and B bins an
  unrelated input still scores about (B - 1) / (n - 1) by chance; that floor is subtracted
  and the result rescaled to [0, 1]. It sees any shape of effect, not only monotone ones.
- ``rank_correlation``: Spearman's rho between X and Y (ties get their average rank), whose
  sign says the direction: positive means larger draws make the output larger.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

BINS = 10

Vector = NDArray[np.float64]


def first_order(x: Vector, y: Vector, bins: int = BINS) -> float:
    """The binned first-order sensitivity index of ``y`` to ``x`` (0 when either is constant)."""
    n = len(x)
    total = float(np.var(y)) * n
    if n < 3 or total <= 0.0 or np.ptp(x) == 0.0:
        return 0.0
    groups = _bins(x, bins)
    count = int(groups.max()) + 1
    sizes = np.bincount(groups, minlength=count).astype(np.float64)
    means = np.bincount(groups, weights=y, minlength=count) / np.maximum(sizes, 1.0)
    between = float(np.sum(sizes * (means - y.mean()) ** 2))
    floor = (np.count_nonzero(sizes) - 1) / (n - 1)
    return float(max(0.0, (between / total - floor) / (1.0 - floor)))


def rank_correlation(x: Vector, y: Vector) -> float:
    """Spearman's rho (0 when either is constant)."""
    if len(x) < 2 or np.ptp(x) == 0.0 or np.ptp(y) == 0.0:
        return 0.0
    return float(np.corrcoef(ranks(x), ranks(y))[0, 1])


def ranks(a: Vector) -> Vector:
    """Ranks from 0, ties sharing their average rank."""
    order = np.argsort(a, kind="stable")
    values = a[order]
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    ends = np.r_[starts[1:], len(a)]
    average = (starts + ends - 1) / 2.0
    out = np.empty(len(a), dtype=np.float64)
    out[order] = np.repeat(average, ends - starts)
    return out


def _bins(x: Vector, bins: int) -> NDArray[np.int64]:
    """Bin number of each value: one bin per distinct value if few, else equal-count bins."""
    distinct, inverse = np.unique(x, return_inverse=True)
    if len(distinct) <= bins:
        return inverse.astype(np.int64)
    return np.asarray(np.floor(ranks(x) * bins / len(x)), dtype=np.int64)
