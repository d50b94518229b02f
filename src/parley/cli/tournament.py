"""``parley tournament``: a grid of negotiations on every core or a Ray cluster, to Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from parley.cli.console import console, error_console
from parley.errors import UnknownNameError
from parley.scenario import builtin_names
from parley.tournament import by_mediator, by_strategy, make_grid, read_config
from parley.tournament.run import Tournament
from parley.tournament.summary import AnacLine, Line, anac_ranking


def register(app: typer.Typer) -> None:
    app.command("tournament")(tournament)


def tournament(
    config: Path | None = typer.Option(
        None, "--config", metavar="FILE", help="A tournament TOML file (options below override it)."
    ),
    scenario: list[str] = typer.Option(
        [], "--scenario", help="Built-in name, scenario file or folder (repeatable)."
    ),
    strategy: list[str] = typer.Option(
        [],
        "--strategy",
        help="Negotiator strategy for the principals (repeatable): boulware, linear, conceder, "
        "tit-for-tat, hardliner, random, boa (boa:bidding=NAME,acceptance=NAME,model=NAME) or "
        "an ANAC agent (agent-k, hardheaded, gahboninho, cuhk-agent, agent-lg, the-fawkes, "
        "atlas3, caduceus, ponpoko, agent-gg), "
        "with :KEY=VALUE parameters (default: all of them).",
    ),
    mediator: list[str] = typer.Option(
        [],
        "--mediator",
        help="Mediator strategy (repeatable; default: each scenario's): relay, bridging or "
        "nash-bridging (shuttle); hill-climb, annealing, feedback or elicit (single-text); "
        "confidential (both).",
    ),
    protocol: list[str] = typer.Option(
        [], "--protocol", help="direct, shuttle, single-text (repeatable; default: the scenario's)."
    ),
    seeds: int | None = typer.Option(None, min=1, help="Play seeds 0..N-1 (default: 10)."),
    pairings: str | None = typer.Option(
        None, help="all (every ordered line-up), distinct or self (default: all)."
    ),
    rounds: int | None = typer.Option(None, min=1, help="Deadline in rounds for every match."),
    timeout: float | None = typer.Option(
        None, help="Seconds one negotiation may take before it is recorded as failed (default: 60)."
    ),
    style: str | None = typer.Option(
        None,
        help="parley (strategies by mean utility, mediators by Nash ratio) or anac (agents "
        "ranked by mean discounted utility, social welfare, Nash distance, agreement rate; "
        "direct talks, no self-play by default). Default: parley.",
    ),
    imports: list[str] = typer.Option(
        [], "--import", help="Module or .py file that registers extra strategies (repeatable)."
    ),
    workers: int | None = typer.Option(
        None, min=1, help="Worker processes or Ray actors (default: every core)."
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
    out: Path = typer.Option(Path("results.parquet"), help="Parquet file of results."),
    plots: Path | None = typer.Option(None, metavar="DIR", help="Write PNG plots into DIR."),
    resume: bool = typer.Option(False, "--resume", help="Finish the tournament already in --out."),
) -> None:
    """Play every negotiation of a grid in parallel: one Parquet row each, a summary, plots."""
    values: dict[str, Any] = read_config(config) if config is not None else {}
    source = str(config) if config is not None else "options"
    given = {
        "scenarios": scenario,
        "strategies": strategy,
        "mediators": mediator,
        "protocols": protocol,
        "seeds": seeds,
        "pairings": pairings,
        "rounds": rounds,
        "timeout": timeout,
        "imports": imports,
        "style": style,
    }
    values.update({k: v for k, v in given.items() if v not in (None, [])})
    values.setdefault("scenarios", builtin_names())
    values.setdefault("strategies", _all_negotiators())
    try:
        grid = make_grid(source, values)
        plan = Tournament(grid, out, resume=resume)  # every input error surfaces here
    except UnknownNameError as exc:  # say which option (or key of the file) names it
        option, key = OPTIONS.get(exc.kind, ("", ""))
        if not option or exc.where:
            raise
        where = option if given[key] else f"{config}: {key}"
        raise UnknownNameError(exc.kind, exc.name, exc.known, where=where) from None
    if plan.already:
        console.print(f"Resuming: {plan.already} of {plan.total} negotiations already done.")
    with _progress() as bar:
        task = bar.add_task("Negotiations", total=plan.total, completed=plan.already, failed=0)
        failed = 0

        def tick(row: dict[str, Any]) -> None:
            nonlocal failed
            failed += row["failure"] is not None
            bar.update(task, advance=1, failed=failed)

        rows = plan.play(
            workers=workers, ray=ray_address or ("local" if ray else None), on_row=tick
        )
    _print_summary(rows, out, grid.style)
    if plots is not None:
        from parley.tournament.plots import draw

        for path in draw(rows, plots, style=grid.style):
            console.print(f"Plot: {path}")


OPTIONS = {
    "protocol": ("--protocol", "protocols"),
    "negotiator strategy": ("--strategy", "strategies"),
    "mediator strategy": ("--mediator", "mediators"),
}
"""The option and the tournament file's key that give names of each kind."""


def _all_negotiators() -> list[str]:
    from parley.strategies import NEGOTIATORS

    return sorted(NEGOTIATORS)


class RateColumn(ProgressColumn):
    """Negotiations per second so far."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.1f}/s", style="cyan")


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        TextColumn("[red]{task.fields[failed]} failed"),
        console=error_console,
    )


def _print_summary(rows: list[dict[str, Any]], out: Path, style: str) -> None:
    failures = sum(r["failure"] is not None for r in rows)
    console.print(f"{len(rows)} negotiations, {failures} failed; results in {escape(str(out))}.")
    if style == "anac":
        console.print(_anac_table(anac_ranking(rows)))
        return
    console.print(
        _table("Strategies (mean utility over every seat held)", "strategy", by_strategy(rows))
    )
    console.print(
        _table("Mediators (mean utility of the principals)", "mediator", by_mediator(rows))
    )


def _table(title: str, what: str, lines: list[Line]) -> Table:
    table = Table(title=title, title_justify="left")
    for name in (what, "played", "utility", "agreed", "Nash ratio", "rounds"):
        # Names fold rather than end in "...": two compositions (boa:...) differ at the end.
        table.add_column(
            name,
            justify="left" if name == what else "right",
            overflow="fold" if name == what else "ellipsis",
        )
    table.add_column("failed", justify="right", style="red")
    for line in lines:
        table.add_row(
            escape(line.name),
            str(line.negotiations),
            _number(line.mean_utility, "{:.3f}"),
            _number(line.agreement_rate, "{:.0%}"),
            _number(line.mean_nash_ratio, "{:.3f}"),
            _number(line.mean_rounds, "{:.1f}"),
            str(line.failures),
        )
    return table


def _anac_table(lines: list[AnacLine]) -> Table:
    table = Table(
        title="ANAC ranking (mean discounted utility over every seat held)",
        title_justify="left",
        show_edge=False,  # nine columns in 80
    )
    models = any(line.model_pearson for line in lines)  # a column only when some agent models
    heads = ("#", "agent", "n", "utility", "welfare", "Nash dist", "agreed")
    # an agent's name keeps its width up to 10 characters (then folds: two compositions
    # boa:... differ at the end); the short headings leave it room in 80 columns
    longest = min(10, max((len(line.name) for line in lines), default=5))
    for name in heads + (("model r",) if models else ()):
        agent = name == "agent"
        table.add_column(
            name,
            justify="left" if agent else "right",
            overflow="fold" if agent else "ellipsis",
            min_width=longest if agent else None,
        )
    table.add_column("fail", justify="right", style="red")
    for rank, line in enumerate(lines, start=1):
        cells = [
            str(rank),
            escape(line.name),
            str(line.negotiations),
            _number(line.score, "{:.3f}"),
            _number(line.mean_welfare, "{:.3f}"),
            _number(line.mean_nash_distance, "{:.3f}"),
            _number(line.agreement_rate, "{:.0%}"),
        ]
        if models:
            cells.append(_number(line.mean_model_pearson, "{:.2f}"))
        table.add_row(*cells, str(line.failures))
    return table


def _number(value: float | None, form: str) -> str:
    return "-" if value is None else form.format(value)
