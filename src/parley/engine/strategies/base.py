"""Base classes for strategies: one per role, each with a couple of hooks to write.

The engine guarantees turn order, legality, red lines and reservation values; a strategy only
handles the legal case. A strategy sees nothing but its ``View`` and the ``Ask``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

import numpy as np

from parley.engine import messages as m
from parley.engine.messages import Action, Ask, Outcome
from parley.engine.view import View
from parley.errors import EngineError
from parley.preferences import reaches

Params = Mapping[str, str | int | float | bool]


class Strategy:
    """Decides one seat's answers. Subclasses set ``name`` and ``role`` and the hooks below."""

    name: ClassVar[str]
    role: ClassVar[str]
    protocols: ClassVar[frozenset[str]] = frozenset({"direct", "shuttle", "single-text"})

    def __init__(self, rng: np.random.Generator, **params: str | int | float | bool) -> None:
        self.rng = rng
        self.params: Params = params

    def act(self, view: View, ask: Ask) -> Action:
        raise NotImplementedError

    def choice(self, key: str, options: Sequence[str]) -> str:
        """Parameter ``key``, one of ``options`` (the first is the default)."""
        value = self.params.get(key, options[0])
        if value not in options:
            raise EngineError(
                f"strategy {self.name}: parameter {key} must be one of "
                f"{', '.join(options)}, not {value!r}"
            )
        return str(value)

    def number(self, key: str, default: float) -> float:
        value = self.params.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EngineError(
                f"strategy {self.name}: parameter {key} must be a number, not {value!r}"
            )
        return float(value)


FEEDBACK_MODES = ("truthful", "exaggerate", "never-better")
"""How a negotiator answers better / same / worse (parameter ``feedback``)."""


class Negotiator(Strategy):
    """A principal's strategy. Write ``propose`` and ``accepts``; ``rate`` defaults to truth.

    Parameters every negotiator takes: ``feedback`` ("truthful" by default; "exaggerate"
    reports "worse" for anything not strictly better; "never-better" never says "better"),
    and ``confide`` (true by default: confide its preferences when a mediator invites it).
    """

    role = "principal"

    def __init__(self, rng: np.random.Generator, **params: str | int | float | bool) -> None:
        super().__init__(rng, **params)
        self.feedback = self.choice("feedback", FEEDBACK_MODES)
        confide = self.params.get("confide", True)
        if not isinstance(confide, bool):
            raise EngineError(
                f"strategy {self.name}: parameter confide must be true or false, not {confide!r}"
            )
        self.confides = confide

    def propose(self, view: View, ask: Ask) -> Outcome:
        """The package to put forward now."""
        raise NotImplementedError

    def accepts(self, view: View, offer: Outcome) -> bool:
        """Would this party sign ``offer`` now?"""
        raise NotImplementedError

    def rate(self, view: View, offer: Outcome, previous: Outcome) -> str:
        """Better, same or worse than ``previous`` (single-text feedback), as ``feedback`` says."""
        truth = self.truthful_rating(view, offer, previous)
        if self.feedback == "exaggerate":
            return "better" if truth == "better" else "worse"
        if self.feedback == "never-better":
            return "same" if truth == "better" else truth
        return truth

    @staticmethod
    def truthful_rating(view: View, offer: Outcome, previous: Outcome) -> str:
        assert view.preferences is not None
        now, before = view.preferences.utility(offer), view.preferences.utility(previous)
        if abs(now - before) < 1e-12:
            return "same"
        return "better" if now > before else "worse"

    def act(self, view: View, ask: Ask) -> Action:
        if m.CONFIDE in ask.allowed:
            return Action(m.CONFIDE if self.confides else m.DECLINE)
        if ask.offer is None:
            return Action(m.PROPOSE, self.propose(view, ask))
        data = (
            {} if ask.previous is None else {"feedback": self.rate(view, ask.offer, ask.previous)}
        )
        if (
            m.ACCEPT in ask.allowed
            and self.acceptable(view, ask.offer)
            and self.accepts(view, ask.offer)
        ):
            return Action(m.ACCEPT, data=data)
        if m.COUNTER in ask.allowed:
            return Action(
                m.COUNTER, self.propose(view, ask), statement=self.objection(view, ask.offer)
            )
        return Action(m.REJECT, data=data, statement=self.objection(view, ask.offer))

    @staticmethod
    def acceptable(view: View, offer: Outcome) -> bool:
        prefs = view.preferences
        assert prefs is not None
        return not prefs.crossed(offer) and reaches(prefs.utility(offer), view.reservation)

    @staticmethod
    def objection(view: View, offer: Outcome) -> str:
        """A statement for the mediator the first time an offer crosses one of its red lines."""
        assert view.preferences is not None
        crossed = view.preferences.crossed(offer)
        if not crossed:
            return ""
        text = f"This crosses our red line: {crossed[0].description.rstrip('.')}."
        said = any(
            msg.sender == view.party and msg.kind == m.STATEMENT and msg.text == text
            for msg in view.messages
        )
        return "" if said else text  # a delegation states a red line once, not every caucus


class Mediator(Strategy):
    """A mediator's strategy: ``carry`` (shuttle) and/or ``draft`` (single text)."""

    role = "mediator"
    confidential: ClassVar[bool] = False
    """True if the mediator invites the principals to confide their preferences to it."""

    def carry(self, view: View, ask: Ask) -> Action:
        """How to bring ``ask.offer`` (from ``ask.about``) to the party in ``ask.to``."""
        raise NotImplementedError

    def draft(self, view: View, ask: Ask) -> Outcome:
        """The single negotiating text for this round."""
        raise NotImplementedError

    def act(self, view: View, ask: Ask) -> Action:
        if ask.allowed == {m.DRAFT}:
            return Action(m.DRAFT, self.draft(view, ask))
        return self.carry(view, ask)
