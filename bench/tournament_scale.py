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
scenario building excluded) and the rate is negotiations / that time. Each Parley process then
plays the same tournament again (the "again" lines): what a second tournament on the same
workers (the same forkserver, the same Ray) costs.
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
    """One Parley tournament in this process, then the same again (through ``--measure``)."""
    from parley.tournament import make_grid

    grid = make_grid(
        "bench", {"scenarios": scenarios, "strategies": STRATEGIES, "seeds": [0], "rounds": 100}
    )
    ray_start = None
    if backend == "ray":  # a cluster is started once and used for many tournaments
        from parley.parallel.ray_tasks import connect

        start = time.perf_counter()
        connect("local", workers)
        ray_start = time.perf_counter() - start
    first, again = (play_once(grid, workers, backend) for _ in range(2))
    return {**first, "again": again, "ray_start": ray_start}


def play_once(grid: Any, workers: int, backend: str) -> dict[str, Any]:
    from parley.tournament import Tournament

    with tempfile.TemporaryDirectory() as folder:
        plan = Tournament(grid, Path(folder) / "r.parquet")
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
    load_start = os.getloadavg()[0]  # the machine may be shared: say how busy it was
    jsons, tomls = write_domains()
    results: dict[str, dict[str, Any]] = {}
    again: dict[str, dict[str, Any]] = {}
    ray_starts: list[float] = []
    for name, (workers, backend) in PARLEY.items():
        runs = [run_parley(workers, backend, tomls) for _ in range(args.repeat)]
        results[name] = median_of(runs)
        again[f"{name}, again"] = median_of([r["again"] for r in runs])
        ray_starts += [r["ray_start"] for r in runs if r["ray_start"] is not None]
        print(name, f"{results[name]['rate']:.1f}/s", flush=True)
    results.update(again)
    for name, njobs in NEGMAS.items():
        results[name] = median_of([run_negmas(njobs, jsons) for _ in range(args.repeat)])
        print(name, f"{results[name]['rate']:.1f}/s", flush=True)
    load = f"{load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    ray_start = statistics.median(ray_starts)
    body = table(results) + "\n\n" + ray_against_processes(results, ray_start)
    print(body)
    if not args.no_docs:
        seconds = time.perf_counter() - started
        write_section("tournament-scale", section(body, args.repeat, seconds, load))


def ray_against_processes(results: dict[str, dict[str, Any]], ray_start: float) -> str:
    """Issue 12's target, in one sentence: Ray against local processes, same worker count."""
    ray, local = "Parley, Ray, 2", "Parley, 2 workers"
    first = results[ray]["rate"] / results[local]["rate"]
    again = results[f"{ray}, again"]["rate"] / results[f"{local}, again"]["rate"]
    return (
        f"Ray with 2 workers against 2 local processes: {first:.2f}x the rate on a first "
        f"tournament, {again:.2f}x on the next one; Ray's own start-up (`ray.init`, outside "
        f"these times) took {ray_start:.1f} s (median)."
    )


def section(body: str, repeat: int, seconds: float, load: str) -> str:
    import ray

    from parley.parallel.runner import batch_size

    count = len(STRATEGIES) ** 2 * DOMAINS * 2
    batch = batch_size(count, int(PARLEY["Parley, Ray, 2"][0]), remote=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    versions = (
        f"Python {platform.python_version()}, Parley {importlib.metadata.version('parley')}, "
        f"Ray {ray.__version__}, NegMAS {NEGMAS_VERSION} (bench/.venv-negmas); "
        f"{os.cpu_count()} cores, load average {load}"
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
        "call. Local worker processes start inside it (forked from a forkserver that the first "
        "call starts; each imports the tournament code). Ray's start-up does not: `ray.init` "
        "comes first and starts Ray's own worker processes, which the tournament's batches "
        "then use. On Ray the negotiations go in batches "
        f"(issue 12): here {-(-count // batch)} remote calls of {batch} negotiations, where "
        f"there used to be {count}. "
        "The *again* lines play the same tournament a second time in the same process: a "
        "new set of forked workers locally, the same warm Ray workers on Ray.\n\n"
        f"{body}\n\n"
        "For reference, PEERS.md measured NegMAS on this workload at 27.6 negotiations/s serial "
        "and 51.8 on 2 processes on a quiet 2-core machine; compare only lines of one run."
    )


if __name__ == "__main__":
    main()
