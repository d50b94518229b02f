"""Acceptance strategies: sign the offer on the table, or not.

An acceptance strategy writes ``accepts(s, offered, planned)``: ``offered`` is the own utility
of the offer on the table, ``planned`` the own utility of the package this side would offer in
reply (what its bidding strategy plans now). The engine asks only about packages the seat may
sign (its red lines and reservation are checked there), so none of these re-checks them.

The conditions are those compared in Baarslag, Hindriks and Jonker 2013, "Acceptance
conditions in automated negotiation" (*Complex Automated Negotiations: Theories, Models, and
Software Competitions*, SCI 435, Springer).
"""

from __future__ import annotations

from parley.strategies.base import Parameter
from parley.strategies.boa.components import Component, Situation, component

SOURCE = "Baarslag, Hindriks, Jonker 2013, Acceptance conditions in automated negotiation"


class Acceptance(Component):
    """An acceptance strategy: write ``accepts``."""

    kind = "acceptance"

    def accepts(self, s: Situation, offered: float, planned: float) -> bool:
        raise NotImplementedError


@component
class Next(Acceptance):
    name = "ac-next"
    summary = "accepts what is worth at least alpha * (its own next offer) + beta"
    source = SOURCE
    parameters = (
        Parameter("alpha", 1.0, "scale on its next offer's utility", at_least=0.0),
        Parameter("beta", 0.0, "added to the scaled utility", at_least=-1.0, at_most=1.0),
    )

    def accepts(self, s: Situation, offered: float, planned: float) -> bool:
        return offered >= self.number("alpha") * planned + self.number("beta") - 1e-12


@component
class Constant(Acceptance):
    name = "ac-const"
    summary = "accepts what is worth at least a fixed utility"
    source = SOURCE
    parameters = (Parameter("level", 0.8, "the utility it accepts", at_least=0.0, at_most=1.0),)

    def accepts(self, s: Situation, offered: float, planned: float) -> bool:
        return offered >= self.number("level") - 1e-12


@component
class Time(Acceptance):
    name = "ac-time"
    summary = "accepts anything it may sign once the time reaches a point"
    source = SOURCE
    parameters = (
        Parameter("at", 0.99, "the time from which it accepts", at_least=0.0, at_most=1.0),
    )

    def accepts(self, s: Situation, offered: float, planned: float) -> bool:
        return s.time >= self.number("at")


@component
class Combi(Acceptance):
    name = "ac-combi"
    summary = "AC_next, or after time T the best offer of a window as long as the time left (MAX^W)"
    source = SOURCE
    parameters = (
        Parameter(
            "at", 0.98, "the time T after which the window test applies", at_least=0.0, at_most=1.0
        ),
    )

    def accepts(self, s: Situation, offered: float, planned: float) -> bool:
        if offered >= planned - 1e-12:  # AC_next
            return True
        t = s.time
        if t < self.number("at"):
            return False
        # MAX^W: the best offer received in the window [t - (1 - t), t] (the one on the table,
        # if received, counts: it is the best when nothing in the window beats it); an empty
        # window (the paper leaves it open) accepts: nothing better came in that long.
        window = [r.utility for r in s.received if r.time >= 2.0 * t - 1.0]
        return offered >= max(window, default=offered) - 1e-12


ACCEPTANCE = ("ac-next", "ac-const", "ac-time", "ac-combi")
