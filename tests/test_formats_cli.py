"""``parley import`` and ``parley export``, and GENIUS/GeniusWeb folders wherever a scenario is
taken, as a user would run them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parley.formats import load_folder
from parley.scenario import load, loads
from tests.cli_helpers import parley
from tests.test_formats_helpers import DATA, copy_folder, utility_matrix


def test_import_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = parley(capsys, "import", str(DATA / "genius_numeric"))
    assert (code, err) == (0, "")
    scenario = loads(out)
    original = load_folder(DATA / "genius_numeric")
    rows = original.space.rows(0, 5000)
    assert np.array_equal(utility_matrix(scenario, rows), utility_matrix(original, rows))


def test_import_to_a_file_then_validate(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    target = tmp_path / "market.toml"
    code, out, _ = parley(capsys, "import", str(DATA / "geniusweb_numbers"), "-o", str(target))
    assert code == 0
    assert "market.toml" in out
    code, out, _ = parley(capsys, "validate", str(target))
    assert code == 0
    assert "60 outcomes" in out


def test_validate_takes_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = parley(capsys, "validate", str(DATA / "genius_anac2014_style"))
    assert code == 0
    assert "10,000,000,000 outcomes" in " ".join(out.split())


@pytest.mark.parametrize("fmt", ["genius", "geniusweb"])
def test_export_then_validate(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                              fmt: str) -> None:
    source = "genius_nonlinear" if fmt == "genius" else "geniusweb_numbers"
    code, out, err = parley(capsys, "export", str(DATA / source), "--format", fmt,
                            "-o", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    assert "wrote 3 files" in out
    assert load(tmp_path / "out").space.cardinality == load_folder(DATA / source).space.cardinality


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["export", "nash-1950", "--format", "geniusweb", "-o", "{tmp}"],
         "parties[Bill].preferences.reservation: GeniusWeb expresses a reservation only"),
        (["export", "nash-1950", "--format", "negmas", "-o", "{tmp}"],
         "--format: unknown format; got 'negmas'; expected genius or geniusweb"),
        (["import", "{tmp}"], "empty: no GENIUS or GeniusWeb scenario files"),
        (["import", "{broken}"], "a.xml: line"),
        (["validate", "{broken}"], "a.xml: line"),
    ],
    ids=["cannot express", "unknown format", "empty folder", "import broken", "validate broken"],
)
def test_user_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], needle: str
) -> None:
    broken = copy_folder("genius_numeric", tmp_path)
    (broken / "a.xml").write_text("<utility_space>\n<objective>\n</utility_space>\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    args = [a.replace("{tmp}", str(empty)).replace("{broken}", str(broken)) for a in argv]
    code, out, err = parley(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.startswith("parley: error: ")
    assert err.count("\n") == 1, err
    assert needle in err
    assert not list(empty.iterdir())  # nothing half-written
