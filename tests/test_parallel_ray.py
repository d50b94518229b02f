"""The Ray backend (a local Ray with 2 CPUs, started once for this module): the same results
as local processes, for bare jobs and for a whole tournament file, faults included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import ray  # the dev extra installs it: CI runs this module, never skips it

from parley.parallel import run_jobs
from parley.parallel.ray_actors import connect
from parley.tournament import make_grid, run_tournament
from tests.parallel_jobs import draw, job


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    connect("local", 2)
    yield
    ray.shutdown()


def test_ray_gives_the_same_results_and_failures_as_processes() -> None:
    jobs = [("ok", s, "") for s in range(6)] + [("raise", 3, ""), ("hang", 0, "")]
    on_ray = sorted(run_jobs(job, jobs, 2.0, ray="local", timeout=1.0), key=lambda d: d.index)
    local = sorted(run_jobs(job, jobs, 2.0, workers=2, timeout=1.0), key=lambda d: d.index)
    assert [d.value for d in on_ray] == [d.value for d in local]
    assert [d.value for d in on_ray[:6]] == [[2.0 * x for x in draw(s)] for s in range(6)]
    assert [d.failure for d in on_ray[6:]] == ["ValueError: bad input 3", "timeout after 1 s"]


def test_a_tournament_on_ray_writes_the_same_file(tmp_path: Path) -> None:
    grid = make_grid(
        "test",
        {
            "scenarios": ["nash-1950", "muscat-2026"],
            "strategies": ["boulware", "conceder"],
            "seeds": 2,
        },
    )
    run_tournament(grid, tmp_path / "local.parquet", workers=1)
    run_tournament(grid, tmp_path / "ray.parquet", ray="local", workers=2)
    assert pq.read_table(tmp_path / "ray.parquet").equals(pq.read_table(tmp_path / "local.parquet"))
