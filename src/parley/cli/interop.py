"""``parley import`` and ``parley export``: GENIUS and GeniusWeb scenarios in and out."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from parley.cli.console import console, error_console
from parley.formats import FORMATS, export, import_folder
from parley.scenario import dumps, load


def register(app: typer.Typer) -> None:
    app.command("import")(import_scenario)
    app.command("export")(export_scenario)


def import_scenario(
    folder: Path = typer.Argument(..., help="A GENIUS or GeniusWeb scenario folder."),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write the Parley scenario file here (default: stdout)."
    ),
) -> None:
    """Convert a GENIUS (XML) or GeniusWeb (JSON) folder to a Parley scenario file."""
    text = dumps(import_folder(folder))
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"[green]✓[/] {folder} → {output}")


def export_scenario(
    scenario: str = typer.Argument(..., help="A scenario file, folder or built-in name."),
    fmt: str = typer.Option(..., "--format", "-f", help=f"Target format: {' or '.join(FORMATS)}."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder to write the files into."),
) -> None:
    """Write a scenario as a GENIUS or GeniusWeb folder (a domain file and one profile per
    principal); fails with one line if the format cannot express the scenario, and warns in
    one line on stderr of what it leaves out (constraints)."""
    written = export(load(scenario), fmt, output)
    files = written.files
    console.print(
        f"[green]✓[/] wrote {len(files)} files to {output}: {', '.join(p.name for p in files)}"
    )
    for line in written.left_out:
        error_console.print(f"parley: warning: {line}", soft_wrap=True)
