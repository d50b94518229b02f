"""Base classes for strategies: one per role, each with a couple of hooks to write.

The engine guarantees turn order, legality, red lines and reservation values, and each ``Ask``
says what is asked (``ask.question``) and which answers are legal for the seat now
(``ask.allowed``): a strategy writes only the legal case. It sees nothing but its ``View`` and
the ``Ask``. Parameters are declared (``Parameter``) and checked when the strategy is built, so
a bad one is a ``StrategyError`` before any session starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from parley.engine.messages import NO_DATA, Action, Ask, Kind, Outcome, Question
from parley.engine.protocols import NAMES as PROTOCOL_NAMES
from parley.engine.view import View
from parley.errors import StrategyError
from parley.strategies.index import best_completion

Param = str | int | float | bool
Params = Mapping[str, Param]
Randomness = np.random.Generator | Callable[[], np.random.Generator]
"""A strategy's generator, or what makes it on first use."""
ALL_PROTOCOLS = frozenset(PROTOCOL_NAMES)
"""What a strategy runs unless it says otherwise: every registered protocol."""


@dataclass(frozen=True)
class Parameter:
    """A strategy parameter: its default, what it means, and what values it takes."""

    name: str
    default: Param
    help: str
    choices: tuple[str, ...] = ()
    above: float | None = None
    """Numbers must be greater than this, when set."""
    at_least: float | None = None
    at_most: float | None = None

    def check(self, strategy: str, value: object) -> Param:
        """``value`` if it is one this parameter takes, else a ``StrategyError`` saying why."""
        where = f"strategy {strategy}: parameter {self.name}"
        if self.choices:
            if value not in self.choices:
                raise StrategyError(
                    f"{where} must be one of {', '.join(self.choices)}, not {value!r}"
                )
            return str(value)
        if isinstance(self.default, bool):
            if not isinstance(value, bool):
                raise StrategyError(f"{where} must be true or false, not {value!r}")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise StrategyError(f"{where} must be a number, not {value!r}")
        if isinstance(self.default, int) and not isinstance(value, int):
            if not float(value).is_integer():
                raise StrategyError(f"{where} must be a whole number, not {value!r}")
            value = int(value)
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise StrategyError(f"{where} must be a finite number, not {value!r}")
        if self.above is not None and number <= self.above:
            raise StrategyError(f"{where} must be above {self.above:g}, not {value!r}")
        if self.at_least is not None and number < self.at_least:
            raise StrategyError(f"{where} must be at least {self.at_least:g}, not {value!r}")
        if self.at_most is not None and number > self.at_most:
            raise StrategyError(f"{where} must be at most {self.at_most:g}, not {value!r}")
        return value

    def describe(self) -> str:
        if self.choices:
            return f"{self.name}={self.default} ({' | '.join(self.choices)}): {self.help}"
        return f"{self.name}={self.default}: {self.help}"


class Strategy:
    """Decides one seat's answers. Subclasses set ``name``, ``role``, ``parameters`` and the
    hooks of their role's base class; ``act`` dispatches on ``ask.question``."""

    name: ClassVar[str]
    role: ClassVar[str]
    summary: ClassVar[str] = ""
    protocols: ClassVar[frozenset[str]] = ALL_PROTOCOLS
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    """The parameters this class adds (``declared`` gathers its bases' too)."""
    needs_preferences: ClassVar[bool] = False
    """Judges by the seat's own preferences: seating refuses a seat that has none."""

    def __init__(self, rng: Randomness, **params: Param) -> None:
        self._rng = rng
        declared = {p.name: p for p in self.declared()}
        unknown = sorted(set(params) - set(declared))
        if unknown:
            raise StrategyError(
                f"strategy {self.name}: unknown parameter {unknown[0]!r}; "
                f"it takes {', '.join(declared) or 'no parameters'}"
            )
        self.params: Params = {
            name: p.check(self.name, params.get(name, p.default)) for name, p in declared.items()
        }

    @property
    def rng(self) -> np.random.Generator:
        """The seat's own random generator (made when first used: most strategies never do)."""
        if not isinstance(self._rng, np.random.Generator):
            self._rng = self._rng()
        return self._rng

    @classmethod
    def declared(cls) -> tuple[Parameter, ...]:
        """Every parameter this strategy takes, its base classes' first."""
        return _declared(cls)

    def act(self, view: View, ask: Ask) -> Action:
        raise NotImplementedError

    def number(self, key: str) -> float:
        return float(self.params[key])

    def text(self, key: str) -> str:
        return str(self.params[key])


_DECLARED: dict[type, tuple[Parameter, ...]] = {}


def _declared(cls: type[Strategy]) -> tuple[Parameter, ...]:
    known = _DECLARED.get(cls)
    if known is None:  # once per class: every seat of every session asks
        found: dict[str, Parameter] = {}
        for klass in reversed(cls.__mro__):
            for parameter in vars(klass).get("parameters", ()):
                found[parameter.name] = parameter
        known = _DECLARED[cls] = tuple(found.values())
    return known


FEEDBACK_MODES = ("truthful", "exaggerate", "never-better")
"""How a negotiator answers better / same / worse (parameter ``feedback``)."""


class Negotiator(Strategy):
    """A principal's strategy. Write ``propose`` and ``accepts``; ``rate`` defaults to truth.

    Parameters every negotiator takes: ``feedback`` ("truthful" by default; "exaggerate"
    reports "worse" for anything not strictly better; "never-better" never says "better"),
    and ``confide`` (true by default: confide its preferences when a mediator invites it).
    """

    role = "principal"
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter(
            "feedback", "truthful", "how it answers better / same / worse", choices=FEEDBACK_MODES
        ),
        Parameter("confide", True, "confide its preferences when a mediator invites it"),
    )

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.feedback = self.text("feedback")
        self.confides = bool(self.params["confide"])
        self._worth: dict[Outcome, float] = {}

    def worth(self, view: View, outcome: Outcome) -> float:
        """This party's utility of ``outcome`` (remembered: offers come back round after round,
        and a seat's preferences never change during a session)."""
        value = self._worth.get(outcome)
        if value is None:
            assert view.preferences is not None
            value = self._worth[outcome] = view.preferences.utility(outcome)
        return value

    def propose(self, view: View, ask: Ask) -> Outcome:
        """The package to put forward now."""
        raise NotImplementedError

    def accepts(self, view: View, offer: Outcome) -> bool:
        """Would this party sign ``offer`` now? (Only asked of packages it may sign.)"""
        raise NotImplementedError

    def endorses(self, view: View, framework: Outcome) -> bool:
        """Would it endorse a third party's framework? By default: as it would accept it."""
        return self.accepts(view, framework)

    def endorses_items(self, view: View, framework: Outcome, covers: tuple[int, ...]) -> bool:
        """Would it endorse a framework covering some issues only (its items would bind the
        deal)? By default: if the best package for it that keeps those items is one it would
        accept now."""
        assert view.preferences is not None
        best = best_completion(view.space, view.preferences, {c: framework[c] for c in covers})
        return best is not None and view.acceptable(best) and self.accepts(view, best)

    def adjourns(self, view: View) -> bool:
        """At a deadline without a deal: meet again (True) or walk away? By default it meets
        again unless nothing on the agenda beats its alternative (``walks_away``)."""
        return not self.walks_away(view)

    def walks_away(self, view: View) -> bool:
        """Leave the talks when it may? (Never, by default.)"""
        return False

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
        if ask.question == Question.CONFIDE:
            return Action(Kind.CONFIDE if self.confides else Kind.DECLINE)
        if ask.question == Question.WHAT_IF:
            assert ask.offer is not None  # the engine names both packages
            assert ask.previous is not None
            feedback = self.rate(view, ask.offer, ask.previous)
            return Action(Kind.COMPARE, data={"feedback": feedback})
        if ask.question == Question.ADJOURN:
            if self.adjourns(view):
                return Action(Kind.ADJOURN)
            return Action(Kind.WALK_AWAY, statement="We see no point in meeting again.")
        if Kind.WALK_AWAY in ask.allowed and self.walks_away(view):
            return Action(Kind.WALK_AWAY, statement="Nothing on this agenda beats our alternative.")
        if ask.question == Question.PROPOSE or ask.offer is None:
            return Action(Kind.PROPOSE, self.propose(view, ask))
        if ask.question == Question.ENDORSE:
            endorses = (
                self.endorses(view, ask.offer)
                if ask.covers is None
                else self.endorses_items(view, ask.offer, ask.covers)
            )
            if Kind.ENDORSE in ask.allowed and endorses:
                return Action(Kind.ENDORSE)
            return Action(Kind.DECLINE, statement=self.objection(view, ask.offer))
        return self.review(view, ask, ask.offer)

    def review(self, view: View, ask: Ask, offer: Outcome) -> Action:
        """Accept the package on the table, counter it, or reject it."""
        data = (
            NO_DATA if ask.previous is None else {"feedback": self.rate(view, offer, ask.previous)}
        )
        if Kind.ACCEPT in ask.allowed and self.accepts(view, offer):
            return Action(Kind.ACCEPT, data=data)
        if Kind.COUNTER in ask.allowed:
            return Action(
                Kind.COUNTER, self.propose(view, ask), statement=self.objection(view, offer)
            )
        return Action(Kind.REJECT, data=data, statement=self.objection(view, offer))

    @staticmethod
    def objection(view: View, offer: Outcome) -> str:
        """A statement the first time an offer crosses one of its red lines."""
        assert view.preferences is not None
        if not view.preferences.red_lines:
            return ""
        crossed = view.preferences.crossed(offer)
        if not crossed:
            return ""
        text = f"This crosses our red line: {crossed[0].description.rstrip('.')}."
        said = any(
            msg.sender == view.party and msg.kind == Kind.STATEMENT and msg.text == text
            for msg in view.messages
        )
        return "" if said else text  # a delegation states a red line once, not every caucus


@dataclass(frozen=True)
class Draft:
    """What a mediator tables as the single text, and the earlier draft (by message number)
    the parties should compare it with (None: the one before)."""

    package: Outcome
    against: int | None = None
    text: str = ""


class Mediator(Strategy):
    """A mediator's strategy: ``carry`` (shuttle) and/or ``draft`` (single text)."""

    role = "mediator"
    confidential: ClassVar[bool] = False
    """True if the mediator invites the principals to confide their preferences to it."""

    def carry(self, view: View, ask: Ask) -> Action:
        """How to bring ``ask.offer`` (from ``ask.about``) to the party in ``ask.to``: relay it,
        reframe it, or table a draft of its own."""
        raise NotImplementedError

    def draft(self, view: View, ask: Ask) -> Draft:
        """The single negotiating text for this round."""
        raise NotImplementedError

    def consult(self, view: View, ask: Ask) -> Action:
        """In a private consultation with the delegation in ``ask.to``: float an idea of its
        own (``Kind.DRAFT``) or listen (``Kind.PASS``). By default it floats what it would
        carry there, if that is its own (a reframe or a draft), and listens otherwise."""
        listen = Action(Kind.PASS, text="listens")
        if ask.offer is None:
            return listen
        carried = self.carry(view, ask)
        if carried.kind == Kind.RELAY or carried.outcome in (None, ask.offer):
            return listen
        return Action(Kind.DRAFT, carried.outcome, text=carried.text)

    def inquire(self, view: View, ask: Ask) -> Outcome | None:
        """Caucus questions: a package to ask the delegation in ``ask.to`` about ("what if the
        package were this?"; it compares it with ``ask.offer``), or None to ask no more in this
        caucus. By default it asks nothing."""
        return None

    def act(self, view: View, ask: Ask) -> Action:
        if ask.question == Question.INQUIRE:
            package = self.inquire(view, ask)
            return Action(Kind.PASS) if package is None else Action(Kind.WHAT_IF, package)
        if ask.question == Question.CONSULT:
            return self.consult(view, ask)
        if ask.question == Question.DRAFT:
            draft = self.draft(view, ask)
            data = {} if draft.against is None else {"against": draft.against}
            return Action(Kind.DRAFT, draft.package, text=draft.text, data=data)
        return self.carry(view, ask)


class ThirdParty(Strategy):
    """A third party's strategy: write ``framework`` (what to table at a round's opening)."""

    role = "third-party"

    def framework(self, view: View, ask: Ask) -> Draft | None:
        """The framework text to table or revise now, or None to let the round go by."""
        raise NotImplementedError

    def act(self, view: View, ask: Ask) -> Action:
        draft = self.framework(view, ask)
        if draft is None:
            return Action(Kind.PASS)
        return Action(Kind.FRAMEWORK, draft.package, text=draft.text)


class Spoiler(Strategy):
    """A spoiler's strategy: write ``move`` (hold off, threaten or strike) from what is public."""

    role = "spoiler"

    def move(self, view: View) -> Kind:
        """``Kind.PASS`` (hold off), ``Kind.THREATEN`` or ``Kind.STRIKE`` (ends the talks)."""
        raise NotImplementedError

    def act(self, view: View, ask: Ask) -> Action:
        move = self.move(view)
        words = {
            Kind.PASS: "holds off",
            Kind.THREATEN: f"{view.party} warns it will act if a deal on these terms goes ahead",
            Kind.STRIKE: f"{view.party} strikes; the talks are cancelled",
        }
        return Action(move, text=words[move])


@dataclass(frozen=True)
class Advice:
    """What an adviser tells its principal about a package."""

    text: str
    signable: bool
    worth: float


class Adviser(Strategy):
    """An adviser's strategy: write ``advise`` (its word to its principal on a package)."""

    role = "adviser"

    def advise(self, view: View, offer: Outcome) -> Advice:
        raise NotImplementedError

    def act(self, view: View, ask: Ask) -> Action:
        assert ask.offer is not None  # advisers are asked only about packages
        advice = self.advise(view, ask.offer)
        data = {"worth": round(advice.worth, 6), "signable": advice.signable}
        return Action(Kind.ADVISE, text=advice.text, data=data)
