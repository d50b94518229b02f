"""``parley run`` as a user meets it: the live account, the JSON result, and one-line errors."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from parley.cli.compare import compare_mediators, mediator_runs
from parley.engine import Settings
from parley.scenario import builtin_names, load
from parley.strategies import MEDIATORS
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
        assert set(agreement["outcome"]) == {
            "book",
            "whip",
            "ball",
            "bat",
            "box",
            "pen",
            "toy",
            "knife",
            "hat",
        }
        assert len(agreement["utilities"]) == 2
        assert agreement["distance_to_pareto"] >= 0.0
    else:
        assert result["ended"] in {"deadline", "walk-away", "cancelled"}


@pytest.mark.parametrize("scenario", builtin_names())
@pytest.mark.parametrize("protocol", ["direct", "shuttle", "single-text"])
def test_every_builtin_runs_under_every_protocol(
    capsys: pytest.CaptureFixture[str], scenario: str, protocol: str
) -> None:
    code, out, err = parley(
        capsys, "run", scenario, "--protocol", protocol, "--json", "--no-compare"
    )
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
    assert any(end in out for end in ("Agreement after", "No agreement", "Adjourned after"))


def test_default_scenario_is_muscat(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = parley(capsys, "run", "--json")
    assert code == 0
    assert json.loads(out)["scenario"] == "muscat-2026"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--strategy", "Bill=nope"], "'nope'; known: "),  # boa, ANAC agents sort first
        (["--strategy", "Bill"], "PARTY=NAME"),
        (["--strategy", "Nobody=linear"], "unknown party"),
        (["--protocol", "bogus"], "--protocol: unknown protocol; got 'bogus'; expected one of"),
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


# -- what each mediator would have achieved -------------------------------------------------


def _run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    code, out, err = parley(capsys, "run", "muscat-2026", "--json", *argv)
    assert code == 0, err
    result: dict[str, object] = json.loads(out)
    return result


@pytest.mark.parametrize("seed", ["1", "2"])
def test_muscat_json_says_what_every_mediator_would_have_achieved(
    capsys: pytest.CaptureFixture[str], seed: str
) -> None:
    report = _run_json(capsys, "--seed", seed)
    rows = report["mediators"]
    assert isinstance(rows, list)
    expected = {
        (protocol, name)
        for name, cls in MEDIATORS.items()
        for protocol in cls.protocols
        if protocol != "direct"
    }
    assert {(r["protocol"], r["mediator"]) for r in rows} == expected
    for row in rows:
        # Each row is exactly the run that mediator gives on its own, same seed and strategies.
        alone = _run_json(
            capsys,
            "--seed",
            seed,
            "--no-compare",
            "--protocol",
            row["protocol"],
            "--mediator",
            row["mediator"],
        )
        assert row["rounds"] == alone["rounds"]
        assert row["ended"] == alone["ended"]
        agreement = alone["agreement"]
        assert row["agreement"] == (agreement is not None)
        if agreement is None:
            assert row["utilities"] is None
            assert row["nash_ratio"] == 0.0
        else:
            assert isinstance(agreement, dict)
            assert row["utilities"] == agreement["utilities"]
            assert row["distance_to_pareto"] == pytest.approx(agreement["distance_to_pareto"])
            assert 0.0 <= row["nash_ratio"] <= 1.0 + 1e-9


def test_the_confidential_rows_reach_the_nash_point_when_they_agree(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A day as long as the horizon (the delegations concede all the way within it), without
    # the six states' framework, whose bindings differ from run to run, and under the single
    # text (Muscat's scripted shuttle has steps the confidential mediator does not plan for).
    rows = _run_json(
        capsys,
        "--seed", "1", "--rounds", "32", "--strategy", "Six-state group=framework:at=100000",
    )["mediators"]  # fmt: skip
    assert isinstance(rows, list)
    confidential = [
        r for r in rows if r["mediator"] == "confidential" and r["protocol"] == "single-text"
    ]
    assert confidential
    assert all(r["agreement"] for r in confidential)
    assert all(r["nash_ratio"] == pytest.approx(1.0) for r in confidential)
    assert all(r["distance_to_pareto"] == pytest.approx(0.0, abs=1e-9) for r in confidential)


def test_the_live_account_ends_with_the_mediator_table_unless_turned_off(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = parley(capsys, "run", "muscat-2026", "--seed", "1", "--quiet")
    assert code == 0
    table = out[out.index("What each mediator would have achieved") :]
    assert all(name in table for name in MEDIATORS)
    code, out, _ = parley(capsys, "run", "muscat-2026", "--seed", "1", "--quiet", "--no-compare")
    assert code == 0
    assert "What each mediator" not in out
    assert "mediators" not in _run_json(capsys, "--seed", "1", "--no-compare")


def test_an_event_that_ended_every_run_is_left_out_of_the_comparison(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Muscat with a strike certain in every round: it ends every mediator's run.
    text = resources.files("parley.scenario.builtin").joinpath("muscat-2026.toml").read_text(
        encoding="utf-8"
    )
    strike = (
        '\n[[timeline]]\nkind = "cancel"\ntitle = "A strike ends the talks"\nprobability = 1.0\n'
        'party = "Israel"\nsource = "test"\nbasis = "ASSUMPTION"\n'
    )
    path = tmp_path / "struck.toml"
    path.write_text(text.replace("\n[uncertainty]", strike + "\n[uncertainty]", 1), "utf-8")
    scenario = load(path)
    settings = Settings.from_scenario(scenario)
    found = False
    for seed in range(2):
        comparison = compare_mediators(scenario, settings, seed)
        plain = mediator_runs(scenario, settings, seed)
        if comparison.without is None:
            assert comparison.runs == plain
            continue
        found = True
        # Left out only because it ended every run ...
        assert all(r.result.ended == "cancelled" for r in plain)
        assert {r.result.reason for r in plain} == {comparison.without}
        # ... and no run of the comparison meets it.
        assert all(r.result.reason != comparison.without for r in comparison.runs)
        code, out, err = parley(
            capsys, "run", str(path), "--json", "--seed", str(seed), "--hazards"
        )
        assert code == 0, err
        report = json.loads(out)
        assert report["mediators_without_event"] == comparison.without
        rows = report["mediators"]
        assert isinstance(rows, list)
        assert [row["rounds"] for row in rows] == [r.result.rounds for r in comparison.runs]
    assert found, "the scheduled strike ends every run"
