"""Confiding: in the first round of a mediated protocol, each principal may confide its
preference profile to the mediator alone.

The invitation is made only when the settings say so (``Settings.confide``: set when the
mediator's strategy holds confidences, e.g. the ``confidential`` mediator; open to a person
seated as mediator), so sessions with any other mediator run exactly as before. Each principal,
in order, answers ``confide`` or ``decline``; the kernel records the answer as a message to the
mediator alone (a marker, never the profile) and, on ``confide``, hands the profile to the
mediator's view (``View.confided``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parley.engine import messages as m

if TYPE_CHECKING:
    from parley.engine.session import Flow, Session
    from parley.engine.settings import Settings


def invites_confidences(settings: Settings) -> bool:
    """Does this session open by inviting the principals to confide (``Settings.confide``)?"""
    return settings.confide and settings.mediator is not None and settings.protocol != "direct"


def confidences(session: Session) -> Flow:
    """Ask each principal, once, whether it confides its preferences to the mediator."""
    mediator = session.settings.mediator
    if mediator is None or not invites_confidences(session.settings):
        return
    phase = session.phase
    for party in session.principals:
        session.set_phase(f"caucus:{party}")
        yield session.ask(
            party,
            (m.CONFIDE, m.DECLINE),
            (mediator,),
            f"{mediator} invites {party} to confide its preferences, to the mediator alone",
        )
    session.set_phase(phase)
