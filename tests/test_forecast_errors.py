"""A wrong ``[uncertainty]`` section or ``parley forecast`` option gives one line and exit 2.

As in test_scenario_errors.py, each case breaks one place of the muscat-2026 file and checks
the field path and the bad value the error names.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import tomli_w

from parley.cli.app import main
from parley.errors import ScenarioError
from parley.scenario import load
from tests.cli_helpers import parley
from tests.forecast_cases import scenario, strike

# (case, text to replace, replacement, field path, bad value as repr or None, words in message)
CASES = [
    ("high below low", "low = 0.18, high = 0.3 }", "low = 0.3, high = 0.18 }",
     "uncertainty.weights[2].distribution", None, "high (0.18) is below low (0.3)"),
    ("weight drawn below zero", 'issue = "F"\ndistribution = { kind = "uniform", low = 0.16',
     'issue = "F"\ndistribution = { kind = "uniform", low = -0.16',
     "uncertainty.weights[1].distribution", "'-0.16..0.28'", "weights >= 0"),
    ("unknown party", 'party = "United States"\nred_line = 0',
     'party = "United Statez"\nred_line = 0',
     "uncertainty.red_lines[1].party", "'United Statez'", "not a party with preferences"),
    ("red line out of range", "red_line = 0\nholds = 0.75", "red_line = 5\nholds = 0.75",
     "uncertainty.red_lines[1].red_line", "5", "has 1 red line"),
    ("holds above one", "holds = 0.8\n", "holds = 1.8\n",
     "uncertainty.red_lines[0].holds", "1.8", "less than or equal to 1"),
    ("unknown option", 'option = "A6"', 'option = "A8"',
     "uncertainty.values[3].option", "'A8'", "A7"),
    ("unknown issue", 'issue = "H"\noption = "H2"', 'issue = "Z"\noption = "H2"',
     "uncertainty.values[5].issue", "'Z'", "unknown issue"),
    ("unknown timeline event", 'timeline = "Iranian deterrence signal"',
     'timeline = "Iranian deterrence signals"',
     "uncertainty.events[1].timeline", "'Iranian deterrence signals'",
     "US military build-up signal"),
    ("event probability above one",
     'high = 0.2 }\nbasis = "ASSUMPTION"\nrationale = "ASSUMPTION: US signals',
     'high = 1.2 }\nbasis = "ASSUMPTION"\nrationale = "ASSUMPTION: US signals',
     "uncertainty.events[0].probability", "'0.05..1.2'", "probabilities in [0, 1]"),
    ("choice not summing to one",
     'party = "Iran"\ndistribution = { kind = "triangular", low = 0.44, mode = 0.5, high = 0.56 }',
     'party = "Iran"\ndistribution = { kind = "choice", values = [0.4, 0.5], '
     'probabilities = [0.5, 0.6] }',
     "uncertainty.reservations[0].distribution", None, "sum to 1.1"),
    ("unknown distribution kind",
     'party = "United States"\ndistribution = { kind = "triangular", low = 0.44',
     'party = "United States"\ndistribution = { kind = "beta", low = 0.44',
     "uncertainty.reservations[1].distribution.kind", "'beta'",
     "'uniform', 'normal', 'triangular' or 'choice'"),
    ("misspelled key", "normalize_weights = true", "normalise_weights = true",
     "uncertainty.normalise_weights", "True", "unknown key"),
    ("session event with a distribution", 'probability = 0.3\nbasis = "ASSUMPTION"\n'
     'rationale = "ASSUMPTION: US softening',
     'probability = { kind = "uniform", low = 0.1, high = 0.3 }\nbasis = "ASSUMPTION"\n'
     'rationale = "ASSUMPTION: US softening',
     "uncertainty.events[2].probability", None, "plain number"),
    ("event naming an unknown party", 'party = "Iran"\ndelta = 0.03',
     'party = "Irn"\ndelta = 0.03', "uncertainty.events[3].event.party", "'Irn'",
     "unknown party"),
]


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (resources.files("parley.scenario.builtin") / "muscat-2026.toml").read_text("utf-8")
    assert text.count(old) == 1, f"the case must break exactly one place: {old!r}"
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(("case", "old", "new", "field", "value", "words"), CASES,
                         ids=[c[0] for c in CASES])
def test_error_names_field_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
    case: str, old: str, new: str, field: str, value: str | None, words: str,
) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(ScenarioError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {field}: "), message
    assert words in message, message
    if value is not None:
        assert f"; got {value}" in message, message
    code, out, err = parley(capsys, "forecast", str(path), "--runs", "5")
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"parley: error: {message}"]


def _file(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["no-such-scenario"], "no such file or built-in scenario"),
        (["nash-1950"], "nothing is uncertain"),
        (["muscat-2026", "--runs", "0"], "--runs: must be at least 1, got 0"),
        (["muscat-2026", "--workers", "0"], "--workers: must be at least 1, got 0"),
        (["muscat-2026", "--without", "Nothing"], "expected one of: "),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    code, out, err = parley(capsys, "forecast", *args)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("parley: error: ")
    assert words in err


def test_plots_into_a_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "plots.png"
    target.write_text("", encoding="utf-8")
    code, _, err = parley(capsys, "forecast", "muscat-2026", "--plots", str(target))
    assert code == 2
    assert err.splitlines() == [f"parley: error: --plots {target}: not a folder"]


def test_cli_prints_json_and_draws_plots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = scenario({"events": [strike("session", 0.25, round=1)]})
    path = _file(tmp_path, case.doc.model_dump(mode="json", exclude_none=True))
    code, out, err = parley(capsys, "forecast", str(path), "--runs", "200", "--workers", "1",
                            "--json", "--plots", str(tmp_path / "plots"))
    assert code == 0, err
    result = json.loads(out)
    assert result["runs"] == 200
    assert result["agreement_probability"] + result["end_reasons"]["cancelled: Strike"] / 200 == 1
    assert result["what_if"]["agreement_probability"] == 1.0
    assert result["what_if"]["switched_off"] == ["Strike"]
    for name in ("agreement.png", "issues.png", "sensitivity.png"):
        assert (tmp_path / "plots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_main_is_the_entry_point() -> None:
    with pytest.raises(SystemExit) as exited:
        main(["forecast", "--help"])
    assert exited.value.code == 0
