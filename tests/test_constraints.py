"""Constraints: combinations of options no package may take, whoever would sign it.

The file refuses a bad one in one line; the space, the kernel, every strategy, the room's
builder and the export all keep to packages that can exist (the analysis is checked against
its brute-force oracles in ``test_analysis_oracle``, ``test_analysis_classes`` and
``test_linear_frontier``). Brute force here is plain Python over ``itertools.product``.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis import analyze
from parley.combinations import count_avoiding, extremes_avoiding
from parley.engine import Action, Session, Settings
from parley.engine.messages import Kind
from parley.errors import IllegalActionError, ScenarioError
from parley.formats import export
from parley.outcomes import Combination, Constraint
from parley.play import resume
from parley.scenario import dumps, from_data, load
from parley.server import views
from parley.strategies import MEDIATORS, NEGOTIATORS
from parley.strategies.seating import settle
from tests.cli_helpers import parley
from tests.scenario_factory import random_scenario
from tests.test_isolation import drive

NOT_BOTH = "X0 with Y0 is a contradiction"


def doc(**extra: Any) -> dict[str, Any]:
    """A 3x3 scenario, A preferring low options and B high ones, where X0 with Y0 cannot be."""
    issues = [
        {"id": x, "name": x, "options": [{"id": f"{x}{k}", "label": str(k)} for k in range(3)]}
        for x in ("X", "Y")
    ]

    def prefs(values: list[float]) -> dict[str, Any]:
        return {
            "reservation": 0.1,
            "issues": {
                x: {"weight": 0.5, "values": {f"{x}{k}": v for k, v in enumerate(values)}}
                for x in ("X", "Y")
            },
        }

    return {
        "name": "constrained",
        "title": "Constrained",
        "issues": issues,
        "constraints": [
            {"description": NOT_BOTH, "when": {"X": ["X0"], "Y": ["Y0"]}, "basis": "ASSUMPTION"}
        ],
        "parties": [
            {"name": "A", "role": "principal", "preferences": prefs([1.0, 0.6, 0.0])},
            {"name": "B", "role": "principal", "preferences": prefs([0.0, 0.6, 1.0])},
            {"name": "M", "role": "mediator"},
        ],
        "protocol": {"kind": "direct", "rounds": 6, "mediator": "M"},
        **extra,
    }


# -- the file ----------------------------------------------------------------------------------


def _broken(change: str) -> dict[str, Any]:
    data = doc()
    rule = data["constraints"][0]
    if change == "unknown issue":
        rule["when"]["Z"] = ["Z1"]
    elif change == "unknown option":
        rule["when"]["Y"] = ["Y7"]
    elif change == "no basis":
        del rule["basis"]
    elif change == "no reason":
        rule["description"] = ""
    elif change == "empty":
        rule["when"] = {}
    elif change == "everything":
        data["constraints"].append(
            {"description": "no X", "when": {"X": ["X0", "X1", "X2"]}, "basis": "FACT"}
        )
    elif change == "draft":
        draft = {"X": "X0", "Y": "Y0"}
        data["timeline"] = [{"kind": "table-draft", "title": "t", "party": "A", "draft": draft}]
    elif change == "opening":
        data["protocol"]["opening"] = {"A": {"X": "X0", "Y": "Y0"}}
    return data


BROKEN = [
    (
        "unknown issue",
        "x.toml: constraints[0].when.Z: unknown issue; got 'Z'; expected one of X, Y",
    ),
    ("unknown option", "x.toml: constraints[0].when.Y: 'Y7' is not an option of issue Y"),
    ("no basis", "x.toml: constraints[0].basis: Field required"),
    ("no reason", "x.toml: constraints[0].description: String should have at least 1 character"),
    ("empty", "x.toml: constraints[0]: a constraint names at least one issue and one option"),
    ("everything", "x.toml: constraints: together they rule out every package"),
    ("draft", f"x.toml: timeline[0].draft: breaks constraints[0] ({NOT_BOTH})"),
    ("opening", f"x.toml: protocol.opening.A: breaks constraints[0] ({NOT_BOTH})"),
]


@pytest.mark.parametrize(("change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_bad_constraint_is_one_line_naming_the_field(change: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        from_data(_broken(change), "x.toml")
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_validate_prints_the_constraint_error_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.toml"
    good.write_text(dumps(from_data(doc()).doc), encoding="utf-8")
    text = good.read_text(encoding="utf-8")
    assert text.count('Y = [\n    "Y0",') == 1  # the constraint's condition on Y
    text = text.replace('Y = [\n    "Y0",', 'Y = [\n    "Y9",')
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    code, _out, err = parley(capsys, "validate", str(bad))
    assert code == 2
    assert err.count("\n") == 1
    assert "bad.toml: constraints[0].when.Y: 'Y9' is not an option of issue Y" in err


def test_constraints_round_trip_through_the_file() -> None:
    scenario = from_data(doc())
    again = from_data(copy.deepcopy(scenario.doc.model_dump(mode="json", exclude_none=True)))
    assert again.space.constraints == scenario.space.constraints
    assert scenario.space.constraints == (
        Constraint(NOT_BOTH, ((0, frozenset({0})), (1, frozenset({0}))), "", "ASSUMPTION"),
    )


# -- the space ---------------------------------------------------------------------------------


@st.composite
def combinations(draw: st.DrawFn) -> tuple[list[int], list[Combination]]:
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=5))
    found = []
    for k in range(draw(st.integers(0, 4))):
        columns = draw(
            st.lists(
                st.integers(0, len(sizes) - 1), min_size=1, max_size=min(3, len(sizes)), unique=True
            )
        )
        conditions = tuple(
            (j, frozenset(draw(st.lists(st.integers(0, sizes[j] - 1), min_size=1, unique=True))))
            for j in columns
        )
        found.append(Constraint(f"c{k}", conditions))
    return sizes, found


def _takes(outcome: tuple[int, ...], combination: Combination) -> bool:
    return all(outcome[j] in options for j, options in combination.conditions)


@settings(max_examples=300, deadline=None)
@given(combinations(), st.data())
def test_counts_and_extremes_walked_issue_by_issue_match_brute_force(
    case: tuple[list[int], list[Combination]], data: st.DataObject
) -> None:
    sizes, found = case
    tables = [
        np.array([data.draw(st.integers(0, 8)) / 8 for _ in range(n)], dtype=np.float64)
        for n in sizes
    ]
    kept = [
        o
        for o in itertools.product(*(range(n) for n in sizes))
        if not any(_takes(o, c) for c in found)
    ]
    assert count_avoiding(sizes, found) == len(kept)
    sums = [sum(float(t[i]) for t, i in zip(tables, o, strict=True)) for o in kept]
    assert extremes_avoiding(tables, found) == ((min(sums), max(sums)) if kept else None)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_a_space_says_which_packages_can_exist(seed: int) -> None:
    space = random_scenario(seed % 500, events=False, constraints=True).space
    rows = space.all_rows()
    expected = [
        not any(_takes(tuple(int(v) for v in r), c) for c in space.constraints) for r in rows
    ]
    assert space.possible_rows(rows).tolist() == expected
    for row, possible in zip(rows, expected, strict=True):
        broken = space.impossible(tuple(int(v) for v in row))
        assert (broken is None) == possible
    first = next(tuple(int(v) for v in r) for r, ok in zip(rows, expected, strict=True) if ok)
    assert space.first_possible() == first


# -- the kernel --------------------------------------------------------------------------------


def _session(**overrides: Any) -> Session:
    scenario = from_data(doc())
    chosen = Settings.from_scenario(scenario, **overrides)
    return Session(scenario, settle(scenario, chosen, named="mediator" in overrides), seed=0)


def test_the_kernel_refuses_a_package_that_cannot_exist() -> None:
    s = _session()
    with pytest.raises(IllegalActionError) as caught:
        s.submit("A", Action(Kind.PROPOSE, (0, 0)))
    assert str(caught.value) == f"A's package X0 Y0 cannot exist: {NOT_BOTH}"
    s.submit("A", Action(Kind.PROPOSE, (0, 1)))  # one option off: it can exist
    assert s.transcript[-1].outcome == (0, 1)


def test_a_mediators_draft_that_cannot_exist_is_refused() -> None:
    s = _session(protocol="single-text", mediator="hill-climb")
    ask = s.pending
    assert ask is not None
    assert ask.party == "M"
    with pytest.raises(IllegalActionError, match=f"M's package X0 Y0 cannot exist: {NOT_BOTH}"):
        s.submit("M", Action(Kind.DRAFT, (0, 0)))


SEATS = [("direct", None)] + [
    (protocol, name)
    for protocol in ("shuttle", "single-text")
    for name in sorted(n for n, cls in MEDIATORS.items() if protocol in cls.protocols)
]


@pytest.mark.parametrize(("protocol", "mediator"), SEATS)
def test_every_strategy_keeps_to_packages_that_can_exist(
    protocol: str, mediator: str | None
) -> None:
    """Random scenarios with constraints, every negotiator, a third party, a spoiler and an
    adviser seated: the kernel would refuse an impossible package, so each run ending at all is
    the check; every package in the transcript can exist, and the run replays."""
    names = sorted(NEGOTIATORS)
    for seed in range(8):
        scenario = random_scenario(seed, outsiders=True, constraints=True)
        chosen = Settings.from_scenario(
            scenario,
            protocol=protocol,
            mediator=mediator,
            strategies={p.name: names[seed % len(names)] for p in scenario.principals},
        )
        session = drive(scenario, chosen, seed=seed)
        space = scenario.space
        assert all(
            space.impossible(m.outcome) is None for m in session.transcript if m.outcome is not None
        )
        replayed, _ = resume(scenario, session.settings, seed, session.transcript)
        assert replayed.transcript == session.transcript


# -- the room's builder and the export ---------------------------------------------------------


def test_the_builder_flags_a_package_that_cannot_exist_with_its_reason() -> None:
    scenario = from_data(doc())
    prefs = scenario.preferences_of("A")
    space = scenario.space
    partial = views.evaluation(space, prefs, 0.1, {0: 0, 1: 0})
    assert partial["impossible"] == [NOT_BOTH]
    assert partial["acceptable"] is False
    assert views.evaluation(space, prefs, 0.1, {0: 0})["impossible"] == []  # Y still open
    fine = views.evaluation(space, prefs, 0.1, {0: 0, 1: 1})
    assert fine["impossible"] == []
    assert fine["acceptable"] is True
    mediator = _session(protocol="single-text", mediator="hill-climb").view("M")
    assert views.confided_evaluation(mediator, {0: 0, 1: 0})["impossible"] == [NOT_BOTH]


@pytest.mark.parametrize("fmt", ["genius", "geniusweb"])
def test_export_writes_the_files_and_says_in_one_line_that_constraints_are_left_out(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = load("nash-1950").doc.model_dump(mode="json", exclude_none=True)
    for party in data["parties"]:
        if "preferences" in party:  # GeniusWeb holds no bare reservation value
            party["preferences"]["reservation"] = 0.0
    data["constraints"] = [
        {
            "description": "not both",
            "when": {"book": ["Jack"], "whip": ["Jack"]},
            "basis": "ASSUMPTION",
        }
    ]
    scenario = from_data(data, "nash.toml")
    written = export(scenario, fmt, tmp_path / "api")
    assert len(written.files) == 3
    assert len(written.left_out) == 1
    assert "cannot express constraints" in written.left_out[0]
    assert "1 constraint(s) of nash-1950" in written.left_out[0]
    path = tmp_path / "nash.toml"
    path.write_text(dumps(scenario.doc), encoding="utf-8")
    code, out, err = parley(
        capsys, "export", str(path), "--format", fmt, "-o", str(tmp_path / "cli")
    )
    assert code == 0
    assert "wrote 3 files" in out
    assert err.count("\n") == 1
    assert err.startswith("parley: warning: ")
    assert "cannot express constraints" in err
    assert len(list((tmp_path / "cli").iterdir())) == 3


# -- Muscat ------------------------------------------------------------------------------------


def test_muscat_suggests_only_packages_that_can_exist() -> None:
    muscat = load("muscat-2026")
    space = muscat.space
    assert space.constraints
    assert all(
        c.description and c.basis in {"FACT", "REPORTED", "ASSUMPTION"} for c in space.constraints
    )
    analysis = analyze(muscat)
    for name, point in analysis.special.items():
        assert point is not None, name
        assert space.impossible(point.outcome) is None, name
    assert all(space.impossible(p.outcome) is None for p in analysis.pareto)
    # the Nash point before constraints: a dismantled programme 'suspended', Israel bound by a
    # nuclear-only deal
    nash = ["A6", "B6", "C5", "D5", "E2", "F1", "G2", "H1", "I1"]
    before = space.from_values(dict(zip("ABCDEFGHI", nash, strict=True)))
    broken = [c for c in space.constraints if c.crossed_by(before)]
    columns = {space.issues[j].id for c in broken for j, _ in c.conditions}
    assert {"A", "C", "H", "I"} <= columns


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**31 - 1), st.data())
def test_the_options_left_on_one_issue_are_those_a_batch_check_allows(
    seed: int, data: st.DataObject
) -> None:
    """``options_left`` (one package, one issue: a coordinate search's question) against the
    batch rule ``possible_rows`` on every option of that issue."""
    space = random_scenario(seed % 500, events=False, constraints=True).space
    outcome = tuple(data.draw(st.integers(0, n - 1)) for n in space.sizes)
    column = data.draw(st.integers(0, len(space.sizes) - 1))
    rows = np.tile(np.asarray(outcome, dtype=np.int64), (space.sizes[column], 1))
    rows[:, column] = np.arange(space.sizes[column])
    expected = space.possible_rows(rows)
    left = space.options_left(outcome, column)
    got = np.ones(space.sizes[column], dtype=bool) if left is None else left
    assert np.array_equal(got, expected)
