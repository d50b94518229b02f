"""The ANAC agents against the built-in negotiators: the tables in docs/agents.md ("Measured
against the built-ins").

python scripts/anac_table.py
python scripts/anac_table.py --domains anac2011_Laptop --rounds 100

Each agent (and each built-in, for comparison) meets each built-in from both seats in direct
talks, seed 1. Per cell: the agreement rate and the mean utility to the agent (its reservation
when there is no deal); "score" is GENIUS's, u*d^t at the deal and r*d^t when the talks end
without one, t = (round - 1) / (deadline - 1).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from parley.engine.settings import Settings
from parley.formats import load_folder
from parley.play import run
from parley.strategies.anac import AGENTS

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "genius"
DOMAINS = (
    "anac2010_ItexvsCypress,anac2011_Grocery,anac2011_Amsterdam,anac2012_Barter_A,"
    "anac2013_SmartPhone"
)
BUILT_INS = ("conceder", "linear", "boulware", "tit-for-tat", "hardliner")


@dataclass(frozen=True)
class Outcome:
    domain: str
    agent: str
    opponent: str
    agreed: bool
    utility: float
    score: float


def play(domain: str, agent: str, opponent: str, seat: int, rounds: int) -> Outcome:
    scenario = load_folder(DATA / domain)
    names = [p.name for p in scenario.principals]
    strategies = {names[seat]: agent, names[1 - seat]: opponent}
    settings = Settings.from_scenario(
        scenario, protocol="direct", strategies=strategies, rounds=rounds
    )
    result = run(scenario, settings, 1).result()
    prefs = scenario.principals[seat].preferences
    assert prefs is not None
    time = min(1.0, (result.rounds - 1) / max(1, rounds - 1))
    agreed = result.utilities is not None
    utility = result.utilities[seat] if result.utilities is not None else prefs.reservation
    return Outcome(domain, agent, opponent, agreed, utility, prefs.discounted(utility, time))


def cell(outcomes: list[Outcome], value: str) -> str:
    rate = sum(o.agreed for o in outcomes) / len(outcomes)
    mean = sum(getattr(o, value) for o in outcomes) / len(outcomes)
    return f"{rate:.0%} {mean:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domains", default=DOMAINS, help="GENIUS folders, comma-separated")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    domains = args.domains.split(",")
    agents = [cls.name for cls in AGENTS] + list(BUILT_INS)
    outcomes = [
        play(domain, agent, opponent, seat, args.rounds)
        for domain in domains
        for agent in agents
        for opponent in BUILT_INS
        for seat in (0, 1)
    ]
    heads = [f"vs {o}" for o in BUILT_INS] + ["agreed", "utility", "score"]
    print("| agent | " + " | ".join(heads) + " |\n|---|" + "---|" * len(heads))
    for agent in agents:
        mine = [o for o in outcomes if o.agent == agent]
        cells = [cell([o for o in mine if o.opponent == b], "utility") for b in BUILT_INS]
        rate = sum(o.agreed for o in mine) / len(mine)
        utility = sum(o.utility for o in mine) / len(mine)
        score = sum(o.score for o in mine) / len(mine)
        print(f"| `{agent}` | {' | '.join(cells)} | {rate:.0%} | {utility:.3f} | {score:.3f} |")
    print("\n| agent | " + " | ".join(domains) + " |\n|---|" + "---|" * len(domains))
    for agent in agents[: len(AGENTS)]:
        cells = [cell([o for o in outcomes if (o.agent, o.domain) == (agent, d)], "score")
                 for d in domains]  # fmt: skip
        print(f"| `{agent}` | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
