"""``parley run`` as a user meets it: the live account, the JSON result, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parley.scenario import builtin_names
from tests.cli_helpers import parley


def test_json_result_has_the_documented_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = parley(capsys, "run", "nash-1950", "--json", "--seed", "4")
    assert code == 0
    result = json.loads(out)
    assert {"agreement", "ended", "rounds", "seed", "parties"} <= set(result)
    assert result["seed"] == 4
    assert result["parties"] == ["Bill", "Jack"]
    if result["agreement"] is not None:
        agreement = result["agreement"]
        assert set(agreement["outcome"]) == {"book", "whip", "ball", "bat", "box", "pen", "toy",
                                             "knife", "hat"}
        assert len(agreement["utilities"]) == 2
        assert agreement["distance_to_pareto"] >= 0.0
    else:
        assert result["ended"] in {"deadline", "walk-away", "cancelled"}


@pytest.mark.parametrize("scenario", builtin_names())
@pytest.mark.parametrize("protocol", ["direct", "shuttle", "single-text"])
def test_every_builtin_runs_under_every_protocol(
    capsys: pytest.CaptureFixture[str], scenario: str, protocol: str
) -> None:
    code, out, err = parley(capsys, "run", scenario, "--protocol", protocol, "--json")
    assert code == 0, err
    assert json.loads(out)["protocol"] == protocol


def test_live_account_names_the_rooms_and_ends_with_the_result(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = parley(capsys, "run", "muscat-2026", "--seed", "1")
    assert code == 0
    assert "caucus:Iran" in out
    assert "Oman → United States" in out
    assert "Result" in out
    assert "Agreement after" in out or "No agreement" in out


def test_default_scenario_is_muscat(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = parley(capsys, "run", "--json")
    assert code == 0
    assert json.loads(out)["scenario"] == "muscat-2026"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--strategy", "Bill=nope"], "known: boulware"),
        (["--strategy", "Bill"], "PARTY=NAME"),
        (["--strategy", "Nobody=linear"], "unknown party"),
        (["--protocol", "bogus"], "known: direct, shuttle, single-text"),
        (["--protocol", "single-text", "--mediator", "relay"], "hill-climb"),
        (["--transcript", "/nonexistent-dir/t.jsonl"], "cannot write"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, _, err = parley(capsys, "run", "nash-1950", "--quiet", *argv)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert needle in lines[0]
    assert "Traceback" not in err


def test_transcript_file_is_written(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "talks.jsonl"
    code, _, _ = parley(capsys, "run", "nash-1950", "--quiet", "--transcript", str(path))
    assert code == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["format"] == "parley-transcript/1"
    assert json.loads(lines[-1])["kind"] == "end"
