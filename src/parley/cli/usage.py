"""How the command line reads: placeholders in words, defaults one way, usage errors one line.

Typer writes placeholders from Python types (``<str>``, ``<int range> [x>=1]``, ``{scenario}``),
defaults in brackets and its usage errors in a box. ``tidy`` walks the built command once and
gives every parameter a placeholder a reader knows (``N``, ``FILE``, ``NAME``), every default
as ``(default: X)`` at the end of the help; ``usage_line`` turns a Click usage error into the
project's one line: the option, the value given and what was expected.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rich.markup import escape
from typer._click.core import Command, Context, Parameter  # Typer's own copy of Click
from typer._click.decorators import help_option
from typer._click.exceptions import BadParameter, ClickException, MissingParameter, NoSuchOption
from typer.core import TyperArgument, TyperOption

PLACEHOLDERS = {
    "--protocol": "NAME",
    "--mediator": "NAME",
    "--strategy": "NAME",
    "--scenario": "NAME",
    "--pairings": "all|distinct|self",
    "--format": "genius|geniusweb",
    "--transcript": "FILE",
    "--out": "FILE",
    "--output": "PATH",
    "--host": "ADDRESS",
    "--db": "URL",
    "--public-url": "URL",
    "--key": "KEY",
    "--import": "MODULE_OR_FILE",
    "--timeout": "SECONDS",
    "--expire-days": "DAYS",
    "--without": "TITLE",
}
"""Placeholders by option name, for options whose declaration gives none."""

BY_TYPE: dict[Any, str] = {int: "N", float: "NUMBER", str: "TEXT", Path: "PATH"}


class _Option(TyperOption):
    """A Typer option whose range is written in its help, not as ``[x>=1]`` by its placeholder."""

    def _get_number_range_help_str(self) -> str | None:
        return None


class _Argument(TyperArgument):
    """A Typer argument shown as ``SCENARIO`` (required) or ``[SCENARIO]``, not ``{scenario}``."""

    def _get_number_range_help_str(self) -> str | None:
        return None

    def display_type_rich(self, ctx: Context) -> str | None:
        return None  # the placeholder is the argument's name

    def get_usage_pieces(self, ctx: Context) -> list[str]:
        name = self.metavar or (self.name or "").upper()
        return [name if self.required else f"[{name}]"]


HELP_OPTIONS = ["-h", "--help"]

EXAMPLES = {
    "": "parley run nash-1950 --protocol single-text --mediator hill-climb",
    "scenarios": "parley scenarios --json",
    "validate": "parley validate my-scenario.toml",
    "analyze": "parley analyze muscat-2026 --plot out/deals.png",
    "run": "parley run job-offer --protocol direct --strategy Candidate=tit-for-tat --rounds 30",
    "replay": "parley replay out/talks.jsonl (written by parley run --transcript out/talks.jsonl)",
    "track": "parley track muscat-2026 --seed 3 --transcript out/",
    "strategies": "parley strategies --import my_strategies.py",
    "import": "parley import ../shared/data/genius/SON -o out/son.toml",
    "export": "parley export nash-1950 --format genius -o out/nash-1950/",
    "tournament": "parley tournament --scenario nash-1950 --strategy boulware --strategy linear "
    "--seeds 5 --out out/results.parquet",
    "serve": "parley serve --port 8080",
    "forecast": "parley forecast muscat-2026 --runs 200 --seed 1",
    "scenario": "parley scenario show muscat-2026 --grade official",
    "scenario show": "parley scenario show muscat-2026 --grade official",
}
"""One example per command (by its path after ``parley``), shown at the end of its help."""


def tidy(command: Command, path: str = "") -> Command:
    """Give every command under ``command`` placeholders in words, defaults one way and its
    example (``EXAMPLES``)."""
    if command.help:
        command.help = _unwrap(command.help)
    if path in EXAMPLES:
        command.epilog = f"Example: {escape(EXAMPLES[path])}"
    # The help option is made on first use, from the context; made here, it shows no <bool>.
    help_option(HELP_OPTIONS)(command)
    shown = command.params.pop()
    assert isinstance(shown, TyperOption)
    shown.metavar = ""
    command._help_option = shown
    for param in command.params:
        if isinstance(param, TyperOption):
            _tidy_option(param)
        elif isinstance(param, TyperArgument):
            _tidy_argument(param)
    for name, sub in getattr(command, "commands", {}).items():  # a group's commands
        tidy(sub, f"{path} {name}".strip())
    return command


def _unwrap(text: str) -> str:
    """A docstring's paragraphs each on one line (Rich help would keep its line breaks)."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def _tidy_option(param: TyperOption) -> None:
    param.__class__ = _Option
    if param.is_flag:
        param.metavar = ""  # a flag takes no value: nothing to show
        if param.secondary_opts and param.default:
            _add(param, f"default: {param.opts[0]}")
        param.show_default = False
        return
    if param.metavar is None:
        long = next((o for o in param.opts if o.startswith("--")), "")
        param.metavar = PLACEHOLDERS.get(long) or _by_type(param)
    _add(param, _range(param))
    _show_default(param)


def _tidy_argument(param: TyperArgument) -> None:
    param.__class__ = _Argument
    if param.metavar is None:
        param.metavar = (param.name or "").upper()
    _show_default(param)


def _by_type(param: TyperOption | TyperArgument) -> str:
    annotation = param.type_descriptor.annotation
    element = getattr(annotation, "__args__", (annotation,))[0]
    return BY_TYPE.get(element, "VALUE")


def _range(param: TyperOption) -> str:
    low, high = param.min, param.max
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    return "" if high is None else f"at most {high}"


def _show_default(param: TyperOption | TyperArgument) -> None:
    default = param.default
    if param.show_default and default not in (None, "", [], (), False) and not callable(default):
        _add(param, f"default: {default}")
    param.show_default = False


def _add(param: TyperOption | TyperArgument, note: str) -> None:
    """Append ``(note)`` to the help, or merge it into the help's own closing parenthesis."""
    if not note:
        return
    help_text = (param.help or "").rstrip()
    if note.startswith("default:") and "default" in help_text:
        return  # the help already says what happens by default
    stop = help_text.endswith(".")
    body = help_text.removesuffix(".")
    if body.endswith(")"):
        param.help = f"{body[:-1]}; {note})" + ("." if stop else "")
    else:
        param.help = f"{body} ({note})" + ("." if stop else "")


# -- usage errors ---------------------------------------------------------------------------


def usage_line(exc: ClickException) -> str:
    """One line for a Click usage error: the option, the value given and what was expected."""
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "parley"
    if isinstance(exc, BadParameter) and exc.param is not None:
        where = _name(exc.param)
        if isinstance(exc, MissingParameter):
            return f"{command}: {where} is missing; expected {_expected(exc.param)}"
        given = _given(exc)
        if given is not None:
            return f"{where}: got {given!r}; expected {_expected(exc.param)}"
        return f"{where}: {exc.message}; expected {_expected(exc.param)}"
    if isinstance(exc, NoSuchOption):
        hint = f"; did you mean {' or '.join(exc.possibilities)}?" if exc.possibilities else ""
        return f"{exc.option_name}: no such option of {command}{hint} (see {command} --help)"
    message = exc.format_message().strip().removesuffix(".")
    message = " ".join((message[:1].lower() + message[1:]).split())
    where = "" if command == "parley" else f"{command}: "
    return f"{where}{message} (see {command} --help)"


def _name(param: Parameter) -> str:
    if isinstance(param, TyperOption):
        return next((o for o in param.opts if o.startswith("--")), param.opts[0])
    return str(param.metavar or (param.name or "").upper())


def _given(exc: BadParameter) -> Any:
    """The value the user typed, from the validation error Typer chains (Pydantic's)."""
    errors = getattr(exc.__cause__, "errors", None)
    if callable(errors):
        found = errors()
        if found and "input" in found[0]:
            return found[0]["input"]
    return None


def _expected(param: Parameter) -> str:
    if not isinstance(param, TyperOption | TyperArgument):
        return "a value"
    annotation = param.type_descriptor.annotation
    element = getattr(annotation, "__args__", (annotation,))[0]
    kind = {int: "a whole number", float: "a number"}.get(element)
    if kind is None:
        shown = str(param.metavar or "")
        if "|" in shown:
            return f"one of {', '.join(shown.split('|'))}"
        if isinstance(param, TyperOption):
            return f"{_name(param)} {shown}"
        said = (param.help or shown).split(" (")[0].strip().removesuffix(".")
        return said[:1].lower() + said[1:]
    low, high = param.min, param.max
    if low is not None and high is not None:
        return f"{kind} from {low} to {high}"
    if low is not None:
        return f"{kind} of at least {low}"
    if high is not None:
        return f"{kind} of at most {high}"
    return kind
