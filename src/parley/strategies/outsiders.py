"""Built-in strategies for the seats beside the principals and the mediator.

- ``framework`` (third party): tables the framework text it likes best, by its own private
  preferences, from a given round; the engine asks the principals to endorse it; after a
  decline it revises, moving to the package among its next best that differs most from what
  was declined (the six-state group's non-aggression framework in Muscat is the model).
- ``watchful`` (spoiler): watches what is public and each round holds off, threatens or
  strikes, by a stated rule: a public package worth less to it than its reservation value is
  a threat to it; it threatens once, and strikes ``patience`` rounds later if such a package
  is still the latest public one.
- ``counsel`` (adviser): weighs every package that reaches its principal by its own private
  preferences (a technical team's view) and advises its principal alone.
"""

from __future__ import annotations

import numpy as np

from parley.engine.messages import Ask, Kind, Message, Outcome
from parley.engine.view import View
from parley.strategies.base import (
    Advice,
    Adviser,
    Draft,
    Param,
    Parameter,
    Randomness,
    Spoiler,
    ThirdParty,
)
from parley.strategies.index import ranked


class Framework(ThirdParty):
    name = "framework"
    summary = "tables its own framework text, asks for endorsement, revises after declines"
    needs_preferences = True
    parameters = (
        Parameter("at", 1, "the round in which it first tables its framework",
                  at_least=1, at_most=100_000),
        Parameter("revisions", 3, "how many times it revises the framework after declines",
                  at_least=0, at_most=1000),
        Parameter("pool", 64, "how many of its best packages it chooses revisions from",
                  at_least=1, at_most=100_000),
    )  # fmt: skip

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.tabled: list[Outcome] = []

    def framework(self, view: View, ask: Ask) -> Draft | None:
        if view.round < self.number("at") or len(self.tabled) > self.number("revisions"):
            return None
        if self.tabled and not _declined_since(view, self.tabled[-1]):
            return None  # nobody has turned the current text down
        package = self._next(view)
        if package is None:
            return None
        self.tabled.append(package)
        verb = "revises its" if len(self.tabled) > 1 else "tables a"
        return Draft(package, text=f"{view.party} {verb} framework text")

    def _next(self, view: View) -> Outcome | None:
        assert view.preferences is not None
        ranking = ranked(view.space, view.preferences)
        if not self.tabled:
            return ranking.outcome(0) if len(ranking) else None
        pool = ranking.top(int(self.number("pool")))
        declined = np.array(self.tabled)
        fresh = ~(pool[:, None, :] == declined[None, :, :]).all(axis=2).any(axis=1)
        if not fresh.any():
            return None
        # Most different from what was declined; among equals the better for itself (earlier).
        distance = (pool[:, None, :] != declined[None, :, :]).sum(axis=(1, 2))
        distance[~fresh] = -1
        return tuple(int(v) for v in pool[int(distance.argmax())])


def _declined_since(view: View, framework: Outcome) -> bool:
    tabled_at = max(
        (m.seq for m in view.messages if m.kind == Kind.FRAMEWORK and m.outcome == framework),
        default=-1,
    )
    return any(
        m.seq > tabled_at and m.kind == Kind.DECLINE and m.outcome == framework
        for m in view.messages
    )


class Watchful(Spoiler):
    name = "watchful"
    summary = "threatens when a public package falls below its reservation; strikes if it stays"
    needs_preferences = True
    parameters = (
        Parameter("patience", 1, "rounds between its threat and its strike",
                  at_least=1, at_most=100_000),
    )  # fmt: skip

    def move(self, view: View) -> Kind:
        latest = _latest_public_package(view)
        if latest is None or latest.outcome is None:
            return Kind.PASS
        if view.acceptable(latest.outcome):
            return Kind.PASS  # a public package it could live with
        threat = next(
            (
                m
                for m in reversed(view.messages)
                if m.sender == view.party and m.kind == Kind.THREATEN and m.seq > latest.seq
            ),
            None,
        )
        if threat is None:
            return Kind.THREATEN
        if view.round - threat.round >= self.number("patience"):
            return Kind.STRIKE
        return Kind.PASS


def _latest_public_package(view: View) -> Message | None:
    for message in reversed(view.messages):
        if message.public and message.outcome is not None and message.kind != Kind.AGREEMENT:
            return message
    return None


class Counsel(Adviser):
    name = "counsel"
    summary = "weighs each package reaching its principal by its own view; advises it alone"
    needs_preferences = True

    def advise(self, view: View, offer: Outcome) -> Advice:
        prefs = view.preferences
        assert prefs is not None
        crossed = prefs.crossed(offer)
        worth = prefs.utility(offer)
        signable = view.acceptable(offer)  # by its own view, on the kernel's rule
        if crossed:
            verdict = f"reject: it crosses {crossed[0].description.rstrip('.')}"
        elif signable:
            verdict = "it can be signed"
        else:
            verdict = "hold out: it is below what we can defend at home"
        text = f"Technical assessment: {verdict} (worth {worth:.2f} by our reckoning)."
        return Advice(text, signable, worth)
