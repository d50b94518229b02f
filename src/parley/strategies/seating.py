"""Who sits where: the driver's side of a session's line-up.

``settle`` completes a session's ``Settings`` with what depends on the strategies (a mediator
strategy that can run the protocol; whether it invites confidences); ``seat`` builds a
strategy, with its own seeded generator, for every seat that no person holds. The engine
reads neither: it only sees the answers.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np

from parley.engine.protocols import protocol
from parley.engine.settings import Settings, StrategySpec
from parley.errors import StrategyError, UnknownNameError
from parley.scenario import Scenario
from parley.strategies.base import Mediator, Randomness, Strategy
from parley.strategies.registry import REGISTRY


def settle(scenario: Scenario, settings: Settings, *, named: bool = False) -> Settings:
    """``settings`` with the mediator's strategy decided and the confiding rule set.

    One rule for the mediator's strategy: the one the scenario file names gives way to the
    protocol's default when the talks run under another protocol than the file's and it cannot
    run that one. A strategy the user ``named`` (``--mediator``, a tournament's mediators, the
    room's choice) is never replaced: one that cannot run the protocol is an error, as is the
    file's own under the file's own protocol (``parley validate`` says so)."""
    mediator = settings.mediator
    if mediator is None:
        return settings
    spec = settings.strategies.get(mediator)
    strategies = dict(settings.strategies)
    if spec is not None and not named and settings.protocol != scenario.protocol.kind:
        spec = _fitting(spec, settings.protocol)
        strategies[mediator] = spec
    holds = spec is not None and _holds_confidences(spec)
    confide = settings.confide or (holds and protocol(settings.protocol).mediated)
    return replace(settings, strategies=strategies, confide=confide)


def seat(scenario: Scenario, settings: Settings, seed: int) -> dict[str, Strategy]:
    """A strategy for every seat not held by a person, each with its own seeded generator."""
    people = set(settings.people)
    names = [p.name for p in scenario.parties]
    seats: dict[str, Strategy] = {}
    mediated = protocol(settings.protocol).mediated
    for party, spec in settings.strategies.items():
        if party in people or party not in names:
            continue
        if scenario.party(party).role == "mediator" and not (
            mediated and party == settings.mediator
        ):
            continue  # no seat for it: direct talks (older transcripts still name a strategy)
        rng = partial(_generator, seed, 1 + names.index(party))
        seats[party] = build(spec, scenario, party, settings.protocol, rng)
    return seats


def build(
    spec: StrategySpec, scenario: Scenario, party: str, protocol_name: str, rng: Randomness
) -> Strategy:
    """The strategy ``spec`` names, for ``party``'s seat under ``protocol_name``."""
    role = scenario.party(party).role
    try:
        cls = REGISTRY.find(role, spec.name)
    except UnknownNameError as exc:  # say whose seat names it: a file may name several
        raise UnknownNameError(exc.kind, exc.name, exc.known, where=party) from None
    if protocol_name not in cls.protocols:
        fitting = [n for n, c in REGISTRY.by_role[role].items() if protocol_name in c.protocols]
        raise StrategyError(
            f"the {spec.name} {role} strategy cannot run the {protocol_name} protocol; "
            f"those that can: {', '.join(fitting)}"
        )
    if cls.needs_preferences and scenario.party(party).preferences is None:
        raise StrategyError(
            f"{party}: the {spec.name} strategy judges by its own preferences, and {party} has "
            "none in the scenario (add [parties.preferences])"
        )
    return cls(rng, **dict(spec.params))


def _generator(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, stream]))


def check(scenario: Scenario, settings: Settings) -> None:
    """Build every seat once, so a bad name or parameter fails before a session starts."""
    seat(scenario, settings, 0)


def _fitting(spec: StrategySpec, protocol_name: str) -> StrategySpec:
    """The scenario's mediator strategy, or the protocol's default when it cannot run it."""
    cls = REGISTRY.by_role["mediator"].get(spec.name)
    fallback = protocol(protocol_name).default_mediator
    if cls is None or protocol_name in cls.protocols or fallback is None:
        return spec
    return StrategySpec(fallback)


def _holds_confidences(spec: StrategySpec) -> bool:
    cls = REGISTRY.by_role["mediator"].get(spec.name)
    return cls is not None and issubclass(cls, Mediator) and cls.confidential
