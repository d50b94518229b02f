"""Help that helps: every command ends with an example that parses, the known names are listed
where they are accepted (and in the docs), and docs/cli.md is what the commands print now."""

from __future__ import annotations

import difflib
import re
import shlex
from pathlib import Path

import pytest
from typer._click.core import Command

from parley.cli.app import command
from parley.cli.usage import EXAMPLES
from parley.strategies import REGISTRY
from tests.cli_docs import DOC, ERRORS, HELP, printed, render

ROOT = Path(__file__).resolve().parents[1]


def _paths() -> list[str]:
    found: list[str] = []

    def walk(cmd: Command, path: str) -> None:
        found.append(path)
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(command(), "")
    return found


def test_every_command_has_one_example() -> None:
    assert sorted(EXAMPLES) == sorted(_paths())


@pytest.mark.parametrize("path", _paths(), ids=lambda p: p or "parley")
def test_help_ends_with_the_example(path: str) -> None:
    code, out, _ = printed(f"parley {path} --help")
    assert code == 0
    said = " ".join(out.split())
    assert said.endswith(f"Example: {EXAMPLES[path]}"), out


@pytest.mark.parametrize("path", sorted(EXAMPLES), ids=lambda p: p or "parley")
def test_the_example_parses(path: str) -> None:
    """Its command exists and takes every option given (parsed, not run)."""
    words = shlex.split(EXAMPLES[path].split(" (")[0])
    assert words[0] == "parley"
    cmd, args = command(), words[1:]
    while getattr(cmd, "commands", None):
        cmd, args = cmd.commands[args[0]], args[1:]  # type: ignore[attr-defined]
    cmd.make_context(cmd.name, args)


def _role_names(*roles: str) -> list[str]:
    return [
        entry.cls.name
        for entry in REGISTRY.entries()
        if entry.origin == "built-in" and entry.cls.role in roles
    ]


def _option_help(command_line: str, option: str) -> str:
    """The help of one option, its wrapped lines joined."""
    _, out, _ = printed(command_line)
    rows = [line.strip("│ ") for line in out.splitlines() if line.startswith("│")]
    start = next(k for k, row in enumerate(rows) if row.startswith(option + " "))
    end = next(
        (k for k in range(start + 1, len(rows)) if rows[k].startswith("-")), len(rows)
    )
    return " ".join(" ".join(rows[start:end]).split())


@pytest.mark.parametrize(
    ("command_line", "option", "roles"),
    [
        ("parley run --help", "--mediator", ("mediator",)),
        ("parley run --help", "--strategy", ("principal", "third-party", "spoiler", "adviser")),
        ("parley tournament --help", "--mediator", ("mediator",)),
        ("parley tournament --help", "--strategy", ("principal",)),
    ],
)
def test_the_known_names_are_listed_where_they_are_accepted(
    command_line: str, option: str, roles: tuple[str, ...]
) -> None:
    said = _option_help(command_line, option)
    names = _role_names(*roles)
    assert names
    missing = [name for name in names if not re.search(rf"\b{re.escape(name)}\b", said)]
    assert missing == [], f"{command_line} {option} does not list {missing}: {said}"
    assert "parley strategies" in said or "tournament" in command_line


@pytest.mark.parametrize("command_line", ["parley run --help", "parley tournament --help"])
def test_the_protocols_are_listed_where_they_are_accepted(command_line: str) -> None:
    from parley.engine.protocols import NAMES

    said = _option_help(command_line, "--protocol")
    assert all(name in said for name in NAMES), said


def test_the_docs_name_every_built_in_strategy() -> None:
    docs = (ROOT / "README.md").read_text(encoding="utf-8") + (
        ROOT / "docs" / "strategies.md"
    ).read_text(encoding="utf-8")
    names = _role_names("principal", "mediator", "third-party", "spoiler", "adviser")
    assert [name for name in names if f"`{name}`" not in docs] == []


def test_docs_cli_md_is_what_the_commands_print_now() -> None:
    written = DOC.read_text(encoding="utf-8")
    now = render()
    if written != now:
        diff = "\n".join(
            difflib.unified_diff(
                written.splitlines(), now.splitlines(), "docs/cli.md", "printed now", lineterm=""
            )
        )
        pytest.fail(f"docs/cli.md is stale: run python scripts/regen_cli_docs.py\n{diff}")


def test_docs_cli_md_pastes_the_help_and_one_error_per_command() -> None:
    written = DOC.read_text(encoding="utf-8")
    for line in HELP:
        assert f"## `{line}`" in written
    commands = {" ".join(p.split()[:1]) for p in _paths() if p}
    erring = {shlex.split(line)[1] for line in ERRORS}
    assert erring == commands
    for line in ERRORS:
        code, out, err = printed(line)
        assert code == 2, line
        assert out == ""
        assert err.startswith("parley: error: "), err
        assert "\n" not in err, err
        assert f"$ {line}\n{err}\n" in written
