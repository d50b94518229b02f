"""Outside events as the engine sees them: model-level records built from the timeline.

The file format (``schema.EventDoc``) carries option *values*; an ``Event`` carries the
package as option indices, so the kernel never touches a file document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parley.outcomes import OutcomeSpace
from parley.scenario.schema import Basis, EventDoc, EventKind


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happens to the talks: scheduled (``round``; round 0 is a standing
    condition, in force before the talks open) or random (``probability`` per round).
    ``party`` is who acts (a draft, a cancellation) or whom it befalls (a shift, a request to
    hold off, which ``by`` makes)."""

    kind: EventKind
    title: str
    round: int | None = None
    probability: float | None = None
    party: str | None = None
    by: str | None = None
    delta: float | None = None
    rounds: int | None = None
    draft: tuple[int, ...] | None = None
    description: str = ""
    date: str | None = None
    source: str = ""
    basis: Basis | None = None

    @property
    def standing(self) -> bool:
        return self.round == 0

    def fires(self, round_number: int, draw: float | None) -> bool:
        """Does it fire in ``round_number``? ``draw`` is this round's uniform draw for a random
        event (the kernel draws for every random event every round)."""
        if self.probability is not None:
            return draw is not None and draw < self.probability
        return self.round == round_number


def events(docs: Sequence[EventDoc], space: OutcomeSpace) -> tuple[Event, ...]:
    """The timeline's documents as events (cross-references were checked when building)."""
    return tuple(
        Event(
            kind=doc.kind,
            title=doc.title,
            round=doc.round,
            probability=doc.probability,
            party=doc.party,
            by=doc.by,
            delta=doc.delta,
            rounds=doc.rounds,
            draft=None if doc.draft is None else space.from_values(doc.draft),
            description=doc.description,
            date=doc.date,
            source=doc.source,
            basis=doc.basis,
        )
        for doc in docs
    )
