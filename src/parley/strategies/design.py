"""Bayesian experimental design for a blind mediator: where the Nash point may be, and which
question teaches most about it.

The posterior of each party is a cloud of samples of additive option values (``learning``);
sample ``s`` of every party together make one joint sample, a world the answers allow. In each
world the Nash point (largest product of gains over the reservations) is found by coordinate
ascent, vectorised over the worlds. A question tables a package ``x`` for comparison with an
earlier draft ``y``; in each world every party's answer (better or worse) is known, so the
worlds split into answer cells. A question is worth the expected gain in Nash product of the
package the mediator would choose after hearing the answer (the expected value of sample
information, Raiffa and Schlaifer 1961; the knowledge gradient of Frazier et al. 2008), plus a
small share of the mutual information between the answer and which package is the Nash point
(entropy search, Hennig and Schuler 2012), which still ranks questions when no single answer
would change the choice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from parley.strategies.learning import Encoding

SWEEPS = 12
"""Coordinate-ascent sweeps at most (each issue once per sweep); most worlds settle in 3."""
FLOOR = 1e-4
"""Weight of the worst-off party's gain in the score, so ascent climbs out of packages that
give some party nothing over its reservation (where the product is flat at 0)."""
INFORMATION = 0.05
"""Weight of the mutual information (nats) against the value of information (Nash ratio)."""

Rows = NDArray[np.int64]
Floats = NDArray[np.float64]


def scores(gains: Floats) -> Floats:
    """Nash product of ``gains`` (last axis: parties), with the worst gain as a tie-breaker."""
    # A loop over the few parties: reductions over a short last axis are slow in NumPy.
    product = np.maximum(gains[..., 0], 0.0)
    worst = gains[..., 0].copy()
    for i in range(1, gains.shape[-1]):
        product *= np.maximum(gains[..., i], 0.0)
        np.minimum(worst, gains[..., i], out=worst)
    return np.asarray(product + FLOOR * worst, dtype=np.float64)


def worlds_utilities(encoding: Encoding, thetas: Sequence[Floats], rows: Rows) -> Floats:
    """Utilities of ``rows`` (C packages) in every world: shape (S worlds, C, parties)."""
    cols = encoding.columns(rows)  # (C, issues)
    return np.stack([theta[:, cols].sum(axis=2) for theta in thetas], axis=-1)


def nash_points(
    encoding: Encoding, thetas: Sequence[Floats], reservations: Floats, starts: Rows
) -> Rows:
    """Each world's Nash point, by coordinate ascent from every start (shape (M, issues))
    and from each party's own best package in that world; returns shape (S, issues)."""
    worlds = thetas[0].shape[0]
    own = [_own_best(encoding, theta) for theta in thetas]  # each (S, issues)
    begin = np.concatenate(
        [*own, np.repeat(starts[None], worlds, axis=0).reshape(-1, starts.shape[1])]
    )
    sample = np.concatenate(
        [np.arange(worlds)] * len(own) + [np.repeat(np.arange(worlds), len(starts))]
    )
    rows = _ascend(encoding, thetas, reservations, begin.copy(), sample)
    value = scores(_gains(encoding, thetas, reservations, rows, sample))
    best = np.full(worlds, -np.inf)
    found = np.zeros((worlds, rows.shape[1]), dtype=np.int64)
    for k in range(rows.shape[0]):  # keep each world's best ascent (few hundred rows)
        s = sample[k]
        if value[k] > best[s]:
            best[s], found[s] = value[k], rows[k]
    return found


def _own_best(encoding: Encoding, theta: Floats) -> Rows:
    return np.column_stack(
        [
            np.argmax(theta[:, o : o + n], axis=1)
            for o, n in zip(encoding.offsets, encoding.sizes, strict=True)
        ]
    ).astype(np.int64)


def _gains(
    encoding: Encoding,
    thetas: Sequence[Floats],
    reservations: Floats,
    rows: Rows,
    sample: NDArray[np.int64],
) -> Floats:
    cols = encoding.columns(rows)
    utils = np.stack([theta[sample[:, None], cols].sum(axis=1) for theta in thetas], axis=-1)
    return np.asarray(utils - reservations, dtype=np.float64)


def _ascend(
    encoding: Encoding,
    thetas: Sequence[Floats],
    reservations: Floats,
    rows: Rows,
    sample: NDArray[np.int64],
) -> Rows:
    """Each row's issues set in turn to the option with the best score in its world."""
    for _ in range(SWEEPS):
        moved = False
        for j, (offset, size) in enumerate(zip(encoding.offsets, encoding.sizes, strict=True)):
            if size < 2:
                continue
            cols = encoding.columns(rows)
            parts = []
            for theta in thetas:
                base = theta[sample[:, None], cols].sum(axis=1) - theta[sample, cols[:, j]]
                parts.append(base[:, None] + theta[sample, offset : offset + size])
            gains = np.stack(parts, axis=-1) - reservations  # (N, size, parties)
            best = np.argmax(scores(gains), axis=1)
            moved |= bool((best != rows[:, j]).any())
            rows[:, j] = best
        if not moved:
            break
    return rows


def question_values(
    world_gains_new: Floats,
    world_gains_old: Floats,
    worth: Floats,
    labels: NDArray[np.int64],
) -> Floats:
    """Value of asking each (new, old) pair: shape (X, R).

    ``world_gains_new`` (S, X, P) and ``world_gains_old`` (S, R, P) are the parties' utilities
    of the candidate drafts and of the earlier drafts in every world; ``worth`` (S, C) is the
    Nash product of every package the mediator may choose in every world; ``labels`` (S,) the
    index of each world's own Nash point among distinct ones.
    """
    worlds, news, parties = world_gains_new.shape
    olds = world_gains_old.shape[1]
    better = world_gains_new[:, :, None, :] > world_gains_old[:, None, :, :]  # (S, X, R, P)
    cell = (better * (1 << np.arange(parties))).sum(axis=-1).reshape(worlds, -1)  # (S, Q)
    cells = 1 << parties
    # Value of information: after each answer, the best expected worth among the choices.
    after = np.zeros(cell.shape[1])
    for k in range(cells):
        hit = (cell == k).astype(np.float64)  # (S, Q)
        after += (hit.T @ worth).max(axis=1)  # the best choice's summed worth in this cell
    value = after / worlds - worth.mean(axis=0).max()
    # Mutual information between the answer and which package is the Nash point.
    kinds = int(labels.max()) + 1
    index = (np.arange(cell.shape[1])[None, :] * cells + cell) * kinds + labels[:, None]
    joint = np.bincount(index.ravel(), minlength=cell.shape[1] * cells * kinds)
    joint = joint.reshape(cell.shape[1], cells, kinds) / worlds
    p_label = np.bincount(labels, minlength=kinds) / worlds
    information = (
        _entropy(joint.sum(axis=2))
        + _entropy(p_label[None])
        - _entropy(joint.reshape(len(joint), -1))
    )
    scale = max(float(worth.mean(axis=0).max()), 1e-12)
    return np.asarray(
        (value / scale + INFORMATION * information).reshape(news, olds), dtype=np.float64
    )


def _entropy(p: Floats) -> Floats:
    safe = np.where(p > 0, p, 1.0)
    return np.asarray(-(p * np.log(safe)).sum(axis=-1), dtype=np.float64)
