"""Confiding: in the first round of a mediated protocol, each principal may confide its
preference profile to the mediator alone.

The invitation is made only when the settings say so (``Settings.confide``: the driver sets it
when the mediator's strategy holds confidences; open to a person seated as mediator), so
sessions with any other mediator run exactly as before. Each principal, in order, answers
``confide`` or ``decline``; the kernel records the answer as a message to the mediator alone (a
marker, never the profile) and, on ``confide``, hands the profile to the mediator's view
(``View.confided``).
"""

from __future__ import annotations

from parley.engine.messages import Kind, Question
from parley.engine.table import Flow, Table


def confidences(table: Table) -> Flow:
    """Ask each principal, once, whether it confides its preferences to the mediator."""
    mediator = table.mediator
    if mediator is None or not table.settings.confide:
        return
    phase = table.phase
    for party in table.principals:
        table.set_phase(f"caucus:{party}")
        yield table.ask(
            party,
            Question.CONFIDE,
            (Kind.CONFIDE, Kind.DECLINE),
            (mediator,),
            f"{mediator} invites {party} to confide its preferences, to the mediator alone",
        )
    table.set_phase(phase)
