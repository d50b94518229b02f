"""What a forecast found: summaries of its runs, the sensitivity ranking and the what-if."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from parley.forecast.runs import RunRecord
from parley.forecast.sensitivity import first_order, rank_correlation
from parley.outcomes import OutcomeSpace
from parley.scenario.uncertainty import Input

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion (95% by default); (0, 1) when n is 0."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # analytically the interval holds p (and reaches 0 or 1 at k = 0 or n); rounding may not
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


@dataclass(frozen=True)
class Summary:
    """One set of runs: how often and how the talks ended, what was agreed, who got what."""

    runs: int
    agreements: int
    interval: tuple[float, float]
    causes: dict[str, int]
    options: tuple[tuple[int, ...], ...]
    """Per issue, how many agreements chose each option."""
    expected: tuple[float, ...]
    """Per principal, mean utility over every run (no deal counts as the reservation value)."""
    given_agreement: tuple[float, ...] | None
    """Per principal, mean utility over the runs that agreed."""

    @property
    def probability(self) -> float:
        return self.agreements / self.runs if self.runs else 0.0

    @classmethod
    def of(cls, records: Sequence[RunRecord], space: OutcomeSpace) -> Summary:
        agreed = [r for r in records if r.agreement is not None]
        options = []
        for column, size in enumerate(space.sizes):
            counts = Counter(r.agreement[column] for r in agreed if r.agreement is not None)
            options.append(tuple(counts.get(k, 0) for k in range(size)))
        utilities = np.array([r.utilities for r in records], dtype=np.float64)
        agreed_u = np.array([r.utilities for r in agreed], dtype=np.float64)
        causes = Counter(r.cause for r in records)
        return cls(
            runs=len(records),
            agreements=len(agreed),
            interval=wilson(len(agreed), len(records)),
            causes=dict(sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))),
            options=tuple(options),
            expected=tuple(float(u) for u in utilities.mean(axis=0)) if len(records) else (),
            given_agreement=tuple(float(u) for u in agreed_u.mean(axis=0)) if agreed else None,
        )


@dataclass(frozen=True)
class Effect:
    """How one input moves the result (see ``parley.forecast.sensitivity``)."""

    input: Input
    agreement: tuple[float, float]
    """(first-order index, rank correlation) for whether the talks agree."""
    utilities: tuple[tuple[float, float], ...]
    """The same for each principal's utility."""


def sensitivity(inputs: Sequence[Input], records: Sequence[RunRecord]) -> tuple[Effect, ...]:
    """Every non-constant input, most influential on agreement first (then on utilities)."""
    if not records:
        return ()
    x_all = np.array([r.inputs for r in records], dtype=np.float64).reshape(len(records), -1)
    agreed = np.array([r.agreed for r in records], dtype=np.float64)
    utilities = np.array([r.utilities for r in records], dtype=np.float64)
    effects = []
    for k, item in enumerate(inputs):
        if item.constant:
            continue
        x = x_all[:, k]
        per_party = tuple(
            (first_order(x, utilities[:, j]), rank_correlation(x, utilities[:, j]))
            for j in range(utilities.shape[1])
        )
        effects.append(Effect(item, (first_order(x, agreed), rank_correlation(x, agreed)),
                              per_party))
    return tuple(sorted(effects, key=lambda e: (-e.agreement[0],
                                                -max((u[0] for u in e.utilities), default=0.0),
                                                e.input.name)))


@dataclass(frozen=True)
class WhatIf:
    """The same runs (same draws, same seeds) with some events switched off."""

    off: tuple[str, ...]
    summary: Summary
    ended_by_off: int
    """Base runs that one of the switched-off events ended."""
    rescued: int
    """Of those, runs that reached agreement once the event was off."""
    change: float
    change_interval: tuple[float, float]
    """Change in agreement probability, with a 95% interval from the paired runs."""


def what_if(
    off: Sequence[str], base: Sequence[RunRecord], other: Sequence[RunRecord], space: OutcomeSpace
) -> WhatIf:
    ended = {f"cancelled: {title}" for title in off}
    hit = [(b, o) for b, o in zip(base, other, strict=True) if b.cause in ended]
    diffs = np.array([float(o.agreed) - float(b.agreed) for b, o in zip(base, other, strict=True)])
    mean = float(diffs.mean()) if len(diffs) else 0.0
    half = Z95 * float(diffs.std(ddof=1)) / math.sqrt(len(diffs)) if len(diffs) > 1 else 0.0
    return WhatIf(
        off=tuple(off),
        summary=Summary.of(other, space),
        ended_by_off=len(hit),
        rescued=sum(o.agreed for _, o in hit),
        change=mean,
        change_interval=(mean - half, mean + half),
    )


@dataclass(frozen=True)
class Forecast:
    """The whole answer of ``parley forecast``."""

    scenario: str
    title: str
    source: str
    seed: int
    principals: tuple[str, ...]
    space: OutcomeSpace
    inputs: tuple[Input, ...]
    records: tuple[RunRecord, ...]
    failures: tuple[tuple[int, str], ...]
    """(first run of a batch, why it failed): runs lost to a crash or time-out."""
    summary: Summary
    effects: tuple[Effect, ...]
    what_if: WhatIf | None
    reservations: tuple[float, ...] = ()
    """Per principal, the reservation value the scenario file gives (runs draw and shift it)."""

    def below_reservation(self) -> list[str]:
        """Principals whose mean utility given agreement is below their file's reservation
        value, each with a sentence saying why that can happen."""
        given = self.summary.given_agreement
        if given is None:
            return []
        return [
            f"{name}'s mean utility given agreement ({u:.3f}) is below its reservation value in "
            f"the file ({r:.2f}): each run draws its reservation afresh and outside events move "
            "it during the talks, so a deal is never below the value in force when it is signed, "
            "but can be below the file's."
            for name, u, r in zip(self.principals, given, self.reservations, strict=False)
            if u < r
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "title": self.title,
            "seed": self.seed,
            "runs": self.summary.runs,
            "failed_batches": [{"first_run": k, "failure": f} for k, f in self.failures],
            "principals": list(self.principals),
            "reservations_in_file": dict(zip(self.principals, self.reservations, strict=False)),
            "notes": self.below_reservation(),
            **self._summary_json(self.summary),
            "inputs": [_input_json(i) for i in self.inputs],
            "sensitivity": [self._effect_json(e) for e in self.effects],
            "what_if": None if self.what_if is None else {
                "switched_off": list(self.what_if.off),
                "ended_by_switched_off_events": self.what_if.ended_by_off,
                "of_which_agree_without_them": self.what_if.rescued,
                "change_in_agreement_probability": self.what_if.change,
                "change_interval_95": list(self.what_if.change_interval),
                **self._summary_json(self.what_if.summary),
            },
        }

    def _summary_json(self, s: Summary) -> dict[str, Any]:
        return {
            "agreement_probability": s.probability,
            "agreement_interval_95": list(s.interval),
            "end_reasons": s.causes,
            "expected_utility": dict(zip(self.principals, s.expected, strict=True)),
            "utility_given_agreement": None if s.given_agreement is None
            else dict(zip(self.principals, s.given_agreement, strict=True)),
            "agreed_options": {
                issue.id: {
                    str(issue.value_of(k)): n for k, n in enumerate(counts)
                }
                for issue, counts in zip(self.space.issues, s.options, strict=True)
            },
        }

    def _effect_json(self, e: Effect) -> dict[str, Any]:
        return {
            "input": e.input.name,
            "agreement": {"first_order": e.agreement[0], "rank_correlation": e.agreement[1]},
            "utilities": {
                p: {"first_order": u[0], "rank_correlation": u[1]}
                for p, u in zip(self.principals, e.utilities, strict=True)
            },
        }


def _input_json(item: Input) -> dict[str, Any]:
    d = item.distribution
    return {
        "name": item.name,
        "target": item.target,
        "field": item.field,
        "distribution": d.model_dump(mode="json", exclude_none=True),
        "basis": item.basis,
        "source": item.source,
        "rationale": item.rationale,
    }
