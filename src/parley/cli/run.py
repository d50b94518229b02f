"""``parley run`` plays a scenario end to end; ``parley replay`` rebuilds a run from its file."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from parley.analysis import Analysis, analyze
from parley.cli.compare import (
    Comparison,
    compare_mediators,
    figure,
    mediator_table,
    why_not,
)
from parley.cli.console import console, error_console, scan_progress
from parley.cli.story import Ledger
from parley.engine import Message, Session, Settings
from parley.engine.drive import drive
from parley.engine.messages import Kind
from parley.engine.narrate import package
from parley.engine.transcript import Writer, read
from parley.errors import AnalysisError, FileError, ReplayError, UnknownNameError, UsageError
from parley.outcomes import DiscreteIssue, Issue, OutcomeSpace
from parley.play import resume, start
from parley.scenario import Scenario, load
from parley.scenario.sources import report_provenance
from parley.strategies.plugins import load_files

QUIET_PACKAGE = frozenset({Kind.ACCEPT, Kind.ENDORSE, Kind.DECLINE})
"""Answers to the package just shown: it is not printed again."""
COLOURS = ("cyan", "magenta", "yellow", "green", "blue", "red")


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("replay")(replay)


def run(
    scenario: str = typer.Argument(
        "muscat-2026", help="A built-in name, a scenario file or folder."
    ),
    protocol: str | None = typer.Option(
        None, help="direct, shuttle or single-text (default: the scenario's)."
    ),
    mediator: str | None = typer.Option(
        None,
        help="The mediator's strategy: relay, bridging or nash-bridging (shuttle); "
        "hill-climb, annealing, feedback or elicit (single-text); confidential (both). "
        "`parley strategies` lists every strategy with its parameters.",
    ),
    strategy: list[str] = typer.Option(
        [],
        "--strategy",
        metavar="PARTY=NAME",
        help="A seat's strategy, with parameters as PARTY=NAME:KEY=VALUE,..., e.g. "
        "Iran=boulware:exponent=4 (repeatable). A principal: "
        "boulware, linear, conceder, tit-for-tat, hardliner, random, or boa (a composition: "
        "boa:bidding=time:exponent=0.2,acceptance=ac-next,model=frequency), or an ANAC agent: "
        "agent-k, hardheaded, gahboninho, cuhk-agent, agent-lg, the-fawkes, atlas3, caduceus, "
        "ponpoko, agent-gg; a third party: "
        "framework; a spoiler: watchful or hazard; an adviser: counsel. `parley strategies` "
        "lists them with their parameters.",
    ),
    imports: list[Path] = typer.Option(
        [],
        "--import",
        metavar="FILE.py",
        help="A Python file whose strategies this run may use (repeatable).",
    ),
    seed: int = typer.Option(
        0, min=0, help="Seed for every random choice; the same seed gives the same talks."
    ),
    rounds: int | None = typer.Option(
        None, min=1, help="Deadline in rounds (default: the scenario's)."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the result as one JSON object and nothing else."
    ),
    transcript: Path | None = typer.Option(None, help="Write the transcript to this JSONL file."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Show only the result."),
    compare: bool = typer.Option(
        True,
        "--compare/--no-compare",
        help="Also show what each mediator would have achieved (same seed and strategies).",
    ),
    hazards: bool = typer.Option(
        False,
        "--hazards",
        help="Let random hazards act (the timeline's random events, a spoiler's random "
        "strike). Without it the talks run as reported: scheduled events only.",
    ),
) -> None:
    """Play a negotiation with built-in strategies and show how it went."""
    load_files([str(path) for path in imports])
    loaded = load(scenario)
    settings = Settings.from_scenario(
        loaded, protocol=protocol, rounds=rounds, mediator=mediator, strategies=_pairs(strategy)
    )
    settings = dataclasses.replace(settings, hazards=hazards)
    session, seats = start(loaded, settings, seed, named_mediator=mediator is not None)
    settings = session.settings
    listeners: list[Callable[[Message], None]] = []
    stream = _open(transcript) if transcript else None
    try:
        if stream is not None:
            writer = Writer(stream, loaded, settings, seed)
            for message in session.transcript:
                writer(message)
            listeners.append(writer)
        if as_json or quiet:
            session.listeners.extend(listeners)
            drive(session, seats)
        else:
            _play_live(session, seats, listeners)
    finally:
        if stream is not None:
            stream.close()
    rivals = (lambda: compare_mediators(loaded, settings, seed)) if compare else None
    _finish(session, as_json, rivals)


def replay(
    path: Path = typer.Argument(..., help="A transcript written by parley run --transcript."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as one JSON object."),
    imports: list[Path] = typer.Option(
        [],
        "--import",
        metavar="FILE.py",
        help="The strategy files the run used (--import when it was made).",
    ),
    compare: bool = typer.Option(
        True,
        "--compare/--no-compare",
        help="Also show what each mediator would have achieved (same seed and strategies).",
    ),
    allow_truncated: bool = typer.Option(
        False,
        "--allow-truncated",
        help="Recover a crashed run's file: leave out a last line cut off mid-line and resume "
        "the talks after the last complete message (without it, such a file is refused).",
    ),
) -> None:
    """Rebuild a session from its transcript and show the result it reaches."""
    load_files([str(file) for file in imports])
    recording = read(path, allow_truncated=allow_truncated)
    try:
        session, seats = resume(
            recording.scenario, recording.settings, recording.seed, recording.messages
        )
    except UnknownNameError as exc:
        raise UsageError(
            f"{path}: {exc} (if the run used --import FILE, give replay the same --import)"
        ) from None
    if recording.cut is not None:
        error_console.print(
            f"parley: warning: {escape(str(path))}: line {recording.cut} is cut off mid-line "
            f"(a crash while writing?); it is left out and the talks resume after message "
            f"{len(recording.messages)}",
            soft_wrap=True,
            highlight=False,
        )
    pending = session.pending
    if pending is not None and pending.party not in seats:
        raise ReplayError(
            f"{path}: the talks stop at turn {pending.turn}, where {pending.party} must answer; "
            "that seat was held by a person, so no built-in strategy can go on for them"
        )
    if not session.done:
        if not as_json:
            console.print(
                f"[yellow]The transcript stops at message {len(recording.messages)}; "
                "resuming the talks from there.[/]"
            )
        drive(session, seats)
    elif not as_json:
        console.print(
            f"Replayed {len(recording.messages)} messages from {escape(str(path))}: every one "
            "matches what the engine and the strategies do again.",
            soft_wrap=True,
        )
    scenario, settings, seed = recording.scenario, recording.settings, recording.seed
    rivals = (lambda: compare_mediators(scenario, settings, seed)) if compare else None
    _finish(session, as_json, rivals)


# -- helpers --------------------------------------------------------------------------------


def _pairs(items: list[str]) -> dict[str, str]:
    pairs = {}
    for item in items:
        party, sep, name = item.partition("=")
        if not sep or not party or not name:
            raise UsageError(
                f"--strategy {item!r}: not of the form PARTY=NAME (e.g. --strategy "
                "Iran=tit-for-tat)"
            )
        if party in pairs:
            raise UsageError(f"--strategy {item!r}: {party} is given a strategy twice")
        pairs[party] = name
    return pairs


def _open(path: Path) -> Any:
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise FileError(f"{path}: cannot write the transcript: {exc.strerror}") from None


def _play_live(
    session: Session, seats: dict[str, Any], listeners: list[Callable[[Message], None]]
) -> None:
    scenario = session.scenario
    _print_setting(session)
    colours = {p.name: COLOURS[i % len(COLOURS)] for i, p in enumerate(scenario.parties)}
    ledger = Ledger(scenario)
    with Progress(
        TextColumn("[bold]Round {task.completed}/{task.total}"),
        BarColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("talks", total=session.deadline)

        def show(message: Message) -> None:
            progress.update(task, completed=message.round, total=session.deadline)
            if message.kind == Kind.PASS and not message.text:
                return  # a seat with nothing to do this round: nothing to tell
            progress.console.print(_line(message, scenario, colours, ledger), highlight=False)

        for message in session.transcript:
            show(message)
        session.listeners.extend([*listeners, show])
        drive(session, seats)


def _print_setting(session: Session) -> None:
    scenario, settings = session.scenario, session.settings
    console.rule(f"[bold]{scenario.title}")
    seats = ", ".join(
        f"{p} ({s.to_text()})"
        for p, s in settings.strategies.items()
        if session.scenario.party(p).role != "mediator" or p == session.mediator
    )
    hazards = (
        "random hazards act (--hazards)"
        if settings.hazards
        else "scheduled events only (random hazards act with --hazards)"
    )
    console.print(
        f"Protocol [bold]{settings.protocol}[/], deadline {settings.rounds} rounds, "
        f"seed {session.seed}, {hazards}. Seats: {seats}."
    )
    agenda = Table(title="Agenda (option codes used below)", title_justify="left", show_lines=False)
    agenda.add_column("issue", style="bold")
    agenda.add_column("options")
    for issue in scenario.space.issues:
        options = " · ".join(_option(issue, i) for i in range(min(issue.size, 8)))
        if issue.size > 8:
            options += f"; ... ({issue.size} values)"
        agenda.add_row(f"{issue.id} {issue.name}" if issue.name != issue.id else issue.id, options)
    console.print(agenda)


def _option(issue: Issue, index: int) -> str:
    """An option by its code and its short name (a discrete issue's), else as described."""
    if isinstance(issue, DiscreteIssue):
        option = issue.options[index]
        return f"{option.id} {option.name}"
    return issue.describe(index)


def _line(
    message: Message, scenario: Scenario, colours: dict[str, str], ledger: Ledger | None = None
) -> str:
    where = f"[dim]R{message.round:<2} {message.phase:<22}[/]"
    if message.kind in (Kind.PHASE, Kind.END):
        return f"{where} [bold]{escape(message.text)}[/]"
    if message.kind == Kind.AGREEMENT:
        assert message.outcome is not None
        deal = package(scenario.space, message.outcome)
        return f"{where} [bold green]{escape(message.text)}[/] {deal}"
    sender = f"[{colours.get(message.sender, 'white')}]{escape(message.sender)}[/]"
    if message.kind == Kind.EVENT:
        return f"{where} {_event(message, sender)}"
    audience = "everyone" if message.public else escape(", ".join(message.to))
    verb = {
        Kind.PROPOSE: "hands over a proposal",
        Kind.COUNTER: "answers with a counter-proposal",
        Kind.ACCEPT: "accepts",
        Kind.REJECT: "rejects the package",
        Kind.WALK_AWAY: "walks away",
        Kind.RELAY: "carries it on unchanged",
        Kind.REFRAME: "reframes it",
        Kind.DRAFT: "tables a draft",
        Kind.CONFIDE: "confides its preferences (to the mediator alone)",
        Kind.DECLINE: "declines to confide its preferences",
        Kind.STATEMENT: "says",
        Kind.ENDORSE: "endorses the framework",
        Kind.FRAMEWORK: "tables a framework text",
        Kind.PASS: message.text or "lets the round pass",
        Kind.THREATEN: "threatens",
        Kind.STRIKE: "strikes",
        Kind.ADVISE: "advises",
        Kind.NOTE: "writes out of turn",
        Kind.ADJOURN: "agrees to adjourn and meet again",
    }.get(message.kind, message.kind)
    if message.data.get("carried"):
        verb = "stands by its position from the last session"
    elif message.kind == Kind.DRAFT and message.phase.startswith("consult"):
        verb = "floats an idea in private"
    if message.kind == Kind.DECLINE and message.outcome is not None:
        verb = "declines to endorse the framework"
    text = f"{where} {sender} → {audience}: {verb}"
    if message.kind in (Kind.STATEMENT, Kind.ADVISE, Kind.NOTE, Kind.THREATEN, Kind.STRIKE):
        return f"{text} [italic]“{escape(message.text)}”[/]"
    covers = message.data.get("covers")
    if message.kind == Kind.FRAMEWORK and covers:  # only the items it covers mean anything
        ids = {name.strip() for name in str(covers).split(",")}
        space = scenario.space
        items = [str(space.issues[j].value_of(o)) for j, o in enumerate(message.outcome or ())
                 if space.issues[j].id in ids]
        text += f"  {' '.join(items)} (covers {', '.join(sorted(ids))})"
    elif message.outcome is not None and message.kind not in (
        Kind.ACCEPT,
        Kind.ENDORSE,
        Kind.DECLINE,
    ):
        text += f"  {package(scenario.space, message.outcome)}"
        note = ledger.note(message) if ledger is not None else ""
        text += f" [dim]({note})[/]" if note else ""
    feedback = message.data.get("feedback")
    return text + (f" [dim]({feedback} than before)[/]" if feedback else "")


def _event(message: Message, sender: str) -> str:
    """An outside event, a briefing or a binding, and what it did."""
    text = escape(message.text)
    effect = message.data.get("effect")
    if effect is not None:
        told = "" if message.public else f" [dim](told to {escape(', '.join(message.to))} alone)[/]"
        return f"  [red]↳ {text}[/]{told}"
    kind = message.data.get("event")
    if kind == "briefing":
        return f"{sender} [dim]briefs the press:[/] {text}"
    if kind == "restrain":
        ally, spoiler = (escape(str(message.data.get(k))) for k in ("by", "party"))
        return f"{ally} → {spoiler}: [bold red]⚡ {text}[/]"
    if kind == "bound":
        return f"[bold green]{text}[/]"
    standing = " [dim](standing condition)[/]" if message.data.get("standing") else ""
    affected = message.data.get("party")
    who = f"affects {affected}" if message.sender == "world" and affected else message.sender
    return f"[bold red]⚡ {text}[/] ({escape(str(who))}){standing}"


def _finish(
    session: Session,
    as_json: bool,
    rivals: Callable[[], Comparison] | None = None,
) -> None:
    # The yardsticks for the principals' profiles as they stood when the talks ended: the
    # reservation values the result reports (outside events move them) and the items of an
    # endorsed framework, which bind any agreement.
    at_end = session.scenario.with_profiles(
        {p: profile for p in session.principals if (profile := session.seats[p].profile())}
    )
    try:
        with scan_progress("Analysing the outcome space") as progress:
            analysis: Analysis | None = analyze(at_end, progress=progress)
    except AnalysisError as exc:
        analysis = None  # the talks still have a result; only the yardsticks are missing
        if not as_json:
            console.print(f"[yellow]No analysis: {escape(str(exc))}[/]")
    report = _report(session, analysis)
    report["provenance"] = report_provenance(session.scenario.doc, report)
    comparison = rivals() if rivals is not None else Comparison([])
    if comparison.runs:
        report["mediators"] = [r.to_json(analysis) for r in comparison.runs]
        report["mediators_without_event"] = comparison.without
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    _print_result(session, analysis, report)
    if comparison.runs:
        console.print(mediator_table(comparison, analysis, list(session.result().parties)))
        for line in why_not(comparison):
            console.print(line, highlight=False)


def _report(session: Session, analysis: Analysis | None) -> dict[str, Any]:
    result = session.result()
    space = session.scenario.space
    nash = analysis.nash if analysis is not None else None
    agreement = None
    if result.agreement is not None and result.utilities is not None:
        agreement = {
            "outcome": space.to_values(result.agreement),
            "utilities": [figure(u) for u in result.utilities],
            "distance_to_pareto": None
            if analysis is None
            else figure(analysis.distance_to_pareto(result.utilities)),
            "distance_to_nash": None
            if nash is None
            else figure(math.dist(result.utilities, nash.utilities)),
        }
    return {
        "scenario": session.scenario.name,
        "protocol": session.settings.protocol,
        "strategies": {p: s.to_json() for p, s in session.settings.strategies.items()},
        "seed": result.seed,
        "hazards": session.settings.hazards,
        "rounds": result.rounds,
        "parties": list(result.parties),
        "ended": result.ended,
        "reason": result.reason,
        "ended_by": result.ended_by,
        "agreement": agreement,
        "reservations": [figure(session.reservation(p)) for p in result.parties],
        "zopa_size": None if analysis is None else analysis.zopa_size,
        "nash": None
        if nash is None
        else {
            "outcome": space.to_values(nash.outcome),
            "utilities": [figure(u) for u in nash.utilities],
        },
        "messages": len(session.transcript),
        "settled": _items(space, result.settled),
        "procedural": [i.id for i in session.scenario.doc.issues if i.agenda == "procedural"],
        "open": [space.issues[j].id for j in result.open_issues],
        "bound": [
            {"by": b.by, "round": b.round, "items": _items(space, dict(b.items))}
            for b in result.bound
        ],
        "rounds_indirect": result.rounds - result.direct_rounds,
        "rounds_direct": result.direct_rounds,
    }


def _items(space: OutcomeSpace, items: Sequence[int | None] | Mapping[int, int]) -> dict[str, Any]:
    """Issue id -> option value, for the issues given (None: open, left out)."""
    pairs = items.items() if isinstance(items, Mapping) else enumerate(items)
    return {space.issues[j].id: space.issues[j].value_of(o) for j, o in pairs if o is not None}


def _agreed(scenario: Scenario, settled: Mapping[str, Any]) -> str:
    """The issues agreed so far, procedure first (whether, when and how the talks go on)."""
    agenda = {issue.id: issue.agenda for issue in scenario.doc.issues}
    parts = []
    for kind in ("procedural", "substantive"):
        items = [f"{k}={v}" for k, v in settled.items() if agenda.get(k) == kind]
        if items:
            parts.append(f"{'on procedure' if kind == 'procedural' else 'on substance'} "
                         + ", ".join(items))
    return "; ".join(parts) or "nothing yet"


def _print_result(session: Session, analysis: Analysis | None, report: dict[str, Any]) -> None:
    result = session.result()
    space = session.scenario.space
    nash = analysis.nash if analysis is not None else None
    console.rule("[bold]Result")
    if result.direct_from is not None:
        console.print(
            f"Rounds: {result.rounds - result.direct_rounds} indirect (through "
            f"{session.mediator}), {result.direct_rounds} direct, from round {result.direct_from}."
        )
    for binding in result.bound:
        items = ", ".join(f"{k}={v}" for k, v in _items(space, dict(binding.items)).items())
        console.print(f"Endorsed by every principal: {binding.by}'s framework ({items}).")
    if result.ended == "adjourned":
        console.print(
            f"[bold yellow]Adjourned[/] after {result.rounds} rounds: {result.reason}.\n"
            f"Agreed so far: {_agreed(session.scenario, report['settled'])}. "
            f"Still open: {', '.join(report['open']) or 'none'}.\n"
            "[dim]Until every issue is agreed, each principal values the talks at its "
            "reservation value (nothing is agreed until everything is agreed).[/]"
        )
    elif result.agreement is None:
        console.print(f"[bold red]No agreement[/] after {result.rounds} rounds: {result.reason}.")
    if result.agreement is None:
        if nash is not None:
            console.print(
                "A deal every principal prefers to no deal existed: the Nash point was "
                f"{package(space, nash.outcome)}."
            )
        elif analysis is not None:
            console.print("No package was acceptable to every principal (the ZOPA is empty).")
        return
    table = Table(title=f"Agreement after {result.rounds} rounds", title_justify="left")
    table.add_column("issue", style="bold")
    table.add_column("agreed")
    table.add_column("Nash point", style="dim")
    for j, issue in enumerate(space.issues):
        table.add_row(
            issue.name,
            issue.describe(result.agreement[j]),
            issue.describe(nash.outcome[j]) if nash else "-",
        )
    console.print(table)
    assert result.utilities is not None
    for k, party in enumerate(result.parties):
        rv = session.reservation(party)
        console.print(f"  {party}: utility {result.utilities[k]:.3f} (no-deal value {rv:.3f})")
    agreement = report["agreement"]
    if agreement["distance_to_pareto"] is not None and agreement["distance_to_nash"] is not None:
        console.print(
            f"Distance to the Pareto frontier: {agreement['distance_to_pareto']:.3f}; "
            f"to the Nash point: {agreement['distance_to_nash']:.3f} (utility space)."
        )
