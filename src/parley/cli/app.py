"""The ``parley`` command: one Typer app; each group of commands lives in its own module."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.markup import escape
from typer._click.core import Command  # Typer's own copy of Click: its commands and errors
from typer._click.exceptions import ClickException, NoArgsIsHelpError

from parley import __version__
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
from parley.cli.console import console, error_console
from parley.cli.usage import HELP_OPTIONS, tidy, usage_line
from parley.errors import ParleyError

app = typer.Typer(
    name="parley",
    help="Parley: mediated, multi-issue negotiation. Run, analyse and host negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": HELP_OPTIONS},
)
for module in (
    catalog, scenario_show, analyze, run, track, strategies, interop, tournament, serve, forecast
):
    module.register(app)


def _version(value: bool) -> None:
    if value:
        console.print(f"parley {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Parley: mediated, multi-issue negotiation. Run, analyse and host negotiations."""


_command: Command | None = None


def command() -> Command:
    """The ``parley`` command as Click runs it, its help tidied (built once)."""
    global _command
    if _command is None:
        _command = tidy(typer.main.get_command(app))
    return _command


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors, Click's usage errors included, become one line on stderr and
    exit code 2."""
    try:
        code = command().main(args=argv, prog_name="parley", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        console.print(exc.format_message())  # bare ``parley``: the help, as before
        sys.exit(exc.exit_code)
    except ClickException as exc:
        _error(usage_line(exc), exc.exit_code)
    except typer.Abort:
        _error("aborted", 1)
    except ParleyError as exc:
        _error(str(exc), 2)
    sys.exit(code if isinstance(code, int) else 0)  # as Click's standalone mode ends


def _error(message: str, code: int) -> NoReturn:
    # escape: field paths such as issues[remote] would otherwise be read as rich markup
    error_console.print(
        f"[bold red]parley: error:[/] {escape(message)}", highlight=False, soft_wrap=True
    )
    sys.exit(code)


if __name__ == "__main__":
    main()
