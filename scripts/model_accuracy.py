"""Opponent-model accuracy on GENIUS domains: the table in docs/agents.md ("Model accuracy").

python scripts/model_accuracy.py --opponent linear
python scripts/model_accuracy.py --opponent boulware --domains anac2011_Laptop --seeds 5

The first party plays ``boa:bidding=time:exponent=0.2,acceptance=ac-next,model=M`` against the
opponent's strategy in direct talks of 100 rounds; after each session its model is measured
against the opponent's true profile (parley.strategies.boa.accuracy). Prints, per domain and
model, the mean Pearson correlation and Pareto frontier distance over the seeds.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from parley.engine.drive import drive
from parley.engine.settings import Settings
from parley.formats import load_folder
from parley.play import start
from parley.strategies.boa.accuracy import session_accuracy

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "genius"
DOMAINS = (
    "anac2011_Laptop,anac2010_ItexvsCypress,anac2011_Grocery,anac2013_Lunch,"
    "anac2012_Barbecue_A,anac2015_KillerRobot"
)
MODELS = "frequency,bayesian,learning,similarity"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the GENIUS domains' folder")
    parser.add_argument("--domains", default=DOMAINS, help="comma-separated domain folders")
    parser.add_argument("--models", default=MODELS, help="comma-separated model names")
    parser.add_argument("--opponent", default="linear", help="the opponent's strategy")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    for domain in args.domains.split(","):
        scenario = load_folder(args.data / domain)
        first, second = (p.name for p in scenario.principals[:2])
        for model in args.models.split(","):
            measured = []
            for seed in range(args.seeds):
                strategies = {
                    first: f"boa:bidding=time:exponent=0.2,acceptance=ac-next,model={model}",
                    second: args.opponent,
                }
                settings = Settings.from_scenario(
                    scenario, protocol="direct", rounds=args.rounds, strategies=strategies
                )
                session, seats = start(scenario, settings, seed)
                drive(session, seats)
                accuracy = session_accuracy(seats, scenario)[first][second]
                measured.append((accuracy.pearson, accuracy.pareto_distance))
            r, distance = np.mean(measured, axis=0)
            print(
                f"{domain:26s} {scenario.space.cardinality:>8,d} {model:11s} "
                f"vs {args.opponent:10s} r {r:6.3f}  distance {distance:.3f}"
            )


if __name__ == "__main__":
    main()
