"""The seeded runs kept as golden transcripts, and how they are rendered as text."""

from __future__ import annotations

from pathlib import Path

from parley.engine import Settings
from parley.engine.narrate import describe
from parley.play import run
from parley.scenario import load

GOLDEN = Path(__file__).parent / "golden"

# (scenario, protocol, mediator strategy or None, seed)
CASES = [
    ("muscat-2026", "shuttle", None, 0),
    ("muscat-2026", "shuttle", "bridging", 7),
    ("nash-1950", "direct", None, 0),
    ("nash-1950", "single-text", "hill-climb", 1),
    ("job-offer", "shuttle", "bridging", 2),
]


def case_name(scenario: str, protocol: str, mediator: str | None, seed: int) -> str:
    return f"{scenario}__{protocol}__{mediator or 'default'}__seed{seed}.txt"


def render(scenario: str, protocol: str, mediator: str | None, seed: int) -> str:
    loaded = load(scenario)
    settings = Settings.from_scenario(loaded, protocol=protocol, mediator=mediator)
    session = run(loaded, settings, seed)
    result = session.result()
    lines = [
        f"# parley run {scenario} --protocol {protocol}"
        + (f" --mediator {mediator}" if mediator else "")
        + f" --seed {seed}"
    ]
    lines += [describe(msg, loaded.space) for msg in session.transcript]
    utilities = (
        "none" if result.utilities is None else ", ".join(f"{u:.6f}" for u in result.utilities)
    )
    lines.append(f"# result: {result.ended} after {result.rounds} rounds; utilities: {utilities}")
    return "\n".join(lines) + "\n"
