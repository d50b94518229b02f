"""Tournament throughput: Parley on 1 and 2 local workers and on Ray with 2 workers, next to
NegMAS's ``cartesian_tournament`` (serial and 2 processes) on the same grid.

    python bench/tournament_scale.py            # writes section "tournament-scale" of
                                                # docs/benchmarks.md
    python bench/tournament_scale.py --no-docs  # prints the table only
    python bench/tournament_scale.py --repeat 3 # median of 3 runs per configuration

The grid is PEERS.md's NegMAS workload: 8 random domains of 3 issues x 10 values (two
normalized linear-additive profiles, reservation 0, ``domains.make_domain`` seeds 2026..2033),
4 negotiator types (Parley: boulware, linear, conceder, tit-for-tat; NegMAS: BoulwareTB,
LinearTB, ConcederTB, NaiveTitForTat), every ordered pair with self-play, each domain with its
profiles in both seats (NegMAS ``rotate_ufuns``; Parley: a second scenario file with the
profiles swapped), 100 rounds / steps: 256 negotiations. Each configuration runs in a fresh
process; the time is the tournament call itself (worker start-up included, imports and
scenario building excluded) and the rate is negotiations / that time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from domains import make_domain, scenario_document
from negmas_env import NEGMAS_VERSION, ensure
from sections import write_section

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work" / "tournament"
DOMAINS = 8
SEEDS = range(2026, 2026 + DOMAINS)
STRATEGIES = ["boulware", "linear", "conceder", "tit-for-tat"]
PARLEY = {
    "Parley, 1 worker": ("1", ""),
    "Parley, 2 workers": ("2", ""),
    "Parley, Ray, 2": ("2", "ray"),
}
NEGMAS = {"NegMAS, serial": -1, "NegMAS, 2 processes": 2}


def write_domains() -> tuple[list[Path], list[Path]]:
    """The domains as JSON (for NegMAS) and as Parley scenario files, both seat orders."""
    from parley.scenario import save
    from parley.scenario.schema import ScenarioDoc

    WORK.mkdir(parents=True, exist_ok=True)
    jsons, tomls = [], []
    for seed in SEEDS:
        domain = make_domain(3, seed=seed)
        path = WORK / f"{domain['name']}.json"
        path.write_text(json.dumps(domain), encoding="utf-8")
        jsons.append(path)
        rotated = {**domain, "name": domain["name"] + "-rotated", "ufuns": domain["ufuns"][::-1]}
        for version in (domain, rotated):
            toml = WORK / f"{version['name']}.toml"
            save(ScenarioDoc.model_validate(scenario_document(version, rounds=100)), toml)
            tomls.append(toml)
    return jsons, tomls


def measure_parley(workers: int, backend: str, scenarios: list[str]) -> dict[str, Any]:
    """One Parley tournament in this process (called through ``--measure``)."""
    from parley.tournament import Tournament, make_grid

    grid = make_grid(
        "bench", {"scenarios": scenarios, "strategies": STRATEGIES, "seeds": [0], "rounds": 100}
    )
    with tempfile.TemporaryDirectory() as folder:
        plan = Tournament(grid, Path(folder) / "r.parquet")
        if backend == "ray":  # a cluster is started once and used for many tournaments
            from parley.parallel.ray_actors import connect

            connect("local", workers)
        start = time.perf_counter()
        rows = plan.play(workers=workers, ray="local" if backend == "ray" else None)
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "count": len(rows),
        "rate": len(rows) / seconds,
        "agreed": sum(bool(r["agreed"]) for r in rows),
        "failed": sum(r["failure"] is not None for r in rows),
    }


def _result(out: str) -> dict[str, Any]:
    line = next(x for x in reversed(out.splitlines()) if x.startswith("RESULT "))
    data: dict[str, Any] = json.loads(line[len("RESULT ") :])
    return data


def run_parley(workers: str, backend: str, tomls: list[Path]) -> dict[str, Any]:
    argv = [sys.executable, __file__, "--measure", workers, backend or "local", *map(str, tomls)]
    out = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=HERE)
    return _result(out.stdout)


def run_negmas(njobs: int, jsons: list[Path]) -> dict[str, Any]:
    python = ensure(quiet=True)
    argv = [str(python), str(HERE / "negmas_tournament_worker.py"), "--njobs", str(njobs)]
    out = subprocess.run(
        [*argv, *map(str, jsons)], capture_output=True, text=True, check=True, cwd=HERE
    )
    return _result(out.stdout)


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    rates = [r["rate"] for r in runs]
    best = sorted(runs, key=lambda r: r["rate"])[len(runs) // 2]
    return {**best, "rate": statistics.median(rates), "low": min(rates), "high": max(rates)}


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| configuration | negotiations | seconds | negotiations/s | agreements | failures |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        spread = f" [{r['low']:.1f}..{r['high']:.1f}]" if r["low"] != r["high"] else ""
        lines.append(
            f"| {name} | {r['count']} | {r['seconds']:.2f} | {r['rate']:.1f}{spread} | "
            f"{r['agreed']} | {r.get('failed', 0)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration (median)")
    parser.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        workers, backend, *scenarios = args.measure
        print("RESULT " + json.dumps(measure_parley(int(workers), backend, scenarios)))
        return
    started = time.perf_counter()
    jsons, tomls = write_domains()
    results: dict[str, dict[str, Any]] = {}
    for name, (workers, backend) in PARLEY.items():
        results[name] = median_of([run_parley(workers, backend, tomls) for _ in range(args.repeat)])
        print(name, f"{results[name]['rate']:.1f}/s", flush=True)
    for name, njobs in NEGMAS.items():
        results[name] = median_of([run_negmas(njobs, jsons) for _ in range(args.repeat)])
        print(name, f"{results[name]['rate']:.1f}/s", flush=True)
    body = table(results)
    print(body)
    if not args.no_docs:
        write_section("tournament-scale", section(body, args.repeat, time.perf_counter() - started))


def section(body: str, repeat: int, seconds: float) -> str:
    import ray

    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    versions = (
        f"Python {platform.python_version()}, Parley {importlib.metadata.version('parley')}, "
        f"Ray {ray.__version__}, NegMAS {NEGMAS_VERSION} (bench/.venv-negmas); "
        f"{os.cpu_count()} cores"
    )
    runs = "one run" if repeat == 1 else f"median of {repeat} runs [min..max]"
    return (
        "## Tournament scale (issue 8)\n\n"
        f"Measured {stamp} in {seconds:.0f} s ({runs} per line) with "
        f"`python bench/tournament_scale.py{'' if repeat == 1 else f' --repeat {repeat}'}`; "
        f"{versions}.\n\n"
        "PEERS.md's NegMAS tournament workload: 8 random 3-issue x 10-value domains (seeds "
        "2026-2033), 4 negotiator types, every ordered pair with self-play, both seat orders "
        "of each domain's profiles, 100 rounds: 256 negotiations. Parley plays boulware, "
        "linear, conceder and tit-for-tat through `parley.tournament` (`--workers N`, "
        "`--ray`); NegMAS plays BoulwareTB, LinearTB, ConcederTB and NaiveTitForTat through "
        "`cartesian_tournament` (`njobs=-1` serial, `njobs=2`). Times cover the tournament "
        "call, worker start-up included (Ray's own start-up is not: `ray.init` comes first).\n\n"
        f"{body}\n\n"
        "For reference, PEERS.md measured NegMAS on this workload at 27.6 negotiations/s serial "
        "and 51.8 on 2 processes on a quiet 2-core machine; compare only lines of one run."
    )


if __name__ == "__main__":
    main()
