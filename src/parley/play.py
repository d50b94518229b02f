"""Playing sessions with strategies: the engine's driver joined to the strategies' seating.

session = run(scenario, settings, seed)            # a whole session, every seat a strategy
session, seats = start(scenario, settings, seed)   # to drive it yourself (engine.drive)
session, seats = resume(scenario, settings, seed, recorded_messages)
"""

from __future__ import annotations

from collections.abc import Sequence

from parley.engine import Listener, Message, Result, Session, Settings
from parley.engine.drive import answers_in, check_same, drive
from parley.engine.messages import ENGINE, Kind
from parley.engine.session import ENDED
from parley.scenario import Scenario
from parley.strategies import Strategy
from parley.strategies.seating import seat, settle


def start(
    scenario: Scenario, settings: Settings, seed: int, *, named_mediator: bool = False
) -> tuple[Session, dict[str, Strategy]]:
    """A new session and a strategy for every seat no person holds (every seat is built
    first, so a bad strategy name or parameter fails before the talks start); the line-up is
    settled first (``strategies.seating.settle``: pass ``named_mediator`` when the user chose
    the mediator's strategy)."""
    settings = settle(scenario, settings, named=named_mediator)
    seats = seat(scenario, settings, seed)
    return Session(scenario, settings, seed), seats


def run(
    scenario: Scenario,
    settings: Settings,
    seed: int,
    listeners: Sequence[Listener] = (),
) -> Session:
    """A finished session of ``scenario`` under ``settings``, every seat played by its strategy."""
    session, seats = start(scenario, settings, seed)
    for message in session.transcript:  # messages posted before the first ask
        for listener in listeners:
            listener(message)
    session.listeners.extend(listeners)
    drive(session, seats)
    return session


def resume(
    scenario: Scenario,
    settings: Settings,
    seed: int,
    recorded: Sequence[Message],
    *,
    go_on: bool = False,
) -> tuple[Session, dict[str, Strategy]]:
    """Rebuild a session from a recorded transcript (whole or cut short); with ``go_on``, play
    on to the end or to a person's turn. Built-in strategies answer every recorded turn again
    (their state is rebuilt, their answers checked), and the engine's own messages must match
    the record."""
    session = Session(scenario, settings, seed)
    seats = seat(scenario, settings, seed)
    drive(session, seats, answers_in(recorded), go_on=False)
    _halted_as_recorded(session, recorded)
    check_same(session.transcript, recorded, scenario.space)
    if go_on:
        drive(session, seats)
    return session, seats


def _halted_as_recorded(session: Session, recorded: Sequence[Message]) -> None:
    """A record that ends, after its last answer, with an END its protocol did not reach was
    ended from outside the flow (a facilitator, in the room): the rebuilt session ends so too."""
    last = recorded[-1] if recorded else None
    if session.ended is not None or last is None or last.kind != Kind.END:
        return
    if last.sender != ENGINE or len(session.transcript) != last.seq:
        return  # the END must come right where the rebuilt session stands
    prefix, suffix = ENDED.split("{}")
    if last.text.startswith(prefix) and last.text.endswith(suffix):
        reason = last.text[len(prefix) : len(last.text) - len(suffix)]
        session.halt(str(last.data.get("ended", "ended")), reason)


def seat_strategies(session: Session) -> dict[str, Strategy]:
    """The strategies for ``session``'s seats that no person holds (as ``start`` builds them)."""
    return seat(session.scenario, session.settings, session.seed)


def play(session: Session, seats: dict[str, Strategy]) -> Result:
    """Drive ``session`` to its end with ``seats`` answering, and return how it ended."""
    drive(session, seats)
    return session.result()
