"""Where the good deals are: the definitions, and one pass over the outcome space to find them.

The principals are ``scenario.principals`` in order; d_i is principal i's reservation value
(BATNA) and u_i its utility.

- feasible: the outcome can exist (breaks none of the scenario's constraints,
  ``OutcomeSpace.possible_rows``) and crosses no principal's red line.
- ZOPA (zone of possible agreement): feasible and u_i >= d_i for every principal.
- Pareto frontier: the feasible outcomes that no feasible outcome dominates (``pareto``);
  identical utility vectors are all kept.
- Nash, Kalai-Smorodinsky, utilitarian and egalitarian points: chosen in the ZOPA as
  ``points`` defines them, ties to the larger sum of utilities, then the lowest outcome
  number; all None when the ZOPA is empty.

Utilities are compared on a grid of about 1e-9 (``points.quantize``), so that float rounding
noise does not decide membership or ties; reported utilities are the floats as computed.

``analyze`` enumerates the space ``chunk`` outcomes at a time through the batch path
(``Preferences.utilities``), reducing each chunk to frontier candidates, counts and each
chunk's winners, so memory grows with the frontier, not with the space. Two linear-additive
principals on large spaces use the exact fold of ``linear_frontier`` instead (constraints and
red lines that combine issues included); spaces too large to enumerate otherwise are scanned
through their outcome classes (options that no principal, red line or constraint tells apart);
``Analysis.method`` says which was used.
With outcome classes, the frontier lists one outcome per class of identical outcomes (the
lowest numbered); counts (feasible, ZOPA) still count every outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from parley.analysis.linear_frontier import linear_analysis, why_not_linear
from parley.analysis.pareto import dominated_by_front, pareto_mask
from parley.analysis.points import (
    SCORES,
    Point,
    best_row,
    kalai_score,
    meets_reservations,
    quantize,
)
from parley.analysis.report import Analysis, CrossedRedLine, OutcomeReport
from parley.combinations import possible_count
from parley.errors import AnalysisError, FoldError
from parley.nonlinear import outcome_classes
from parley.outcomes import Mask, OutcomeRows, OutcomeSpace
from parley.preferences import Preferences
from parley.scenario.model import Scenario

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while a space is scanned."""

Matrix = NDArray[np.float64]
Vector = NDArray[np.float64]
Numbers = NDArray[np.int64]

DEFAULT_CHUNK = 1 << 18  # ~20 MB of option indices for 9 issues; large enough to amortize NumPy
ENUMERATION_LIMIT = 200_000_000  # a minute or two on one core; beyond it, outcome classes
LINEAR_FROM = 1 << 20  # above this, two linear-additive principals use the exact fold
CLASS_LIMIT = 200_000_000  # representative outcomes scanned at most (same cost per row)


def analyze(
    scenario: Scenario,
    *,
    chunk: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> Analysis:
    """Frontier, ZOPA and special points of ``scenario``'s principals (see the module doc).

    Two linear-additive principals on more than ``LINEAR_FROM`` outcomes take the exact fold of
    ``linear_frontier`` (no enumeration; same answers). Other spaces are enumerated, and those
    above ``ENUMERATION_LIMIT`` scanned through their outcome classes (options no principal
    tells apart, ``parley.nonlinear.outcome_classes``): exact, each representative standing for
    its class. ``progress(done, total)`` is called after every chunk.
    """
    space = scenario.space
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1, got {chunk}")
    prefs = principal_preferences(scenario)
    if space.cardinality > LINEAR_FROM and why_not_linear(prefs, space.constraints) is None:
        try:
            return linear_analysis(scenario)
        except FoldError:
            pass  # the fold does not apply here (the ZOPA is cut, or the frontier too long)
    return _scan_space(
        space,
        prefs,
        tuple(p.name for p in scenario.principals),
        str(scenario.source),
        chunk,
        progress,
    )


def analyze_profiles(
    space: OutcomeSpace,
    prefs: Sequence[Preferences],
    parties: Sequence[str] | None = None,
    *,
    chunk: int = DEFAULT_CHUNK,
) -> Analysis:
    """``analyze`` for bare preference profiles on ``space``, without a scenario.

    The profiles stand for the principals in order (``parties`` names them; P1, P2, ... by
    default); each profile's own ``reservation`` is its BATNA. Used by mediators that hold
    confided profiles. Always scans (enumeration, or outcome classes on huge spaces).
    """
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1, got {chunk}")
    names = tuple(parties or (f"P{i + 1}" for i in range(len(prefs))))
    if len(names) != len(prefs):
        raise ValueError(f"{len(prefs)} profiles but {len(names)} party names")
    return _scan_space(space, tuple(prefs), names, "preference profiles", chunk, None)


def _scan_space(
    space: OutcomeSpace,
    prefs: tuple[Preferences, ...],
    parties: tuple[str, ...],
    source: str,
    chunk: int,
    progress: Progress | None,
) -> Analysis:
    scan = _Scan(space, prefs)
    if space.cardinality <= ENUMERATION_LIMIT:
        total, method = space.cardinality, "enumeration"
        for start, rows in space.chunks(chunk):
            scan.add(np.arange(start, start + rows.shape[0], dtype=np.int64), rows)
            if progress is not None:
                progress(start + rows.shape[0], total)
        return scan.result(space, parties, method)
    classes = outcome_classes(prefs, space.sizes, space.constraints)
    if classes.cardinality > CLASS_LIMIT:
        raise AnalysisError(
            f"{source}: {space.cardinality:,} outcomes in {classes.cardinality:,} classes "
            f"the principals tell apart, more than the {CLASS_LIMIT:,} Parley can scan"
        )
    total = classes.cardinality
    for start, rows in classes.chunks(chunk):
        scan.add(space.indices_of(rows), rows, classes.multiplicity(rows))
        if progress is not None:
            progress(start + rows.shape[0], total)
    return scan.result(space, parties, "outcome classes")


def zopa_outcomes(scenario: Scenario, *, chunk: int = DEFAULT_CHUNK) -> Iterator[OutcomeRows]:
    """The ZOPA's outcomes in outcome order, one array of option-index rows per chunk."""
    prefs = principal_preferences(scenario)
    reservations = _reservations(prefs)
    for _start, rows in scenario.space.chunks(chunk):
        utilities, feasible = evaluate_rows(prefs, rows, scenario.space)
        yield rows[feasible & meets_reservations(utilities, reservations)]


def evaluate(
    scenario: Scenario, outcome: Sequence[int], *, analysis: Analysis | None = None
) -> OutcomeReport:
    """One outcome (option indices) against the analysis; pass ``analysis`` to reuse one."""
    row = _checked_row(scenario.space, outcome)
    prefs = principal_preferences(scenario)
    utilities, feasible = evaluate_rows(prefs, row, scenario.space)
    values = tuple(float(u) for u in utilities[0])
    crossed = tuple(
        CrossedRedLine(party.name, line.description)
        for party in scenario.parties
        if party.preferences is not None
        for line in party.preferences.crossed(row[0])
    )
    if analysis is None:
        analysis = analyze(scenario)
    return OutcomeReport(
        outcome=tuple(int(i) for i in row[0]),
        parties=tuple(p.name for p in scenario.principals),
        utilities=values,
        distance_to_pareto=analysis.distance_to_pareto(values),
        feasible=bool(feasible[0]),
        in_zopa=bool(feasible[0]) and analysis.meets_reservations(values),
        crossed=crossed,
        broken=tuple(c.description for c in scenario.space.constraints if c.crossed_by(row[0])),
    )


def principal_preferences(scenario: Scenario) -> tuple[Preferences, ...]:
    """The principals' preferences, in principal order."""
    prefs: list[Preferences] = []
    for party in scenario.principals:
        if party.preferences is None:
            raise AnalysisError(f"{scenario.source}: principal {party.name} has no preferences")
        prefs.append(party.preferences)
    return tuple(prefs)


def evaluate_rows(
    prefs: Sequence[Preferences], rows: OutcomeRows, space: OutcomeSpace
) -> tuple[Matrix, Mask]:
    """Utilities (one column per principal) and feasibility of a batch of outcomes of
    ``space`` (possible, and crossing no principal's red line)."""
    utilities = np.empty((rows.shape[0], len(prefs)), dtype=np.float64)
    feasible = space.possible_rows(rows)
    for column, p in enumerate(prefs):
        utilities[:, column] = p.utilities(rows)
        if p.red_lines:
            feasible &= ~p.crosses(rows)
    return utilities, feasible


def _reservations(prefs: Sequence[Preferences]) -> Vector:
    return np.array([p.reservation for p in prefs], dtype=np.float64)


def _checked_row(space: OutcomeSpace, outcome: Sequence[int]) -> OutcomeRows:
    if len(outcome) != len(space.sizes):
        ids = ", ".join(issue.id for issue in space.issues)
        raise AnalysisError(
            f"outcome {tuple(outcome)}: expected {len(space.sizes)} option indices, one per "
            f"issue ({ids})"
        )
    for issue, index in zip(space.issues, outcome, strict=True):
        if not 0 <= int(index) < issue.size:
            raise AnalysisError(
                f"outcome {tuple(outcome)}: option index {index} is outside 0..{issue.size - 1} "
                f"for issue {issue.id}"
            )
    return np.asarray([outcome], dtype=np.int64)


@dataclass
class _Winners:
    """Each chunk's best outcome for one score; the best of those is the point."""

    scores: list[float] = field(default_factory=list)
    sums: list[float] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)

    def add(self, scores: Vector, sums: Vector, numbers: Numbers) -> None:
        i = best_row(scores, sums, numbers)
        self.scores.append(float(scores[i]))
        self.sums.append(float(sums[i]))
        self.numbers.append(int(numbers[i]))

    def best(self) -> int | None:
        """Outcome number of the winner, None if no chunk had a ZOPA outcome."""
        if not self.numbers:
            return None
        numbers = np.array(self.numbers, dtype=np.int64)
        return self.numbers[best_row(np.array(self.scores), np.array(self.sums), numbers)]


class _Scan:
    """Running results of the pass over quantized utilities: counts, frontier, ideal, winners."""

    def __init__(self, space: OutcomeSpace, prefs: tuple[Preferences, ...]) -> None:
        self.space = space
        self.prefs = prefs
        # every outcome is feasible
        self.free = not space.constraints and not any(p.red_lines for p in prefs)
        self.reservations = quantize(_reservations(prefs))
        self.feasible = 0
        self.zopa = 0
        self.ideal = np.full(len(prefs), -np.inf)  # as computed; quantize(max) == max(quantize)
        self.front_numbers: Numbers = np.empty(0, dtype=np.int64)
        self.front_utilities: Matrix = np.empty((0, len(prefs)), dtype=np.float64)
        self.winners = {name: _Winners() for name in SCORES}

    def add(self, numbers: Numbers, rows: OutcomeRows, weights: Numbers | None = None) -> None:
        """Outcomes ``rows`` numbered ``numbers``, each standing for ``weights`` outcomes (1)."""
        raw, feasible = evaluate_rows(self.prefs, rows, self.space)
        counts = weights
        if not self.free:  # skip the copies when no principal has a red line
            numbers, raw = numbers[feasible], raw[feasible]
            counts = None if weights is None else weights[feasible]
        utilities = quantize(raw)
        self.feasible += numbers.size if counts is None else int(counts.sum())
        self._add_to_frontier(numbers, utilities)
        # Column by column: NumPy reduces a thin (n, 2) array along axis 1 slowly.
        zopa = utilities[:, 0] >= self.reservations[0]  # both already on the grid
        for column in range(1, utilities.shape[1]):
            zopa &= utilities[:, column] >= self.reservations[column]
        if zopa.any():
            inside = raw[zopa]
            self.ideal = np.maximum(self.ideal, [inside[:, c].max() for c in range(raw.shape[1])])
            self.zopa += int(zopa.sum()) if counts is None else int(counts[zopa].sum())
            self._add_to_zopa(numbers[zopa], utilities[zopa])

    def _undominated(self, numbers: Numbers, utilities: Matrix) -> tuple[Numbers, Matrix]:
        """Drop the rows the running frontier strictly dominates (two principals: cheap)."""
        if self.front_utilities.shape[0] == 0 or utilities.shape[1] != 2:
            return numbers, utilities
        keep = ~dominated_by_front(self.front_utilities, utilities)
        return numbers[keep], utilities[keep]

    def _add_to_frontier(self, numbers: Numbers, utilities: Matrix) -> None:
        # The frontier of a union is the frontier of the parts' frontiers; rows the frontier so
        # far already beats are dropped first, so the sort below sees a handful of rows.
        numbers, utilities = self._undominated(numbers, utilities)
        keep = pareto_mask(utilities)
        numbers = np.concatenate([self.front_numbers, numbers[keep]])
        utilities = np.concatenate([self.front_utilities, utilities[keep]])
        keep = pareto_mask(utilities)
        self.front_numbers, self.front_utilities = numbers[keep], utilities[keep]

    def _add_to_zopa(self, numbers: Numbers, utilities: Matrix) -> None:
        # A row the (feasible) frontier strictly dominates loses every criterion: its dominator
        # is in the ZOPA too, no gain smaller and a larger sum. Only the rest are scored.
        numbers, utilities = self._undominated(numbers, utilities)
        if numbers.size == 0:
            return
        sums = utilities.sum(axis=1)
        for name, score in SCORES.items():
            self.winners[name].add(score(utilities, self.reservations), sums, numbers)

    def result(self, space: OutcomeSpace, parties: tuple[str, ...], method: str) -> Analysis:
        frontier = self._sorted_frontier()
        special = {name: winners.best() for name, winners in self.winners.items()}
        special["kalai"] = self._kalai()
        points = _points(space, self.prefs, [*frontier, *special.values()])

        def point(name: str) -> Point | None:
            number = special[name]
            return None if number is None else points[number]

        return Analysis(
            parties=parties,
            outcomes=space.cardinality,
            feasible=self.feasible,
            zopa_size=self.zopa,
            reservations=tuple(p.reservation for p in self.prefs),
            ideal=tuple(float(x) for x in self.ideal) if self.zopa else None,
            pareto=tuple(points[n] for n in frontier),
            nash=point("nash"),
            kalai=point("kalai"),
            utilitarian=point("utilitarian"),
            egalitarian=point("egalitarian"),
            method=method,
            possible=possible_count(space),
        )

    def _sorted_frontier(self) -> list[int]:
        """Frontier outcome numbers by first principal's utility desc, then the next ones'
        desc, then outcome number."""
        u = self.front_utilities
        keys = (self.front_numbers, *(-u[:, j] for j in reversed(range(u.shape[1]))))
        return [int(n) for n in self.front_numbers[np.lexsort(keys)]]

    def _kalai(self) -> int | None:
        """Kalai's outcome number; needs the whole frontier and ideal point."""
        if not self.zopa:
            return None
        inside = (self.front_utilities >= self.reservations).all(axis=1)
        numbers, utilities = self.front_numbers[inside], self.front_utilities[inside]
        scores = kalai_score(utilities, self.reservations, quantize(self.ideal))
        return int(numbers[best_row(scores, utilities.sum(axis=1), numbers)])


def _points(
    space: OutcomeSpace, prefs: Sequence[Preferences], numbers: Sequence[int | None]
) -> dict[int, Point]:
    """Points for the given outcome numbers, with utilities as computed (not quantized)."""
    wanted = sorted({n for n in numbers if n is not None})
    rows = np.array([space.outcome_at(n) for n in wanted], dtype=np.int64)
    rows = rows.reshape(len(wanted), len(space.sizes))
    utilities, _feasible = evaluate_rows(prefs, rows, space)
    return {
        n: Point(tuple(int(i) for i in row), tuple(float(u) for u in values))
        for n, row, values in zip(wanted, rows, utilities, strict=True)
    }
