"""A wrong scenario file gives one line naming the file, the field and the bad value.

Each case takes a real built-in, breaks one thing in its text, and checks the ``ScenarioError``
from ``load`` and what ``parley validate`` prints: exit code 2, one line on stderr, no traceback.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from parley.cli.app import main
from parley.errors import ScenarioError
from parley.scenario import load


def _builtin_text(name: str) -> str:
    return (resources.files("parley.scenario.builtin") / f"{name}.toml").read_text(encoding="utf-8")


def _restrain_position() -> int:
    kinds = [e.kind for e in load("muscat-2026").timeline]
    return kinds.index("restrain")


# (case, built-in, text to replace, replacement, field path, bad value as repr)
CASES = [
    (
        "misspelled option id in a value table",
        "muscat-2026",
        "weight = 0.22\nvalues = { A1 = 1.0, A2 = 0.9,",
        "weight = 0.22\nvalues = { A1 = 1.0, A02 = 0.9,",
        "parties[Iran].preferences.issues.A.values.A02",
        "'A02'",
    ),
    (
        "weight that is not a number",
        "muscat-2026",
        "weight = 0.22\nvalues = { A1",
        'weight = "abc"\nvalues = { A1',
        "parties[Iran].preferences.issues.A.weight",
        "'abc'",
    ),
    (
        "negative weight",
        "muscat-2026",
        "weight = 0.14\n",
        "weight = -0.14\n",
        "parties[United States].preferences.issues.F.weight",
        "-0.14",
    ),
    (
        "unknown key",
        "muscat-2026",
        'reservation = 0.5\nreservation_rationale = "ASSUMPTION: no agreement leaves maximum',
        'reservaton = 0.5\nreservation = 0.5\nreservation_rationale = "ASSUMPTION: no agreement '
        'leaves maximum',
        "parties[United States].preferences.reservaton",
        "0.5",
    ),
    (
        "option field of the wrong type",
        "muscat-2026",
        'short = "underground idle"\nlabel = "Underground sites non-operational, no new sites, '
        'R&D halted"',
        'short = "underground idle"\nlabel = 3',
        "issues[C].options[C3].label",
        "3",
    ),
    (
        "red line naming an unknown option",
        "muscat-2026",
        'when = { A = ["A1", "A2", "A3"] }',
        'when = { A = ["A1", "A2", "A8"] }',
        "parties[United States].preferences.red_lines[0].when.A",
        "'A8'",
    ),
    (
        "event naming an unknown party",
        "muscat-2026",
        'party = "Israel"\nby = "United States"',
        'party = "Israels"\nby = "United States"',
        f"timeline[{_restrain_position()}].party",
        "'Israels'",
    ),
    (
        "strategy that is neither a name nor a table",
        "muscat-2026",
        'strategies = { Iran = "linear",',
        "strategies = { Iran = 7,",
        "protocol.strategies.Iran",
        "7",
    ),
    (
        "red line value off a real issue's grid",
        "job-offer",
        "when = { salary = [60000] }",
        "when = { salary = [61000] }",
        "parties[Candidate].preferences.red_lines[0].when.salary",
        "61000",
    ),
    (
        "integer issue with max below min",
        "job-offer",
        'type = "integer"\nmin = 0\nmax = 5\n',
        'type = "integer"\nmin = 5\nmax = 0\n',
        "issues[remote]",
        None,
    ),
]


def _broken_file(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = _builtin_text(name)
    assert text.count(old) == 1, f"the case must break exactly one place: {old!r}"
    path = tmp_path / f"broken-{name}.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(("case", "name", "old", "new", "field", "value"), CASES,
                         ids=[c[0] for c in CASES])
def test_error_names_file_field_and_value(
    tmp_path: Path, case: str, name: str, old: str, new: str, field: str, value: str | None
) -> None:
    path = _broken_file(tmp_path, name, old, new)
    with pytest.raises(ScenarioError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {field}: "), message
    assert caught.value.field == field
    if value is not None:
        assert f"; got {value}" in message, message
    assert "\n" not in message


@pytest.mark.parametrize(("case", "name", "old", "new", "field", "value"), CASES,
                         ids=[c[0] for c in CASES])
def test_validate_prints_one_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
    case: str, name: str, old: str, new: str, field: str, value: str | None,
) -> None:
    path = _broken_file(tmp_path, name, old, new)
    with pytest.raises(ScenarioError) as caught:
        load(path)
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(path)])
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [f"parley: error: {caught.value}"]
    assert "Traceback" not in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "no-such-scenario.toml"
    with pytest.raises(ScenarioError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: no such file or built-in scenario")
    assert "muscat-2026" in message  # says what would have worked
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(path)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"parley: error: {message}"]


def test_invalid_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('format = "parley-scenario/1"\nname = "bad"\ntitle = \n', encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: (syntax): not valid TOML: ")
    assert "line 3" in message
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(path)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"parley: error: {message}"]
    assert "Traceback" not in err


def test_validate_accepts_every_case_before_it_is_broken(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in sorted({c[1] for c in CASES}):
        with pytest.raises(SystemExit) as exited:
            main(["validate", name])
        assert exited.value.code == 0
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "direct"', 'kind = "shutle"',
         "protocol.kind: unknown protocol (did you mean shuttle?); got 'shutle'; expected one "
         "of direct, shuttle, "
         "single-text"),
        ('kind = "direct"', 'kind = "shuttle"\nmediator_strategy = "relay:speed=2"',
         "strategy relay: unknown parameter 'speed'; it takes no parameters"),
        ('default_strategy = "boulware"', 'default_strategy = "boulware:exponent=-1"',
         "strategy boulware: parameter exponent must be above 0, not -1"),
    ],
)  # fmt: skip
def test_validate_checks_what_the_talks_will_need(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    text = _builtin_text("nash-1950")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(path)])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert message in err[0]
