"""Messages a newcomer can act on: a misspelled name gets the closest known one, a tampered
transcript says in words what differs, ``analyze`` counts what it lists and keys its codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parley.errors import UnknownNameError, did_you_mean
from parley.scenario import dumps, load
from tests.cli_helpers import parley


def test_did_you_mean_finds_the_closest_name_case_aside() -> None:
    assert did_you_mean("bouware", ["boulware", "linear"]) == " (did you mean boulware?)"
    assert did_you_mean("iran", ["Iran", "United States"]) == " (did you mean Iran?)"
    assert did_you_mean("zzz", ["boulware", "linear"]) == ""
    error = UnknownNameError("protocol", "shutle", ["direct", "shuttle", "single-text"])
    assert str(error) == (
        "unknown protocol 'shutle' (did you mean shuttle?); known: direct, shuttle, single-text"
    )


MISSPELT = [
    (["run", "nash-1950", "--strategy", "Jack=bouware"],
     "Jack: unknown negotiator strategy 'bouware' (did you mean boulware?)"),
    (["run", "nash-1950", "--strategy", "Bil=boulware"],
     "--strategy: unknown party (did you mean Bill?); got 'Bil'"),
    (["run", "--mediator", "bridgng"],
     "unknown mediator strategy 'bridgng' (did you mean bridging?)"),
    (["run", "--protocol", "shutle"], "--protocol: unknown protocol (did you mean shuttle?)"),
    (["tournament", "--scenario", "nash-1950", "--strategy", "bouware"],
     "unknown negotiator strategy 'bouware' (did you mean boulware?)"),
    (["tournament", "--scenario", "nash-1950", "--protocol", "singletext"],
     "unknown protocol 'singletext' (did you mean single-text?)"),
    (["tournament", "--scenario", "nash-1950", "--protocol", "shuttle", "--mediator", "rely"],
     "unknown mediator strategy 'rely' (did you mean relay?)"),
    (["scenario", "show", "muscat-2026", "--grade", "oficial"], "(did you mean official?)"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "said"), MISSPELT, ids=[" ".join(a) for a, _ in MISSPELT])
def test_a_misspelled_name_on_the_command_line_gets_a_suggestion(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str, tmp_path: Path
) -> None:
    if argv[0] == "tournament":
        argv = [*argv, "--out", str(tmp_path / "rows.parquet")]
    code, out, err = parley(capsys, *argv)
    assert code == 2, err
    assert err.startswith("parley: error: ")
    assert err.count("\n") == 1, err
    assert said in err
    assert out == ""


IN_FILES = [
    ('kind = "direct"', 'kind = "shutle"',
     "protocol.kind: unknown protocol (did you mean shuttle?)"),
    ('default_strategy = "boulware"', 'default_strategy = "bouware"',
     "Bill: unknown negotiator strategy 'bouware' (did you mean boulware?)"),
    ('[protocol.strategies]\n', '[protocol.strategies]\nBill = "lineer"\n',
     "Bill: unknown negotiator strategy 'lineer' (did you mean linear?)"),
    ('[protocol.strategies]\n', '[protocol.strategies]\nBil = "linear"\n',
     "protocol.strategies.Bil: unknown party (did you mean Bill?)"),
    ('mediator = "Facilitator"', 'mediator = "Facilitater"',
     "protocol.mediator: not a party with role 'mediator' (did you mean Facilitator?)"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "said"), IN_FILES, ids=[s for _, _, s in IN_FILES])
def test_a_misspelled_name_in_a_scenario_file_gets_a_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, old: str, new: str, said: str
) -> None:
    text = dumps(load("nash-1950").doc)
    assert old in text
    path = tmp_path / "typo.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    for command in ("validate", "run"):
        code, _, err = parley(capsys, command, str(path), "--quiet", "--no-compare") if (
            command == "run"
        ) else parley(capsys, command, str(path))
        assert code == 2, err
        assert err.count("\n") == 1, err
        assert said in err, err


def _tampered(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, int, str]:
    """A nash-1950 transcript in which Jack's first counter-proposal was edited: the book
    goes to the other man. Returns the file, the turn and the package as recorded."""
    path = tmp_path / "talks.jsonl"
    code, _, _ = parley(capsys, "run", "nash-1950", "-q", "--no-compare", "--transcript", str(path))
    assert code == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    for k, line in enumerate(lines[1:], start=1):
        message = json.loads(line)
        if message["kind"] == "counter" and message["sender"] == "Jack":
            book = message["outcome"]["book"]
            message["outcome"]["book"] = "Bill" if book == "Jack" else "Jack"
            lines[k] = json.dumps(message)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            edited = " ".join(f"{key}={value}" for key, value in message["outcome"].items())
            return path, int(message["turn"]), edited
    raise AssertionError("no counter-proposal of Jack's")


def test_a_tampered_transcript_says_in_words_what_differs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, turn, edited = _tampered(tmp_path, capsys)
    code, out, err = parley(capsys, "replay", str(path), "--no-compare")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    said = re.fullmatch(
        rf"parley: error: turn {turn}: Jack's strategy now counters with (.+) where the record "
        r"says it countered with (.+): the file was edited or made with other settings or "
        r"strategies\n",
        err,
    )
    assert said is not None, err
    now, recorded = said.groups()
    assert recorded == edited
    assert now != edited
    assert now.replace("book=Jack", "").replace("book=Bill", "") == edited.replace(
        "book=Jack", ""
    ).replace("book=Bill", "")


def test_an_edited_engine_message_is_quoted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "talks.jsonl"
    parley(capsys, "run", "nash-1950", "-q", "--no-compare", "--transcript", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[1])
    assert first["sender"] == "engine"
    lines[1] = json.dumps({**first, "text": "edited"})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = parley(capsys, "replay", str(path), "--no-compare")
    assert code == 2
    assert err == (
        f"parley: error: message 0: the session rebuilt now reads {first['text']!r} where the "
        "record says 'edited': the file was edited or made with other settings or strategies\n"
    )


def test_analyze_counts_what_it_lists_and_keys_its_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = parley(capsys, "analyze", "muscat-2026")
    assert code == 0
    assert out.splitlines()[0].strip(), "the report starts with its title, not a blank line"
    text = " ".join(out.split())
    count = re.search(r"in the ZOPA: (\d+) \((all shown|the first (\d+) shown)\)", text)
    assert count is not None, text
    rows = re.findall(r"^│ +(\d+) │", out, flags=re.MULTILINE)
    in_zopa = int(count.group(1))
    assert len(rows) == (in_zopa if count.group(2) == "all shown" else int(count.group(3)))
    if count.group(3):
        assert f"... {in_zopa - len(rows)} more in the ZOPA" in text
    assert "A=A6" not in out
    packages = re.findall(r"│ ((?:[A-I]\d )+[A-I]\d) +│", out)
    assert len(packages) == len(rows)
    codes = {code for package in packages for code in package.split()}
    key = " ".join(out.split("Key to the packages", 1)[1].split())
    scenario = load("muscat-2026")
    for issue in scenario.space.issues:
        for option in issue.options:  # type: ignore[attr-defined]
            first_word = option.name.split()[0]  # the table may wrap the rest
            assert (f"{option.id} {first_word}" in key) == (option.id in codes), option.id


def test_analyze_says_when_it_lists_everything(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = parley(capsys, "analyze", "job-offer")
    assert code == 0
    text = " ".join(out.split())
    count = re.search(r"in the ZOPA: ([\d,]+|none) \(([^)]*)\)", text)
    assert count is not None, text
    rows = re.findall(r"^│ +(\d+) │", out, flags=re.MULTILINE)
    if "all shown" in count.group(2):
        assert "more in the ZOPA" not in text
    else:
        assert f"the first {len(rows)} shown" in count.group(2)


def test_a_tournament_names_the_option_or_the_key_that_gives_a_wrong_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = ["--out", str(tmp_path / "rows.parquet")]
    argv = ["tournament", "--scenario", "nash-1950", "--mediator", "rely", *out]
    code, _, err = parley(capsys, *argv)
    assert code == 2
    assert err.startswith("parley: error: --mediator: unknown mediator strategy 'rely' (did you ")
    config = tmp_path / "grid.toml"
    config.write_text('scenarios = ["nash-1950"]\nprotocols = ["shutle"]\n', encoding="utf-8")
    code, _, err = parley(capsys, "tournament", "--config", str(config), *out)
    assert code == 2
    assert err.startswith(
        f"parley: error: {config}: protocols: unknown protocol 'shutle' (did you mean shuttle?)"
    )
