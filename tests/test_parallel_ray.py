"""The Ray backend (a local Ray with 2 CPUs, started once for this module): the same results
as local processes, for bare jobs and for a whole tournament file, faults included; in a batch
of jobs (one remote call) each fault fails its own job alone."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import ray  # the dev extra installs it: CI runs this module, never skips it

from parley.errors import ParleyError
from parley.parallel import Done, run_jobs
from parley.parallel.ray_tasks import connect
from parley.tournament import make_grid, run_tournament
from tests.parallel_jobs import DiesOnArrival, Job, draw, job


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    connect("local", 2)
    yield
    ray.shutdown()


def _run(jobs: list[Job], **options: object) -> list[Done[list[float]]]:
    done = list(run_jobs(job, jobs, 2.0, **options))  # type: ignore[arg-type]
    assert sorted(d.index for d in done) == list(range(len(jobs)))  # each exactly once
    return sorted(done, key=lambda d: d.index)


def _expected(seeds: range | list[int]) -> list[list[float]]:
    return [[2.0 * x for x in draw(s)] for s in seeds]


def test_ray_gives_the_same_results_and_failures_as_processes() -> None:
    jobs = [("ok", s, "") for s in range(6)] + [("raise", 3, ""), ("hang", 0, "")]
    on_ray = _run(jobs, ray="local", timeout=1.0, batch=3)
    local = _run(jobs, workers=2, timeout=1.0)
    assert [(d.value, d.failure) for d in on_ray] == [(d.value, d.failure) for d in local]
    assert [d.value for d in on_ray[:6]] == _expected(range(6))
    assert [d.failure for d in on_ray[6:]] == ["ValueError: bad input 3", "timeout after 1 s"]


def test_a_raising_job_fails_alone_and_its_batch_goes_on() -> None:
    jobs = [("ok", 0, ""), ("raise", 7, ""), ("ok", 1, ""), ("raise", 8, ""), ("ok", 2, "")]
    done = _run(jobs, ray="local", batch=len(jobs))
    assert [d.failure for d in done] == [
        None,
        "ValueError: bad input 7",
        None,
        "ValueError: bad input 8",
        None,
    ]
    assert [d.value for d in done if d.ok] == _expected([0, 1, 2])
    assert all(d.attempts == 1 for d in done)


def test_a_hanging_job_fails_alone_and_the_rest_of_its_batch_finish() -> None:
    jobs = [("ok", 0, ""), ("ok", 1, ""), ("hang", 9, ""), ("ok", 2, ""), ("ok", 3, "")]
    done = _run(jobs, ray="local", batch=len(jobs), timeout=1.0)
    assert [d.failure for d in done] == [None, None, "timeout after 1 s", None, None]
    assert [d.value for d in done if d.ok] == _expected([0, 1, 2, 3])
    assert all(d.attempts == 1 for d in done)  # the jobs after the hang were requeued, not retried


def test_a_dead_workers_unfinished_jobs_run_again_and_only_the_killer_fails(
    tmp_path: Path,
) -> None:
    jobs = [("ok", 0, ""), ("die-once", 5, str(tmp_path)), ("ok", 1, ""), ("die", 6, "")]
    done = _run(jobs, ray="local", batch=len(jobs))
    assert [d.value for d in done[:3]] == _expected([0, 5, 1])
    assert (done[3].failure or "").startswith("worker died 2 times (")
    assert [d.attempts for d in done] == [1, 1, 1, 2]


def test_a_worker_dead_before_its_batch_starts_has_the_whole_batch_redone(tmp_path: Path) -> None:
    jobs = [("ok", 0, ""), DiesOnArrival(5, str(tmp_path)), ("ok", 2, "")]
    done = _run(jobs, ray="local", batch=3)  # type: ignore[arg-type]
    assert [d.value for d in done] == _expected([0, 5, 2])
    assert [d.attempts for d in done] == [1, 1, 1]


def test_a_tournament_on_ray_writes_the_same_file(tmp_path: Path) -> None:
    grid = make_grid(
        "test",
        {
            "scenarios": ["nash-1950", "muscat-2026"],
            "strategies": ["boulware", "conceder"],
            "seeds": 4,  # 32 matches: batches of 4 on 2 Ray workers
        },
    )
    run_tournament(grid, tmp_path / "local.parquet", workers=1)
    run_tournament(grid, tmp_path / "ray.parquet", ray="local", workers=2)
    assert pq.read_table(tmp_path / "ray.parquet").equals(pq.read_table(tmp_path / "local.parquet"))


def test_workers_that_cannot_load_the_job_function_stop_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a module the caller can import but Ray's workers (started before) cannot
    (tmp_path / "late_jobs.py").write_text("def job(context, spec):\n    return spec\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    late = importlib.import_module("late_jobs")
    with pytest.raises(ParleyError, match="parallel workers fail to start: RayTaskError"):
        list(run_jobs(late.job, list(range(6)), None, ray="local", batch=2))
