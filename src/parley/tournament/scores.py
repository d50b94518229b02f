"""The ANAC scores of one negotiation, as the Automated Negotiating Agents Competition reports
them (Baarslag et al., "Evaluating practical negotiating agents: results and analysis of the
2011 international competition", AIJ 198, 2013; the later ANAC reports keep the same
yardsticks):

- individual utility: each principal's utility of the agreement discounted to the time it was
  reached, ``u * d**t`` (GENIUS); without an agreement its reservation value, discounted to the
  time the talks ended (GENIUS's ``getReservationValueWithDiscount``; time 1 at the deadline);
- social welfare: the sum of those discounted utilities;
- Nash distance: the Euclidean distance, in the (undiscounted) utility space, from the point
  the negotiation ended at (the agreement's utilities, or the reservations without one) to the
  Nash point, the outcome that maximises the product of gains over the reservations
  (``parley.analysis``); None when the scenario has no Nash point (an empty zone of agreement).

Discounting uses each principal's own factor (``Preferences.discounted``); GeniusWeb and
Parley scenarios without one have ``d = 1``, and then the discounted utility is the utility.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from parley.analysis import Analysis
from parley.preferences import Preferences


@dataclass(frozen=True)
class Scores:
    """One negotiation's ANAC scores; ``discounted`` in the scenario's principal order."""

    discounted: tuple[float, ...]
    welfare: float
    nash_distance: float | None


def anac_scores(
    utilities: Sequence[float],
    time: float,
    profiles: Sequence[Preferences | None],
    analysis: Analysis | None,
) -> Scores:
    """``utilities``: each principal's utility of the agreement, or its no-deal value."""
    discounted = tuple(
        float(u) if p is None else p.discounted(float(u), time)
        for u, p in zip(utilities, profiles, strict=True)
    )
    return Scores(discounted, math.fsum(discounted), nash_distance(utilities, analysis))


def nash_distance(utilities: Sequence[float], analysis: Analysis | None) -> float | None:
    if analysis is None or analysis.nash is None:
        return None
    return math.dist(utilities, analysis.nash.utilities)
