"""The default `parley run` tells the 6 February 2026 talks as the report tells them (the story
table in docs/muscat-2026.md, row by row), and reads at 80 and 120 columns."""

from __future__ import annotations

import dataclasses
import re

import pytest

from parley.cli.console import console
from parley.engine import Session, Settings
from parley.engine.messages import CARRYING, Kind, Message
from parley.play import play, start
from parley.scenario import load
from tests.cli_helpers import parley

IRAN, US, OMAN = "Iran", "United States", "Oman"


@pytest.fixture(scope="module")
def day() -> Session:
    """The day as `parley run` plays it: the scenario's settings, seed 0, no random hazards."""
    scenario = load("muscat-2026")
    settings = dataclasses.replace(Settings.from_scenario(scenario), hazards=False)
    session, seats = start(scenario, settings, 0)
    play(session, seats)
    return session


def _first(session: Session, test: object, after: int = -1) -> Message:
    found = next((m for m in session.transcript if m.seq > after and test(m)), None)  # type: ignore[operator]
    assert found is not None
    return found


def test_the_day_runs_step_by_step_as_reported(day: Session) -> None:
    steps = [
        # The US asked Israel to hold off; the carrier group and CENTCOM's commander were there.
        lambda m: m.data.get("event") == "restrain" and m.data.get("party") == "Israel",
        lambda m: m.round == 0 and "carrier" in m.text,
        lambda m: m.round == 0 and "CENTCOM" in m.text,
        # That morning Busaidi met each delegation separately; Iran handed over its proposal.
        lambda m: m.kind == Kind.PHASE and "caucuses" in m.text,
        lambda m: m.phase == f"caucus:{IRAN}" and m.sender == IRAN and m.kind == Kind.PROPOSE,
        lambda m: m.phase == f"caucus:{US}" and m.sender == US and m.to == (OMAN,),
        # Phase 1: Oman carried Iran's proposal to Witkoff, who reviewed it.
        lambda m: m.kind == Kind.PHASE and "Phase 1" in m.text,
        lambda m: m.sender == OMAN and m.to == (US,) and m.kind in CARRYING,
        lambda m: m.sender == US and m.to == (OMAN,) and m.turn is not None,
        # Phase 2: Araghchi met Busaidi to hear the US response.
        lambda m: m.kind == Kind.PHASE and "Phase 2" in m.text,
        lambda m: m.sender == OMAN and m.to == (IRAN,) and m.kind in CARRYING,
        lambda m: m.sender == IRAN and m.to == (OMAN,) and m.turn is not None,
        # After the second phase Witkoff consulted Busaidi again.
        lambda m: m.phase == f"consult:{US}" and m.sender == US,
        # Witkoff and Kushner also met Araghchi directly (Axios).
        lambda m: m.phase == "joint" and m.sender in (IRAN, US) and OMAN in m.to,
        # The day ended with the sides agreeing to keep talking.
        lambda m: m.kind == Kind.ADJOURN and m.sender == IRAN,
        lambda m: m.kind == Kind.ADJOURN and m.sender == US,
        lambda m: m.kind == Kind.END,
    ]
    seq = -1
    for step in steps:
        seq = _first(day, step, seq).seq


def test_the_actors_around_the_table_act(day: Session) -> None:
    # Iran's technical team advised Araghchi; the six states tabled their framework; Israel
    # watched every round and held off.
    advice = [m for m in day.transcript if m.kind == Kind.ADVISE]
    assert advice
    assert {(m.sender, m.to) for m in advice} == {("Iran's technical team", (IRAN,))}
    assert any(m.sender == "Six-state group" and m.kind == Kind.FRAMEWORK for m in day.transcript)
    watched = [m for m in day.transcript if m.sender == "Israel"]
    assert {m.round for m in watched} == set(range(1, day.result().rounds + 1))
    assert all(m.kind == Kind.PASS for m in watched)  # no random strike without --hazards


def test_the_day_ends_as_it_ended_without_a_deal(day: Session) -> None:
    result = day.result()
    assert result.ended == "adjourned"
    assert result.agreement is None
    assert None in result.settled  # the substance stayed open


@pytest.mark.parametrize("width", [80, 120])
def test_the_run_reads_at_80_and_120_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setattr(console, "width", width)
    code, out, _ = parley(capsys, "run", "--seed", "0")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in out, [line for line in lines if "…" in line]  # nothing cut short
    assert re.search(r"Adjourned after \d+ rounds", out)
