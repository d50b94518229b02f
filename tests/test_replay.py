"""A session is a function of scenario, settings, seed and answers: replay and resume rebuild it."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from parley.engine import Settings
from parley.engine.session import Session
from parley.engine.transcript import Recording, dumps, read
from parley.errors import EngineError, ScenarioError
from parley.play import play, resume, run, seat_strategies
from parley.scenario import load
from tests.cli_helpers import parley
from tests.scenario_factory import random_scenario


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    code, out, err = parley(capsys, *argv)
    assert code == 0, err
    result: dict[str, object] = json.loads(out)
    return result


def test_same_seed_same_transcript_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    run_json(capsys, "run", "muscat-2026", "--seed", "5", "--json", "--transcript", str(first))
    run_json(capsys, "run", "muscat-2026", "--seed", "5", "--json", "--transcript", str(second))
    assert first.read_bytes() == second.read_bytes()
    third = tmp_path / "c.jsonl"
    run_json(
        capsys,
        "run",
        "muscat-2026",
        "--seed",
        "6",
        "--mediator",
        "bridging",
        "--json",
        "--transcript",
        str(third),
    )
    assert third.read_bytes() != first.read_bytes()


def test_replay_reaches_the_recorded_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.jsonl"
    ran = run_json(capsys, "run", "nash-1950", "--seed", "3", "--json", "--transcript", str(path))
    replayed = run_json(capsys, "replay", str(path), "--json")
    assert replayed == ran


@pytest.mark.parametrize("outsiders", [False, True], ids=["principals", "all-seats"])
@pytest.mark.parametrize("protocol", ["direct", "shuttle", "single-text"])
def test_resume_from_any_cut_equals_the_uninterrupted_run(protocol: str, outsiders: bool) -> None:
    rng = np.random.default_rng(11)
    for seed in range(15):
        scenario = random_scenario(seed, outsiders=outsiders)
        settings = Settings.from_scenario(
            scenario, protocol=protocol, strategies={p.name: "random" for p in scenario.principals}
        )
        whole = run(scenario, settings, seed)
        cut = int(rng.integers(0, len(whole.transcript) + 1))
        session, seats = resume(scenario, whole.settings, seed, whole.transcript[:cut])
        if not session.done:
            play(session, seats)
        assert session.transcript == whole.transcript
        assert session.result() == whole.result()


def test_transcript_file_round_trip() -> None:
    scenario = load("nash-1950")
    settings = Settings.from_scenario(scenario, protocol="shuttle")
    session = run(scenario, settings, 2)
    text = dumps(scenario, settings, 2, session.transcript)
    recording = read_text(text)
    assert recording.messages == tuple(session.transcript)
    assert recording.settings == session.settings
    assert recording.seed == 2


def test_a_tampered_transcript_is_refused(tmp_path: Path) -> None:
    scenario = load("nash-1950")
    settings = Settings.from_scenario(scenario)
    session = run(scenario, settings, 0)
    lines = dumps(scenario, settings, 0, session.transcript).splitlines()
    victim = next(i for i, line in enumerate(lines) if '"kind":"counter"' in line)
    lines[victim] = lines[victim].replace('"kind":"counter"', '"kind":"reject"')
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    recording = read(path)
    with pytest.raises(EngineError, match="turn"):
        resume(recording.scenario, recording.settings, recording.seed, recording.messages)


def test_a_truncated_last_line_is_refused_unless_allowed(tmp_path: Path) -> None:
    scenario = load("nash-1950")
    settings = Settings.from_scenario(scenario)
    session = run(scenario, settings, 0)
    text = dumps(scenario, settings, 0, session.transcript)
    path = tmp_path / "t.jsonl"
    path.write_text(text[: len(text) - 25], encoding="utf-8")  # a crash mid-line
    last = len(text.splitlines())
    with pytest.raises(ScenarioError, match=f"line {last}: cut off mid-line"):
        read(path)
    recording = read(path, allow_truncated=True)
    assert recording.cut == last
    assert len(recording.messages) == len(session.transcript) - 1
    resumed, seats = resume(
        recording.scenario, recording.settings, recording.seed, recording.messages
    )
    play(resumed, seats)
    assert resumed.transcript == session.transcript


def test_replay_of_a_bad_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"format": "something else"}\n', encoding="utf-8")
    code, _, err = parley(capsys, "replay", str(path))
    assert code == 2
    err = err.strip()
    assert len(err.splitlines()) == 1
    assert "bad.jsonl" in err
    assert "not a Parley transcript" in err


def read_text(text: str) -> Recording:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.jsonl"
        path.write_text(text, encoding="utf-8")
        return read(path)


def test_replaying_talks_cut_where_a_person_must_answer_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A room's transcript: Iran was a person; the talks stopped while Iran had to answer.
    scenario = load("nash-1950")
    person = scenario.principals[0].name
    settings = replace(Settings.from_scenario(scenario), people=(person,))
    session = Session(scenario, settings, 4)
    seats = seat_strategies(session)
    while session.pending is not None and session.pending.party != person:
        ask = session.pending
        session.submit(ask.party, seats[ask.party].act(session.view(ask.party), ask))
    assert session.pending is not None
    path = tmp_path / "room.jsonl"
    path.write_text(dumps(scenario, settings, 4, session.transcript), encoding="utf-8")

    code, _, err = parley(capsys, "replay", str(path))

    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert f"turn {session.pending.turn}, where {person} must answer" in err
    assert str(path) in err


TRANSCRIPTS = Path(__file__).parent / "data" / "transcripts"


@pytest.mark.parametrize(
    "path", sorted(TRANSCRIPTS.glob("*__before-reshape.jsonl")), ids=lambda p: p.name
)
def test_transcripts_written_before_the_engine_was_reshaped_replay(path: Path) -> None:
    """Files written by the engine of fe47f5d (string kinds, a direct session still naming the
    mediator's strategy, the confidential mediator's confide invitations) rebuild exactly, with
    the engine's reports of what events did (written since) added."""
    recording = read(path)
    session, _ = resume(
        recording.scenario, recording.settings, recording.seed, recording.messages, go_on=True
    )
    rebuilt = [m for m in session.transcript if "effect" not in m.data]
    assert len(rebuilt) < len(session.transcript) or "job-offer" not in path.name
    assert [m._replace(seq=0) for m in rebuilt] == [
        m._replace(seq=0) for m in recording.messages
    ]
    assert session.done
