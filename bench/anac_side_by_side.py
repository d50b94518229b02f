"""The ANAC agents side by side: Parley's implementations (``parley.strategies.anac``) and
NegMAS's re-implementations (``negmas-genius-agents``) on the same domains (issue 18, item 5).

    python bench/anac_side_by_side.py            # writes section "anac-negmas" of
                                                 # docs/benchmarks.md
    python bench/anac_side_by_side.py --no-docs  # prints the tables only
    python bench/anac_side_by_side.py --quick    # 3 domains, to try the machinery

Both tools play an ANAC-style tournament: every ordered pair of distinct agents (each pair in
both seats) on every domain, 100 rounds (Parley) / 100 steps (NegMAS's ``SAOMechanism``), one
seed. Parley plays through ``parley.tournament`` (style ``anac``, one worker); NegMAS in its
own environment (``negmas_env.py agents``) through ``negmas_anac_worker.py``, one process, on
utility tables Parley exported, so the numbers negotiated over are the same. Every score is
computed here, by Parley's own rules (``parley.tournament.scores``), from each tool's
agreements and end times: discounted individual utility, agreement rate, and the Spearman
correlation between the two rankings (by mean discounted utility).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import itertools
import json
import math
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from negmas_env import AGENTS_VERSION, NEGMAS_VERSION, ensure_agents
from sections import write_section

from parley.analysis import Analysis
from parley.scenario import Scenario

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work" / "anac"
STEPS = 100
SHARED = HERE.parent.parent / "shared" / "data"  # ../shared/data beside the checkout
GENIUS = SHARED / "genius"
GENIUSWEB = SHARED / "geniusweb"
DOMAINS = [
    GENIUS / "anac2011_Laptop",
    GENIUS / "anac2012_FlightBooking_A",
    GENIUS / "anac2012_RentalHouse_A",
    GENIUS / "anac2010_ItexvsCypress",
    GENIUS / "anac2013_DogChoosing",
    GENIUS / "anac2011_Grocery",
    GENIUSWEB / "anl2023_domain09",
    GENIUSWEB / "anl2023_domain15",
]
"""Six GENIUS scenarios (27 to 1,600 outcomes; discount factors 0.42 to 1; reservations 0 and
0.5) and two ANL 2023 ones (432 and 512 outcomes, no discount)."""
AGENTS = {
    "agent-k": "AgentK",
    "hardheaded": "HardHeaded",
    "gahboninho": "Gahboninho",
    "cuhk-agent": "CUHKAgent",
    "agent-lg": "AgentLG",
    "the-fawkes": "TheFawkes",
    "atlas3": "Atlas3",
    "caduceus": "Caduceus",
    "ponpoko": "PonPokoAgent",
    "agent-gg": "AgentGG",
}
"""Parley's name -> the class in ``negmas_genius_agents``."""


# -- pure functions (tested in tests/test_bench_anac.py) --------------------------------------


def ranks(values: Sequence[float]) -> list[float]:
    """Rank 1 for the largest value; tied values share the mean of their ranks."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    out = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            out[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return out


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation: Pearson's correlation of the (tie-averaged) ranks; None
    when there are fewer than two values or one side's ranks do not vary."""
    if len(xs) != len(ys):
        raise ValueError("spearman: the two rankings must have the same length")
    if len(xs) < 2:
        return None
    rx, ry = np.array(ranks(xs)), np.array(ranks(ys))
    dx, dy = rx - rx.mean(), ry - ry.mean()
    spread = math.sqrt(float((dx * dx).sum() * (dy * dy).sum()))
    return None if spread == 0 else float((dx * dy).sum()) / spread


def score_table(
    rows: Sequence[Mapping[str, Any]], domains: Sequence[str], agents: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Per domain and agent, the sum of the agent's discounted utilities and the number of
    negotiations it played there (failures left out, as in the ANAC ranking)."""
    total = np.zeros((len(domains), len(agents)))
    count = np.zeros((len(domains), len(agents)))
    where_d = {d: i for i, d in enumerate(domains)}
    where_a = {a: j for j, a in enumerate(agents)}
    for row in rows:
        if row["failure"] is not None:
            continue
        for seat, agent in enumerate(row["strategies"]):
            i, j = where_d[row["domain"]], where_a[agent]
            total[i, j] += row["discounted"][seat]
            count[i, j] += 1
    return total, count


def domain_bootstrap(
    ours: tuple[np.ndarray, np.ndarray],
    theirs: tuple[np.ndarray, np.ndarray],
    *,
    draws: int = 2000,
    seed: int = 0,
) -> tuple[float, float] | None:
    """The central 95% of Spearman's rho when the domains are drawn again with replacement
    (``score_table`` of each tool): how much the correlation owes to the choice of domains.
    None when no draw gives a defined correlation."""
    rng = np.random.default_rng(seed)
    domains = ours[0].shape[0]
    rhos = []
    for _ in range(draws):
        weight = np.bincount(rng.integers(0, domains, domains), minlength=domains)
        xs = (weight @ ours[0]) / np.maximum(weight @ ours[1], 1)
        ys = (weight @ theirs[0]) / np.maximum(weight @ theirs[1], 1)
        rho = spearman(xs.tolist(), ys.tolist())
        if rho is not None:
            rhos.append(rho)
    if not rhos:
        return None
    low, high = np.quantile(rhos, [0.025, 0.975])
    return float(low), float(high)


def outcome_table(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the NegMAS worker reads it: option labels per issue and, per principal,
    its utility of every outcome in ``itertools.product`` order, and its reservation."""
    space = scenario.space
    rows = np.array(list(itertools.product(*(range(i.size) for i in space.issues))))
    sides = []
    for party in scenario.principals:
        prefs = party.preferences
        assert prefs is not None
        sides.append(
            {"utilities": prefs.utilities(rows).tolist(), "reservation": prefs.reservation}
        )
    issues = [
        {"name": issue.name, "values": [issue.describe(k) for k in range(issue.size)]}
        for issue in space.issues
    ]
    return {"name": scenario.name, "issues": issues, "sides": sides}


def negmas_row(
    record: Mapping[str, Any],
    scenario: Scenario,
    analysis: Analysis | None,
    names: Mapping[str, str],
) -> dict[str, Any]:
    """A NegMAS negotiation as a Parley result row (the columns the ANAC ranking reads),
    scored by Parley's rules from its agreement and its relative end time."""
    from parley.tournament import anac_scores

    strategies = [names[a] for a in record["agents"]]
    row: dict[str, Any] = {
        "domain": record["domain"],
        "strategies": strategies,
        "failure": record["failure"],
    }
    if record["failure"] is not None:
        return row | {"agreed": None, "discounted": None, "welfare": None, "nash_distance": None}
    profiles = [p.preferences for p in scenario.principals]
    agreement = record["agreement"]
    if agreement is None:
        utilities = [0.0 if p is None else p.reservation for p in profiles]
    else:
        utilities = [0.0 if p is None else p.utility(tuple(agreement)) for p in profiles]
    scores = anac_scores(utilities, float(record["time"]), profiles, analysis)
    return row | {
        "agreed": agreement is not None,
        "utilities": utilities,
        "discounted": list(scores.discounted),
        "welfare": scores.welfare,
        "nash_distance": scores.nash_distance,
    }


# -- the runs ---------------------------------------------------------------------------------


def agents_here() -> tuple[dict[str, str], list[str]]:
    """The agents Parley registers (and NegMAS has), and the names still missing in Parley."""
    from parley.strategies import NEGOTIATORS

    found = {p: n for p, n in AGENTS.items() if p in NEGOTIATORS}
    return found, [p for p in AGENTS if p not in NEGOTIATORS]


def run_parley(
    domains: list[str], agents: list[str], out: Path
) -> tuple[list[dict[str, Any]], float]:
    from parley.tournament import Tournament, make_grid

    grid = make_grid(
        "bench",
        {
            "scenarios": domains,
            "strategies": agents,
            "style": "anac",
            "seeds": [0],
            "rounds": STEPS,
        },
    )
    plan = Tournament(grid, out)
    start = time.perf_counter()
    rows = plan.play(workers=1)
    return rows, time.perf_counter() - start


def run_negmas(tables: list[Path], classes: list[str], out: Path) -> dict[str, Any]:
    python = ensure_agents(quiet=True)
    argv = [
        str(python),
        str(HERE / "negmas_anac_worker.py"),
        "--agents",
        ",".join(classes),
        "--steps",
        str(STEPS),
        "--out",
        str(out),
        *map(str, tables),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=HERE)
    line = next(x for x in reversed(done.stdout.splitlines()) if x.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line[len("RESULT ") :])
    return result


# -- the report -------------------------------------------------------------------------------


def comparison(
    parley_rows: list[dict[str, Any]], negmas_rows: list[dict[str, Any]], agents: list[str]
) -> tuple[str, float | None]:
    """The per-agent table (Markdown) and the rank correlation of the two rankings."""
    from parley.tournament import anac_ranking

    ours = {line.name: line for line in anac_ranking(parley_rows)}
    theirs = {line.name: line for line in anac_ranking(negmas_rows)}
    xs = [ours[a].score or 0.0 for a in agents]
    ys = [theirs[a].score or 0.0 for a in agents]
    rank_x, rank_y = ranks(xs), ranks(ys)
    lines = [
        "| agent | NegMAS class | Parley: utility | agreed | rank | NegMAS: utility | agreed "
        "| rank | NegMAS failures |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    order = sorted(range(len(agents)), key=lambda i: rank_x[i])
    for i in order:
        a, b = ours[agents[i]], theirs[agents[i]]
        lines.append(
            f"| {agents[i]} | {AGENTS[agents[i]]} | {_f(a.score)} | {_pct(a.agreement_rate)} "
            f"| {rank_x[i]:g} | {_f(b.score)} | {_pct(b.agreement_rate)} | {rank_y[i]:g} "
            f"| {b.failures} |"
        )
    return "\n".join(lines), spearman(xs, ys)


def ranking_table(rows: list[dict[str, Any]]) -> str:
    """The ANAC ranking as Markdown; the models' mean Pearson correlation when some agent
    exposes its opponent models."""
    from parley.tournament import anac_ranking

    ranking = anac_ranking(rows)
    models = any(line.model_pearson for line in ranking)
    head = "| # | agent | negotiations | individual utility | social welfare | Nash distance "
    head += "| agreement rate | " + ("opponent model r | " if models else "") + "failures |"
    lines = [head, "|---" * (8 + models) + "|"]
    for rank, line in enumerate(ranking, start=1):
        model = f" {_f(line.mean_model_pearson)} |" if models else ""
        lines.append(
            f"| {rank} | {line.name} | {line.negotiations} | {_f(line.score)} "
            f"| {_f(line.mean_welfare)} | {_f(line.mean_nash_distance)} "
            f"| {_pct(line.agreement_rate)} |{model} {line.failures} |"
        )
    return "\n".join(lines)


def undiscounted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with each side's undiscounted utility in place of its ANAC score."""
    return [r | {"discounted": r.get("utilities")} for r in rows]


def _signed(value: float | None) -> str:
    return "undefined" if value is None else f"{value:+.2f}"


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


@dataclass
class Measured:
    """One run of both tools: what was played and what it took."""

    agents: list[str]
    missing: list[str]
    scenarios: list[Scenario]
    parley_rows: list[dict[str, Any]]
    negmas_rows: list[dict[str, Any]]
    parley_seconds: float
    negmas: dict[str, Any]
    """The NegMAS worker's result: seconds, count, versions."""
    load: tuple[tuple[float, ...], tuple[float, ...]]
    """Load averages at the start and at the end."""
    seconds: float
    quick: bool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--quick", action="store_true", help="3 domains only")
    args = parser.parse_args()
    body = report(measure(args.quick))
    print(body)
    if not args.no_docs:
        write_section("anac-negmas", body)


def measure(quick: bool) -> Measured:
    from parley.analysis import analyze
    from parley.scenario import load

    started = time.perf_counter()
    load_start = os.getloadavg()
    found, missing = agents_here()
    agents = list(found)
    if len(agents) < 2:
        raise SystemExit(f"fewer than two ANAC agents registered in Parley (missing: {missing})")
    folders = DOMAINS[:3] if quick else DOMAINS
    scenarios = {str(f): load(str(f)) for f in folders}
    WORK.mkdir(parents=True, exist_ok=True)
    tables = []
    for scenario in scenarios.values():
        path = WORK / f"{scenario.name}.json"
        path.write_text(json.dumps(outcome_table(scenario)), encoding="utf-8")
        tables.append(path)
    with tempfile.TemporaryDirectory() as folder:
        parley_rows, parley_seconds = run_parley(list(scenarios), agents, Path(folder) / "r.pq")
    print(f"Parley: {len(parley_rows)} negotiations in {parley_seconds:.1f} s", flush=True)
    for row in parley_rows:
        row["domain"] = scenarios[row["scenario"]].name
    records_path = WORK / "negmas-records.json"
    negmas = run_negmas(tables, [found[a] for a in agents], records_path)
    print(f"NegMAS: {negmas['count']} negotiations in {negmas['seconds']:.1f} s", flush=True)
    by_name = {s.name: (s, analyze(s)) for s in scenarios.values()}
    names = {cls: parley for parley, cls in found.items()}
    records = json.loads(records_path.read_text(encoding="utf-8"))
    negmas_rows = [negmas_row(r, *by_name[r["domain"]], names) for r in records]
    return Measured(
        agents=agents,
        missing=missing,
        scenarios=list(scenarios.values()),
        parley_rows=parley_rows,
        negmas_rows=negmas_rows,
        parley_seconds=parley_seconds,
        negmas=negmas,
        load=(load_start, os.getloadavg()),
        seconds=time.perf_counter() - started,
        quick=quick,
    )


def report(m: Measured) -> str:
    agents, scenarios, parley_rows, negmas_rows = (
        m.agents,
        m.scenarios,
        m.parley_rows,
        m.negmas_rows,
    )
    table, rho = comparison(parley_rows, negmas_rows, agents)
    domains = [s.name for s in scenarios]
    interval = domain_bootstrap(
        score_table(parley_rows, domains, agents), score_table(negmas_rows, domains, agents)
    )
    rates = (len(parley_rows) / m.parley_seconds, m.negmas["count"] / m.negmas["seconds"])
    missing, negmas, load, seconds, quick = m.missing, m.negmas, m.load, m.seconds, m.quick
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    versions = negmas["versions"]
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores (shared), Python "
        f"{platform.python_version()}, Parley {importlib.metadata.version('parley')}, NegMAS "
        f"{versions['negmas']} with negmas-genius-agents {versions['negmas-genius-agents']} "
        f"(pinned {NEGMAS_VERSION} / {AGENTS_VERSION} in bench/.venv-negmas-agents)"
    )
    busy = (
        f"load average (1, 5, 15 min) {', '.join(f'{x:.2f}' for x in load[0])} at the start, "
        f"{', '.join(f'{x:.2f}' for x in load[1])} at the end"
    )
    listed = ", ".join(f"{s.name} ({s.space.cardinality:,})" for s in scenarios)
    left = f" Not yet in Parley, so left out: {', '.join(missing)}." if missing else ""
    failures = sum(r["failure"] is not None for r in parley_rows)
    negmas_failures = sum(r["failure"] is not None for r in negmas_rows)
    _, plain = comparison(undiscounted(parley_rows), undiscounted(negmas_rows), agents)
    said = "undefined (a ranking without spread)" if rho is None else f"{rho:+.2f}"
    if interval is not None:
        said += (
            f" (95% of the values when the {len(scenarios)} domains are drawn again with "
            f"replacement, 2,000 draws: {interval[0]:+.2f} to {interval[1]:+.2f})"
        )
    command = "python bench/anac_side_by_side.py" + (" --quick" if quick else "")
    return (
        "## ANAC agents: Parley and NegMAS side by side (issue 18)\n\n"
        f"Measured {stamp} in {seconds:.0f} s with `{command}`; {machine}; {busy}.\n\n"
        f"Agents ({len(agents)}): {', '.join(agents)}.{left} Domains ({len(scenarios)}, "
        f"outcomes in brackets): {listed}. Every ordered pair of distinct agents on every "
        f"domain (each pair in both seats), {STEPS} rounds (Parley, direct talks) / {STEPS} "
        "steps (NegMAS `SAOMechanism`), seed 0: "
        f"{len(parley_rows)} negotiations per tool. Parley ran through `parley.tournament` "
        "(style anac, 1 worker); NegMAS's re-implementations ran in their own environment "
        "(`python bench/negmas_env.py agents`) through `bench/negmas_anac_worker.py`, one "
        "process, on utility tables Parley exported (the same numbers; the discount factors "
        "are applied afterwards, identically for both). Both tools' agreements are scored "
        "here by Parley's rules: *utility* is the mean discounted individual utility (ANAC's "
        "score; the reservation value without a deal), discounted to each tool's own end "
        "time.\n\n"
        f"{table}\n\n"
        f"Spearman rank correlation between the two rankings: **{said}**; ranked by "
        f"undiscounted utility instead: {_signed(plain)}. "
        f"Negotiations per second (one process each): Parley {rates[0]:.1f} (the tournament "
        f"call: worker start-up, the negotiations, and each row's scores and opponent-model "
        f"accuracy; {failures} failed), NegMAS {rates[1]:.1f} (mechanism set-up and run; "
        f"{negmas_failures} failed). The machine is shared: the load averages above say how "
        "busy it was, and only rates of one run compare.\n\n"
        "Parley's ANAC ranking on these domains (mean over every seat an agent held; social "
        "welfare = the sum of both discounted utilities; Nash distance in the undiscounted "
        "utility space):\n\n"
        f"{ranking_table(parley_rows)}"
    )


if __name__ == "__main__":
    main()
