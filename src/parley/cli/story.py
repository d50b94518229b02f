"""What `parley run` adds to each line so that anyone can follow the talks: what a carried
package is worth to the side it reaches, and how far a side has moved since its opening.

`parley run` is the analyst's view, which sees every profile: these figures never reach a seat
(the room shows each delegation its own values only).
"""

from __future__ import annotations

from parley.engine.messages import CARRYING, PROPOSING, Message, Outcome
from parley.outcomes import DiscreteIssue
from parley.scenario import Scenario


class Ledger:
    """Each principal's opening position, kept as the transcript goes by."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.principals = {p.name for p in scenario.principals if p.preferences is not None}
        self.openings: dict[str, Outcome] = {}
        self.latest: dict[str, Outcome] = {}

    def changes(self, before: Outcome, after: Outcome) -> str:
        """What moved between two of a side's packages, by the options' short names."""
        moved = []
        for issue, old, new in zip(self.scenario.space.issues, before, after, strict=True):
            if old != new:
                name = issue.options[new].name if isinstance(issue, DiscreteIssue) else None
                moved.append(f"{issue.value_of(new)} {name}" if name else str(issue.value_of(new)))
        return " · ".join(moved)

    def worth(self, party: str, outcome: Outcome) -> float:
        return self.scenario.preferences_of(party).utility(outcome)

    def note(self, message: Message) -> str:
        """A few words on ``message``'s package ('' when there is nothing to add)."""
        outcome = message.outcome
        if outcome is None:
            return ""
        if message.kind in PROPOSING and message.sender in self.principals:
            opening = self.openings.setdefault(message.sender, outcome)
            before = self.latest.get(message.sender, outcome)
            self.latest[message.sender] = outcome
            now = self.worth(message.sender, outcome)
            if message.data.get("carried") or outcome == opening:
                return f"worth {now:.2f} to itself"
            moved = self.worth(message.sender, opening) - now
            changes = self.changes(before, outcome)
            return (
                f"worth {now:.2f} to itself, {moved:.2f} given up since its opening"
                + (f"; now {changes}" if changes else "")
            )
        reached = [p for p in message.to if p in self.principals]
        if message.kind in CARRYING and len(reached) == 1 and not message.public:
            return f"worth {self.worth(reached[0], outcome):.2f} to {reached[0]}"
        return ""
