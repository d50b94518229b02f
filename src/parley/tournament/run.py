"""Running a grid: load and analyse its scenarios, play the matches not yet in the results
file on the parallel runner, journal each row as it arrives, and write the Parquet file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from parley.analysis import Analysis, analyze
from parley.errors import AnalysisError
from parley.parallel import run_jobs
from parley.scenario import Scenario, load
from parley.strategies.plugins import load_files
from parley.tournament.grid import Grid, check_names, matches
from parley.tournament.match import Context, play_match
from parley.tournament.rows import Journal, make_row

Row = dict[str, Any]


class Tournament:
    """A grid checked, its scenarios loaded and analysed, and its results file opened.

    Everything that can be wrong with the user's input is found here, before any work starts.
    ``total`` is the grid's size and ``already`` how many of its rows ``out`` already holds.
    """

    def __init__(self, grid: Grid, out: Path, *, resume: bool = False) -> None:
        load_files(grid.imports)
        check_names(grid)
        self.grid = grid
        self.scenarios = {name: load(name) for name in grid.scenarios}
        grid_matches = matches(grid, self.scenarios)
        self.journal = Journal(out, grid, resume=resume)
        self.analyses = {name: _analysis(s) for name, s in self.scenarios.items()}
        self.todo = [m for m in grid_matches if m.number not in self.journal.rows]
        self.total = len(grid_matches)
        self.already = self.total - len(self.todo)

    def play(
        self,
        *,
        workers: int | None = None,
        ray: str | None = None,
        on_row: Callable[[Row], None] | None = None,
    ) -> list[Row]:
        """Play the matches not yet done; return every row of the grid, by match number.

        ``on_row(row)`` is called after each new row is journalled.
        """
        context = Context(self.scenarios, self.grid.imports)
        try:
            for done in run_jobs(
                play_match, self.todo, context, workers=workers, ray=ray, timeout=self.grid.timeout
            ):
                match = self.todo[done.index]
                scenario, analysis = self.scenarios[match.scenario], self.analyses[match.scenario]
                row = make_row(match, done, scenario, analysis)
                self.journal.add(row)
                if on_row is not None:
                    on_row(row)
        finally:
            self.journal.close()
        return self.journal.finish()


def run_tournament(
    grid: Grid,
    out: Path,
    *,
    workers: int | None = None,
    ray: str | None = None,
    resume: bool = False,
    on_row: Callable[[Row], None] | None = None,
) -> list[Row]:
    """Play every match of ``grid`` not already in ``out``; return all rows, by match number."""
    return Tournament(grid, out, resume=resume).play(workers=workers, ray=ray, on_row=on_row)


def _analysis(scenario: Scenario) -> Analysis | None:
    try:
        return analyze(scenario)
    except AnalysisError:
        return None  # the rows still say who agreed on what; only the yardsticks are missing
