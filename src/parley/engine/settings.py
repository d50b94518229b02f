"""The rules and line-up of one session: the scenario's protocol section plus overrides.

Settings are plain data (they go into every transcript's header). Which strategy class sits
where, and whether the mediator invites confidences, is decided by the driver
(``parley.strategies.seating``), never here: the engine knows no strategy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from parley.engine import protocols, script
from parley.engine.messages import Outcome
from parley.engine.script import Phase
from parley.errors import ScenarioError, StrategyError, did_you_mean
from parley.scenario import Scenario
from parley.scenario.schema import StrategyDoc

Param = str | int | float | bool
Params = Mapping[str, Param]


@dataclass(frozen=True)
class StrategySpec:
    """A registered strategy name and its parameters."""

    name: str
    params: Params = field(default_factory=dict)

    @classmethod
    def parse(cls, value: StrategyDoc | str) -> StrategySpec:
        if isinstance(value, str):
            return cls.from_text(value)
        return cls(value.name, dict(value.params))

    @classmethod
    def from_text(cls, text: str) -> StrategySpec:
        """``name`` or ``name:key=value,key=value`` (numbers and true/false are read as such),
        as written on the command line: ``boulware:exponent=4``."""
        name, _, rest = text.partition(":")
        params: dict[str, Param] = {}
        for item in filter(None, (part.strip() for part in rest.split(","))):
            key, sep, raw = item.partition("=")
            if not sep or not key.strip():
                raise StrategyError(
                    f"strategy {text!r}: parameter {item!r} is not key=value "
                    "(expected e.g. boulware:exponent=4)"
                )
            if key.strip() in params:
                raise StrategyError(f"strategy {text!r}: parameter {key.strip()!r} is given twice")
            params[key.strip()] = _value(raw.strip())
        if not name.strip():
            raise StrategyError(f"strategy {text!r}: no strategy name before ':'")
        return cls(name.strip(), params)

    def to_text(self) -> str:
        if not self.params:
            return self.name
        return self.name + ":" + ",".join(f"{k}={_text(v)}" for k, v in self.params.items())

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "params": dict(self.params)}


@dataclass(frozen=True)
class Settings:
    protocol: str
    rounds: int
    order: tuple[str, ...]
    mediator: str | None
    strategies: Mapping[str, StrategySpec]
    escalate_gap: float | None = None
    escalate_after: int | None = None
    confide: bool = False
    """Mediated talks open by inviting each principal to confide its profile to the mediator."""
    people: tuple[str, ...] = ()
    """Seats held by people (the web room): replay takes their recorded answers as they are."""
    script: tuple[Phase, ...] = ()
    """The shuttle's scripted phases, one round each (``engine.script``)."""
    opening: Mapping[str, Outcome] = field(default_factory=dict)
    """Standing positions the talks start from (principal -> package), from an earlier
    session of a track."""
    clock: str = "turns"
    """How a principal's time runs: with every principal's turn (``turns``), or by rounds only
    (``rounds``, how sessions recorded before the turn clock replay)."""
    hazards: bool = True
    """Random hazards act: random timeline events may fire, spoilers may strike at random.
    ``parley run`` plays without them unless asked (``--hazards``)."""
    horizon: int | None = None
    """Rounds the principals expect the whole negotiation to take (time-based strategies pace
    their concessions over it); None: this session's rounds."""
    elapsed: int = 0
    """Rounds held in earlier sessions of the same talks (a track's later sessions)."""
    briefings: bool = False
    """The mediator tells the press where the positions meet at every round's opening."""
    at_deadline: str = "end"
    """``end``: a deadline without a deal ends the talks; ``adjourn``: the principals are asked
    to adjourn with the issues agreed so far."""
    questions: int = 0
    """Shuttle caucus questions: after each answer in a caucus, the mediator may ask the
    delegation how up to this many packages compare ("what if...?"); 0, the default: none."""

    @property
    def seated(self) -> tuple[str, ...]:
        """Every party that acts: held by a strategy or by a person. Third parties, spoilers
        and advisers take turns only when seated."""
        return tuple(dict.fromkeys([*self.strategies, *self.people]))

    @classmethod
    def from_scenario(
        cls,
        scenario: Scenario,
        *,
        protocol: str | None = None,
        rounds: int | None = None,
        mediator: str | StrategySpec | None = None,
        strategies: Mapping[str, str | StrategySpec] | None = None,
    ) -> Settings:
        """Settings from the scenario's ``[protocol]`` section, with command-line overrides.

        ``mediator`` overrides the mediator's *strategy*; ``strategies`` maps party -> strategy
        (a principal's, or a third party's, spoiler's or adviser's, which seats it).
        """
        doc = scenario.protocol
        kind = protocol or doc.kind
        if kind not in protocols.PROTOCOLS:
            raise ScenarioError(
                scenario.source,
                "--protocol" if protocol else "protocol.kind",
                f"unknown protocol{did_you_mean(kind, protocols.NAMES)}",
                value=kind,
                expected=f"one of {', '.join(protocols.NAMES)}",
            )
        rules = protocols.protocol(kind)
        principals = [p.name for p in scenario.principals]
        order = tuple(doc.order) + tuple(p for p in principals if p not in doc.order)
        mediator_party = doc.mediator or next((p.name for p in scenario.mediators), None)
        if rules.mediated and mediator_party is None:
            raise ScenarioError(
                scenario.source,
                "protocol.kind",
                f"the {kind} protocol needs a mediator",
                value=kind,
                expected="a party with role = 'mediator'",
            )
        if mediator is not None and not rules.mediated:
            raise ScenarioError(
                scenario.source,
                "--mediator",
                f"the {kind} protocol seats no mediator",
                value=_spec(mediator).name,
                expected="a mediated protocol (--protocol shuttle or single-text)",
            )
        specs = {
            p: StrategySpec.parse(doc.strategies.get(p, doc.default_strategy)) for p in principals
        }
        if rules.mediated and mediator_party is not None:
            chosen = StrategySpec.parse(doc.strategies.get(mediator_party, doc.mediator_strategy))
            specs[mediator_party] = chosen if mediator is None else _spec(mediator)
        outside = {p.name for p in scenario.parties if p.role not in ("principal", "mediator")}
        for party, declared in doc.strategies.items():
            if party in outside:
                specs[party] = StrategySpec.parse(declared)
        for party, value in (strategies or {}).items():
            if party not in specs and party not in outside:
                known = [*specs, *sorted(outside - set(specs))]
                raise ScenarioError(
                    scenario.source,
                    "--strategy",
                    f"unknown party{did_you_mean(party, known)}",
                    value=party,
                    expected=f"one of {', '.join(known)}",
                )
            specs[party] = _spec(value)
        if doc.script and not rules.scripted and protocol is None:
            raise ScenarioError(
                scenario.source,
                "protocol.script",
                f"the {kind} protocol follows no script",
                value=kind,
                expected="protocol kind 'shuttle' (or remove the script)",
            )
        escalation = doc.escalation
        return cls(
            protocol=kind,
            rounds=rounds if rounds is not None else doc.rounds,
            order=order,
            mediator=mediator_party if rules.mediated else None,
            strategies=specs,
            escalate_gap=escalation.gap_below if escalation else None,
            escalate_after=escalation.after_round if escalation else None,
            # A script belongs to the shuttle: another protocol chosen on the command line
            # plays without it.
            script=script.from_docs(doc.script) if rules.scripted else (),
            at_deadline=doc.at_deadline,
            briefings=doc.briefings and rules.mediated,
            opening={p: scenario.space.from_values(v) for p, v in doc.opening.items()},
            horizon=doc.horizon,
            elapsed=doc.elapsed,
            questions=doc.questions if kind == "shuttle" else 0,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "protocol": self.protocol,
            "rounds": self.rounds,
            "order": list(self.order),
            "mediator": self.mediator,
            "strategies": {p: s.to_json() for p, s in self.strategies.items()},
            "escalate_gap": self.escalate_gap,
            "escalate_after": self.escalate_after,
            "confide": self.confide,
            # Only when people sat: transcripts of all-strategy runs stay as they were.
            **({"people": list(self.people)} if self.people else {}),
            **({"script": script.to_json(self.script)} if self.script else {}),
            **({"at_deadline": self.at_deadline} if self.at_deadline != "end" else {}),
            **({"briefings": True} if self.briefings else {}),
            "clock": self.clock,
            **({"hazards": False} if not self.hazards else {}),
            **({"horizon": self.horizon} if self.horizon is not None else {}),
            **({"elapsed": self.elapsed} if self.elapsed else {}),
            **({"opening": {p: list(v) for p, v in self.opening.items()}} if self.opening else {}),
            **({"questions": self.questions} if self.questions else {}),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Settings:
        strategies = data["strategies"]
        assert isinstance(strategies, dict)
        return cls(
            protocol=str(data["protocol"]),
            rounds=int(str(data["rounds"])),
            order=tuple(str(p) for p in data["order"]),  # type: ignore[attr-defined]
            mediator=None if data["mediator"] is None else str(data["mediator"]),
            strategies={
                p: StrategySpec(s["name"], s.get("params", {})) for p, s in strategies.items()
            },
            escalate_gap=_optional_float(data.get("escalate_gap")),
            escalate_after=_optional_int(data.get("escalate_after")),
            confide=data.get("confide") is True,
            people=tuple(str(p) for p in data.get("people", ())),  # type: ignore[attr-defined]
            script=script.from_json(data.get("script", [])),
            at_deadline=str(data.get("at_deadline", "end")),
            briefings=data.get("briefings") is True,
            hazards=data.get("hazards") is not False,
            # Records made before the turn clock carry none: they ran by rounds.
            clock=str(data.get("clock", "rounds")),
            horizon=_optional_int(data.get("horizon")),
            elapsed=int(str(data.get("elapsed", 0))),
            questions=int(str(data.get("questions", 0))),
            opening={
                str(p): tuple(int(i) for i in v)
                for p, v in dict(data.get("opening", {})).items()  # type: ignore[call-overload]
            },
        )


def _spec(value: str | StrategySpec) -> StrategySpec:
    return value if isinstance(value, StrategySpec) else StrategySpec.from_text(value)


def _value(raw: str) -> Param:
    """A command-line parameter value: true/false, an int, a float, else the text."""
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            continue
    return raw


def _text(value: Param) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _optional_float(value: object) -> float | None:
    return None if value is None else float(str(value))


def _optional_int(value: object) -> int | None:
    return None if value is None else int(str(value))
