"""``parley analyze``: the report, the JSON object, the plots and the one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from parley.cli.app import main
from parley.scenario import Scenario

NASH = {
    "book": "Jack", "whip": "Jack", "ball": "Jack", "bat": "Jack", "box": "Bill",
    "pen": "Bill", "toy": "Bill", "knife": "Bill", "hat": "Jack",
}  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``parley *args``."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_json_on_nash_1950(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyze", "nash-1950", "--json")
    assert code == 0
    doc: dict[str, Any] = json.loads(out)  # exactly one JSON object on stdout
    assert doc["parties"] == ["Bill", "Jack"]
    assert (doc["outcomes"], doc["zopa_size"], doc["feasible"]) == (512, 293, 512)
    assert doc["reservations"] == pytest.approx([12 / 34, 6 / 16])
    assert len(doc["pareto"]) == doc["pareto_size"] == 18
    assert doc["pareto"][0] == {"outcome": dict.fromkeys(NASH, "Bill"), "utilities": [1.0, 0.0]}
    for name in ("nash", "kalai", "utilitarian", "egalitarian"):
        assert doc[name]["outcome"] == NASH, name
        assert doc[name]["utilities"] == pytest.approx([24 / 34, 11 / 16]), name
    assert doc["nash"]["gains"] == pytest.approx([12 / 34, 5 / 16])


def test_report_for_an_analyst(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyze", "nash-1950")
    assert code == 0
    assert "Nash's bargaining problem (1950)" in out
    assert "293" in out
    assert "Nash = Kalai = utilitarian = egalitarian" in out
    assert "Jack keeps or receives the book" in out  # the issue-by-issue table uses labels
    assert "... 2 more in the ZOPA, 4 outside it" in out  # 18 on the frontier, 14 in the ZOPA


def _write_scenario(
    nash_1950: Scenario, path: Path, reservation: float, red_line: bool = False
) -> Path:
    """Nash's barter with other reservations and, if asked, a red line every package crosses."""
    data = nash_1950.doc.model_dump(mode="json", exclude_none=True)
    for party in data["parties"]:
        if party["role"] == "principal":
            party["preferences"]["reservation"] = reservation
    if red_line:
        line = {"description": "no barter at all", "when": {"book": ["Bill", "Jack"]}}
        data["parties"][0]["preferences"]["red_lines"] = [line]
    path.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return path


def test_empty_zopa_is_said_plainly(
    capsys: pytest.CaptureFixture[str], nash_1950: Scenario, tmp_path: Path
) -> None:
    greedy = _write_scenario(nash_1950, tmp_path / "greedy.toml", 0.9)
    code, out, _ = run(capsys, "analyze", str(greedy))
    assert code == 0
    assert "No package is acceptable to all principals" in " ".join(out.split())
    code, out, _ = run(capsys, "analyze", str(greedy), "--json")
    doc = json.loads(out)
    assert doc["zopa_size"] == 0
    assert [doc[k] for k in ("nash", "kalai", "utilitarian", "egalitarian")] == [None] * 4


def test_no_feasible_package(
    capsys: pytest.CaptureFixture[str], nash_1950: Scenario, tmp_path: Path
) -> None:
    blocked = _write_scenario(nash_1950, tmp_path / "blocked.toml", 0.0, red_line=True)
    code, out, _ = run(capsys, "analyze", str(blocked))
    assert code == 0
    assert "0 cross no red line" in out
    assert "Pareto frontier: none, since every package crosses a red line" in " ".join(out.split())
    code, out, _ = run(capsys, "analyze", str(blocked), "--json")
    assert (json.loads(out)["feasible"], json.loads(out)["pareto"]) == (0, [])


@pytest.mark.parametrize("suffix", [".png", ".html", ".svg"])
def test_plot_is_written(capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"nash{suffix}"
    code, out, _ = run(capsys, "analyze", "nash-1950", "--plot", str(target))
    assert code == 0
    assert str(target) in " ".join(out.split())
    data = target.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        text = data.decode("utf-8")
        assert "<svg" in text
        assert "Nash = Kalai = utilitarian = egalitarian" in text  # the special points' label
    if suffix == ".html":
        assert text.startswith("<!DOCTYPE html>")
        assert "<figcaption>" in text
        assert "<?xml" not in text


def test_plot_with_json_keeps_stdout_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "nash.png"
    code, out, err = run(capsys, "analyze", "nash-1950", "--json", "--plot", str(target))
    assert code == 0
    assert json.loads(out)["zopa_size"] == 293
    assert str(target) in " ".join(err.split())
    assert target.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["nash-1950", "--plot", "out.pdf"], "'.pdf'"),
        (["nash-1950", "--plot", "out"], "(none)"),
        (["nash-1950", "--plot", "{missing}/out.png"], "cannot write"),
        (["no-such-scenario"], "no such file or built-in scenario"),
    ],
)
def test_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], expected: str
) -> None:
    args = [a.replace("{missing}", str(tmp_path / "missing")) for a in args]
    code, out, err = run(capsys, "analyze", *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert expected in err
    assert not list(tmp_path.iterdir())  # nothing written
