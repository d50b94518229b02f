"""Heavy parsing in a process of its own, with a time limit.

Uploaded scenarios are parsed by code that holds the interpreter lock for long stretches (expat,
regular expressions, pydantic): on one of the server's threads a slow file stalled every other
request. Here each job runs in a fresh process forked from a forkserver (one small process
started once with the scenario modules imported, so a worker starts in milliseconds and shares
no lock with the server's threads); the server's thread only waits on a pipe, and a job that
overruns its limit is killed.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext
from typing import Any, TypeVar

from parley.errors import InvalidError, ParleyError, TooSlowError, UnavailableError

METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
CONTEXT: SpawnContext = multiprocessing.get_context(METHOD)  # type: ignore[assignment]
PRELOAD = ["parley.server.imports"]
_A = TypeVar("_A")
_R = TypeVar("_R")


def run_limited(fn: Callable[[_A], _R], arg: _A, seconds: float, what: str) -> _R:
    """``fn(arg)`` in a worker process; a ``ParleyError`` it raises comes back as a 422
    naming what failed, a job over ``seconds`` is killed (``TooSlowError``)."""
    if METHOD == "forkserver":
        CONTEXT.set_forkserver_preload(PRELOAD)  # read when the forkserver first starts
    mine, theirs = CONTEXT.Pipe(duplex=False)
    process = CONTEXT.Process(target=_work, args=(theirs, fn, arg), daemon=True)
    process.start()
    theirs.close()  # so that the worker's death reads as end-of-file here
    try:
        if not mine.poll(seconds):
            raise TooSlowError(f"{what}: reading it took more than {seconds:g} s (the limit)")
        ok, value = mine.recv()
    except EOFError:
        raise UnavailableError(f"{what}: the reader stopped unexpectedly; try again") from None
    finally:
        process.kill()
        process.join()
        mine.close()
    if not ok:
        raise InvalidError(value)
    result: _R = value
    return result


def _work(out: Connection, fn: Callable[[Any], Any], arg: Any) -> None:
    try:
        out.send((True, fn(arg)))
    except ParleyError as exc:
        out.send((False, str(exc)))
    except RecursionError:
        out.send((False, "the input nests too deeply to be read"))
    finally:
        out.close()
