"""The web app: the API, the live channel, the pages and their static files.

``create_app(db_url)`` opens (or creates) the database, rebuilds every unfinished session in
memory at start-up, and answers every error with ``{"detail": "one clear sentence"}`` and a
4xx status: a room's own refusals carry theirs, and malformed requests name the field.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from parley import __version__
from parley.errors import ParleyError, RoomError, TooManyError
from parley.server import api, limits, pages, ws
from parley.server.config import RoomConfig
from parley.server.db import Store
from parley.server.guard import Guard
from parley.server.ratelimit import RateLimit
from parley.server.rooms import Hub

STATIC = Path(__file__).parent / "static"
SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the GIL while others wait (Python's default is 0.005)."""
GC_THRESHOLDS = (50_000, 10, 10)
"""Young-generation size before a collection (Python's default is 700)."""
DESCRIPTION = (
    "Mediated negotiation between people and built-in strategies.\n\n"
    "Limits checked before any route, besides those each body states: a JSON body of at most "
    f"{limits.MAX_BODY:,} bytes, an import's multipart body of at most "
    f"{limits.MAX_UPLOAD_BODY:,} (413); JSON nested at most {limits.MAX_DEPTH} levels (422; no "
    "body described here nests deeper than 5); a body received in full within "
    f"{limits.BODY_SECONDS:g} s (408)."
)
"""The OpenAPI document's description: the limits no JSON schema of a body can state."""


def create_app(
    db_url: str = "sqlite:///parley-room.sqlite", config: RoomConfig | None = None
) -> FastAPI:
    config = config or RoomConfig()
    store = Store(db_url)
    hub = Hub(store, config.expire_days)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(hub.load_unfinished)
        yield
        store.close()

    app = FastAPI(
        title="Parley room",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a public CDN: off
        redoc_url=None,
    )
    app.state.hub = hub
    app.state.config = config
    app.state.creations = RateLimit("creations", config.creations_per_minute)
    app.state.imports = RateLimit("imports", config.imports_per_minute)
    app.add_middleware(Guard)
    app.include_router(api.router)
    app.include_router(ws.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    app.add_exception_handler(RoomError, _room_error)
    app.add_exception_handler(ParleyError, _parley_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    return app


def tune_for_latency() -> None:
    """Process settings for a server whose every answer waits on several threads (``parley
    serve`` applies them to its own process; tests and embedders keep Python's defaults).

    An answer crosses threads four times (event loop, worker, group commit, worker, loop) and
    each waits for the GIL, by default up to 5 ms while another thread computes. Collections
    of the oldest generation stopped the whole process for 70-240 ms under the load bench,
    three times a run: everything loaded by start-up is frozen out of them, and young
    collections, most of the collector's time per answer, run 70 times less often.
    """
    sys.setswitchinterval(SWITCH_INTERVAL)
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


async def _room_error(request: Request, exc: Exception) -> JSONResponse:
    status = exc.status if isinstance(exc, RoomError) else 400
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(exc, TooManyError):
        headers = {"Retry-After": str(exc.retry_after)}
    return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)


async def _parley_error(request: Request, exc: Exception) -> JSONResponse:
    """Scenario, name and engine errors raised while handling a request: the input is wrong."""
    return JSONResponse({"detail": str(exc)}, status_code=422)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's list of validation errors, as one sentence naming the first bad field."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    if not errors:
        return JSONResponse({"detail": "the request is malformed"}, status_code=422)
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or "request"
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    value = first.get("input")
    shown = isinstance(value, str | int | float) and len(repr(value)) < 80  # not a whole table
    got = f"; got {value!r}" if shown else ""
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return JSONResponse({"detail": f"{where}: {message}{got}{more}"}, status_code=422)
