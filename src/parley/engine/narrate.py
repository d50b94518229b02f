"""The talks in words: one readable line per message, for the terminal and golden files."""

from __future__ import annotations

from parley.engine.messages import Kind, Message, Outcome
from parley.outcomes import DiscreteIssue, OutcomeSpace

VERBS = {
    Kind.PROPOSE: "proposes",
    Kind.COUNTER: "counters with",
    Kind.ACCEPT: "accepts",
    Kind.REJECT: "rejects",
    Kind.WALK_AWAY: "walks away",
    Kind.RELAY: "relays",
    Kind.REFRAME: "reframes as",
    Kind.DRAFT: "tables",
    Kind.CONFIDE: "confides its preferences",
    Kind.DECLINE: "declines to confide its preferences",
    Kind.ENDORSE: "endorses",
    Kind.FRAMEWORK: "tables a framework",
    Kind.PASS: "passes",
    Kind.THREATEN: "threatens",
    Kind.STRIKE: "strikes",
    Kind.ADVISE: "advises",
    Kind.NOTE: "writes",
    Kind.WHAT_IF: "asks what if the package were",
    Kind.COMPARE: "compares",
    Kind.STATEMENT: "says",
    Kind.EVENT: "event:",
    Kind.PHASE: "",
    Kind.AGREEMENT: "",
    Kind.END: "",
}


def package(space: OutcomeSpace, outcome: Outcome) -> str:
    """Compact codes, e.g. ``A3 B4 C2`` (options named after their issue) or ``price=9000``."""
    parts = []
    for issue, index in zip(space.issues, outcome, strict=True):
        value = issue.value_of(index)
        if isinstance(issue, DiscreteIssue) and str(value).startswith(issue.id):
            parts.append(str(value))
        elif isinstance(value, float):
            parts.append(f"{issue.id}={value:g}")
        else:
            parts.append(f"{issue.id}={value}")
    return " ".join(parts)


def describe(message: Message, space: OutcomeSpace) -> str:
    """One line: where, who to whom, what."""
    where = f"R{message.round}" + (f" {message.phase}" if message.phase else "")
    if message.kind in (Kind.PHASE, Kind.AGREEMENT, Kind.END):
        body = message.text
        if message.outcome is not None:
            body += f" [{package(space, message.outcome)}]"
        return f"{where} | {body}"
    audience = "all" if message.public else ", ".join(message.to) or "-"
    verb = VERBS.get(message.kind, message.kind)
    if message.kind == Kind.DECLINE and message.outcome is not None:
        verb = "declines to endorse"
    body = f"{message.sender} -> {audience}: {verb}"
    if message.outcome is not None:
        body += f" [{package(space, message.outcome)}]"
    if message.text:
        spoken = message.kind in (Kind.STATEMENT, Kind.ADVISE, Kind.NOTE)
        body += f" {message.text!r}" if spoken else f" ({message.text})"
    feedback = message.data.get("feedback")
    if feedback:
        body += f" - {feedback} than before"
    return f"{where} | {body}"
