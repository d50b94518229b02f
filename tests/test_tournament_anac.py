"""The ANAC style of ``parley tournament``: each negotiation's ANAC scores (discounted
individual utility, social welfare, Nash distance) checked against values worked out by hand,
the ranking, the style's defaults, its errors, and the opponent models' accuracy per row."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from parley.engine.drive import drive
from parley.engine.settings import Settings
from parley.play import start
from parley.scenario import load, save
from parley.scenario.schema import ScenarioDoc
from parley.strategies.boa.accuracy import session_accuracy
from parley.tournament import anac_ranking, make_grid, matches, run_tournament
from tests.cli_helpers import parley


def _scenario(folder: Path, name: str, a: list[float], b: list[float]) -> str:
    """One issue X (three options), principals A (discount 0.5, reservation 0.1) and B
    (discount 0.8, reservation 0.2), five rounds of direct talks."""

    def prefs(values: list[float], reservation: float, discount: float) -> dict[str, Any]:
        table = {f"X{k}": v for k, v in enumerate(values)}
        return {
            "reservation": reservation,
            "discount": discount,
            "issues": {"X": {"weight": 1.0, "values": table}},
        }

    doc = {
        "name": name,
        "title": name,
        "issues": [
            {
                "id": "X",
                "name": "X",
                "options": [{"id": f"X{k}", "label": f"X{k}"} for k in range(3)],
            }
        ],
        "parties": [
            {"name": "A", "role": "principal", "preferences": prefs(a, 0.1, 0.5)},
            {"name": "B", "role": "principal", "preferences": prefs(b, 0.2, 0.8)},
        ],
        "protocol": {"kind": "direct", "rounds": 5},
    }
    path = folder / f"{name}.toml"
    save(ScenarioDoc.model_validate(doc), path)
    return str(path)


def _rows(tmp_path: Path, scenario: str, strategy: str) -> list[dict[str, Any]]:
    grid = make_grid(
        "test", {"scenarios": [scenario], "strategies": [strategy], "pairings": "self", "seeds": 1}
    )
    return run_tournament(grid, tmp_path / "r.parquet", workers=1)


def test_a_deal_at_the_nash_point_scores_its_discounted_utilities(tmp_path: Path) -> None:
    # both want X0: the first offer is accepted at once, at the Nash point (1, 1)
    scenario = _scenario(tmp_path, "common", [1.0, 0.6, 0.2], [1.0, 0.5, 0.0])
    [row] = _rows(tmp_path, scenario, "boulware")
    assert row["agreed"]
    assert row["rounds"] == 1
    # B accepts on the second turn of round 1 of 5: 1 turn of (5 - 1) * 2 on the clock
    assert row["time"] == pytest.approx(1 / 8)
    assert row["discounted"] == pytest.approx([0.5 ** (1 / 8), 0.8 ** (1 / 8)])
    assert row["welfare"] == pytest.approx(0.5 ** (1 / 8) + 0.8 ** (1 / 8))
    assert row["nash_distance"] == pytest.approx(0.0, abs=1e-12)


def test_no_deal_scores_the_reservations_discounted_at_the_deadline(tmp_path: Path) -> None:
    # opposed: only X1 (0.7, 0.7) gains over both reservations (0.1, 0.2): the Nash point
    scenario = _scenario(tmp_path, "opposed", [1.0, 0.7, 0.0], [0.0, 0.7, 1.0])
    [row] = _rows(tmp_path, scenario, "hardliner")
    assert not row["agreed"]
    assert row["ended"] == "deadline"
    assert row["time"] == 1.0
    assert row["discounted"] == pytest.approx([0.1 * 0.5, 0.2 * 0.8])
    assert row["welfare"] == pytest.approx(0.05 + 0.16)
    assert row["nash_distance"] == pytest.approx(math.sqrt(0.6**2 + 0.5**2))


def _row(strategies: list[str], discounted: list[float] | None, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "strategies": strategies,
        "failure": None,
        "agreed": True,
        "discounted": discounted,
        "welfare": None if discounted is None else sum(discounted),
        "nash_distance": 0.1,
    }
    return row | extra


def test_the_ranking_averages_every_seat_and_leaves_failures_out() -> None:
    rows = [
        _row(["a", "b"], [0.9, 0.3]),
        _row(["b", "a"], [0.5, 0.4], nash_distance=0.3),
        _row(["a", "c"], [0.2, 0.2], agreed=False, nash_distance=None),
        _row(["c", "a"], None, failure="ValueError: boom"),
    ]
    lines = {line.name: line for line in anac_ranking(rows)}
    a = lines["a"]
    assert (a.negotiations, a.failures, a.played) == (4, 1, 3)
    assert a.score == pytest.approx((0.9 + 0.4 + 0.2) / 3)
    assert a.mean_welfare == pytest.approx((1.2 + 0.9 + 0.4) / 3)
    assert a.mean_nash_distance == pytest.approx((0.1 + 0.3) / 2)
    assert a.agreement_rate == pytest.approx(2 / 3)
    assert lines["b"].score == pytest.approx(0.4)
    assert [line.name for line in anac_ranking(rows)] == ["a", "b", "c"]


def test_the_anac_style_plays_direct_talks_without_self_play() -> None:
    grid = make_grid(
        "test",
        {"scenarios": ["muscat-2026"], "strategies": ["boulware", "linear"], "style": "anac"},
    )
    assert (grid.style, grid.pairings, grid.protocols) == ("anac", "distinct", ("direct",))
    scenario = load("muscat-2026")
    played = matches(grid, {"muscat-2026": scenario})
    assert {m.protocol for m in played} == {"direct"}
    assert all(len(set(m.strategies)) == len(m.strategies) for m in played)
    # given keys still win over the style's defaults
    mine = make_grid(
        "test",
        {"scenarios": ["nash-1950"], "strategies": ["linear"], "style": "anac", "pairings": "all"},
    )
    assert mine.pairings == "all"


def test_an_unknown_style_is_one_line_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "t.toml"
    config.write_text('strategies = ["linear"]\nstyle = "genius"\n', encoding="utf-8")
    code, _, err = parley(
        capsys, "tournament", "--config", str(config), "--out", str(tmp_path / "r")
    )
    assert code == 2
    assert f"{config}: style: unknown value 'genius'; expected one of parley, anac" in err
    assert len(err.strip().splitlines()) == 1


def test_the_command_prints_the_ranking_and_draws_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "anac.toml"
    config.write_text(
        'style = "anac"\nscenarios = ["nash-1950"]\nstrategies = ["boulware", "conceder"]\n'
        "seeds = 1\n",
        encoding="utf-8",
    )
    out_file, plots = tmp_path / "r.parquet", tmp_path / "plots"
    args = [
        "--config",
        str(config),
        "--workers",
        "1",
        "--out",
        str(out_file),
        "--plots",
        str(plots),
    ]
    code, out, err = parley(capsys, "tournament", *args)
    assert code == 0, err
    assert "2 negotiations, 0 failed" in out
    assert "ANAC ranking" in out
    assert "Nash dist" in out
    for name in ("anac.png", "strategies.png", "pairings.png"):
        assert (plots / name).read_bytes().startswith(b"\x89PNG")


def test_rows_carry_each_principals_opponent_model_accuracy(tmp_path: Path) -> None:
    grid = make_grid(
        "test",
        {
            "scenarios": ["job-offer"],
            "strategies": ["boa:model=frequency", "boulware"],
            "style": "anac",
            "seeds": 1,
        },
    )
    rows = run_tournament(grid, tmp_path / "r.parquet", workers=1)
    scenario = load("job-offer")
    for row, match in zip(rows, matches(grid, {"job-offer": scenario}), strict=True):
        # the oracle: the same match played again here, its models measured directly
        principals = [p.name for p in scenario.principals]
        settings = Settings.from_scenario(
            scenario,
            protocol=match.protocol,
            strategies=dict(zip(principals, match.strategies, strict=True)),
        )
        session, seats = start(scenario, settings, match.seed)
        drive(session, seats)
        found = session_accuracy(seats, scenario)
        for seat, party in enumerate(principals):
            if match.strategies[seat] == "boulware":  # no model: nothing measured
                assert row["model_pearson"][seat] is None
                continue
            [accuracy] = found[party].values()
            assert row["model_pearson"][seat] == pytest.approx(accuracy.pearson)
            assert row["model_pareto_distance"][seat] == pytest.approx(accuracy.pareto_distance)
    without = make_grid(
        "test",
        {"scenarios": ["job-offer"], "strategies": ["boulware"], "pairings": "self", "seeds": 1},
    )
    [plain] = run_tournament(without, tmp_path / "plain.parquet", workers=1)
    assert plain["model_pearson"] is None
