"""The docs' worked example: a new acceptance strategy in one file, imported as a plug-in and
played in a small tournament (docs/agents.md shows the file in full)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from parley.strategies.boa.components import Received, Situation, build
from parley.strategies.plugins import load_file
from tests.cli_helpers import parley

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "ac_floor.py"
COMPOSITION = "boa:bidding=time:exponent=0.2,acceptance=ac-floor:floor=0.6"


def test_the_doc_shows_the_example_file_in_full() -> None:
    doc = (ROOT / "docs" / "agents.md").read_text(encoding="utf-8")
    assert EXAMPLE.read_text(encoding="utf-8") in doc


def test_the_example_accepts_as_it_says() -> None:
    from types import SimpleNamespace
    from typing import cast

    from parley.engine.view import View

    load_file(str(EXAMPLE))
    floor = build("acceptance", "ac-floor:floor=0.6:last=0.2")

    def situation(time: float) -> Situation:
        view = cast(View, SimpleNamespace(time=time, reservation=0.0, round=1))
        return Situation(view, None, (Received((0,), time, 0.0),), np.random.default_rng(0))  # type: ignore[arg-type]

    assert floor.accepts(situation(0.1), 0.9, 0.9)  # type: ignore[attr-defined]
    assert not floor.accepts(situation(0.79), 0.7, 0.9)  # type: ignore[attr-defined]
    assert floor.accepts(situation(0.8), 0.6, 0.9)  # type: ignore[attr-defined]
    assert not floor.accepts(situation(0.95), 0.59, 0.9)  # type: ignore[attr-defined]


def test_the_example_plays_in_a_tournament_through_the_plugin_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "rows.parquet"
    code, _, err = parley(
        capsys, "tournament", "--import", str(EXAMPLE), "--scenario", "nash-1950",
        "--strategy", COMPOSITION, "--strategy", "hardheaded", "--strategy", "agent-k",
        "--seeds", "1",
        "--workers", "1", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    import pyarrow.parquet as pq

    rows = pq.read_table(out).to_pylist()
    assert rows
    assert all(not row["failure"] for row in rows)
    played = {name for row in rows for name in row["strategies"]}
    assert played == {COMPOSITION, "hardheaded", "agent-k"}  # with the ANAC agents


def test_parley_strategies_lists_the_example_with_its_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = parley(capsys, "strategies", "--json", "--import", str(EXAMPLE))
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert rows["acceptance=ac-floor"]["origin"] == f"file {EXAMPLE}"
    assert [p["name"] for p in rows["acceptance=ac-floor"]["parameters"]] == ["floor", "last"]
    assert "van Krimpen" in rows["model=frequency"]["source"]  # HardHeaded's model, cited
