"""A user's strategies: a file for one run (--import), an installed package (entry point)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.cli_helpers import parley

# The custom negotiator the README shows: it asks for its best package, then for the best one
# that gives the others' last offer something, and signs anything worth 0.8 of its best.
STUBBORN = """\
from parley.strategies import Negotiator
from parley.strategies.base import Parameter
from parley.strategies.index import ranked


class Stubborn(Negotiator):
    name = "stubborn"
    summary = "asks for its best package; signs only what is near it"
    parameters = (Parameter("share", 0.8, "share of its best it signs", at_least=0, at_most=1),)

    def propose(self, view, ask):
        return ranked(view.space, view.preferences).outcome(0)

    def accepts(self, view, offer):
        best = ranked(view.space, view.preferences).best
        return view.preferences.utility(offer) >= self.number("share") * best
"""


@pytest.fixture
def stubborn(tmp_path: Path) -> Path:
    path = tmp_path / "stubborn.py"
    path.write_text(STUBBORN, encoding="utf-8")
    return path


def test_a_users_file_plays_one_run(capsys: pytest.CaptureFixture[str], stubborn: Path) -> None:
    code, out, err = parley(
        capsys, "run", "nash-1950", "--import", str(stubborn),
        "--strategy", "Bill=stubborn:share=0.5", "--json", "--no-compare",
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert result["ended"] in {"agreement", "deadline"}


def test_a_users_parameter_is_checked_before_the_talks(
    capsys: pytest.CaptureFixture[str], stubborn: Path
) -> None:
    code, _, err = parley(
        capsys, "run", "nash-1950", "--import", str(stubborn),
        "--strategy", "Bill=stubborn:share=7", "--no-compare",
    )  # fmt: skip
    assert code == 2
    assert "strategy stubborn: parameter share must be at most 1, not 7" in err
    assert len(err.strip().splitlines()) == 1


def test_strategies_lists_built_ins_and_a_file(
    capsys: pytest.CaptureFixture[str], stubborn: Path
) -> None:
    code, out, _ = parley(capsys, "strategies", "--json", "--import", str(stubborn))
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert rows["boulware"]["origin"] == "built-in"
    assert rows["boulware"]["parameters"][0] == {
        "name": "feedback", "default": "truthful", "help": "how it answers better / same / worse",
        "choices": ["truthful", "exaggerate", "never-better"],
    }  # fmt: skip
    assert {"framework", "watchful", "counsel", "relay"} <= set(rows)
    assert rows["stubborn"]["origin"] == f"file {stubborn}"
    assert rows["stubborn"]["seat"] == "negotiator"


def test_a_users_file_plays_in_a_tournament(
    capsys: pytest.CaptureFixture[str], stubborn: Path, tmp_path: Path
) -> None:
    out = tmp_path / "rows.parquet"
    code, _, err = parley(
        capsys, "tournament", "--scenario", "nash-1950", "--strategy", "stubborn",
        "--strategy", "boulware", "--seeds", "2", "--import", str(stubborn),
        "--workers", "1", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    import pyarrow.parquet as pq

    table = pq.read_table(out).to_pylist()
    assert any("stubborn" in json.dumps(row) for row in table)
    assert all(not row.get("failure") for row in table)


def test_an_installed_package_adds_strategies_through_its_entry_point(tmp_path: Path) -> None:
    # What pip writes for a package with an entry point: the module, and its dist-info.
    package = tmp_path / "parley_demo_plugin"
    package.mkdir()
    (package / "__init__.py").write_text(
        STUBBORN.replace('"stubborn"', '"demo-stubborn"'), encoding="utf-8"
    )
    info = tmp_path / "parley_demo_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: parley-demo-plugin\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[parley.strategies]\ndemo-stubborn = parley_demo_plugin:Stubborn\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    script = textwrap.dedent(
        """
        from parley.cli.app import main
        main(["strategies", "--json"])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    rows = {row["name"]: row for row in json.loads(done.stdout)}
    assert rows["demo-stubborn"]["origin"] == "entry point parley-demo-plugin"


def test_a_file_that_fails_on_import_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "broken.py"
    path.write_text('raise RuntimeError("no such thing")\n', encoding="utf-8")
    code, _, err = parley(capsys, "run", "nash-1950", "--import", str(path), "--no-compare")
    assert code == 2
    assert err.strip().splitlines() == [
        f"parley: error: cannot import '{path}': it raised RuntimeError: no such thing"
    ]


def test_a_strategy_that_raises_is_named_with_its_seat_and_turn(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "buggy.py"
    path.write_text(
        STUBBORN.replace('"stubborn"', '"buggy"').replace(
            "return ranked(view.space, view.preferences).outcome(0)",
            'raise ValueError("oops")',
        ),
        encoding="utf-8",
    )
    code, _, err = parley(
        capsys, "run", "nash-1950", "--import", str(path), "--strategy", "Bill=buggy",
        "--no-compare", "--quiet",
    )  # fmt: skip
    assert code == 2
    assert err.strip().splitlines() == [
        "parley: error: Bill's strategy failed at turn 1: ValueError: oops"
    ]


def test_a_tournament_takes_strategies_with_parameters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "rows.parquet"
    code, _, err = parley(
        capsys, "tournament", "--scenario", "nash-1950", "--strategy", "boulware:exponent=4",
        "--strategy", "linear", "--seeds", "2", "--workers", "1", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    import pyarrow.parquet as pq

    rows = pq.read_table(out).to_pylist()
    assert any("boulware:exponent=4" in json.dumps(row) for row in rows)
    code, _, err = parley(
        capsys, "tournament", "--scenario", "nash-1950", "--strategy", "boulware:exponent=0",
        "--seeds", "1", "--out", str(tmp_path / "bad.parquet"),
    )  # fmt: skip
    assert code == 2
    assert err.strip().splitlines() == [
        "parley: error: strategy boulware: parameter exponent must be above 0, not 0"
    ]


def test_replay_takes_the_runs_strategy_files(tmp_path: Path) -> None:
    stubborn = tmp_path / "stubborn.py"
    stubborn.write_text(STUBBORN, encoding="utf-8")
    talks = tmp_path / "talks.jsonl"

    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        # A process of its own each: the registry remembers what a process imported.
        script = f"from parley.cli.app import main; main({list(argv)!r})"
        return subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
        )

    made = cli("run", "nash-1950", "--import", str(stubborn), "--strategy", "Bill=stubborn",
               "--transcript", str(talks), "--json", "--no-compare")  # fmt: skip
    assert made.returncode == 0, made.stderr
    missing = cli("replay", str(talks), "--json", "--no-compare")
    assert missing.returncode == 2
    assert "give replay the same --import" in missing.stderr
    replayed = cli("replay", str(talks), "--import", str(stubborn), "--json", "--no-compare")
    assert replayed.returncode == 0, replayed.stderr
    assert json.loads(replayed.stdout) == json.loads(made.stdout)


@pytest.mark.parametrize(
    ("strategy", "message"),
    [
        ("Bill=boulware:exponent=4,exponent=2", "parameter 'exponent' is given twice"),
        ("Bill=tit-for-tat:courtesy=2", "courtesy must be at most 1"),
    ],
)
def test_strategy_parameters_on_the_command_line_are_checked(
    capsys: pytest.CaptureFixture[str], strategy: str, message: str
) -> None:
    code, _, err = parley(capsys, "run", "nash-1950", "--strategy", strategy, "--no-compare")
    assert code == 2
    assert message in err


def test_whole_number_parameters_refuse_fractions() -> None:
    import numpy as np

    from parley.errors import StrategyError
    from parley.strategies import REGISTRY

    framework = REGISTRY.find("third-party", "framework")
    with pytest.raises(StrategyError, match=r"at must be a whole number, not 1\.5"):
        framework(np.random.default_rng(0), at=1.5)
    assert framework(np.random.default_rng(0), at=2.0).params["at"] == 2
    with pytest.raises(StrategyError, match="patience must be at least 1"):
        REGISTRY.find("spoiler", "watchful")(np.random.default_rng(0), patience=0)
