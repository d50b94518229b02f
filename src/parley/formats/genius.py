"""GENIUS XML: domain ("template") files and preference profiles, read and written.

Reading follows GENIUS 10.4's loaders (``DomainImpl``, ``AdditiveUtilitySpace``,
``NonlinearUtilitySpace`` and the evaluators) so that Parley computes the utilities GENIUS
computes; ``docs/interop.md`` lists every rule and every quirk handled. Profiles become
``PreferencesDoc`` tables, so an imported scenario can be saved as a Parley file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
from numpy.typing import NDArray

from parley.errors import ScenarioError
from parley.formats.xmltext import Node
from parley.nonlinear import CappedAdditive, HyperRectangles, Ufun
from parley.outcomes import DiscreteIssue, IntegerIssue, Issue, RealIssue
from parley.preferences import LinearAdditive, Preferences
from parley.scenario.model import Party, Scenario
from parley.scenario.schema import (
    FunctionDoc,
    IssueDoc,
    IssuePreferenceDoc,
    OptionDoc,
    PreferencesDoc,
    RectangleDoc,
    UfunDoc,
)

REAL_STEPS = 21
"""GENIUS enumerates a real issue on 21 evenly spaced values, both bounds included
(``IssueReal.fNumberOfDiscretizationSteps`` as used by ``BidIterator``)."""

DOMAIN_ROOT = "negotiation_template"
PROFILE_ROOT = "utility_space"
_ISSUE_TYPES = ("discrete", "integer", "real")


# -- reading: the domain ---------------------------------------------------------------------


@dataclass(frozen=True)
class GeniusIssue:
    index: int
    doc: IssueDoc


@dataclass
class GeniusDomain:
    """A domain file: its name and its issues in GENIUS's order."""

    source: str
    name: str
    issues: list[GeniusIssue]
    notes: list[str] = field(default_factory=list)

    def by_index(self, index: int) -> GeniusIssue | None:
        return next((issue for issue in self.issues if issue.index == index), None)


def is_domain(root: Node) -> bool:
    """A domain file: ``negotiation_template`` root, or a bare ``utility_space`` whose issues
    carry no weights, evaluations or utility functions (seen in some older templates)."""
    if root.tag == DOMAIN_ROOT:
        return True
    if root.tag != PROFILE_ROOT or root.get("type") is not None:
        return False
    markers = ("weight", "evaluator", "utility", "reservation", "discount_factor")
    has_issue = any(True for _ in root.element.iter("issue"))
    has_marker = any(True for m in markers for _ in root.element.iter(m))
    has_evaluation = any(item.get("evaluation") is not None for item in root.element.iter("item"))
    return has_issue and not has_marker and not has_evaluation


def is_profile(root: Node) -> bool:
    return root.tag == PROFILE_ROOT and not is_domain(root)


def read_domain(root: Node) -> GeniusDomain:
    space = root if root.tag == PROFILE_ROOT else root.child(PROFILE_ROOT)
    if space is None:
        raise root.fail("no <utility_space> element", expected="a GENIUS domain file")
    top = space.child("objective")
    if top is None:
        raise space.fail("no <objective> element", expected="the domain's root objective")
    domain = GeniusDomain(root.source, top.get("name") or "root", [])
    seen: set[str] = set()
    for node in _issue_nodes(top):
        issue = _domain_issue(node, domain.notes)
        if issue.doc.id in seen:
            issue = GeniusIssue(issue.index, issue.doc.model_copy(
                update={"id": f"{issue.doc.id} #{issue.index}"}))
        seen.add(issue.doc.id)
        domain.issues.append(issue)
    if not domain.issues:
        raise top.fail("the domain has no issues", expected="<issue> elements")
    indices = [issue.index for issue in domain.issues]
    if len(set(indices)) != len(indices):
        dup = next(i for i in indices if indices.count(i) > 1)
        raise top.fail("two issues share an index", value=dup, expected="unique issue indices")
    declared = space.get("number_of_issues")
    if declared is not None and declared.strip() != str(len(domain.issues)):
        domain.notes.append(f"{Path(root.source).name}: number_of_issues says {declared} but "
                            f"the file has {len(domain.issues)} issues; Parley reads them all")
    return domain


def _issue_nodes(objective: Node) -> Iterator[Node]:
    """Issues in GENIUS's order: a level's nested objectives first (recursively), then its own."""
    for child in objective.children("objective"):
        yield from _issue_nodes(child)
    yield from objective.children("issue")


def _resolve_type(node: Node) -> str:
    """GENIUS's rule: ``type`` decides (``vtype``/``etype`` only raise a warning when they
    disagree); no type means discrete, and so does a name GENIUS does not know (``price``)."""
    kind = node.get("type")
    if kind is None:
        return "discrete"
    kind = kind.strip().lower()
    return kind if kind in _ISSUE_TYPES else "discrete"


def _domain_issue(node: Node, notes: list[str]) -> GeniusIssue:
    index = node.integer("index")
    name = (node.get("name") or "").strip() or f"issue{index}"
    kind = _resolve_type(node)
    raw_type = node.get("type")
    if raw_type is not None and raw_type.strip().lower() not in _ISSUE_TYPES:
        notes.append(f"{Path(node.source).name}: issue {name} has type={raw_type!r}; "
                     "read as discrete, as GENIUS does")
    if kind == "discrete":
        options: dict[str, OptionDoc] = {}
        for item in node.children("item"):
            value = item.required("value")
            if not value:
                raise item.fail("an empty value", attribute="value", expected="a name")
            if value in options:
                notes.append(f"{Path(node.source).name}: issue {name} lists value {value!r} "
                             "twice; GENIUS treats both as the same value, Parley keeps one")
                continue
            description = item.get("description") or ""
            options[value] = OptionDoc(id=value, label=value, description=description)
        if not options:
            raise node.fail("a discrete issue without <item> values", expected="one or more items")
        return GeniusIssue(index, IssueDoc(id=name, name=name, type="discrete",
                                           options=tuple(options.values())))
    if kind == "integer":
        low, high = _integer_bounds(node)
        return GeniusIssue(index, IssueDoc(id=name, name=name, type="integer", min=low, max=high))
    low_r, high_r = _real_bounds(node)
    return GeniusIssue(index, IssueDoc(id=name, name=name, type="real", min=low_r, max=high_r,
                                       steps=REAL_STEPS))


def _integer_bounds(node: Node) -> tuple[int, int]:
    """GENIUS 10.4 reads the issue's own attributes; older files use a <range> child."""
    holder = node if node.get("lowerbound") is not None else node.child("range")
    if holder is None:
        raise node.fail("no bounds", attribute="lowerbound",
                        expected="lowerbound/upperbound attributes or a <range> child")
    low, high = holder.number("lowerbound"), holder.number("upperbound")
    if not (low.is_integer() and high.is_integer()) or high < low:
        raise holder.fail("bad integer bounds", value=f"{low:g}..{high:g}",
                          expected="whole numbers with lowerbound <= upperbound")
    return int(low), int(high)


def _real_bounds(node: Node) -> tuple[float, float]:
    holder = node.child("range") or (node if node.get("lowerbound") is not None else None)
    if holder is None:
        raise node.fail("a real issue without <range>", expected="<range lowerbound upperbound>")
    low, high = holder.number("lowerbound"), holder.number("upperbound")
    if high < low:
        raise holder.fail("upperbound is below lowerbound", value=f"{low:g}..{high:g}")
    return low, high


# -- reading: profiles -----------------------------------------------------------------------


def read_profile(root: Node, domain: GeniusDomain, notes: list[str]) -> PreferencesDoc:
    """A GENIUS utility space as a Parley preferences table (``notes`` collects remarks)."""
    kind = (root.get("type") or "linear").strip().lower()
    reservation = _reservation(root)
    discount = _discount(root, notes)
    if kind == "nonlinear":
        ufun, max_utility = _nonlinear(root, domain)
        return PreferencesDoc(kind="hyper-rectangles", ufun=ufun, max_utility=max_utility,
                              reservation=reservation, discount=discount)
    if kind not in ("linear", "uncertain"):
        raise root.fail("unsupported kind of utility space", attribute="type", value=kind,
                        expected="linear (no type), uncertain or nonlinear")
    issues = _additive(root, domain, notes)
    return PreferencesDoc(issues=issues, reservation=reservation, discount=discount)


def _reservation(root: Node) -> float:
    """GENIUS: the <reservation> value; 0 when there is none."""
    node = _first(root, "reservation")
    if node is None:
        return 0.0
    return _finite(node, "value")


def _discount(root: Node, notes: list[str]) -> float:
    """GENIUS's ``validateDiscount``: d <= 0 or d > 1 means no discount (1)."""
    node = _first(root, "discount_factor")
    if node is None:
        return 1.0
    value = _finite(node, "value")
    if value <= 0.0 or value > 1.0:
        if value != 0.0:
            notes.append(f"{Path(root.source).name}: discount_factor {value:g} means no "
                         "discount in GENIUS (read as 1)")
        return 1.0
    return value


def _first(root: Node, tag: str) -> Node | None:
    """The shallowest ``tag`` element under ``root`` (GENIUS looks at the root level first)."""
    stack = [root]
    while stack:
        node = stack.pop(0)
        found = node.child(tag)
        if found is not None:
            return found
        stack.extend(node.children())
    return None


def _finite(node: Node, attribute: str) -> float:
    value = node.number(attribute)
    if not np.isfinite(value):
        raise node.fail("not a finite number", attribute=attribute, value=value)
    return value


def _weighted_issues(node: Node) -> Iterator[tuple[Node, float]]:
    """(issue element, weight) pairs: GENIUS pairs an issue with a <weight> sibling of the same
    index, at every level of the objective tree."""
    weights = {}
    for weight in node.children("weight"):
        value = _finite(weight, "value")
        if value < 0:
            raise weight.fail("a negative weight", attribute="value", value=value,
                              expected="a weight >= 0")
        weights[weight.integer("index")] = value
    for issue in node.children("issue"):
        index = issue.integer("index")
        if index in weights:
            yield issue, weights[index]
    for child in node.children():
        if child.tag != "issue":
            yield from _weighted_issues(child)


def _additive(root: Node, domain: GeniusDomain, notes: list[str]) -> dict[str, IssuePreferenceDoc]:
    found = {issue.integer("index"): (issue, weight) for issue, weight in _weighted_issues(root)}
    out: dict[str, IssuePreferenceDoc] = {}
    for gissue in domain.issues:
        if gissue.index not in found:
            raise root.fail(f"no <weight> for issue {gissue.doc.id} (index {gissue.index})",
                            expected="a <weight index=...> beside every issue (GENIUS cannot "
                            "evaluate a profile without one)")
        node, weight = found[gissue.index]
        out[gissue.doc.id] = _issue_preference(node, weight, gissue, notes)
    return out


def _issue_preference(node: Node, weight: float, gissue: GeniusIssue,
                      notes: list[str]) -> IssuePreferenceDoc:
    evaluator = _resolve_type(node)
    domain_type = gissue.doc.type
    name = Path(node.source).name
    if evaluator == "discrete" and domain_type == "discrete":
        return IssuePreferenceDoc(weight=weight, values=_discrete_values(node, gissue))
    if evaluator == "discrete" and not list(node.children("item")):
        notes.append(f"{name}: issue {gissue.doc.id} (type={node.get('type')!r}) has no "
                     "evaluation GENIUS 10.4 can use; Parley values it 0")
        return IssuePreferenceDoc(weight=weight, function=FunctionDoc(kind="constant", value=0.0))
    if evaluator != domain_type:
        article = "an" if domain_type == "integer" else "a"
        raise node.fail(f"a {evaluator} evaluator on {article} {domain_type} issue",
                        attribute="type",
                        expected=f"type={domain_type!r}")
    if evaluator == "integer":
        return IssuePreferenceDoc(weight=weight, function=_integer_function(node, gissue))
    return IssuePreferenceDoc(weight=weight, function=_real_function(node, gissue, notes))


def _discrete_values(node: Node, gissue: GeniusIssue) -> dict[str, float]:
    """GENIUS's ``EvaluatorDiscrete``: evaluation / the largest evaluation (0 if that is < 1e-5).

    The largest is taken over every item with an evaluation, as GENIUS does, even items the
    domain does not list."""
    evaluations: dict[str, float] = {}
    for item in node.children("item"):
        raw = item.get("evaluation")
        if raw is None or raw.strip() == "null":
            continue
        evaluations[item.required("value")] = _finite(item, "evaluation")
    for option in gissue.doc.options:
        if option.id not in evaluations:
            raise node.fail(f"no evaluation for value {option.id!r}",
                            expected="an <item value=... evaluation=...> for every domain value")
    top = max(evaluations.values())
    if top < 0.00001:
        return {option.id: 0.0 for option in gissue.doc.options}
    return {option.id: evaluations[option.id] / top for option in gissue.doc.options}


def _integer_function(node: Node, gissue: GeniusIssue) -> FunctionDoc:
    """GENIUS 10.4's ``EvaluatorInteger``: clamp01(offset + slope * (v - lowerbound)), with the
    profile issue's own lowerbound; no <evaluator> means slope = offset = 0. Older files give
    ``parameter0`` (offset) and ``parameter1`` (slope) on the raw value v, as the old GENIUS
    evaluator did (``constant`` ftype: parameter0)."""
    evaluator = node.child("evaluator")
    if evaluator is None:
        return FunctionDoc(kind="linear", offset=0.0, slope=0.0)
    if evaluator.get("slope") is not None or evaluator.get("offset") is not None:
        origin = node.number("lowerbound", default=gissue.doc.min)
        return FunctionDoc(kind="linear", offset=_finite(evaluator, "offset"),
                           slope=_finite(evaluator, "slope"), origin=origin)
    ftype = (evaluator.get("ftype") or "linear").strip().lower()
    if ftype == "constant":
        return FunctionDoc(kind="constant", value=_finite(evaluator, "parameter0"))
    if ftype != "linear":
        raise evaluator.fail("unsupported integer evaluator", attribute="ftype", value=ftype,
                             expected="linear or constant")
    return FunctionDoc(kind="linear", offset=_finite(evaluator, "parameter0"),
                       slope=_finite(evaluator, "parameter1"))


def _real_function(node: Node, gissue: GeniusIssue, notes: list[str]) -> FunctionDoc:
    """GENIUS 10.4's ``EvaluatorReal`` on the value x itself: linear clamp01(parameter0 +
    parameter1 * x), constant parameter0, triangular (parameter0 low, parameter1 high,
    parameter2 top); ``faratin`` is declared but not loaded, so GENIUS evaluates it to -1."""
    evaluator = node.child("evaluator")
    name = Path(node.source).name
    ftype = None if evaluator is None else (evaluator.get("ftype") or "").strip().lower()
    if evaluator is None or ftype not in ("linear", "constant", "triangular", "faratin"):
        notes.append(f"{name}: real issue {gissue.doc.id} has no evaluator GENIUS 10.4 can "
                     f"use (ftype={ftype!r}); Parley values it 0")
        return FunctionDoc(kind="constant", value=0.0)
    if ftype == "linear":
        return FunctionDoc(kind="linear", offset=_finite(evaluator, "parameter0"),
                           slope=_finite(evaluator, "parameter1"))
    if ftype == "constant":
        return FunctionDoc(kind="constant", value=_finite(evaluator, "parameter0"))
    if ftype == "triangular":
        return FunctionDoc(kind="triangular", low=_finite(evaluator, "parameter0"),
                           high=_finite(evaluator, "parameter1"),
                           top=_finite(evaluator, "parameter2"))
    notes.append(f"{name}: real issue {gissue.doc.id} has a faratin evaluator, which GENIUS "
                 "10.4 evaluates to -1 for every value; so does Parley")
    return FunctionDoc(kind="constant", value=-1.0)


def _nonlinear(root: Node, domain: GeniusDomain) -> tuple[UfunDoc, float]:
    objective = next(root.children(), None)
    utility = objective.child("utility") if objective is not None else None
    if utility is None:
        utility = _first(root, "utility")
    if utility is None:
        raise root.fail("a nonlinear utility space without <utility>",
                        expected="<utility maxutility=...> in the objective")
    max_utility = _finite(utility, "maxutility")
    if max_utility <= 0:
        raise utility.fail("must be positive", attribute="maxutility", value=max_utility)
    top = utility.child("ufun")
    if top is None:
        raise utility.fail("no <ufun> element", expected="<ufun aggregation=...>")
    return _ufun(top, domain), max_utility


def _ufun(node: Node, domain: GeniusDomain) -> UfunDoc:
    aggregation = (node.get("aggregation") or "sum").strip().lower()
    if aggregation not in ("sum", "min", "max"):
        aggregation = "sum"  # GENIUS's AGGREGATIONTYPE default
    weight = _finite(node, "weight") if node.get("weight") is not None else 1.0
    rectangles = tuple(_rectangle(r, domain) for r in node.children("hyperRectangle"))
    children = tuple(_ufun(child, domain) for child in node.children("ufun"))
    return UfunDoc(aggregation=aggregation, weight=weight,
                   rectangles=rectangles, ufuns=children)


def _rectangle(node: Node, domain: GeniusDomain) -> RectangleDoc:
    """GENIUS: EXCLUDES bounds make an exclusive rectangle (they win over INCLUDES), INCLUDES an
    inclusive one, none an always-paying one. Repeated bounds on one issue intersect."""
    excludes = list(node.children("EXCLUDES"))
    bound_nodes = excludes or list(node.children("INCLUDES"))
    bounds: dict[str, tuple[float, float]] = {}
    for bound in bound_nodes:
        index = bound.integer("index")
        gissue = domain.by_index(index)
        if gissue is None:
            raise bound.fail("no issue with this index in the domain", attribute="index",
                             value=index)
        if gissue.doc.type == "discrete":
            raise bound.fail(f"issue {gissue.doc.id} is discrete", attribute="index",
                             expected="bounds on integer or real issues")
        low, high = float(bound.integer("min")), float(bound.integer("max"))
        if gissue.doc.id in bounds:
            old_low, old_high = bounds[gissue.doc.id]
            low, high = max(low, old_low), min(high, old_high)
        bounds[gissue.doc.id] = (low, high)
    weight = _finite(node, "weight") if node.get("weight") is not None else 1.0
    return RectangleDoc(utility=_finite(node, "utility"), weight=weight,
                        exclude=bool(excludes), bounds=bounds)


# -- writing ---------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    """A float as text Java's Double.valueOf reads back to the same double."""
    return repr(float(value))


def _objective(name: str) -> str:
    return (f'<objective index="0" etype="objective" type="objective" description="" '
            f"name={quoteattr(name)}>")


def write_domain(scenario: Scenario) -> str:
    """The scenario's issues as a GENIUS domain file (issue names are Parley issue ids)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<negotiation_template>",
             f'  <utility_space number_of_issues="{len(scenario.space.issues)}">',
             f"    {_objective(scenario.name)}"]
    for k, issue in enumerate(scenario.space.issues, start=1):
        body = [
            f'<item index="{n}" value={quoteattr(o.id)} description={quoteattr(o.description)}/>'
            for n, o in enumerate(issue.options, start=1)
        ] if isinstance(issue, DiscreteIssue) else []
        lines += _issue_xml(k, issue, body, "      ")
    lines += ["    </objective>", "  </utility_space>", "</negotiation_template>", ""]
    return "\n".join(lines)


def _issue_xml(index: int, issue: Issue, body: list[str], pad: str) -> list[str]:
    """An <issue> element (with its <range> for a real issue) around ``body``."""
    name = quoteattr(issue.id)
    if isinstance(issue, DiscreteIssue):
        kind, extra = "discrete", ""
    elif isinstance(issue, IntegerIssue):
        kind, extra = "integer", f' lowerbound="{issue.low}" upperbound="{issue.high}"'
    else:
        assert isinstance(issue, RealIssue)
        kind, extra = "real", ""
        body = [f'<range lowerbound="{_fmt(issue.low)}" upperbound="{_fmt(issue.high)}"/>',
                *body]
    head = f'{pad}<issue index="{index}" name={name}{extra} etype="{kind}" type="{kind}" ' \
           f'vtype="{kind}"'
    if not body:
        return [head + "/>"]
    return [head + ">", *(f"{pad}  {line}" for line in body), f"{pad}</issue>"]


def check_real_grid(scenario: Scenario) -> None:
    """GENIUS enumerates real issues on 21 values; another grid would change the outcomes."""
    for issue in scenario.space.issues:
        if isinstance(issue, RealIssue) and issue.steps != REAL_STEPS:
            raise ScenarioError(scenario.source, f"issues[{issue.id}].steps",
                                "GENIUS enumerates a real issue on 21 values", value=issue.steps,
                                expected="steps = 21 for a GENIUS export")


def write_profile(scenario: Scenario, party: Party) -> str:
    """One principal's preferences as a GENIUS utility space file."""
    prefs = party.preferences
    where = f"parties[{party.name}].preferences"
    if prefs is None:
        raise ScenarioError(scenario.source, where, "a principal without preferences")
    if prefs.red_lines:
        raise ScenarioError(scenario.source, f"{where}.red_lines",
                            "GENIUS profiles cannot express red lines",
                            expected="a party without red lines")
    if isinstance(prefs, HyperRectangles):
        body = _nonlinear_xml(scenario, prefs, where)
        head = '<utility_space type="nonlinear">'
    else:
        doc = next(p.preferences for p in scenario.doc.parties if p.name == party.name)
        functions = {} if doc is None else {k: v.function for k, v in doc.issues.items()}
        body = _additive_xml(scenario, _additive_base(scenario, prefs, where), functions, where)
        head = "<utility_space>"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', head, f"  {_objective(scenario.name)}",
             *(f"    {line}" for line in body), "  </objective>"]
    if prefs.discount < 1.0:
        lines.append(f'  <discount_factor value="{_fmt(prefs.discount)}"/>')
    lines += [f'  <reservation value="{_fmt(prefs.reservation)}"/>', "</utility_space>", ""]
    return "\n".join(lines)


def _additive_base(scenario: Scenario, prefs: Preferences, where: str) -> LinearAdditive:
    """The linear-additive model GENIUS will compute, after checking GENIUS's cap at 1 fits."""
    if isinstance(prefs, CappedAdditive):
        if prefs.ceiling != 1.0:
            raise ScenarioError(scenario.source, f"{where}.ceiling",
                                "GENIUS caps additive utilities at 1, not another value",
                                value=prefs.ceiling, expected="ceiling = 1 or none")
        return prefs.base
    if not isinstance(prefs, LinearAdditive):
        raise ScenarioError(scenario.source, where, "GENIUS cannot express this kind of profile",
                            value=type(prefs).__name__,
                            expected="linear-additive or hyper-rectangles")
    if prefs.best_value() > 1.0:
        raise ScenarioError(scenario.source, where,
                            "GENIUS caps additive utilities at 1 and this profile exceeds it",
                            value=prefs.best_value(), expected="ceiling = 1, or utilities <= 1")
    return prefs


def _additive_xml(scenario: Scenario, model: LinearAdditive,
                  functions: dict[str, FunctionDoc | None], where: str) -> list[str]:
    lines: list[str] = []
    weights: list[str] = []
    for k, (issue, weight, table) in enumerate(
        zip(scenario.space.issues, model.weights, model.values, strict=True),
        start=1,
    ):
        function = functions.get(issue.id)
        issue_where = f"{where}.issues.{issue.id}"
        if isinstance(issue, DiscreteIssue):
            weight, body = _discrete_items(scenario, issue, weight, table, issue_where)
        elif isinstance(issue, IntegerIssue):
            body = [_integer_evaluator(scenario, issue, table, function, issue_where)]
        else:
            assert isinstance(issue, RealIssue)
            body = [_real_evaluator(scenario, issue, table, function, issue_where)]
        lines += _issue_xml(k, issue, body, "")
        weights.append(f'<weight index="{k}" value="{_fmt(weight)}"/>')
    return lines + weights


def _discrete_items(scenario: Scenario, issue: DiscreteIssue, weight: float,
                    table: tuple[float, ...], where: str) -> tuple[float, list[str]]:
    """GENIUS divides evaluations by the largest: a table whose largest value is not 1 is
    written scaled to 1 with its weight scaled the other way (equal up to rounding)."""
    if min(table) < 0:
        raise ScenarioError(scenario.source, where, "GENIUS evaluations cannot be negative",
                            value=min(table), expected="values >= 0")
    top = max(table)
    scale = top if top > 0 else 1.0
    items = [
        f'<item index="{k}" value={quoteattr(o.id)} evaluation="{_fmt(v / scale)}" '
        f"description={quoteattr(o.description)}/>"
        for k, (o, v) in enumerate(zip(issue.options, table, strict=True), start=1)
    ]
    return weight * scale, items


def linear_fit(x: NDArray[np.float64], table: tuple[float, ...]) -> tuple[float, float] | None:
    """(value at x[0], slope) of the line through the table's points, if they are on one
    (to 1e-8: GeniusWeb rounds number-issue utilities to 8 decimals)."""
    y = np.asarray(table, dtype=np.float64)
    if x.size == 1:
        return float(y[0]), 0.0
    slope = float((y[-1] - y[0]) / (x[-1] - x[0]))
    if np.allclose(y[0] + slope * (x - x[0]), y, rtol=0.0, atol=1e-8):
        return float(y[0]), slope
    return None


def _integer_evaluator(scenario: Scenario, issue: IntegerIssue, table: tuple[float, ...],
                       function: FunctionDoc | None, where: str) -> str:
    if function is not None and function.kind == "linear":
        offset = function.offset + function.slope * (issue.low - function.origin)
        return f'<evaluator ftype="linear" slope="{_fmt(function.slope)}" offset="{_fmt(offset)}"/>'
    fit = linear_fit(issue.numeric_values(), table)
    if fit is None or min(table) < 0.0 or max(table) > 1.0:
        raise ScenarioError(scenario.source, where,
                            "GENIUS values an integer issue by a line clamped to [0, 1]; this "
                            "issue's values are not on one", expected="a linear function")
    return f'<evaluator ftype="linear" slope="{_fmt(fit[1])}" offset="{_fmt(fit[0])}"/>'


def _real_evaluator(scenario: Scenario, issue: RealIssue, table: tuple[float, ...],
                    function: FunctionDoc | None, where: str) -> str:
    if function is not None and function.kind == "triangular":
        return (f'<evaluator ftype="triangular" parameter0="{_fmt(function.low or 0.0)}" '
                f'parameter1="{_fmt(function.high or 0.0)}" '
                f'parameter2="{_fmt(function.top or 0.0)}"/>')
    if function is not None and function.kind == "constant":
        return f'<evaluator ftype="constant" parameter0="{_fmt(function.value or 0.0)}"/>'
    if function is not None:
        offset = function.offset - function.slope * function.origin
        return (f'<evaluator ftype="linear" parameter0="{_fmt(offset)}" '
                f'parameter1="{_fmt(function.slope)}"/>')
    x = issue.numeric_values()
    fit = linear_fit(x, table)
    if fit is None or min(table) < 0.0 or max(table) > 1.0:
        raise ScenarioError(scenario.source, where,
                            "GENIUS values a real issue by a clamped line, a triangle or a "
                            "constant; this issue's points are none of them",
                            expected="a linear, triangular or constant function")
    at_zero = fit[0] - fit[1] * float(x[0])
    return (f'<evaluator ftype="linear" parameter0="{_fmt(at_zero)}" '
            f'parameter1="{_fmt(fit[1])}"/>')


def _nonlinear_xml(scenario: Scenario, prefs: HyperRectangles, where: str) -> list[str]:
    lines = []
    for k, issue in enumerate(scenario.space.issues, start=1):
        if not isinstance(issue, IntegerIssue):
            raise ScenarioError(scenario.source, f"issues[{issue.id}]",
                                "GENIUS nonlinear profiles need integer issues",
                                value=type(issue).__name__, expected="IntegerIssue")
        lines += _issue_xml(k, issue, [], "")
    lines.append(f'<utility maxutility="{_fmt(prefs.max_utility)}">')
    lines += _ufun_xml(scenario, prefs.root, where, "  ")
    lines.append("</utility>")
    return lines


def _ufun_xml(scenario: Scenario, node: Ufun, where: str, pad: str) -> list[str]:
    lines = [f'{pad}<ufun type="PlainUfun" weight="{_fmt(node.weight)}" '
             f'aggregation="{node.aggregation}">']
    for rectangle in node.rectangles:
        lines.append(f'{pad}  <hyperRectangle utility="{_fmt(rectangle.utility)}" '
                     f'weight="{_fmt(rectangle.weight)}">')
        tag = "EXCLUDES" if rectangle.exclusive else "INCLUDES"
        if rectangle.exclusive and not rectangle.bounds:
            raise ScenarioError(scenario.source, where, "GENIUS cannot write an exclusive "
                                "rectangle without bounds", expected="at least one bound")
        for column, low, high in rectangle.bounds:
            if not (float(low).is_integer() and float(high).is_integer()):
                raise ScenarioError(scenario.source, where, "GENIUS rectangle bounds are "
                                    "integers", value=(low, high), expected="whole numbers")
            lines.append(f'{pad}    <{tag} index="{column + 1}" min="{int(low)}" '
                         f'max="{int(high)}"/>')
        lines.append(f"{pad}  </hyperRectangle>")
    for child in node.children:
        lines += _ufun_xml(scenario, child, where, pad + "  ")
    lines.append(f"{pad}</ufun>")
    return lines
