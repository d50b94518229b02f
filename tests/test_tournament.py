"""``parley tournament``: the grid, the rows (checked against brute force), faults, identical
files for any worker count, and resuming after a kill with no row lost or duplicated."""

from __future__ import annotations

import itertools
import json
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis.core import evaluate_rows, principal_preferences
from parley.errors import ParleyError
from parley.scenario import load
from parley.strategies import NEGOTIATORS
from parley.tournament import Grid, Tournament, make_grid, matches, run_tournament
from tests.cli_helpers import parley

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = str(Path(__file__).with_name("tournament_plugins.py"))
SCENARIOS = {name: load(name) for name in ("nash-1950", "job-offer", "muscat-2026")}


@pytest.fixture
def plugins() -> Iterator[None]:
    """The faulty test strategies, registered for one test and removed after it."""
    before = dict(NEGOTIATORS)
    yield
    NEGOTIATORS.clear()
    NEGOTIATORS.update(before)
    for name in [m for m in sys.modules if m.startswith("parley_plugin_")]:
        del sys.modules[name]


def _grid(**values: object) -> Grid:
    base: dict[str, object] = {"scenarios": ["nash-1950", "job-offer"], "seeds": 2}
    base.update(values)
    return make_grid("test", base)


# -- the grid ---------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    strategies=st.lists(st.sampled_from(sorted(NEGOTIATORS)), min_size=1, max_size=4, unique=True),
    pairings=st.sampled_from(["all", "distinct", "self"]),
    protocols=st.lists(
        st.sampled_from(["direct", "shuttle", "single-text"]), max_size=3, unique=True
    ),
    seeds=st.integers(1, 3),
)
def test_the_grid_holds_every_combination_once(
    strategies: list[str], pairings: str, protocols: list[str], seeds: int
) -> None:
    grid = _grid(
        scenarios=list(SCENARIOS),
        strategies=strategies,
        pairings=pairings,
        protocols=protocols,
        mediators=["relay", "hill-climb"],
        seeds=seeds,
    )
    # brute force: every principal line-up the pairing rule allows, per protocol and seed
    # (each protocol here has exactly one mediator: relay for shuttle, hill-climb for single text)
    expected = 0
    for scenario in SCENARIOS.values():
        line_ups = [
            t
            for t in itertools.product(strategies, repeat=len(scenario.principals))
            if pairings == "all"
            or (pairings == "self" and len(set(t)) == 1)
            or (pairings == "distinct" and len(set(t)) == len(t))
        ]
        expected += len(protocols or [scenario.protocol.kind]) * len(line_ups) * seeds
    if expected == 0:
        with pytest.raises(ParleyError, match="grid is empty"):
            matches(grid, SCENARIOS)
        return
    found = matches(grid, SCENARIOS)
    assert len(found) == expected
    assert [m.number for m in found] == list(range(len(found)))
    keys = [(m.scenario, m.protocol, m.mediator, m.strategies, m.seed) for m in found]
    assert len(set(keys)) == len(keys)
    assert all((m.mediator is None) == (m.protocol == "direct") for m in found)
    assert matches(grid, SCENARIOS) == found  # the same numbering every time


# -- rows -------------------------------------------------------------------------------------


def test_rows_match_a_brute_force_analysis(tmp_path: Path) -> None:
    rows = run_tournament(
        _grid(strategies=["boulware", "conceder", "hardliner"]), tmp_path / "r.parquet", workers=1
    )
    assert len(rows) == 2 * 9 * 2
    for row in rows:
        scenario = SCENARIOS[row["scenario"]]
        prefs = principal_preferences(scenario)
        assert row["failure"] is None
        assert row["principals"] == [p.name for p in scenario.principals]
        space = scenario.space
        utilities, feasible = evaluate_rows(prefs, space.all_rows(), space)
        d = np.array([p.reservation for p in prefs])
        zopa = feasible & (utilities >= d - 1e-12).all(axis=1)
        best = np.prod(utilities[zopa] - d, axis=1).max()
        if not row["agreed"]:
            assert row["nash_ratio"] == 0.0
            assert row["pareto_distance"] is None
            continue
        u = np.array(row["utilities"])
        assert row["nash_ratio"] == pytest.approx(np.prod(u - d) / best)
        # the agreement's utilities are those of the package in the row
        labels = [(a["issue"], a["option"]) for a in row["agreement"]]
        space = scenario.space
        index = tuple(
            next(i for i in range(issue.size) if issue.describe(i) == option)
            for issue, (_, option) in zip(space.issues, labels, strict=True)
        )
        assert [p.utility(index) for p in prefs] == pytest.approx(row["utilities"])
        # distance to the Pareto frontier: the nearest undominated feasible outcome
        points = utilities[feasible]
        undominated = [
            q for q in points if not ((points >= q).all(axis=1) & (points > q).any(axis=1)).any()
        ]
        nearest = min(math.dist(u, q) for q in undominated)
        assert row["pareto_distance"] == pytest.approx(nearest, abs=1e-9)


def test_one_and_two_workers_write_the_same_file(tmp_path: Path) -> None:
    grid = _grid(strategies=["boulware", "tit-for-tat"], scenarios=["nash-1950", "muscat-2026"])
    run_tournament(grid, tmp_path / "one.parquet", workers=1)
    run_tournament(grid, tmp_path / "two.parquet", workers=2)
    one, two = pq.read_table(tmp_path / "one.parquet"), pq.read_table(tmp_path / "two.parquet")
    assert one.num_rows == len(matches(grid, SCENARIOS))
    assert one.equals(two)
    assert one.schema.metadata == two.schema.metadata


def test_faulty_strategies_fail_their_negotiations_only(tmp_path: Path, plugins: None) -> None:
    grid = _grid(
        scenarios=["nash-1950"],
        seeds=1,
        timeout=1.0,
        imports=[PLUGINS],
        strategies=["boulware", "test-raises", "test-hangs", "test-invalid"],
    )
    rows = run_tournament(grid, tmp_path / "r.parquet", workers=2)
    assert len(rows) == 16
    for row in rows:
        faulty = set(row["strategies"]) - {"boulware"}
        if not faulty:
            assert row["failure"] is None
            assert row["agreed"]
            continue
        assert row["failure"] is not None
        assert row["utilities"] is None
        first = row["strategies"][0] if row["strategies"][0] != "boulware" else None
        opener = first or row["strategies"][1]  # who proposes first decides the failure
        expected = {
            "test-raises": "RuntimeError: deliberate fault in propose",
            "test-hangs": "timeout after 1 s",
            "test-invalid": "not in the agenda",
        }[opener]
        assert expected in row["failure"]


# -- resume -----------------------------------------------------------------------------------


def test_a_journal_cut_mid_line_resumes_to_the_same_file(tmp_path: Path) -> None:
    grid = _grid(strategies=["linear", "conceder"])
    whole = tmp_path / "whole.parquet"
    run_tournament(grid, whole, workers=1)
    cut = tmp_path / "cut.parquet"
    run_tournament(grid, cut, workers=1)
    rows = pq.read_table(cut).to_pylist()
    # as if killed after 5 rows, the 6th half written: the file is gone, the journal remains
    header = json.dumps({"grid": grid.identity()})
    lines = [header] + [json.dumps(r) for r in rows[:5]] + [json.dumps(rows[5])[:20]]
    cut.unlink()
    cut.with_name("cut.parquet.journal").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(Exception, match="add --resume"):
        run_tournament(grid, cut, workers=1)
    plan = Tournament(grid, cut, resume=True)
    assert (plan.total, plan.already) == (len(rows), 5)
    plan.play(workers=1)
    assert pq.read_table(cut).equals(pq.read_table(whole))
    assert not cut.with_name("cut.parquet.journal").exists()


def test_resume_refuses_a_different_grid(tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    run_tournament(_grid(strategies=["linear"], seeds=1), out, workers=1)
    with pytest.raises(Exception, match="different tournament"):
        run_tournament(_grid(strategies=["conceder"], seeds=1), out, workers=1, resume=True)


def test_a_tournament_killed_mid_run_resumes_to_the_full_grid(tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    journal = tmp_path / "r.parquet.journal"
    argv = [
        sys.executable,
        "-m",
        "parley.cli.app",
        "tournament",
        "--scenario",
        "nash-1950",
        "--strategy",
        "test-slow",
        "--strategy",
        "linear",
        "--seeds",
        "4",
        "--workers",
        "2",
        "--import",
        PLUGINS,
        "--out",
        str(out),
    ]
    run = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.poll() is None:
        if journal.exists() and journal.read_text(encoding="utf-8").count("\n") >= 4:
            break
        time.sleep(0.02)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert not out.exists(), "the run finished before it could be killed"
    before = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()[1:]]
    assert 0 < len(before) < 16
    resumed = subprocess.run([*argv, "--resume"], cwd=ROOT, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    table = pq.read_table(out)
    assert table.column("match").to_pylist() == list(range(16))
    assert table.column("failure").null_count == 16
    rows = table.to_pylist()
    assert all(rows[old["match"]] == old for old in before)  # kept as they were


# -- the command ------------------------------------------------------------------------------


def test_command_prints_a_summary_and_draws_plots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "t.toml"
    config.write_text(
        'scenarios = ["nash-1950"]\nstrategies = ["boulware", "conceder"]\nseeds = 2\n',
        encoding="utf-8",
    )
    code, out, err = parley(
        capsys,
        "tournament",
        "--config",
        str(config),
        "--workers",
        "1",
        "--out",
        str(tmp_path / "r.parquet"),
        "--plots",
        str(tmp_path / "plots"),
    )
    assert code == 0, err
    assert "8 negotiations, 0 failed" in out
    assert "boulware" in out
    assert "conceder" in out
    assert "(direct)" in out
    for name in ("strategies.png", "mediators.png", "pairings.png"):
        assert (tmp_path / "plots" / name).read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--strategy", "nobody"], "unknown negotiator strategy 'nobody'; known: "),
        (["--strategy", "linear", "--mediator", "x"], "unknown mediator strategy 'x'"),
        (["--strategy", "linear", "--protocol", "auction"], "unknown protocol 'auction'"),
        (["--strategy", "linear", "--pairings", "some"], "pairings: unknown value 'some'"),
        (["--strategy", "linear", "--scenario", "nope.toml"], "nope.toml: no such file"),
        (["--strategy", "linear", "--import", "no_such_module"], "cannot import 'no_such_module'"),
        (["--strategy", "linear", "--config", "missing.toml"], "missing.toml: cannot read"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = parley(capsys, "tournament", "--out", str(tmp_path / "r.parquet"), *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_existing_results_need_resume(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.parquet"
    out.write_bytes(b"")
    code, _, err = parley(capsys, "tournament", "--strategy", "linear", "--out", str(out))
    assert code == 2
    assert "add --resume" in err


def test_ray_without_ray_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    code, _, err = parley(
        capsys,
        "tournament",
        "--scenario",
        "nash-1950",
        "--strategy",
        "linear",
        "--seeds",
        "1",
        "--ray",
        "--out",
        str(tmp_path / "r.parquet"),
    )
    assert code == 2
    assert "pip install parley[ray]" in err
