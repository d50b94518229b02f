"""A cheaper turn (issue 12, item 8): today's engine and the reshaped one, side by side, in one run.

    python bench/engine_speed.py                  # before = fe47f5d, after = the working tree
    python bench/engine_speed.py --after REF      # after = a commit, checked out like before
    python bench/engine_speed.py --repeat 5       # more runs per tree (default 3; medians)
    python bench/engine_speed.py --no-doc         # print only; leave docs/benchmarks.md alone

"before" is checked out with ``git worktree add --detach`` into a temporary folder (removed at
the end), as is ``--after REF``; without ``--after`` the working tree's ``src`` is measured. Every
measurement is a fresh process of this interpreter with ``PYTHONPATH=<tree>/src``; the two trees
take turns (order swapped every repetition), so both see the same machine. Bytecode is cached
for both trees alike (``PYTHONPYCACHEPREFIX`` in the temporary folder, filled by an untimed
warm-up that also checks the tree imports), as an installed Parley has it.

Workloads, the ones docs/benchmarks.md reports:

(a) "Negotiations per second" at 10^3 outcomes: 1,000 negotiations (seeds 0-999), Boulware vs
    Boulware, direct protocol, 100 rounds, one process, on ``bench/domains.py``'s 3 x 10 domain.
    The rate counts the set-up as ``pool.py`` does; the cost of a turn is the time inside
    ``run(...)`` and ``.result()`` over the asks answered (distinct ``Message.turn`` values of
    each transcript).
(b) ``parley forecast muscat-2026 --runs 1000 --seed 0 --json``, the whole command on every core.

Targets: a turn at least 2x cheaper, the forecast at least 2x faster. Both workloads also check
that the trees give the same results (agreements and rounds of (a); the forecast's JSON).
The docs section is written only for the default workloads and when both trees ran every
workload; a tree that fails to import or to run is reported with its error (exit code 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domains import make_domain, scenario_document
from sections import write_section

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "fe47f5d"
"""Today's engine (issue 12, item 8 measures against it)."""
SECTION = "engine-speed"
COUNT, RUNS, ISSUES, ROUNDS, SEED = 1000, 1000, 3, 100, 0
TARGET = 2.0
TIMEOUT = 1800.0  # seconds for one measured process before it is killed
FORECAST = ["forecast", "muscat-2026", "--seed", str(SEED), "--json"]
CLI = "from parley.cli.app import main; main()"


# -- the worker: one measurement inside a tree (PYTHONPATH=<tree>/src) -------------------------


def _run_function() -> tuple[Any, str]:
    """The driver: ``parley.play.run`` (reshaped engine) or ``parley.engine.play.run`` (today)."""
    try:
        from parley.play import run
    except ModuleNotFoundError as exc:
        if exc.name != "parley.play":
            raise  # parley.play exists but something it imports does not: a real failure
        from parley.engine.play import run

        return run, "parley.engine.play.run"
    return run, "parley.play.run"


def _asks(session: Any) -> int:
    """Asks answered in a finished session: its messages' distinct turn numbers (or, should
    messages lose ``turn``, the session's own count of asks)."""
    try:
        return len({m.turn for m in session.transcript if m.turn is not None})
    except AttributeError:
        return int(session._turns)


def probe() -> dict[str, Any]:
    """Import everything the workloads use; say where Parley came from."""
    import importlib

    import numpy

    import parley

    for module in ("parley.cli.app", "parley.forecast", "parley.engine", "parley.scenario"):
        importlib.import_module(module)
    _run, where = _run_function()
    return {
        "parley": str(Path(parley.__file__).resolve().parent),
        "run": where,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
    }


def negotiate(count: int, issues: int) -> dict[str, Any]:
    """Workload (a): ``count`` negotiations on the ``issues`` x 10 domain, one process."""
    from parley.engine import Settings
    from parley.scenario import from_data

    run, where = _run_function()
    domain = make_domain(issues)
    start = time.perf_counter()
    scenario = from_data(scenario_document(domain, rounds=ROUNDS), domain["name"])
    names = [p.name for p in scenario.principals]
    settings = Settings.from_scenario(
        scenario, protocol="direct", rounds=ROUNDS, strategies=dict.fromkeys(names, "boulware")
    )
    inside = counting = 0.0
    asks = rounds = agreed = 0
    digest = hashlib.sha256()
    for seed in range(count):
        began = time.perf_counter()
        session = run(scenario, settings, seed)
        result = session.result()
        ended = time.perf_counter()
        inside += ended - began
        asks += _asks(session)
        rounds += result.rounds
        agreed += result.agreement is not None
        digest.update(repr((seed, result.agreement, result.rounds)).encode())
        counting += time.perf_counter() - ended  # not the engine's time: left out of the rate
    seconds = time.perf_counter() - start - counting
    return {
        "run": where,
        "seconds": seconds,
        "rate": count / seconds,
        "turn": inside / asks,
        "asks": asks / count,
        "rounds": rounds / count,
        "agreement": agreed / count,
        "digest": digest.hexdigest()[:16],
    }


def worker(task: str, count: int, issues: int) -> None:
    result = probe() if task == "probe" else negotiate(count, issues)
    print("RESULT " + json.dumps(result), flush=True)


# -- the parent: trees, processes, figures --------------------------------------------------


@dataclass
class Tree:
    label: str  # "before" / "after"
    ref: str | None  # None: the working tree
    description: str = ""
    src: Path | None = None
    checkout: Path | None = None  # a worktree of ours, removed at the end
    commit: str | None = None  # None: the working tree
    info: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # by step: checkout, import, workloads
    samples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class Outcome:
    result: dict[str, Any] | None
    wall: float
    error: str | None
    stdout: str = ""


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip()


def checkout(tree: Tree, folder: Path) -> None:
    """A detached worktree of ``tree.ref`` in ``folder``."""
    assert tree.ref is not None
    commit = git("rev-parse", "--verify", "--short", f"{tree.ref}^{{commit}}")
    path = folder / tree.label
    git("worktree", "add", "--detach", "--quiet", str(path), commit)
    tree.checkout, tree.src, tree.commit = path, path / "src", commit
    subject = git("log", "-1", "--format=%s", commit)
    tree.description = f"git {commit} ({subject[:70]}{'...' if len(subject) > 70 else ''})"


def working_tree(tree: Tree) -> None:
    tree.src = ROOT / "src"
    head = git("rev-parse", "--short", "HEAD")
    dirty = git("status", "--porcelain", "--", "src")
    tree.description = f"the working tree (git {head}" + (
        ", with uncommitted changes under src/)" if dirty else ", no changes under src/)"
    )


def remove(tree: Tree) -> None:
    if tree.checkout is None:
        return
    try:
        git("worktree", "remove", "--force", str(tree.checkout))
    except RuntimeError as exc:
        print(f"warning: {exc}; removing the folder", file=sys.stderr)
        shutil.rmtree(tree.checkout, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=False)
    tree.checkout = None


def environment(tree: Tree, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    assert tree.src is not None
    env["PYTHONPATH"] = str(tree.src)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def launch(command: Sequence[str], env: dict[str, str], cwd: Path) -> Outcome:
    """Run ``command`` in a fresh process (its own group, killed whole on time-out)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command), stdout=out, stderr=err, cwd=cwd, env=env, start_new_session=True
        )
        try:
            code = process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the group we started: it and its workers
            process.wait()
            return Outcome(None, time.perf_counter() - start, f"timed out after {TIMEOUT:.0f} s")
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if code != 0:
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        return Outcome(None, wall, f"exit {code}: " + (" | ".join(lines[-3:]) or "(no output)"))
    marked = [line for line in stdout.splitlines() if line.startswith("RESULT ")]
    result = json.loads(marked[-1][len("RESULT ") :]) if marked else None
    return Outcome(result, wall, None, stdout)


class Bench:
    def __init__(self, args: argparse.Namespace, folder: Path) -> None:
        self.args = args
        self.folder = folder
        self.cache = folder / "pycache"
        self.script = Path(__file__).resolve()

    def worker(self, tree: Tree, task: str, count: int = 0) -> Outcome:
        command = [sys.executable, str(self.script), "--worker", task]
        command += ["--count", str(count), "--issues", str(ISSUES)]
        return launch(command, environment(tree, self.cache), self.script.parent)

    def forecast(self, tree: Tree, runs: int) -> Outcome:
        command = [sys.executable, "-c", CLI, *FORECAST, "--runs", str(runs)]
        done = launch(command, environment(tree, self.cache), self.folder)
        if done.error is None:
            try:
                data = json.loads(done.stdout)
                done.result = {
                    "seconds": done.wall,
                    "probability": data["agreement_probability"],
                    "runs": data["runs"],
                    "failed": len(data.get("failed_batches", [])),
                    "digest": hashlib.sha256(done.stdout.encode()).hexdigest()[:16],
                }
            except (ValueError, KeyError) as exc:
                done.error = f"unreadable forecast output: {exc!r}"
        return done

    def prepare(self, tree: Tree) -> None:
        """Import check, then a warm-up of each workload (bytecode, first-run costs); untimed."""
        done = self.worker(tree, "probe")
        if done.error is not None or done.result is None:
            tree.errors["import"] = done.error or "no RESULT line"
            return
        tree.info = done.result
        assert tree.src is not None
        if Path(tree.info["parley"]) != tree.src.resolve() / "parley":
            tree.errors["import"] = f"Parley came from {tree.info['parley']}, not {tree.src}"
            return
        for name, step in (
            ("negotiate", lambda: self.worker(tree, "negotiate", 20)),
            ("forecast", lambda: self.forecast(tree, 20)),
        ):
            done = step()
            if done.error is not None or done.result is None:
                tree.errors[name] = f"warm-up: {done.error or 'no RESULT line'}"

    def measure(self, trees: Sequence[Tree]) -> None:
        a = self.args
        workloads = (
            ("negotiate", lambda t: self.worker(t, "negotiate", a.count)),
            ("forecast", lambda t: self.forecast(t, a.runs)),
        )
        for name, work in workloads:
            for rep in range(a.repeat):
                for tree in trees if rep % 2 == 0 else reversed(trees):
                    if "checkout" in tree.errors or "import" in tree.errors or name in tree.errors:
                        continue
                    done = work(tree)
                    if done.error is not None or done.result is None:
                        tree.errors[name] = done.error or "no RESULT line"
                        say(f"  {name} {tree.label}: failed: {tree.errors[name]}")
                        continue
                    tree.samples.setdefault(name, []).append(done.result)
                    r = done.result
                    shown = (
                        f"{r['rate']:,.1f} negotiations/s, {r['turn'] * 1e6:.2f} µs per turn"
                        if name == "negotiate"
                        else f"{r['seconds']:.2f} s, P(agreement) {r['probability']:.3f}"
                    )
                    say(f"  {name} {tree.label} [{rep + 1}/{a.repeat}]: {shown}")


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- figures and the report -------------------------------------------------------------------


def median(samples: Sequence[dict[str, Any]], key: str) -> tuple[float, float, float]:
    values = [float(s[key]) for s in samples]
    return float(statistics.median(values)), min(values), max(values)


def shown(figure: tuple[float, float, float], unit: str) -> str:
    mid, low, high = figure
    if unit == "µs":
        return f"{mid * 1e6:.2f} µs [{low * 1e6:.2f}..{high * 1e6:.2f}]"
    if unit == "/s":
        return f"{mid:,.0f}/s [{low:,.0f}..{high:,.0f}]"
    return f"{mid:.2f} s [{low:.2f}..{high:.2f}]"


def same(before: Tree, after: Tree, name: str) -> str:
    if name not in before.samples or name not in after.samples:
        return "not compared"
    digests = {s["digest"] for t in (before, after) for s in t.samples[name]}
    return "yes" if len(digests) == 1 else "**no**"


def rows(
    before: Tree, after: Tree, runs: int
) -> tuple[list[list[str]], list[tuple[str, float | None]]]:
    """Table rows and, per target, the measured factor (None if not measured)."""
    lines: list[list[str]] = []
    factors: list[tuple[str, float | None]] = []

    def cell(tree: Tree, name: str, key: str, unit: str) -> str:
        if name in tree.samples:
            return shown(median(tree.samples[name], key), unit)
        return "failed" if tree.errors else "—"

    def factor(name: str, key: str, better_high: bool) -> float | None:
        if name not in before.samples or name not in after.samples:
            return None
        b, a = median(before.samples[name], key)[0], median(after.samples[name], key)[0]
        return a / b if better_high else b / a

    neg, fc = "negotiate", "forecast"
    rate = factor(neg, "rate", True)
    turn = factor(neg, "turn", False)
    wall = factor(fc, "seconds", False)

    def x(f: float | None, word: str) -> str:
        return "—" if f is None else f"{f:.2f}× {word}"

    def verdict(f: float | None) -> str:
        return "not measured" if f is None else "met" if f >= TARGET else "**missed**"

    lines.append(
        [
            "(a) negotiations/s, 10^3 outcomes, 1 process",
            cell(before, neg, "rate", "/s"),
            cell(after, neg, "rate", "/s"),
            x(rate, "faster"),
            "—",
            "—",
        ]
    )
    lines.append(
        [
            "(a) cost of one turn (an ask answered)",
            cell(before, neg, "turn", "µs"),
            cell(after, neg, "turn", "µs"),
            x(turn, "cheaper"),
            f"≥ {TARGET:.0f}× cheaper",
            verdict(turn),
        ]
    )
    lines.append(
        [
            f"(b) `parley forecast muscat-2026 --runs {runs}`, {os.cpu_count()} cores",
            cell(before, fc, "seconds", "s"),
            cell(after, fc, "seconds", "s"),
            x(wall, "faster"),
            f"≥ {TARGET:.0f}× faster",
            verdict(wall),
        ]
    )
    factors += [("turn", turn), ("forecast", wall)]
    for tree in (before, after):
        if neg in tree.samples:
            s = tree.samples[neg][0]
            tree.info["neg"] = (
                f"{s['asks']:.1f} asks and {s['rounds']:.1f} rounds per negotiation, "
                f"agreement {s['agreement']:.0%}, driver `{s['run']}`"
            )
        if fc in tree.samples:
            s = tree.samples[fc][0]
            tree.info["fc"] = (
                f"agreement probability {s['probability']:.3f} over {s['runs']} runs, "
                f"{s['failed']} failed batches"
            )
    return lines, factors


def markdown(header: Sequence[str], lines: Sequence[Sequence[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|---|---:|---:|---:|---|---|"]
    out += ["| " + " | ".join(line) + " |" for line in lines]
    return "\n".join(out)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    mem = next(
        (line for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line),
        "MemTotal: 0 kB",
    )
    gib = int(mem.split()[1]) / 1024 / 1024
    return f"{cpu}, {os.cpu_count()} cores, {gib:.1f} GiB RAM; {platform.platform()}"


def report(
    before: Tree,
    after: Tree,
    command: str,
    args: argparse.Namespace,
    started: dt.datetime,
    minutes: float,
    loads: tuple[float, float],
) -> str:
    lines, factors = rows(before, after, args.runs)
    header = [
        "workload",
        f"before ({before.commit or before.ref})",
        f"after ({after.commit or 'working tree'})",
        "after vs before",
        "target",
        "verdict",
    ]
    info = before.info or after.info
    text = [
        "## A cheaper turn (issue 12, item 8)",
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC in {minutes:.1f} min with `{command}`; "
        f"{machine()}; Python {info.get('python', '?')}, NumPy {info.get('numpy', '?')}; "
        f"load average {loads[0]:.2f} before, {loads[1]:.2f} after. Medians of "
        f"{args.repeat} fresh-process runs per tree [min..max], the two trees taking turns; "
        "compare only figures of one run.",
        "",
        f"- **before**: {before.description}",
        f"- **after**: {after.description}",
        "",
        *(
            [
                "The two trees are the same commit: a baseline run, whose ratios show the "
                "bench's own noise (1.00× is no change).",
                "",
            ]
            if before.commit is not None and before.commit == after.commit
            else []
        ),
        markdown(header, lines),
        "",
        "Workloads. (a) is *Negotiations per second* above at 10^3 outcomes: "
        f"{args.count:,} negotiations (seeds 0-{args.count - 1}) on the 3 × 10 domain of "
        "`bench/domains.py` (seed 2026), Boulware vs Boulware, direct protocol, "
        f"{ROUNDS} rounds, one process, each profile's ranking kept across negotiations; the "
        "rate includes building the scenario and settings (as `bench/pool.py` times it). A "
        "turn is one ask answered (the distinct `turn` numbers of a transcript's messages); "
        "its cost is the time inside `run(scenario, settings, seed)` and `.result()` over the "
        f"asks. (b) is `parley {' '.join(FORECAST)} --runs {args.runs}` as a whole process on "
        "every core (start-up, workers and report included). Both trees run with this Python and "
        "these packages (`PYTHONPATH=<tree>/src`), bytecode cached for both after an untimed "
        "warm-up.",
        "",
        f"- (a) before: {before.info.get('neg', 'not measured')}; after: "
        f"{after.info.get('neg', 'not measured')}; same agreements and rounds on every seed: "
        f"{same(before, after, 'negotiate')}.",
        f"- (b) before: {before.info.get('fc', 'not measured')}; after: "
        f"{after.info.get('fc', 'not measured')}; the same JSON: "
        f"{same(before, after, 'forecast')}.",
    ]
    verdicts = [
        f"{name} {'not measured' if f is None else f'{f:.2f}×'}"
        f"{'' if f is None else ' (met)' if f >= TARGET else ' (missed)'}"
        for name, f in factors
    ]
    text.append(f"- Targets (≥ {TARGET:.0f}×): {'; '.join(verdicts)}.")
    cores = os.cpu_count() or 1
    if max(loads) > cores / 2:
        text.append(
            f"- The machine was busy (load average up to {max(loads):.1f} on {cores} cores): "
            "other work competed for the cores, so the absolute figures are slower and noisier "
            "than on a quiet machine; the trees took turns, so their ratio is the figure to read."
        )
    return "\n".join(text)


# -- main -------------------------------------------------------------------------------------


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help=f"commit of today's engine ({BEFORE})")
    parser.add_argument("--after", default=None, help="a commit (default: the working tree)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tree and workload")
    parser.add_argument("--count", type=int, default=COUNT, help="negotiations in (a)")
    parser.add_argument("--runs", type=int, default=RUNS, help="forecast runs in (b)")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--worker", choices=["probe", "negotiate"], help=argparse.SUPPRESS)
    parser.add_argument("--issues", type=int, default=ISSUES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is None and min(args.repeat, args.count, args.runs) < 1:
        parser.error("--repeat, --count and --runs must be at least 1")
    return args


def command_line(args: argparse.Namespace) -> str:
    words = ["python", "bench/engine_speed.py"]
    if args.before != BEFORE:
        words += ["--before", args.before]
    if args.after is not None:
        words += ["--after", args.after]
    words += ["--repeat", str(args.repeat)]
    if args.count != COUNT:
        words += ["--count", str(args.count)]
    if args.runs != RUNS:
        words += ["--runs", str(args.runs)]
    return shlex.join(words)


def main() -> int:
    args = parse()
    if args.worker:
        worker(args.worker, args.count, args.issues)
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the worktrees are removed
    started = dt.datetime.now(dt.UTC)
    begin = time.perf_counter()
    load0 = os.getloadavg()[0]
    before, after = Tree("before", args.before), Tree("after", args.after)
    folder = Path(tempfile.mkdtemp(prefix="parley-engine-speed-"))
    try:
        for tree in (before, after):
            try:
                if tree.ref is None:
                    working_tree(tree)
                else:
                    checkout(tree, folder)
            except RuntimeError as exc:
                tree.errors["checkout"] = str(exc)
        bench = Bench(args, folder)
        for tree in (before, after):
            if not tree.errors:
                say(f"{tree.label}: {tree.description}: import check and warm-up")
                bench.prepare(tree)
            for step, error in tree.errors.items():
                say(f"{tree.label}: {step} failed: {error}")
        bench.measure((before, after))
    finally:
        for tree in (before, after):
            remove(tree)
        shutil.rmtree(folder, ignore_errors=True)
    minutes = (time.perf_counter() - begin) / 60
    text = report(
        before,
        after,
        command_line(args),
        args,
        started,
        minutes,
        (load0, os.getloadavg()[0]),
    )
    print(text)
    failed = [t for t in (before, after) if t.errors]
    for tree in failed:
        print(f"\n{tree.label.upper()} TREE FAILED ({tree.description or tree.ref}):")
        for step, error in tree.errors.items():
            print(f"  {step}: {error}")
    default = args.count == COUNT and args.runs == RUNS
    if args.no_doc:
        pass
    elif failed or not default:
        why = "a tree failed" if failed else "the workloads are not the default ones"
        print(f"\ndocs/benchmarks.md not written: {why}.")
    else:
        write_section(SECTION, text)
        print(f"\nwrote the {SECTION!r} section of docs/benchmarks.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
