"""``parley strategies``: every registered strategy, where it comes from, and its parameters;
then the components a ``boa`` negotiator is composed of, with their sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from parley.cli.console import console
from parley.strategies import REGISTRY, Entry
from parley.strategies.boa.components import COMPONENTS, Registered, declared
from parley.strategies.plugins import load_files
from parley.strategies.registry import ROLE_NAMES


def register(app: typer.Typer) -> None:
    app.command("strategies")(strategies)


def strategies(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list instead of a table."),
    imports: list[Path] = typer.Option(
        [],
        "--import",
        metavar="FILE.py",
        help="Also list the strategies of this Python file (repeatable).",
    ),
) -> None:
    """List the strategies a seat can take: built-in, from installed packages, from files."""
    load_files([str(path) for path in imports])
    rows = [_row(entry) for entry in REGISTRY.entries()]
    parts = [_component_row(entry) for entry in COMPONENTS.entries()]
    if as_json:
        print(json.dumps(rows + parts, indent=2))
        return
    table = Table(
        title="Strategies: --strategy PARTY=NAME:KEY=VALUE (--json: what each parameter means)",
        title_justify="left",
    )
    for column in ("name", "seat", "what it does", "parameters", "from"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            f"[bold]{row['name']}[/]",
            row["seat"],
            row["summary"]
            + ("" if len(row["protocols"]) == 3 else f" ({', '.join(row['protocols'])})")
            + (f" [dim](source: {row['source']})[/]" if row.get("source") else ""),
            ", ".join(f"{p['name']}={_shown(p['default'])}" for p in row["parameters"]) or "-",
            row["origin"],
        )
    console.print(table)
    console.print(_components_table(parts))


def _components_table(parts: list[dict[str, Any]]) -> Table:
    table = Table(
        title="Components of boa: boa:bidding=NAME:KEY=VALUE,acceptance=NAME,model=NAME",
        title_justify="left",
    )
    for column in ("part", "what it does", "parameters", "source", "from"):
        table.add_column(column, overflow="fold")
    for row in parts:
        table.add_row(
            f"[bold]{row['name']}[/]",
            row["summary"],
            ", ".join(f"{p['name']}={_shown(p['default'])}" for p in row["parameters"]) or "-",
            row["source"],
            row["origin"],
        )
    return table


def _component_row(entry: Registered) -> dict[str, Any]:
    cls = entry.cls
    return {
        "name": f"{cls.kind}={cls.name}",
        "role": "component",
        "seat": f"boa {cls.kind}",
        "summary": cls.summary,
        "source": cls.source,
        "parameters": [
            {"name": p.name, "default": p.default, "help": p.help} for p in declared(cls)
        ],
        "origin": entry.origin,
    }


def _shown(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _row(entry: Entry) -> dict[str, Any]:
    cls = entry.cls
    return {
        "name": cls.name,
        "role": cls.role,
        "seat": ROLE_NAMES.get(cls.role, cls.role),
        "summary": cls.summary,
        "protocols": sorted(cls.protocols),
        **({"source": source} if (source := getattr(cls, "source", "")) else {}),  # ANAC agents
        "parameters": [
            {
                "name": p.name,
                "default": p.default,
                "help": p.help,
                **({"choices": list(p.choices)} if p.choices else {}),
            }
            for p in cls.declared()
        ],
        "origin": entry.origin,
    }
