"""``parley.forecast``: known answers, draws inside their ranges, a decisive input ranked first,
the same result for any number of workers, and a what-if that replays the same runs."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.forecast import forecast, play_one, wilson
from parley.forecast.draws import draw, draw_run, run_generators, variants
from parley.preferences import LinearAdditive
from parley.scenario import load
from parley.scenario.schema import DistributionDoc
from tests.forecast_cases import scenario, serial, strike

RUNS = 2000
TOLERANCE = 4 * math.sqrt(0.25 / RUNS)  # four standard errors of a proportion, at worst


@pytest.mark.parametrize("p", [0.1, 0.6])
def test_a_per_session_strike_at_round_one_leaves_one_minus_p(p: float) -> None:
    case = scenario({"events": [strike("session", p, round=1)]})
    result = forecast(case, RUNS, seed=11, runner=serial)
    assert abs(result.summary.probability - (1 - p)) < TOLERANCE
    assert set(result.summary.causes) == {"agreement", "cancelled: Strike"}
    assert result.what_if is not None  # the strike ends talks, so it is the default what-if
    assert result.what_if.summary.probability == 1.0
    assert result.what_if.rescued == result.what_if.ended_by_off == RUNS - result.summary.agreements


@pytest.mark.parametrize("q", [0.3])
def test_a_per_round_strike_fires_before_the_first_offer_with_probability_q(q: float) -> None:
    case = scenario({"events": [strike("round", q)]})
    result = forecast(case, RUNS, seed=5, runner=serial)
    assert abs(result.summary.probability - (1 - q)) < TOLERANCE
    low, high = result.summary.interval
    assert low < result.summary.probability < high


def test_an_uncertain_timeline_probability_is_drawn_per_run() -> None:
    timeline = [{"kind": "cancel", "title": "Strike", "party": "S", "probability": 0.5}]
    dist = {"kind": "choice", "values": [0.0, 1.0], "probabilities": [0.75, 0.25]}
    case = scenario({"events": [{"timeline": "Strike", "probability": dist}]}, timeline=timeline)
    result = forecast(case, RUNS, seed=2, runner=serial)
    # the strike certainly fires in a quarter of the runs and never in the rest
    assert abs(result.summary.probability - 0.75) < TOLERANCE
    drawn = np.array([r.inputs[0] for r in result.records])
    assert np.array_equal(drawn == 0.0, [r.agreed for r in result.records])


def test_sensitivity_ranks_the_decisive_input_first() -> None:
    # A agrees to x1 (worth 0.5 to it) exactly when its reservation is at most 0.5; B's value of
    # x2 and a harmless note's probability change nothing.
    uncertainty = {
        "reservations": [{"party": "A", "distribution": {"kind": "uniform", "low": 0.0,
                                                          "high": 1.0}}],
        "values": [{"party": "B", "issue": "x", "option": "x2",
                    "distribution": {"kind": "uniform", "low": 0.0, "high": 0.3}}],
        "events": [{"per": "round", "probability": {"kind": "uniform", "low": 0.0, "high": 1.0},
                    "event": {"kind": "note", "title": "Rumour"}}],
    }
    case = scenario(uncertainty, a={"x1": 0.5, "x2": 0.0})
    result = forecast(case, 600, seed=3, runner=serial)
    first, *rest = result.effects
    assert first.input.name == "A: reservation"
    assert first.agreement[0] > 0.8
    assert first.agreement[1] < -0.8  # a higher reservation makes agreement less likely
    assert all(e.agreement[0] < 0.05 for e in rest)
    agreed = np.array([r.agreed for r in result.records])
    k = [i.name for i in case.inputs].index("A: reservation")
    reservation = np.array([r.inputs[k] for r in result.records])
    assert np.array_equal(agreed, reservation <= 0.5)  # the oracle, run by run


def test_one_and_two_workers_give_the_same_forecast() -> None:
    uncertainty = {
        "reservations": [{"party": "A", "distribution": {"kind": "normal", "mean": 0.4,
                                                          "sd": 0.2, "low": 0.0, "high": 1.0}}],
        "events": [strike("session", 0.3)],
    }
    case = scenario(uncertainty, a={"x1": 0.6, "x2": 0.2})
    one = forecast(case, 70, seed=9, workers=1)
    two = forecast(case, 70, seed=9, workers=2)
    here = forecast(case, 70, seed=9, runner=serial)
    assert one.records == two.records == here.records
    assert one.to_json() == two.to_json() == here.to_json()
    assert [r.run for r in one.records] == list(range(70))


def test_what_if_changes_only_the_runs_the_event_ended() -> None:
    timeline = [{"kind": "shift-reservation", "title": "Pressure", "party": "A", "delta": 0.1,
                 "probability": 0.3}]
    uncertainty = {
        "reservations": [{"party": "A", "distribution": {"kind": "uniform", "low": 0.3,
                                                          "high": 0.7}}],
        "events": [strike("round", 0.15)],
    }
    case = scenario(uncertainty, a={"x1": 0.6, "x2": 0.4}, b={"x1": 0.3, "x2": 1.0},
                    timeline=timeline)
    result = forecast(case, 300, seed=4, runner=serial)
    assert result.what_if is not None
    pairs = [play_one(case, 4, k, ["Strike"]) for k in range(300)]
    for pair in pairs:
        assert pair.what_if is not None
        if pair.base.cause != "cancelled: Strike":
            assert pair.what_if == pair.base  # same draws, same seed, same events: same talks
        else:
            assert pair.what_if.cause != "cancelled: Strike"
    assert result.what_if.ended_by_off == sum(p.base.cause == "cancelled: Strike" for p in pairs)
    assert result.what_if.ended_by_off > 0


def test_a_run_plays_the_drawn_preferences() -> None:
    muscat = load("muscat-2026")
    rng, _ = run_generators(0, 17)
    values, rounds = draw_run(muscat, rng)
    drawn, _ = variants(muscat, values, rounds)
    declared = {i.name: v for i, v in zip(muscat.inputs, values, strict=True)}
    iran = drawn.preferences_of("Iran")
    us = drawn.preferences_of("United States")
    assert isinstance(iran, LinearAdditive)
    assert isinstance(us, LinearAdditive)
    assert iran.reservation == declared["Iran: reservation"]
    a4 = muscat.space.issues[0].index_of("A4")
    assert us.values[0][a4] == declared["United States: value of A=A4"]
    # drawn weights are rescaled together so each profile keeps its declared sum (1)
    assert math.isclose(sum(iran.weights), 1.0)
    assert math.isclose(sum(us.weights), 1.0)
    holds = declared["Iran: red line 'Zero enrichment' holds"]
    assert len(iran.red_lines) == (2 if holds else 1)
    assert drawn.preferences_of("Iran") is not muscat.preferences_of("Iran")


def test_muscat_declares_its_uncertainty_as_assumptions_with_sources() -> None:
    muscat = load("muscat-2026")
    assert len(muscat.inputs) >= 10
    targets = {i.target for i in muscat.inputs}
    assert {"weight", "value", "reservation", "red-line", "event-probability", "event"} <= targets
    for item in muscat.inputs:
        assert item.basis == "ASSUMPTION", item.name
        assert item.rationale.startswith("ASSUMPTION"), item.name
    assert all(i.source for i in muscat.inputs if i.target != "weight")
    both = {i.party for i in muscat.inputs if i.target in {"reservation", "red-line"}}
    assert both == {"Iran", "United States"}  # neither side alone gets softened


def test_wilson_interval_contains_the_estimate_and_narrows() -> None:
    for n in (10, 100, 1000):
        for k in (0, n // 3, n):
            low, high = wilson(k, n)
            assert 0.0 <= low <= k / n <= high <= 1.0
    assert wilson(300, 1000)[1] - wilson(300, 1000)[0] < wilson(30, 100)[1] - wilson(30, 100)[0]


# -- draws stay inside their declared ranges -----------------------------------------------------

BOUND = st.floats(-10, 10, allow_nan=False)


@st.composite
def distributions(draw_: st.DrawFn) -> DistributionDoc:
    kind = draw_(st.sampled_from(["uniform", "normal", "triangular", "choice"]))
    if kind == "choice":
        values = draw_(st.lists(BOUND, min_size=1, max_size=5))
        weights = draw_(st.lists(st.floats(0.0, 1.0), min_size=len(values),
                                 max_size=len(values)).filter(lambda w: sum(w) > 0))
        total = sum(weights)
        probabilities = [w / total for w in weights]
        probabilities[-1] = max(0.0, 1.0 - sum(probabilities[:-1]))
        return DistributionDoc(kind=kind, values=tuple(values), probabilities=tuple(probabilities))
    low, high = sorted((draw_(BOUND), draw_(BOUND)))
    if kind == "uniform":
        return DistributionDoc(kind=kind, low=low, high=high)
    if kind == "triangular":
        mode = draw_(st.floats(low, high))
        return DistributionDoc(kind=kind, low=low, mode=mode, high=high)
    return DistributionDoc(kind=kind, low=low, high=high, mean=draw_(st.floats(-20, 20)),
                           sd=draw_(st.floats(0, 10)))


@settings(max_examples=200, deadline=None)
@given(distributions(), st.integers(0, 2**32 - 1))
def test_draws_stay_inside_the_declared_range(dist: DistributionDoc, seed: int) -> None:
    rng = np.random.default_rng(seed)
    low, high = dist.support()
    for _ in range(50):
        x = draw(dist, rng)
        assert low <= x <= high
        if dist.values is not None:
            assert x in dist.values
            k = dist.values.index(x)
            assert dist.probabilities is not None
            assert any(p > 0 for v, p in zip(dist.values, dist.probabilities, strict=True)
                       if v == dist.values[k])  # a zero-probability value is never drawn


def test_choice_frequencies_follow_the_probabilities() -> None:
    dist = DistributionDoc(kind="choice", values=(1.0, 2.0, 3.0), probabilities=(0.2, 0.5, 0.3))
    rng = np.random.default_rng(1)
    drawn = np.array([draw(dist, rng) for _ in range(20_000)])
    for value, p in zip(dist.values or (), dist.probabilities or (), strict=True):
        assert abs(np.mean(drawn == value) - p) < 0.015


def test_a_mean_below_the_files_reservation_is_explained() -> None:
    """The report says why utility given agreement can sit below the file's reservation (runs
    draw it afresh, events move it) instead of showing the number without a word."""
    case = scenario({"events": [strike("session", 0.2, round=1)]})
    result = forecast(case, 40, seed=11, runner=serial)
    given = result.summary.given_agreement
    assert given is not None
    files = result.reservations
    assert len(files) == len(result.principals)
    high = dataclasses.replace(result, reservations=tuple(u + 0.1 for u in given))
    low = dataclasses.replace(result, reservations=tuple(u - 0.1 for u in given))
    notes = high.below_reservation()
    assert [note.split("'s ")[0] for note in notes] == list(result.principals)
    assert all("reservation value in the file" in note for note in notes)
    assert low.below_reservation() == []
    assert high.to_json()["notes"] == notes
