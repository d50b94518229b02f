"""Tracks: a series of sessions, each starting where the last ended (``parley track``).

The scenario is built here: two principals, three issues of three options. Both prefer x0 on
issue x; on y and z they pull apart. With reservations of 0.9 no package is good enough for
both, so every session adjourns (both stood by x0: x is agreed, y and z stay open); lowering
the reservations between sessions makes a deal possible.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from parley.errors import ScenarioError
from parley.scenario import Scenario, from_data
from parley.track import Carried, play_track, track_json
from parley.track.derive import next_scenario
from parley.track.play import session_seed, slot_of
from parley.track.record import Slot
from tests.cli_helpers import parley

HIGH = 0.9
"""A reservation no package reaches for both: the sessions adjourn."""


def _principal(
    name: str,
    y: tuple[float, ...],
    z: tuple[float, ...],
    weights: tuple[float, ...],
    reservation: float,
) -> dict[str, Any]:
    return {
        "name": name,
        "role": "principal",
        "preferences": {
            "reservation": reservation,
            "issues": {
                "x": {"weight": weights[0], "values": {"x0": 1.0, "x1": 0.2, "x2": 0.0}},
                "y": {
                    "weight": weights[1],
                    "values": dict(zip(("y0", "y1", "y2"), y, strict=True)),
                },
                "z": {
                    "weight": weights[2],
                    "values": dict(zip(("z0", "z1", "z2"), z, strict=True)),
                },
            },
        },
    }


def _doc(
    *,
    reservation: float = HIGH,
    between: tuple[dict[str, Any], ...] = (),
    timeline: tuple[dict[str, Any], ...] = (),
    track: dict[str, Any] | None = None,
    kind: str = "direct",
) -> dict[str, Any]:
    issues = [
        {
            "id": i,
            "name": f"issue {i}",
            "options": [{"id": f"{i}{k}", "label": f"{i}{k}"} for k in range(3)],
        }
        for i in "xyz"
    ]
    doc: dict[str, Any] = {
        "name": "duo",
        "title": "Two parties, three issues",
        "date": "2026-01-05",
        "issues": issues,
        "parties": [
            _principal("A", (1.0, 0.5, 0.0), (1.0, 0.5, 0.0), (0.2, 0.5, 0.3), reservation),
            _principal("B", (0.0, 0.5, 1.0), (0.0, 0.5, 1.0), (0.2, 0.3, 0.5), reservation),
            {"name": "M", "role": "mediator"},
            {"name": "S", "role": "spoiler"},
        ],
        "protocol": {"kind": kind, "rounds": 3, "at_deadline": "adjourn"},
        "timeline": list(timeline),
    }
    if track is not None or between:
        doc["track"] = {"horizon": 3, **(track or {}), "between": list(between)}
    return doc


def _scenario(**kwargs: Any) -> Scenario:
    return from_data(_doc(**kwargs), "duo.toml")


def _write(tmp_path: Path, doc: dict[str, Any], name: str = "duo.toml") -> Path:
    path = tmp_path / name
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def _shift(party: str, delta: float, probability: float = 1.0) -> dict[str, Any]:
    return {
        "kind": "shift-reservation",
        "title": f"{party} softens",
        "party": party,
        "delta": delta,
        "probability": probability,
    }


# -- replay --------------------------------------------------------------------------------

RANDOM = {
    "between": (
        {"kind": "cancel", "title": "A storm", "probability": 0.3},
        {"kind": "collapse", "title": "A scandal", "probability": 0.15},
        _shift("A", -0.3, 0.5),
        _shift("B", -0.3, 0.5),
    ),
    "timeline": (
        {
            "kind": "shift-reservation",
            "title": "Jitters",
            "party": "A",
            "delta": -0.1,
            "probability": 0.3,
        },
        {"kind": "cancel", "title": "Walk-out", "party": "S", "probability": 0.02},
    ),
    "track": {"horizon": 5},
}


def _long_track_seed() -> int:
    """A seed whose track holds three sessions or more, with events between them (so that a
    replay has something to get wrong)."""
    scenario = _scenario(**RANDOM)
    for seed in range(100):
        track = play_track(scenario, seed)
        held = sum(s.held for s in track.sessions)
        if held >= 3 and any(s.before for s in track.sessions):
            return seed
    raise AssertionError("no seed below 100 gives a track of three sessions")


def _track_cli(capsys: pytest.CaptureFixture[str], path: Path, seed: int, transcripts: Path) -> str:
    code, out, err = parley(
        capsys, "track", str(path), "--seed", str(seed), "--json", "--transcript", str(transcripts)
    )
    assert code == 0, err
    return out


def test_a_track_replays_byte_for_byte_from_its_seed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(tmp_path, _doc(**RANDOM))
    seed = _long_track_seed()
    first = _track_cli(capsys, path, seed, tmp_path / "one")
    second = _track_cli(capsys, path, seed, tmp_path / "two")
    assert first == second
    sessions = json.loads(first)["sessions"]
    held = [s for s in sessions if s["held"]]
    assert len(held) >= 3
    files = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "two").iterdir())
    assert files == sorted(f"session-{s['session']}.jsonl" for s in held)
    for name in files:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    other = _track_cli(capsys, path, seed + 1, tmp_path / "three")
    assert other != first
    for name in files:
        three = tmp_path / "three" / name
        assert not three.exists() or three.read_bytes() != (tmp_path / "one" / name).read_bytes()


def test_different_seeds_give_different_tracks() -> None:
    scenario = _scenario(**RANDOM)

    def course(seed: int) -> tuple[object, ...]:
        track = track_json(play_track(scenario, seed))
        return tuple(
            (s["ended"], tuple(h["title"] for h in s["before"]), tuple(s["reservations"].items()))
            for s in track["sessions"]
        )

    assert len({course(seed) for seed in range(8)}) > 1
    assert session_seed(7, 1) == 7  # session 1 is what `parley run --seed 7` plays
    assert len({session_seed(7, k) for k in range(1, 6)}) == 5


def test_each_session_transcript_replays_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(tmp_path, _doc(between=(_shift("A", -0.5), _shift("B", -0.5))))
    code, out, err = parley(
        capsys, "track", str(path), "--json", "--transcript", str(tmp_path / "talks.jsonl")
    )
    assert code == 0, err
    sessions = json.loads(out)["sessions"]
    assert len(sessions) >= 2  # adjourned, then a session of its own
    for session in sessions:
        transcript = tmp_path / f"talks-{session['session']}.jsonl"
        code, replayed, err = parley(capsys, "replay", str(transcript), "--json", "--no-compare")
        assert code == 0, err
        result = json.loads(replayed)
        assert (result["ended"], result["rounds"], result["seed"]) == (
            session["ended"],
            session["rounds"],
            session["seed"],
        )


# -- what one session hands the next -------------------------------------------------------


def test_an_adjourned_sessions_settled_issues_bind_the_next() -> None:
    track = play_track(_scenario(between=(_shift("A", -0.5), _shift("B", -0.5))), 0)
    first, second = track.sessions[0], track.sessions[1]
    assert first.ended == "adjourned"
    assert first.run is not None
    assert second.run is not None
    settled = first.run.result.settled
    agreed = [c for c, option in enumerate(settled) if option is not None]
    assert agreed, "the scenario is built so that both stand by x0"
    assert second.run.settings.opening == first.run.standing  # the standing positions carry
    space = second.run.scenario.space
    for principal in second.run.scenario.principals:
        assert principal.preferences is not None
        for column in agreed:
            for option in range(space.sizes[column]):
                package = tuple(settled[c] or 0 for c in range(len(space.sizes)))
                package = (*package[:column], option, *package[column + 1 :])
                crossed = principal.preferences.crossed(package)
                assert bool(crossed) == (option != settled[column])
    for column in agreed:
        assert second.agreed[column] == settled[column]
    if second.run.result.agreement is not None:
        for column in agreed:
            assert second.run.result.agreement[column] == settled[column]


def test_the_next_sessions_deal_keeps_an_agreed_option_it_would_not_choose() -> None:
    scenario = _scenario(reservation=0.3)
    free = play_track(scenario, 0, horizon=1).last.run
    assert free is not None
    assert free.result.agreement is not None
    assert free.result.agreement[0] == 0  # left alone, both take x0
    carried = Carried(
        agreed={0: 2}, agreed_in={0: 1}, reservations={"A": 0.3, "B": 0.3}, why={"A": "", "B": ""}
    )
    day_one = Slot(1, "Day one", "2026-01-05")
    bound = next_scenario(scenario, slot_of(scenario, 2), carried, {1: day_one})
    track = play_track(bound, 0, horizon=1)
    run = track.last.run
    assert run is not None
    assert run.result.agreement is not None
    assert run.result.agreement[0] == 2
    lines = bound.doc.parties[0].preferences.red_lines  # type: ignore[union-attr]
    assert "x = x2 was agreed in session 1 (Day one, 2026-01-05)" in lines[-1].description


def test_reservations_carry_over_with_the_shifts_between_sessions() -> None:
    jitters = {
        "kind": "shift-reservation",
        "title": "Jitters",
        "party": "A",
        "delta": -0.05,
        "probability": 0.5,
    }
    track = play_track(_scenario(timeline=(jitters,), between=(_shift("B", -0.02),)), 3)
    held = [s for s in track.sessions if s.run is not None]
    assert len(held) == 3
    moved = False
    for before, after in itertools.pairwise(held):
        assert before.run is not None
        assert after.run is not None
        for name in ("A", "B"):
            start = after.run.scenario.preferences_of(name).reservation
            shift = -0.02 if name == "B" else 0.0
            assert start == pytest.approx(before.reservations[name] + shift)
            rationale = next(
                p.preferences.reservation_rationale  # type: ignore[union-attr]
                for p in after.run.scenario.doc.parties
                if p.name == name
            )
            assert f"ended session {before.slot.number}" in rationale
        moved |= before.reservations["A"] != HIGH
    assert moved, "the jitters should have fired at least once in three sessions"


def test_later_sessions_keep_random_events_and_drop_the_days_schedule() -> None:
    timeline = (
        {"kind": "note", "title": "Scheduled", "round": 2},
        {
            "kind": "shift-reservation",
            "title": "Standing shift",
            "party": "A",
            "delta": -0.1,
            "round": 0,
        },
        {"kind": "note", "title": "Standing note", "round": 0},
        {"kind": "note", "title": "Random", "probability": 0.1},
        {"kind": "note", "title": "Context", "date": "2025-01-01"},
    )
    track = play_track(_scenario(timeline=timeline), 0, horizon=2)
    second = track.sessions[1].run
    assert second is not None
    titles = [e.title for e in second.scenario.doc.timeline]
    assert titles == ["Standing note", "Random", "Context"]
    assert second.scenario.doc.protocol.at_deadline == "adjourn"
    assert second.scenario.doc.track is None
    # the standing shift moved A once, in session 1; the carried value holds it
    assert second.scenario.preferences_of("A").reservation == pytest.approx(HIGH - 0.1)


# -- events between sessions ---------------------------------------------------------------


def test_a_cancel_with_probability_one_cancels_every_later_session() -> None:
    cancel = {"kind": "cancel", "title": "A storm", "probability": 1.0}
    track = play_track(_scenario(between=(cancel,)), 0, horizon=3)
    assert [s.ended for s in track.sessions] == ["adjourned", "not held", "not held"]
    assert [s.held for s in track.sessions] == [True, False, False]
    assert track.end == "horizon"
    assert all(s.before[0].title == "A storm" for s in track.sessions[1:])
    assert track.sessions[2].agreed == track.sessions[0].agreed  # nothing lost, nothing new


def test_a_collapse_with_probability_one_ends_the_track() -> None:
    collapse = {"kind": "collapse", "title": "A scandal", "probability": 1.0}
    track = play_track(_scenario(between=(collapse,)), 0, horizon=3)
    assert [s.ended for s in track.sessions] == ["adjourned", "collapse"]
    assert track.end == "collapse"
    assert "A scandal" in track.why
    assert track.utilities is None


def test_a_deal_ends_the_track_with_the_deals_utilities() -> None:
    track = play_track(_scenario(between=(_shift("A", -0.5), _shift("B", -0.5))), 0)
    assert track.end == "deal"
    run = track.last.run
    assert run is not None
    assert track.utilities == run.result.utilities
    earlier = [s.run for s in track.sessions[:-1] if s.run is not None]
    assert earlier
    assert all(r.result.utilities is None for r in earlier)


def test_an_in_session_cancellation_collapses_the_track() -> None:
    strike = {"kind": "cancel", "title": "Walk-out", "party": "S", "round": 2}
    track = play_track(_scenario(timeline=(strike,)), 0)
    assert [s.ended for s in track.sessions] == ["cancelled"]
    assert track.end == "collapse"


# -- the command ---------------------------------------------------------------------------


def test_the_timeline_shows_history_sessions_and_the_end(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    history = [
        {
            "title": "Round zero",
            "date": "2025-12-01",
            "ended": "adjourned",
            "source": "https://example.org",
            "basis": "FACT",
        }
    ]
    track = {
        "history": history,
        "sessions": [{"title": "Second day", "date": "2026-01-06"}],
        "modelled": "First day",
    }
    path = _write(tmp_path, _doc(track=track, between=(_shift("A", -0.5), _shift("B", -0.5))))
    code, out, _ = parley(capsys, "track", str(path))
    assert code == 0
    for text in ("Round zero", "recorded", "First day", "Second day", "simulated", "A softens"):
        assert text in out
    assert out.index("Round zero") < out.index("First day") < out.index("Second day")
    assert "Deal in session 2" in out


def test_session_one_is_what_parley_run_plays(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(tmp_path, _doc(**RANDOM))
    for seed in ("0", "5"):
        code, out, _ = parley(capsys, "track", str(path), "--seed", seed, "--json")
        assert code == 0
        first = json.loads(out)["sessions"][0]
        code, out, _ = parley(
            capsys, "run", str(path), "--seed", seed, "--json", "--no-compare", "--hazards"
        )
        assert code == 0
        alone = json.loads(out)
        assert (first["ended"], first["rounds"], first["seed"]) == (
            alone["ended"],
            alone["rounds"],
            alone["seed"],
        )


def test_a_scenario_without_a_track_section_plays_simulated_sessions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(tmp_path, _doc())
    code, out, _ = parley(capsys, "track", str(path), "--horizon", "2")
    assert code == 0
    assert "no [track] section" in out
    assert "No deal within the horizon of 2 session(s)" in out
    code, out, _ = parley(capsys, "track", str(path), "--horizon", "2", "--json")
    assert json.loads(out)["declared"] is False


# -- errors --------------------------------------------------------------------------------

BAD = [
    (
        "probability above one",
        {"between": [{"kind": "cancel", "title": "t", "probability": 1.5}]},
        "track.between[0].probability",
        "1.5",
    ),
    (
        "unknown party",
        {"between": [{"kind": "cancel", "title": "t", "probability": 0.1, "party": "Z"}]},
        "track.between[0].party",
        "'Z'",
    ),
    (
        "shift without delta",
        {
            "between": [
                {"kind": "shift-reservation", "title": "t", "probability": 0.1, "party": "A"}
            ]
        },
        "track.between[0]",
        "needs party and delta",
    ),
    (
        "shift of a party without preferences",
        {
            "between": [
                {
                    "kind": "shift-reservation",
                    "title": "t",
                    "probability": 0.1,
                    "party": "M",
                    "delta": 0.1,
                }
            ]
        },
        "track.between[0].party",
        "'M'",
    ),
    (
        "unknown kind",
        {"between": [{"kind": "strike", "title": "t", "probability": 0.1}]},
        "track.between[0].kind",
        "'strike'",
    ),
    (
        "unknown ending",
        {"history": [{"title": "r", "ended": "postponed"}]},
        "track.history[0].ended",
        "'postponed'",
    ),
    ("horizon zero", {"horizon": 0}, "track.horizon", "0"),
    ("misspelled key", {"horizn": 3}, "track.horizn", "unknown key"),
    (
        "untitled session",
        {"sessions": [{"date": "2026-01-06"}]},
        "track.sessions[0].title",
        "Field required",
    ),
]


@pytest.mark.parametrize(("case", "track", "field", "said"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_track_section_is_one_line_naming_the_field(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    case: str,
    track: dict[str, Any],
    field: str,
    said: str,
) -> None:
    doc = _doc()
    doc["track"] = track
    path = _write(tmp_path, doc, "bad.toml")
    with pytest.raises(ScenarioError) as caught:
        from_data(doc, str(path))
    assert caught.value.field == field
    code, out, err = parley(capsys, "track", str(path))
    assert code == 2, case
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert f"{path}: {field}: " in lines[0].replace("\n", "")
    assert said in lines[0]


@pytest.mark.parametrize(
    ("args", "said"),
    [(["--horizon", "0"], "--horizon"), (["--seed", "-1"], "--seed")],
)
def test_bad_options_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], said: str
) -> None:
    path = _write(tmp_path, _doc())
    code, out, err = parley(capsys, "track", str(path), *args)
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [err.strip()]
    assert err.startswith(f"parley: error: {said}: ")


def test_an_unwritable_transcript_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(tmp_path, _doc())
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _out, err = parley(
        capsys, "track", str(path), "--horizon", "1", "--transcript", str(blocker / "talks")
    )
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "--transcript" in err
