"""One negotiation of a tournament, as a worker plays it (``parley.parallel`` job function).

The worker gets the loaded scenarios and the plug-in modules once (``Context``) and each
``Match`` as plain data; it returns a ``Played`` record of plain values. Everything random
derives from the match's seed, so any worker on any machine plays it the same way. A strategy
that raises, or proposes what the engine refuses, raises out of here: the runner records it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from parley.engine.drive import drive
from parley.engine.session import Session
from parley.engine.settings import Settings
from parley.play import start
from parley.scenario import Scenario
from parley.strategies.plugins import load_files
from parley.tournament.grid import Match


@dataclass(frozen=True)
class Context:
    """What every worker holds for the whole tournament."""

    scenarios: Mapping[str, Scenario]
    imports: tuple[str, ...] = ()


@dataclass(frozen=True)
class Played:
    """How one negotiation ended, in plain values."""

    agreement: tuple[int, ...] | None
    utilities: tuple[float, ...]
    """The agreement's utility for each principal, or its no-deal value when there is none."""
    ended: str
    rounds: int
    time: float = 1.0
    """The negotiation's clock (0 to 1) when it ended: what discounts its utilities."""
    model_pearson: tuple[float | None, ...] = ()
    """Per principal, how well its opponent models knew the others' true profiles, as the
    mean Pearson correlation over the outcome space (``parley.strategies.boa.accuracy``);
    None for a principal without a model; empty when no principal had one."""
    model_pareto: tuple[float | None, ...] = ()
    """The same models' mean distance from the estimated Pareto frontier to the true one."""


def play_match(context: Context, match: Match) -> Played:
    """Play ``match`` to its end with the built-in (or imported) strategies."""
    load_files(context.imports)  # registers plug-in strategies here (cached after the first)
    scenario = context.scenarios[match.scenario]
    principals = [p.name for p in scenario.principals]
    settings = Settings.from_scenario(
        scenario,
        protocol=match.protocol,
        rounds=match.rounds,
        mediator=match.mediator,
        strategies=dict(zip(principals, match.strategies, strict=True)),
    )
    named = match.mediator is not None
    session, seats = start(scenario, settings, match.seed, named_mediator=named)
    drive(session, seats)
    pearson, pareto = model_scores(seats, scenario, principals)
    result = session.result()
    utilities = result.utilities or tuple(session.reservation(p) for p in result.parties)
    order = [result.parties.index(p) for p in principals]  # report in scenario order
    return Played(
        agreement=result.agreement,
        utilities=tuple(float(utilities[k]) for k in order),
        ended=result.ended,
        rounds=result.rounds,
        time=end_time(session),
        model_pearson=pearson,
        model_pareto=pareto,
    )


Scores = tuple[float | None, ...]


def model_scores(
    seats: Mapping[str, object], scenario: Scenario, principals: list[str]
) -> tuple[Scores, Scores]:
    """Each principal's opponent-model accuracy (mean over the parties it modelled), measured
    by the referee after the end from the true profiles; two empty tuples without models."""
    from parley.strategies.boa.accuracy import session_accuracy

    found = session_accuracy({p: seats[p] for p in principals if p in seats}, scenario)
    if not found:
        return (), ()
    pearson: list[float | None] = []
    pareto: list[float | None] = []
    for party in principals:
        models = list(found.get(party, {}).values())
        pearson.append(_mean([m.pearson for m in models]))
        pareto.append(_mean([m.pareto_distance for m in models]))
    return tuple(pearson), tuple(pareto)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def end_time(session: Session) -> float:
    """The time on the clock of the last principal to act, when it acted (the engine's own
    ``View.time``: turns count within a round, as in GENIUS): an agreement is signed, and a
    walk-away made, at the moment of its last move; a deadline passes at time 1."""
    if session.ended == "deadline":
        return 1.0
    for message in reversed(session.transcript):
        if message.sender in session.principals:
            return session.view(message.sender)._replace(round=message.round).time
    return 0.0
