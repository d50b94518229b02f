"""GENIUS XML folders: utilities as GENIUS 10.4 computes them, checked by hand.

Every expected number below is written as the arithmetic GENIUS does (so the comparison can be
exact), next to its plain value in a comment.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from parley.cli.app import main
from parley.errors import ScenarioError
from parley.formats import import_folder, load_folder
from parley.nonlinear import CappedAdditive, HyperRectangles
from parley.outcomes import DiscreteIssue, IntegerIssue, RealIssue
from parley.preferences import LinearAdditive
from parley.scenario import Scenario
from tests.test_formats_helpers import DATA, copy_folder, utility


@pytest.fixture(scope="module")
def numeric() -> Scenario:
    return load_folder(DATA / "genius_numeric")


@pytest.fixture(scope="module")
def quirks() -> Scenario:
    return load_folder(DATA / "genius_quirks")


@pytest.fixture(scope="module")
def nonlinear() -> Scenario:
    return load_folder(DATA / "genius_nonlinear")


# -- the folder becomes a scenario -------------------------------------------------------------


def test_principals_follow_file_names_and_a_mediator_is_added(numeric: Scenario) -> None:
    assert [p.name for p in numeric.principals] == ["a", "b"]
    assert [p.name for p in numeric.mediators] == ["Mediator"]
    assert numeric.protocol.kind == "direct"
    assert numeric.protocol.mediator == "Mediator"
    assert numeric.name == "genius_numeric"


def test_issue_kinds_and_the_real_grid(numeric: Scenario) -> None:
    colour, count, price, delay, fee = numeric.space.issues
    assert isinstance(colour, DiscreteIssue)
    assert [o.id for o in colour.options] == ["red", "green", "blue"]
    assert isinstance(count, IntegerIssue)
    assert (count.low, count.high) == (2, 6)
    for issue in (price, delay, fee):
        assert isinstance(issue, RealIssue)
        assert issue.steps == 21  # GENIUS's BidIterator grid
    assert isinstance(price, RealIssue)
    assert price.numeric_values().tolist() == [k * 0.5 for k in range(21)]
    assert numeric.space.cardinality == 3 * 5 * 21**3


# -- linear-additive evaluators ----------------------------------------------------------------


def test_discrete_evaluations_are_divided_by_the_largest(numeric: Scenario) -> None:
    a = numeric.preferences_of("a")
    assert isinstance(a, LinearAdditive)
    assert a.values[0] == (2 / 8, 4 / 8, 8 / 8)  # 0.25, 0.5, 1
    b = numeric.preferences_of("b")
    assert isinstance(b, CappedAdditive)
    assert b.base.values[0] == (10 / 10, 5 / 10, 0 / 10)


def test_integer_evaluator_offset_slope_from_the_lower_bound_clamped(numeric: Scenario) -> None:
    a = numeric.preferences_of("a")
    assert isinstance(a, LinearAdditive)
    # offset 0.1, slope 0.3, lowerbound 2: v=2..6 -> 0.1, 0.4, 0.7, 1.0, 1.3 clamped to 1
    assert a.values[1] == (0.1 + 0.3 * 0, 0.1 + 0.3 * 1, 0.1 + 0.3 * 2, 0.1 + 0.3 * 3, 1.0)


def test_integer_evaluator_older_parameter_form(numeric: Scenario) -> None:
    b = numeric.preferences_of("b")
    assert isinstance(b, CappedAdditive)
    # parameter0 1, parameter1 -0.1 on the raw value: 0.8, 0.7, 0.6, 0.5, 0.4
    assert b.base.values[1] == tuple(-0.1 * v + 1 for v in range(2, 7))


def test_real_linear_evaluator_is_clamped(numeric: Scenario) -> None:
    a = numeric.preferences_of("a")
    assert isinstance(a, LinearAdditive)
    # 1.2 - 0.1 x: 1 (clamped) up to x = 2, then 1.0 ... 0.2 at x = 10
    expected = tuple(min(1.0, -0.1 * (k * 0.5) + 1.2) for k in range(21))
    assert a.values[2] == expected
    assert a.values[2][0] == 1.0
    assert a.values[2][-1] == pytest.approx(0.2)


def test_real_triangular_evaluator(numeric: Scenario) -> None:
    a = numeric.preferences_of("a")
    assert isinstance(a, LinearAdditive)
    table = dict(zip([k * 0.5 for k in range(21)], a.values[3], strict=True))
    assert table[0.0] == table[1.5] == 0.0  # below low = 2
    assert table[2.0] == 0.0  # (2 - 2) / (4 - 2)
    assert table[3.0] == 0.5  # (3 - 2) / (4 - 2)
    assert table[4.0] == 1.0  # the top
    assert table[6.0] == 0.5  # 1 - (6 - 4) / (8 - 4)
    assert table[8.0] == table[9.5] == 0.0  # from high = 8 on


def test_real_constant_evaluator(numeric: Scenario) -> None:
    a = numeric.preferences_of("a")
    assert isinstance(a, LinearAdditive)
    assert set(a.values[4]) == {0.5}


def test_weighted_sums_by_hand(numeric: Scenario) -> None:
    # 0.4*1 + 0.2*1.0 + 0.2*1.0 + 0.1*0.5 + 0.1*0.5 = 0.9
    u = utility(numeric, "a", colour="blue", count=5, price=2.0, delay=3.0, fee=0.0)
    assert u == 0.4 * 1.0 + 0.2 * (0.1 + 0.3 * 3) + 0.2 * (-0.1 * 2.0 + 1.2) + 0.1 * 0.5 + 0.1 * 0.5
    assert u == pytest.approx(0.9)
    # 0.4*0.5 + 0.2*0.1 + 0.2*0.2 + 0.1*1 + 0.1*0.5 = 0.41
    u = utility(numeric, "a", colour="green", count=2, price=10.0, delay=4.0, fee=0.5)
    assert u == pytest.approx(0.41, abs=1e-15)


def test_weights_are_used_as_read_and_the_sum_is_capped_at_one(numeric: Scenario) -> None:
    b = numeric.preferences_of("b")
    assert isinstance(b, CappedAdditive)
    assert b.base.weights == (0.5, 0.3, 0.2, 0.1, 0.1)  # sum 1.2, not renormalized
    assert b.ceiling == 1.0
    # 0.5*1 + 0.3*0.8 + 0.2*1 + 0.1*1 + 0.1*1 = 1.14 -> GENIUS returns 1
    assert utility(numeric, "b", colour="red", count=2, price=10.0, delay=0.0, fee=1.0) == 1.0
    # 0 + 0.3*0.4 + 0 + 0.1*1 + 0 = 0.22
    u = utility(numeric, "b", colour="blue", count=6, price=0.0, delay=0.0, fee=0.0)
    assert u == pytest.approx(0.22, abs=1e-15)
    assert "b: some outcomes sum to more than 1" in numeric.doc.notes


def test_discount_and_reservation(numeric: Scenario) -> None:
    a, b = numeric.preferences_of("a"), numeric.preferences_of("b")
    assert (a.discount, a.reservation) == (1.0, 0.0)  # discount 0.0 means none; no reservation
    assert (b.discount, b.reservation) == (1.0, 0.25)  # discount 2.0 means none too
    assert "discount_factor 2 means no discount" in numeric.doc.notes


def test_scalar_and_batch_paths_agree(numeric: Scenario) -> None:
    rows = numeric.space.rows(0, numeric.space.cardinality)[::97]
    for party in numeric.principals:
        assert party.preferences is not None
        batch = party.preferences.utilities(rows)
        assert batch.tolist() == [party.preferences.utility(r) for r in rows]


# -- quirks of real files -----------------------------------------------------------------------


def test_quirky_folder_reads_like_genius(quirks: Scenario) -> None:
    carrier, size, price = quirks.space.issues
    assert (carrier.id, size.id, price.id) == ("Carrier", "Size", "Price")  # objective index 1
    assert isinstance(carrier, DiscreteIssue)
    assert [o.id for o in carrier.options] == ["AT & T", "Coffee & Thee", "€ 10,000"]
    assert carrier.options[1].description == "the good, the bad & the ugly"
    assert isinstance(price, RealIssue)
    assert (price.low, price.high, price.steps) == (100.0, 200.0, 21)
    notes = quirks.doc.notes
    assert "number_of_issues says 7 but the file has 3 issues" in notes
    assert "issue Price (type='price') has no evaluation" in notes


def test_quirky_utilities_by_hand(quirks: Scenario) -> None:
    u1 = quirks.preferences_of("Quirky_util1")  # an UNCERTAIN space: its real ufun is used
    assert u1.reservation == 0.4
    # 0.5 * 1/6 + 0.25 * 4/4 + 0.25 * (2 - 0.01 * 150)
    u = utility(quirks, "Quirky_util1", Carrier="AT & T", Size="large", Price=150.0)
    assert u == 0.5 * (1 / 6) + 0.25 * 1.0 + 0.25 * (-0.01 * 150.0 + 2)
    assert u == pytest.approx(0.458333333333)
    # The cp1252 file and the UTF-8 file name the same value.
    assert utility(quirks, "Quirky_util1", Carrier="€ 10,000", Size="small", Price=200.0) == (
        0.5 * 1.0 + 0.25 * 0.25 + 0.25 * 0.0
    )
    u2 = quirks.preferences_of("Quirky_util2")
    assert (u2.discount, u2.reservation) == (0.8, 0.0)
    # legacy type="price" without evaluator: worth 0; 0.6 * 9/9 + 0.2 * 5/5 + 0.2 * 0
    assert utility(quirks, "Quirky_util2", Carrier="AT & T", Size="small", Price=100.0) == (
        0.6 * 1.0 + 0.2 * 1.0 + 0.2 * 0.0
    )
    assert utility(quirks, "Quirky_util2", Carrier="€ 10,000", Size="large", Price=200.0) == (
        0.6 * 0.0 + 0.2 * 1.0 + 0.2 * 0.0
    )


# -- nonlinear (hyper-rectangle) profiles -------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y", "z", "expected"),
    [
        # A (4 if x in 1..2) + B (3 if y != 0) + C (2 * 0.5, always) + D (0.5 if x == 1)
        # + 2 * max(1 if z == 2, 3 if z in 1..2 and x == 2); then min(1, total / 10)
        (0, 0, 0, 1 / 10),
        (0, 1, 1, (3 + 1) / 10),
        (1, 0, 1, (4 + 1 + 0.5) / 10),
        (0, 2, 2, (3 + 1 + 2 * 1) / 10),
        (1, 1, 2, 1.0),  # 4 + 3 + 1 + 0.5 + 2 = 10.5 -> capped
        (2, 0, 1, 1.0),  # 4 + 1 + 2 * 3 = 11
        (2, 1, 2, 1.0),  # 14
    ],
)
def test_nonlinear_sum_max_exclusive_and_nested(
    nonlinear: Scenario, x: int, y: int, z: int, expected: float
) -> None:
    assert utility(nonlinear, "p1", x=x, y=y, z=z) == expected


@pytest.mark.parametrize(
    ("x", "y", "z", "expected"),
    [
        # min(4 if x in 0..1, 3 * 2 if y in 1..2, 0.5 * (8 if z == 0 + 4 if z in 0..1)) / 4
        (0, 1, 0, 4 / 4),
        (1, 2, 1, 2 / 4),  # the nested "average" aggregation is GENIUS's default, SUM
        (2, 1, 0, 0.0),
        (0, 0, 0, 0.0),
        (1, 1, 2, 0.0),
    ],
)
def test_nonlinear_min_and_unknown_aggregation(
    nonlinear: Scenario, x: int, y: int, z: int, expected: float
) -> None:
    assert utility(nonlinear, "p2", x=x, y=y, z=z) == expected


def test_nonlinear_profile_model(nonlinear: Scenario) -> None:
    p1 = nonlinear.preferences_of("p1")
    assert isinstance(p1, HyperRectangles)
    assert (p1.max_utility, p1.discount, p1.reservation) == (10.0, 0.9, 0.3)
    assert p1.rectangle_count() == 6
    doc = nonlinear.doc.parties[0].preferences
    assert doc is not None
    assert doc.ufun is not None
    twice_bounded = doc.ufun.rectangles[3]
    assert twice_bounded.bounds == {"x": (1.0, 1.0)}  # [0, 2] and [1, 1] intersect
    assert doc.ufun.rectangles[1].exclude
    rows = nonlinear.space.all_rows()
    for party in nonlinear.principals:
        assert party.preferences is not None
        batch = party.preferences.utilities(rows)
        assert batch.tolist() == [party.preferences.utility(r) for r in rows]


# -- telling domain files from profiles --------------------------------------------------------


def test_domain_is_found_by_content_not_by_name(tmp_path: Path) -> None:
    folder = copy_folder("genius_numeric", tmp_path)
    (folder / "numeric_domain.xml").rename(folder / "zz_profile_looking_name.xml")
    (folder / "a.xml").rename(folder / "domain.xml")
    (folder / "notes.xml").write_text("0.5, 1.0\n1.0, 0.5\n")  # CSV text, like pareto.xml
    scenario = load_folder(folder)
    assert [p.name for p in scenario.principals] == ["b", "domain"]


# -- errors: one line naming the file and the element -------------------------------------------


def _break(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = copy_folder("genius_numeric", tmp_path)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


BROKEN = [
    ("unclosed", "a.xml", '<item index="1" value="red" evaluation="2"/>',
     '<item index="1" value="red" evaluation="2">', r"a\.xml: line \d+, column \d+: not readable"),
    ("no evaluation", "a.xml", 'value="green" evaluation="4"', 'value="green"',
     r"a\.xml: utility_space/objective\[index=0\]/issue\[index=1\]: no evaluation for value "
     r"'green'"),
    ("bad number", "b.xml", '<weight index="2" value="0.3"/>', '<weight index="2" value="x"/>',
     r"b\.xml: utility_space/objective\[index=0\]/weight\[index=2\]@value: not a number"),
    ("missing weight", "a.xml", '<weight index="5" value="0.1"/>', "",
     r"a\.xml: utility_space: no <weight> for issue fee \(index 5\)"),
    ("constraint space", "a.xml", "<utility_space>", '<utility_space type="constraint">',
     r"a\.xml: utility_space@type: unsupported kind of utility space; got 'constraint'"),
    ("unknown ftype", "b.xml", 'ftype="linear" parameter0="1"', 'ftype="cubic" parameter0="1"',
     r"b\.xml: .*issue\[index=2\]/evaluator@ftype: unsupported integer evaluator"),
    ("evaluator kind", "a.xml", 'name="count" lowerbound="2" upperbound="6" etype="integer" '
     'type="integer"', 'name="count" lowerbound="2" upperbound="6" etype="real" type="real"',
     r"a\.xml: .*issue\[index=2\]@type: a real evaluator on an integer issue"),
    ("negative weight", "b.xml", '<weight index="2" value="0.3"/>',
     '<weight index="2" value="-0.3"/>', r"b\.xml: .*weight\[index=2\]@value: a negative"),
    ("empty value", "numeric_domain.xml", '<item index="1" value="red"/>',
     '<item index="1" value=""/>', r"numeric_domain\.xml: .*item\[index=1\]@value: an empty"),
    ("bad domain bounds", "numeric_domain.xml", 'lowerbound="2" upperbound="6"',
     'lowerbound="2" upperbound="1.5"', r"numeric_domain\.xml: .*issue\[index=2\]: bad integer "),
]


@pytest.mark.parametrize(("case", "name", "old", "new", "pattern"), BROKEN,
                         ids=[case[0] for case in BROKEN])
def test_malformed_files_give_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, name: str, old: str,
    new: str, pattern: str,
) -> None:
    folder = _break(tmp_path, name, old, new)
    with pytest.raises(ScenarioError) as caught:
        load_folder(folder)
    message = str(caught.value)
    assert str(folder) in message
    assert re.search(pattern, message), message
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(folder)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("parley: error: ")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err


def test_folder_level_errors(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no GENIUS or GeniusWeb scenario files"):
        import_folder(tmp_path)
    folder = copy_folder("genius_numeric", tmp_path)
    (folder / "b.xml").unlink()
    with pytest.raises(ScenarioError, match=r"found 1 profile file\(s\) next to numeric_domain"):
        import_folder(folder)
    second = folder / "another_domain.xml"
    second.write_bytes((folder / "numeric_domain.xml").read_bytes())
    with pytest.raises(ScenarioError, match="expected one GENIUS domain file, found 2"):
        import_folder(folder)


def test_a_profile_for_another_domain_is_refused(tmp_path: Path) -> None:
    folder = copy_folder("genius_numeric", tmp_path)
    (folder / "numeric_domain.xml").write_bytes(
        (DATA / "genius_nonlinear" / "domain.xml").read_bytes())
    with pytest.raises(ScenarioError, match=r"a\.xml: .*@type: a discrete evaluator on an integer"):
        import_folder(folder)


def test_values_of_duplicated_items_are_kept_once(tmp_path: Path) -> None:
    folder = _break(tmp_path, "numeric_domain.xml", '<item index="3" value="blue"/>',
                    '<item index="3" value="blue"/><item index="4" value="blue"/>')
    scenario = load_folder(folder)
    colour = scenario.space.issues[0]
    assert isinstance(colour, DiscreteIssue)
    assert [o.id for o in colour.options] == ["red", "green", "blue"]
    assert "lists value 'blue' twice" in scenario.doc.notes


def test_utilities_are_finite_everywhere(numeric: Scenario) -> None:
    for _start, rows in numeric.space.chunks(1 << 15):
        for party in numeric.principals:
            assert party.preferences is not None
            assert np.isfinite(party.preferences.utilities(rows)).all()
