"""The parallel runner on local processes: same results whatever the worker count, and every
fault (raise, hang, dead worker) recorded as that job's failure while the run goes on."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from parley.errors import ParleyError
from parley.parallel import Done, run_jobs
from parley.parallel.runner import MAX_BATCH, batch_size
from tests.parallel_jobs import DiesOnArrival, Job, KillsOnLoad, draw, job


def _run(jobs: list[Job], **options: object) -> list[Done[list[float]]]:
    done = list(run_jobs(job, jobs, 2.0, **options))  # type: ignore[arg-type]
    assert sorted(d.index for d in done) == list(range(len(jobs)))  # each exactly once
    return sorted(done, key=lambda d: d.index)


def test_results_are_the_same_for_one_and_two_workers(tmp_path: Path) -> None:
    jobs = [("ok", seed, str(tmp_path)) for seed in range(12)]
    one, two = _run(jobs, workers=1), _run(jobs, workers=2)
    expected = [[2.0 * x for x in draw(seed)] for _, seed, _ in jobs]  # the serial oracle
    assert [d.value for d in one] == expected
    assert [d.value for d in two] == expected
    assert all(d.failure is None and d.attempts == 1 for d in one + two)


def test_raising_and_hanging_jobs_are_failures_and_the_rest_finish(tmp_path: Path) -> None:
    jobs = [("ok", 0, ""), ("raise", 7, ""), ("hang", 1, ""), ("ok", 2, ""), ("ok", 3, "")]
    done = _run(jobs, workers=2, timeout=1.0)
    assert done[1].failure == "ValueError: bad input 7"
    assert done[2].failure == "timeout after 1 s"
    assert [d.value for d in (done[0], done[3], done[4])] == [
        [2.0 * x for x in draw(s)] for s in (0, 2, 3)
    ]


def test_a_killed_worker_has_its_job_redone(tmp_path: Path) -> None:
    jobs = [("die-once", 5, str(tmp_path)), ("die", 6, ""), ("ok", 8, "")]
    done = _run(jobs, workers=2)
    assert done[0].failure is None
    assert done[0].attempts == 2
    assert done[0].value == [2.0 * x for x in draw(5)]
    assert done[1].failure == "worker died 2 times (killed by SIGKILL)"
    assert done[2].value == [2.0 * x for x in draw(8)]


def test_in_a_batch_each_fault_fails_its_job_alone(tmp_path: Path) -> None:
    # one batch of eight on one worker: a raise, a hang and two deaths among good jobs
    jobs = [
        ("ok", 0, ""),
        ("raise", 7, ""),
        ("ok", 2, ""),
        ("hang", 1, ""),
        ("ok", 3, ""),
        ("die-once", 5, str(tmp_path)),
        ("ok", 4, ""),
        ("die", 6, ""),
    ]
    done = _run(jobs, workers=1, batch=len(jobs), timeout=1.0)
    assert [d.failure for d in done] == [
        None,
        "ValueError: bad input 7",
        None,
        "timeout after 1 s",
        None,
        None,
        None,
        "worker died 2 times (killed by SIGKILL)",
    ]
    assert [d.value for d in done if d.ok] == [[2.0 * x for x in draw(s)] for s in (0, 2, 3, 5, 4)]
    # a batch's death is charged to no one: its unfinished jobs ran again, each alone, and
    # only the job that killed its worker alone (twice) used up tries
    assert [d.attempts for d in done] == [1, 1, 1, 1, 1, 1, 1, 2]


def test_a_job_that_kills_every_batch_it_is_in_fails_alone() -> None:
    jobs = [("die", 6, "")] + [("ok", seed, "") for seed in range(5)]
    done = _run(jobs, workers=1, batch=3)
    assert done[0].failure == "worker died 2 times (killed by SIGKILL)"
    assert [d.value for d in done[1:]] == [[2.0 * x for x in draw(s)] for s in range(5)]


def test_a_worker_dead_before_its_batch_starts_has_the_whole_batch_redone(tmp_path: Path) -> None:
    jobs = [("ok", 0, ""), DiesOnArrival(5, str(tmp_path)), ("ok", 2, "")]
    done = _run(jobs, workers=1, batch=3)  # type: ignore[arg-type]
    assert [d.value for d in done] == [[2.0 * x for x in draw(s)] for s in (0, 5, 2)]
    assert [d.attempts for d in done] == [1, 1, 1]  # nothing ran, so no job used up a try


def test_batches_give_the_same_results_as_single_jobs() -> None:
    jobs = [("ok", seed, "") for seed in range(10)]
    single, batched = _run(jobs, workers=2, batch=1), _run(jobs, workers=2, batch=4)
    assert [d.value for d in batched] == [d.value for d in single]


def test_batch_size_gives_each_worker_several_batches_on_ray_only() -> None:
    assert batch_size(256, 2, remote=True) == 32  # four per worker
    assert batch_size(7, 2, remote=True) == 1
    assert batch_size(10**6, 2, remote=True) == MAX_BATCH
    assert batch_size(256, 2, remote=False) == 1  # a local worker's next job is one message away


def test_workers_that_cannot_start_stop_the_run() -> None:
    with pytest.raises(ParleyError, match=r"parallel workers fail to start: killed by SIGKILL"):
        list(run_jobs(job, [("ok", 0, "")], KillsOnLoad(), workers=1))


def test_no_jobs_start_no_workers() -> None:
    assert list(run_jobs(job, [], 1.0)) == []


@pytest.mark.parametrize(
    ("options", "message"),
    [({"workers": 0}, "--workers: must be at least 1"), ({"timeout": 0}, "--timeout: must be")],
)
def test_bad_options_are_user_errors(options: dict[str, float], message: str) -> None:
    with pytest.raises(ParleyError, match=message):
        list(run_jobs(job, [("ok", 0, "")], 1.0, **options))  # type: ignore[arg-type]


def test_ray_missing_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(ParleyError, match=r"pip install parley\[ray\]"):
        list(run_jobs(job, [("ok", 0, "")], 1.0, ray="local"))
