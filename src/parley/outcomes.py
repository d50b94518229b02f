"""Issues and outcome spaces.

An outcome assigns one value to every issue. Internally it is a row of option *indices*
(one small integer per issue), so that a batch of outcomes is a 2-D NumPy array and every
evaluation is a table lookup. Outcomes are numbered in mixed radix with the last issue
varying fastest, exactly as ``itertools.product`` would list them.

Some combinations of options cannot exist, whoever signs them: a space knows its
``constraints`` and says which packages are ``possible``, the one rule the engine, the
strategies and the analysis all ask.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from parley.errors import AnalysisError, UsageError

Value = str | int | float
"""What an issue takes: an option id (discrete), an integer, or a real number."""

OutcomeRows = NDArray[np.integer]
"""A batch of outcomes, shape (n, number of issues), one option index per cell (any integer
dtype: built as int64, kept compact as int16 where memory matters)."""
Mask = NDArray[np.bool_]
Conditions = tuple[tuple[int, frozenset[int]], ...]
"""(issue column, option indices) pairs: a combination of options."""

DEFAULT_CHUNK = 1 << 20
MOST = 62
"""Constraints a space holds at most: combinations that ``parley.combinations`` tracks as the
bits of one int64 state, its sign bit left out."""


@dataclass(frozen=True)
class Option:
    """One choice on a discrete issue."""

    id: str
    label: str
    description: str = ""
    source: str = ""
    short: str = ""
    """A few words for transcripts (the label when empty)."""

    @property
    def name(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Issue:
    """Base for the three kinds of issue; ``size`` options indexed 0..size-1."""

    id: str
    name: str
    description: str = field(default="", kw_only=True)

    @property
    def size(self) -> int:
        raise NotImplementedError

    def value_of(self, index: int) -> Value:
        """The value at option index ``index``."""
        raise NotImplementedError

    def index_of(self, value: Value) -> int:
        """The option index of ``value``; raises ``ValueError`` if it is not one."""
        raise NotImplementedError

    def numeric_values(self) -> NDArray[np.float64]:
        """Every value as a number (discrete issues: the option's position)."""
        return np.arange(self.size, dtype=np.float64)

    def describe(self, index: int) -> str:
        """A short human label for option ``index``."""
        return str(self.value_of(index))


@dataclass(frozen=True)
class DiscreteIssue(Issue):
    options: tuple[Option, ...] = field(kw_only=True)

    @property
    def size(self) -> int:
        return len(self.options)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {option.id: i for i, option in enumerate(self.options)}

    def value_of(self, index: int) -> str:
        return self.options[index].id

    def index_of(self, value: Value) -> int:
        try:
            return self._positions[str(value)]
        except KeyError:
            known = ", ".join(o.id for o in self.options)
            raise ValueError(f"{value!r} is not an option of issue {self.id} ({known})") from None

    def describe(self, index: int) -> str:
        option = self.options[index]
        return f"{option.id}: {option.label}" if option.label != option.id else option.id


@dataclass(frozen=True)
class IntegerIssue(Issue):
    low: int = field(kw_only=True)
    high: int = field(kw_only=True)

    @property
    def size(self) -> int:
        return self.high - self.low + 1

    def value_of(self, index: int) -> int:
        return self.low + index

    def index_of(self, value: Value) -> int:
        if isinstance(value, bool) or not float(value).is_integer():
            raise ValueError(f"{value!r} is not an integer (issue {self.id})")
        if not self.low <= int(value) <= self.high:
            raise ValueError(f"{value!r} is outside {self.low}..{self.high} (issue {self.id})")
        return int(value) - self.low

    def numeric_values(self) -> NDArray[np.float64]:
        return np.arange(self.low, self.high + 1, dtype=np.float64)


@dataclass(frozen=True)
class RealIssue(Issue):
    """A real interval, enumerated on ``steps`` evenly spaced points including both ends."""

    low: float = field(kw_only=True)
    high: float = field(kw_only=True)
    steps: int = field(kw_only=True, default=11)

    @property
    def size(self) -> int:
        return self.steps

    def value_of(self, index: int) -> float:
        return float(self.numeric_values()[index])

    def index_of(self, value: Value) -> int:
        grid = self.numeric_values()
        position = int(np.argmin(np.abs(grid - float(value))))
        if not np.isclose(
            grid[position], float(value), rtol=0.0, atol=1e-9 * max(1.0, abs(self.high))
        ):
            raise ValueError(
                f"{value!r} is not on the {self.steps}-point grid of issue {self.id} "
                f"({self.low}..{self.high})"
            )
        return position

    def numeric_values(self) -> NDArray[np.float64]:
        if self.steps == 1:
            return np.array([self.low], dtype=np.float64)
        return np.linspace(self.low, self.high, self.steps, dtype=np.float64)

    def describe(self, index: int) -> str:
        return f"{self.value_of(index):g}"


@dataclass(frozen=True)
class Combination:
    """Options taken together: an outcome takes the combination when, on every issue listed
    in ``conditions``, it takes one of the listed option indices (one condition: a plain set
    of options). A party's red line and a scenario's constraint are both one."""

    description: str
    conditions: Conditions
    source: str = ""

    def crossed_by(self, outcome: Sequence[int]) -> bool:
        return all(int(outcome[column]) in options for column, options in self.conditions)

    def crossed_by_rows(self, rows: OutcomeRows, sizes: Sequence[int]) -> Mask:
        hit = np.ones(rows.shape[0], dtype=np.bool_)
        for column, options in self.conditions:
            hit &= _member(sizes[column], options)[rows[:, column]]
        return hit

    def taken_by(self, chosen: Mapping[int, int]) -> bool:
        """Does a package being built (issue column -> option) take the whole combination
        already, whatever the issues still open?"""
        return all(chosen.get(column) in options for column, options in self.conditions)


@dataclass(frozen=True)
class Constraint(Combination):
    """A combination that cannot exist, whoever would sign it (an impossible or meaningless
    package); ``description`` says why, ``basis`` how firm that is (FACT, REPORTED or
    ASSUMPTION)."""

    basis: str | None = None


def _member(size: int, options: frozenset[int]) -> Mask:
    """A lookup: which of an issue's ``size`` options are in ``options``."""
    member = np.zeros(size, dtype=np.bool_)
    member[list(options)] = True
    return member


def _digits(start: int, count: int, stride: int, size: int) -> NDArray[np.int64]:
    """Column of option indices for outcomes start..start+count-1 of an issue with this stride.

    The column is runs of ``stride`` equal digits cycling through 0..size-1, so it is built by
    repeating run values rather than dividing every outcome number (several times faster).
    """
    first_run = start // stride
    last_run = (start + count - 1) // stride if count else first_run
    runs = np.arange(first_run, last_run + 1, dtype=np.int64)
    lengths = np.full(runs.size, stride, dtype=np.int64)
    lengths[0] -= start - first_run * stride
    lengths[-1] = count - int(lengths[:-1].sum()) if runs.size > 1 else count
    return np.repeat(runs % size, lengths)


class OutcomeSpace:
    """The Cartesian product of a tuple of issues."""

    def __init__(self, issues: Sequence[Issue], constraints: Sequence[Constraint] = ()) -> None:
        if not issues:
            raise UsageError("an outcome space needs at least one issue")
        self.issues: tuple[Issue, ...] = tuple(issues)
        if len(constraints) > MOST:
            raise UsageError(
                f"an outcome space holds at most {MOST} constraints, not {len(constraints)}"
            )
        self.constraints: tuple[Constraint, ...] = tuple(constraints)
        """Combinations no package may take, whoever signs it."""
        self._first_possible: tuple[int, ...] | None = None
        self.sizes: tuple[int, ...] = tuple(issue.size for issue in self.issues)
        self._by_id = {issue.id: i for i, issue in enumerate(self.issues)}
        # Each constraint as (column, which options it lists) lookups, made once: strategies
        # ask about a few rows at a time, thousands of times a session.
        self._lookups = tuple(
            tuple((j, _member(self.sizes[j], options)) for j, options in c.conditions)
            for c in self.constraints
        )
        # strides[j]: how many outcomes one step of issue j skips (last issue fastest).
        strides = [1] * len(self.sizes)
        for j in range(len(self.sizes) - 2, -1, -1):
            strides[j] = strides[j + 1] * self.sizes[j + 1]
        self.strides: tuple[int, ...] = tuple(strides)

    def __repr__(self) -> str:
        ruled = f", {len(self.constraints)} constraints" if self.constraints else ""
        return f"OutcomeSpace({len(self.issues)} issues, {self.cardinality:,} outcomes{ruled})"

    @property
    def cardinality(self) -> int:
        """Number of outcomes (a Python int: it may exceed 2**63)."""
        return self.strides[0] * self.sizes[0]

    def position(self, issue_id: str) -> int:
        """Column of ``issue_id`` in an outcome row."""
        try:
            return self._by_id[issue_id]
        except KeyError:
            raise ValueError(
                f"unknown issue {issue_id!r}; issues: {', '.join(self._by_id)}"
            ) from None

    # -- packages that can exist ----------------------------------------------------------

    def impossible(self, outcome: Sequence[int]) -> Constraint | None:
        """The first constraint ``outcome`` breaks (None: the package can exist)."""
        for constraint in self.constraints:
            if constraint.crossed_by(outcome):
                return constraint
        return None

    def possible_rows(self, rows: OutcomeRows) -> Mask:
        """For each outcome of the batch: does it break no constraint?"""
        possible = np.ones(rows.shape[0], dtype=np.bool_)
        for lookups in self._lookups:
            (column, member), *rest = lookups
            taken = member[rows[:, column]]
            for column, member in rest:
                taken &= member[rows[:, column]]
            possible &= ~taken
        return possible

    def options_left(self, outcome: Sequence[int], column: int) -> Mask | None:
        """Which options of issue ``column`` leave ``outcome`` (its other issues as they are) a
        package that can exist; None when every option does. One package at a time, as a
        coordinate search asks, without a batch's overhead."""
        left: Mask | None = None
        for constraint in self.constraints:
            own: frozenset[int] | None = None
            for where, options in constraint.conditions:
                if where == column:
                    own = options
                elif int(outcome[where]) not in options:
                    break
            else:  # every other condition holds: ``own`` options (or all) are ruled out
                if left is None:
                    left = np.ones(self.sizes[column], dtype=np.bool_)
                if own is None:
                    left[:] = False
                else:
                    left[list(own)] = False
        return left

    def first_possible(self) -> tuple[int, ...]:
        """The lowest-numbered package that breaks no constraint."""
        if self._first_possible is None:
            for _start, rows in self.chunks(1 << 14):
                found = np.flatnonzero(self.possible_rows(rows))
                if found.size:
                    self._first_possible = tuple(int(v) for v in rows[int(found[0])])
                    break
            else:
                raise UsageError("every package of the space breaks one of its constraints")
        return self._first_possible

    # -- index <-> outcome ---------------------------------------------------------------

    def index_of(self, outcome: Sequence[int]) -> int:
        """The number of an outcome given as option indices."""
        return sum(int(i) * s for i, s in zip(outcome, self.strides, strict=True))

    def outcome_at(self, index: int) -> tuple[int, ...]:
        """Option indices of outcome number ``index``."""
        if not 0 <= index < self.cardinality:
            raise IndexError(f"outcome {index} is outside 0..{self.cardinality - 1}")
        return tuple((index // s) % n for s, n in zip(self.strides, self.sizes, strict=True))

    def indices_of(self, rows: OutcomeRows) -> NDArray[np.int64]:
        """Outcome numbers of a batch of rows (the space must have fewer than 2**63 outcomes)."""
        return rows.astype(np.int64) @ np.asarray(self.strides, dtype=np.int64)

    def rows(self, start: int, stop: int) -> OutcomeRows:
        """Outcomes ``start`` .. ``stop - 1`` as an array of option indices."""
        stop = min(stop, self.cardinality)
        count = max(0, stop - start)
        # Column-major: evaluation reads one issue's column at a time.
        out = np.empty((count, len(self.sizes)), dtype=np.int64, order="F")
        for j, (stride, size) in enumerate(zip(self.strides, self.sizes, strict=True)):
            out[:, j] = _digits(start, count, stride, size)
        return out

    def chunks(self, chunk: int = DEFAULT_CHUNK) -> Iterator[tuple[int, OutcomeRows]]:
        """Every outcome, ``chunk`` at a time, as (first outcome number, rows)."""
        for start in range(0, self.cardinality, chunk):
            yield start, self.rows(start, start + chunk)

    def all_rows(self, limit: int = 50_000_000) -> OutcomeRows:
        """Every outcome at once; refuses spaces above ``limit`` (use ``chunks``)."""
        if self.cardinality > limit:
            raise AnalysisError(
                f"the space has {self.cardinality:,} outcomes, more than {limit:,} to hold "
                f"at once; "
                "iterate with chunks()"
            )
        return self.rows(0, self.cardinality)

    # -- human form ----------------------------------------------------------------------

    def to_values(self, outcome: Sequence[int]) -> dict[str, Value]:
        """``{issue id: value}`` for an outcome given as option indices."""
        return {
            issue.id: issue.value_of(int(i)) for issue, i in zip(self.issues, outcome, strict=True)
        }

    def from_values(self, values: Mapping[str, Value]) -> tuple[int, ...]:
        """Option indices from ``{issue id: value}``; every issue must be given."""
        missing = [issue.id for issue in self.issues if issue.id not in values]
        if missing:
            raise ValueError(f"no value for issue(s) {', '.join(missing)}")
        extra = sorted(set(values) - set(self._by_id))
        if extra:
            raise ValueError(f"unknown issue(s) {', '.join(extra)}")
        return tuple(issue.index_of(values[issue.id]) for issue in self.issues)

    def describe(self, outcome: Sequence[int]) -> dict[str, str]:
        """``{issue id: short label}`` for display."""
        return {
            issue.id: issue.describe(int(i)) for issue, i in zip(self.issues, outcome, strict=True)
        }
