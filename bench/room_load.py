"""Load on the negotiation room: N concurrent sessions over WebSocket on loopback.

    python bench/room_load.py                 # 200 sessions, writes the room-load section
    python bench/room_load.py --sessions 20 --repeat 1 --no-write
    python bench/room_load.py --only paced --repeat 1 --no-write --profile /tmp/room
        # py-spy (pip install py-spy; not a dependency) samples the server while it holds
        # the GIL; /tmp/room.0.txt holds the collapsed stacks (flamegraph.pl, speedscope)

A real ``parley serve`` (its own process, SQLite in WAL mode, every answer committed before it
is acknowledged) hosts N shuttle sessions of Nash's barter. In each, Oman's part is played by
the server's built-in ``relay`` mediator, and both delegations by people simulated here: each
holds a WebSocket and answers its pending ask with a simple time-based policy (ask for a
package worth a target that falls linearly from its best to its reservation over the rounds;
accept what reaches the target). Delegations are client-side so that every turn crosses the
network twice, as it does with people; the mediator is server-side because that is how a
built-in seat runs in the room.

Two workloads: *saturated* (everyone answers at once, all sessions start together: the
throughput) and *paced* (seeded random think times, session starts staggered: the relay latency
people would see), the paced one repeated to show the machine's noise.

Measured: **relay latency**, from a delegation sending its answer to the other delegation's
WebSocket receiving the view with the package the mediator carried to it (the whole path:
request, engine, the built-in mediator, the commit, the push); **ack latency**, from sending an
action to its acknowledgement (after commit); throughput in transcript messages and in actions
per second over the whole run; the server's CPU time per action.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import websockets
from sections import write_section

SCENARIO = "nash-1950"
ROUNDS = 10


@dataclass
class Stats:
    relay: list[float] = field(default_factory=list)
    ack: list[float] = field(default_factory=list)
    actions: int = 0
    messages: int = 0
    agreements: int = 0
    ended: int = 0
    running: int = 0
    peak: int = 0


class Delegation:
    """A simulated person: ranks every package by its own profile and concedes linearly."""

    def __init__(self, view: dict[str, Any]) -> None:
        profile = view["profile"]
        issues = [issue["name"] for issue in view["agenda"]]
        options = [[o["id"] for o in issue["options"]] for issue in view["agenda"]]
        ranked = []
        for combo in itertools.product(*options):
            value = sum(
                profile["weights"][i] * profile["values"][i][str(o)]
                for i, o in zip(issues, combo, strict=True)
            )
            ranked.append((value, dict(zip(issues, combo, strict=True))))
        ranked.sort(key=lambda pair: -pair[0])
        self.ranked = ranked
        self.reservation = float(view["reservation"])

    def target(self, view: dict[str, Any]) -> float:
        session = view["session"]
        progress = min(1.0, (session["round"] - 1) / max(1, session["deadline"] - 1))
        best = self.ranked[0][0]
        return best - (best - self.reservation) * progress

    def answer(self, view: dict[str, Any]) -> dict[str, Any]:
        pending = view["pending"]
        target = max(self.target(view), self.reservation + 1e-9)
        allowed = pending["allowed"]
        value = pending["offer_value"]
        if "accept" in allowed and value is not None and value >= target:
            return {"turn": pending["turn"], "kind": "accept"}
        package = next(p for v, p in reversed(self.ranked) if v >= target)
        kind = "propose" if "propose" in allowed else "counter"
        return {"turn": pending["turn"], "kind": kind, "package": package}


@dataclass(frozen=True)
class Workload:
    """How the simulated people behave: ``think`` is the mean seconds to answer (0: at once),
    drawn per answer from ``think * uniform(1 - spread, 1 + spread)``; session starts are
    spread uniformly over ``stagger`` seconds; both drawn from ``seed``."""

    label: str
    think: float = 0.0
    spread: float = 0.0
    stagger: float = 0.0
    seed: int = 0


class Talks:
    """One session: its two delegations' sockets and the time each last acted."""

    def __init__(self, stats: Stats, workload: Workload, index: int) -> None:
        self.stats = stats
        self.workload = workload
        self.index = index
        self.sent_at: dict[str, float] = {}
        self.over = False

    def started(self) -> None:
        self.stats.running += 1
        self.stats.peak = max(self.stats.peak, self.stats.running)

    def finished(self) -> None:
        if not self.over:
            self.over = True
            self.stats.running -= 1

    def thinking(self, party: str) -> random.Random:
        # One stream per seat, so a seat's think times do not depend on the others' timing.
        return random.Random(f"{self.workload.seed}:{self.index}:{party}")

    async def seat(self, url: str, party: str, token: str) -> None:
        think, spread = self.workload.think, self.workload.spread
        rng = self.thinking(party)
        async with websockets.connect(url, max_size=None) as ws:
            await ws.send(json.dumps({"type": "auth", "token": token}))  # never in the URL
            delegation: Delegation | None = None
            last_turn = None
            async for raw in ws:
                message = json.loads(raw)
                now = time.perf_counter()
                if message["type"] == "ack":
                    self.stats.ack.append(now - self.sent_at[party])
                    continue
                if message["type"] != "view":
                    raise RuntimeError(f"{party}: {message}")
                view = message["view"]
                if delegation is None:
                    delegation = Delegation(view)
                if view["result"] is not None:
                    self.stats.ended += 1
                    self.stats.agreements += view["result"]["agreement"] is not None
                    self.stats.messages += len(view["messages"])
                    self.finished()
                    return
                pending = view["pending"]
                if pending is None or pending["turn"] == last_turn:
                    continue
                last_turn = pending["turn"]
                others = [t for p, t in self.sent_at.items() if p != party]
                if others and pending["offer"] is not None:
                    self.stats.relay.append(now - max(others))
                body = delegation.answer(view)
                if think:
                    await asyncio.sleep(think * rng.uniform(1 - spread, 1 + spread))
                self.sent_at[party] = time.perf_counter()
                self.stats.actions += 1
                await ws.send(json.dumps({"type": "action", **body}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def run(base: str, sessions: int, workload: Workload, stats: Stats) -> float:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        body = {"scenario": SCENARIO, "protocol": "shuttle", "mediator": "relay", "rounds": ROUNDS}
        created = []
        for k in range(sessions):
            response = await client.post("/api/sessions", json={**body, "seed": k})
            response.raise_for_status()
            created.append(response.json())
        tasks, talks = [], []
        ws_base = base.replace("http://", "ws://")
        for k, c in enumerate(created):
            t = Talks(stats, workload, k)
            talks.append(t)
            for seat in c["seats"]:
                if seat["token"]:
                    url = f"{ws_base}/api/sessions/{c['id']}/ws"
                    tasks.append(asyncio.create_task(t.seat(url, seat["party"], seat["token"])))
        await asyncio.sleep(1.0)  # every socket connected and holding its first view
        starts = random.Random(f"{workload.seed}:starts")
        offsets = [starts.uniform(0.0, workload.stagger) for _ in created]
        started = time.perf_counter()

        async def start(c: dict[str, Any], t: Talks, offset: float) -> None:
            await asyncio.sleep(offset)
            token = c["facilitator"]["token"]
            t.started()  # before the request: its answer may come after the first views
            response = await client.post(
                f"/api/sessions/{c['id']}/start", headers={"Authorization": f"Bearer {token}"}
            )
            response.raise_for_status()

        await asyncio.gather(*map(start, created, talks, offsets))
        await asyncio.gather(*tasks)
        return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def serve(db: Path, port: int, profile: Path | None = None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "parley.cli.app", "serve", "--port", str(port)]
    command += ["--db", f"sqlite:///{db}", "--open", "--creations-per-minute", "0"]
    if profile is not None:  # py-spy (pip install py-spy; not a dependency) samples the server
        spy = ["py-spy", "record", "--gil", "--rate", "250", "--threads", "--format", "raw"]
        command = [*spy, "-o", str(profile), "--", *command]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


def wait_up(base: str) -> None:
    for _ in range(400):
        try:
            if httpx.get(f"{base}/api/scenarios").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit("the server did not start")


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pid(process: subprocess.Popen[bytes]) -> int:
    """The server's pid: the process itself, or py-spy's child when profiling."""
    for _ in range(100):
        if Path(process.args[0]).name != "py-spy":  # type: ignore[index]
            return process.pid
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.05)
    raise SystemExit("py-spy did not start the server")


@dataclass
class Run:
    workload: Workload
    seconds: float
    server_cpu: float
    client_cpu: float
    stats: Stats
    load: float


def measure(sessions: int, workload: Workload, profile: Path | None = None) -> Run:
    """One run on a fresh server."""
    stats = Stats()
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        process = serve(Path(folder) / "room.sqlite", port, profile)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_up(base)
            load = os.getloadavg()[0]  # others' work on a shared machine shows here
            pid = server_pid(process)
            before, client = server_cpu(pid), time.process_time()
            elapsed = asyncio.run(run(base, sessions, workload, stats))
            cpu, client = server_cpu(pid) - before, time.process_time() - client
        finally:
            # py-spy writes its profile on SIGINT; the server alone stops on either signal.
            process.send_signal(signal.SIGINT if profile else signal.SIGTERM)
            process.wait(timeout=60)
    return Run(workload, elapsed, cpu, client, stats, load)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--think", type=float, default=1.0, help="paced: mean seconds to answer")
    parser.add_argument("--spread", type=float, default=0.5, help="paced: think * U(1-s, 1+s)")
    parser.add_argument("--stagger", type=float, default=5.0, help="paced: starts spread (s)")
    parser.add_argument("--repeat", type=int, default=3, help="paced runs (the spread)")
    parser.add_argument("--only", choices=["saturated", "paced"], help="one kind of run")
    parser.add_argument("--profile", type=Path, help="py-spy raw profile of the server to FILE")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    workloads = []
    if args.only != "paced":
        workloads.append(Workload("saturated"))
    if args.only != "saturated":
        workloads += [
            Workload("paced", args.think, args.spread, args.stagger, seed)
            for seed in range(args.repeat)
        ]
    runs = []
    for k, workload in enumerate(workloads):
        profile = None if args.profile is None else args.profile.with_suffix(f".{k}.txt")
        runs.append(measure(args.sessions, workload, profile))
        print(report(args.sessions, runs[-1:]).splitlines()[-1], flush=True)
    table = report(args.sessions, runs)
    print(table)
    if not args.no_write and args.profile is None:
        write_section("room-load", section(args.sessions, args, table))


def describe(workload: Workload) -> str:
    if not workload.think:
        return "saturated"
    low, high = workload.think * (1 - workload.spread), workload.think * (1 + workload.spread)
    return f"paced {low:g}-{high:g} s, seed {workload.seed}"


def report(sessions: int, runs: list[Run]) -> str:
    ms = 1000.0
    lines = [
        "| run | sessions (ended, most at once) | agreements | actions | s | messages/s "
        "| actions/s | server CPU ms/action | client CPU s | relay p50 ms | p95 | p99 | max "
        "| ack p50 ms | ack p99 ms | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        stats, relay = r.stats, r.stats.relay
        lines.append(
            f"| {describe(r.workload)} | {sessions} ({stats.ended // 2}, {stats.peak}) "
            f"| {stats.agreements // 2} | {stats.actions} | {r.seconds:.1f} "
            f"| {stats.messages / 2 / r.seconds:.0f} | {stats.actions / r.seconds:.0f} "
            f"| {r.server_cpu / max(1, stats.actions) * ms:.2f} | {r.client_cpu:.1f} "
            f"| {percentile(relay, 0.5) * ms:.1f} | {percentile(relay, 0.95) * ms:.1f} "
            f"| {percentile(relay, 0.99) * ms:.1f} | {max(relay, default=0.0) * ms:.1f} "
            f"| {percentile(stats.ack, 0.5) * ms:.1f} | {percentile(stats.ack, 0.99) * ms:.1f} "
            f"| {r.load:.1f} |"
        )
    return "\n".join(lines)


def section(sessions: int, args: argparse.Namespace, table: str) -> str:
    import fastapi
    import sqlalchemy
    import uvicorn

    low, high = args.think * (1 - args.spread), args.think * (1 + args.spread)
    return f"""## Room load (issue 7)

{date.today().isoformat()}: `python bench/room_load.py --sessions {sessions} --think {args.think:g}
--spread {args.spread:g} --stagger {args.stagger:g} --repeat {args.repeat}` — one `parley serve`
process (uvicorn {uvicorn.__version__}, FastAPI {fastapi.__version__}, SQLAlchemy
{sqlalchemy.__version__}, SQLite in WAL mode with `synchronous=FULL` and group commit, Python
{platform.python_version()}) and one client process on the same machine over loopback, each run
on a fresh server and database.

**Workload.** Each session is Nash's barter in shuttle talks ({ROUNDS} rounds): the mediator is
the server's built-in `relay`; both delegations are simulated people on WebSockets (a linear
concession from their best package to their reservation), so every turn crosses the network as
a person's would. All {2 * sessions} sockets are connected before the first session starts.
*Saturated* (the throughput figure): every delegation answers the moment its view arrives and
all sessions start at the same instant, so latency there is queueing, not service. *Paced* (the
latency figure): people do not all answer at the same instant; each answer comes after a think
time drawn uniformly from {low:g}-{high:g} s (seeded, one stream per seat; still far faster than
people negotiate) and the sessions start at seeded random instants over the first
{args.stagger:g} s. "Most at once" is the largest number of sessions running at the same time
(started, not ended). The paced run is repeated with seeds 0..{args.repeat - 1}; the spread
between those rows is the machine's noise.

**Relay latency** is what a delegation waits for the mediator to carry a proposal: from one
delegation sending its answer to the other delegation's socket holding the view with the
package the mediator brought it. It covers the whole server path (WebSocket in, engine, the
built-in mediator's answer, the commit that holds both answers on disk, building and pushing
the view) and the client's own decoding; it excludes think time. Ack: action sent ->
acknowledged (after the commit and the views it caused). Messages/s: transcript messages per
second of the run; actions/s: answers the simulated people sent. Server CPU: the server
process's CPU time (user + system, all threads) per action; client CPU: the load process's.
Load: the machine's 1-minute load average as the run began (2 cores; above 2, other work
competed for them). The server runs as `parley serve` does: GIL switch interval 1 ms, start-up
objects frozen out of the garbage collector, young collections every 50,000 allocations
(`parley.server.app.tune_for_latency`).

{table}

Target: relay p99 under 50 ms with 200 concurrent sessions on 2 cores.
"""


if __name__ == "__main__":
    main()
