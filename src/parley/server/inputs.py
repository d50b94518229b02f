"""Request bodies in the engine's terms: packages as option indices, edited profiles as the
scenario file's preferences table (validated by the scenario format itself afterwards)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parley.engine import Action, Kind
from parley.engine.messages import Outcome
from parley.errors import InvalidError
from parley.outcomes import DiscreteIssue, OutcomeSpace
from parley.scenario import Scenario
from parley.scenario.schema import PreferencesDoc
from parley.server.schemas import ActionIn, ProfileIn


def position(space: OutcomeSpace, issue_id: str) -> int:
    try:
        return int(space.position(issue_id))
    except ValueError:
        known = ", ".join(i.id for i in space.issues)
        raise InvalidError(f"package.{issue_id}: no such issue (issues: {known})") from None


def index(space: OutcomeSpace, issue_id: str, value: Any) -> int:
    issue = space.issues[position(space, issue_id)]
    try:
        return int(issue.index_of(value))
    except (ValueError, TypeError, OverflowError) as exc:
        raise InvalidError(f"package.{issue_id}: {exc}") from None


def whole(space: OutcomeSpace, package: Mapping[str, Any], field: str = "package") -> Outcome:
    """A complete package (an option for every issue) as option indices."""
    for issue_id in package:
        position(space, issue_id)
    missing = [i.id for i in space.issues if i.id not in package]
    if missing:
        raise InvalidError(f"{field}: no option for issue(s) {', '.join(missing)}")
    return tuple(index(space, i.id, package[i.id]) for i in space.issues)


def action(space: OutcomeSpace, body: ActionIn) -> Action:
    """The engine's ``Action`` for an action body (the engine then checks it is allowed)."""
    outcome = None if body.package is None else whole(space, body.package)
    data: dict[str, str | float | int | bool] = {}
    if body.feedback is not None:
        data["feedback"] = body.feedback
    if body.against is not None:
        data["against"] = body.against
    answer = kind(body.kind)
    if body.covers:
        if answer != Kind.FRAMEWORK:
            raise InvalidError(f"covers: only a framework covers issues, not {answer.value!r}")
        data["covers"] = ",".join(body.covers)  # the engine refuses issues not on the agenda
    return Action(answer, outcome, body.text, body.statement, body.public, data)


def kind(text: str) -> Kind:
    try:
        return Kind(text)
    except ValueError:
        known = ", ".join(k.value for k in Kind)
        raise InvalidError(f"kind: {text!r} is not a kind of message (kinds: {known})") from None


def profile_doc(scenario: Scenario, old: PreferencesDoc, body: ProfileIn) -> dict[str, Any]:
    """The scenario file's preferences table for an edited profile (validated by the caller)."""
    issues: dict[str, Any] = {}
    for issue in scenario.space.issues:
        if issue.id not in body.weights:
            raise InvalidError(f"profile.weights: no weight for issue {issue.id}")
        if issue.id not in body.values:
            raise InvalidError(f"profile.values: no values for issue {issue.id}")
    for issue_id in [*body.weights, *body.values]:
        if issue_id not in {i.id for i in scenario.space.issues}:
            raise InvalidError(f"profile: unknown issue {issue_id!r}")
    for issue in scenario.space.issues:
        table = body.values[issue.id]
        entry: dict[str, Any] = {"weight": body.weights[issue.id]}
        if issue.id in old.issues and old.issues[issue.id].rationale:
            entry["rationale"] = old.issues[issue.id].rationale
        if isinstance(issue, DiscreteIssue):
            entry["values"] = dict(table)
        else:
            entry["points"] = sorted(_points(issue.id, table))
        issues[issue.id] = entry
    out = {
        "kind": "linear-additive",
        "reservation_rationale": old.reservation_rationale,
        "ceiling": old.ceiling,
        "issues": issues,
        "reservation": body.reservation,
        "discount": body.discount,
        "red_lines": [r.model_dump(mode="json") for r in body.red_lines],
    }
    return {k: v for k, v in out.items() if v is not None}


def _points(issue_id: str, table: Mapping[str, float]) -> list[tuple[float, float]]:
    points = []
    for key, value in table.items():
        try:
            points.append((float(key), value))
        except ValueError:
            raise InvalidError(
                f"profile.values.{issue_id}.{key}: not a number (a numeric issue is valued "
                "at numbers)"
            ) from None
    return points
