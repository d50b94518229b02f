"""``parley analyze``: where the good deals are, as a report, one JSON object, or a picture."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from parley import analysis
from parley.analysis import Analysis, Point
from parley.cli.console import console, error_console, scan_progress
from parley.engine.narrate import package
from parley.outcomes import DiscreteIssue, Issue
from parley.plot import check_path, write_plot  # matplotlib itself loads only when drawing
from parley.scenario import Scenario, load
from parley.scenario.sources import report_provenance

FRONTIER_ROWS = 12  # frontier packages listed before "... N more"
_COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red")
_LEGEND = (
    "Nash: largest product of gains over the BATNAs · Kalai: each side gets as nearly as possible "
    "the same share of its best possible gain · utilitarian: largest total utility · "
    "egalitarian: largest smallest gain."
)


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)


def analyze_command(
    scenario: str = typer.Argument(..., help="A scenario file, folder or built-in name."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead."),
    plot: Path | None = typer.Option(
        None, "--plot", metavar="FILE", help="Also draw the outcomes to FILE.png, .svg or .html."
    ),
) -> None:
    """Find the Pareto frontier, the ZOPA and the Nash, Kalai, utilitarian and egalitarian deals."""
    if plot is not None:
        check_path(plot)  # a wrong extension or folder fails before any work
    loaded = load(scenario)
    with scan_progress() as progress:
        result = analysis.analyze(loaded, progress=progress)
    if as_json:
        doc = {"scenario": loaded.name, "title": loaded.title, **result.to_json(loaded.space)}
        doc["provenance"] = report_provenance(loaded.doc, doc)
        print(json.dumps(doc, indent=2))
    else:
        print_report(loaded, result)
    if plot is not None:
        written = write_plot(loaded, result, plot)
        # with --json, stdout holds the JSON object alone
        out = error_console if as_json else console
        out.print(f"[green]✓[/] plot written to {escape(str(written))}")


def print_report(scenario: Scenario, result: Analysis) -> None:
    """The analysis for a person: who negotiates, how much room there is, and the best deals."""
    console.print(f"[bold]{escape(scenario.title)}[/]  [dim]{escape(scenario.source)}[/]\n")
    console.print(_principals_table(scenario, result))
    console.print(_summary(result))
    if result.zopa_size:
        console.print(_points_table(scenario, result))
        console.print(f"[dim]{_LEGEND}[/]\n")
    if result.pareto:
        console.print(_frontier_table(scenario, result))
        key = _key(scenario, _shown(result))
        if key is not None:
            console.print(key)
    else:
        console.print("[bold]Pareto frontier:[/] none, since every package crosses a red line.")


def _name(result: Analysis, i: int) -> str:
    return f"[bold {_COLOURS[i % len(_COLOURS)]}]{escape(result.parties[i])}[/]"


def _principals_table(scenario: Scenario, result: Analysis) -> Table:
    table = Table(title="Principals", title_justify="left")
    table.add_column("principal")
    table.add_column("BATNA (walk-away utility)", justify="right")
    table.add_column("best utility in the ZOPA", justify="right")
    table.add_column("red lines", justify="right")
    for i, party in enumerate(scenario.principals):
        best = "-" if result.ideal is None else f"{result.ideal[i]:.3f}"
        lines = 0 if party.preferences is None else len(party.preferences.red_lines)
        table.add_row(_name(result, i), f"{result.reservations[i]:.3f}", best, str(lines))
    return table


def _summary(result: Analysis) -> str:
    share = result.zopa_size / result.outcomes
    exist = (
        ""
        if result.possible is None
        else f"[bold]{result.possible:,}[/] can exist (the others break a constraint) · "
    )
    text = (
        f"[bold]{result.outcomes:,}[/] packages · {exist}[bold]{result.feasible:,}[/] "
        f"{'of them ' if exist else ''}cross no red line · [bold]{result.zopa_size:,}[/] "
        f"acceptable to every principal (the ZOPA, {share:.1%})\n"
    )
    if not result.zopa_size:
        text += (
            "[bold red]No package is acceptable to all principals:[/] each one crosses a red "
            "line, breaks a constraint or leaves someone below their BATNA, so there is no "
            "Nash, Kalai, utilitarian or egalitarian deal.\n"
        )
    return text


def _points_table(scenario: Scenario, result: Analysis) -> Table:
    """One column per distinct special package (points sharing a package share a column)."""
    groups = result.special_groups()
    table = Table(title="The special deals, issue by issue", title_justify="left")
    table.add_column("issue", style="bold")
    for _point, names in groups:
        table.add_column(" = ".join(names), overflow="fold")
    for j, issue in enumerate(scenario.space.issues):
        chosen = [point.outcome[j] for point, _names in groups]
        style = "bold yellow" if len(set(chosen)) > 1 else ""  # where the deals differ
        labels = (escape(_label(issue, c)) for c in chosen)
        table.add_row(escape(issue.name), *(f"[{style}]{x}[/]" if style else x for x in labels))
    table.add_section()
    for i in range(len(result.parties)):
        cells = [_utility(p.utilities[i], result.reservations[i]) for p, _ in groups]
        table.add_row(f"utility of {_name(result, i)}", *cells)
    return table


def _utility(utility: float, reservation: float) -> str:
    # ZOPA points gain at least 0; float noise can put an exact zero a hair below
    return f"{utility:.3f} [dim](+{max(utility - reservation, 0.0):.3f})[/]"


def _label(issue: Issue, index: int) -> str:
    if isinstance(issue, DiscreteIssue):
        return issue.options[index].label or issue.options[index].id
    return issue.describe(index)


def _frontier_table(scenario: Scenario, result: Analysis) -> Table:
    """The frontier's packages in the ZOPA (the deals on offer), or all if none is."""
    size = len(result.pareto)
    inside = [p for p in result.pareto if result.meets_reservations(p.utilities)]
    shown = _shown(result)
    listed = len(inside) or size
    which = "all shown" if len(shown) == listed else f"the first {len(shown):,} shown"
    zopa = f"{len(inside):,} ({which})" if inside else f"none (of all {size:,}, {which})"
    table = Table(
        title=f"Pareto frontier: {size:,} package{'s' * (size != 1)} that no principal can "
        f"improve on without another losing; in the ZOPA: {zopa}",
        title_justify="left",
    )
    table.add_column("#", justify="right", style="dim")
    for i in range(len(result.parties)):
        table.add_column(_name(result, i), justify="right")
    table.add_column("deal", justify="center")
    table.add_column("package", overflow="fold")
    marks = _marks(result)
    for k, point in enumerate(shown, start=1):
        table.add_row(
            str(k),
            *(f"{u:.3f}" for u in point.utilities),
            marks.get(point.outcome, ""),
            escape(package(scenario.space, point.outcome)),
        )
    if any(point.outcome in marks for point in shown):
        table.caption = "deal: N Nash, K Kalai, U utilitarian, E egalitarian"
        table.caption_justify = "left"
    more = _more(len(shown), len(inside), size)
    if more:
        table.add_row(*[""] * (len(result.parties) + 2), f"[dim]{more}[/]")
    return table


def _shown(result: Analysis) -> list[Point]:
    """The frontier packages the table lists: those in the ZOPA (all, if none is), the first
    ``FRONTIER_ROWS``."""
    inside = [p for p in result.pareto if result.meets_reservations(p.utilities)]
    return (inside or list(result.pareto))[:FRONTIER_ROWS]


def _key(scenario: Scenario, shown: list[Point]) -> Table | None:
    """What the option codes in the listed packages stand for (``A6  3-year pause``), issue by
    issue; None when no package is written in codes."""
    table = Table(
        title="Key to the packages: each option by its code", title_justify="left", box=None
    )
    table.add_column("issue", style="bold")
    table.add_column("options in the packages above")
    for j, issue in enumerate(scenario.space.issues):
        if not isinstance(issue, DiscreteIssue):
            continue
        used = sorted({point.outcome[j] for point in shown})
        coded = [issue.options[o] for o in used if issue.options[o].id.startswith(issue.id)]
        if coded:
            table.add_row(
                escape(f"{issue.id} {issue.name}"),
                escape(" · ".join(f"{o.id} {o.name}" for o in coded)),
            )
    return table if table.row_count else None


def _more(shown: int, inside: int, size: int) -> str:
    """What the frontier table leaves out, e.g. ``... 9 more in the ZOPA, 85 outside it``."""
    if not inside:
        return f"... {size - shown:,} more" if size > shown else ""
    parts = [f"{inside - shown:,} more in the ZOPA"] if inside > shown else []
    parts += [f"{size - inside:,} outside it"] if size > inside else []
    return "... " + ", ".join(parts) if parts else ""


def _marks(result: Analysis) -> dict[tuple[int, ...], str]:
    """Initials of the special points at each package, e.g. ``NKU``."""
    return {p.outcome: "".join(n[0].upper() for n in names) for p, names in result.special_groups()}
