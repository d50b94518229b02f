"""Random but valid scenarios for property tests of the engine."""

from __future__ import annotations

from typing import Any

import numpy as np

from parley.scenario import Scenario, from_data

EVENT_KINDS = ("shift-reservation", "table-draft", "move-deadline", "cancel", "note", "phase")


def random_scenario(
    seed: int,
    *,
    principals: int | None = None,
    events: bool = True,
    outsiders: bool = False,
    constraints: bool = False,
) -> Scenario:
    """A small scenario: 1-4 discrete issues, 2-3 principals, a mediator, red lines, events.

    With ``outsiders`` the spoiler, a third party and an adviser of the first principal have
    private preferences of their own and hold seats (framework, watchful and counsel). With
    ``constraints``, one to three combinations no package may take (drawn last, from a stream
    of their own: the rest of the scenario is the same as without; drafts that break one are
    left out of the timeline)."""
    rng = np.random.default_rng(seed)
    n_principals = principals or int(rng.integers(2, 4))
    issues = []
    for j in range(int(rng.integers(1, 5))):
        size = int(rng.integers(2, 6))
        options = [{"id": f"i{j}o{k}", "label": f"option {k}"} for k in range(size)]
        issues.append({"id": f"i{j}", "name": f"issue {j}", "options": options})
    parties = [_principal(rng, f"P{i}", issues) for i in range(n_principals)]
    parties.append({"name": "M", "role": "mediator"})
    parties.append({"name": "S", "role": "spoiler"})
    seated: dict[str, str] = {}
    if outsiders:
        parties[-1] = {**_principal(rng, "S", issues), "role": "spoiler"}
        parties.append({**_principal(rng, "T", issues), "role": "third-party"})
        parties.append({**_principal(rng, "V", issues), "role": "adviser", "advises": "P0"})
        seated = {"S": "watchful", "T": "framework", "V": "counsel"}
    doc = {
        "name": f"random-{seed}",
        "title": f"Random scenario {seed}",
        "issues": issues,
        "parties": parties,
        "protocol": {
            "kind": "direct",
            "rounds": int(rng.integers(2, 12)),
            "mediator": "M",
            "strategies": seated,
        },
        "timeline": _events(rng, issues, n_principals) if events else [],
    }
    if constraints:
        doc["constraints"] = _constraints(np.random.default_rng([seed, 1]), issues)
        doc["timeline"] = [e for e in doc["timeline"] if not _breaks(e, doc["constraints"])]
    return from_data(doc, f"random-{seed}")


def _constraints(
    rng: np.random.Generator, issues: list[dict[str, object]]
) -> list[dict[str, object]]:
    """One to three combinations of one or two issues, one or two options on each, that leave
    some package (each issue keeps an option no constraint names)."""
    found = []
    for k in range(int(rng.integers(1, 4))):
        count = min(len(issues), int(rng.integers(1, 3)))
        when = {}
        for j in sorted(int(c) for c in rng.choice(len(issues), size=count, replace=False)):
            options = issues[j]["options"]
            assert isinstance(options, list)
            size = min(len(options) - 1, int(rng.integers(1, 3)))
            named = sorted(int(o) for o in rng.choice(len(options) - 1, size=size, replace=False))
            when[str(issues[j]["id"])] = [options[1 + o]["id"] for o in named]
        found.append({"description": f"constraint {k}", "when": when, "basis": "ASSUMPTION"})
    return found


def _breaks(event: dict[str, object], constraints: list[dict[str, object]]) -> bool:
    draft = event.get("draft")
    if not isinstance(draft, dict):
        return False
    return any(
        all(draft[i] in options for i, options in c["when"].items())  # type: ignore[union-attr]
        for c in constraints
    )


def _principal(
    rng: np.random.Generator, name: str, issues: list[dict[str, object]]
) -> dict[str, object]:
    weights = rng.dirichlet(np.ones(len(issues)))
    prefs: dict[str, object] = {"issues": {}, "reservation": float(rng.uniform(0.0, 0.5))}
    for issue, weight in zip(issues, weights, strict=True):
        options = issue["options"]
        assert isinstance(options, list)
        values = rng.uniform(0, 1, len(options))
        values[int(rng.integers(len(options)))] = 1.0
        prefs["issues"][issue["id"]] = {  # type: ignore[index]
            "weight": float(weight),
            "values": {o["id"]: float(v) for o, v in zip(options, values, strict=True)},
        }
    if rng.random() < 0.6:
        issue = issues[int(rng.integers(len(issues)))]
        options = issue["options"]
        assert isinstance(options, list)
        banned = options[int(rng.integers(len(options)))]["id"]
        prefs["red_lines"] = [{"description": f"never {banned}", "when": {issue["id"]: [banned]}}]
    return {"name": name, "role": "principal", "preferences": prefs}


def _events(
    rng: np.random.Generator, issues: list[dict[str, object]], n: int
) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for k in range(int(rng.integers(0, 4))):
        kind = EVENT_KINDS[int(rng.integers(len(EVENT_KINDS)))]
        event: dict[str, object] = {"kind": kind, "title": f"event {k}"}
        if rng.random() < 0.5:
            event["round"] = int(rng.integers(1, 8))
        else:
            event["probability"] = float(rng.uniform(0, 0.2))
        if kind == "shift-reservation":
            event.update(party=f"P{int(rng.integers(n))}", delta=float(rng.uniform(-0.2, 0.2)))
        elif kind == "table-draft":
            draft = {}
            for issue in issues:
                options = issue["options"]
                assert isinstance(options, list)
                draft[issue["id"]] = options[int(rng.integers(len(options)))]["id"]
            event.update(party="S", draft=draft)
        elif kind == "move-deadline":
            event["rounds"] = int(rng.integers(-2, 4))
        elif kind == "cancel":
            event["party"] = "S"
        events.append(event)
    return events


def xy_prefs(x: list[float], y: list[float], reservation: float) -> dict[str, Any]:
    """A profile on the two-issue agendas X and Y the engine tests use, half weight each."""
    return {
        "reservation": reservation,
        "issues": {
            "X": {"weight": 0.5, "values": {f"X{k}": v for k, v in enumerate(x)}},
            "Y": {"weight": 0.5, "values": {f"Y{k}": v for k, v in enumerate(y)}},
        },
    }
