"""Import -> Parley file -> load, and import -> export -> import, give the same utilities; what a
format cannot express is refused with one clear error before anything is written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parley.errors import ScenarioError
from parley.formats import export, load_folder
from parley.scenario import Scenario, dumps, load, loads
from tests.test_formats_helpers import DATA, utility_matrix

SMALL = ["genius_numeric", "genius_quirks", "genius_nonlinear", "geniusweb_numbers"]
SAME_FORMAT = {
    "genius_numeric": "genius",
    "genius_quirks": "genius",
    "genius_nonlinear": "genius",
    "genius_anac2014_style": "genius",
    "geniusweb_numbers": "geniusweb",
}


def _rows(scenario: Scenario) -> np.ndarray:
    if scenario.space.cardinality <= 200_000:
        return scenario.space.all_rows()
    rng = np.random.default_rng(7)
    return np.column_stack([rng.integers(0, n, 20_000) for n in scenario.space.sizes])


def _same(a: Scenario, b: Scenario, atol: float = 0.0) -> None:
    rows = _rows(a)
    assert [p.name for p in a.principals] == [p.name for p in b.principals]
    ua, ub = utility_matrix(a, rows), utility_matrix(b, rows)
    assert np.array_equal(ua, ub) if atol == 0.0 else np.allclose(ua, ub, rtol=0.0, atol=atol)
    for pa, pb in zip(a.principals, b.principals, strict=True):
        assert pa.preferences is not None
        assert pb.preferences is not None
        assert pa.preferences.reservation == pb.preferences.reservation
        assert pa.preferences.discount == pb.preferences.discount


@pytest.mark.parametrize("name", [*SMALL, "genius_anac2014_style"])
def test_import_then_parley_file_then_load(name: str, tmp_path: Path) -> None:
    scenario = load_folder(DATA / name)
    path = tmp_path / "imported.toml"
    path.write_text(dumps(scenario.doc), encoding="utf-8")
    again = load(path)
    assert again.doc == scenario.doc
    _same(scenario, again)


@pytest.mark.parametrize(("name", "fmt"), sorted(SAME_FORMAT.items()))
def test_import_export_import_is_identical(name: str, fmt: str, tmp_path: Path) -> None:
    scenario = load_folder(DATA / name)
    written = export(scenario, fmt, tmp_path / "out")
    assert len(written.files) == 1 + len(scenario.principals)
    assert written.left_out == ()
    again = load_folder(tmp_path / "out")
    assert [i.id for i in again.space.issues] == [i.id for i in scenario.space.issues]
    assert again.space.sizes == scenario.space.sizes
    # b.xml's integer evaluator has the older form, measured from 0 rather than from the lower
    # bound (2); GENIUS 10.4 only reads the newer form, so the offset is moved to the lower
    # bound on export, which may change the last bit. Every real file round-trips exactly.
    _same(scenario, again, atol=2.5e-16 if name == "genius_numeric" else 0.0)


def test_geniusweb_reservation_bid_survives_the_round_trip(tmp_path: Path) -> None:
    scenario = load_folder(DATA / "geniusweb_numbers")
    export(scenario, "geniusweb", tmp_path / "web")
    doc = load_folder(tmp_path / "web").doc.parties[0].preferences
    assert doc is not None
    assert doc.reservation_outcome == {"fruit": "pear", "kilos": 3, "price": 1.0}


CROSS = """
format = "parley-scenario/1"
name = "cross"
title = "Cross"

[[issues]]
id = "colour"
name = "Colour"
options = [{ id = "red", label = "red" }, { id = "green", label = "green" }]

[[issues]]
id = "count"
name = "Count"
type = "integer"
min = 1
max = 4

[[parties]]
name = "P"
role = "principal"
[parties.preferences.issues.colour]
weight = 0.6
values = { red = 1.0, green = 0.25 }
[parties.preferences.issues.count]
weight = 0.4
points = [[1, 0.0], [4, 0.75]]

[[parties]]
name = "Q"
role = "principal"
[parties.preferences.issues.colour]
weight = 0.5
values = { red = 0.0, green = 0.5 }
[parties.preferences.issues.count]
weight = 0.5
points = [[1, 1.0], [4, 0.0]]
"""


@pytest.mark.parametrize("first", ["genius", "geniusweb"])
def test_cross_format_keeps_utilities(first: str, tmp_path: Path) -> None:
    """Parley -> one format -> Parley -> the other format -> Parley."""
    scenario = loads(CROSS)
    second = "geniusweb" if first == "genius" else "genius"
    export(scenario, first, tmp_path / "one")
    middle = load_folder(tmp_path / "one")
    export(middle, second, tmp_path / "two")
    last = load_folder(tmp_path / "two")
    rows = scenario.space.all_rows()
    # GENIUS divides by the largest evaluation (green's 0.5 becomes 1 with half the weight),
    # GeniusWeb needs weights summing to 1 (Q's are rescaled) and rounds number-issue
    # utilities to 8 decimals (Q's 2/3 and 1/3 on count).
    assert np.allclose(utility_matrix(scenario, rows), utility_matrix(last, rows),
                       rtol=0.0, atol=1e-8)


def test_builtin_nash_1950_to_genius_and_back(tmp_path: Path) -> None:
    scenario = load("nash-1950")
    export(scenario, "genius", tmp_path)
    again = load_folder(tmp_path)
    assert sorted(p.name for p in again.principals) == ["Bill", "Jack"]
    rows = scenario.space.all_rows()
    for party in scenario.principals:
        assert party.preferences is not None
        theirs = again.preferences_of(party.name)
        assert np.allclose(party.preferences.utilities(rows), theirs.utilities(rows),
                           rtol=0.0, atol=1e-15)
        assert theirs.reservation == party.preferences.reservation


RED_LINE = """
format = "parley-scenario/1"
name = "tiny"
title = "Tiny"

[[issues]]
id = "a"
name = "A"
options = [{ id = "x", label = "x" }, { id = "y", label = "y" }]

[[parties]]
name = "P"
role = "principal"
[parties.preferences.issues.a]
weight = 1.0
values = { x = 1.0, y = 0.0 }
[[parties.preferences.red_lines]]
description = "never y"
when = { a = ["y"] }

[[parties]]
name = "Q"
role = "principal"
[parties.preferences.issues.a]
weight = 1.0
values = { x = 0.0, y = 1.0 }
"""


@pytest.mark.parametrize(
    ("scenario", "fmt", "pattern"),
    [
        (lambda: loads(RED_LINE), "genius", r"parties\[P\]\.preferences\.red_lines: GENIUS "),
        (lambda: loads(RED_LINE), "geniusweb", r"red_lines: GeniusWeb profiles cannot express"),
        (lambda: load_folder(DATA / "genius_nonlinear"), "geniusweb",
         r"discount: GeniusWeb profiles have no discount factor"),
        (lambda: load("nash-1950"), "geniusweb",
         r"parties\[Bill\]\.preferences\.reservation: GeniusWeb expresses a reservation only"),
        (lambda: load_folder(DATA / "genius_numeric"), "geniusweb",
         r"parties\[a\]\.preferences\.issues\.count: GeniusWeb values a number issue by a line"),
        (lambda: loads(CROSS.replace("weight = 0.4", "weight = 0.6")), "geniusweb",
         r"parties\[P\]\.preferences\.issues: GeniusWeb needs issue weights that sum to 1 and"),
        (lambda: load_folder(DATA / "geniusweb_numbers"), "genius",
         r"issues\[price\]\.steps: GENIUS enumerates a real issue on 21 values"),
        (lambda: load_folder(DATA / "genius_numeric"), "xml", r"--format: unknown format"),
    ],
    ids=["genius red line", "geniusweb red line", "geniusweb discount", "geniusweb reservation",
         "geniusweb clamped line", "geniusweb weights", "genius real grid", "unknown format"],
)
def test_what_a_format_cannot_express(
    tmp_path: Path, scenario: object, fmt: str, pattern: str
) -> None:
    with pytest.raises(ScenarioError, match=pattern):
        export(scenario(), fmt, tmp_path / "out")  # type: ignore[operator]
    assert not (tmp_path / "out").exists()


def test_nonlinear_profiles_cannot_go_to_geniusweb(tmp_path: Path) -> None:
    scenario = load_folder(DATA / "genius_nonlinear")
    doc = scenario.doc
    parties = []
    for party in doc.parties:
        if party.preferences is not None:
            party = party.model_copy(update={
                "preferences": party.preferences.model_copy(update={"discount": 1.0})})
        parties.append(party)
    undiscounted = Scenario.from_doc(doc.model_copy(update={"parties": tuple(parties)}))
    with pytest.raises(ScenarioError, match="GeniusWeb can only express linear-additive"):
        export(undiscounted, "geniusweb", tmp_path)


def test_genius_needs_its_real_grid(tmp_path: Path) -> None:
    scenario = load_folder(DATA / "genius_numeric")
    issues = tuple(i.model_copy(update={"steps": 11}) if i.type == "real" else i
                   for i in scenario.doc.issues)
    coarse = Scenario.from_doc(scenario.doc.model_copy(update={"issues": issues}))
    with pytest.raises(ScenarioError, match=r"issues\[price\]\.steps: GENIUS enumerates"):
        export(coarse, "genius", tmp_path)
