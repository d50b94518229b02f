"""The ``parley`` command: one Typer app; each group of commands lives in its own module."""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from parley.cli import (
    analyze,
    catalog,
    forecast,
    interop,
    run,
    scenario_show,
    serve,
    strategies,
    tournament,
    track,
)
from parley.cli.console import error_console
from parley.errors import ParleyError

app = typer.Typer(
    name="parley",
    help="Parley: mediated, multi-issue negotiation. Run, analyse and host negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
for module in (
    catalog, scenario_show, analyze, run, track, strategies, interop, tournament, serve, forecast
):
    module.register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line on stderr and exit code 2."""
    try:
        app(args=argv, prog_name="parley")
    except ParleyError as exc:
        # escape: field paths such as issues[remote] would otherwise be read as rich markup
        error_console.print(
            f"[bold red]parley: error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
