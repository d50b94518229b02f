"""The rules every answer must obey, in one place: legal for the seat now, a package in the
agenda that can exist (breaks none of the scenario's constraints), feedback from the known
words, and nothing signed that the seat may not sign."""

from __future__ import annotations

import operator

from parley.engine.messages import (
    ENDORSING,
    FEEDBACK,
    NEEDS_OUTCOME,
    Action,
    Ask,
    Kind,
    Outcome,
    Question,
)
from parley.engine.seats import Seat
from parley.errors import IllegalActionError
from parley.outcomes import OutcomeSpace

ON_THE_TABLE = frozenset({Kind.RELAY, Kind.ACCEPT, Kind.ENDORSE, Kind.COMPARE})
"""Answers recorded with the package under discussion (the answer names none)."""


def as_recorded(ask: Ask, action: Action) -> Action:
    """``action`` as the kernel records it: relay, accept, endorse and a declined framework take
    the package under discussion, and a confide carries no package (the message is a marker,
    never the profile)."""
    if action.kind in ON_THE_TABLE or (
        action.kind == Kind.DECLINE and ask.question == Question.ENDORSE
    ):
        return action._replace(outcome=ask.offer)
    if action.kind == Kind.CONFIDE:
        return action._replace(outcome=None)
    return action


def checked(
    ask: Ask, action: Action, seat: Seat, space: OutcomeSpace, known: set[Outcome]
) -> Action:
    """``action`` as recorded, if ``seat`` may give it in answer to ``ask``; else an
    ``IllegalActionError`` that says which rule it breaks. ``known`` holds the packages
    already found in the agenda and possible (a session's packages come back round after
    round)."""
    party = ask.party
    # Endorsing a framework that covers some issues binds those items; it signs no package.
    signing = ask.covers is None
    if action.kind not in ask.allowed:
        if action.kind in ENDORSING and ask.offer is not None and signing:
            signable(seat, ask.offer, action.kind)  # says which rule it breaks
        raise IllegalActionError(
            f"{party} may {' / '.join(sorted(ask.allowed))} now, not {str(action.kind)!r}"
        )
    action = as_recorded(ask, action)
    if action.kind == Kind.CONFIDE:
        if seat.preferences is None or seat.role != "principal":
            raise IllegalActionError(f"{party} has no preferences of its own to confide")
        if seat.confided:
            raise IllegalActionError(f"{party} has already confided its preferences")
    if action.kind in NEEDS_OUTCOME or action.kind in ENDORSING:
        outcome = action.outcome
        # Known packages of plain ints pass at once (the sum of ints is an int); anything else
        # is read as option indices once, and recorded as such.
        if not (type(outcome) is tuple and outcome in known and type(sum(outcome)) is int):
            indices = in_agenda(party, outcome, space.sizes)
            can_exist(party, indices, space)
            known.add(indices)
            if outcome is not indices:
                action = action._replace(outcome=indices)
    feedback = action.data.get("feedback")
    if action.kind == Kind.COMPARE and feedback is None:
        raise IllegalActionError(
            f"{party}'s answer to a what-if question needs feedback: {', '.join(FEEDBACK)}"
        )
    if feedback is not None and feedback not in FEEDBACK:
        raise IllegalActionError(f"feedback must be one of {', '.join(FEEDBACK)}, not {feedback!r}")
    if action.kind in ENDORSING and seat.role == "principal" and signing:
        assert action.outcome is not None
        signable(seat, action.outcome, action.kind)
    return action


def in_agenda(party: str, outcome: object, sizes: tuple[int, ...]) -> Outcome:
    """``outcome`` as a package: one whole-number option index per issue, each within its
    issue's options (an ``IllegalActionError`` naming the party and the value otherwise)."""
    if outcome is None:
        raise IllegalActionError(f"{party}'s answer needs a package")
    try:
        indices = tuple(operator.index(i) for i in outcome)  # type: ignore[attr-defined]
    except TypeError:
        raise IllegalActionError(
            f"{party}'s package {outcome!r} is not one whole-number option index per issue"
        ) from None
    inside = len(indices) == len(sizes)
    if inside:
        for i, n in zip(indices, sizes, strict=True):
            if not 0 <= i < n:
                inside = False
                break
    if not inside:
        raise IllegalActionError(
            f"{party}'s package {outcome!r} is not in the agenda "
            f"(one option index per issue, sizes {sizes})"
        )
    return indices


def can_exist(party: str, outcome: Outcome, space: OutcomeSpace) -> None:
    """A package on the table breaks none of the scenario's constraints (an
    ``IllegalActionError`` naming the package and the constraint's reason otherwise)."""
    broken = space.impossible(outcome)
    if broken is not None:
        listed = " ".join(str(v) for v in space.to_values(outcome).values())
        raise IllegalActionError(
            f"{party}'s package {listed} cannot exist: {broken.description}"
        )


def signable(seat: Seat, outcome: Outcome, kind: Kind = Kind.ACCEPT) -> None:
    """A principal puts its name only to what crosses none of its red lines and is worth its
    current reservation (``Seat.objection``)."""
    objection = seat.objection(outcome)
    if objection:
        raise IllegalActionError(f"{seat.name} may not {kind} {outcome}: {objection}")
