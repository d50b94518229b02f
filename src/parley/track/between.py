"""Events between sessions: drawn per gap from the track's own seeded stream, then applied
to what the last session hands the next."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from parley.scenario import Scenario
from parley.scenario.schema import BetweenDoc
from parley.track.record import Carried, Happening

STREAM = 0
"""The spawn key of the between-session stream (sessions 2, 3, ... use their number)."""
EFFECTS = {"cancel": "next session cancelled", "collapse": "the track ends"}


class Between:
    """The scenario's ``[track] between`` events and the stream they are drawn from."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        track = scenario.doc.track
        self.events: tuple[BetweenDoc, ...] = track.between if track is not None else ()
        self.rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(STREAM,)))

    def draw(self) -> tuple[BetweenDoc, ...]:
        """The events that fire in one gap. Every event is drawn for in every gap, so the
        stream never depends on what happened before."""
        draws = self.rng.random(len(self.events))
        return tuple(e for e, d in zip(self.events, draws, strict=True) if d < e.probability)


def apply(fired: tuple[BetweenDoc, ...], carried: Carried) -> tuple[Carried, tuple[Happening, ...]]:
    """``carried`` after the shifts among ``fired`` (in file order), and what each event did."""
    reservations, why = dict(carried.reservations), dict(carried.why)
    happenings = []
    for event in fired:
        if event.kind != "shift-reservation":
            happenings.append(Happening(event.kind, event.title, EFFECTS[event.kind], event.party))
            continue
        assert event.party is not None  # a shift names its party and delta (schema)
        assert event.delta is not None
        before = reservations[event.party]
        reservations[event.party] = after = before + event.delta
        why[event.party] += f" Between sessions, {event.title}: {event.delta:+.3f}."
        effect = f"{event.party}'s reservation {before:.2f} → {after:.2f}"
        happenings.append(Happening(event.kind, event.title, effect, event.party, event.delta))
    return replace(carried, reservations=reservations, why=why), tuple(happenings)
