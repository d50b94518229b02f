"""Built-in strategies for the seats beside the principals and the mediator.

- ``framework`` (third party): tables the framework text it likes best, by its own private
  preferences, from a given round; the engine asks the principals to endorse it; after a
  decline it revises, moving to its best text not tabled yet that moves on every covered
  issue from the one declined (the six-state group's non-aggression framework in Muscat is
  the model). With
  ``covers`` (issue ids) its framework covers those issues only: endorsed by every principal,
  its items bind the agreement; without, it covers every issue and, endorsed, is the agreement.
- ``watchful`` (spoiler): watches what is public and each round holds off, threatens or
  strikes, by a stated rule: a public package worth less to it than its reservation value is
  a threat to it; it threatens once, and strikes ``patience`` rounds later if such a package
  is still the latest public one.
- ``hazard`` (spoiler): strikes at random, with a per-round probability that rises as what is
  public (briefings, endorsed bindings, the framework or draft on the table, direct talks)
  nears a package it rates below its reservation, and falls while an ally's request to hold
  off is in force; the rule is in its class docstring.
- ``counsel`` (adviser): weighs every package that reaches its principal by its own private
  preferences (a technical team's view) and advises its principal alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from parley.engine.messages import Action, Ask, Kind, Message, Outcome
from parley.engine.view import View
from parley.errors import StrategyError
from parley.outcomes import OutcomeSpace
from parley.strategies.base import (
    Advice,
    Adviser,
    Draft,
    Param,
    Parameter,
    Randomness,
    Spoiler,
    ThirdParty,
)
from parley.strategies.index import best_by_items, best_completion

Items = Mapping[int, int]
"""Issue column -> option: part of a package."""


@dataclass(frozen=True)
class IssueIds(Parameter):
    """Issue ids, comma-separated (``"H,I"``); ``+`` or spaces also part them, since commas
    part a strategy's parameters on the command line (``framework:covers=H+I``)."""

    def check(self, strategy: str, value: object) -> Param:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise StrategyError(
                f"strategy {strategy}: parameter {self.name} must be issue ids such as H,I, "
                f"not {value!r}"
            )
        return ",".join(re.split(r"[\s,+]+", str(value).strip())).strip(",")


class Framework(ThirdParty):
    """Tables the framework it likes best by its own preferences; revises it after declines.

    ``covers`` names the issues its framework covers (ids, comma-separated; empty: every
    issue). The package it tables is its own best, and the items on the covered issues are
    what the principals are asked to endorse (the action's ``data["covers"]``); once every
    principal endorses, those items bind the agreement. After a decline it revises (at most
    ``revisions`` times), choosing among its ``pool`` best texts (distinct on the covered
    issues) its best one not tabled yet that moves on every covered issue from the text just
    declined, or failing that its best one not tabled yet.
    """

    name = "framework"
    summary = "tables its own framework text, asks for endorsement, revises after declines"
    needs_preferences = True
    parameters = (
        Parameter("at", 1, "the round in which it first tables its framework",
                  at_least=1, at_most=100_000),
        Parameter("revisions", 3, "how many times it revises the framework after declines",
                  at_least=0, at_most=1000),
        Parameter("pool", 64, "how many of its best packages it chooses revisions from",
                  at_least=1, at_most=100_000),
        IssueIds("covers", "", "the issues its framework covers (ids, comma-separated; "
                 "empty: every issue)"),
    )  # fmt: skip

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.tabled: list[Outcome] = []

    def act(self, view: View, ask: Ask) -> Action:
        action = super().act(view, ask)
        covers = self.text("covers")
        if action.kind != Kind.FRAMEWORK or not covers:
            return action
        return action._replace(data={"covers": covers})

    def framework(self, view: View, ask: Ask) -> Draft | None:
        if view.round < self.number("at") or len(self.tabled) > self.number("revisions"):
            return None
        if self.tabled and not _declined_since(view, self.tabled[-1]):
            return None  # nobody has turned the current text down
        package = self._next(view)
        if package is None:
            return None
        self.tabled.append(package)
        verb = "revises its" if len(self.tabled) > 1 else "tables a"
        covers = self.text("covers")
        on = f" on {covers.replace(',', ', ')}" if covers else ""
        return Draft(package, text=f"{view.party} {verb} framework text{on}")

    def _next(self, view: View) -> Outcome | None:
        assert view.preferences is not None
        if not self.tabled:
            return best_completion(view.space, view.preferences, {})
        columns = _columns(view.space, self.text("covers"))
        pool = best_by_items(view.space, view.preferences, columns, int(self.number("pool")))
        if not len(pool):
            return None
        same = pool[:, None, columns] == np.array(self.tabled)[None, :, columns]
        fresh = ~same.all(axis=2).any(axis=1)
        if not fresh.any():
            return None
        # Its best text that moves on every covered issue from the one just declined; failing
        # that, its best text not tabled yet (the pool is best first).
        moved = fresh & ~same[:, -1, :].any(axis=1)
        return tuple(int(v) for v in pool[int(np.argmax(moved if moved.any() else fresh))])


def _columns(space: OutcomeSpace, ids: str) -> list[int]:
    """The columns of the issues named (every issue when none is); the engine refuses a
    framework naming an unknown issue, so those are left out here."""
    named = {name for name in ids.split(",") if name}
    columns = [c for c, issue in enumerate(space.issues) if issue.id in named]
    return columns or list(range(len(space.issues)))


def _declined_since(view: View, framework: Outcome) -> bool:
    tabled_at = max(
        (m.seq for m in view.messages if m.kind == Kind.FRAMEWORK and m.outcome == framework),
        default=-1,
    )
    return any(
        m.seq > tabled_at and m.kind == Kind.DECLINE and m.outcome == framework
        for m in view.messages
    )


class Watchful(Spoiler):
    name = "watchful"
    summary = "threatens when a public package falls below its reservation; strikes if it stays"
    needs_preferences = True
    parameters = (
        Parameter("patience", 1, "rounds between its threat and its strike",
                  at_least=1, at_most=100_000),
    )  # fmt: skip

    def move(self, view: View) -> Kind:
        latest = _latest_public_package(view)
        if latest is None or latest.outcome is None:
            return Kind.PASS
        if view.acceptable(latest.outcome):
            return Kind.PASS  # a public package it could live with
        threat = next(
            (
                m
                for m in reversed(view.messages)
                if m.sender == view.party and m.kind == Kind.THREATEN and m.seq > latest.seq
            ),
            None,
        )
        if threat is None:
            return Kind.THREATEN
        if view.round - threat.round >= self.number("patience"):
            return Kind.STRIKE
        return Kind.PASS


def _latest_public_package(view: View) -> Message | None:
    for message in reversed(view.messages):
        if message.public and message.outcome is not None and message.kind != Kind.AGREEMENT:
            return message
    return None


class Hazard(Spoiler):
    """Strikes at random, with a hazard that follows the state of the talks.

    Each round it reads what is public and measures how close the table is to a package it
    rates below its reservation value r. Of a set of items (issue -> option) it asks the
    worth w of their best completion, the best package for it that keeps them (by its own
    ranking, so never across its own red lines), against the worth u* of its best package:
    its *shortfall* is 1 if no completion exists or w <= r, else (u* - w) / (u* - r): 0 when
    the items cost it nothing, 1 when the best it can still hope for is no better than no
    deal. The items settled in public S are those of the latest briefing (where every
    principal's standing position meets) and of every endorsed binding (which wins where they
    differ); the text on the table is the latest framework (its covered items) or draft tabled
    in public, and S + text is the text's items with S's where they differ.

        closeness = max(shortfall(S), weight * shortfall(S + text))
        hazard    = min(cap, base * (1 + gain * closeness)) * restraint ** k

    where ``weight`` is ``tabled`` (a text is not yet agreed), or 1 once the talks have turned
    direct (the engine has said the positions came close), and k counts the requests to hold
    off addressed to it in force: each lasts ``hold`` rounds from the round it is made, a
    standing one (a condition from before round 1) the whole session. Every round it draws one
    uniform number from its own generator (whatever happens, so the stream never depends on
    the talks) and strikes when the draw is below the hazard; but in the first round its
    hazard reaches ``warn`` (after being below it) it threatens in public instead. The
    defaults are round numbers, not estimates: a scenario sets its own.
    """

    name = "hazard"
    summary = "strikes at random, more often as the public table nears what it rates too low"
    needs_preferences = True
    parameters = (
        Parameter("base", 0.05, "per-round strike probability while nothing it dislikes "
                  "is near", at_least=0, at_most=1),
        Parameter("gain", 4.0, "how closeness raises it: base * (1 + gain * closeness)",
                  at_least=0, at_most=1000),
        Parameter("cap", 1.0, "the highest per-round strike probability",
                  at_least=0, at_most=1),
        Parameter("tabled", 0.5, "weight of a public text not yet agreed (1 once the talks "
                  "turn direct)", at_least=0, at_most=1),
        Parameter("restraint", 0.5, "factor on the hazard for each request to hold off "
                  "in force", at_least=0, at_most=1),
        Parameter("hold", 3, "rounds a request to hold off stays in force (a standing one: "
                  "the whole session)", at_least=1, at_most=100_000),
        Parameter("warn", 0.2, "hazard at which it threatens in public instead of striking "
                  "(once each time it rises to it)", at_least=0, at_most=1),
    )  # fmt: skip

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self._warned = False
        self._level = 0.0
        self._best: dict[tuple[int, frozenset[tuple[int, int]]], float | None] = {}

    def move(self, view: View) -> Kind:
        level = self._level = self.hazard(view)
        draw = float(self.rng.random())  # drawn even with hazards off: the same stream
        if level > 0 and level >= self.number("warn"):
            if not self._warned:
                self._warned = True
                return Kind.THREATEN
        else:
            self._warned = False
        return Kind.STRIKE if draw < level and view.hazards else Kind.PASS

    def act(self, view: View, ask: Ask) -> Action:
        action = super().act(view, ask)
        if action.kind != Kind.PASS:
            return action
        off = "" if view.hazards else "; hazards are off, so it is not drawn"
        return action._replace(text=f"holds off (strike hazard {self._level:.1%} this round{off})")

    def hazard(self, view: View) -> float:
        """This round's strike probability, by the rule in the class docstring."""
        state = public_state(view)
        rising = self.number("base") * (1 + self.number("gain") * self.closeness(view, state))
        in_force = sum(
            1 for standing, made in state.restraints
            if standing or view.round - made < self.number("hold")
        )  # fmt: skip
        return min(self.number("cap"), rising) * self.number("restraint") ** in_force

    def closeness(self, view: View, state: PublicState) -> float:
        settled = self.shortfall(view, state.settled)
        if state.text is None:
            return settled
        weight = 1.0 if state.direct else self.number("tabled")
        return max(settled, weight * self.shortfall(view, {**state.text, **state.settled}))

    def shortfall(self, view: View, items: Items) -> float:
        """How far the best completion of ``items`` falls from its best package toward its
        reservation: 0 (no cost to it) to 1 (no better than no deal, or no completion)."""
        prefs = view.preferences
        assert prefs is not None
        best_overall = best_completion(view.space, prefs, {})
        if best_overall is None:
            return 1.0
        top = prefs.utility(best_overall)
        key = (id(prefs), frozenset(items.items()))
        if key not in self._best:
            best = best_completion(view.space, prefs, dict(items)) if items else best_overall
            self._best[key] = None if best is None else prefs.utility(best)
        worth = self._best[key]
        if worth is None or worth <= view.reservation:
            return 1.0
        return (top - worth) / (top - view.reservation)


class PublicState(NamedTuple):
    """What a spoiler reads of the talks from the public record."""

    settled: Items
    """The latest briefing's agreed items, overlaid by every endorsed binding."""
    text: Items | None
    """The latest framework (its covered items) or draft tabled in public."""
    direct: bool
    restraints: tuple[tuple[bool, int], ...]
    """Requests to hold off addressed to the reader: (standing, round made)."""


def public_state(view: View) -> PublicState:
    """Read ``view``'s public messages: briefings, bindings, texts, direct talks, restraints."""
    briefed: Items = {}
    bound: dict[int, int] = {}
    text: Items | None = None
    direct = False
    restraints: list[tuple[bool, int]] = []
    covers: dict[tuple[str, Outcome], str] = {}
    for m in view.messages:
        if not m.public:
            continue
        # Only the engine posts events (no seat may answer with one), whoever it names as sender.
        event = m.data.get("event") if m.kind == Kind.EVENT else None
        if m.kind == Kind.FRAMEWORK and m.outcome is not None:
            covers[(m.sender, m.outcome)] = str(m.data.get("covers", ""))
            text = _items(view.space, m.outcome, covers[(m.sender, m.outcome)])
        elif m.kind == Kind.DRAFT and m.outcome is not None:
            text = dict(enumerate(m.outcome))
        elif m.kind == Kind.PHASE and m.phase == "direct":
            direct = True
        elif event == "briefing":
            briefed = _agreed(view.space, str(m.data.get("agreed", "")))
        elif event == "bound" and m.outcome is not None:
            by = str(m.data.get("by", ""))
            bound.update(_items(view.space, m.outcome, covers.get((by, m.outcome), "")))
        elif event == "restrain" and m.data.get("party") == view.party:
            restraints.append((m.data.get("standing") is True, m.round))
    return PublicState({**briefed, **bound}, text, direct, tuple(restraints))


def _items(space: OutcomeSpace, package: Outcome, covers: str) -> Items:
    return {c: package[c] for c in _columns(space, covers)}


def _agreed(space: OutcomeSpace, agreed: str) -> Items:
    """A briefing's ``"A=A6,D=D3"`` (issue id = option value) as columns and options."""
    columns = {issue.id: column for column, issue in enumerate(space.issues)}
    items: dict[int, int] = {}
    for pair in filter(None, agreed.split(",")):
        issue, _, value = pair.partition("=")
        column = columns.get(issue.strip())
        if column is None:
            continue
        try:
            items[column] = space.issues[column].index_of(value.strip())
        except ValueError:
            continue  # not an option of the issue: nothing it can read
    return items


class Counsel(Adviser):
    name = "counsel"
    summary = "weighs each package reaching its principal by its own view; advises it alone"
    needs_preferences = True

    def advise(self, view: View, offer: Outcome) -> Advice:
        prefs = view.preferences
        assert prefs is not None
        crossed = prefs.crossed(offer)
        worth = prefs.utility(offer)
        signable = view.acceptable(offer)  # by its own view, on the kernel's rule
        if crossed:
            verdict = f"reject: it crosses {crossed[0].description.rstrip('.')}"
        elif signable:
            verdict = "it can be signed"
        else:
            verdict = "hold out: it is below what we can defend at home"
        text = f"Technical assessment: {verdict} (worth {worth:.2f} by our reckoning)."
        return Advice(text, signable, worth)
