"""The session kernel: a protocol generator, a transcript, and the rules every answer must obey.

A protocol is a generator that yields ``Ask``s and receives the checked ``Action``s. The kernel
never waits on anyone: ``pending`` says who must act and what they may do, and ``submit``
takes the answer whenever it comes (at once from a built-in strategy, hours later from a
person). The kernel checks turn order, legality, red lines and reservation values; records
every answer as messages; fires the scenario's outside events; and keeps each party's view.

A session is a pure function of (scenario, settings, seed, answers): replaying the answers of
a transcript rebuilds it exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np

from parley.engine import messages as m
from parley.engine.messages import Action, Ask, Message, Outcome
from parley.engine.settings import Settings
from parley.engine.view import NOTHING_CONFIDED, View
from parley.errors import EngineError, IllegalActionError
from parley.preferences import Preferences, reaches
from parley.scenario import Scenario
from parley.scenario.schema import EventDoc

Flow = Generator[Ask, Action, None]
"""A running protocol: yields questions, receives answers."""

Listener = Callable[[Message], None]


@dataclass(frozen=True)
class Result:
    """How a session ended."""

    agreement: Outcome | None
    ended: str
    reason: str
    ended_by: str | None
    rounds: int
    seed: int
    parties: tuple[str, ...]
    utilities: tuple[float, ...] | None


def as_recorded(ask: Ask, action: Action) -> Action:
    """``action`` as the kernel records it: relay and accept take the package under discussion,
    and a confide carries no package (the message is a marker, never the profile)."""
    if action.kind in (m.RELAY, m.ACCEPT):
        return replace(action, outcome=ask.offer)
    if action.kind == m.CONFIDE:
        return replace(action, outcome=None)
    return action


class Session:
    """One negotiation in progress."""

    def __init__(self, scenario: Scenario, settings: Settings, seed: int) -> None:
        from parley.engine.protocols import protocol

        self.scenario = scenario
        self.settings = settings
        self.seed = seed
        self.space = scenario.space
        self.principals: tuple[str, ...] = settings.order
        self.transcript: list[Message] = []
        self.round = 0
        self.phase = ""
        self.deadline = settings.rounds
        self.agreement: Outcome | None = None
        self.ended: str | None = None
        self.reason = ""
        self.ended_by: str | None = None
        self.pending: Ask | None = None
        self.listeners: list[Listener] = []
        self._turns = 0
        self._prefs: dict[str, Preferences] = {
            p.name: p.preferences for p in scenario.parties if p.preferences is not None
        }
        self.reservations: dict[str, float] = {n: p.reservation for n, p in self._prefs.items()}
        # Profiles principals confided to the mediator (the confide action): the mediator's alone.
        self._confided: dict[str, Preferences] = {}
        self._roles = {p.name: p.role for p in scenario.parties}
        self._seen: dict[str, list[Message]] = {p.name: [] for p in scenario.parties}
        # Per viewer: the latest package each sender proposed, and the latest one carried or
        # tabled, as far as that viewer has seen (derived from _seen; kept for speed).
        self._latest: dict[str, dict[str, Outcome]] = {p.name: {} for p in scenario.parties}
        self._carried: dict[str, Outcome | None] = {p.name: None for p in scenario.parties}
        self._events_rng = np.random.default_rng(np.random.SeedSequence([seed, 0]))
        self._flow: Flow = protocol(settings.protocol)(self)
        self._advance(None)

    # -- the loop a driver runs ------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.pending is None

    def submit(self, party: str, action: Action) -> None:
        """Take ``party``'s answer to the pending ask (checked, recorded, then acted on)."""
        ask = self.pending
        if ask is None:
            raise EngineError(f"the session has ended ({self.reason})")
        if party != ask.party:
            raise IllegalActionError(f"it is {ask.party}'s turn, not {party}'s")
        action = self._checked(ask, action)
        self._record(ask, action)
        if action.kind == m.CONFIDE:
            self._confided[party] = self._prefs[party]
        self._advance(action)

    @property
    def confided(self) -> Mapping[str, Preferences]:
        """The profiles principals have confided to the mediator so far (for the referee)."""
        return MappingProxyType(self._confided)

    def view(self, party: str) -> View:
        """What ``party`` may know now: its own preferences and the messages it has seen."""
        if party not in self._seen:
            raise EngineError(f"no party named {party!r}")
        return View(
            party=party,
            role=self._roles[party],
            space=self.space,
            principals=self.principals,
            mediator=self.settings.mediator,
            protocol=self.settings.protocol,
            preferences=self._prefs.get(party),
            reservation=self.reservations.get(party, 0.0),
            messages=self._seen[party],
            latest=self._latest[party],
            carried=self._carried[party],
            round=self.round,
            deadline=self.deadline,
            confided=(
                MappingProxyType(dict(self._confided))
                if party == self.settings.mediator and self._confided
                else NOTHING_CONFIDED
            ),
        )

    def result(self) -> Result:
        if self.ended is None:
            raise EngineError("the session has not ended yet")
        utilities = None
        if self.agreement is not None:
            utilities = tuple(self._prefs[p].utility(self.agreement) for p in self.principals)
        return Result(
            agreement=self.agreement,
            ended=self.ended,
            reason=self.reason,
            ended_by=self.ended_by,
            rounds=self.round,
            seed=self.seed,
            parties=self.principals,
            utilities=utilities,
        )

    # -- what protocols call ---------------------------------------------------------------

    def ask(
        self,
        party: str,
        allowed: Sequence[str],
        to: Sequence[str],
        prompt: str,
        *,
        offer: Outcome | None = None,
        previous: Outcome | None = None,
        about: str | None = None,
    ) -> Ask:
        self._turns += 1
        return Ask(
            self._turns, party, frozenset(allowed), tuple(to), prompt, offer, previous, about
        )

    def begin_round(self, number: int) -> bool:
        """Start round ``number`` and fire its outside events; False if an event ended the talks."""
        self.round = number
        self.phase = ""  # events at the start of a round belong to no caucus
        for event in self.scenario.timeline:
            if self._fires(event) and not self._apply(event):
                return False
        return True

    def set_phase(self, phase: str, text: str = "") -> None:
        self.phase = phase
        if text:
            self.post(m.ENGINE, (), m.PHASE, text=text, public=True)

    def post(
        self,
        sender: str,
        to: Sequence[str],
        kind: str,
        *,
        outcome: Outcome | None = None,
        text: str = "",
        public: bool = False,
        turn: int | None = None,
        data: Mapping[str, str | float | int | bool] | None = None,
    ) -> Message:
        message = Message(
            seq=len(self.transcript),
            round=self.round,
            phase=self.phase,
            sender=sender,
            to=tuple(to),
            kind=kind,
            outcome=outcome,
            text=text,
            public=public,
            turn=turn,
            data=dict(data or {}),
        )
        self.transcript.append(message)
        proposal = kind in (m.PROPOSE, m.COUNTER) and outcome is not None
        carried = kind in (m.RELAY, m.REFRAME, m.DRAFT) and outcome is not None
        for party, seen in self._seen.items():
            if message.visible_to(party):
                seen.append(message)
                if proposal:
                    assert outcome is not None
                    self._latest[party][sender] = outcome
                elif carried:
                    self._carried[party] = outcome
        for listener in self.listeners:
            listener(message)
        return message

    def acceptable(self, party: str, outcome: Outcome) -> bool:
        prefs = self._prefs[party]
        worth = prefs.utility(outcome)
        return not prefs.crossed(outcome) and reaches(worth, self.reservations[party])

    def utility(self, party: str, outcome: Outcome) -> float:
        """The referee's reading of ``party``'s utility (for protocol rules; never shown)."""
        return self._prefs[party].utility(outcome)

    def conclude(self, outcome: Outcome) -> bool:
        """Declare agreement on ``outcome`` if every principal can accept it now."""
        if not all(self.acceptable(p, outcome) for p in self.principals):
            return False
        self.agreement = outcome
        self.post(
            m.ENGINE,
            (),
            m.AGREEMENT,
            outcome=outcome,
            public=True,
            text="Agreement: every principal accepts this package.",
        )
        self.end("agreement", "every principal accepted the same package")
        return True

    def end(self, ended: str, reason: str, by: str | None = None) -> None:
        if self.ended is not None:
            return
        self.ended, self.reason, self.ended_by = ended, reason, by
        self.post(
            m.ENGINE,
            (),
            m.END,
            text=f"The talks ended: {reason}.",
            public=True,
            data={"ended": ended, **({"by": by} if by else {})},
        )

    # -- internals -------------------------------------------------------------------------

    def _advance(self, action: Action | None) -> None:
        try:
            self.pending = next(self._flow) if action is None else self._flow.send(action)
        except StopIteration:
            self.pending = None
            if self.ended is None:
                self.end(
                    "deadline", f"the deadline of {self.deadline} rounds passed without agreement"
                )

    def _checked(self, ask: Ask, action: Action) -> Action:
        party = ask.party
        if action.kind not in ask.allowed:
            raise IllegalActionError(
                f"{party} may {' / '.join(sorted(ask.allowed))} now, not {action.kind!r}"
            )
        action = as_recorded(ask, action)
        if action.kind == m.CONFIDE:
            if party not in self._prefs or party not in self.principals:
                raise IllegalActionError(f"{party} has no preferences of its own to confide")
            if party in self._confided:
                raise IllegalActionError(f"{party} has already confided its preferences")
        if action.kind in m.NEEDS_OUTCOME or action.kind == m.ACCEPT:
            self._check_outcome(party, action.outcome)
        feedback = action.data.get("feedback")
        if feedback is not None and feedback not in m.FEEDBACK:
            raise IllegalActionError(
                f"feedback must be one of {', '.join(m.FEEDBACK)}, not {feedback!r}"
            )
        if action.kind in m.ENDORSING and party in self.principals:
            assert action.outcome is not None
            self._check_acceptable(party, action.outcome)
        return action

    def _check_outcome(self, party: str, outcome: Outcome | None) -> None:
        if outcome is None:
            raise IllegalActionError(f"{party}'s answer needs a package")
        sizes = self.space.sizes
        if len(outcome) != len(sizes) or any(
            not 0 <= int(i) < n for i, n in zip(outcome, sizes, strict=False)
        ):
            raise IllegalActionError(
                f"{party}'s package {outcome!r} is not in the agenda "
                f"(one option index per issue, sizes {sizes})"
            )

    def _check_acceptable(self, party: str, outcome: Outcome) -> None:
        prefs = self._prefs[party]
        crossed = prefs.crossed(outcome)
        if crossed:
            raise IllegalActionError(
                f"{party} may not endorse a package that crosses its red line "
                f"{crossed[0].description!r}"
            )
        if not reaches(prefs.utility(outcome), self.reservations[party]):
            raise IllegalActionError(
                f"{party} may not endorse a package worth less than its reservation value"
            )

    def _record(self, ask: Ask, action: Action) -> None:
        self.post(
            ask.party,
            ask.to,
            action.kind,
            outcome=action.outcome,
            text=action.text,
            turn=ask.turn,
            data=action.data,
        )
        if action.statement:
            to = () if action.public else ask.to
            self.post(
                ask.party,
                to,
                m.STATEMENT,
                text=action.statement,
                public=action.public,
                turn=ask.turn,
            )

    def _fires(self, event: EventDoc) -> bool:
        if event.probability is not None:
            # Draw for every random event every round, so the stream never depends on history.
            return bool(self._events_rng.random() < event.probability)
        return event.round == self.round

    def _apply(self, event: EventDoc) -> bool:
        data: dict[str, str | float | int | bool] = {"event": event.kind}
        if event.party:
            data["party"] = event.party
        # The named party acts in a draft or a cancellation; a pressure shift merely befalls it.
        sender = event.party if event.party and event.kind in {"table-draft", "cancel"} else "world"
        if event.kind == "phase":
            self.post(m.ENGINE, (), m.PHASE, text=event.title, public=True, data=data)
            return True
        if event.kind == "table-draft":
            assert event.draft is not None
            outcome = self.space.from_values(event.draft)
            self.post(
                sender, (), m.DRAFT, outcome=outcome, text=event.title, public=True, data=data
            )
            return True
        self.post(sender, (), m.EVENT, text=event.title, public=True, data=data)
        if event.kind == "shift-reservation" and event.party in self.reservations:
            assert event.delta is not None
            self.reservations[event.party] += event.delta
        elif event.kind == "move-deadline":
            assert event.rounds is not None
            self.deadline = max(self.round, self.deadline + event.rounds)
        elif event.kind == "cancel":
            self.end("cancelled", f"{event.title}", by=event.party)
            return False
        return True
