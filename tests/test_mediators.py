"""The annealing, feedback and confidential mediators, the confide action and strategic feedback."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from parley.analysis import analyze, analyze_profiles
from parley.analysis.core import principal_preferences
from parley.engine import Action, Session, Settings, StrategySpec
from parley.engine.messages import Kind
from parley.engine.rules import checked
from parley.errors import IllegalActionError, StrategyError
from parley.play import run, seat_strategies
from parley.preferences import reaches
from parley.scenario import Scenario, load
from parley.strategies import MEDIATORS, REGISTRY, Strategy
from parley.strategies.confidential import ranked_frontier
from parley.strategies.seating import settle
from tests.scenario_factory import random_scenario

CRITERION_POINT = {"nash": "nash", "kalai": "kalai", "maximin": "egalitarian"}


def settings_for(
    scenario: Scenario,
    protocol: str,
    mediator: str,
    *,
    rounds: int | None = None,
    negotiator: str = "boulware",
    mediator_params: dict[str, str | int | float | bool] | None = None,
    negotiator_params: dict[str, str | int | float | bool] | None = None,
) -> Settings:
    settings = Settings.from_scenario(scenario, protocol=protocol, mediator=mediator, rounds=rounds)
    assert settings.mediator is not None
    strategies = dict(settings.strategies)
    strategies[settings.mediator] = StrategySpec(mediator, mediator_params or {})
    for party in scenario.principals:
        strategies[party.name] = StrategySpec(negotiator, negotiator_params or {})
    return settle(scenario, replace(settings, strategies=strategies))


def build(spec: StrategySpec, role: str, protocol: str, rng: np.random.Generator) -> Strategy:
    """The registered strategy ``spec`` names, built as a seat would build it."""
    return REGISTRY.find(role, spec.name)(rng, **dict(spec.params))


def check_agreement(scenario: Scenario, session: Session) -> None:
    agreement = session.result().agreement
    if agreement is None:
        return
    for party in scenario.principals:
        prefs = party.preferences
        assert prefs is not None
        assert not prefs.crossed(agreement), f"{party.name}'s red line crossed"
        assert reaches(prefs.utility(agreement), session.reservation(party.name))


# -- the confidential mediator --------------------------------------------------------------


@pytest.mark.parametrize("scenario_name", ["nash-1950", "job-offer"])
@pytest.mark.parametrize("protocol", ["single-text", "shuttle"])
@pytest.mark.parametrize("criterion", ["nash", "kalai", "maximin"])
def test_confidential_reaches_the_optimum_of_its_criterion(
    scenario_name: str, protocol: str, criterion: str
) -> None:
    scenario = load(scenario_name)
    settings = settings_for(
        scenario, protocol, "confidential", mediator_params={"criterion": criterion}
    )
    result = run(scenario, settings, seed=0).result()
    optimum = getattr(analyze(scenario), CRITERION_POINT[criterion])
    assert result.ended == "agreement"
    assert result.agreement == optimum.outcome


@pytest.mark.parametrize("seed", range(40))
def test_confidential_reaches_the_nash_point_on_random_scenarios(seed: int) -> None:
    scenario = random_scenario(seed, principals=2 + seed % 2, events=False)
    optimum = analyze(scenario).nash
    if optimum is None:
        pytest.skip("empty ZOPA")
    protocol = ("single-text", "shuttle")[seed % 2]
    negotiator = ("boulware", "linear", "conceder")[seed % 3]
    settings = settings_for(scenario, protocol, "confidential", negotiator=negotiator)
    result = run(scenario, settings, seed=seed).result()
    assert result.agreement == optimum.outcome


def test_random_scenarios_often_have_a_zopa() -> None:
    """The property test above must not skip its way to green."""
    found = sum(
        analyze(random_scenario(s, principals=2 + s % 2, events=False)).nash is not None
        for s in range(40)
    )
    assert found >= 20


def test_ranked_frontier_starts_at_the_optimum_and_stays_in_the_zopa() -> None:
    scenario = load("job-offer")
    analysis = analyze_profiles(scenario.space, principal_preferences(scenario))
    assert analysis == replace(analyze(scenario), parties=analysis.parties)
    for criterion, point in CRITERION_POINT.items():
        ranked = ranked_frontier(analysis, criterion)
        assert ranked[0] == getattr(analysis, point)
        assert all(analysis.meets_reservations(p.utilities) for p in ranked)
        assert len({p.outcome for p in ranked}) == len(ranked)
    with pytest.raises(ValueError, match="criterion"):
        ranked_frontier(analysis, "utilitarian")


def test_a_bad_criterion_is_refused() -> None:
    with pytest.raises(StrategyError, match="criterion"):
        build(
            StrategySpec("confidential", {"criterion": "fair"}),
            "mediator",
            "single-text",
            np.random.default_rng(0),
        )


# -- confiding in the kernel ------------------------------------------------------------------


def test_principals_confide_once_to_the_mediator_alone() -> None:
    scenario = load("nash-1950")
    settings = settings_for(scenario, "single-text", "confidential")
    session = Session(scenario, settings, seed=0)
    mediator = settings.mediator
    assert mediator is not None
    first = session.pending
    assert first is not None
    assert first.allowed == {Kind.CONFIDE, Kind.DECLINE}
    assert first.to == (mediator,)
    session.submit(first.party, Action(Kind.CONFIDE, outcome=(0,) * 9, text="in confidence"))
    marker = session.transcript[-1]
    assert (marker.kind, marker.sender, marker.to, marker.outcome) == (
        Kind.CONFIDE,
        first.party,
        (mediator,),
        None,
    )
    assert not marker.public
    assert set(session.view(mediator).confided) == {first.party}
    assert dict(session.confided) == dict(session.view(mediator).confided)
    for party in scenario.principals:
        assert not session.view(party.name).confided
    second = session.pending
    assert second is not None
    assert second.party != first.party
    with pytest.raises(IllegalActionError):
        session.submit(second.party, Action(Kind.PROPOSE, (0,) * 9))
    session.submit(second.party, Action(Kind.DECLINE))
    assert set(session.view(mediator).confided) == {first.party}
    assert session.pending is not None
    assert session.pending.party == mediator  # the first draft comes after the invitations
    with pytest.raises(IllegalActionError):
        # a second confidence is refused by the rules
        checked(first, Action(Kind.CONFIDE), session.seats[first.party], session.space, set())


def test_other_mediators_never_invite_confidences() -> None:
    scenario = load("nash-1950")
    for protocol, mediator in [
        ("single-text", "hill-climb"),
        ("single-text", "annealing"),
        ("single-text", "feedback"),
        ("shuttle", "bridging"),
        ("shuttle", "relay"),
    ]:
        session = run(scenario, settings_for(scenario, protocol, mediator), seed=0)
        assert not any(msg.kind in {Kind.CONFIDE, Kind.DECLINE} for msg in session.transcript)
        assert not session.view(session.settings.mediator or "").confided
    assert [n for n, cls in MEDIATORS.items() if cls.confidential] == ["confidential"]


def test_a_party_that_declines_leaves_the_mediator_blind() -> None:
    scenario = load("nash-1950")
    settings = settings_for(
        scenario, "single-text", "confidential", negotiator_params={"confide": False}
    )
    session = run(scenario, settings, seed=0)
    declines = [msg for msg in session.transcript if msg.kind == Kind.DECLINE]
    assert len(declines) == len(scenario.principals)
    assert not session.view(settings.mediator or "").confided
    assert session.ended is not None
    check_agreement(scenario, session)


def test_one_refusal_to_confide_is_enough_for_blind_mediation() -> None:
    scenario = load("job-offer")
    settings = settings_for(scenario, "shuttle", "confidential")
    first = scenario.principals[0].name
    strategies = dict(settings.strategies)
    strategies[first] = StrategySpec("boulware", {"confide": False})
    session = run(scenario, replace(settings, strategies=strategies), seed=0)
    confided = session.view(settings.mediator or "").confided
    assert set(confided) == {p.name for p in scenario.principals} - {first}
    assert not any(
        msg.sender == settings.mediator and msg.kind == Kind.DRAFT for msg in session.transcript
    )  # relays only


def test_confide_must_be_true_or_false() -> None:
    with pytest.raises(StrategyError, match="confide"):
        build(
            StrategySpec("boulware", {"confide": "yes"}),
            "principal",
            "shuttle",
            np.random.default_rng(0),
        )


# -- the blind mediators ----------------------------------------------------------------------


@pytest.mark.parametrize("mediator", ["annealing", "feedback"])
def test_blind_mediators_mostly_agree_on_nash_1950(mediator: str) -> None:
    scenario = load("nash-1950")
    settings = settings_for(scenario, "single-text", mediator, rounds=100)
    agreed = 0
    for seed in range(20):
        session = run(scenario, settings, seed)
        result = session.result()
        assert result.rounds <= 100
        check_agreement(scenario, session)
        agreed += result.ended == "agreement"
    assert agreed >= 14


@pytest.mark.parametrize("mediator", ["annealing", "feedback"])
@pytest.mark.parametrize("seed", range(12))
def test_blind_mediators_respect_red_lines_and_reservations(mediator: str, seed: int) -> None:
    scenario = random_scenario(seed)
    negotiator = ("boulware", "conceder", "random", "tit-for-tat")[seed % 4]
    settings = settings_for(scenario, "single-text", mediator, rounds=30, negotiator=negotiator)
    session = run(scenario, settings, seed)
    assert session.ended is not None
    check_agreement(scenario, session)


def test_blind_mediators_name_the_base_they_compare_with() -> None:
    scenario = load("nash-1950")
    session = run(scenario, settings_for(scenario, "single-text", "annealing", rounds=10), 0)
    drafts = [msg for msg in session.transcript if msg.kind == Kind.DRAFT]
    seqs = {msg.seq for msg in drafts}
    assert "against" not in drafts[0].data
    assert all(msg.data["against"] in seqs for msg in drafts[1:])


def test_annealing_walks_away_from_its_anchor_only_when_warm() -> None:
    """Frozen, every draft is one change from the anchor; warm, the walk strays further."""
    scenario = load("nash-1950")

    def farthest(temperature: float) -> int:
        settings = settings_for(
            scenario,
            "single-text",
            "annealing",
            rounds=60,
            negotiator="hardliner",
            mediator_params={"temperature": temperature},
        )
        session = run(scenario, settings, 1)
        drafts = {msg.seq: msg for msg in session.transcript if msg.kind == Kind.DRAFT}
        distances = []
        for msg in drafts.values():
            against = msg.data.get("against")
            if isinstance(against, int):
                anchor = drafts[against].outcome
                assert anchor is not None
                assert msg.outcome is not None
                distances.append(sum(a != b for a, b in zip(msg.outcome, anchor, strict=True)))
        return max(distances)

    assert farthest(0.0) == 1
    assert farthest(50.0) == 2


# -- strategic feedback -----------------------------------------------------------------------


def test_strategic_feedback_changes_what_is_reported() -> None:
    scenario = load("nash-1950")
    session = Session(scenario, settings_for(scenario, "single-text", "hill-climb"), 0)
    party = scenario.principals[0].name
    view = session.view(party)
    prefs = scenario.principals[0].preferences
    assert prefs is not None
    rows = scenario.space.all_rows()
    utilities = prefs.utilities(rows)
    low, high = (tuple(int(v) for v in rows[i]) for i in (utilities.argmin(), utilities.argmax()))
    reported = {}
    for mode in ("truthful", "exaggerate", "never-better"):
        negotiator = build(
            StrategySpec("boulware", {"feedback": mode}),
            "principal",
            "single-text",
            np.random.default_rng(0),
        )
        assert hasattr(negotiator, "rate")
        reported[mode] = tuple(
            negotiator.rate(view, offer, previous)  # type: ignore[attr-defined]
            for offer, previous in [(high, low), (low, low), (low, high)]
        )
    assert reported["truthful"] == ("better", "same", "worse")
    assert reported["exaggerate"] == ("better", "worse", "worse")
    assert reported["never-better"] == ("same", "same", "worse")
    with pytest.raises(StrategyError, match="feedback"):
        build(
            StrategySpec("boulware", {"feedback": "lie"}),
            "principal",
            "single-text",
            np.random.default_rng(0),
        )


def test_strategic_feedback_reaches_the_transcript() -> None:
    scenario = load("nash-1950")
    answers = {}
    for mode in ("truthful", "never-better"):
        settings = settings_for(
            scenario, "single-text", "feedback", rounds=20, negotiator_params={"feedback": mode}
        )
        session = Session(scenario, settings, 0)
        seats = seat_strategies(session)
        while session.pending is not None:
            ask = session.pending
            session.submit(ask.party, seats[ask.party].act(session.view(ask.party), ask))
        answers[mode] = [
            msg.data.get("feedback")
            for msg in session.transcript
            if msg.kind in {Kind.REJECT, Kind.ACCEPT}
        ]
    assert "better" in answers["truthful"]
    assert "better" not in answers["never-better"]
