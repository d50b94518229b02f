"""The ``boa`` negotiator: a bidding strategy, an acceptance strategy and an opponent model.

Named as ``boa:bidding=time:exponent=0.2,acceptance=ac-next,model=frequency`` (each part is a
registered component, ``name:key=value:...``; parts left out take their defaults: ``time``,
``ac-next``, ``frequency``). On every turn it first shows the model the offers the other
principals made since its last turn, then plans its own next offer (the bidding strategy, with
the model), and accepts the offer on the table if the acceptance strategy says so given that
plan; otherwise it offers the plan. One model is kept per other principal; with several, the
offering step ranks packages by the mean of their modelled utilities.

After a session the models are read from a finished negotiator with ``opponent_models`` (see
``parley.strategies.boa.accuracy``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parley.engine.messages import PROPOSING, Ask, Outcome
from parley.engine.view import View
from parley.errors import StrategyError, UnknownNameError
from parley.strategies.base import Param, Parameter, Randomness
from parley.strategies.boa.acceptance import Acceptance
from parley.strategies.boa.bidding import Bidding
from parley.strategies.boa.components import (
    COMPONENTS,
    ComponentSpec,
    Received,
    Situation,
    check_params,
)
from parley.strategies.boa.models import Model, make_model
from parley.strategies.negotiators import _Ranked


@dataclass(frozen=True)
class ComponentParameter(Parameter):
    """A parameter that names a component of ``kind`` (``name:key=value:...``)."""

    kind: str = "bidding"

    def check(self, strategy: str, value: object) -> Param:
        where = f"strategy {strategy}: {self.name}"
        if not isinstance(value, str):
            known = ", ".join(sorted(COMPONENTS.by_kind[self.kind]))
            raise StrategyError(
                f"{where} must be one of the {self.kind} components ({known}), not {value!r}"
            )
        spec = ComponentSpec.from_text(self.kind, value)
        try:
            cls = COMPONENTS.find(self.kind, spec.name)
        except UnknownNameError as exc:
            raise UnknownNameError(exc.kind, exc.name, exc.known, where=where) from None
        check_params(cls, spec.params)
        return spec.to_text()


class Boa(_Ranked):
    """A negotiator composed of a bidding strategy, an acceptance strategy and an opponent
    model (Baarslag, Hindriks, Hendrikx, Dirkzwager, Jonker, the BOA architecture, ACAN 2012)."""

    name = "boa"
    summary = "a bidding strategy, an acceptance strategy and an opponent model (BOA)"
    needs_preferences = True
    parameters = (
        ComponentParameter("bidding", "time", "its bidding strategy", kind="bidding"),
        ComponentParameter("acceptance", "ac-next", "its acceptance strategy", kind="acceptance"),
        ComponentParameter("model", "frequency", "its opponent model", kind="model"),
    )

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        bidding = ComponentSpec.from_text("bidding", self.text("bidding")).build()
        acceptance = ComponentSpec.from_text("acceptance", self.text("acceptance")).build()
        assert isinstance(bidding, Bidding)
        assert isinstance(acceptance, Acceptance)
        self.bidding, self.acceptance = bidding, acceptance
        self._models: dict[str, Model] = {}
        self._received: list[Received] = []
        self._seen = 0
        self._plan: tuple[tuple[int, int, float], Outcome] | None = None

    @property
    def opponent_models(self) -> Mapping[str, Model]:
        """The model of each other principal, by party (empty before the first turn)."""
        return dict(self._models)

    def _observe(self, view: View) -> None:
        """Show the models the other principals' offers since the last turn."""
        if not self._models:
            self._models = {
                p: make_model(self.text("model"), view.space, self.rng) for p in view.others()
            }
        for msg in view.messages[self._seen :]:
            model = self._models.get(msg.sender)
            if model is not None and msg.kind in PROPOSING and msg.outcome is not None:
                model.observe(msg.outcome, view.time)
                worth = self.worth(view, msg.outcome)
                self._received.append(Received(msg.outcome, view.time, worth))
        self._seen = len(view.messages)

    def situation(self, view: View) -> Situation:
        self._observe(view)
        return Situation(view, self.ranking(view), tuple(self._received), self.rng)

    def _opponent(self, rows: NDArray[np.integer]) -> NDArray[np.float64]:
        if not self._models:
            return np.zeros(len(rows))
        estimates = [model.utilities(rows) for model in self._models.values()]
        return np.asarray(np.mean(estimates, axis=0), dtype=np.float64)

    def plan(self, view: View) -> Outcome:
        """What it would offer now (worked out once a turn: asked to accept, then to offer)."""
        s = self.situation(view)
        key = (view.round, len(view.messages), view.reservation)
        if self._plan is None or self._plan[0] != key:
            self._plan = (key, self.bidding.offer(s, self._opponent))
        return self._plan[1]

    def propose(self, view: View, ask: Ask) -> Outcome:
        return self.plan(view)

    def accepts(self, view: View, offer: Outcome) -> bool:
        planned = self.plan(view)
        s = self.situation(view)
        return self.acceptance.accepts(s, self.worth(view, offer), self.worth(view, planned))


def composition(bidding: str, acceptance: str, model: str) -> str:
    """The negotiator name of a composition (its parts as ``name:key=value:...``)."""
    return f"boa:bidding={bidding},acceptance={acceptance},model={model}"
