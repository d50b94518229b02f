"""What a blind mediator believes about a party's preferences, learned only from its answers.

A party's utility is modelled as linear-additive: a weight per issue times a value per option,
all uniform a priori. Every answer "better" / "worse" (or any other evidence that the party
prefers one package to another) is a constraint u(x) - u(y) > 0, linear in the values for fixed
weights and in the weights for fixed values. The belief is a cloud of samples drawn uniformly
from the weights and values that satisfy every constraint so far (the posterior), kept by
sequential Monte Carlo: a new constraint drops the samples it rules out, the survivors are
copied back to full strength, and a Gibbs sweep (each weight and value redrawn uniformly from
the interval the constraints leave it) spreads the copies over the new region. An answer no
sample agrees with (a party that misreports, or a model that does not fit) is set aside rather
than emptying the belief.

Weight times value (not one free number per option) keeps an issue that matters little to a
party small on all its options together, which is what profiles look like.

Samples are compared after scaling each to 0..1 over the outcome space (worst package 0, best
1), the scale of a normalised profile; the estimate is the mean scaled sample.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from parley.engine.messages import Outcome
from parley.outcomes import OutcomeSpace

SAMPLES = 256
SWEEPS = 1
"""Sweeps over all values after each constraint: enough to spread the copies resampling made."""
ENUMERATE = 50_000
"""Spaces up to this size are searched whole for the best package; larger ones by ascent."""
STARTS = 8


class Encoding:
    """Packages as rows of one-hot option features (issues one after another)."""

    def __init__(self, sizes: Sequence[int]) -> None:
        self.sizes = tuple(int(n) for n in sizes)
        self.offsets = np.cumsum([0, *self.sizes[:-1]]).astype(np.int64)
        self.width = int(sum(self.sizes))

    def columns(self, rows: NDArray[np.int64]) -> NDArray[np.int64]:
        """For each package (row of option indices), the feature index of each chosen option."""
        return np.asarray(rows, dtype=np.int64) + self.offsets

    def change(self, new: Outcome, old: Outcome) -> NDArray[np.float64]:
        """Features of ``new`` minus those of ``old``: u(new) - u(old) = change @ values."""
        delta = np.zeros(self.width)
        delta[self.offsets + np.asarray(new)] += 1.0
        delta[self.offsets + np.asarray(old)] -= 1.0
        return delta


class Belief:
    """Samples of one party's option values consistent with what it has told the mediator."""

    def __init__(
        self, encoding: Encoding, rng: np.random.Generator, samples: int = SAMPLES
    ) -> None:
        self.encoding = encoding
        self.rng = rng
        # An issue's weight is drawn up to the inverse of the expected spread of its options'
        # values, (n + 1) / (n - 1) for n options, so that a priori every issue matters as much
        # whatever its number of options (profiles are usually normalised per issue).
        sizes = np.asarray(encoding.sizes, dtype=np.float64)
        self.ceiling = np.sqrt(np.where(sizes > 1, (sizes + 1) / np.maximum(sizes - 1, 1), 1.0))
        self.weights = rng.random((samples, len(encoding.sizes))) * self.ceiling
        self.values = rng.random((samples, encoding.width))
        self.constraints = np.zeros((0, encoding.width))
        self.ignored = 0

    @property
    def theta(self) -> NDArray[np.float64]:
        """Each sample's weighted option values (weight of the issue times value of the option)."""
        return np.asarray(
            self.values * np.repeat(self.weights, self.encoding.sizes, axis=1), dtype=np.float64
        )

    def learn(self, new: Outcome, old: Outcome, sign: float) -> bool:
        """The party finds ``new`` better (sign > 0) or worse (sign < 0) than ``old``."""
        row = np.sign(sign) * self.encoding.change(new, old)
        if not row.any():
            return False
        fits = self.theta @ row > 0
        if not fits.any():
            self.ignored += 1  # no sample agrees: a misreport or a misfit, not evidence
            return False
        self.constraints = np.vstack([self.constraints, row])
        if not fits.all():
            pick = self.rng.choice(np.flatnonzero(fits), size=self.values.shape[0])
            self.weights, self.values = self.weights[pick], self.values[pick]
            for _ in range(SWEEPS):
                self._sweep()
        return True

    def _sweep(self, features: NDArray[np.int64] | None = None) -> None:
        """One Gibbs sweep: every option value (or those of ``features``), then every issue
        weight, redrawn uniformly from the interval that [0, 1] and the constraints leave it,
        for all samples at once."""
        rows = self.constraints
        level = self.theta @ rows.T  # every constraint's slack, kept up to date as values move
        spread = np.repeat(np.arange(len(self.encoding.sizes)), self.encoding.sizes)
        order = self.rng.permutation(rows.shape[1] if features is None else features)
        for k in order:
            touched = rows[:, k] != 0
            slope = self.weights[:, spread[k], None] * rows[None, touched, k]
            move = self._draw(self.values[:, k], 1.0, level[:, touched], slope)
            self.values[:, k] += move
            level[:, touched] += move[:, None] * slope
        e = self.encoding
        for j in self.rng.permutation(len(e.sizes)):
            block = slice(e.offsets[j], e.offsets[j] + e.sizes[j])
            touched = rows[:, block].any(axis=1)
            slope = self.values[:, block] @ rows[touched, block].T
            move = self._draw(self.weights[:, j], self.ceiling[j], level[:, touched], slope)
            self.weights[:, j] += move
            level[:, touched] += move[:, None] * slope

    def _draw(
        self,
        current: NDArray[np.float64],
        ceiling: float,
        level: NDArray[np.float64],
        slope: NDArray[np.float64],
    ) -> NDArray[np.float64]:
        """A uniform move d per sample: current + d in [0, ceiling], level + d * slope > 0."""
        low, high = -current, ceiling - current
        if level.shape[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                bound = -level / slope
            low = np.maximum(low, np.where(slope > 0, bound, -np.inf).max(axis=1))
            high = np.minimum(high, np.where(slope < 0, bound, np.inf).min(axis=1))
        ok = high > low
        return np.where(ok, low + self.rng.random(current.shape[0]) * (high - low), 0.0)

    def scaled(self) -> NDArray[np.float64]:
        """Each sample's option values scaled so the worst package is 0 and the best 1."""
        e = self.encoding
        lows = np.minimum.reduceat(self.theta, e.offsets, axis=1)
        highs = np.maximum.reduceat(self.theta, e.offsets, axis=1)
        span = np.maximum(highs.sum(axis=1) - lows.sum(axis=1), 1e-12)
        shifted = self.theta - np.repeat(lows, e.sizes, axis=1)
        return np.asarray(shifted / span[:, None], dtype=np.float64)

    def estimate(self) -> NDArray[np.float64]:
        """The mean scaled option values: the estimated utility is their sum over a package."""
        return np.asarray(self.scaled().mean(axis=0), dtype=np.float64)

    def chance_better(
        self, news: NDArray[np.int64], olds: NDArray[np.int64]
    ) -> NDArray[np.float64]:
        """Share of samples in which each of ``news`` beats each of ``olds`` (a 2-D table)."""
        cols = self.encoding.columns
        u_new = self.theta[:, cols(news)].sum(axis=2)
        u_old = self.theta[:, cols(olds)].sum(axis=2)
        return np.asarray((u_new[:, :, None] > u_old[:, None, :]).mean(axis=0), dtype=np.float64)


def utilities(
    encoding: Encoding, values: NDArray[np.float64], rows: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Additive utilities of ``rows`` under option ``values`` (one value per feature)."""
    return np.asarray(values[encoding.columns(rows)].sum(axis=-1), dtype=np.float64)


def products(
    encoding: Encoding,
    values: Sequence[NDArray[np.float64]],
    rows: NDArray[np.int64],
    powers: Sequence[float] | None = None,
) -> NDArray[np.float64]:
    """The product over parties of utility ** power (power 1 for all: the Nash product)."""
    powers = [1.0] * len(values) if powers is None else powers
    score = np.ones(rows.shape[0])
    for v, power in zip(values, powers, strict=True):
        score *= np.maximum(utilities(encoding, v, rows), 0.0) ** power
    return score


def best_packages(
    encoding: Encoding,
    values: Sequence[NDArray[np.float64]],
    rng: np.random.Generator,
    count: int = 1,
    powers: Sequence[float] | None = None,
    space: OutcomeSpace | None = None,
) -> list[Outcome]:
    """The ``count`` packages with the largest ``products`` under ``values``, among those
    that can exist in ``space`` (every package, without one).

    Small spaces are scored whole; larger ones by coordinate ascent from several starts (each
    party's best package and random ones), which finds the product's maximum on additive
    utilities in all but contrived cases; a step never leaves the packages that can exist.
    """
    sizes = encoding.sizes
    possible = _possible(space)
    if int(np.prod(sizes, dtype=np.float64)) <= ENUMERATE:
        grid = np.indices(sizes).reshape(len(sizes), -1).T
        score = np.where(possible(grid), products(encoding, values, grid, powers), -np.inf)
        if count == 1:
            order = np.array([int(np.argmax(score))])
        else:
            order = np.argsort(-score, kind="stable")[:count]
        return [tuple(int(v) for v in grid[i]) for i in order if score[i] > -np.inf]
    starts = [_own_best(encoding, v) for v in values]
    starts += [tuple(int(rng.integers(n)) for n in sizes) for _ in range(STARTS)]
    if space is not None and space.constraints:
        starts.append(space.first_possible())  # an ascent from it ends where it can exist
    found = sorted({_ascend(encoding, values, powers, s, space) for s in starts})
    found = [o for o in found if possible(np.array([o]))[0]]
    score = products(encoding, values, np.array(found, dtype=np.int64), powers)
    return [found[i] for i in np.argsort(-score, kind="stable")[:count]]


def _possible(space: OutcomeSpace | None) -> Callable[[NDArray[np.int64]], NDArray[np.bool_]]:
    """Which rows can exist: ``space.possible_rows``, or all of them without a space."""
    if space is None or not space.constraints:
        return lambda rows: np.ones(rows.shape[0], dtype=np.bool_)
    return space.possible_rows


def _own_best(encoding: Encoding, values: NDArray[np.float64]) -> Outcome:
    pairs = zip(encoding.offsets, encoding.sizes, strict=True)
    return tuple(int(np.argmax(values[o : o + n])) for o, n in pairs)


def _ascend(
    encoding: Encoding,
    values: Sequence[NDArray[np.float64]],
    powers: Sequence[float] | None,
    start: Outcome,
    space: OutcomeSpace | None,
) -> Outcome:
    """Coordinate ascent on the product: each issue in turn set to its best option among those
    that leave a package that can exist (a start that cannot exist may stay so)."""
    current = list(start)
    constrained = space is not None and bool(space.constraints)
    improved = True
    while improved:
        improved = False
        for j, n in enumerate(encoding.sizes):
            rows = np.tile(np.asarray(current, dtype=np.int64), (n, 1))
            rows[:, j] = np.arange(n)
            score = products(encoding, values, rows, powers)
            if constrained:
                assert space is not None
                allowed = space.options_left(current, j)
                if allowed is not None:
                    if not allowed.any():
                        continue
                    score = np.where(allowed, score, -np.inf)
            best = int(np.argmax(score))
            if best != current[j]:
                current[j], improved = best, True
    return tuple(current)
