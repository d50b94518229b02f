"""``parley track`` plays a series of sessions: recorded history, then simulated sessions,
each starting where the last ended, until a deal, a collapse or the horizon."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from parley.cli.console import console, error_console
from parley.engine.transcript import dumps
from parley.errors import FileError
from parley.outcomes import OutcomeSpace
from parley.scenario import load
from parley.track import Played, Track, play_track, track_json

ENDED = {"agreement": "deal", "deadline": "deadline, no deal"}
"""How a session's end reads in the timeline, where the engine's word is not plain enough."""
COLOURS = {"agreement": "green", "adjourned": "cyan"}
"""Other ends (a walk-away, a cancellation) are red."""


def register(app: typer.Typer) -> None:
    app.command("track")(track_command)


def track_command(
    scenario: str = typer.Argument(..., help="A built-in name, a scenario file or folder."),
    seed: int = typer.Option(
        0,
        help="Seed of the whole track (0 or more); session 1 plays with it, later ones "
        "derive theirs.",
    ),
    horizon: int | None = typer.Option(
        None, help="At most this many sessions (default: the scenario's \\[track] horizon)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead."),
    transcript: Path | None = typer.Option(
        None,
        metavar="DIR_OR_FILE",
        help="Write each simulated session's transcript: DIR/session-K.jsonl, or for "
        "talks.jsonl, talks-K.jsonl beside it (each replays alone with parley replay).",
    ),
) -> None:
    """Play a track: the recorded sessions, then simulated ones, each where the last ended."""
    loaded = load(scenario)
    track = play_track(loaded, seed, horizon)
    written = write_transcripts(track, transcript) if transcript is not None else []
    if as_json:
        print(json.dumps(track_json(track), indent=2, ensure_ascii=False))
    else:
        print_track(track)
    out = error_console if as_json else console  # with --json, stdout holds JSON alone
    for path in written:
        out.print(f"Transcript: {escape(str(path))}")


def write_transcripts(track: Track, target: Path) -> list[Path]:
    """Each held session's transcript, as ``--transcript`` says; the paths written."""
    held = [s for s in track.sessions if s.run is not None]
    if target.suffix:
        paths = [target.with_name(f"{target.stem}-{s.slot.number}{target.suffix}") for s in held]
        folder = target.parent
    else:
        paths = [target / f"session-{s.slot.number}.jsonl" for s in held]
        folder = target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for session, path in zip(held, paths, strict=True):
            run = session.run
            assert run is not None
            path.write_text(
                dumps(run.scenario, run.settings, run.seed, run.transcript), encoding="utf-8"
            )
    except OSError as exc:
        raise FileError(
            f"--transcript {target}: cannot write the transcripts: {exc.strerror}"
        ) from None
    return paths


# -- the timeline ---------------------------------------------------------------------------


def print_track(track: Track) -> None:
    scenario = track.scenario
    console.rule(f"[bold]Track: {escape(scenario.title)}")
    console.print(
        f"Seed {track.seed}, at most {track.horizon} simulated session(s). Session 1 is "
        f"the scenario itself (as [bold]parley run --hazards --seed {track.seed}[/] plays it); "
        "each later session starts where the last ended: agreed issues bind, standing "
        "positions and reservation values carry over."
    )
    doc = scenario.doc.track
    if doc is None:
        console.print(
            f"[yellow]{escape(scenario.name)} has no \\[track] section:[/] simulated sessions "
            "only (no recorded history, no events between sessions)."
        )
    elif doc.between:
        risks = "; ".join(f"{escape(e.title)} ({100 * e.probability:g}%)" for e in doc.between)
        console.print(f"Between sessions, drawn each time: {risks}.")
    console.print(timeline(track))
    names = " / ".join(escape(p) for p in track.principals)
    console.print(
        f"[dim]rounds: indirect/direct; agreed/open: issues agreed so far in the track / still "
        f"open; {names} deal: utility of a deal. Until a deal each principal holds its "
        "reservation value: nothing is agreed until everything is agreed.[/]"
    )
    console.print(_agreed_line(track))
    console.print(f"[bold]{end_line(track)}[/]")


def timeline(track: Track) -> Table:
    """The recorded sessions, then the simulated ones with the events between them."""
    table = Table(
        title="Timeline",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=0,
        show_edge=False,
    )
    table.add_column("date", no_wrap=True)
    table.add_column("session", ratio=1)
    table.add_column("", no_wrap=True)
    table.add_column("ended", no_wrap=True)
    table.add_column("rounds\nind/dir", justify="right", no_wrap=True)
    table.add_column("agreed\n/open", justify="right", no_wrap=True)
    for name in track.principals:
        table.add_column(f"{escape(name)}\ndeal", justify="right", max_width=7)
    blank = ("",) * (3 + len(track.principals))
    for r in track.history:
        ended = f"[red]{escape(r.ended)}[/]" if r.ended == "cancelled" else escape(r.ended)
        table.add_row(escape(r.date or ""), escape(r.title), "[dim]recorded[/]", ended, *blank[1:])
    for session in track.sessions:
        for happening in session.before:
            what = f"[red]⚡ {escape(happening.title)}[/] ({escape(happening.effect)})"
            table.add_row("", what, "[dim]between[/]", "", *blank[1:])
        table.add_row(*_row(session, track))
    return table


def _row(session: Played, track: Track) -> tuple[str, ...]:
    slot = session.slot
    title = f"{slot.number}. {escape(slot.title)}" if slot.title else f"Session {slot.number}"
    ended = escape(ENDED.get(session.ended, session.ended))
    agreed = sum(option is not None for option in session.agreed)
    count = f"{agreed}/{len(session.agreed) - agreed}"
    cells = (escape(slot.date or ""), title, "simulated")
    run = session.run
    if run is None:
        return (*cells, f"[red]{ended}[/]", "", count, *[""] * len(track.principals))
    result = run.result
    rounds = f"{result.rounds - result.direct_rounds}/{result.direct_rounds}"
    utilities = [""] * len(track.principals)
    if result.utilities is not None:
        utilities = [f"{u:.2f}" for u in result.utilities]
    colour = COLOURS.get(result.ended, "red")
    return (*cells, f"[{colour}]{ended}[/]", rounds, count, *utilities)


def _agreed_line(track: Track) -> str:
    space: OutcomeSpace = track.scenario.space
    agreed = track.last.agreed
    items = [
        f"{issue.id} = {issue.value_of(o)}"
        for issue, o in zip(space.issues, agreed, strict=True)
        if o is not None
    ]
    open_ = [issue.id for issue, o in zip(space.issues, agreed, strict=True) if o is None]
    if track.end == "deal":
        return f"The deal: {escape(', '.join(items))}."
    if not items:
        return "Agreed so far: nothing."
    return f"Agreed so far: {escape(', '.join(items))}; open: {escape(', '.join(open_))}."


def end_line(track: Track) -> str:
    """The track's end in one line."""
    if track.end == "deal":
        assert track.utilities is not None
        values = ", ".join(
            f"{p} {u:.3f}" for p, u in zip(track.principals, track.utilities, strict=True)
        )
        return f"Deal {track.why}: {escape(values)}."
    kept = "each principal is left with its reservation value"
    if track.end == "collapse":
        return f"The track collapsed {escape(track.why)}; {kept}."
    return f"No deal within the horizon of {track.horizon} session(s); {kept}."
