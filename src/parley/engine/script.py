"""A scripted shuttle: the phases a scenario declares, as plain records the protocol follows.

A phase is one round of the shuttle made of steps, in order (``schema.StepDoc`` says what each
step kind does). After the script's last phase, the default cycle of caucuses resumes until
the deadline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from parley.scenario.schema import PhaseDoc


class Step(NamedTuple):
    kind: str
    """caucus, carry, consult or joint."""
    party: str | None = None
    to: str | None = None


class Phase(NamedTuple):
    title: str
    steps: tuple[Step, ...]


def from_docs(docs: Sequence[PhaseDoc]) -> tuple[Phase, ...]:
    return tuple(
        Phase(doc.title, tuple(Step(s.kind, s.party, s.to) for s in doc.steps)) for doc in docs
    )


def to_json(script: Sequence[Phase]) -> list[dict[str, object]]:
    return [
        {"title": phase.title, "steps": [step._asdict() for step in phase.steps]}
        for phase in script
    ]


def from_json(data: object) -> tuple[Phase, ...]:
    assert isinstance(data, list)
    phases = []
    for item in data:
        assert isinstance(item, Mapping)
        steps = item["steps"]
        assert isinstance(steps, list)
        phases.append(
            Phase(
                str(item["title"]),
                tuple(
                    Step(str(s["kind"]), _name(s.get("party")), _name(s.get("to"))) for s in steps
                ),
            )
        )
    return tuple(phases)


def _name(value: object) -> str | None:
    return None if value is None else str(value)
