"""The kernel's rules: turn order, legality, red lines, reservations, endings and outside events."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from parley.engine import Action, Session, Settings
from parley.engine.messages import Kind
from parley.errors import EngineError, IllegalActionError, StrategyError, UnknownNameError
from parley.play import play, seat_strategies, start
from parley.scenario import Scenario, from_data, load
from parley.strategies.seating import seat, settle


def two_issue(
    timeline: list[dict[str, Any]] | None = None,
    protocol: dict[str, Any] | None = None,
    red_line: bool = True,
) -> Scenario:
    """A 3x3 scenario where A wants low options and B wants high ones."""
    issues = [
        {"id": x, "name": x, "options": [{"id": f"{x}{k}", "label": str(k)} for k in range(3)]}
        for x in ("X", "Y")
    ]

    def prefs(values: list[float], reservation: float, banned: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "reservation": reservation,
            "issues": {
                x: {"weight": 0.5, "values": {f"{x}{k}": v for k, v in enumerate(values)}}
                for x in ("X", "Y")
            },
        }
        if banned and red_line:
            out["red_lines"] = [{"description": f"never {banned}", "when": {"X": [banned]}}]
        return out

    doc = {
        "name": "rules",
        "title": "Rules",
        "issues": issues,
        "parties": [
            {"name": "A", "role": "principal", "preferences": prefs([1.0, 0.6, 0.0], 0.2, "X2")},
            {"name": "B", "role": "principal", "preferences": prefs([0.0, 0.6, 1.0], 0.2, "X0")},
            {"name": "M", "role": "mediator"},
            {"name": "S", "role": "spoiler"},
        ],
        "protocol": {"kind": "direct", "rounds": 6, "mediator": "M", **(protocol or {})},
        "timeline": timeline or [],
    }
    return from_data(doc, "rules")


def session(scenario: Scenario | None = None, **overrides: Any) -> Session:
    scenario = scenario or two_issue()
    settings = Settings.from_scenario(scenario, **overrides)
    settings = settle(scenario, settings, named="mediator" in overrides)
    return Session(scenario, settings, seed=0)


def test_first_ask_goes_to_the_first_principal() -> None:
    s = session()
    assert s.pending is not None
    assert s.pending.party == "A"
    assert s.pending.allowed == {Kind.PROPOSE, Kind.WALK_AWAY}


def test_out_of_turn_and_unlisted_kinds_are_refused() -> None:
    s = session()
    with pytest.raises(IllegalActionError, match="A's turn"):
        s.submit("B", Action(Kind.PROPOSE, (1, 1)))
    with pytest.raises(IllegalActionError, match="not 'accept'"):
        s.submit("A", Action(Kind.ACCEPT))


def test_packages_outside_the_agenda_are_refused() -> None:
    s = session()
    for bad in [(1,), (1, 3), (-1, 0), None]:
        with pytest.raises(IllegalActionError):
            s.submit("A", Action(Kind.PROPOSE, bad))
    assert s.transcript == [msg for msg in s.transcript if msg.kind == Kind.PHASE]


def test_a_party_may_not_propose_across_its_own_red_line() -> None:
    s = session()
    with pytest.raises(IllegalActionError, match="red line 'never X2'"):
        s.submit("A", Action(Kind.PROPOSE, (2, 0)))


def test_a_party_may_not_propose_below_its_reservation() -> None:
    s = session(two_issue(red_line=False))
    with pytest.raises(IllegalActionError, match="reservation"):
        s.submit("A", Action(Kind.PROPOSE, (2, 2)))  # worth 0 to A, below its 0.2
    s.submit("A", Action(Kind.PROPOSE, (1, 2)))  # worth 0.3 to A: allowed


def test_accepting_below_reservation_is_refused() -> None:
    s = session(two_issue(red_line=False))
    s.submit("A", Action(Kind.PROPOSE, (0, 0)))  # worth 0 to B, below B's 0.2
    with pytest.raises(IllegalActionError, match="reservation"):
        s.submit("B", Action(Kind.ACCEPT))


def test_acceptance_by_every_other_principal_is_agreement() -> None:
    s = session()
    s.submit("A", Action(Kind.PROPOSE, (1, 1)))
    s.submit("B", Action(Kind.ACCEPT))
    result = s.result()
    assert result.ended == "agreement"
    assert result.agreement == (1, 1)
    assert result.utilities == pytest.approx((0.6, 0.6))
    assert s.done
    assert s.transcript[-2].kind == Kind.AGREEMENT


def test_walk_away_ends_the_talks_and_names_who() -> None:
    s = session()
    s.submit("A", Action(Kind.WALK_AWAY))
    assert (s.result().ended, s.result().ended_by) == ("walk-away", "A")
    with pytest.raises(EngineError, match="ended"):
        s.submit("A", Action(Kind.PROPOSE, (1, 1)))


def test_hardliners_meet_the_deadline() -> None:
    s = session(strategies={"A": "hardliner", "B": "hardliner"})
    result = play(s, seat_strategies(s))
    assert result.ended == "deadline"
    assert result.agreement is None
    assert result.rounds == 6


def test_scheduled_cancel_names_the_event_and_the_spoiler() -> None:
    scenario = two_issue([{"kind": "cancel", "title": "A strike", "round": 2, "party": "S"}])
    s = session(scenario, strategies={"A": "hardliner", "B": "hardliner"})
    result = play(s, seat_strategies(s))
    assert (result.ended, result.ended_by, result.rounds) == ("cancelled", "S", 2)
    assert "A strike" in result.reason


def test_move_deadline_and_shift_reservation_take_effect() -> None:
    scenario = two_issue(
        [
            {"kind": "move-deadline", "title": "Talks extended", "round": 1, "rounds": 3},
            {
                "kind": "shift-reservation",
                "title": "Pressure",
                "round": 1,
                "party": "A",
                "delta": -0.15,
            },
        ]
    )
    s = session(scenario, strategies={"A": "hardliner", "B": "hardliner"})
    assert s.deadline == 9
    assert s.view("A").reservation == pytest.approx(0.05)
    assert s.view("B").reservation == pytest.approx(0.2)
    assert play(s, seat_strategies(s)).rounds == 9


def test_a_tabled_draft_is_public() -> None:
    scenario = two_issue(
        [
            {
                "kind": "table-draft",
                "title": "Framework",
                "round": 1,
                "party": "S",
                "draft": {"X": "X1", "Y": "Y1"},
            }
        ]
    )
    s = session(scenario)
    drafts = [msg for msg in s.transcript if msg.kind == Kind.DRAFT]
    assert len(drafts) == 1
    assert drafts[0].outcome == (1, 1)
    assert drafts[0].public
    for party in ("A", "B", "M", "S"):
        assert drafts[0] in s.view(party).messages


def test_random_events_are_seeded() -> None:
    scenario = two_issue([{"kind": "cancel", "title": "Strike", "probability": 0.3, "party": "S"}])
    rounds = set()
    for seed in range(30):
        runs = []
        for _ in range(2):
            s = Session(
                scenario,
                Settings.from_scenario(scenario, strategies={"A": "hardliner", "B": "hardliner"}),
                seed,
            )
            runs.append(play(s, seat_strategies(s)))
        assert runs[0] == runs[1]
        rounds.add(runs[0].rounds)
    assert len(rounds) > 1, (
        "a per-round hazard must end the talks in different rounds for different seeds"
    )


def test_shuttle_keeps_principals_apart_and_relays_verbatim() -> None:
    s = session(protocol="shuttle")
    result = play(s, seat_strategies(s))
    assert result.ended in {"agreement", "deadline"}
    for msg in s.transcript:
        if msg.sender in ("A", "B"):
            assert msg.to == ("M",) or msg.public
    relays = [msg for msg in s.transcript if msg.kind == Kind.RELAY]
    assert relays, "the relay mediator carries positions"
    for relay in relays:
        carried = max(
            (
                x
                for x in s.transcript
                if x.seq < relay.seq and x.sender in ("A", "B") and x.outcome is not None
            ),
            key=lambda x: x.seq,
        )
        assert relay.outcome == carried.outcome


def test_shuttle_turns_direct_when_positions_are_close() -> None:
    scenario = two_issue(protocol={"escalation": {"gap_below": 2.0}})
    s = session(scenario, protocol="shuttle")
    play(s, seat_strategies(s))
    direct = [msg for msg in s.transcript if msg.phase == "direct"]
    assert direct
    assert direct[0].kind == Kind.PHASE
    assert "turn direct" in direct[0].text
    # Face to face, the mediator chairing: it hears every exchange.
    assert any(msg.sender == "A" and msg.to == ("B", s.mediator) for msg in direct)
    result = s.result()
    assert result.direct_from == direct[0].round + 1
    assert result.direct_rounds == result.rounds - result.direct_from + 1 >= 1


def test_single_text_drafts_go_to_every_principal_and_answers_to_the_mediator() -> None:
    s = session(protocol="single-text")
    play(s, seat_strategies(s))
    drafts = [msg for msg in s.transcript if msg.kind == Kind.DRAFT]
    assert drafts
    assert all(msg.sender == "M" and msg.to == ("A", "B") for msg in drafts)
    answers = [msg for msg in s.transcript if msg.kind in (Kind.ACCEPT, Kind.REJECT)]
    assert answers
    assert all(msg.to == ("M",) for msg in answers)


def test_unknown_strategy_names_list_the_known_ones() -> None:
    s = session(strategies={"A": "nonsense"})
    with pytest.raises(UnknownNameError, match="boulware"):
        seat_strategies(s)


def test_a_mediator_that_cannot_run_a_protocol_says_which_can() -> None:
    # named here, not only by the file: it is never swapped for the protocol's default
    s = session(protocol="single-text", mediator="relay")
    with pytest.raises(StrategyError, match="hill-climb"):
        seat_strategies(s)


def test_the_files_mediator_gives_way_only_under_another_protocol() -> None:
    scenario = two_issue(protocol={"kind": "shuttle", "mediator_strategy": "annealing"})
    own = Settings.from_scenario(scenario)
    with pytest.raises(StrategyError, match="annealing"):
        seat(scenario, settle(scenario, own), 0)  # the file's own protocol: an error to fix
    other = settle(scenario, Settings.from_scenario(scenario, protocol="single-text"))
    assert other.strategies["M"].name == "annealing"  # it runs single text: kept
    relayed = settle(scenario, Settings.from_scenario(scenario, protocol="direct"))
    assert relayed.mediator is None  # no mediator seat at all
    plain = two_issue(protocol={"kind": "shuttle", "mediator_strategy": "feedback"})
    swapped = settle(plain, Settings.from_scenario(plain, protocol="single-text"))
    assert swapped.strategies["M"].name == "feedback"  # it runs single text: kept
    relay = two_issue(protocol={"kind": "shuttle"})  # relay, the file's, cannot: swapped
    fitted = settle(relay, Settings.from_scenario(relay, protocol="single-text"))
    assert fitted.strategies["M"].name == "hill-climb"
    named = settle(relay, Settings.from_scenario(relay, protocol="single-text"), named=True)
    assert named.strategies["M"].name == "relay"  # named: kept (and refused when seated)


def test_every_protocol_runs_on_every_builtin() -> None:
    from parley.scenario import builtin_names

    for name in builtin_names():
        scenario = load(name)
        for protocol in ("direct", "shuttle", "single-text"):
            s, seats = start(scenario, Settings.from_scenario(scenario, protocol=protocol), 1)
            assert play(s, seats).ended in {
                "agreement",
                "deadline",
                "walk-away",
                "cancelled",
                "adjourned",
            }


def test_confidences_are_a_setting_any_mediator_seat_can_use() -> None:
    scenario = two_issue()
    settings = Settings.from_scenario(scenario, protocol="shuttle")
    assert not settings.confide
    chosen = Settings.from_scenario(scenario, protocol="shuttle", mediator="confidential")
    assert settle(scenario, chosen).confide
    s = Session(scenario, replace(settings, confide=True), seed=0)  # e.g. a person as mediator
    assert s.pending is not None
    assert s.pending.party == "A"
    assert s.pending.allowed == {Kind.CONFIDE, Kind.DECLINE}
    s.submit("A", Action(Kind.CONFIDE))
    assert set(s.view("M").confided) == {"A"}
    assert not s.view("B").confided
    assert Settings.from_json(replace(settings, confide=True).to_json()).confide


def test_packages_are_whole_number_option_indices() -> None:
    import numpy as np

    s = session()
    s.submit("A", Action(Kind.PROPOSE, (np.int64(0), np.int64(1))))  # type: ignore[arg-type]
    recorded = s.transcript[-1].outcome
    assert recorded == (0, 1)
    assert all(type(i) is int for i in recorded or ())
    for bad in ((0.0, 1.0), ("a", "b"), (0.5, 1)):
        with pytest.raises(IllegalActionError, match="whole-number option index"):
            s.submit("B", Action(Kind.COUNTER, bad))  # type: ignore[arg-type]
    s.submit("B", Action(Kind.COUNTER, [2, 1]))  # type: ignore[arg-type]
    assert s.transcript[-1].outcome == (2, 1)
