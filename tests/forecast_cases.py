"""Small scenarios with a known forecast, and a serial stand-in for ``parley.parallel``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from parley.parallel import Done
from parley.scenario import Scenario, from_data


def serial(
    fn: Callable[[Any, Any], Any], jobs: Sequence[Any], context: Any, **_: object
) -> Iterator[Done[Any]]:
    """``run_jobs`` in this process, one job after another (for tests about anything else)."""
    for index, job in enumerate(jobs):
        yield Done(index, fn(context, job), None, 1, 0.0)


def _principal(name: str, values: dict[str, float], reservation: float) -> dict[str, Any]:
    return {
        "name": name,
        "role": "principal",
        "preferences": {
            "reservation": reservation,
            "issues": {"x": {"weight": 1.0, "values": values}},
        },
    }


def scenario(
    uncertainty: dict[str, Any],
    *,
    a: dict[str, float] | None = None,
    b: dict[str, float] | None = None,
    timeline: list[dict[str, Any]] | None = None,
) -> Scenario:
    """Two principals, one issue (x1 or x2), direct talks. By default both rank x1 first, so
    without outside events they agree on x1 in round 1."""
    data = {
        "name": "forecast-case",
        "title": "A forecast with a known answer",
        "issues": [{"id": "x", "name": "X", "options": [
            {"id": "x1", "label": "one"}, {"id": "x2", "label": "two"}]}],
        "parties": [
            _principal("A", a or {"x1": 1.0, "x2": 0.0}, 0.0),
            _principal("B", b or {"x1": 1.0, "x2": 0.0}, 0.0),
            {"name": "S", "role": "spoiler"},
        ],
        "protocol": {"kind": "direct", "rounds": 5},
        "timeline": timeline or [],
        "uncertainty": uncertainty,
    }
    return from_data(data, "forecast-case")


def strike(per: str, p: float, **event: Any) -> dict[str, Any]:
    """A spoiler's strike that ends the talks, ``per`` round or session, with probability p."""
    return {"per": per, "probability": p,
            "event": {"kind": "cancel", "title": "Strike", "party": "S", **event}}
