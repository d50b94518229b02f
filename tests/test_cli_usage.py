"""The command line a newcomer meets: every mistake one line and exit 2, help in words."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from parley.cli.app import command
from parley.errors import ParallelError, UsageError
from parley.forecast import forecast
from parley.parallel import Done
from parley.scenario import dumps, load
from tests.cli_helpers import parley

MISTAKES = [
    (["run", "--seed", "-1"], "--seed: got '-1'; expected a whole number of at least 0"),
    (["forecast", "job-offer", "--seed", "-1"], "--seed: got '-1'"),
    (["forecast", "job-offer", "--seed", "-1", "--json"], "--seed: got '-1'"),
    (["run", "--rounds", "-5"], "--rounds: got '-5'; expected a whole number of at least 1"),
    (["run", "--rounds", "0"], "--rounds: got '0'"),
    (["run", "--seed", "notanumber"], "--seed: got 'notanumber'; expected a whole number"),
    (["serve", "--port", "70000"], "--port: got '70000'; expected a whole number from 0 to 65535"),
    (["tournament", "--timeout", "abc"], "--timeout: got 'abc'; expected a number"),
    (["forecast", "job-offer", "--runs", "0"], "--runs"),
    (["run", "--protocl", "shuttle"], "--protocl: no such option of parley run; did you mean"),
    (["frob"], "no such command 'frob'"),
    (["export", "nash-1950"], "--format is missing; expected one of genius, geniusweb"),
    (["replay"], "PATH is missing; expected a transcript"),
    (["run", "--json=3"], "'--json' does not take a value"),
    (["replay", "no-such-file.jsonl"], "no-such-file.jsonl"),
]


@pytest.mark.parametrize(("argv", "said"), MISTAKES, ids=[" ".join(a) for a, _ in MISTAKES])
def test_every_mistake_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    code, _out, err = parley(capsys, *argv)
    assert code == 2, err
    assert err.startswith("parley: error: "), err
    assert err.count("\n") == 1, err
    assert said in err
    assert "Traceback" not in err
    assert "╭" not in err


def test_a_busy_port_is_one_line_before_any_address(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        code, out, err = parley(
            capsys, "serve", "--port", port, "--db", f"sqlite:///{tmp_path}/room.sqlite"
        )
    assert code == 2
    assert out == ""  # no address of the other program's
    assert err == f"parley: error: --port {port}: 127.0.0.1:{port} is already in use by " \
        "another program; expected a free port (choose one with --port)\n"


def test_dash_h_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = parley(capsys, "-h")
    assert code == 0
    assert "Usage: parley" in out
    code, out, _ = parley(capsys, "run", "-h")
    assert code == 0
    assert "Usage: parley run [OPTIONS] [SCENARIO]" in out
    code, out, _ = parley(capsys, "--version")
    assert code == 0
    assert out.startswith("parley ")


def _commands() -> list[list[str]]:
    found: list[list[str]] = []

    def walk(cmd: object, path: list[str]) -> None:
        subs = getattr(cmd, "commands", {})
        if path:
            found.append(path)
        for name, sub in subs.items():
            walk(sub, [*path, name])

    walk(command(), [])
    return found


@pytest.mark.parametrize("path", _commands(), ids=" ".join)
def test_help_reads_in_words(capsys: pytest.CaptureFixture[str], path: list[str]) -> None:
    code, out, _ = parley(capsys, *path, "--help")
    assert code == 0
    for typed in ("<str>", "<int", "<float", "<bool>", "<path>", "<list", "{", "[default:", "x>="):
        assert typed not in out, f"{' '.join(path)} --help shows {typed}:\n{out}"


def test_defaults_are_written_one_way(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = parley(capsys, "serve", "--help")
    assert "(default: 8000)" in " ".join(out.split()) or "default: 8000" in out
    _, out, _ = parley(capsys, "run", "--help")
    joined = " ".join(" ".join(line.strip("│ ") for line in out.splitlines()).split())
    assert "default: --compare" in joined


def test_forecast_refuses_a_negative_seed_without_the_command_line() -> None:
    with pytest.raises(UsageError, match="--seed: got -1"):
        forecast(load("job-offer"), 5, seed=-1)


def test_a_forecast_whose_every_batch_failed_says_so() -> None:
    def failing(
        function: object, jobs: list[object], context: object, **_: object
    ) -> Iterator[Done[object]]:
        for k in range(len(jobs)):
            yield Done(index=k, value=None, failure="boom", attempts=1, seconds=0.0)

    with pytest.raises(ParallelError, match=r"every batch of runs failed.*boom"):
        forecast(load("job-offer"), 5, runner=failing)


def test_a_misspelled_scenario_name_gets_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = parley(capsys, "run", "muscat-2025")
    assert code == 2
    assert err.startswith("parley: error: muscat-2025: no such file or built-in scenario "
                          "(did you mean muscat-2026?);")
    assert "(file)" not in err


def test_a_misspelled_required_key_names_the_unknown_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "typo.toml"
    path.write_text(
        dumps(load("nash-1950").doc).replace("\nweight =", "\nwieght =", 1), encoding="utf-8"
    )
    code, _, err = parley(capsys, "validate", str(path))
    assert code == 2
    assert "weight: Field required; found the unknown key 'wieght' beside it" in err


def test_replay_says_the_transcript_matched_and_refuses_a_cut_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "talks.jsonl"
    code, _, _ = parley(capsys, "run", "nash-1950", "-q", "--no-compare", "--transcript", str(path))
    assert code == 0
    code, out, err = parley(capsys, "replay", str(path), "--no-compare")
    assert code == 0
    assert "every one matches" in out
    assert err.strip() == ""
    text = path.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    path.write_text(text[: len(text) - 25], encoding="utf-8")  # a crash mid-line
    code, out, err = parley(capsys, "replay", str(path), "--no-compare")
    assert code == 2  # refused: a cut line may as well be a damaged or edited file
    assert out == ""
    assert err.startswith(f"parley: error: {path}: line {lines}: cut off mid-line")
    assert "--allow-truncated" in err
    assert err.count("\n") == 1
    code, out, err = parley(capsys, "replay", str(path), "--no-compare", "--allow-truncated")
    assert code == 0  # the talks resume from the complete lines, as after a crash
    assert err.strip().startswith(f"parley: warning: {path}: line {lines} is cut off mid-line")
    assert err.strip().count("\n") == 0


def test_the_readme_writes_its_files_into_out() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    commands = [line for line in readme.splitlines() if line.lstrip().startswith(("parley ", "--"))]
    options = r"(?:--plot|--plots|--transcript|-o|--output|--out) (\S+)"
    written = re.findall(options, "\n".join(commands))
    assert written
    assert [path for path in written if not path.startswith("out/")] == []
    assert "mkdir -p out" in readme
