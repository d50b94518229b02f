"""Privacy is the product: a party's view holds only what it may see, in every protocol.

Checked at every turn of 1,000 random sessions (random scenarios, protocols, strategies, seeds).
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator
from dataclasses import dataclass

import numpy as np
import pytest

from parley.engine import Action, Ask, Session, Settings, View
from parley.engine import drive as engine_drive
from parley.engine.messages import Kind
from parley.play import start
from parley.preferences import Preferences
from parley.scenario import Scenario
from parley.strategies import NEGOTIATORS, Strategy
from tests.scenario_factory import random_scenario

PROTOCOLS = ("direct", "shuttle", "single-text")
MEDIATORS = {
    "direct": ("relay",),
    "shuttle": ("relay", "bridging", "nash-bridging", "confidential"),
    "single-text": ("hill-climb", "annealing", "feedback", "elicit", "confidential"),
}


def reachable(root: object, limit: int = 20_000, skip: Collection[object] = ()) -> Iterator[object]:
    """Every object reachable from ``root`` through references (bounded), not through ``skip``."""
    seen: set[int] = {id(obj) for obj in skip}
    stack = [root]
    while stack and len(seen) < limit:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, type):
            continue
        seen.add(id(obj))
        yield obj
        stack.extend(gc.get_referents(obj))


def check_view(session: Session, view: View) -> None:
    party = view.party
    # A seated adviser sits in its principal's delegation: it sees what reaches that principal.
    advises = session.scenario.party(party).advises
    delegation = {party, *([advises] if advises and party in session.settings.seated else [])}
    visible = [msg for msg in session.transcript if any(msg.visible_to(p) for p in delegation)]
    assert list(view.messages) == visible, (
        "the view must hold exactly the messages the party may see"
    )
    # Profiles are reachable only through ``confided``: walk everything else first.
    for obj in reachable(view, skip=[view.confided]):
        assert not isinstance(obj, Session | Scenario), (
            "a view must not reach the session or scenario"
        )
        if isinstance(obj, Preferences):
            assert obj is view.preferences, f"{party} can reach another party's preferences"
    # ``confided`` holds exactly the profiles confided so far, and only in the mediator's view.
    confiders = {
        msg.sender
        for msg in session.transcript
        if msg.kind == Kind.CONFIDE and msg.to == (session.settings.mediator,)
    }
    if party != session.settings.mediator:
        assert not view.confided, f"{party} is not the mediator but holds confided profiles"
    else:
        assert set(view.confided) == confiders
        for confider, prefs in view.confided.items():
            owner = session.seats[confider].profile()  # with its reservation in force now
            assert prefs is owner, f"the mediator holds a profile {confider} never confided"
    for obj in reachable(view.confided):
        assert not isinstance(obj, Session | Scenario), "confided profiles reach the session"
        if isinstance(obj, Preferences):
            assert any(obj is p for p in view.confided.values()) or obj is view.preferences, (
                f"{party} reaches a profile beyond what was confided"
            )


@dataclass
class Checked:
    """A seat's strategy, with the view it is handed checked at every turn."""

    session: Session
    strategy: Strategy

    def act(self, view: View, ask: Ask) -> Action:
        check_view(self.session, view)
        return self.strategy.act(view, ask)


def drive(scenario: Scenario, settings: Settings, seed: int) -> Session:
    """Play a session through the engine's driver, checking the acting party's view each turn."""
    session, seats = start(scenario, settings, seed)
    engine_drive(session, {party: Checked(session, s) for party, s in seats.items()})
    return session


def check_channels(session: Session) -> None:
    """In mediated talks no principal ever addresses another principal directly (except in a
    scripted joint meeting, or once the talks have turned direct)."""
    if session.settings.protocol == "direct":
        return
    principals = set(session.principals)
    for msg in session.transcript:
        if msg.phase == "direct":
            break  # the talks escalated to direct by the scenario's rule
        if msg.phase == "joint":
            continue  # a joint meeting the scenario scripts seats them together
        if msg.sender in principals:
            assert not principals & set(msg.to), f"{msg.sender} addressed {msg.to} directly"


def random_session(seed: int, *, outsiders: bool) -> Session:
    """A random scenario under a random protocol, mediator and negotiators, played through
    with every acting party's view checked at every turn, and every view at the end."""
    rng = np.random.default_rng(seed)
    scenario = random_scenario(seed, outsiders=outsiders)
    protocol = PROTOCOLS[seed % 3]
    names = sorted(NEGOTIATORS)
    strategies = {p.name: names[int(rng.integers(len(names)))] for p in scenario.principals}
    mediators = MEDIATORS[protocol]
    settings = Settings.from_scenario(
        scenario,
        protocol=protocol,
        mediator=mediators[seed % len(mediators)] if protocol != "direct" else None,
        strategies=strategies,
    )
    session = drive(scenario, settings, seed)
    assert session.ended is not None
    check_channels(session)
    for party in (p.name for p in scenario.parties):
        check_view(session, session.view(party))
    return session


@pytest.mark.parametrize("block", range(10))
def test_isolation_over_random_sessions(block: int) -> None:
    for seed in range(block * 100, block * 100 + 100):
        random_session(seed, outsiders=False)


@pytest.mark.parametrize("block", range(10))
def test_isolation_with_third_parties_spoilers_and_advisers_seated(block: int) -> None:
    acted: set[str] = set()
    for seed in range(block * 100, block * 100 + 100):
        session = random_session(seed, outsiders=True)
        acted |= {m.kind for m in session.transcript if m.sender in {"S", "T", "V"}}
    # The block exercised the new seats, not just seated them.
    assert {Kind.FRAMEWORK, Kind.ADVISE, Kind.PASS} <= acted
