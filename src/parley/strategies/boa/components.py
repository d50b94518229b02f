"""Components of a BOA negotiator and their registry.

The BOA architecture (Baarslag, Hindriks, Hendrikx, Dirkzwager and Jonker, "Decoupling
negotiating agents to explore the space of negotiation strategies", ACAN 2012) splits a negotiator
into three parts that can be swapped independently:

- a **bidding** strategy (``kind = "bidding"``): what own utility to aim at now, and which
  package to offer at that level (``parley.strategies.boa.bidding``);
- an **acceptance** strategy (``kind = "acceptance"``): whether to sign the offer on the table
  (``parley.strategies.boa.acceptance``);
- an **opponent model** (``kind = "model"``): the estimated utility of packages for the other
  side, learned from its offers (``parley.strategies.boa.models``).

A component is a small class: ``kind``, ``name``, ``summary``, ``source`` (the citation) and
its declared ``parameters`` (the same ``Parameter`` records strategies use, checked when the
component is built). It is registered by name with ``component`` (a class decorator) and named
in text as ``name`` or ``name:key=value:key=value`` (``ComponentSpec``), which is how a
composition names its parts: ``boa:bidding=time:exponent=0.2,acceptance=ac-next,model=frequency``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

import numpy as np

from parley.engine.messages import Outcome
from parley.engine.view import View
from parley.errors import StrategyError, UnknownNameError
from parley.strategies.base import Param, Parameter, Params
from parley.strategies.index import RankedOutcomes
from parley.strategies.registry import REGISTRY

KINDS = ("bidding", "acceptance", "model")


@dataclass(frozen=True)
class Received:
    """An offer the other side made, as this side saw it."""

    outcome: Outcome
    time: float
    utility: float
    """Its utility for this side."""


@dataclass(frozen=True)
class Situation:
    """What a bidding or acceptance strategy sees on a turn: the seat's view, its own ranking
    of the packages it may sign (``ranking``: best first, ``utility``), and the offers it has
    received so far (the latest last)."""

    view: View
    ranking: RankedOutcomes
    received: Sequence[Received]
    rng: np.random.Generator

    @property
    def time(self) -> float:
        return self.view.time

    @property
    def reservation(self) -> float:
        return self.view.reservation

    @property
    def best(self) -> float:
        """The best own utility on the agenda (the reservation when nothing is signable)."""
        best = self.ranking.best
        return self.view.reservation if best is None else best

    def utility(self, outcome: Outcome) -> float:
        assert self.view.preferences is not None  # a BOA seat needs its preferences
        return self.view.preferences.utility(outcome)


class Component:
    """A part of a BOA negotiator. Subclasses set the class attributes and their own hooks."""

    kind: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str] = ""
    source: ClassVar[str] = ""
    """Where it comes from: the paper (authors, year, title) it is built from."""
    parameters: ClassVar[tuple[Parameter, ...]] = ()

    def __init__(self, **params: Param) -> None:
        self.params: Params = check_params(type(self), params)

    def number(self, key: str) -> float:
        return float(self.params[key])

    def spec(self) -> ComponentSpec:
        """The text that builds this component again (every parameter as it is set)."""
        return ComponentSpec(self.kind, self.name, dict(self.params))


def declared(cls: type[Component]) -> tuple[Parameter, ...]:
    """Every parameter ``cls`` takes, its base classes' first."""
    found: dict[str, Parameter] = {}
    for klass in reversed(cls.__mro__):
        for parameter in vars(klass).get("parameters", ()):
            found[parameter.name] = parameter
    return tuple(found.values())


def check_params(cls: type[Component], params: Params) -> Params:
    """``params`` with defaults filled in, each checked; a ``StrategyError`` names a bad one."""
    known = {p.name: p for p in declared(cls)}
    unknown = sorted(set(params) - set(known))
    label = f"boa: {cls.kind} {cls.name}"
    if unknown:
        raise StrategyError(
            f"strategy {label}: unknown parameter {unknown[0]!r}; "
            f"it takes {', '.join(known) or 'no parameters'}"
        )
    return {name: p.check(label, params.get(name, p.default)) for name, p in known.items()}


@dataclass(frozen=True)
class Registered:
    """A registered component class and where it comes from ("built-in", "file PATH")."""

    cls: type[Component]
    origin: str


class Components:
    """Component classes by kind and name, remembering where each came from."""

    def __init__(self) -> None:
        self.by_kind: dict[str, dict[str, Registered]] = {kind: {} for kind in KINDS}

    def register(self, cls: type[Component]) -> None:
        kind, name = getattr(cls, "kind", None), getattr(cls, "name", None)
        if kind not in self.by_kind or not isinstance(name, str) or not name:
            raise StrategyError(
                f"component class {cls.__name__} needs a name and a kind, one of {', '.join(KINDS)}"
            )
        # A plug-in file being imported sets the strategies registry's origin: share it.
        self.by_kind[kind][name] = Registered(cls, REGISTRY.origin)

    def find(self, kind: str, name: str) -> type[Component]:
        found = self.by_kind.get(kind, {}).get(name)
        if found is None:
            raise UnknownNameError(f"{kind} component", name, self.by_kind.get(kind, {}))
        return found.cls

    def entries(self) -> Iterator[Registered]:
        for kind in KINDS:
            yield from self.by_kind[kind].values()


COMPONENTS = Components()
C = TypeVar("C", bound=type[Component])


def component(cls: C) -> C:
    """Register a component class under its ``kind`` and ``name`` (a class decorator)."""
    COMPONENTS.register(cls)
    return cls


@dataclass(frozen=True)
class ComponentSpec:
    """A component named in text: ``name`` or ``name:key=value:key=value``."""

    kind: str
    name: str
    params: Params = field(default_factory=dict)

    @classmethod
    def from_text(cls, kind: str, text: str) -> ComponentSpec:
        from parley.engine.settings import _value  # one reader of values for every name

        name, *items = (part.strip() for part in text.split(":"))
        if not name:
            raise StrategyError(f"boa: {kind} {text!r} has no component name before ':'")
        params: dict[str, Param] = {}
        for item in items:
            key, sep, raw = item.partition("=")
            if not sep or not key.strip():
                raise StrategyError(
                    f"boa: {kind} {text!r}: {item!r} is not key=value "
                    "(expected e.g. bidding=time:exponent=0.2)"
                )
            if key.strip() in params:
                raise StrategyError(f"boa: {kind} {text!r}: {key.strip()!r} is given twice")
            params[key.strip()] = _value(raw.strip())
        return cls(kind, name, params)

    def to_text(self) -> str:
        return ":".join([self.name, *(f"{k}={_text(v)}" for k, v in self.params.items())])

    def build(self) -> Component:
        """The component, its parameters checked (a ``StrategyError`` or ``UnknownNameError``
        names a bad one and lists the valid ones)."""
        return COMPONENTS.find(self.kind, self.name)(**dict(self.params))


def _text(value: Param) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def build(kind: str, text: str) -> Component:
    """The component of ``kind`` named by ``text`` (``name:key=value:...``)."""
    return ComponentSpec.from_text(kind, text).build()
