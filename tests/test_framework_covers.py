"""The ``framework`` third party's partial frameworks (``covers``): endorsed items bind the deal."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from parley.engine import Action, Kind, Settings
from parley.engine.session import Binding
from parley.errors import IllegalActionError, StrategyError
from parley.play import resume, run, start
from parley.scenario import Scenario, from_data
from parley.strategies.outsiders import Framework
from tests.scenario_factory import xy_prefs


def talks(
    protocol: str, third: str | dict[str, Any] | None, *, x: list[float] | None = None,
    a_red_line: str | None = None,
) -> Scenario:  # fmt: skip
    """A and B (conceders) want the same X, X0 (X1 close behind), and opposite Ys. T cares
    only for X1. Every package with X1 is worse for both principals than the same package
    with X0, so without T their deal keeps X0."""
    x = x or [1, 0.7, 0]
    a = xy_prefs(x, [1, 0.5, 0], 0.3)
    if a_red_line:
        a["red_lines"] = [{"description": f"never {a_red_line}", "when": {"X": [a_red_line]}}]
    issues = [
        {"id": i, "name": i, "options": [{"id": f"{i}{k}", "label": str(k)} for k in range(3)]}
        for i in ("X", "Y")
    ]
    parties = [
        {"name": "A", "role": "principal", "preferences": a},
        {"name": "B", "role": "principal", "preferences": xy_prefs(x, [0, 0.5, 1], 0.3)},
        {"name": "M", "role": "mediator"},
        {"name": "T", "role": "third-party", "preferences": xy_prefs([0, 1, 0], [1, 1, 1], 0.0)},
    ]
    doc = {
        "name": "covers",
        "title": "Covers",
        "issues": issues,
        "parties": parties,
        "protocol": {
            "kind": protocol,
            "rounds": 8,
            "mediator_strategy": "relay",
            "default_strategy": "conceder",
            "strategies": {"T": third} if third else {},
        },
    }
    return from_data(doc, "covers")


def best_option_for_t(sc: Scenario, column: int) -> int:
    t = sc.party("T").preferences
    assert t is not None
    # T's values on X; its weight on X is positive, so the best option on X is the best value.
    return max(range(sc.space.sizes[column]), key=lambda k: t.utility((k, 0)))


@pytest.mark.parametrize("protocol", ["direct", "shuttle"])
def test_an_endorsed_partial_framework_binds_its_items_and_changes_the_deal(protocol: str) -> None:
    alone = talks(protocol, None)
    seated = talks(protocol, "framework:covers=X,at=2")
    x = [issue.id for issue in seated.space.issues].index("X")
    t_option = best_option_for_t(seated, x)
    without = run(alone, Settings.from_scenario(alone), 0).result()
    session = run(seated, Settings.from_scenario(seated), 0)
    result = session.result()
    tabled = [m for m in session.transcript if m.kind == Kind.FRAMEWORK]
    assert tabled[0].data == {"covers": "X"}
    assert {m.sender for m in session.transcript if m.kind == Kind.ENDORSE} == {"A", "B"}
    bound = next(m for m in session.transcript if m.data.get("event") == "bound")
    assert result.bound == (Binding("T", bound.round, ((x, t_option),)),)
    assert result.agreement is not None
    assert without.agreement is not None
    assert result.agreement[x] == t_option
    assert without.agreement[x] != t_option
    assert result.agreement != without.agreement


def test_a_declined_partial_framework_is_revised_on_the_issues_it_covers() -> None:
    # A never accepts X1, T's favourite, so A declines; T revises to another X.
    sc = talks("direct", "framework:covers=X", a_red_line="X1")
    session = run(sc, Settings.from_scenario(sc), 0)
    tabled = [m for m in session.transcript if m.kind == Kind.FRAMEWORK]
    assert any(m.kind == Kind.DECLINE and m.sender == "A" for m in session.transcript)
    assert len(tabled) >= 2
    assert tabled[1].outcome is not None
    assert tabled[0].outcome is not None
    assert tabled[1].outcome[0] != tabled[0].outcome[0]
    assert all(m.data == {"covers": "X"} for m in tabled)
    assert "on X" in tabled[0].text


def test_a_framework_covering_every_issue_is_the_whole_agreement_as_before() -> None:
    # The scenario file's table form, where commas may part the ids.
    sc = talks("direct", {"name": "framework", "params": {"covers": "X,Y"}})
    signing = {"A": "random:p_accept=1", "B": "random:p_accept=1"}
    session = run(sc, Settings.from_scenario(sc, strategies=signing), 0)
    tabled = [m for m in session.transcript if m.kind == Kind.FRAMEWORK]
    assert [m.data for m in tabled] == [{"covers": "X,Y"}]
    assert tabled[0].outcome is not None
    assert tabled[0].outcome[0] == best_option_for_t(sc, 0)
    result = session.result()
    assert result.bound == ()
    assert result.agreement == tabled[0].outcome


def test_an_unknown_issue_in_covers_is_refused_in_one_line() -> None:
    sc = talks("direct", "framework:covers=X+Q")
    with pytest.raises(IllegalActionError, match=r"not Q$") as refused:
        run(sc, Settings.from_scenario(sc), 0)
    assert "\n" not in str(refused.value)


def test_a_framework_action_naming_an_unknown_issue_is_refused_by_the_engine() -> None:
    sc = talks("direct", "framework:at=1")
    session, _ = start(sc, Settings.from_scenario(sc), 0)
    ask = session.pending
    assert ask is not None
    assert ask.party == "T"
    with pytest.raises(IllegalActionError, match="Z") as refused:
        session.submit("T", Action(Kind.FRAMEWORK, (1, 0), data={"covers": "X,Z"}))
    assert "\n" not in str(refused.value)
    assert session.pending == ask  # nothing was recorded


@pytest.mark.parametrize(("given", "read"), [("X", "X"), ("X+Y", "X,Y"), (" X , Y ", "X,Y")])
def test_covers_reads_ids_parted_by_commas_plus_signs_or_spaces(given: str, read: str) -> None:
    assert Framework(np.random.default_rng(0), covers=given).params["covers"] == read


def test_covers_must_be_issue_ids() -> None:
    with pytest.raises(StrategyError, match="covers must be issue ids"):
        Framework(np.random.default_rng(0), covers=True)


def test_a_partial_framework_is_endorsable_whatever_its_uncovered_items_are_worth() -> None:
    # With X1 worth 0.5, T's package (X1, Y0) is worth 0.25 to B, below its 0.3; the items T
    # covers (X1) still leave B a package worth 0.75, which B would accept in round 2.
    sc = talks("direct", "framework:covers=X,at=2", x=[1, 0.5, 0])
    result = run(sc, Settings.from_scenario(sc), 0).result()
    assert result.bound


def test_a_session_with_a_binding_replays_to_the_same_transcript() -> None:
    sc = talks("single-text", "framework:covers=X,at=2")
    settings_ = Settings.from_scenario(sc, protocol="single-text", mediator="feedback")
    session = run(sc, settings_, 0)
    assert session.result().bound
    rebuilt, _ = resume(sc, session.settings, 0, session.transcript)
    assert rebuilt.transcript == session.transcript
