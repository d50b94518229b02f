"""Profile Parley's hot paths with cProfile and write the top functions as Markdown.

    python bench/profile_parley.py [--quick] [--out FILE]

Three profiles, each in its own process: 1,000 negotiations on 10^3 outcomes, 20 on 10^5
(Boulware vs Boulware, direct protocol, 100 rounds, the benchmark domains), and ``analyze`` on
10^7 outcomes with enumeration forced (as shipped, ``analyze`` takes the exact linear fold
there, which takes milliseconds and has nothing to profile). The ``.prof`` files are kept
next to the Markdown for ``snakeviz``/``pstats``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import subprocess
import sys
import time
from pathlib import Path

from domains import write_domain

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work"
TOP = 14

CASES = {
    # name: (issues, negotiations or 0 for analyze, title)
    "negotiate-1e3": (3, 1000, "1,000 negotiations, 10^3 outcomes (3 issues)"),
    "negotiate-1e5": (5, 20, "20 negotiations, 10^5 outcomes (5 issues)"),
    "analyze-1e7": (7, 0, "analyze, enumerating (LINEAR_FROM raised), 10^7 outcomes (7 issues)"),
}
QUICK = {"negotiate-1e3": 200, "negotiate-1e5": 5, "analyze-1e7": 0}


def profile_case(name: str, domain: Path, count: int, out: Path) -> float:
    """Run one case under cProfile (in this process) and save the stats to ``out``."""
    from parley_worker import enumerate_always, scenario_of

    from parley.analysis import analyze
    from parley.engine import Settings
    from parley.play import run

    scenario = scenario_of(domain)
    names = [p.name for p in scenario.principals]
    settings = Settings.from_scenario(
        scenario, protocol="direct", rounds=100, strategies=dict.fromkeys(names, "boulware")
    )
    if not name.startswith("negotiate"):
        enumerate_always()  # as shipped, 10^7 linear-additive outcomes take the linear fold
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    if name.startswith("negotiate"):
        for seed in range(count):
            run(scenario, settings, seed)
    else:
        analyze(scenario)
    profiler.disable()
    seconds = time.perf_counter() - start
    profiler.dump_stats(out)
    return seconds


def _short(path: str) -> str:
    for marker in ("/src/parley/", "/site-packages/", "/lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def table(prof: Path, sort: str, top: int = TOP) -> str:
    """The top functions of a profile as a Markdown table."""
    stats = pstats.Stats(str(prof), stream=io.StringIO())
    rows = stats.stats.items()  # type: ignore[attr-defined]
    entries = [
        (
            tottime if sort == "tottime" else cumtime,
            calls,
            tottime,
            cumtime,
            f"{_short(path)}:{line}({func})",
        )
        for (path, line, func), (_cc, calls, tottime, cumtime, _callers) in rows
    ]
    entries.sort(reverse=True)
    total = max(e[3] for e in entries)  # the outermost call's cumulative time
    lines = [
        "| function | calls | own time | own % | cumulative | cum. % |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for _key, calls, tottime, cumtime, where in entries[:top]:
        lines.append(
            f"| `{where}` | {calls:,} | {tottime:.3f} s | {100 * tottime / total:.0f}% | "
            f"{cumtime:.3f} s | {100 * cumtime / total:.0f}% |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=WORK / "profiles.md")
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = WORK / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    if args.case:  # child process: one profile
        issues, count, _title = CASES[args.case]
        count = QUICK[args.case] if args.quick else count
        domain = write_domain(WORK / "domains", issues)
        seconds = profile_case(args.case, domain, count, folder / f"{args.case}.prof")
        print(f"{seconds:.3f}")
        return
    parts = [
        "Profiles: cProfile, one fresh process per case; times include cProfile's overhead "
        "(about 1.5-2x on call-heavy Python code).\n"
    ]
    for name, (_issues, count, title) in CASES.items():
        command = [sys.executable, str(Path(__file__)), "--case", name]
        if args.quick:
            command.append("--quick")
            count = QUICK[name]
            title = title.replace("1,000", str(count)).replace("20 ", f"{count} ")
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        seconds = float(done.stdout.strip().splitlines()[-1])
        prof = folder / f"{name}.prof"
        parts.append(f"#### {title}: {seconds:.2f} s under the profiler\n")
        parts.append("By own time:\n\n" + table(prof, "tottime") + "\n")
        parts.append("By cumulative time:\n\n" + table(prof, "cumtime") + "\n")
        print(f"profiled {name}: {seconds:.2f} s", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(parts), encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
