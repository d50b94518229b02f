"""Parley side by side with NegMAS on the same seeded domains, in one run.

    python bench/run_benchmarks.py                 # full run, writes docs/benchmarks.md
    python bench/run_benchmarks.py --quick         # small sizes, a few minutes (smoke test)
    python bench/run_benchmarks.py --only pareto --only negotiation

Groups: ``pareto`` (frontier, Nash and Kalai on 10^4..10^7 outcomes: Parley's frontier alone
by enumeration, ``analyze`` with enumeration forced, and ``analyze`` as shipped, which
dispatches to the exact linear fold above 2^20 outcomes; plus ``analyze`` on the tree before
the analysis prefilter, for the before/after figures), ``linear`` (``analyze`` as shipped, that
is the exact linear fold, on 10^8..10^12), ``negotiation`` (Boulware vs Boulware, 100 steps, 1 and 2
processes), ``cli`` (whole-command latency and start-up), ``profile`` (cProfile of the hot
paths). Every measurement is a fresh process (``parley_worker.py`` with this python,
``negmas_worker.py`` with the NegMAS environment's python, created by ``negmas_env.py``);
figures are medians of k runs with [min..max]; peak RSS is the largest of the runs' process
peaks (``wait4``; for a process pool, the largest process of the tree).

Run it with Parley's environment: ``. /work/venv/bin/activate`` (or any environment where
Parley is installed). Only one benchmark should run at a time on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import io
import json
import os
import platform
import pstats
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import negmas_env
from domains import OPTIONS, SEED, write_domain
from rich.console import Console
from rich.table import Table
from sections import kept_sections

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
WORK = BENCH / ".work"
DOC = ROOT / "docs" / "benchmarks.md"
PYTHON = sys.executable
PARLEY = str(Path(sys.executable).parent / "parley")
GROUPS = ("pareto", "linear", "negotiation", "cli", "profile")
BEFORE = "c8c5d8a"
"""Parley's tree before the analysis prefilter (commit 9a1c069): what the previous run measured."""

console = Console(stderr=True)


@dataclass(frozen=True)
class NegotiationCase:
    issues: int
    negmas_count: int  # negotiations per NegMAS measurement
    parley_count: int  # per Parley measurement
    cold_count: int  # per Parley measurement with the ranking cache cleared each time


@dataclass(frozen=True)
class Plan:
    name: str
    pareto_issues: tuple[int, ...]
    reps: int
    negmas_reps: dict[int, int]  # fewer NegMAS runs on the largest spaces
    linear_issues: tuple[int, ...]
    check_issues: int | None  # analyze, enumerating, on this many issues, to check the fold
    before_issues: tuple[int, ...]  # analyze on the BEFORE tree too (before/after figures)
    before_reps: int
    negotiations: tuple[NegotiationCase, ...]
    negotiation_reps: int
    negmas_negotiation_reps: dict[int, int]
    cli_runs: int


FULL = Plan(
    name="full",
    pareto_issues=(4, 5, 6, 7),
    reps=5,
    negmas_reps={6: 3, 7: 3},
    linear_issues=(8, 10, 12),
    check_issues=8,
    before_issues=(4, 5, 6, 7),
    before_reps=3,
    negotiations=(NegotiationCase(3, 100, 1000, 300), NegotiationCase(5, 8, 300, 30)),
    negotiation_reps=5,
    negmas_negotiation_reps={5: 3},
    cli_runs=15,
)
QUICK = Plan(
    name="quick",
    pareto_issues=(4, 5),
    reps=2,
    negmas_reps={},
    linear_issues=(8, 12),
    check_issues=None,
    before_issues=(4, 5),
    before_reps=2,
    negotiations=(NegotiationCase(3, 20, 200, 50), NegotiationCase(5, 2, 30, 5)),
    negotiation_reps=2,
    negmas_negotiation_reps={},
    cli_runs=5,
)


# -- measuring --------------------------------------------------------------------------------


@dataclass
class Sample:
    result: dict[str, Any]
    wall: float
    rss_mb: float


def measure(command: Sequence[str], env: dict[str, str] | None = None) -> Sample:
    """Run ``command`` in a fresh process; its ``RESULT`` line, wall time and peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(list(command), stdout=out, stderr=err, cwd=BENCH, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{shlex.join(command)} failed ({process.returncode}):\n{stderr}")
    lines = [line for line in stdout.splitlines() if line.startswith("RESULT ")]
    result: dict[str, Any] = json.loads(lines[-1][len("RESULT ") :]) if lines else {}
    return Sample(result, wall, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def repeat(
    label: str, command: Sequence[str], k: int, env: dict[str, str] | None = None
) -> list[Sample]:
    samples = []
    for i in range(k):
        sample = measure(command, env)
        figure = sample.result.get("rate")
        shown = f"{figure:,.1f}/s" if figure else f"{sample.result.get('seconds', 0):.3f} s"
        console.print(f"  {label} [{i + 1}/{k}]: {shown}, {sample.rss_mb:,.0f} MB", highlight=False)
        samples.append(sample)
    return samples


@dataclass
class Stat:
    values: list[float]

    @property
    def median(self) -> float:
        return float(statistics.median(self.values))

    def show(self, unit: str = "s") -> str:
        low, high = min(self.values), max(self.values)
        if unit == "/s":
            return f"{_num(self.median)}/s [{_num(low)}..{_num(high)}]"
        scale, name, digits = _time_unit(self.median)
        return (
            f"{self.median * scale:.{digits}f} {name} "
            f"[{low * scale:.{digits}f}..{high * scale:.{digits}f}]"
        )


def _num(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}" if x >= 10 else f"{x:,.2f}"


def _time_unit(x: float) -> tuple[float, str, int]:
    """(scale, unit, decimals) to show a duration of about ``x`` seconds."""
    if x < 0.01:
        return 1000.0, "ms", 2
    return (1.0, "s", 3) if x < 10 else (1.0, "s", 1)


def _secs(x: float) -> str:
    scale, name, digits = _time_unit(x)
    return f"{x * scale:.{digits}f} {name}"


def stat(samples: Sequence[Sample], key: str = "seconds") -> Stat:
    return Stat([float(s.result[key]) for s in samples])


def peak(samples: Sequence[Sample]) -> float:
    return max(s.rss_mb for s in samples)


def _mb(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f} MB"


def _ratio(x: float) -> str:
    return f"{x:,.0f}×" if x >= 100 else f"{x:,.1f}×" if x >= 1 else f"{x:.2f}×"


# -- the run ----------------------------------------------------------------------------------


@dataclass
class Row:
    group: str
    workload: str
    size: str
    negmas: str
    parley: str
    ratio: str
    negmas_rss: str
    parley_rss: str
    note: str = ""


@dataclass
class Run:
    plan: Plan
    negmas_python: Path
    rows: list[Row] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)
    info: dict[str, str] = field(default_factory=dict)  # methods reported, mismatches
    notes: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)
    profiles: str = ""
    profile_facts: dict[str, Any] = field(default_factory=dict)

    def domain(self, issues: int) -> str:
        return str(write_domain(WORK / "domains", issues))

    def parley(self, *args: str) -> list[str]:
        return [PYTHON, str(BENCH / "parley_worker.py"), *args]

    def negmas(self, *args: str) -> list[str]:
        return [str(self.negmas_python), str(BENCH / "negmas_worker.py"), *args]


def size_label(issues: int) -> str:
    return f"10^{issues} ({issues}×{OPTIONS})" if OPTIONS == 10 else f"{OPTIONS}^{issues}"


def same_frontier(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> bool:
    """Equal frontiers up to the comparison grid (one side may be grid-rounded)."""
    if len(a) != len(b):
        return False
    pairs = zip(sorted(map(tuple, a)), sorted(map(tuple, b)), strict=True)
    return all(abs(x - y) < 1e-8 for p, q in pairs for x, y in zip(p, q, strict=True))


ANALYSIS_KEYS = (
    "frontier",
    "feasible",
    "zopa_size",
    "nash",
    "kalai",
    "utilitarian",
    "egalitarian",
)


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The ``Analysis`` fields (as the worker reports them) on which two results differ."""
    return [key for key in ANALYSIS_KEYS if a.get(key) != b.get(key)]


def methods(samples: Sequence[Sample]) -> str:
    """The ``Analysis.method`` the runs reported (one, unless they disagree)."""
    return " / ".join(sorted({str(s.result.get("method")) for s in samples}))


def before_tree() -> dict[str, str] | None:
    """PYTHONPATH for Parley's ``src`` at ``BEFORE`` (extracted once), or None without git."""
    folder = WORK / "before" / BEFORE
    if not (folder / "src" / "parley" / "analysis" / "core.py").exists():
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["git", "archive", "--format=tar", BEFORE, "src"],
            capture_output=True,
            cwd=ROOT,
            check=False,
        )
        if done.returncode != 0:
            console.print(f"  [red]git archive {BEFORE} failed; no before/after figures[/]")
            return None
        with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
            tar.extractall(folder, filter="data")
    return os.environ | {"PYTHONPATH": str(folder / "src")}


def run_pareto(run: Run) -> None:
    plan = run.plan
    for n in plan.pareto_issues:
        path = run.domain(n)
        label = size_label(n)
        console.print(f"[bold]pareto {label}[/]")
        k_negmas = plan.negmas_reps.get(n, plan.reps)
        neg = repeat("NegMAS pareto_frontier+nash+kalai", run.negmas("pareto", path), k_negmas)
        front = repeat(
            "Parley frontier (chunks + pareto_mask)", run.parley("frontier", path), plan.reps
        )
        enum = repeat(
            "Parley analyze, enumerating",
            run.parley("analyze", path, "--enumerate"),
            plan.reps,
        )
        shipped = repeat("Parley analyze (as shipped)", run.parley("analyze", path), plan.reps)
        console.print("  Parley linear fold, one run (check only)")
        fold = measure(run.parley("linear", path))
        run.raw[f"pareto-{n}"] = {
            "negmas": [s.result | {"rss_mb": s.rss_mb} for s in neg],
            "parley_frontier": [s.result | {"rss_mb": s.rss_mb} for s in front],
            "parley_analyze_enumerating": [s.result | {"rss_mb": s.rss_mb} for s in enum],
            "parley_analyze_shipped": [s.result | {"rss_mb": s.rss_mb} for s in shipped],
            "parley_linear_check": fold.result | {"rss_mb": fold.rss_mb},
        }
        nf, nt = stat(neg, "frontier_seconds"), stat(neg)
        pf, pe, ps = stat(front), stat(enum), stat(shipped)
        n0, e0, s0, l0 = neg[0].result, enum[0].result, shipped[0].result, fold.result
        method, enum_method = methods(shipped), methods(enum)
        run.info[f"pareto{n}.method"] = method
        frontiers = (front[0].result["frontier"], e0["frontier"], s0["frontier"], l0["frontier"])
        agree = all(same_frontier(n0["frontier"], other) for other in frontiers)
        check = (
            f"all five frontiers equal ({e0['frontier_size']} points: NegMAS, chunks + "
            "pareto_mask, analyze enumerating, analyze as shipped, linear fold)"
            if agree
            else f"FRONTIERS DIFFER: sizes NegMAS {n0['frontier_size']}, chunks + pareto_mask "
            f"{front[0].result['frontier_size']}, analyze enumerating {e0['frontier_size']}, "
            f"as shipped {s0['frontier_size']}, linear {l0['frontier_size']}"
        )
        nash_same = n0["nash"] is not None and same_frontier([n0["nash"]], [e0["nash"]])
        points = (
            "Nash: NegMAS = analyze = linear fold"
            if nash_same and e0["nash"] == s0["nash"] == l0["nash"]
            else f"Nash: NegMAS {n0['nash']}, analyze enumerating {e0['nash']}, as shipped "
            f"{s0['nash']}, linear {l0['nash']}"
        )
        points += (
            "; Kalai: analyze = linear fold (NegMAS's differs by definition, see notes)"
            if e0["kalai"] == s0["kalai"] == l0["kalai"]
            else "; Kalai: analyze and linear fold DIFFER"
        )
        forced = (
            "method=enumeration (LINEAR_FROM raised in the worker)"
            if enum_method == "enumeration"
            else f"ENUMERATION NOT FORCED: method={enum_method}"
        )
        differ = sorted({key for s in shipped for key in differences(e0, s.result)})
        run.info[f"pareto{n}.same"] = "yes" if not differ else ", ".join(differ)
        same = (
            "same Analysis as enumerating (frontier, feasible, ZOPA, 4 points; every run)"
            if not differ
            else f"DIFFERS from enumerating in {', '.join(differ)}"
        )
        reps = f"k = {k_negmas} NegMAS, {plan.reps} Parley"
        negmas_rss = _mb(peak(neg))
        run.rows += [
            Row(
                "Pareto frontier",
                "frontier only; Parley: chunks + pareto_mask (enumerating)",
                label,
                nf.show(),
                pf.show(),
                _ratio(nf.median / pf.median),
                negmas_rss,
                _mb(peak(front)),
                f"{check}; {reps}",
            ),
            Row(
                "Pareto frontier",
                "frontier + Nash + Kalai; Parley: analyze, enumerating",
                label,
                nt.show(),
                pe.show(),
                _ratio(nt.median / pe.median),
                negmas_rss,
                _mb(peak(enum)),
                f"{forced}; {points}",
            ),
            Row(
                "Pareto frontier",
                f"frontier + Nash + Kalai; Parley: analyze (as shipped: method={method})",
                label,
                nt.show(),
                ps.show(),
                _ratio(nt.median / ps.median),
                negmas_rss,
                _mb(peak(shipped)),
                f"method={method} (reported by analyze); {same}",
            ),
        ]
        if n in plan.before_issues:
            env = before_tree()
            if env is not None:
                old = repeat(
                    f"Parley analyze at {BEFORE} (before the prefilter)",
                    run.parley("analyze", path),
                    plan.before_reps,
                    env=env,
                )
                run.raw[f"before-{n}"] = [s.result | {"rss_mb": s.rss_mb} for s in old]
                run.figures[f"before{n}.seconds"] = stat(old).median
                if all("warm_seconds" in s.result for s in (*old, *enum)):
                    run.figures[f"before{n}.warm"] = stat(old, "warm_seconds").median
                    run.figures[f"pareto{n}.enum_warm"] = stat(enum, "warm_seconds").median
                run.figures[f"before{n}.rss"] = peak(old)
                run.info[f"before{n}.differ"] = ", ".join(differences(old[0].result, e0))
                run.info[f"before{n}.method"] = methods(old)
        f = run.figures
        f[f"pareto{n}.negmas_seconds"] = nf.median
        f[f"pareto{n}.negmas_total"] = nt.median
        f[f"pareto{n}.negmas_rss"] = peak(neg)
        f[f"pareto{n}.frontier_seconds"] = pf.median
        f[f"pareto{n}.frontier_ratio"] = nf.median / pf.median
        f[f"pareto{n}.frontier_rss"] = peak(front)
        for key, value, samples in (("enum", pe, enum), ("shipped", ps, shipped)):
            f[f"pareto{n}.{key}_seconds"] = value.median
            f[f"pareto{n}.{key}_ratio"] = nt.median / value.median
            f[f"pareto{n}.{key}_vs_frontier_ratio"] = nf.median / value.median
            f[f"pareto{n}.{key}_rss"] = peak(samples)
        f[f"pareto{n}.points_seconds"] = float(
            statistics.median(s.result["points_seconds"] for s in neg)
        )
        if n0["nash"] is not None and e0["nash"] is not None:
            gap = max(abs(x - y) for x, y in zip(n0["nash"], e0["nash"], strict=True))
            f[f"pareto{n}.nash_gap"] = gap


def run_linear(run: Run) -> None:
    plan = run.plan
    for n in plan.linear_issues:
        path = run.domain(n)
        label = size_label(n)
        console.print(f"[bold]linear {label}[/]")
        shipped = repeat("Parley analyze (as shipped)", run.parley("analyze", path), plan.reps)
        run.raw[f"linear-{n}"] = [s.result | {"rss_mb": s.rss_mb} for s in shipped]
        result = shipped[0].result
        method = methods(shipped)
        run.info[f"linear{n}.method"] = method
        note = (
            f"method={method} (reported by analyze); {result['frontier_size']:,} frontier "
            f"outcomes, ZOPA {result['zopa_size']:,}; Nash ({result['nash'][0]:.4f}, "
            f"{result['nash'][1]:.4f})"
        )
        if n == plan.check_issues:
            console.print(f"  checking against analyze, enumerating, on {label} (one run)")
            check = measure(run.parley("analyze", path, "--enumerate"))
            run.raw[f"check-{n}"] = check.result | {"rss_mb": check.rss_mb}
            differ = sorted({key for s in shipped for key in differences(check.result, s.result)})
            run.info[f"linear{n}.same"] = "yes" if not differ else ", ".join(differ)
            verdict = (
                "same Analysis as"
                if not differ and check.result["method"] == "enumeration"
                else f"DIFFERENT ({', '.join(differ) or 'method'}) from"
            )
            note += (
                f"; {verdict} analyze, enumerating ({_secs(check.result['seconds'])}, "
                f"{check.rss_mb:,.0f} MB, 1 run)"
            )
            run.figures[f"linear{n}.analyze_seconds"] = float(check.result["seconds"])
            run.figures[f"linear{n}.analyze_rss"] = check.rss_mb
        pl = stat(shipped)
        run.rows.append(
            Row(
                "Exact linear frontier",
                f"frontier + ZOPA + 4 points, no enumeration; Parley: analyze (as shipped: "
                f"method={method})",
                label,
                "not feasible",
                pl.show(),
                "—",
                "—",
                _mb(peak(shipped)),
                note,
            )
        )
        run.figures[f"linear{n}.seconds"] = pl.median
        run.figures[f"linear{n}.rss"] = peak(shipped)


def run_negotiation(run: Run) -> None:
    plan = run.plan
    for case in plan.negotiations:
        n = case.issues
        path = run.domain(n)
        label = size_label(n)
        k_negmas = plan.negmas_negotiation_reps.get(n, plan.negotiation_reps)
        k = plan.negotiation_reps
        for procs in (1, 2):
            console.print(f"[bold]negotiation {label}, {procs} process(es)[/]")
            count = ["--count"]
            neg = repeat(
                f"NegMAS x{case.negmas_count}",
                run.negmas(
                    "negotiate", path, *count, str(case.negmas_count), "--procs", str(procs)
                ),
                k_negmas,
            )
            par = repeat(
                f"Parley x{case.parley_count}",
                run.parley(
                    "negotiate", path, *count, str(case.parley_count), "--procs", str(procs)
                ),
                k,
            )
            nr, pr = stat(neg, "rate"), stat(par, "rate")
            ns, ps = neg[0].result, par[0].result
            run.raw[f"negotiation-{n}-{procs}"] = {
                "negmas": [s.result | {"rss_mb": s.rss_mb} for s in neg],
                "parley": [s.result | {"rss_mb": s.rss_mb} for s in par],
            }
            note = (
                f"mean steps NegMAS {ns['mean_steps']:.1f} / Parley {ps['mean_steps']:.1f}; "
                f"agreement {ns['agreement']:.0%} / {ps['agreement']:.0%}; "
                f"{case.negmas_count} / {case.parley_count} negotiations per run, "
                f"k={k_negmas} / {k}"
            )
            run.rows.append(
                Row(
                    "Negotiations per second",
                    f"Boulware vs Boulware, {procs} process{'es' if procs > 1 else ''}",
                    label,
                    nr.show("/s"),
                    pr.show("/s"),
                    _ratio(pr.median / nr.median),
                    _mb(peak(neg)),
                    _mb(peak(par)),
                    note,
                )
            )
            run.figures[f"neg{n}.p{procs}.ratio"] = pr.median / nr.median
            run.figures[f"neg{n}.p{procs}.parley_rate"] = pr.median
            run.figures[f"neg{n}.p{procs}.negmas_rate"] = nr.median
            run.figures[f"neg{n}.p{procs}.parley_steps"] = float(ps["mean_steps"])
            run.figures[f"neg{n}.p{procs}.negmas_steps"] = float(ns["mean_steps"])
        console.print(f"[bold]negotiation {label}, Parley with its ranking cache cleared[/]")
        cold = repeat(
            f"Parley cold x{case.cold_count}",
            run.parley("negotiate", path, "--count", str(case.cold_count), "--cold"),
            k,
        )
        cr = stat(cold, "rate")
        nr1 = run.figures[f"neg{n}.p1.negmas_rate"]
        run.raw[f"negotiation-{n}-cold"] = [s.result | {"rss_mb": s.rss_mb} for s in cold]
        run.rows.append(
            Row(
                "Negotiations per second",
                "1 process, Parley's ranking cache cleared before each negotiation",
                label,
                _num(nr1) + "/s (above)",
                cr.show("/s"),
                _ratio(cr.median / nr1),
                "—",
                _mb(peak(cold)),
                f"{case.cold_count} negotiations per run, k={k}",
            )
        )
        run.figures[f"neg{n}.cold.ratio"] = cr.median / nr1


def run_cli(run: Run) -> None:
    plan = run.plan
    console.print("[bold]command latency[/]")
    commands = [
        ("parley analyze muscat-2026", [PARLEY, "analyze", "muscat-2026"]),
        ("parley run", [PARLEY, "run"]),
        ("parley --help", [PARLEY, "--help"]),
        ('python -c "import parley.cli.app"', [PYTHON, "-c", "import parley.cli.app"]),
        ('python -c "pass"', [PYTHON, "-c", "pass"]),
    ]
    latency: dict[str, Stat] = {}
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        export = WORK / "hyperfine.json"
        call = [
            hyperfine,
            "-N",
            "--warmup",
            "3",
            "--runs",
            str(plan.cli_runs),
            "--export-json",
            str(export),
        ]
        for name, command in commands:
            call += ["-n", name, shlex.join(command)]
        subprocess.run(call, check=True, capture_output=True, cwd=ROOT)
        run.commands.append(shlex.join(call).replace(str(ROOT) + "/", ""))
        for entry in json.loads(export.read_text())["results"]:
            latency[entry["command"]] = Stat(entry["times"])
        tool = f"hyperfine -N, {plan.cli_runs} runs after 3 warm-ups"
    else:
        for name, command in commands:
            latency[name] = Stat([measure(command).wall for _ in range(plan.cli_runs)])
        tool = f"timed subprocesses, {plan.cli_runs} runs"
    rss = {name: measure(command).rss_mb for name, command in commands}
    own = {
        name: stat(repeat(f"own work: parley {name}", run.parley("cli", name), plan.reps))
        for name in ("analyze", "run")
    }
    start_up = latency['python -c "import parley.cli.app"'].median
    for name, _command in commands:
        note = tool
        if name.startswith("parley analyze") or name == "parley run":
            key = "analyze" if "analyze" in name else "run"
            note += (
                f"; minus start-up (import parley.cli.app) "
                f"{_secs(latency[name].median - start_up)}; "
                f"own work in process {own[key].show()}"
            )
            run.figures[f"cli.{key}.own"] = own[key].median
            run.figures[f"cli.{key}.whole"] = latency[name].median
        run.rows.append(
            Row(
                "Command latency",
                name,
                "Muscat 2026" if "muscat" in name or name == "parley run" else "start-up",
                "—",
                latency[name].show(),
                "—",
                "—",
                _mb(rss[name]),
                note,
            )
        )
    run.figures["cli.startup"] = start_up


def run_profile(run: Run) -> None:
    console.print("[bold]profiles[/]")
    out = WORK / "profiles.md"
    command = [PYTHON, str(BENCH / "profile_parley.py"), "--out", str(out)]
    if run.plan is QUICK:
        command.append("--quick")
    subprocess.run(command, check=True, cwd=BENCH)
    run.profiles = out.read_text(encoding="utf-8")
    run.profile_facts = profile_facts(WORK / "profiles")


def _where(path: str, line: int, func: str) -> str:
    for marker in ("/src/parley/", "/site-packages/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{line}({func})"


def profile_facts(folder: Path) -> dict[str, Any]:
    """Shares read from the profiles: for the 10^3 negotiations, the strategies' ``act``
    (cumulative) against the rest (the kernel: play loop, session, protocol) and the largest
    own time; for analyze at 10^7, the largest own times."""
    facts: dict[str, Any] = {}
    for name in ("negotiate-1e3", "analyze-1e7"):
        prof = folder / f"{name}.prof"
        if not prof.exists():
            continue
        stats = pstats.Stats(str(prof), stream=io.StringIO())
        rows = [
            (path, line, func, tottime, cumtime)
            for (path, line, func), (_cc, _calls, tottime, cumtime, _callers) in stats.stats.items()  # type: ignore[attr-defined]
        ]
        total = max(r[4] for r in rows)
        own = sorted(rows, key=lambda r: r[3], reverse=True)
        facts[name] = {
            "total": total,
            "top_own": [(_where(p, ln, fn), t / total) for p, ln, fn, t, _c in own[:4]],
        }
        if name.startswith("negotiate"):
            act = max(
                (c for p, _ln, fn, _t, c in rows if "strategies/" in p and fn == "act"),
                default=0.0,
            )
            facts[name]["strategies"] = act / total
    return facts


def integration(run: Run) -> str:
    """What ``analyze`` does with linear-additive principals now, with this run's checks."""
    f, info = run.figures, run.info
    seen = []
    for n in (*run.plan.pareto_issues, *run.plan.linear_issues):
        method = info.get(f"pareto{n}.method") or info.get(f"linear{n}.method")
        if method:
            seen.append(f"10^{n}: {method}")
    checks: list[str] = []
    failed: list[str] = []
    compared = [(n, f"pareto{n}") for n in run.plan.pareto_issues]
    if run.plan.check_issues is not None:
        compared.append((run.plan.check_issues, f"linear{run.plan.check_issues}"))
    for n, key in compared:
        same = info.get(f"{key}.same")
        if info.get(f"{key}.method") != "linear frontier" or same is None:
            continue  # enumeration against enumeration, or not compared
        (checks if same == "yes" else failed).append(
            f"10^{n}" if same == "yes" else f"10^{n} ({same})"
        )
    text = [
        "`parley.analysis.analyze` (and so `parley analyze` and the analysis in `parley run`) "
        "now takes the exact linear fold (`parley.analysis.linear_frontier.linear_analysis`) "
        "instead of enumerating when both hold:",
        "",
        "- the space has more than `parley.analysis.core.LINEAR_FROM` = 2^20 = 1,048,576 "
        "outcomes; and",
        "- `why_not_linear(prefs)` is None: exactly two principals, both with preferences of "
        "type `LinearAdditive` (not `CappedAdditive` or `HyperRectangles`), and red lines of one "
        "condition only (forbidden options of one issue, which the fold leaves out).",
        "",
        "`linear_analysis` raises `ParleyError` when the fold cannot answer: the reservation "
        "values cut the feasible outcomes (some, not all, meet both, so the frontier cannot "
        "count the ZOPA), or one fold would exceed `CANDIDATE_LIMIT` = 4,000,000 candidates "
        "(preferences that nearly sum to a constant put most outcomes on the frontier). "
        "`analyze` then falls back to what it did before: enumeration up to "
        "`ENUMERATION_LIMIT` (2×10^8 outcomes), outcome classes beyond.",
        "",
        "Where it answers, it returns enumeration's `Analysis` except `method=\"linear "
        'frontier"` (`tests/test_linear_frontier.py::test_linear_analysis_is_analyze`, '
        "`tests/test_analysis_classes.py::test_linear_fold_dispatch_equals_enumeration`); "
        "`pareto` lists every frontier outcome up to 100,000 (`LISTED`), beyond that the "
        "lowest-numbered outcome of each frontier utility vector (`LinearFrontier.counts` "
        "has the exact number behind each). Its cost follows the frontier's length, not the "
        "space"
        + (
            f": {_secs(f['linear12.seconds'])} at 10^12 outcomes in this run."
            if "linear12.seconds" in f
            else "."
        ),
        "",
        "On this run's domains (1,000,000 = 10^6 < 2^20 < 10^7) `analyze` reported: "
        + (", ".join(seen) if seen else "—")
        + ". Below the threshold the *analyze, enumerating* and *analyze (as shipped)* rows "
        "run the same code and differ only by noise. The fold's `Analysis` (frontier, feasible "
        "and ZOPA counts, the four points) compared with forced enumeration in this run: "
        + (f"equal at {', '.join(checks)}" if checks else "no size compared")
        + (f"; DIFFERENT at {', '.join(failed)}" if failed else "")
        + ".",
        "",
        "Still open: `Analysis` has no field for the number of outcomes behind the listed "
        "frontier points (an `Analysis.pareto_outcomes: int` would let reports say how many "
        "packages share them, as the outcome-classes path needs too); and when the "
        "reservations cut the space above `ENUMERATION_LIMIT` the fold cannot count the ZOPA, "
        "so such spaces go to outcome classes (counting outcomes above two thresholds over a "
        "sum of per-issue values is a 2-D dominance count; a meet-in-the-middle could do it, "
        "but its float sums would not follow `LinearAdditive.utilities`' order, so grid ties "
        "could differ).",
    ]
    return "\n".join(text)


def applied(run: Run) -> str:
    """The analysis changes of commit 9a1c069, with their before/after figures from this run."""
    f, info = run.figures, run.info
    text = [
        "**Analysis: applied** in commit 9a1c069 (`parley.analysis.core._Scan`, "
        "`parley.analysis.pareto.dominated_by_front`, `OutcomeSpace.rows`): the three changes "
        "the previous run suggested and prototyped (`bench/prototypes/analysis_prefilter.py`, "
        "now deleted: what it patched in is in `src/`):",
        "",
        "1. `_add_to_frontier`: each chunk's rows that the running frontier strictly dominates "
        "are dropped before `pareto_mask` (for two principals, one `searchsorted` on the "
        "frontier's staircase), so the sort sees a handful of rows instead of 2^18.",
        "2. `_add_to_zopa`: only the ZOPA rows the running frontier does not strictly "
        "dominate are scored (every special point lies on the frontier).",
        "3. `add`: the ZOPA test and the running ideal column by column, and no feasibility "
        "copies when no principal has a red line.",
        "",
        "Also in that commit: `OutcomeSpace.rows` builds option-index columns from runs of "
        "equal digits (`np.repeat`) in a column-major array instead of dividing every outcome "
        "number.",
        "",
    ]
    sizes = [n for n in run.plan.pareto_issues if f"before{n}.seconds" in f]
    if sizes:
        text += [
            f"Measured in this run: `analyze` on Parley's `src/` at {BEFORE} (the tree the "
            "previous run measured; extracted with `git archive` into `bench/.work/before/`) "
            "against *analyze, enumerating* on this tree, same domains, fresh processes:",
            "",
            "| outcomes | before (" + BEFORE + ") | after (enumerating) | speed-up | "
            "peak RSS before / after | same Analysis |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for n in sizes:
            before, after = f[f"before{n}.seconds"], f[f"pareto{n}.enum_seconds"]
            differ = info.get(f"before{n}.differ", "")
            text.append(
                f"| 10^{n} | {_secs(before)} | {_secs(after)} | {_ratio(before / after)} | "
                f"{_mb(f[f'before{n}.rss'])} / {_mb(f[f'pareto{n}.enum_rss'])} | "
                f"{'yes' if not differ else 'NO: ' + differ} |"
            )
        text.append("")
        slower = [n for n in sizes if f[f"pareto{n}.enum_seconds"] > f[f"before{n}.seconds"]]
        warm = [n for n in slower if f"before{n}.warm" in f]
        if warm:
            text += [
                "Where *after* is slower, it pays a one-time cost: the first "
                "`np.unique(..., axis=0)` in a process (in `dominated_by_front`) imports "
                "`numpy.ma` (about 9 ms with `python -X importtime`). A second `analyze` in "
                "the same process, without it: "
                + "; ".join(
                    f"10^{n} {_secs(f[f'before{n}.warm'])} before, "
                    f"{_secs(f[f'pareto{n}.enum_warm'])} after"
                    for n in warm
                )
                + ". A process pays it at most once.",
                "",
            ]
        if 7 in sizes:
            after = f["pareto7.enum_seconds"]
            text += [
                "The commit message reports 3.6 s → 0.65 s at 10^7; on this machine and run "
                f"the same change measures {_secs(f['before7.seconds'])} → {_secs(after)}. "
                "Against NegMAS's frontier alone "
                f"({_secs(f['pareto7.negmas_seconds'])}) that is "
                f"{_ratio(f['pareto7.enum_vs_frontier_ratio'])} by enumeration (target 50×).",
                "",
            ]
    facts = run.profile_facts.get("analyze-1e7")
    if facts:
        top = "; ".join(f"`{where}` {share:.0%}" for where, share in facts["top_own"])
        text += [
            "Where enumeration still spends its time at 10^7 (profile above, largest own "
            f"times under cProfile): {top}. For two linear-additive principals `analyze` no "
            "longer enumerates above 2^20 outcomes (next section).",
            "",
        ]
    return "\n".join(text)


RUNNERS: dict[str, Callable[[Run], None]] = {
    "pareto": run_pareto,
    "linear": run_linear,
    "negotiation": run_negotiation,
    "cli": run_cli,
    "profile": run_profile,
}


# -- targets ----------------------------------------------------------------------------------


def targets(run: Run) -> list[tuple[str, str, str]]:
    """(target, verdict, measured) for each target of issue 5 that this run measured."""
    f, info = run.figures, run.info
    out: list[tuple[str, str, str]] = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    if "pareto7.shipped_ratio" in f:
        aim = "Pareto frontier of 10^7 outcomes ≥ 50× NegMAS's frontier alone, peak memory < 1 GB;"
        negmas = _secs(f["pareto7.negmas_seconds"])
        for key, who in (
            (
                "shipped",
                f"as users run it: `analyze` as shipped (method={info['pareto7.method']}; "
                "frontier + ZOPA + 4 points)",
            ),
            ("enum", "by enumeration: `analyze`, enumerating (frontier + ZOPA + 4 points)"),
        ):
            ratio, rss = f[f"pareto7.{key}_vs_frontier_ratio"], f[f"pareto7.{key}_rss"]
            out.append(
                (
                    f"{aim} {who}",
                    verdict(ratio >= 50 and rss < 1024),
                    f"{_ratio(ratio)} ({_secs(f[f'pareto7.{key}_seconds'])} vs {negmas}), "
                    f"{_mb(rss)}",
                )
            )
        ratio, rss = f["pareto7.frontier_ratio"], f["pareto7.frontier_rss"]
        out.append(
            (
                "the same by enumeration, frontier only from the public pieces (chunks + "
                "`pareto_mask`, without `analyze`'s prefilter)",
                verdict(ratio >= 50 and rss < 1024),
                f"{_ratio(ratio)} ({_secs(f['pareto7.frontier_seconds'])} vs {negmas}), {_mb(rss)}",
            )
        )
    if "linear12.seconds" in f:
        out.append(
            (
                "exact Pareto frontier and Nash point of 10^12 outcomes in a few seconds "
                f"(`analyze` as shipped, method={info['linear12.method']})",
                verdict(f["linear12.seconds"] < 5),
                f"{_secs(f['linear12.seconds'])}, {_mb(f['linear12.rss'])}",
            )
        )
    for n, goal in ((3, 30), (5, 100)):
        for procs in (1, 2):
            key = f"neg{n}.p{procs}.ratio"
            if key in f:
                out.append(
                    (
                        f"negotiations on 10^{n} outcomes ≥ {goal}× NegMAS's rate, "
                        f"{procs} process{'es' if procs > 1 else ''}",
                        verdict(f[key] >= goal),
                        f"{_ratio(f[key])} ({_num(f[f'neg{n}.p{procs}.parley_rate'])}/s "
                        f"vs {_num(f[f'neg{n}.p{procs}.negmas_rate'])}/s)",
                    )
                )
    for key, name in (("analyze", "parley analyze muscat-2026"), ("run", "parley run")):
        if f"cli.{key}.own" in f:
            own = f[f"cli.{key}.own"]
            out.append(
                (
                    f"`{name}`: well under a second of its own work (< 0.5 s)",
                    verdict(own < 0.5),
                    f"own work {_secs(own)}; whole command {_secs(f[f'cli.{key}.whole'])} "
                    f"including start-up {_secs(f['cli.startup'])}",
                )
            )
    return out


# -- reporting --------------------------------------------------------------------------------


def show(run: Run) -> None:
    table = Table(title=f"Parley vs NegMAS ({run.plan.name} run)", show_lines=True)
    for name, justify in (
        ("workload", "left"),
        ("outcomes", "left"),
        ("NegMAS 0.16.0", "right"),
        ("Parley", "right"),
        ("Parley/NegMAS", "right"),
        ("NegMAS RSS", "right"),
        ("Parley RSS", "right"),
        ("check", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in run.rows:
        table.add_row(
            f"[bold]{row.group}[/]\n{row.workload}",
            row.size,
            row.negmas,
            row.parley,
            row.ratio,
            row.negmas_rss,
            row.parley_rss,
            row.note,
        )
    Console(width=200).print(table)
    for target, result, measured in targets(run):
        Console().print(f"- {target}: {result.replace('*', '')} ({measured})", highlight=False)


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem = next(
        line
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    gib = int(mem.split()[1]) / 1024 / 1024
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": f"{gib:.1f} GiB",
        "os": platform.platform(),
    }


def versions(negmas_python: Path) -> dict[str, str]:
    import numpy

    probe = subprocess.run(
        [
            str(negmas_python),
            "-c",
            "import sys, numpy, negmas; "
            "print(sys.version.split()[0], numpy.__version__, negmas.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    py, np_, negmas = probe.stdout.split()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    return {
        "Python (Parley)": platform.python_version(),
        "NumPy (Parley)": numpy.__version__,
        "Parley": f"{importlib.metadata.version('parley')} (git {commit}"
        f"{', with uncommitted changes under src/' if dirty else ''})",
        "Python (NegMAS env)": py,
        "NumPy (NegMAS env)": np_,
        "NegMAS": negmas,
        "hyperfine": subprocess.run(
            ["hyperfine", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if shutil.which("hyperfine")
        else "not installed",
    }


def markdown_table(rows: Sequence[Row]) -> str:
    lines = [
        "| workload | outcomes | NegMAS 0.16.0 | Parley | Parley/NegMAS | NegMAS peak RSS | "
        "Parley peak RSS | check / notes |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| **{r.group}**: {r.workload} | {r.size} | {r.negmas} | {r.parley} | "
            f"{r.ratio} | {r.negmas_rss} | {r.parley_rss} | {r.note} |"
        )
    return "\n".join(lines)


def write_doc(
    run: Run, path: Path, started: dt.datetime, seconds: float, loads: tuple[str, str]
) -> None:
    info, ver = machine(), versions(run.negmas_python)
    before_sizes = " and ".join(f"10^{n}" for n in run.plan.before_issues) or "no size"
    target_lines = ["| target (issue 5) | verdict | measured |", "|---|---|---|"]
    target_lines += [f"| {t} | {v} | {m} |" for t, v, m in targets(run)]
    parts = [
        "# Benchmarks: Parley side by side with NegMAS",
        "",
        "Generated by `bench/run_benchmarks.py`; do not edit by hand (rerun it). "
        "Every figure is a median of k fresh-process runs with [min..max]; compare only figures "
        "from the same run: these machines are shared and noisy.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC ({run.plan.name} run, {seconds / 60:.1f} min; "
        f"load average before/after: {loads[0]} / {loads[1]})",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; {info['os']}",
        *(f"- {name}: {value}" for name, value in ver.items()),
        "",
        "## Commands",
        "",
        "```sh",
        ". /work/venv/bin/activate            # Parley's environment",
        "python bench/negmas_env.py           # creates or reuses bench/.venv-negmas",
        f"python bench/run_benchmarks.py{' --quick' if run.plan is QUICK else ''}"
        "       # this document",
        "python bench/profile_parley.py       # the profiles alone",
        *run.commands,
        "```",
        "",
        "## Workloads",
        "",
        f"- Domains: n categorical issues × {OPTIONS} values; two linear-additive utility "
        "functions drawn like NegMAS's `LinearAdditiveUtilityFunction.random(reserved_value=0.0, "
        "normalized=True)` (weights uniform then divided by their sum, values uniform in [0, 1)), "
        f"reservation 0, seed {SEED}. The tables are drawn with NumPy by `bench/domains.py` and "
        "written to JSON; both workers load the same file, so both tools evaluate the same "
        "numbers.",
        "- Pareto: NegMAS `pareto_frontier(ufuns, issues=...)`, then `nash_points` and "
        "`kalai_points` on that frontier, timed in one process (frontier alone, and the total). "
        "Parley, each in its own processes: (a) *frontier only*: the frontier by enumeration "
        "with its public pieces (`OutcomeSpace.chunks`, `Preferences.utilities`, "
        "`parley.analysis.pareto_mask` on the 2^-30 comparison grid); (b) *analyze, "
        "enumerating*: `parley.analysis.analyze` (frontier, ZOPA and the Nash, Kalai, "
        "utilitarian and egalitarian points in one pass over 2^18-outcome chunks) with "
        "`parley.analysis.core.LINEAR_FROM` raised out of reach in that process, so it "
        "enumerates at every size; (c) *analyze (as shipped)*: `analyze` as users call it, "
        "which above 2^20 outcomes dispatches two linear-additive principals to the exact "
        "linear fold; its row names the `Analysis.method` it reported. (a) is compared with "
        "NegMAS's frontier alone, (b) and (c) with NegMAS's frontier + Nash + Kalai. One run "
        "of the fold alone (`linear_frontier` + `special_points`) checks the frontiers and "
        f"points. Before/after: `analyze` on Parley's `src/` at {BEFORE} (before the "
        f"analysis prefilter) on {before_sizes}.",
        "- Exact linear frontier (10^8, 10^10, 10^12): `analyze` as shipped (the fold: "
        "`method=linear frontier`); at 10^8 one run of *analyze, enumerating* checks it.",
        "- Negotiations: NegMAS `SAOMechanism(issues, n_steps=100)` with two "
        "`BoulwareTBNegotiator`; Parley `parley.play.run(scenario, Settings.from_scenario("
        'scenario, protocol="direct", rounds=100, strategies={A: boulware, B: boulware}), seed)`. '
        "Each run plays N negotiations on the same domain with fresh negotiators, in one process "
        "or a `multiprocessing` pool of 2 (fork; the pool's start-up is included). Parley keeps "
        "each profile's ranking of outcomes across negotiations (its normal behaviour in "
        "tournaments and sweeps); the *cache cleared* row rebuilds it every negotiation, as "
        "NegMAS's negotiators rebuild theirs.",
        "- Commands: `parley analyze muscat-2026` and `parley run` (the Muscat scenario) as whole "
        "processes, start-up separately, and each command's own work timed in process "
        "(`parley.cli.app.main([...])` after the imports).",
        "- Peak RSS: `wait4` of each measured process (the largest process of a pool's tree), "
        "largest over the runs. It includes the interpreter and the imports.",
        "",
        "## Results",
        "",
        markdown_table(run.rows),
        "",
        "## Targets",
        "",
        *target_lines,
        "",
        "## Notes",
        "",
        *(f"- {note}" for note in run.notes),
    ]
    if run.profiles:
        parts += ["", "## Where the time goes", "", run.profiles]
    if run.profiles or any(k.startswith("before") for k in run.figures):
        parts += ["", "## Changes applied", "", applied(run)]
    if any(k.startswith(("linear", "pareto")) for k in run.figures):
        parts += ["", "## The exact linear frontier in `analyze`", "", integration(run)]
    for section in kept_sections(path):
        parts += ["", section]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def notes(run: Run) -> None:
    f, info = run.figures, run.info
    if any(k.startswith("pareto") for k in f):
        run.notes.append(
            "NegMAS's `nash_points` and `kalai_points` measure gains from max(reservation, the "
            "utility function's minimum) and its `kalai_points` maximizes the smallest such gain; "
            "Parley measures gains from the reservation value (0 here) and Kalai as the most "
            "nearly equal normalized gains (GENIUS). Their points may therefore differ; the "
            "frontiers are checked equal (the `check` column)."
        )
    if "pareto7.frontier_seconds" in f:
        run.notes.append(
            "The *frontier only* rows use Parley's public pieces as a user would assemble them "
            "(`OutcomeSpace.chunks`, `Preferences.utilities`, `pareto_mask` on every chunk); "
            "they do not have `analyze`'s staircase prefilter, so at 10^7 they take "
            f"{_secs(f['pareto7.frontier_seconds'])} where `analyze`, enumerating, takes "
            f"{_secs(f['pareto7.enum_seconds'])} for more work."
        )
    sizes = [n for n in run.plan.pareto_issues if f"pareto{n}.enum_rss" in f]
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        run.notes.append(
            f"Memory follows the frontier, not the space: from 10^{lo} to 10^{hi} outcomes "
            f"Parley's `analyze`, enumerating, peaks at {_mb(f[f'pareto{lo}.enum_rss'])} → "
            f"{_mb(f[f'pareto{hi}.enum_rss'])} (the interpreter and imports are about 45 MB) "
            f"and NegMAS at {_mb(f[f'pareto{lo}.negmas_rss'])} → "
            f"{_mb(f[f'pareto{hi}.negmas_rss'])}."
        )
    shipped = [
        f"10^{n}: {info[f'pareto{n}.method']}"
        for n in run.plan.pareto_issues
        if f"pareto{n}.method" in info
    ]
    if shipped:
        run.notes.append(
            "`analyze` as shipped dispatches to the exact linear fold above 2^20 = 1,048,576 "
            "outcomes when both principals are plain linear-additive (see *The exact linear "
            "frontier in `analyze`* below); the method it reported here: "
            + ", ".join(shipped)
            + ". Where it reported enumeration, its row and the *enumerating* row run the same "
            "code."
        )
    if "pareto7.negmas_seconds" in f and run.plan.negmas_reps.get(7):
        run.notes.append(
            f"NegMAS at 10^7 takes {f['pareto7.negmas_seconds']:.0f} s and "
            f"{_mb(f['pareto7.negmas_rss'])} per run, so it runs k={run.plan.negmas_reps[7]} times "
            f"there (Parley k={run.plan.reps})."
        )
    for n in (3, 5):
        if f"neg{n}.p1.parley_rate" in f:
            steps = f[f"neg{n}.p1.parley_steps"]
            turn = 1e6 / (f[f"neg{n}.p1.parley_rate"] * 2 * steps)
            nturn = 1e6 / (f[f"neg{n}.p1.negmas_rate"] * 2 * f[f"neg{n}.p1.negmas_steps"])
            run.notes.append(
                f"10^{n} outcomes: a Parley negotiation lasts {steps:.0f} rounds (2 offers each), "
                f"about {turn:,.0f} µs per offer-and-answer turn in one process; NegMAS spends "
                f"about {nturn:,.0f} µs per offer."
            )
    if "neg3.p1.ratio" in f and f["neg3.p1.ratio"] < 30:
        facts = run.profile_facts.get("negotiate-1e3", {})
        kernel = (
            "the session kernel's per-turn work (building an `Ask`, a `View`, an `Action` and a "
            "`Message`, the legality, red-line and reservation checks, the visibility fan-out, "
            "the protocol generator)"
        )
        if "strategies" in facts:
            share = facts["strategies"]
            where, top = facts["top_own"][0]
            cause = (
                f"in this run's profile the strategies' `act` (per-turn NumPy calls) takes "
                f"{share:.0%} of the time and {kernel} {1 - share:.0%}"
                + (", about half each" if 0.35 <= share <= 0.65 else "")
                + f"; the largest single function (`{where}`) has {top:.0%} of the own time"
                + (", so there is no single hotspot" if top < 0.2 else "")
            )
        else:
            cause = f"about half {kernel} and half the strategies' `act` (no profile this run)"
        run.notes.append(
            f"Negotiation target at 10^3 missed by a factor of about "
            f"{30 / f['neg3.p1.ratio']:.1f} ({_ratio(f['neg3.p1.ratio'])} of 30×). Cause, as "
            f"measured: {cause}. The reshaped engine halved the turn (the *cheaper turn* "
            "section measures it against the old engine); 30× needs a headless path for "
            "sessions whose seats are all built-in strategies, or sessions advanced together "
            "as arrays, not a further trim of the per-turn path."
        )
    if "neg5.p1.ratio" in f and f["neg5.p1.ratio"] < 100:
        run.notes.append(
            "At 10^5 outcomes Parley is limited by the same per-turn cost; NegMAS by evaluating "
            "and sorting all outcomes for each negotiator."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    parser.add_argument(
        "--only",
        action="append",
        choices=GROUPS,
        metavar="NAME",
        help=f"run only this group (repeatable): {', '.join(GROUPS)}",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="Markdown report (default: docs/benchmarks.md for a full run of "
        "every group, bench/.work/benchmarks-<plan>.md otherwise)",
    )
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    groups = args.only or list(GROUPS)
    output = args.output or (
        DOC if plan is FULL and not args.only else WORK / f"benchmarks-{plan.name}.md"
    )
    WORK.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    load_before = f"{os.getloadavg()[0]:.2f}"
    begin = time.perf_counter()
    run = Run(plan, negmas_env.ensure())
    for group in GROUPS:
        if group in groups:
            RUNNERS[group](run)
    seconds = time.perf_counter() - begin
    notes(run)
    (WORK / f"results-{plan.name}.json").write_text(
        json.dumps({"figures": run.figures, "raw": run.raw}, indent=1), encoding="utf-8"
    )
    show(run)
    write_doc(run, output, started, seconds, (load_before, f"{os.getloadavg()[0]:.2f}"))
    console.print(
        f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output} "
        f"in {seconds / 60:.1f} min"
    )


if __name__ == "__main__":
    main()
