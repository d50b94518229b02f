"""The rules and line-up of one session: the scenario's protocol section plus overrides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from parley.engine.protocols import NAMES
from parley.errors import ScenarioError, UnknownNameError
from parley.scenario import Scenario
from parley.scenario.schema import StrategyDoc

DEFAULT_MEDIATOR = {"shuttle": "relay", "single-text": "hill-climb"}
"""The mediator a protocol falls back on when the scenario's mediator strategy cannot run it."""

Params = Mapping[str, str | int | float | bool]


@dataclass(frozen=True)
class StrategySpec:
    """A registered strategy name and its parameters."""

    name: str
    params: Params = field(default_factory=dict)

    @classmethod
    def parse(cls, value: StrategyDoc | str) -> StrategySpec:
        if isinstance(value, str):
            return cls(value)
        return cls(value.name, dict(value.params))

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

    @classmethod
    def from_scenario(
        cls,
        scenario: Scenario,
        *,
        protocol: str | None = None,
        rounds: int | None = None,
        mediator: str | None = None,
        strategies: Mapping[str, str] | None = None,
    ) -> Settings:
        """Settings from the scenario's ``[protocol]`` section, with command-line overrides.

        ``mediator`` overrides the mediator's *strategy*; ``strategies`` maps party -> strategy.
        """
        doc = scenario.protocol
        kind = protocol or doc.kind
        if kind not in NAMES:
            raise UnknownNameError("protocol", kind, NAMES)
        principals = [p.name for p in scenario.principals]
        order = tuple(doc.order) + tuple(p for p in principals if p not in doc.order)
        mediator_party = doc.mediator or next((p.name for p in scenario.mediators), None)
        specs = {
            p: StrategySpec.parse(doc.strategies.get(p, doc.default_strategy)) for p in principals
        }
        if mediator_party is not None:
            chosen = StrategySpec.parse(doc.strategies.get(mediator_party, doc.mediator_strategy))
            if mediator is not None:
                chosen = StrategySpec(mediator)
            elif protocol is not None:
                chosen = _fitting_mediator(chosen, kind)
            specs[mediator_party] = chosen
        elif mediator is not None:
            raise ScenarioError(
                scenario.source,
                "parties",
                "--mediator given but the scenario has no mediator",
                expected="a party with role = 'mediator'",
            )
        for party, name in (strategies or {}).items():
            if party not in specs:
                raise ScenarioError(
                    scenario.source,
                    "--strategy",
                    "unknown party",
                    value=party,
                    expected=f"one of {', '.join(specs)}",
                )
            specs[party] = StrategySpec(name)
        if kind != "direct" and mediator_party is None:
            raise ScenarioError(
                scenario.source,
                "protocol.kind",
                f"the {kind} protocol needs a mediator",
                value=kind,
                expected="a party with role = 'mediator'",
            )
        escalation = doc.escalation
        return cls(
            protocol=kind,
            rounds=rounds if rounds is not None else doc.rounds,
            order=order,
            mediator=mediator_party,
            strategies=specs,
            escalate_gap=escalation.gap_below if escalation else None,
            escalate_after=escalation.after_round if escalation else None,
            confide=kind != "direct" and _holds_confidences(specs.get(mediator_party or "")),
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
        )


def _fitting_mediator(spec: StrategySpec, protocol: str) -> StrategySpec:
    """The scenario's mediator strategy, or the protocol's default when it cannot run it."""
    from parley.engine.strategies import MEDIATORS

    cls = MEDIATORS.get(spec.name)
    if cls is None or protocol in cls.protocols or protocol not in DEFAULT_MEDIATOR:
        return spec
    return StrategySpec(DEFAULT_MEDIATOR[protocol])


def _holds_confidences(spec: StrategySpec | None) -> bool:
    """Does this mediator strategy want the principals' confided profiles?"""
    from parley.engine.strategies import MEDIATORS

    cls = MEDIATORS.get(spec.name) if spec is not None else None
    return bool(cls is not None and cls.confidential)


def _optional_float(value: object) -> float | None:
    return None if value is None else float(str(value))


def _optional_int(value: object) -> int | None:
    return None if value is None else int(str(value))
