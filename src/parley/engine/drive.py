"""The one driver: rebuild a session from recorded answers, then drive it on.

Every way of running a session goes through ``drive``: a fresh run (nothing recorded), a
transcript replayed (``parley replay``), a room rebuilt from its database after a restart, and
the tests. Players are anything with ``act(view, ask)``: built-in strategies, a user's, or a
test's scripted answers; a seat without a player is a person's, and driving stops there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol, get_args

from parley.engine.messages import Action, Ask, Kind, Message
from parley.engine.narrate import VERBS, describe, package
from parley.engine.rules import as_recorded
from parley.engine.session import Session
from parley.engine.view import View
from parley.errors import ParleyError, ReplayError, StrategyFailedError
from parley.outcomes import OutcomeSpace
from parley.scenario.events import Event
from parley.scenario.schema import EventKind

EVENT_KINDS = frozenset(get_args(EventKind))


class Player(Protocol):
    """Whoever answers a seat's asks (a built-in strategy, a user's, a test's)."""

    def act(self, view: View, ask: Ask) -> Action: ...


class Answer(NamedTuple):
    """One recorded answer: to ask ``turn``, or (``turn`` None) a note written out of turn."""

    turn: int | None
    party: str
    action: Action


def drive(
    session: Session,
    players: Mapping[str, Player],
    recorded: Iterable[Answer] = (),
    *,
    go_on: bool = True,
) -> list[Answer]:
    """Submit ``recorded`` again, then (``go_on``) let the players answer until a person must
    act or the talks end; returns the answers the players gave after the record.

    A recorded answer for a seat with a player is checked against what the player answers now
    (so its state is rebuilt too): a different answer means the record was not made by these
    scenario, settings and strategies, and is a ``ReplayError``.
    """
    recorded = list(recorded)
    for position, answer in enumerate(recorded):
        if answer.turn is None:
            out_of_turn(session, answer.party, answer.action)
            continue
        ask = session.pending
        if ask is None or ask.turn != answer.turn or ask.party != answer.party:
            asked = (
                "nothing (the talks ended)" if ask is None else f"turn {ask.turn} of {ask.party}"
            )
            raise ReplayError(
                f"recorded turn {answer.turn} of {answer.party} does not fit: "
                f"the session asks {asked}"
            )
        action = answer.action
        player = players.get(ask.party)
        if player is not None:
            last = position == len(recorded) - 1
            # The player's answer as the session would take it (bound items written into a
            # mediator's draft), to compare with the record.
            own = session.taken(ask, as_recorded(ask, _answer(session, player, ask)))
            action = _checked(session, ask, own, as_recorded(ask, action), last)
        session.submit(ask.party, action)
    if not go_on:
        return []
    given = []
    view, submit = session.view, session.submit  # the loop every session runs, every turn
    while (ask := session.pending) is not None and (player := players.get(ask.party)) is not None:
        try:
            action = player.act(view(ask.party), ask)
        except ParleyError:
            raise
        except Exception as exc:  # as in _answer, without a call a turn
            raise StrategyFailedError(ask.party, ask.turn, exc) from exc
        submit(ask.party, action)
        given.append(Answer(ask.turn, ask.party, action))
    return given


def out_of_turn(session: Session, party: str, action: Action) -> None:
    """Replay what ``party`` did without a turn: a word out of turn (``Kind.NOTE``, its
    recipient in ``data["to"]``) or an injected outside event (``Kind.EVENT``)."""
    if action.kind == Kind.EVENT:
        session.inject(injected_event(action))
        return
    to = action.data.get("to")
    session.note(party, action.text, None if to is None else str(to))


def injected_action(event: Event) -> Action:
    """An injected outside event as an answer out of turn (what a room stores, a replay reads)."""
    data: dict[str, str | float | int | bool] = {"event": event.kind}
    for name in ("party", "by", "delta", "rounds"):
        value = getattr(event, name)
        if value is not None:
            data[name] = value
    return Action(Kind.EVENT, outcome=event.draft, text=event.title, data=data)


def injected_event(action: Action) -> Event:
    data = action.data
    kind = str(data["event"])
    if kind not in EVENT_KINDS:
        raise ReplayError(f"an injected event of unknown kind {kind!r}")

    def text(name: str) -> str | None:
        return None if data.get(name) is None else str(data[name])

    return Event(
        kind=kind,  # type: ignore[arg-type]  # checked against EVENT_KINDS just above
        title=action.text,
        party=text("party"),
        by=text("by"),
        delta=None if data.get("delta") is None else float(data["delta"]),
        rounds=None if data.get("rounds") is None else int(data["rounds"]),
        draft=action.outcome,
    )


def _answer(session: Session, player: Player, ask: Ask) -> Action:
    """The player's answer; a player that raises is a ``StrategyFailedError`` naming the seat
    and the turn (the player's own error is its cause, with its traceback)."""
    try:
        return player.act(session.view(ask.party), ask)
    except ParleyError:
        raise
    except Exception as exc:
        raise StrategyFailedError(ask.party, ask.turn, exc) from exc


def _checked(session: Session, ask: Ask, own: Action, recorded: Action, last: bool) -> Action:
    if last and not recorded.statement and own._replace(statement="", public=False) == recorded:
        return own  # the record was cut between an answer and its attached statement
    if own != recorded:
        space = session.scenario.space
        raise ReplayError(
            f"turn {ask.turn}: {ask.party}'s strategy now {said(space, own, recorded)} where "
            f"the record says it {said(space, recorded, own, past=True)}: the file was edited "
            "or made with other settings or strategies"
        )
    return recorded


PAST = {
    Kind.PROPOSE: "proposed",
    Kind.COUNTER: "countered with",
    Kind.ACCEPT: "accepted",
    Kind.REJECT: "rejected",
    Kind.WALK_AWAY: "walked away",
    Kind.RELAY: "relayed",
    Kind.REFRAME: "reframed it as",
    Kind.DRAFT: "tabled",
    Kind.CONFIDE: "confided its preferences",
    Kind.DECLINE: "declined to confide its preferences",
    Kind.ENDORSE: "endorsed",
    Kind.FRAMEWORK: "tabled a framework",
    Kind.PASS: "passed",
    Kind.THREATEN: "threatened",
    Kind.STRIKE: "struck",
    Kind.ADVISE: "advised",
    Kind.NOTE: "wrote",
    Kind.WHAT_IF: "asked what if the package were",
    Kind.COMPARE: "compared",
    Kind.STATEMENT: "said",
}
"""What a seat did, for a replay that finds another answer than the record's."""


def said(space: OutcomeSpace, action: Action, other: Action, *, past: bool = False) -> str:
    """``action`` in words (``proposes A1 B2``; ``proposed A2 B2`` with ``past``), with the
    details in which it differs from ``other`` when the kind and package are the same."""
    verbs = PAST if past else VERBS
    verb = verbs.get(action.kind, str(action.kind))
    if action.kind == Kind.DECLINE and action.outcome is not None:
        verb = "declined to endorse" if past else "declines to endorse"
    words = [verb]
    if action.outcome is not None:
        words.append(package(space, action.outcome))
    if (action.kind, action.outcome) == (other.kind, other.outcome):
        if action.text != other.text:
            words.append(f"with the text {action.text!r}")
        if action.statement != other.statement:
            words.append(f"adding {action.statement!r}" if action.statement else
                         "adding nothing")
        if action.public != other.public:
            words.append("in public" if action.public else "in private")
        keys = sorted({*action.data, *other.data} - {k for k in action.data
                                                     if other.data.get(k) == action.data[k]})
        if keys:
            words.append("with " + ", ".join(f"{k}={action.data.get(k)!r}" for k in keys))
    return " ".join(words)


def answers_in(transcript: Sequence[Message]) -> list[Answer]:
    """The answers a transcript records, in order: each turn's message with its attached
    statement, and notes out of turn."""
    answers: list[Answer] = []
    by_turn: dict[int, int] = {}
    for msg in transcript:
        if msg.kind == Kind.NOTE:
            to = {"to": msg.to[0]} if msg.to else {}
            answers.append(Answer(None, msg.sender, Action(Kind.NOTE, text=msg.text, data=to)))
        elif msg.data.get("injected"):
            data = {k: v for k, v in msg.data.items() if k != "injected"}
            action = Action(Kind.EVENT, msg.outcome, msg.text, data=data)
            answers.append(Answer(None, msg.sender, action))
        elif "delta" in msg.data and answers and answers[-1].action.kind == Kind.EVENT:
            # The private report of an injected shift carries its delta (not said in public).
            last = answers[-1].action
            answers[-1] = answers[-1]._replace(
                action=last._replace(data={**last.data, "delta": msg.data["delta"]})
            )
        elif msg.turn is None:
            continue
        elif msg.kind == Kind.STATEMENT and msg.turn in by_turn:
            k = by_turn[msg.turn]
            answers[k] = answers[k]._replace(
                action=answers[k].action._replace(statement=msg.text, public=msg.public),
            )
        else:
            by_turn[msg.turn] = len(answers)
            action = Action(msg.kind, msg.outcome, msg.text, data=dict(msg.data))
            answers.append(Answer(msg.turn, msg.sender, action))
    return answers


def check_same(
    rebuilt: Sequence[Message], recorded: Sequence[Message], space: OutcomeSpace
) -> None:
    """The rebuilt session's messages are the recorded ones, as far as the record goes.

    One allowance for records older than the engine: the messages in which the engine reports
    what an outside event did (``data["effect"]``: a reservation moved, a deadline moved) are
    regenerated, so a record written before they existed replays with them added (and the
    numbers of the messages after them shifted)."""
    position = 0
    for theirs in recorded:
        while position < len(rebuilt) and added(rebuilt[position], theirs):
            position += 1
        if position == len(rebuilt):
            raise ReplayError(
                f"the transcript has message(s) after the session ended (from {theirs.seq})"
            )
        mine = rebuilt[position]
        if mine._replace(seq=theirs.seq) != theirs:
            raise ReplayError(
                f"message {theirs.seq}: the session rebuilt now reads "
                f"{_plain(describe(mine, space))!r} where the record says "
                f"{_plain(describe(theirs, space))!r}: the file was edited or made with other "
                "settings or strategies"
            )
        position += 1


def added(mine: Message, theirs: Message) -> bool:
    """Is ``mine`` an effect report that the record, written before such reports, lacks?"""
    return "effect" in mine.data and "effect" not in theirs.data


def _plain(line: str) -> str:
    """A described message without its leading round and phase (said in the error already)."""
    return line.split(" | ", 1)[-1]
