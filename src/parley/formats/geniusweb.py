"""GeniusWeb JSON: domains and ``LinearAdditiveUtilitySpace`` profiles, read and written.

Utility = sum over issues of weight * issue utility. Discrete issues map values to utilities
(``DiscreteValueSetUtilities``, or ``discreteutils`` in the older dialect; a value without one
is worth 0). Number issues (``{"range": {"low", "high", "step"}}``) are valued by
``NumberValueSetUtilities``: linear between (lowValue, lowUtility) and (highValue,
highUtility), 0 outside, rounded to 8 decimals as GeniusWeb does (computed in decimal
arithmetic). A ``reservationBid`` makes the reservation value that bid's utility.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parley.errors import ScenarioError
from parley.nonlinear import CappedAdditive
from parley.outcomes import DiscreteIssue, IntegerIssue, Issue, RealIssue
from parley.preferences import LinearAdditive
from parley.scenario.model import Party, Scenario
from parley.scenario.schema import IssueDoc, IssuePreferenceDoc, OptionDoc, PreferencesDoc, Scalar

PROFILE_KEY = "LinearAdditiveUtilitySpace"
OTHER_PROFILE_KEYS = ("SumOfGroupsUtilitySpace", "DefaultPartialOrdering", "DefaultProfile")
DISCRETE_KEYS = ("DiscreteValueSetUtilities", "discreteutils")
NUMBER_KEYS = ("NumberValueSetUtilities", "numberutils")
MAX_STEPS = 100_000
_EIGHT_DECIMALS = Decimal("1.00000000")


def load_json(path: Path) -> Any:
    """A JSON file with every number read as a Decimal (GeniusWeb computes in decimals)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ScenarioError(str(path), "", f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(str(path), "", f"not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as exc:
        raise ScenarioError(str(path), f"line {exc.lineno}, column {exc.colno}",
                            f"not readable as JSON ({exc.msg})") from None


def is_domain(data: Any) -> bool:
    return isinstance(data, dict) and "issuesValues" in data


def is_profile(data: Any) -> bool:
    return isinstance(data, dict) and any(k in data for k in (PROFILE_KEY, *OTHER_PROFILE_KEYS))


# -- reading ---------------------------------------------------------------------------------


@dataclass
class WebDomain:
    source: str
    name: str
    issues: list[IssueDoc]
    values: dict[str, list[Decimal]] = field(default_factory=dict)
    """For number issues: the exact decimal value of each option."""


def _fail(source: str, where: str, problem: str, value: object = None,
          expected: str | None = None) -> ScenarioError:
    return ScenarioError(source, where, problem, value=value, expected=expected)


def read_domain(data: Any, source: str, where: str = "") -> WebDomain:
    prefix = f"{where}." if where else ""
    if not isinstance(data, dict) or not isinstance(data.get("issuesValues"), dict):
        raise _fail(source, f"{prefix}issuesValues", "missing or not an object",
                    expected='{"issue": {"values": [...]}, ...}')
    domain = WebDomain(source, str(data.get("name", "domain")), [])
    for issue_id, spec in data["issuesValues"].items():
        here = f"{prefix}issuesValues.{issue_id}"
        if isinstance(spec, dict) and isinstance(spec.get("values"), list) and spec["values"]:
            ids = [_text(v) for v in spec["values"]]
            if not issue_id or "" in ids:
                raise _fail(source, here, "an empty issue or value name")
            if len(set(ids)) != len(ids):
                raise _fail(source, here, "a value is listed twice", value=ids)
            options = tuple(OptionDoc(id=v, label=v) for v in ids)
            domain.issues.append(IssueDoc(id=issue_id, name=issue_id, options=options))
        elif isinstance(spec, dict) and isinstance(spec.get("range"), dict):
            doc, values = _number_issue(issue_id, spec["range"], source, f"{here}.range")
            domain.issues.append(doc)
            domain.values[issue_id] = values
        else:
            raise _fail(source, here, "not a value set",
                        expected='{"values": [...]} or {"range": {"low", "high", "step"}}')
    if not domain.issues:
        raise _fail(source, f"{prefix}issuesValues", "no issues")
    return domain


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _decimal(value: Any, source: str, where: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise _fail(source, where, "not a number", value=value) from None
    if not number.is_finite():
        raise _fail(source, where, "not a finite number", value=value)
    return number


def _number_issue(issue_id: str, spec: dict[str, Any], source: str,
                  where: str) -> tuple[IssueDoc, list[Decimal]]:
    """GeniusWeb's NumberValueSet: low, low + step, ... up to high."""
    low = _decimal(spec.get("low"), source, f"{where}.low")
    high = _decimal(spec.get("high"), source, f"{where}.high")
    step = _decimal(spec.get("step"), source, f"{where}.step")
    if step <= 0 or high < low:
        raise _fail(source, where, "bad range", value=f"{low}..{high} step {step}",
                    expected="low <= high and step > 0")
    ratio = (high - low) / step
    near = ratio.to_integral_value()
    count = int(near if abs(ratio - near) < Decimal("1e-9") else ratio.to_integral_value(
        rounding=ROUND_FLOOR)) + 1
    if count > MAX_STEPS:
        raise _fail(source, where, "too many values to enumerate", value=count,
                    expected=f"at most {MAX_STEPS:,}")
    values = [low + k * step for k in range(count)]
    last = values[-1]
    if low == low.to_integral_value() and step == 1:
        doc = IssueDoc(id=issue_id, name=issue_id, type="integer", min=float(low), max=float(last))
    else:
        doc = IssueDoc(id=issue_id, name=issue_id, type="real", min=float(low), max=float(last),
                       steps=count)
    return doc, values


def grid_of(doc: IssueDoc) -> NDArray[np.float64]:
    """The numeric values Parley will enumerate for an integer or real issue document."""
    assert doc.min is not None
    assert doc.max is not None
    issue: Issue
    if doc.type == "integer":
        issue = IntegerIssue(doc.id, doc.name, low=int(doc.min), high=int(doc.max))
    else:
        issue = RealIssue(doc.id, doc.name, low=doc.min, high=doc.max, steps=doc.steps or 1)
    return issue.numeric_values()


def same_domain(a: WebDomain, b: WebDomain) -> bool:
    return [(i.id, i.type, i.options, i.min, i.max, i.steps) for i in a.issues] == [
        (i.id, i.type, i.options, i.min, i.max, i.steps) for i in b.issues]


def read_profile(data: Any, source: str, domain: WebDomain | None,
                 notes: list[str]) -> tuple[PreferencesDoc, WebDomain]:
    """A GeniusWeb profile as Parley preferences; ``domain`` None means: use the embedded one."""
    if not isinstance(data, dict) or PROFILE_KEY not in data:
        kind = next((k for k in OTHER_PROFILE_KEYS if isinstance(data, dict) and k in data), None)
        raise _fail(source, kind or "(top level)", "unsupported kind of GeniusWeb profile",
                    value=kind, expected=PROFILE_KEY)
    space = data[PROFILE_KEY]
    if not isinstance(space, dict):
        raise _fail(source, PROFILE_KEY, "not an object")
    if "domain" in space:
        embedded = read_domain(space["domain"], source, f"{PROFILE_KEY}.domain")
        if domain is None:
            domain = embedded
        elif not same_domain(domain, embedded):
            raise _fail(source, f"{PROFILE_KEY}.domain", "differs from the domain file",
                        value=embedded.name, expected=f"the issues and values of {domain.source}")
    if domain is None:
        raise _fail(source, f"{PROFILE_KEY}.domain", "no domain file and no embedded domain")
    utilities = space.get("issueUtilities")
    weights = space.get("issueWeights")
    for key, table in (("issueUtilities", utilities), ("issueWeights", weights)):
        if not isinstance(table, dict):
            raise _fail(source, f"{PROFILE_KEY}.{key}", "missing or not an object")
        extra = sorted(set(table) - {issue.id for issue in domain.issues})
        if extra:
            raise _fail(source, f"{PROFILE_KEY}.{key}.{extra[0]}", "not an issue of the domain",
                        expected=", ".join(issue.id for issue in domain.issues))
    assert isinstance(utilities, dict)
    assert isinstance(weights, dict)
    issues: dict[str, IssuePreferenceDoc] = {}
    for issue in domain.issues:
        here = f"{PROFILE_KEY}.issueWeights.{issue.id}"
        if issue.id not in weights:
            raise _fail(source, here, "no weight for this issue", expected="a number in [0, 1]")
        weight = float(_decimal(weights[issue.id], source, here))
        if weight < 0:
            raise _fail(source, here, "a negative weight", value=weight, expected="a weight >= 0")
        if issue.id not in utilities:
            raise _fail(source, f"{PROFILE_KEY}.issueUtilities.{issue.id}",
                        "no utilities for this issue")
        entry = utilities[issue.id]
        here = f"{PROFILE_KEY}.issueUtilities.{issue.id}"
        issues[issue.id] = _issue_preference(issue, weight, entry, domain, source, here, notes)
    doc = PreferencesDoc(issues=issues)
    bid = space.get("reservationBid")
    if bid is not None:
        doc = _with_reservation(doc, bid, domain, source, notes)
    return doc, domain


def _issue_preference(issue: IssueDoc, weight: float, entry: Any, domain: WebDomain,
                      source: str, where: str, notes: list[str]) -> IssuePreferenceDoc:
    kind = next((k for k in (*DISCRETE_KEYS, *NUMBER_KEYS)
                 if isinstance(entry, dict) and k in entry), None)
    if kind is None:
        raise _fail(source, where, "unknown kind of value-set utilities",
                    expected=" or ".join((*DISCRETE_KEYS, *NUMBER_KEYS)))
    body = entry[kind]
    if kind in DISCRETE_KEYS:
        if issue.type != "discrete":
            raise _fail(source, f"{where}.{kind}", "discrete utilities on a number issue")
        table = body.get("valueUtilities") if isinstance(body, dict) else None
        if not isinstance(table, dict):
            raise _fail(source, f"{where}.{kind}.valueUtilities", "missing or not an object")
        known = [o.id for o in issue.options]
        stray = [v for v in table if v not in known]
        if stray:
            notes.append(f"{Path(source).name}: issue {issue.id}: utilities for values the "
                         f"domain does not have ({', '.join(stray)}) are ignored")
        values = {o: float(_decimal(table[o], source, f"{where}.{kind}.valueUtilities.{o}"))
                  if o in table else 0.0 for o in known}
        return IssuePreferenceDoc(weight=weight, values=values)
    if issue.type == "discrete":
        raise _fail(source, f"{where}.{kind}", "number utilities on a discrete issue")
    if not isinstance(body, dict):
        raise _fail(source, f"{where}.{kind}", "not an object")
    low_v, low_u, high_v, high_u = (
        _decimal(body.get(k), source, f"{where}.{kind}.{k}")
        for k in ("lowValue", "lowUtility", "highValue", "highUtility")
    )
    if high_v <= low_v:
        raise _fail(source, f"{where}.{kind}.highValue", "must exceed lowValue",
                    value=str(high_v))
    utilities = [
        Decimal(0) if x < low_v or x > high_v
        else (low_u + (high_u - low_u) * (x - low_v) / (high_v - low_v)).quantize(
            _EIGHT_DECIMALS, rounding=ROUND_HALF_UP)
        for x in domain.values[issue.id]
    ]
    points = tuple((float(x), float(u)) for x, u in zip(grid_of(issue), utilities, strict=True))
    return IssuePreferenceDoc(weight=weight, points=points)


def _with_reservation(doc: PreferencesDoc, bid: Any, domain: WebDomain, source: str,
                      notes: list[str]) -> PreferencesDoc:
    here = f"{PROFILE_KEY}.reservationBid"
    values = bid.get("issuevalues") if isinstance(bid, dict) else None
    if not isinstance(values, dict):
        raise _fail(source, f"{here}.issuevalues", "missing or not an object",
                    expected='{"issue": value, ...}')
    outcome: dict[str, Scalar] = {}
    for issue in domain.issues:
        if issue.id not in values:
            continue
        value = values[issue.id]
        if issue.type == "discrete":
            outcome[issue.id] = _text(value)
        else:
            number = _decimal(value, source, f"{here}.issuevalues.{issue.id}")
            outcome[issue.id] = int(number) if issue.type == "integer" else float(number)
    if len(outcome) == len(domain.issues):
        return doc.model_copy(update={
            "reservation_outcome": outcome,
            "reservation_rationale": "the utility of the GeniusWeb reservation bid",
        })
    # A partial bid: GeniusWeb counts a missing issue as 0.
    total = 0.0
    for issue_id, value in outcome.items():
        entry = doc.issues[issue_id]
        if entry.values is not None:
            total += entry.weight * entry.values.get(str(value), 0.0)
        else:
            assert entry.points is not None
            total += entry.weight * dict(entry.points).get(float(value), 0.0)
    notes.append(f"{Path(source).name}: the reservation bid names only "
                 f"{len(outcome)} of {len(domain.issues)} issues; its utility {total:g} is the "
                 "reservation value")
    return doc.model_copy(update={
        "reservation": total,
        "reservation_rationale": "the utility of the (partial) GeniusWeb reservation bid",
    })


# -- writing ---------------------------------------------------------------------------------


def safe_name(text: str, default: str) -> str:
    """GeniusWeb names are [a-zA-Z0-9]+."""
    return re.sub(r"[^A-Za-z0-9]", "", text) or default


def domain_json(scenario: Scenario) -> dict[str, Any]:
    issues: dict[str, Any] = {}
    for issue in scenario.space.issues:
        if isinstance(issue, DiscreteIssue):
            issues[issue.id] = {"values": [o.id for o in issue.options]}
        elif isinstance(issue, IntegerIssue):
            issues[issue.id] = {"range": {"low": issue.low, "high": issue.high, "step": 1}}
        else:
            assert isinstance(issue, RealIssue)
            step = (issue.high - issue.low) / (issue.steps - 1) if issue.steps > 1 else 1.0
            issues[issue.id] = {"range": {"low": issue.low, "high": issue.high, "step": step}}
    return {"name": safe_name(scenario.name, "domain"), "issuesValues": issues}


def write_domain(scenario: Scenario) -> str:
    return json.dumps(domain_json(scenario), indent=2, ensure_ascii=False) + "\n"


def write_profile(scenario: Scenario, party: Party) -> str:
    """One principal's preferences as a GeniusWeb LinearAdditiveUtilitySpace."""
    prefs = party.preferences
    where = f"parties[{party.name}].preferences"

    def fail(problem: str, field_: str = "", value: object = None,
             expected: str | None = None) -> ScenarioError:
        return ScenarioError(scenario.source, f"{where}{field_}", problem, value=value,
                             expected=expected)

    if prefs is None:
        raise fail("a principal without preferences")
    if prefs.red_lines:
        raise fail("GeniusWeb profiles cannot express red lines", ".red_lines")
    if prefs.discount < 1.0:
        raise fail("GeniusWeb profiles have no discount factor", ".discount", prefs.discount,
                   "discount = 1")
    model = prefs.base if isinstance(prefs, CappedAdditive) else prefs
    if not isinstance(model, LinearAdditive):
        raise fail("GeniusWeb can only express linear-additive profiles", "",
                   type(prefs).__name__, "a linear-additive profile")
    weights, tables = _normalized(model, fail)
    doc = next(p.preferences for p in scenario.doc.parties if p.name == party.name)
    assert doc is not None
    utilities: dict[str, Any] = {}
    for issue, table in zip(scenario.space.issues, tables, strict=True):
        if isinstance(issue, DiscreteIssue):
            utilities[issue.id] = {"DiscreteValueSetUtilities": {"valueUtilities": {
                o.id: v for o, v in zip(issue.options, table, strict=True)}}}
            continue
        number = number_utilities(issue.numeric_values(), table)
        if number is None:
            raise fail("GeniusWeb values a number issue by a line between two of its values "
                       "(0 outside them); this issue's values are not one",
                       f".issues.{issue.id}", expected="values on one line")
        utilities[issue.id] = {"NumberValueSetUtilities": number}
    body: dict[str, Any] = {
        "issueUtilities": utilities,
        "issueWeights": {i.id: f"@weight{k}@" for k, i in enumerate(scenario.space.issues)},
        "domain": domain_json(scenario),
        "name": safe_name(party.name, "profile"),
    }
    if doc.reservation_outcome is not None:
        body["reservationBid"] = {"issuevalues": dict(doc.reservation_outcome)}
    elif prefs.reservation != 0.0:
        raise fail("GeniusWeb expresses a reservation only as a reservation bid",
                   ".reservation", prefs.reservation, "reservation_outcome, or reservation = 0")
    text = json.dumps({PROFILE_KEY: body}, indent=2, ensure_ascii=False) + "\n"
    for k, weight in enumerate(exact_weights(weights)):
        text = text.replace(f'"@weight{k}@"', weight)
    return text


def _normalized(
    model: LinearAdditive, fail: Callable[..., ScenarioError]
) -> tuple[tuple[float, ...], tuple[tuple[float, ...], ...]]:
    """Weights summing to 1 and issue utilities in [0, 1] for ``model``.

    A model already in that form is written as it is. Any other with values >= 0 and a best
    outcome worth at most 1 is rescaled: issue i gets weight w_i * c_i and utilities v / c_i
    with c_i = max(v) / best, which keeps every outcome's utility (up to rounding).
    """
    weights, tables = model.weights, model.values
    if any(min(t) < 0.0 for t in tables):
        raise fail("GeniusWeb utilities cannot be negative", ".issues", expected="values >= 0")
    if abs(sum(weights) - 1.0) <= 1e-12 and all(max(t) <= 1.0 for t in tables):
        return weights, tables
    tops = [max(t) for t in tables]
    best = sum(w * top for w, top in zip(weights, tops, strict=True))
    if best > 1.0 or best <= 0.0:
        raise fail("GeniusWeb needs issue weights that sum to 1 and utilities in [0, 1]; "
                   "this profile's best outcome is worth", ".issues", best, "at most 1, above 0")
    scales = [top / best if top > 0 else 1.0 for top in tops]
    new_weights = [w * c if top > 0 else 0.0 for w, c, top in zip(weights, scales, tops,
                                                                      strict=True)]
    new_tables = tuple(tuple(v / c for v in t) for t, c in zip(tables, scales, strict=True))
    return tuple(new_weights), new_tables


def number_utilities(
    grid: NDArray[np.float64], table: tuple[float, ...]
) -> dict[str, float] | None:
    """GeniusWeb's NumberValueSetUtilities reproducing ``table`` on ``grid``, if one does.

    It is linear between lowValue and highValue and 0 outside; GeniusWeb rounds it to 8
    decimals, so a table that matches to 1e-8 is accepted. The widest fitting span wins.
    """
    t = np.asarray(table, dtype=np.float64)
    n = t.size
    if n < 2:
        return None
    nonzero = np.flatnonzero(t)
    lows, highs = {0}, {n - 1}
    if nonzero.size:
        lows |= {int(nonzero[0]), max(int(nonzero[0]) - 1, 0)}
        highs |= {int(nonzero[-1]), min(int(nonzero[-1]) + 1, n - 1)}
    for i in sorted(lows):
        for j in sorted(highs, reverse=True):
            if j <= i:
                continue
            inside = (grid >= grid[i]) & (grid <= grid[j])
            line = t[i] + (t[j] - t[i]) * (grid - grid[i]) / (grid[j] - grid[i])
            if np.abs(np.where(inside, line, 0.0) - t).max() <= 1e-8:
                return {"lowValue": float(grid[i]), "lowUtility": float(t[i]),
                        "highValue": float(grid[j]), "highUtility": float(t[j])}
    return None


def exact_weights(weights: tuple[float, ...]) -> list[str]:
    """Weights as decimal texts whose decimal sum is exactly 1 (GeniusWeb checks it): each
    float's shortest text, with the largest adjusted by the (tiny) remainder."""
    texts = [repr(float(w)) for w in weights]
    remainder = Decimal(1) - sum((Decimal(t) for t in texts), Decimal(0))
    if remainder != 0:
        k = max(range(len(texts)), key=lambda j: weights[j])
        texts[k] = str(Decimal(texts[k]) + remainder)
    return texts
