"""``parley scenarios`` and ``parley validate``: what scenarios exist, and is this one right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from parley.cli.console import console
from parley.engine import Settings
from parley.scenario import builtin_names, load
from parley.strategies.plugins import load_files
from parley.strategies.seating import check, settle


def register(app: typer.Typer) -> None:
    app.command("scenarios")(scenarios)
    app.command("validate")(validate)


def scenarios(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list instead of a table."),
) -> None:
    """List the built-in scenarios."""
    rows: list[dict[str, Any]] = []
    for name in builtin_names():
        scenario = load(name)
        rows.append(
            {
                "name": name,
                "title": scenario.title,
                "issues": len(scenario.space.issues),
                "outcomes": scenario.space.cardinality,
                "principals": [p.name for p in scenario.principals],
                "protocol": scenario.protocol.kind,
            }
        )
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table(title="Built-in scenarios", title_justify="left")
    for column in ("name", "title", "issues", "outcomes", "principals", "protocol"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            f"[bold cyan]{row['name']}[/]",
            str(row["title"]),
            str(row["issues"]),
            f"{row['outcomes']:,}",
            ", ".join(row["principals"]),
            str(row["protocol"]),
        )
    console.print(table)


def validate(
    scenario: str = typer.Argument(..., help="A scenario file, folder or built-in name."),
    imports: list[Path] = typer.Option(
        [],
        "--import",
        metavar="FILE.py",
        help="A Python file whose strategies the scenario names (repeatable).",
    ),
) -> None:
    """Check a scenario and say what it holds (exit 2 with one line if it is wrong)."""
    load_files([str(file) for file in imports])
    loaded = load(scenario)
    # What the engine and the strategies check when the talks are set up: the protocol exists
    # and has the seats it needs, and every strategy the file names exists and takes its
    # parameters.
    check(loaded, settle(loaded, Settings.from_scenario(loaded)))
    space = loaded.space
    console.print(
        f"[green]✓[/] {loaded.source}: [bold]{loaded.title}[/] - {len(space.issues)} issues, "
        f"{space.cardinality:,} outcomes, {len(loaded.parties)} parties "
        f"({', '.join(p.name for p in loaded.principals)} negotiating), "
        f"protocol {loaded.protocol.kind}"
    )
