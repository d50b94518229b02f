"""Non-dominated rows of a utility matrix.

Row ``a`` dominates row ``b`` when ``a[i] >= b[i]`` for every column ``i`` and ``a[i] > b[i]``
for at least one. A row is on the frontier when no row dominates it; rows with identical
vectors do not dominate each other, so duplicates on the frontier are all kept.

Two columns (the common two-principal case) use a sort-and-sweep in O(n log n). More columns
sort by the row sum (a dominator never has a smaller float sum, since float addition is
monotone), find the frontier of each block of rows and let it remove the later rows it
dominates, with vectorized comparisons: O(n * frontier size) in the worst case, far less when
a few early rows dominate most of the others, as usual. Values must be finite.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Mask = NDArray[np.bool_]
Matrix = NDArray[np.float64]

_BLOCK = 256  # rows checked against each other at once in the general method
_TEMPORARY = 1 << 22  # cells of each (dominators x rows) comparison temporary, ~4 MB


def pareto_mask(utilities: ArrayLike) -> Mask:
    """For each row of an (n, k) array: is it non-dominated? Identical rows are all kept."""
    u = np.asarray(utilities, dtype=np.float64)
    if u.ndim != 2:
        raise ValueError(f"expected an (n, k) array of utilities, got shape {u.shape}")
    n, k = u.shape
    if n == 0 or k == 0:
        return np.ones(n, dtype=np.bool_)
    if k == 1:
        return np.asarray(u[:, 0] == u[:, 0].max())
    if k == 2:
        return _sweep(u)
    return _filter(u)


def _sweep(u: Matrix) -> Mask:
    """Two columns: sort by (x desc, y desc) and keep rows whose y beats every larger x."""
    order = np.lexsort((-u[:, 1], -u[:, 0]))
    x, y = u[order, 0], u[order, 1]
    # Rows sharing an x form a group; its first row holds the group's best y.
    starts = np.empty(x.size, dtype=np.bool_)
    starts[0] = True
    np.not_equal(x[1:], x[:-1], out=starts[1:])
    group = np.cumsum(starts) - 1
    group_best = y[starts]
    # Best y among rows with a strictly larger x: such a row dominates unless our y is larger.
    best_before = np.concatenate(([-np.inf], np.maximum.accumulate(group_best)[:-1]))
    keep = (y == group_best[group]) & (y > best_before[group])
    mask = np.empty(x.size, dtype=np.bool_)
    mask[order] = keep
    return mask


def _filter(u: Matrix) -> Mask:
    """Any number of columns: scan rows by descending sum, so a dominator always comes first.

    Each block of surviving rows is checked within itself; its non-dominated rows join the
    frontier and at once remove every later row they dominate, so later blocks stay small.
    """
    # lexsort's last key is the primary one: sum desc, then each column desc, which puts a
    # dominator before every row it dominates even when float sums tie.
    keys = (*(-u[:, j] for j in reversed(range(u.shape[1]))), -u.sum(axis=1))
    remaining = np.lexsort(keys)
    kept: list[NDArray[np.intp]] = []
    while remaining.size:
        block, rest = remaining[:_BLOCK], remaining[_BLOCK:]
        new = block[~_dominated_by(u[block], u[block])]
        kept.append(new)
        remaining = rest[~_dominated_by(u[new], u[rest])]
    mask = np.zeros(u.shape[0], dtype=np.bool_)
    mask[np.concatenate(kept)] = True
    return mask


def _dominated_by(dominators: Matrix, rows: Matrix) -> Mask:
    """For each of ``rows``: does some row of ``dominators`` dominate it?"""
    hit = np.zeros(rows.shape[0], dtype=np.bool_)
    step = max(1, _TEMPORARY // max(1, rows.shape[0]))
    columns = [np.ascontiguousarray(rows[:, j]) for j in range(rows.shape[1])]
    for lo in range(0, dominators.shape[0], step):
        part = dominators[lo : lo + step]
        at_least = np.ones((part.shape[0], rows.shape[0]), dtype=np.bool_)
        above = np.zeros_like(at_least)
        # one column at a time: reducing over a short last axis is slow in NumPy
        for j, column in enumerate(columns):
            at_least &= part[:, j, None] >= column
            above |= part[:, j, None] > column
        hit |= (at_least & above).any(axis=0)
    return hit


def dominated_by_front(front: Matrix, utilities: Matrix) -> Mask:
    """Rows of ``utilities`` strictly dominated by some row of a two-column frontier ``front``.

    On a frontier sorted by its first column ascending, the second strictly descends (a
    staircase), so for each row the only candidate dominator is the first step at least as far
    right: one ``searchsorted`` per row instead of a sort of the whole batch.
    """
    # On a frontier, points that share a first utility are identical, so sorting by it is
    # enough (np.unique(axis=0) would also import numpy.ma, ~9 ms, on first use).
    stair = front[np.argsort(front[:, 0], kind="stable")]
    x, y = stair[:, 0], stair[:, 1]
    step = np.searchsorted(x, utilities[:, 0], side="left")
    at = np.minimum(step, x.size - 1)
    return np.asarray(
        (step < x.size)
        & (y[at] >= utilities[:, 1])
        & ((x[at] > utilities[:, 0]) | (y[at] > utilities[:, 1]))
    )
