"""``parley forecast``: how likely a deal is under the uncertainty a scenario declares."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from parley.cli.console import console, error_console
from parley.errors import FileError, UsageError
from parley.forecast import Forecast, Summary, check, forecast
from parley.scenario import load

TOP_OPTIONS = 4  # options listed per issue, most agreed first


def register(app: typer.Typer) -> None:
    app.command("forecast")(forecast_command)


def forecast_command(
    scenario: str = typer.Argument(
        "muscat-2026", help="A built-in name, a scenario file or folder."
    ),
    runs: int = typer.Option(1000, help="How many runs (each draws the uncertain inputs anew)."),
    seed: int = typer.Option(
        0, min=0, help="Seed of the whole forecast; run k derives its own from it."
    ),
    workers: int | None = typer.Option(
        None, help="Worker processes or Ray actors (default: every core)."
    ),
    ray: bool = typer.Option(
        False, "--ray", help="Run on Ray: a local Ray started here (see --ray-address)."
    ),
    ray_address: str | None = typer.Option(
        None,
        "--ray-address",
        metavar="ADDRESS",
        help="Run on the Ray cluster at ADDRESS (host:port of its head; implies --ray).",
    ),
    without: list[str] = typer.Option(
        [],
        "--without",
        metavar="TITLE",
        help="What-if: switch off this event (repeatable; default: every event that ends talks).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead."),
    plots: Path | None = typer.Option(None, metavar="DIR", help="Write PNG plots into DIR."),
) -> None:
    """Monte Carlo over a scenario's declared uncertainty: chance of a deal, what decides it."""
    if runs < 1:
        raise UsageError(f"--runs: must be at least 1, got {runs}")
    if workers is not None and workers < 1:
        raise FileError(f"--workers: must be at least 1, got {workers}")
    if plots is not None and plots.exists() and not plots.is_dir():
        raise FileError(f"--plots {plots}: not a folder")
    loaded = load(scenario)
    check(loaded, runs, without or None)  # every input error before the progress bar starts
    with _progress() as bar:
        task = bar.add_task("Runs", total=runs, rate="")
        result = forecast(
            loaded,
            runs,
            seed=seed,
            workers=workers,
            ray=ray_address or ("local" if ray else None),
            without=without or None,
            progress=lambda done, total: bar.update(task, completed=done, rate=_rate(bar, task)),
        )
    if as_json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print_report(result)
    if plots is not None:
        from parley.forecast.plots import write_plots  # matplotlib loads only when drawing

        out = error_console if as_json else console  # with --json, stdout holds JSON alone
        for path in write_plots(result, plots):
            out.print(f"Plot: {escape(str(path))}")


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=error_console,
        transient=True,
        disable=not error_console.is_terminal,  # no bar in logs and pipes
    )


def _rate(bar: Progress, task: TaskID) -> str:
    speed = bar.tasks[task].speed
    return "" if speed is None else f"{speed:.1f} runs/s"


def print_report(result: Forecast) -> None:
    s = result.summary
    console.print(f"\n[bold]{escape(result.title)}[/]  [dim]{escape(result.source)}[/]")
    console.print(f"{s.runs} runs, seed {result.seed}, {len(result.inputs)} uncertain inputs\n")
    if result.failures:
        console.print(
            f"[red]{len(result.failures)} batch(es) failed and are left out:[/] "
            f"{escape(result.failures[0][1])}"
        )
    console.print(
        f"[bold]Probability of agreement: {_share(s.probability)}[/]  "
        f"(95% interval {_share(s.interval[0])} to {_share(s.interval[1])})\n"
    )
    console.print(_causes(s))
    console.print(_utilities(result))
    for note in result.below_reservation():
        console.print(escape(note), highlight=False)
    console.print(_options(result))
    console.print(_sensitivity(result))
    if result.what_if is not None:
        _print_what_if(result)


def _share(p: float) -> str:
    return f"{100 * p:.1f}%"


def _causes(s: Summary) -> Table:
    table = Table(title="How the talks ended", title_justify="left")
    table.add_column("end")
    table.add_column("runs", justify="right")
    table.add_column("share", justify="right")
    for cause, n in s.causes.items():
        table.add_row(escape(cause), str(n), _share(n / s.runs))
    return table


def _utilities(result: Forecast) -> Table:
    s = result.summary
    table = Table(title="Utilities", title_justify="left")
    table.add_column("principal")
    table.add_column("expected (no deal = reservation)", justify="right")
    table.add_column("given agreement", justify="right")
    for k, name in enumerate(result.principals):
        given = "-" if s.given_agreement is None else f"{s.given_agreement[k]:.3f}"
        table.add_row(escape(name), f"{s.expected[k]:.3f}", given)
    return table


def _options(result: Forecast) -> Table:
    s = result.summary
    table = Table(
        title=f"Agreed option per issue (share of {s.agreements} agreements)", title_justify="left"
    )
    table.add_column("issue")
    table.add_column("most agreed options")
    for issue, counts in zip(result.space.issues, s.options, strict=True):
        ranked = sorted(((n, k) for k, n in enumerate(counts) if n), reverse=True)
        text = " · ".join(
            f"{issue.value_of(k)} {_share(n / s.agreements)}" for n, k in ranked[:TOP_OPTIONS]
        )
        table.add_row(escape(f"{issue.id} {issue.name}"), escape(text or "-"))
    return table


def _sensitivity(result: Forecast) -> Table:
    table = Table(
        title="What moves the result (first-order index; rank correlation)", title_justify="left"
    )
    table.add_column("#", justify="right")
    table.add_column("uncertain input")
    table.add_column("agreement", justify="right")
    for name in result.principals:
        table.add_column(f"utility {escape(name)}", justify="right")
    for k, e in enumerate(result.effects, 1):
        cells = [f"{e.agreement[0]:.3f} ({e.agreement[1]:+.2f})"]
        cells += [f"{u[0]:.3f} ({u[1]:+.2f})" for u in e.utilities]
        table.add_row(str(k), escape(e.input.name), *cells)
    return table


def _print_what_if(result: Forecast) -> None:
    w = result.what_if
    assert w is not None
    s, o = result.summary, w.summary
    console.print(
        f"\n[bold]What if {escape('; '.join(w.off))} were switched off[/] "
        "(the same runs: same draws, same seeds)"
    )
    console.print(
        f"Probability of agreement: {_share(o.probability)} instead of {_share(s.probability)} "
        f"(change {100 * w.change:+.1f} points, 95% interval {100 * w.change_interval[0]:+.1f} "
        f"to {100 * w.change_interval[1]:+.1f})"
    )
    console.print(
        f"It ended {w.ended_by_off} of {s.runs} runs ({_share(w.ended_by_off / s.runs)}); "
        f"without it {w.rescued} of those reach agreement."
    )
    gains = ", ".join(
        f"{escape(p)} {a:.3f} -> {b:.3f}"
        for p, a, b in zip(result.principals, s.expected, o.expected, strict=True)
    )
    console.print(f"Expected utility: {gains}\n")
