"""docs/cli.md: the help and one error per command, as ``parley`` prints them at 80 columns.

``render()`` runs each command in-process and writes the page; ``scripts/regen_cli_docs.py``
saves it and ``tests/test_cli_help.py`` fails when the page differs from what the commands
print now.
"""

from __future__ import annotations

import io
import shlex
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

from typer import rich_utils

from parley.cli.app import main
from parley.cli.console import console, error_console

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
WIDTH = 80

HELP = ["parley --help", "parley run --help"]
"""Help pages pasted whole."""

ERRORS = [
    "parley scenarios --jsn",
    "parley validate muscat-2025",
    "parley analyze nash-1950 --plot out/deals.jpg",
    "parley run nash-1950 --strategy Jack=bouware",
    "parley replay no-such-talks.jsonl",
    "parley track muscat-2026 --horizon 0",
    "parley strategies --import no_such_strategies.py",
    "parley import no-such-folder -o out/son.toml",
    "parley export nash-1950 --format xml -o out/nash-1950/",
    "parley tournament --scenario nash-1950 --protocol singletext",
    "parley serve --port 70000",
    "parley forecast muscat-2026 --runs 0",
    "parley scenario show muscat-2026 --grade oficial",
]
"""One mistake per command (each fails before any work or any file is written)."""


@contextmanager
def _terminal() -> Iterator[None]:
    """Every console 80 columns wide, without colour, whatever terminal runs the tests."""
    saved = console._width, error_console._width
    colours = console._color_system, error_console._color_system  # FORCE_COLOR, if set
    console.width = error_console.width = WIDTH
    console._color_system = error_console._color_system = None
    try:
        with (
            mock.patch.object(rich_utils, "MAX_WIDTH", WIDTH),
            mock.patch.object(rich_utils, "FORCE_TERMINAL", False),
        ):
            yield
    finally:
        console._width, error_console._width = saved
        console._color_system, error_console._color_system = colours


def printed(command: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``command`` (a ``parley ...`` line), each line's
    trailing spaces removed."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with _terminal(), redirect_stdout(out), redirect_stderr(err):
        try:
            main(shlex.split(command)[1:])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, _tidy(out.getvalue()), _tidy(err.getvalue())


def _tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def render() -> str:
    """The whole of docs/cli.md."""
    parts = [
        "# The command line as it prints\n",
        "Pasted from the commands themselves at 80 columns (`python scripts/regen_cli_docs.py` "
        "writes this page; `tests/test_cli_help.py` fails when it differs from what they print "
        "now). Every command's own `--help` (or `-h`) ends with an example; `parley strategies` "
        "lists every strategy a seat can take, with its parameters.\n",
    ]
    for command in HELP:
        _, out, _ = printed(command)
        parts.append(f"## `{command}`\n\n```text\n{out}\n```\n")
    parts.append(
        "## One mistake per command\n\nEvery user error is one line on stderr that names the "
        "option or file, the value given and what was expected, and the exit code is 2.\n"
    )
    for command in ERRORS:
        code, _, err = printed(command)
        parts.append(f"```text\n$ {command}\n{err}\n(exit code {code})\n```\n")
    return "\n".join(parts)
