"""A blind mediator's estimate of each party's reservation, from its accepts and rejects.

A party that accepts a draft at time t finds it worth at least its demand then; a party that
rejects it, less. A mediator that knows (roughly) what the draft is worth to the party thus
brackets the party's demand at t, and the demand's path says where it ends: at the party's
reservation. Demands are modelled by the time-dependent family of Faratin, Sierra and
Jennings (1998), d(t) = r + (1 - r)(1 - t^(1/e)) on the 0..1 scale of the party's utility
(e < 1 concedes late, e > 1 early), and (r, e) are weighed on a grid by how well they explain
the answers, each answer read through a logistic with spread ``SPREAD`` (the mediator's
utility estimate is uncertain). Just over half of the prior weight is on r = 0 (no outside option),
the rest spread evenly: until late in the talks rejections cannot tell a high reservation
from a party that concedes late, and then the estimate stays near 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

RESERVATIONS = np.linspace(0.0, 0.95, 20)
EXPONENTS = np.array([0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0])
SPREAD = 0.03
"""Logistic spread of an answer around the demand, on the 0..1 utility scale."""


@dataclass
class Answers:
    """One party's accept (True) / reject (False) answers: when, and about which package."""

    times: list[float] = field(default_factory=list)
    packages: list[tuple[int, ...]] = field(default_factory=list)
    accepted: list[bool] = field(default_factory=list)

    def add(self, time: float, package: tuple[int, ...], accepted: bool) -> None:
        self.times.append(time)
        self.packages.append(package)
        self.accepted.append(accepted)


def demand(time: NDArray[np.float64], reservation: float, exponent: float) -> NDArray[np.float64]:
    """The family's demand at ``time`` (0..1)."""
    return np.asarray(
        reservation + (1.0 - reservation) * (1.0 - time ** (1.0 / exponent)), dtype=np.float64
    )


def reservation_posterior(answers: Answers, worth: NDArray[np.float64]) -> NDArray[np.float64]:
    """Posterior weight of each of ``RESERVATIONS`` given the answers (``worth``: the
    estimated utility of each answered package, in the order of ``answers``)."""
    prior = np.full(RESERVATIONS.size, 0.49 / (RESERVATIONS.size - 1))
    prior[0] = 0.51
    if not answers.times:
        return prior
    t = np.asarray(answers.times)[None, None, :]
    r = RESERVATIONS[:, None, None]
    e = EXPONENTS[None, :, None]
    d = r + (1.0 - r) * (1.0 - t ** (1.0 / e))  # (R, E, answers)
    sign = np.where(np.asarray(answers.accepted), 1.0, -1.0)
    margin = sign * (worth[None, None, :] - d) / SPREAD
    loglik = -np.logaddexp(0.0, -margin).sum(axis=2)  # log sigmoid, summed over answers
    weight = np.exp(loglik - loglik.max()).sum(axis=1) * prior
    return np.asarray(weight / weight.sum(), dtype=np.float64)


def reservation_estimate(answers: Answers, worth: NDArray[np.float64]) -> float:
    """The posterior median reservation: 0 until the answers make a higher one more likely
    (the mean would put the prior's spread into every estimate)."""
    weight = np.cumsum(reservation_posterior(answers, worth))
    return float(RESERVATIONS[int(np.searchsorted(weight, 0.5))])
