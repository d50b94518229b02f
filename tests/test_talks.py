"""Talks as they happen: scripted phases, consultations, joint meetings, direct talks that take
place, standing conditions, events that say what they did, adjournment with partial agreements
and standing positions carried into a session."""

from __future__ import annotations

from typing import Any

import pytest

from parley.engine import Settings
from parley.engine.messages import Action, Kind, Message, Question
from parley.engine.transcript import dumps, read
from parley.errors import ScenarioError
from parley.play import play, resume, run, seat_strategies, start
from parley.scenario import Scenario, from_data
from tests.test_engine_rules import session, two_issue

SCRIPT = [
    {"title": "Opening caucuses", "steps": [
        {"kind": "caucus", "party": "A"}, {"kind": "caucus", "party": "B"}]},
    {"title": "Phase 1: A's proposal goes to B", "steps": [
        {"kind": "carry", "party": "A", "to": "B"}]},
    {"title": "B consults the mediator", "steps": [{"kind": "consult", "party": "B"}]},
    {"title": "Joint meeting", "steps": [{"kind": "joint"}]},
]  # fmt: skip


def scripted(**protocol: Any) -> Scenario:
    return two_issue(protocol={"kind": "shuttle", "rounds": 6, "script": SCRIPT, **protocol})


def played(scenario: Scenario, **overrides: Any) -> Any:
    s = session(scenario, **overrides)
    play(s, seat_strategies(s))
    return s


def _steps(transcript: list[Message]) -> list[tuple[int, str, str, tuple[str, ...], Kind]]:
    return [
        (m.round, m.phase, m.sender, m.to, m.kind)
        for m in transcript
        if m.turn is not None and m.kind != Kind.STATEMENT
    ]


def test_a_scripted_shuttle_runs_its_steps_in_order_and_the_transcript_shows_each() -> None:
    s = played(scripted())
    titles = [(m.round, m.text) for m in s.transcript if m.kind == Kind.PHASE]
    assert titles[:4] == [(k + 1, phase["title"]) for k, phase in enumerate(SCRIPT)]
    steps = _steps(s.transcript)
    round_1 = [step for step in steps if step[0] == 1]
    assert [(p, who, to) for _, p, who, to, _ in round_1] == [
        ("caucus:A", "A", ("M",)),
        ("caucus:B", "B", ("M",)),
    ]
    round_2 = [step for step in steps if step[0] == 2]
    # Phase 1: the mediator carries A's position to B, who reviews it (to the mediator).
    assert [(p, who, to) for _, p, who, to, _ in round_2] == [
        ("caucus:B", "M", ("B",)),
        ("caucus:B", "B", ("M",)),
    ]
    carried = next(m for m in s.transcript if m.round == 2 and m.sender == "M")
    a_position = next(m for m in s.transcript if m.round == 1 and m.sender == "A")
    assert carried.outcome == a_position.outcome
    # The consultation: the mediator floats an idea or listens; B answers, all in private.
    round_3 = [step for step in steps if step[0] == 3]
    assert [(p, who, to) for _, p, who, to, _ in round_3][:2] == [
        ("consult:B", "M", ("B",)),
        ("consult:B", "B", ("M",)),
    ]
    # The joint meeting: every delegation in one room, the mediator hearing each.
    round_4 = [step for step in steps if step[0] == 4]
    if round_4:
        assert all(p == "joint" and "M" in to for _, p, _, to, _ in round_4)
        assert {who for _, _, who, _, _ in round_4} <= {"A", "B"}


def test_after_the_script_the_default_cycle_resumes() -> None:
    s = played(scripted(rounds=len(SCRIPT) + 2, default_strategy="hardliner"))
    later = [m for m in s.transcript if m.round > len(SCRIPT) and m.turn is not None]
    assert {m.round for m in later} == {len(SCRIPT) + 1, len(SCRIPT) + 2}
    assert {m.phase for m in later} == {"caucus:A", "caucus:B"}


def test_a_consultation_shapes_what_the_mediator_carries_next() -> None:
    """A delegation's word in confidence (a revised position) is what is carried next."""
    script = [
        {"title": "caucuses", "steps": [{"kind": "caucus", "party": "A"},
                                        {"kind": "caucus", "party": "B"}]},
        {"title": "consult A", "steps": [{"kind": "consult", "party": "A"}]},
        {"title": "carry A to B", "steps": [{"kind": "carry", "party": "A", "to": "B"}]},
    ]  # fmt: skip
    s = played(two_issue(protocol={"kind": "shuttle", "rounds": 3, "script": script}))
    said = [m for m in s.transcript if m.phase == "consult:A" and m.sender == "A"]
    assert said
    assert said[-1].outcome is not None
    carried = next(m for m in s.transcript if m.round == 3 and m.sender == "M")
    assert carried.outcome == said[-1].outcome


def test_a_script_names_principals_only() -> None:
    bad = [{"title": "x", "steps": [{"kind": "caucus", "party": "S"}]}]
    with pytest.raises(ScenarioError) as caught:
        two_issue(protocol={"kind": "shuttle", "script": bad})
    assert "protocol.script[0].steps[0].party" in str(caught.value)
    assert "'S'" in str(caught.value)


@pytest.mark.parametrize(
    ("step", "words"),
    [
        ({"kind": "carry", "party": "A"}, "carry step needs to"),
        ({"kind": "joint", "party": "A"}, "joint step takes neither"),
        ({"kind": "caucus"}, "caucus step needs party"),
    ],
)
def test_a_malformed_step_is_refused_with_its_reason(step: dict[str, str], words: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        two_issue(protocol={"kind": "shuttle", "script": [{"title": "x", "steps": [step]}]})
    assert words in str(caught.value)


def test_a_script_on_a_protocol_that_follows_none_is_refused() -> None:
    with pytest.raises(ScenarioError) as caught:
        Settings.from_scenario(two_issue(protocol={"script": SCRIPT}))  # kind direct
    assert "protocol.script" in str(caught.value)


# -- direct talks that take place ---------------------------------------------------------------


def _pair(
    name: str,
    x: tuple[float, list[float]],
    y_of_a: list[float],
    reservation: float,
    protocol: dict[str, Any],
) -> Scenario:
    """Two principals A and B with a mediator M on issues X and Y (three options each): X
    weighted ``x[0]`` with the values ``x[1]`` for both, Y opposed (B's values A's reversed);
    hardliners by default."""
    issues = [
        {"id": i, "name": i, "options": [{"id": f"{i}{k}", "label": str(k)} for k in range(3)]}
        for i in ("X", "Y")
    ]
    weight, x_values = x

    def prefs(y: list[float]) -> dict[str, Any]:
        return {
            "reservation": reservation,
            "issues": {
                "X": {"weight": weight, "values": {f"X{k}": v for k, v in enumerate(x_values)}},
                "Y": {"weight": 1 - weight, "values": {f"Y{k}": v for k, v in enumerate(y)}},
            },
        }

    doc = {
        "name": name,
        "title": name,
        "issues": issues,
        "parties": [
            {"name": "A", "role": "principal", "preferences": prefs(y_of_a)},
            {"name": "B", "role": "principal", "preferences": prefs(y_of_a[::-1])},
            {"name": "M", "role": "mediator"},
        ],
        "protocol": {"kind": "shuttle", "mediator": "M", "default_strategy": "hardliner",
                     **protocol},
    }  # fmt: skip
    return from_data(doc, name)


def _close(rounds: int) -> Scenario:
    """Positions a gap of 0.2 apart from the first caucuses (X shared, Y opposed and light)."""
    protocol = {"rounds": rounds, "escalation": {"gap_below": 0.25}}
    return _pair("close", (0.8, [0.0, 1.0, 0.2]), [1.0, 0.5, 0.0], 0.5, protocol)


def test_on_a_scenario_built_to_converge_the_talks_turn_direct_and_hold_direct_rounds() -> None:
    scenario = _close(rounds=5)
    s, seats = start(scenario, Settings.from_scenario(scenario), 0)
    result = play(s, seats)
    assert result.direct_from == 2  # both positions known after round 1, 0.2 apart
    turned = next(m for m in s.transcript if m.kind == Kind.PHASE and m.phase == "direct")
    assert turned.round == 1
    direct = [m for m in s.transcript if m.phase == "direct" and m.turn is not None]
    assert {m.round for m in direct} == set(range(2, result.rounds + 1))
    # Face to face, the mediator chairing: each principal addresses the other and the chair.
    assert {(m.sender, m.to) for m in direct} == {("A", ("B", "M")), ("B", ("A", "M"))}
    assert result.rounds - result.direct_rounds == 1
    assert result.direct_rounds == result.rounds - 1 >= 1


def test_talks_turn_direct_only_with_rounds_left_to_hold_them() -> None:
    scenario = _close(rounds=1)
    s, seats = start(scenario, Settings.from_scenario(scenario), 0)
    result = play(s, seats)
    assert result.direct_from is None
    assert all(m.phase != "direct" for m in s.transcript)


# -- standing conditions and events that say what they did -------------------------------------


def test_standing_conditions_act_before_the_first_round_and_say_what_they_did() -> None:
    timeline = [
        {"kind": "shift-reservation", "title": "carrier group", "round": 0, "party": "A",
         "delta": -0.05},
        {"kind": "move-deadline", "title": "a later flight", "round": 2, "rounds": 2},
    ]  # fmt: skip
    s = played(two_issue(timeline=timeline, protocol={"rounds": 4}))
    first_ask = min(m.seq for m in s.transcript if m.turn is not None)
    shift = next(m for m in s.transcript if m.text == "carrier group")
    assert shift.round == 0
    assert shift.seq < first_ask
    assert shift.data["standing"] is True
    effect = next(m for m in s.transcript if m.data.get("effect") == "reservation")
    assert effect.to == ("A",)
    assert not effect.public
    assert "from 0.20 to 0.15" in effect.text
    assert effect.data["from"] == pytest.approx(0.2)
    assert effect.data["to"] == pytest.approx(0.15)
    assert all(effect not in s.view(party).messages for party in ("B", "M", "S"))
    moved = next(m for m in s.transcript if m.data.get("effect") == "deadline")
    assert moved.public
    assert "from round 4 to round 6" in moved.text


def test_a_restrain_event_asks_a_spoiler_to_hold_off_in_public() -> None:
    timeline = [{"kind": "restrain", "title": "hold off", "round": 1, "party": "S", "by": "B"}]
    s = played(two_issue(timeline=timeline))
    message = next(m for m in s.transcript if m.text == "hold off")
    assert (message.sender, message.to, message.public) == ("world", ("S",), True)
    assert (message.data["event"], message.data["by"]) == ("restrain", "B")


def test_restraining_a_party_that_is_no_spoiler_is_refused() -> None:
    timeline = [{"kind": "restrain", "title": "hold off", "round": 1, "party": "A", "by": "B"}]
    with pytest.raises(ScenarioError) as caught:
        two_issue(timeline=timeline)
    assert "timeline[0].party" in str(caught.value)
    assert "spoiler" in str(caught.value)


# -- adjournment and partial agreements --------------------------------------------------------


def _far_apart(**protocol: Any) -> Scenario:
    """Two principals who agree on X early (both like X1 best) and never on Y (opposed)."""
    settings = {"rounds": 4, "at_deadline": "adjourn", **protocol}
    return _pair("far-apart", (0.3, [0.0, 1.0, 0.0]), [1.0, 0.3, 0.0], 0.6, settings)


def test_a_session_adjourns_with_the_issues_agreed_so_far() -> None:
    s, seats = start(_far_apart(), Settings.from_scenario(_far_apart()), 0)
    result = play(s, seats)
    assert result.ended == "adjourned"
    assert result.agreement is None
    assert result.utilities is None
    assert result.settled == (1, None)  # X1 agreed, Y open
    assert result.open_issues == (1,)
    asked = [m for m in s.transcript if m.kind == Kind.ADJOURN]
    assert [m.sender for m in asked] == ["A", "B"]
    assert "1 of 2 issues agreed" in result.reason


def test_a_principal_may_walk_away_instead_of_adjourning() -> None:
    scenario = _far_apart()
    s, seats = start(scenario, Settings.from_scenario(scenario), 0)
    while s.pending is not None and s.pending.question != Question.ADJOURN:
        ask = s.pending
        s.submit(ask.party, seats[ask.party].act(s.view(ask.party), ask))
    assert s.pending is not None
    assert s.pending.allowed == {Kind.ADJOURN, Kind.WALK_AWAY}
    s.submit("A", Action(Kind.WALK_AWAY))
    result = s.result()
    assert (result.ended, result.ended_by, result.settled) == ("walk-away", "A", ())


def test_an_adjourned_session_survives_replay_and_resume(tmp_path: Any) -> None:
    scenario = _far_apart()
    settings = Settings.from_scenario(scenario)
    s = run(scenario, settings, 3)
    path = tmp_path / "talks.jsonl"
    path.write_text(dumps(scenario, settings, 3, s.transcript), encoding="utf-8")
    recording = read(path)
    rebuilt, _ = resume(recording.scenario, recording.settings, recording.seed, recording.messages)
    assert rebuilt.transcript == s.transcript
    assert rebuilt.result() == s.result()
    # Cut short before the adjournment, resumed, it adjourns the same way.
    cut = [m for m in s.transcript if m.phase != "adjournment" and m.kind != Kind.END]
    again, _ = resume(scenario, settings, 3, cut, go_on=True)
    assert again.result().settled == s.result().settled == (1, None)


# -- standing positions carried into a session -------------------------------------------------


def test_standing_positions_open_the_talks() -> None:
    opening = {"A": {"X": "X1", "Y": "Y0"}, "B": {"X": "X1", "Y": "Y2"}}
    scenario = _far_apart(opening=opening)
    s = played(scenario, protocol="shuttle")
    carried = [m for m in s.transcript if m.data.get("carried")]
    assert [(m.sender, m.to, m.outcome, m.round) for m in carried] == [
        ("A", ("M",), (1, 0), 0),
        ("B", ("M",), (1, 2), 0),
    ]
    first_carry = next(m for m in s.transcript if m.sender == "M" and m.turn is not None)
    assert first_carry.round == 1
    assert first_carry.outcome == (1, 2)


def test_an_opening_package_must_be_complete() -> None:
    with pytest.raises(ScenarioError) as caught:
        _far_apart(opening={"A": {"X": "X1"}})
    assert "protocol.opening.A" in str(caught.value)
    assert "Y" in str(caught.value)
