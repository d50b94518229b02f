"""Result rows: one per negotiation, journalled as they come, kept in a Parquet file.

While a tournament runs, every finished negotiation is appended to ``OUT.journal`` (one JSON
line, flushed at once), so a run killed at any moment loses only the negotiations in flight. At
the end the rows already in ``OUT`` and the journal's are written to ``OUT`` (sorted by match
number, through a temporary file and a rename) and the journal is removed. A resumed run reads
both, skips the matches they hold and finishes the rest. The first journal line and the Parquet
metadata hold the grid, so a different grid is never resumed into the same file.
Python floats survive JSON exactly (shortest round-trip repr), so a resumed file equals an
uninterrupted one.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from parley.analysis import Analysis
from parley.errors import FileError, UsageError
from parley.parallel import Done
from parley.scenario import Scenario
from parley.tournament.grid import Grid, Match
from parley.tournament.match import Played
from parley.tournament.scores import anac_scores

GRID_KEY = b"parley.tournament.grid"

COLUMNS = (
    "match",
    "scenario",
    "protocol",
    "mediator",
    "principals",
    "strategies",
    "seed",
    "agreed",
    "agreement",
    "utilities",
    "ended",
    "rounds",
    "nash_ratio",
    "pareto_distance",
    "time",
    "discounted",
    "welfare",
    "nash_distance",
    "model_pearson",
    "model_pareto_distance",
    "failure",
)


def schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("match", pa.int64()),
            ("scenario", pa.string()),
            ("protocol", pa.string()),
            ("mediator", pa.string()),
            ("principals", pa.list_(pa.string())),
            ("strategies", pa.list_(pa.string())),
            ("seed", pa.int64()),
            ("agreed", pa.bool_()),
            ("agreement", pa.list_(pa.struct([("issue", pa.string()), ("option", pa.string())]))),
            ("utilities", pa.list_(pa.float64())),
            ("ended", pa.string()),
            ("rounds", pa.int64()),
            ("nash_ratio", pa.float64()),
            ("pareto_distance", pa.float64()),
            ("time", pa.float64()),
            ("discounted", pa.list_(pa.float64())),
            ("welfare", pa.float64()),
            ("nash_distance", pa.float64()),
            ("model_pearson", pa.list_(pa.float64())),
            ("model_pareto_distance", pa.list_(pa.float64())),
            ("failure", pa.string()),
        ]
    )


def make_row(
    match: Match, done: Done[Played], scenario: Scenario, analysis: Analysis | None
) -> dict[str, Any]:
    """The row for ``match``; measures come from the scenario's analysis (None: not known)."""
    row: dict[str, Any] = {
        "match": match.number,
        "scenario": match.scenario,
        "protocol": match.protocol,
        "mediator": match.mediator,
        "principals": [p.name for p in scenario.principals],
        "strategies": list(match.strategies),
        "seed": match.seed,
        "agreed": None,
        "agreement": None,
        "utilities": None,
        "ended": None,
        "rounds": None,
        "nash_ratio": None,
        "pareto_distance": None,
        "time": None,
        "discounted": None,
        "welfare": None,
        "nash_distance": None,
        "model_pearson": None,
        "model_pareto_distance": None,
        "failure": done.failure,
    }
    played = done.value
    if played is None:
        return row
    row.update(
        agreed=played.agreement is not None,
        utilities=list(played.utilities),
        ended=played.ended,
        rounds=played.rounds,
        time=played.time,
    )
    profiles = [p.preferences for p in scenario.principals]
    scores = anac_scores(played.utilities, played.time, profiles, analysis)
    row.update(
        discounted=list(scores.discounted),
        welfare=scores.welfare,
        nash_distance=scores.nash_distance,
        model_pearson=list(played.model_pearson) or None,
        model_pareto_distance=list(played.model_pareto) or None,
    )
    if played.agreement is not None:
        labels = scenario.space.describe(played.agreement)
        row["agreement"] = [{"issue": k, "option": v} for k, v in labels.items()]
    if analysis is not None:
        agreed = played.agreement is not None
        row["nash_ratio"] = analysis.nash_ratio(played.utilities if agreed else None)
        if played.agreement is not None:
            row["pareto_distance"] = _finite(analysis.distance_to_pareto(played.utilities))
    return row


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


class Journal:
    """The rows of one tournament's results file: those already there, and new ones as they come."""

    def __init__(self, out: Path, grid: Grid, *, resume: bool) -> None:
        self.out = out
        self.path = out.with_name(out.name + ".journal")
        self.grid = grid.identity()
        exists = [p for p in (out, self.path) if p.exists()]
        if exists and not resume:
            raise UsageError(
                f"--out {exists[0]}: already exists; add --resume to finish that tournament, "
                "or choose another --out"
            )
        if not out.parent.is_dir():
            raise FileError(f"--out {out}: no such folder {out.parent}")
        self.rows: dict[int, dict[str, Any]] = {}
        if out.exists():
            self._read_parquet()
        if self.path.exists():
            self._read_journal()
        self._stream: IO[str] | None = None

    def add(self, row: Mapping[str, Any]) -> None:
        if self._stream is None:
            self._stream = self._open()
        self._stream.write(json.dumps(row, allow_nan=False) + "\n")
        self._stream.flush()  # in the OS's hands now: survives the process being killed
        self.rows[int(row["match"])] = dict(row)

    def finish(self) -> list[dict[str, Any]]:
        """Write every row to the Parquet file, drop the journal, return the rows in order."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._stream is not None:
            self._stream.close()
            self._stream = None
        rows = [self.rows[k] for k in sorted(self.rows)]
        table = pa.Table.from_pylist(rows, schema=schema())
        table = table.replace_schema_metadata({GRID_KEY: json.dumps(self.grid).encode()})
        partial = self.out.with_name(self.out.name + ".partial")
        pq.write_table(table, partial)
        os.replace(partial, self.out)
        self.path.unlink(missing_ok=True)
        return rows

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def _open(self) -> IO[str]:
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        try:
            stream = self.path.open("a", encoding="utf-8")
        except OSError as exc:
            raise FileError(f"{self.path}: cannot write the journal: {exc.strerror}") from None
        if fresh:
            stream.write(json.dumps({"grid": self.grid}) + "\n")
        elif not self._ends_with_newline():
            stream.write("\n")  # the killed run's last line was cut: start a clean line
        return stream

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as raw:
            raw.seek(-1, os.SEEK_END)
            return raw.read(1) == b"\n"

    def _read_parquet(self) -> None:
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(self.out)
        except (OSError, ValueError) as exc:
            raise FileError(f"--out {self.out}: not a readable Parquet file: {exc}") from None
        stored = (table.schema.metadata or {}).get(GRID_KEY)
        self._check_grid(self.out, None if stored is None else json.loads(stored))
        for row in table.to_pylist():
            self.rows[int(row["match"])] = row

    def _read_journal(self) -> None:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        if not lines:
            return
        try:
            header = json.loads(lines[0])
        except json.JSONDecodeError:
            header = {}
        self._check_grid(self.path, header.get("grid") if isinstance(header, dict) else None)
        for number, line in enumerate(lines[1:], start=2):
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                if number == len(lines):
                    break  # cut short by the kill: that negotiation is simply played again
                raise FileError(f"{self.path}: line {number} is not a result row") from None
            self.rows[int(row["match"])] = row

    def _check_grid(self, where: Path, stored: Any) -> None:
        if stored != self.grid:
            raise UsageError(
                f"--resume: {where} holds a different tournament (its grid differs from this "
                "one); resume with the same options or config, or choose another --out"
            )


def done_matches(rows: Iterable[Mapping[str, Any]]) -> set[int]:
    return {int(r["match"]) for r in rows}
