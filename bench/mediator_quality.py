"""Mediator quality (issues 6 and 19): how close each mediator's agreement is to the Nash point.

    python bench/mediator_quality.py [--quick] [--no-docs] [--sets abc] [--workers N]

Three domain sets: (a) 20 seeded random domains, 3 issues x 10 values, two random normalized
linear-additive profiles, reservation 0 (``domains.make_domain``, PEERS.md's workload); (b) the
ANL 2023 GeniusWeb domains 0-24; (c) the GENIUS scenarios ``parley.formats`` reads with two
principals, at most ``GENIUS_LIMIT`` outcomes and a deal that gains over both reservations.
Every set is scored the same way: Nash ratio = product of the agreement's gains over the
reservations / the largest such product (``analyze``); a failure counts 0 in "mean incl.
failures" and in "worst domain".

What runs (seed = domain index; principals ``boulware`` unless said):

1. every mediator at 100 rounds, NegMAS 0.16 SAO Boulware vs Boulware (100 steps) and Parley's
   own direct talks between the same principals, on every set (the targets);
2. the learning mediators with ``linear``, ``conceder`` and ``tit-for-tat`` principals;
3. quality against rounds (25, 50, 100 on (a); 1000 on its first ``LONG_DOMAINS``), and against
   caucus questions (0, 1, 3 per caucus) on every set;
4. robustness to strategic feedback (``exaggerate``, ``never-better``) on the first
   ``STRATEGIC_DOMAINS`` of (a).

Each row gives the mean ratio, the worst domain, agreement, rounds, questions asked and seconds
per session. ``--quick`` runs 5 domains of (a) only. Unless ``--no-docs``, the report goes into
``docs/benchmarks.md`` between the mediator-quality markers.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import multiprocessing
import os
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from domains import read_domain, scenario_document, write_domain
from negmas_env import ensure
from sections import write_section

from parley.analysis import analyze
from parley.engine import Settings
from parley.engine.messages import Kind
from parley.engine.settings import StrategySpec
from parley.errors import ParleyError
from parley.play import run
from parley.preferences import LinearAdditive
from parley.scenario import Party, Scenario, from_data, load
from parley.strategies import MEDIATORS

HERE = Path(__file__).resolve().parent
EPS = 1e-9
GENIUSWEB = Path("/work/shared/data/geniusweb")
GENIUS = Path("/work/shared/data/genius")
GENIUS_LIMIT = 2_000_000
"""GENIUS scenarios with more outcomes than this are left out (the optimum is enumerated)."""
STRATEGIES = ("linear", "conceder", "tit-for-tat")
"""Principals' strategies besides boulware, so that no mediator is tuned to one."""
FEEDBACK_MODES = ("exaggerate", "never-better")
LONG_DOMAINS = 10
"""The 1,000-round rows run on this many domains of (a)."""
STRATEGIC_DOMAINS = 10
"""The strategic-feedback rows run on this many domains of (a)."""


@dataclass(frozen=True)
class Method:
    label: str
    protocol: str
    mediator: str | None
    """The mediator's strategy (None: direct talks, no mediator)."""
    params: dict[str, Any] = field(default_factory=dict)
    blind: bool = True
    questions: int = 0


METHODS = (
    Method("single-text annealing", "single-text", "annealing"),
    Method("single-text feedback", "single-text", "feedback"),
    Method("single-text elicit", "single-text", "elicit"),
    Method("single-text hill-climb", "single-text", "hill-climb"),
    Method("single-text confidential", "single-text", "confidential", {"criterion": "nash"}, False),
    Method("shuttle bridging", "shuttle", "bridging"),
    Method("shuttle nash-bridging", "shuttle", "nash-bridging"),
    Method("shuttle nash-bridging, 1 question", "shuttle", "nash-bridging", questions=1),
    Method("shuttle nash-bridging, 3 questions", "shuttle", "nash-bridging", questions=3),
    Method("shuttle relay", "shuttle", "relay"),
    Method("shuttle confidential", "shuttle", "confidential", {"criterion": "nash"}, False),
    Method("direct (no mediator)", "direct", None, blind=False),
)
LEARNING = ("single-text feedback", "single-text elicit", "shuttle nash-bridging")
"""The mediators run with every principal strategy and every feedback mode."""
BY_LABEL = {m.label: m for m in METHODS}
NEGMAS = "NegMAS SAO Boulware"


@dataclass(frozen=True)
class Domain:
    """One domain of a set: where to load it, and the optimum it is scored against."""

    name: str
    source: str
    best: float
    front: np.ndarray
    floor: np.ndarray


@dataclass(frozen=True)
class Job:
    domain: int
    source: str
    label: str
    rounds: int = 100
    strategy: str = "boulware"
    feedback: str = "truthful"


def available() -> list[Method]:
    """The methods whose mediator is registered (a mediator still in the making is skipped)."""
    return [m for m in METHODS if m.mediator is None or m.mediator in MEDIATORS]


# -- domains -------------------------------------------------------------------------------


def _scenario(source: str, rounds: int) -> Scenario:
    """A random domain's JSON, or a scenario folder, with a mediator party "M" seated."""
    if source.endswith(".json"):
        doc = scenario_document(read_domain(Path(source)), rounds=rounds)
        doc["parties"].append({"name": "M", "role": "mediator"})
        return from_data(doc, source)
    scenario = load(source)
    if any(p.role == "mediator" for p in scenario.parties):
        return scenario
    return dataclasses.replace(
        scenario, parties=(*scenario.parties, Party(name="M", role="mediator"))
    )


def reference(name: str, source: str) -> Domain | None:
    """The domain with its optimum: the largest product of gains over the reservations."""
    result = analyze(_scenario(source, 100))
    if result.nash is None:
        return None
    floor = np.array(result.reservations, dtype=np.float64)
    best = float(np.prod(np.array(result.nash.utilities) - floor))
    if best <= EPS:
        return None  # no deal gains anything over every reservation: nothing to measure
    front = np.array([p.utilities for p in result.pareto], dtype=np.float64)
    return Domain(name, source, best, front, floor)


def random_set(folder: Path, count: int) -> tuple[list[Domain], str]:
    paths = [write_domain(folder, 3, seed=s) for s in range(count)]
    found = [reference(p.stem, str(p)) for p in paths]
    return [d for d in found if d is not None], ""


def geniusweb_set(count: int) -> tuple[list[Domain], str]:
    folders = sorted(p for p in GENIUSWEB.glob("anl2023_domain*") if p.is_dir())[:count]
    found = [reference(p.name, str(p)) for p in folders]
    return [d for d in found if d is not None], ""


def genius_set() -> tuple[list[Domain], str]:
    kept: list[Domain] = []
    left_out: list[str] = []
    for folder in sorted(p for p in GENIUS.iterdir() if p.is_dir()):
        try:
            scenario = load(str(folder))
        except ParleyError as exc:
            left_out.append(f"{folder.name} ({str(exc).splitlines()[0][:80]})")
            continue
        if len(scenario.principals) != 2:
            left_out.append(f"{folder.name} ({len(scenario.principals)} principals)")
        elif scenario.space.cardinality > GENIUS_LIMIT:
            left_out.append(f"{folder.name} ({scenario.space.cardinality:,} outcomes)")
        elif (domain := reference(folder.name, str(folder))) is None:
            left_out.append(f"{folder.name} (no deal gains over both reservations)")
        else:
            kept.append(domain)
    return kept, "left out: " + "; ".join(left_out) + ". " if left_out else ""


# -- Parley ----------------------------------------------------------------------------------


def _parley_one(job: Job) -> dict[str, Any]:
    method = BY_LABEL[job.label]
    scenario = _scenario(job.source, job.rounds)
    names = [p.name for p in scenario.principals]
    settings = Settings.from_scenario(
        scenario,
        protocol=method.protocol,
        rounds=job.rounds,
        mediator=method.mediator,
        strategies=dict.fromkeys(names, job.strategy),
    )
    specs = dict(settings.strategies)
    if settings.mediator is not None and method.mediator is not None:
        specs[settings.mediator] = StrategySpec(method.mediator, method.params)
    params = {} if job.feedback == "truthful" else {"feedback": job.feedback}
    for name in names:
        specs[name] = StrategySpec(job.strategy, params)
    settings = dataclasses.replace(
        settings,
        strategies=specs,
        confide=method.mediator == "confidential",
        questions=method.questions,
    )
    start = time.perf_counter()
    session = run(scenario, settings, job.domain)
    seconds = time.perf_counter() - start
    result = session.result()
    point = None
    if result.agreement is not None and result.utilities is not None:
        by = dict(zip(result.parties, result.utilities, strict=True))
        point = [float(by[n]) for n in names]
    asked = sum(msg.kind == Kind.WHAT_IF for msg in session.transcript)
    return dataclasses.asdict(job) | {
        "point": point,
        "rounds_taken": result.rounds,
        "questions": asked,
        "seconds": seconds,
    }


def run_jobs(jobs: list[Job], workers: int) -> list[dict[str, Any]]:
    """Every job on a fork pool, the long ones first so that none is left for last."""
    ordered = sorted(jobs, key=lambda j: -j.rounds)
    if workers == 1:
        return [_parley_one(j) for j in ordered]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return list(pool.imap_unordered(_parley_one, ordered, chunksize=1))


# -- NegMAS ----------------------------------------------------------------------------------


def export(domain: Domain, folder: Path) -> Path | None:
    """The domain as the JSON NegMAS's worker reads (linear-additive profiles only)."""
    scenario = _scenario(domain.source, 100)
    ufuns = []
    for party in scenario.principals:
        prefs = party.preferences
        if not isinstance(prefs, LinearAdditive) or scenario.space.constraints:
            return None
        ufuns.append(
            {
                "weights": list(prefs.weights),
                "values": [list(v) for v in prefs.values],
                "reservation": prefs.reservation,
            }
        )
    folder = folder / "negmas"  # apart from the random domains' own JSON files
    folder.mkdir(exist_ok=True)
    path = folder / f"{domain.name}.json"
    path.write_text(json.dumps({"sizes": list(scenario.space.sizes), "ufuns": ufuns}))
    return path


def run_negmas(domains: list[Domain], folder: Path) -> list[dict[str, Any]]:
    """SAO Boulware vs Boulware, 100 steps, on every domain NegMAS can read."""
    paths = {i: export(d, folder) for i, d in enumerate(domains)}
    readable = [(i, p) for i, p in paths.items() if p is not None]
    if not readable:
        return []
    start = time.perf_counter()
    out = subprocess.run(
        [
            str(ensure(quiet=True)),
            str(HERE / "negmas_quality_worker.py"),
            "--steps",
            "100",
            "--only",
            "SAO Boulware",
            *(str(p) for _, p in readable),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE,
    )
    seconds = (time.perf_counter() - start) / len(readable)
    line = next(x for x in reversed(out.stdout.splitlines()) if x.startswith("RESULT "))
    results = json.loads(line[len("RESULT ") :])
    rows = []
    for (i, _), got in zip(readable, results, strict=True):
        got = got["SAO Boulware"]
        point = None
        if got["agreement"] is not None:
            scenario = _scenario(domains[i].source, 100)
            outcome = tuple(got["agreement"])
            point = [p.preferences.utility(outcome) for p in scenario.principals]
        rows.append(
            {"domain": i, "label": NEGMAS, "rounds": 100, "strategy": "boulware",
             "feedback": "truthful", "point": point, "rounds_taken": got["rounds"],
             "questions": 0, "seconds": seconds}
        )  # fmt: skip
    return rows


# -- scoring ---------------------------------------------------------------------------------


def score(row: dict[str, Any], domain: Domain) -> dict[str, Any]:
    if row["point"] is None:
        return {"agreed": False, "ratio": 0.0}
    p = np.array(row["point"]) - domain.floor
    front = domain.front - domain.floor
    distance = float(np.sqrt(((front - p) ** 2).sum(axis=1)).min())
    return {"agreed": True, "ratio": float(np.prod(p)) / domain.best, "distance": distance}


@dataclass(frozen=True)
class Summary:
    runs: int
    agreement: float
    mean: float
    """Mean ratio over every session, failures as 0."""
    agreed_mean: float
    worst: float
    worst_domain: str
    distance: float
    rounds: float
    questions: float
    seconds: float


def summarize(rows: list[dict[str, Any]], domains: list[Domain]) -> Summary:
    scored = [score(r, domains[r["domain"]]) for r in rows]
    ratios = [s["ratio"] for s in scored]
    agreed = [s for s in scored if s["agreed"]]
    worst = int(np.argmin(ratios))
    return Summary(
        runs=len(rows),
        agreement=len(agreed) / len(rows),
        mean=float(np.mean(ratios)),
        agreed_mean=float(np.mean([s["ratio"] for s in agreed])) if agreed else float("nan"),
        worst=ratios[worst],
        worst_domain=domains[rows[worst]["domain"]].name,
        distance=float(np.mean([s["distance"] for s in agreed])) if agreed else float("nan"),
        rounds=float(np.mean([r["rounds_taken"] for r in rows])),
        questions=float(np.mean([r["questions"] for r in rows])),
        seconds=float(np.mean([r["seconds"] for r in rows])),
    )


HEAD = (
    "method", "principals", "rounds", "runs", "mean ratio", "worst domain", "agreement",
    "ratio when agreed", "Pareto distance", "rounds taken", "questions", "s / session",
)  # fmt: skip


def table(summaries: Iterable[tuple[tuple[str, str, int], Summary]]) -> str:
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    for (label, strategy, rounds), s in summaries:
        cells = [
            label, strategy, str(rounds), str(s.runs), f"{s.mean:.3f}",
            f"{s.worst:.3f} ({s.worst_domain})", f"{s.agreement:.0%}", f"{s.agreed_mean:.3f}",
            f"{s.distance:.3f}", f"{s.rounds:.1f}", f"{s.questions:.0f}", f"{s.seconds:.2f}",
        ]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def grouped(
    rows: list[dict[str, Any]], domains: list[Domain], feedback: str = "truthful"
) -> dict[tuple[str, str, int], Summary]:
    groups: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for r in rows:
        if r["feedback"] == feedback:
            groups.setdefault((r["label"], r["strategy"], r["rounds"]), []).append(r)
    order = [m.label for m in METHODS] + [NEGMAS]
    strategies = ["boulware", *STRATEGIES]
    keys = sorted(groups, key=lambda k: (k[2], strategies.index(k[1]), order.index(k[0])))
    return {k: summarize(groups[k], domains) for k in keys}


# -- the run ---------------------------------------------------------------------------------


@dataclass
class DomainSet:
    key: str
    title: str
    domains: list[Domain]
    note: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)


def jobs_for(dset: DomainSet, methods: list[Method], quick: bool) -> list[Job]:
    labels = [m.label for m in methods]
    learning = [label for label in LEARNING if label in labels]
    # 1,000 rounds of a learning mediator take ten to forty times a 100-round session: the
    # long rows and the feedback modes run on the first domains of (a) only, to fit the time.
    long_runs = [m.label for m in methods if m.blind and not m.questions]
    strategic = [*learning, "shuttle nash-bridging, 3 questions"]
    jobs = []
    for i, d in enumerate(dset.domains):
        jobs += [Job(i, d.source, label) for label in labels]
        jobs += [Job(i, d.source, label, strategy=s) for label in learning for s in STRATEGIES]
        if dset.key != "a":
            continue
        jobs += [Job(i, d.source, label, rounds=r) for label in learning for r in (25, 50)]
        if i < LONG_DOMAINS and not quick:
            jobs += [Job(i, d.source, label, rounds=1000) for label in long_runs]
        if i < STRATEGIC_DOMAINS:
            jobs += [
                Job(i, d.source, label, feedback=f)
                for label in strategic
                if label in labels
                for f in FEEDBACK_MODES
            ]
    return jobs


def verdicts(sets: list[DomainSet]) -> str:
    """Issue 19's targets, each met or missed by how much, from this run's rows."""
    lines = []
    for dset in sets:
        s = grouped(dset.rows, dset.domains)
        get = s.get
        negmas = get((NEGMAS, "boulware", 100))
        bar = negmas.mean if negmas else float("nan")
        alone = get(("direct (no mediator)", "boulware", 100))
        own = alone.mean if alone else float("nan")
        single = [k for k in s if k[0].startswith("single-text") and BY_LABEL[k[0]].blind
                  and k[1:] == ("boulware", 100)]  # fmt: skip
        best = max(single, key=lambda k: s[k].mean) if single else None
        parts = []
        if best is not None:
            v = s[best]
            parts.append(
                f"best blind single text ({best[0]}) {v.mean:.3f} mean "
                f"({_gap(v.mean, 0.97)}), worst {v.worst:.3f} ({_gap(v.worst, 0.85)}), "
                f"{'above' if v.mean > bar else 'not above'} NegMAS SAO {bar:.3f}"
            )
        shuttle = get(("shuttle nash-bridging", "boulware", 100))
        if shuttle is not None:
            parts.append(
                f"shuttle nash-bridging {shuttle.mean:.3f} mean ({_gap(shuttle.mean, 0.95)}), "
                f"worst {shuttle.worst:.3f}, agreement {shuttle.agreement:.0%} "
                f"({_gap(shuttle.agreement, 1.0)}), "
                f"{'above' if shuttle.mean > bar else 'not above'} NegMAS SAO {bar:.3f}, "
                f"{'above' if shuttle.mean > own else 'not above'} Parley's own boulware "
                f"parties bargaining alone {own:.3f}"
            )
        for label in ("single-text confidential", "shuttle confidential"):
            c = get((label, "boulware", 100))
            if c is not None:
                exact = c.agreement == 1.0 and c.worst > 1 - 1e-9
                parts.append(f"{label} {'exactly optimal' if exact else f'{c.mean:.4f}'}")
        long = [(k, v) for k, v in s.items() if k[2] == 1000 and k[1] == "boulware"]
        if long:
            k, v = max(long, key=lambda kv: kv[1].mean)
            parts.append(f"best at 1,000 rounds ({k[0]}) {v.mean:.3f} ({_gap(v.mean, 0.99)})")
        lines.append(f"- **{dset.title}**: " + "; ".join(parts) + ".")
    return "\n".join(lines)


def _gap(value: float, target: float) -> str:
    return "met" if value >= target - 1e-12 else f"missed by {target - value:.3f}"


def questions_table(sets: list[DomainSet]) -> str:
    """nash-bridging's mean ratio against caucus questions asked, per set."""
    labels = [m.label for m in METHODS if m.mediator == "nash-bridging"]
    head = ["set", *(f"{label.removeprefix('shuttle nash-bridging').lstrip(', ') or '0 questions'}"
                     for label in labels)]  # fmt: skip
    lines = ["| " + " | ".join([head[0], *(f"{h}: ratio (asked per session)" for h in head[1:])])
             + " |", "|" + "---|" * len(head)]  # fmt: skip
    for dset in sets:
        s = grouped(dset.rows, dset.domains)
        cells = [dset.key]
        for label in labels:
            v = s.get((label, "boulware", 100))
            cells.append("-" if v is None else f"{v.mean:.3f} ({v.questions:.0f})")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def rounds_table(dset: DomainSet) -> str:
    """Each blind mediator's mean ratio (worst) against the round limit, boulware principals."""
    s = grouped(dset.rows, dset.domains)
    caps = sorted({k[2] for k in s if k[1] == "boulware"})
    labels = [m.label for m in METHODS if m.blind and not m.questions]
    lines = ["| method | " + " | ".join(f"{c} rounds" for c in caps) + " |",
             "|---|" + "---|" * len(caps)]  # fmt: skip
    for label in labels:
        cells = []
        for cap in caps:
            v = s.get((label, "boulware", cap))
            cells.append("-" if v is None else f"{v.mean:.3f} ({v.worst:.3f}, n={v.runs})")
        if any(c != "-" for c in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def robustness_table(dset: DomainSet) -> str:
    lines = ["| method | " + " | ".join(f"{f} mean / worst" for f in ("truthful", *FEEDBACK_MODES))
             + " |", "|---|---|---|---|"]  # fmt: skip
    per = {f: grouped(dset.rows, dset.domains, f) for f in ("truthful", *FEEDBACK_MODES)}
    for label in (*LEARNING, "shuttle nash-bridging, 3 questions"):
        key = (label, "boulware", 100)
        if key not in per["exaggerate"]:
            continue
        cells = [f"{per[f][key].mean:.3f} / {per[f][key].worst:.3f}" for f in per]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 domains of (a), no long runs")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--sets", default="abc", help="which domain sets (default: abc)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    start = time.perf_counter()
    methods = available()
    sets: list[DomainSet] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "a" in args.sets:
            count = 5 if args.quick else 20
            domains, note = random_set(folder, count)
            sets.append(DomainSet("a", f"(a) {count} random 3x10 domains", domains, note))
        if "b" in args.sets and not args.quick and GENIUSWEB.is_dir():
            domains, note = geniusweb_set(25)
            sets.append(DomainSet("b", f"(b) {len(domains)} ANL 2023 domains", domains, note))
        if "c" in args.sets and not args.quick and GENIUS.is_dir():
            domains, note = genius_set()
            sets.append(DomainSet("c", f"(c) {len(domains)} GENIUS scenarios", domains, note))
        jobs = {dset.key: jobs_for(dset, methods, args.quick) for dset in sets}
        tagged = [(dset.key, j) for dset in sets for j in jobs[dset.key]]
        done = run_jobs([j for _, j in tagged], args.workers)
        # Kept outside the run's folder, so that a failing report loses no measurement.
        Path(tempfile.gettempdir(), "mediator_quality_rows.json").write_text(json.dumps(done))
        owner = {d.source: dset for dset in sets for d in dset.domains}
        for row in done:
            owner[row["source"]].rows.append(row)
        for dset in sets:
            dset.rows += run_negmas(dset.domains, folder)
    seconds = time.perf_counter() - start
    report(sets, methods, seconds, args)


def report(sets: list[DomainSet], methods: list[Method], seconds: float, args: Any) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python bench/mediator_quality.py" + (" --quick" if args.quick else "")
    load = os.getloadavg()[0]
    parts = [
        "## Mediator quality (issues 6 and 19)",
        f"Measured {stamp} in {seconds:.0f} s on {args.workers} worker processes (load "
        f"average {load:.1f} at the end; 2 shared cores) with:\n\n```\n{command}\n```",
        "Nash ratio = product of the agreement's gains over the reservations / the largest such "
        "product (reservations are 0 in (a) and (b)); a failure counts 0 in the mean and the "
        'worst domain; "ratio when agreed" leaves failures out. Seed = domain index. Rounds '
        "taken counts a failure's rounds too. Questions = what-if questions asked per session "
        "(caucus questions, off unless the row says so). The confidential mediators use "
        "`criterion=nash` and the principals confide their profiles. NegMAS 0.16.0 runs "
        "SAO with two BoulwareTBNegotiator, 100 steps, in its own environment, on the same "
        "profiles (its s / session includes starting its process, spread over the domains).",
        "### Targets (issue 19; 100 rounds, boulware principals)",
        verdicts(sets),
    ]
    for dset in sets:
        s = grouped(dset.rows, dset.domains)
        main_rows = [(k, v) for k, v in s.items() if k[1] == "boulware" and k[2] == 100]
        other = [(k, v) for k, v in s.items() if k[1] != "boulware" or k[2] != 100]
        parts.append(f"### {dset.title}: boulware principals, 100 rounds\n\n{table(main_rows)}")
        if other:
            parts.append(
                f"### {dset.title}: other principals and other round limits\n\n{table(other)}"
            )
        if dset.note:
            parts.append(dset.note)
    parts.append(
        "### Caucus questions: quality against questions asked (shuttle nash-bridging, 100 rounds)"
        f"\n\n{questions_table(sets)}"
    )
    a = next((d for d in sets if d.key == "a"), None)
    if a is not None:
        parts.append(
            "### Quality against rounds on (a): mean ratio (worst domain, domains run)\n\n"
            + rounds_table(a)
        )
        parts.append(
            "### Robustness: strategic feedback on (a), 100 rounds (both principals answer "
            f"the same way)\n\n{robustness_table(a)}"
        )
    text = "\n\n".join(parts)
    print(text)
    if not args.no_docs:
        write_section("mediator-quality", text)


if __name__ == "__main__":
    main()
