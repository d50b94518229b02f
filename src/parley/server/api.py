"""The REST API (``/api``): scenarios, sessions, a seat's view, its actions, transcripts.

Every route that touches a session finds the room first (404), then reads the bearer token
(401 without one, 403 when it opens no seat here or the wrong one). Handlers are plain
functions: FastAPI runs them on its thread pool, and each room serialises its own changes.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import cache
from pathlib import PurePath
from typing import Annotated, Any, Literal, TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import PlainTextResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from parley.errors import ForbiddenError, InvalidError, ScenarioError, UnauthorizedError
from parley.scenario import builtin_names, load
from parley.server import agreement, creation, imports, inputs, isolate, limits, views
from parley.server.config import RoomConfig
from parley.server.ratelimit import RateLimit
from parley.server.rooms import Hub, Room
from parley.server.schemas import (
    Ack,
    ActionIn,
    Created,
    DefaultIn,
    EndIn,
    Error,
    EvaluateIn,
    EvaluateOut,
    ImportedScenario,
    InjectIn,
    InjectOut,
    NoteIn,
    NoteOut,
    PauseIn,
    ProfileIn,
    ProfileOut,
    ReadyOut,
    ReplyIn,
    ScenarioInfo,
    SeatLinkOut,
    SessionCreate,
    SessionStatus,
    ViewOut,
)

PARSERS = CapacityLimiter(4)
"""Uploaded scenarios being read at once (each in a process of its own)."""
_A = TypeVar("_A")
_R = TypeVar("_R")
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Error, "description": text}
    for code, text in {
        400: "The body could not be parsed (not JSON, or not the multipart form expected).",
        401: "No token was sent.",
        403: "The token opens no seat of this session, or not the one this needs.",
        404: "No such session.",
        408: "The body did not arrive in time.",
        409: "Not now: not this seat's turn, a stale turn, or the talks are not running "
        "(not started, paused by the facilitator, or ended).",
        410: "The session was archived after its time without activity.",
        413: "The body is larger than the stated limit.",
        422: "The request is malformed or the engine refuses it; the detail says why.",
        429: "Over this client's rate limit; Retry-After says when to try again.",
        503: "The database did not take the change; nothing was acknowledged, try again.",
    }.items()
}

OPERATOR_ONLY: dict[str, Any] = {"security": [{}]}
"""Creating and importing: the operator's key, or nothing on a server run with ``--open`` (one
document serves both, so it lists no credentials as the other accepted choice)."""

router = APIRouter(prefix="/api", responses=ERRORS)
bearer = HTTPBearer(auto_error=False, description="A seat's or the facilitator's token.")
Token = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def hub(request: Request) -> Hub:
    found: Hub = request.app.state.hub
    return found


def config(request: Request) -> RoomConfig:
    found: RoomConfig = request.app.state.config
    return found


def operator(kind: str) -> Any:
    """A dependency: the operator's key when the server has one, then this client's limit on
    ``kind`` ("creations" or "imports")."""

    def check(request: Request, token: Token) -> None:
        key = config(request).operator_key
        if key is not None:
            given = token_of(token)
            if not given:
                raise UnauthorizedError(
                    "this server needs the operator's key (Authorization: Bearer ...): open the "
                    "address parley serve printed, which ends with #key=..."
                )
            if not hmac.compare_digest(given.encode(), key.encode()):
                raise ForbiddenError("this is not the operator's key of this server")
        limiter: RateLimit = getattr(request.app.state, kind)
        limiter.take(request.client.host if request.client else "unknown")

    return Depends(check)


def token_of(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    return None if credentials is None else credentials.credentials


def room_of(request: Request, session_id: str) -> Room:
    return hub(request).room(session_id)


# -- scenarios ---------------------------------------------------------------------------------


@router.get("/scenarios", response_model=list[ScenarioInfo])
def scenarios() -> list[dict[str, Any]]:
    """The built-in scenarios, with their parties and the protocols they can run."""
    return builtins()


@cache
def builtins() -> list[dict[str, Any]]:
    return [{"name": name, **imports.summary(load(name))} for name in builtin_names()]


@router.post(
    "/scenarios/import",
    response_model=ImportedScenario,
    dependencies=[operator("imports")],
    openapi_extra=OPERATOR_ONLY,
)
async def import_scenario(files: Annotated[list[UploadFile], File(min_length=1)]) -> dict[str, Any]:
    """One Parley TOML file, or a GENIUS / GeniusWeb domain with its profiles (at least one
    file: the schema says so)."""
    uploads = await _uploads(files)
    imported: dict[str, Any] = await _isolated(imports.read_upload, uploads, "files")
    return imported


async def _uploads(files: list[UploadFile]) -> dict[str, bytes]:
    uploads: dict[str, bytes] = {}
    total = 0
    for upload in files:
        name = PurePath(upload.filename or "").name
        if not name or name.startswith(".") or name in uploads:
            raise InvalidError(f"files: unusable or repeated file name {upload.filename!r}")
        data = await upload.read(limits.MAX_UPLOAD + 1 - total)
        total += len(data)
        if total > limits.MAX_UPLOAD:
            raise InvalidError(f"files: more than {limits.MAX_UPLOAD:,} bytes in all")
        uploads[name] = data
    return uploads


async def _isolated(fn: Callable[[_A], _R], arg: _A, what: str) -> _R:
    """``fn(arg)`` in a worker process with a time limit (``isolate``); at most
    ``PARSERS.total_tokens`` at once, the rest wait without holding the server's threads."""
    return await to_thread.run_sync(
        isolate.run_limited, fn, arg, limits.IMPORT_SECONDS, what, limiter=PARSERS
    )


# -- sessions ----------------------------------------------------------------------------------


@router.post(
    "/sessions",
    status_code=201,
    response_model=Created,
    dependencies=[operator("creations")],
    openapi_extra=OPERATOR_ONLY,
)
async def create_session(body: SessionCreate, request: Request) -> dict[str, Any]:
    """A session and one private link per person seat (shown this once)."""
    if body.scenario_toml is not None:
        normal = await _isolated(imports.read_toml, body.scenario_toml, "scenario_toml")
        body = body.model_copy(update={"scenario_toml": normal})
    base = config(request).public_url.rstrip("/")  # never the Host header: the client sets it
    try:
        created: dict[str, Any] = await run_in_threadpool(
            creation.create, hub(request).store, body, base
        )
    except ScenarioError as exc:
        raise InvalidError(str(exc)) from None
    return created


def facilitated(
    request: Request, session_id: str, token: HTTPAuthorizationCredentials | None
) -> Room:
    """The room of ``session_id``, once ``token`` is its facilitator's (else 401/403/404)."""
    room = room_of(request, session_id)
    room.facilitator(token_of(token))
    return room


@router.get("/sessions/{session_id}", response_model=SessionStatus)
def session_status(session_id: str, request: Request, token: Token) -> dict[str, Any]:
    """Seats and progress, for the facilitator. No preferences ever."""
    room = facilitated(request, session_id, token)
    return room.status_json()


@router.post("/sessions/{session_id}/start", response_model=SessionStatus)
def start(session_id: str, request: Request, token: Token) -> dict[str, Any]:
    """Start the talks now (they also start once every person seat is ready)."""
    room = facilitated(request, session_id, token)
    room.start()
    return room.status_json()


@router.post("/sessions/{session_id}/pause", response_model=SessionStatus)
def pause(
    session_id: str, request: Request, token: Token, body: PauseIn | None = None
) -> dict[str, Any]:
    """Pause running talks: every seat's action is refused (409) and built-in seats wait; the
    transcript says so (with the reason, if given)."""
    room = facilitated(request, session_id, token)
    room.pause(_reason(body))
    return room.status_json()


@router.post("/sessions/{session_id}/resume", response_model=SessionStatus)
def resume(
    session_id: str, request: Request, token: Token, body: PauseIn | None = None
) -> dict[str, Any]:
    """Resume paused talks where they stopped; the transcript says so (with the reason)."""
    room = facilitated(request, session_id, token)
    room.resume(_reason(body))
    return room.status_json()


def _reason(body: PauseIn | None) -> str | None:
    return None if body is None or body.reason is None else body.reason.strip()


@router.post("/sessions/{session_id}/end", response_model=SessionStatus)
def end(session_id: str, body: EndIn, request: Request, token: Token) -> dict[str, Any]:
    """End the talks now; the reason goes into the transcript as the engine's END message
    (``ended``: "ended-by-facilitator")."""
    room = facilitated(request, session_id, token)
    room.end(body.reason.strip())
    return room.status_json()


@router.get("/sessions/{session_id}/view", response_model=ViewOut)
def view(session_id: str, request: Request, token: Token) -> dict[str, Any]:
    """Everything this seat may see, and nothing else."""
    room = room_of(request, session_id)
    return room.view(room.seat_of(token_of(token)))


@router.put("/sessions/{session_id}/profile", response_model=ProfileOut)
def put_profile(session_id: str, body: ProfileIn, request: Request, token: Token) -> dict[str, Any]:
    """Replace this principal's own profile (only before the talks start)."""
    room = room_of(request, session_id)
    return room.set_profile(room.seat_of(token_of(token)), body)


@router.post("/sessions/{session_id}/ready", response_model=ReadyOut)
def ready(session_id: str, request: Request, token: Token) -> dict[str, Any]:
    """This seat is ready; the talks start when every person seat is."""
    room = room_of(request, session_id)
    room.ready(room.seat_of(token_of(token)))
    return {"ready": True, "status": room.status}


@router.post("/sessions/{session_id}/evaluate", response_model=EvaluateOut)
def evaluate(session_id: str, body: EvaluateIn, request: Request, token: Token) -> dict[str, Any]:
    """A principal's own value of a package (complete or being built); for the mediator, the
    value to each principal that confided its profile to it (and nothing before one did)."""
    room = room_of(request, session_id)
    party = room.seat_of(token_of(token))
    if room.seats[party].role != "mediator":
        return room.evaluate(party, body.package)
    with room.lock:
        space = room.scenario.space
        chosen = {
            inputs.position(space, issue): inputs.index(space, issue, value)
            for issue, value in body.package.items()
        }
        return views.confided_evaluation(room.session.view(party), chosen)


@router.post("/sessions/{session_id}/actions", response_model=Ack)
def act(session_id: str, body: ActionIn, request: Request, token: Token) -> dict[str, int]:
    """Answer the pending ask; returns once the answer is committed to the database."""
    room = room_of(request, session_id)
    turn, seq = room.act(room.seat_of(token_of(token)), body)
    return {"turn": turn, "seq": seq}


@router.post("/sessions/{session_id}/notes", response_model=NoteOut)
def note(session_id: str, body: NoteIn, request: Request, token: Token) -> dict[str, int]:
    """A principal writes to the mediator at any time while mediated talks run (not only with
    its turn), an adviser to its own principal: the note goes to that seat (and its delegation)
    alone and takes no turn; returns once committed."""
    room = room_of(request, session_id)
    seq = room.note(room.seat_of(token_of(token)), body.text)
    return {"seq": seq}


@router.get(
    "/sessions/{session_id}/transcript",
    responses={
        200: {
            "content": {"application/x-ndjson": {}, "text/plain": {}},
            "description": "JSONL (parley replay reads the facilitator's) or readable text.",
        }
    },
)
def transcript(
    session_id: str,
    request: Request,
    token: Token,
    format: Annotated[Literal["jsonl", "text"], Query()] = "jsonl",
) -> PlainTextResponse:
    """The whole transcript for the facilitator; a seat gets only the messages it may see."""
    room = room_of(request, session_id)
    who = room.identify(token_of(token))
    body = room.transcript(who, format)
    media = "application/x-ndjson" if format == "jsonl" else "text/plain"
    return PlainTextResponse(body, media_type=media)


# -- the facilitator's desk: events, overdue turns, links ----------------------------------


@router.post("/sessions/{session_id}/events", response_model=InjectOut)
def inject(session_id: str, body: InjectIn, request: Request, token: Token) -> dict[str, Any]:
    """Put an outside event of the scenario format's kinds into running or paused talks now (a
    white cell); recorded like a scheduled event, marked ``injected``."""
    room = facilitated(request, session_id, token)
    return {"seqs": room.inject(body)}


@router.post("/sessions/{session_id}/turn/default", response_model=Ack)
def answer_by_default(
    session_id: str, body: DefaultIn, request: Request, token: Token
) -> dict[str, int]:
    """Have the seat's built-in strategy answer an overdue person's turn (turn timers)."""
    room = facilitated(request, session_id, token)
    turn, seq = room.answer_by_default(body.turn)
    return {"turn": turn, "seq": seq}


@router.post("/sessions/{session_id}/seats/{party}/link", response_model=SeatLinkOut)
def reissue_link(session_id: str, party: str, request: Request, token: Token) -> dict[str, str]:
    """A new private link for a person's seat; the old one stops working at once."""
    room = facilitated(request, session_id, token)
    new = room.reissue(party)
    base = config(request).public_url.rstrip("/")
    return {"party": party, "token": new, "link": f"{base}/room/{room.id}#token={new}"}


@router.delete("/sessions/{session_id}/seats/{party}/link", response_model=SessionStatus)
def revoke_link(session_id: str, party: str, request: Request, token: Token) -> dict[str, Any]:
    """Revoke a person's seat's link: its requests are refused, its sockets closed."""
    room = facilitated(request, session_id, token)
    room.revoke(party)
    return room.status_json()


# -- words out of turn and take-aways ---------------------------------------------------------


@router.post("/sessions/{session_id}/replies", response_model=NoteOut)
def reply(session_id: str, body: ReplyIn, request: Request, token: Token) -> dict[str, int]:
    """The mediator answers one side privately at any time while the talks run (the other side
    never sees it); returns once committed."""
    room = room_of(request, session_id)
    seq = room.reply(room.seat_of(token_of(token)), body.to, body.text)
    return {"seq": seq}


@router.get(
    "/sessions/{session_id}/agreement",
    response_class=Response,
    responses={
        200: {
            "content": {"text/html": {}, "application/pdf": {}},
            "description": "The agreement document (the same for every seat).",
        }
    },
)
def agreement_document(
    session_id: str,
    request: Request,
    token: Token,
    format: Annotated[Literal["html", "pdf"], Query()] = "html",
    lang: Annotated[str | None, Query(max_length=35, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    = None,
) -> Response:
    """The agreement as a printable document once the talks have ended (409 before); ``lang``
    writes it in that language where the scenario's labels and the document's words have it."""
    room = room_of(request, session_id)
    room.identify(token_of(token))
    with room.lock:
        doc = agreement.document(room, lang)
    name = f"parley-{room.id}-agreement.{format}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "pdf":
        return Response(agreement.to_pdf(doc), media_type="application/pdf", headers=disposition)
    headers = {**disposition, "Content-Security-Policy": agreement.CSP}
    return Response(agreement.to_html(doc), media_type="text/html", headers=headers)
