"""A played track as one JSON object (what ``parley track --json`` prints)."""

from __future__ import annotations

from typing import Any

from parley.outcomes import OutcomeSpace
from parley.track.record import Happening, Played, Recorded, Track


def track_json(track: Track) -> dict[str, Any]:
    space = track.scenario.space
    return {
        "scenario": track.scenario.name,
        "seed": track.seed,
        "horizon": track.horizon,
        "declared": track.declared,
        "parties": list(track.principals),
        "issues": [issue.id for issue in space.issues],
        "history": [_recorded(r) for r in track.history],
        "sessions": [_played(s, track.principals, space) for s in track.sessions],
        "end": {
            "how": track.end,
            "why": track.why,
            "agreed": _agreed(track.last.agreed, space),
            "open": _open(track.last.agreed, space),
            "utilities": None
            if track.utilities is None
            else _figures(dict(zip(track.principals, track.utilities, strict=True))),
            "reservations": _figures(dict(track.last.reservations)),
        },
    }


def _recorded(r: Recorded) -> dict[str, Any]:
    return {
        "title": r.title,
        "date": r.date,
        "ended": r.ended,
        "description": r.description,
        "source": r.source,
        "basis": r.basis,
    }


def _played(s: Played, principals: tuple[str, ...], space: OutcomeSpace) -> dict[str, Any]:
    run = s.run
    result = None if run is None else run.result
    return {
        "session": s.slot.number,
        "title": s.slot.title,
        "date": s.slot.date,
        "before": [_happening(h) for h in s.before],
        "held": s.held,
        "ended": s.ended,
        "reason": s.reason,
        "seed": None if run is None else run.seed,
        "rounds": 0 if result is None else result.rounds,
        "direct_rounds": 0 if result is None else result.direct_rounds,
        "agreed": _agreed(s.agreed, space),
        "open": _open(s.agreed, space),
        "agreement": None
        if result is None or result.agreement is None
        else space.to_values(result.agreement),
        "utilities": None
        if result is None or result.utilities is None
        else _figures(dict(zip(principals, result.utilities, strict=True))),
        "reservations": _figures(dict(s.reservations)),
    }


def _happening(h: Happening) -> dict[str, Any]:
    return {
        "kind": h.kind,
        "title": h.title,
        "effect": h.effect,
        "party": h.party,
        "delta": h.delta,
    }


def _agreed(agreed: tuple[int | None, ...], space: OutcomeSpace) -> dict[str, Any]:
    return {
        issue.id: issue.value_of(option)
        for issue, option in zip(space.issues, agreed, strict=True)
        if option is not None
    }


def _open(agreed: tuple[int | None, ...], space: OutcomeSpace) -> list[str]:
    return [issue.id for issue, option in zip(space.issues, agreed, strict=True) if option is None]


def _figures(values: dict[str, float]) -> dict[str, float]:
    """Utilities and reservations as JSON gives them to people: six decimals, no float noise."""
    return {name: round(value, 6) for name, value in values.items()}
