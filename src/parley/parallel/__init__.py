"""Many independent, seeded jobs on every local core or on a Ray cluster.

Tournaments and forecasts are thousands of negotiations that share nothing but their inputs.
``run_jobs`` plays them on worker processes and streams each result back as it finishes::

    from parley.parallel import run_jobs

    def one(context: Scenario, seed: int) -> float:       # module level: workers import it
        ...                                                # everything random derives from seed

    for done in run_jobs(one, seeds, context=scenario, workers=4, timeout=30):
        done.index      # position of the job in ``seeds``
        done.value      # what ``one`` returned (None if it failed)
        done.failure    # None, or "ValueError: ...", "timeout after 30 s", "worker died ..."

The rules callers rely on:

- ``fn(context, job)`` is a module-level function; ``context`` (sent once to each local worker,
  put once in Ray's object store) and every job and result are plain picklable data. A job
  carries its own seed, so results are the same whatever the backend, the number of workers
  or the order they finish in.
- Results arrive in completion order, each exactly once; sort by ``index`` for a fixed order.
- A job that raises is a failure ``"TypeName: message"``; it is not retried.
- A job still running after ``timeout`` seconds is a failure ``"timeout after N s"``: its
  worker is killed and replaced, and the run goes on.
- A worker that dies (killed, segfault, ``os._exit``) has its job redone on a fresh worker, up to
  ``tries`` attempts in all; after that the job is a failure ``"worker died ..."``.
- Jobs go to workers in batches (``batch`` jobs per call; by default one on local processes and
  many on Ray, where a call costs as much as a small job). A worker runs its batch in order and
  reports each job as it finishes, so every rule above holds job by job: a raising or hung job
  fails alone and the rest of its batch runs. A dead worker's unfinished jobs are run again
  each in a call of its own (Ray may lose a dying worker's last reports, so which one it was
  running is not certain); a try is used up only by a death while the job ran alone.
- Backends: local processes ("spawn" start, safe with threads and on every OS) by default;
  ``ray="local"`` starts a Ray instance on this machine, ``ray="HOST:PORT"`` joins an existing
  cluster (``ray start --head`` ...). Ray is optional: without it a ``ParleyError`` names
  ``pip install parley[ray]``. An already initialised Ray (``ray.init`` by the caller) is used
  as it is.
- Closing the iterator early (``break``) stops every worker (on Ray, every batch in flight).
- Local workers are forked from a forkserver ("spawn" where there is none), which imports the
  caller's main module again: a script must keep its work under ``if __name__ == "__main__":``.

``Done`` records are frozen dataclasses; ``describe`` formats an exception as failures do.
"""

from parley.parallel.backend import describe
from parley.parallel.runner import Done, run_jobs

__all__ = ["Done", "describe", "run_jobs"]
