"""Load on the negotiation room: N concurrent sessions over WebSocket on loopback.

    python bench/room_load.py                 # 200 sessions, writes the room-load section
    python bench/room_load.py --sessions 20 --no-write

A real ``parley serve`` (its own process, SQLite in WAL mode, every answer committed before it
is acknowledged) hosts N shuttle sessions of Nash's barter. In each, Oman's part is played by
the server's built-in ``relay`` mediator, and both delegations by people simulated here: each
holds a WebSocket and answers its pending ask with a simple time-based policy (ask for a
package worth a target that falls linearly from its best to its reservation over the rounds;
accept what reaches the target). Delegations are client-side so that every turn crosses the
network twice, as it does with people; the mediator is server-side because that is how a
built-in seat runs in the room.

Measured: **relay latency**, from a delegation sending its answer to the other delegation's
WebSocket receiving the view with the package the mediator carried to it (the whole path:
request, engine, the built-in mediator, the commit, the push); **ack latency**, from sending an
action to its acknowledgement (after commit); throughput in transcript messages and in actions
per second over the whole run.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
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


class Talks:
    """One session: its two delegations' sockets and the time each last acted."""

    def __init__(self, stats: Stats, think: float) -> None:
        self.stats = stats
        self.think = think
        self.sent_at: dict[str, float] = {}
        self.done = asyncio.Event()

    async def seat(self, url: str, party: str) -> None:
        async with websockets.connect(url, max_size=None) as ws:
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
                    self.done.set()
                    return
                pending = view["pending"]
                if pending is None or pending["turn"] == last_turn:
                    continue
                last_turn = pending["turn"]
                others = [t for p, t in self.sent_at.items() if p != party]
                if others and pending["offer"] is not None:
                    self.stats.relay.append(now - max(others))
                body = delegation.answer(view)
                if self.think:
                    await asyncio.sleep(self.think)
                self.sent_at[party] = time.perf_counter()
                self.stats.actions += 1
                await ws.send(json.dumps({"type": "action", **body}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def run(base: str, sessions: int, think: float, stats: Stats) -> float:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        body = {"scenario": SCENARIO, "protocol": "shuttle", "mediator": "relay", "rounds": ROUNDS}
        created = []
        for k in range(sessions):
            response = await client.post("/api/sessions", json={**body, "seed": k})
            response.raise_for_status()
            created.append(response.json())
        talks, tasks = [], []
        ws_base = base.replace("http://", "ws://")
        for c in created:
            t = Talks(stats, think)
            talks.append(t)
            for seat in c["seats"]:
                if seat["token"]:
                    url = f"{ws_base}/api/sessions/{c['id']}/ws?token={seat['token']}"
                    tasks.append(asyncio.create_task(t.seat(url, seat["party"])))
        await asyncio.sleep(1.0)  # every socket connected and holding its first view
        started = time.perf_counter()
        await asyncio.gather(
            *(
                client.post(
                    f"/api/sessions/{c['id']}/start",
                    headers={"Authorization": f"Bearer {c['facilitator']['token']}"},
                )
                for c in created
            )
        )
        await asyncio.gather(*tasks)
        return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "parley.cli.app", "serve", "--port", str(port)]
    return subprocess.Popen([*command, "--db", f"sqlite:///{db}"], stdout=subprocess.DEVNULL)


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


def measure(sessions: int, think: float) -> tuple[str, float, float, Stats]:
    """One run on a fresh server: (label, seconds, server CPU seconds, stats)."""
    stats = Stats()
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        process = serve(Path(folder) / "room.sqlite", port)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_up(base)
            before = server_cpu(process.pid)
            elapsed = asyncio.run(run(base, sessions, think, stats))
            cpu = server_cpu(process.pid) - before
        finally:
            process.terminate()
            process.wait(timeout=30)
    label = "saturated (answers at once)" if not think else f"paced ({think:g} s to answer)"
    return label, elapsed, cpu, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--think", type=float, default=1.0, help="paced run: seconds per answer")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    rows = [measure(args.sessions, 0.0), measure(args.sessions, args.think)]
    table = report(args.sessions, rows)
    print(table)
    if not args.no_write:
        write_section("room-load", section(args.sessions, args.think, table))


def report(sessions: int, rows: list[tuple[str, float, float, Stats]]) -> str:
    ms = 1000.0
    lines = [
        "| run | sessions | agreements | actions | s | messages/s | actions/s "
        "| server CPU ms/action | relay p50 ms | relay p99 ms | ack p50 ms | ack p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, elapsed, cpu, stats in rows:
        ended = stats.ended // 2
        lines.append(
            f"| {label} | {sessions} ({ended} ended) | {stats.agreements // 2} "
            f"| {stats.actions} | {elapsed:.1f} | {stats.messages / 2 / elapsed:.0f} "
            f"| {stats.actions / elapsed:.0f} | {cpu / max(1, stats.actions) * ms:.2f} "
            f"| {percentile(stats.relay, 0.5) * ms:.1f} "
            f"| {percentile(stats.relay, 0.99) * ms:.1f} "
            f"| {percentile(stats.ack, 0.5) * ms:.1f} | {percentile(stats.ack, 0.99) * ms:.1f} |"
        )
    return "\n".join(lines)


def section(sessions: int, think: float, table: str) -> str:
    import fastapi
    import sqlalchemy
    import uvicorn

    return f"""## Room load (issue 7)

{date.today().isoformat()}: `python bench/room_load.py --sessions {sessions} --think {think:g}`
— one `parley serve` process (uvicorn {uvicorn.__version__}, FastAPI {fastapi.__version__},
SQLAlchemy {sqlalchemy.__version__}, SQLite in WAL mode with `synchronous=FULL` and group
commit, Python {platform.python_version()}) and one client process on the same machine over
loopback. Each session is Nash's barter in shuttle talks ({ROUNDS} rounds): the mediator is the
server's built-in `relay`; both delegations are simulated people on WebSockets (a linear
concession from their best package to their reservation), so every turn crosses the network
as a person's would. *Saturated*: every delegation answers the moment its view arrives, all
sessions started at once (the server's throughput; latency is then queueing). *Paced*: each
answer comes {think:g} s after the view (still far faster than people), which is the load the
latency target is about. Relay latency: a delegation sends its answer -> the other
delegation's socket holds the package the mediator carried (request, engine, built-in
mediator, commit, push). Ack: action sent -> acknowledged after commit. Messages: transcript
messages per second. Server CPU: the server process's CPU time per action.

{table}

Target: relay p99 under 50 ms with 200 concurrent sessions on 2 cores.
"""


if __name__ == "__main__":
    main()
