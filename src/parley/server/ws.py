"""The live channel: ``/api/sessions/{id}/ws``.

The token never travels in the URL (proxies log URLs): a browser sends it as the first message,
``{"type": "auth", "token": ...}``, within ``AUTH_SECONDS``; other clients may send
``Authorization: Bearer ...`` with the handshake instead. On success the server sends the seat's
view (the facilitator's status) and sends it again after every change that seat can see. A seat
may send ``{"type": "action", ...}`` (the body of ``POST .../actions``) and gets ``{"type":
"ack", turn, seq}`` once the answer is committed, or ``{"type": "error", status, detail}``.

Frames are checked before they are parsed: a binary frame closes the socket with 1003, one over
``limits.MAX_WS_MESSAGE`` characters with 1009, text that is not JSON or nests too deeply with
1007; each close says why in its reason (an error message with the same detail comes first).
Room changes run on worker threads; they hand messages to this connection's queue through the
event loop, and one task writes them in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import Any

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from parley.errors import RoomError, UnauthorizedError
from parley.server import limits
from parley.server.rooms import FACILITATOR, Hub, Room, Subscriber
from parley.server.schemas import ActionIn

router = APIRouter()
CLOSED = object()
AUTH_SECONDS = 10.0
"""Seconds a new socket has to send its token before it is closed."""
UNSUPPORTED, INVALID, TOO_BIG = 1003, 1007, 1009  # RFC 6455 close codes


@dataclass(frozen=True)
class Closing:
    """Queued by the room: close this socket (a revoked link) after what was queued before."""

    code: int
    reason: str


class FrameError(Exception):
    """A frame refused before parsing: the socket closes with ``code``."""

    def __init__(self, code: int, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


@router.websocket("/api/sessions/{session_id}/ws")
async def live(websocket: WebSocket, session_id: str) -> None:
    await websocket.accept()
    try:
        room, who = await _admitted(websocket, session_id)
    except RoomError as exc:
        await _refuse(websocket, exc.status, str(exc), 4000 + exc.status)
        return
    except FrameError as exc:
        await _refuse(websocket, 422 if exc.code == INVALID else 400, exc.detail, exc.code)
        return
    except WebSocketDisconnect:
        return
    await _serve(websocket, room, who)


async def _admitted(websocket: WebSocket, session_id: str) -> tuple[Room, str]:
    """The room and who holds this socket: from the handshake's header or the first message."""
    if "token" in websocket.query_params:
        raise RoomError("send the token in the first message ({\"type\": \"auth\", \"token\": "
                        "...}) or an Authorization header, never in the URL")
    hub: Hub = websocket.app.state.hub
    room = await run_in_threadpool(hub.room, session_id)
    token = _bearer(websocket.headers.get("authorization", ""))
    if token is None:
        try:
            with anyio.fail_after(AUTH_SECONDS):
                first = await _message(websocket)
        except TimeoutError:
            raise UnauthorizedError(f"no token within {AUTH_SECONDS:g} s") from None
        if not isinstance(first, dict) or first.get("type") != "auth":
            raise UnauthorizedError('send {"type": "auth", "token": ...} first')
        token = first.get("token") if isinstance(first.get("token"), str) else None
    return room, room.identify(token)


async def _serve(websocket: WebSocket, room: Room, who: str) -> None:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()

    def push(payload: dict[str, Any]) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, payload)

    def close(code: int, reason: str) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, Closing(code, reason))

    subscriber = Subscriber(who, push, close=close)
    writer = asyncio.create_task(_write(websocket, queue))
    await run_in_threadpool(room.subscribe, subscriber)
    code, reason = 1000, ""
    try:
        while True:
            queue.put_nowait(await _answer(room, subscriber, await _message(websocket)))
    except FrameError as exc:
        queue.put_nowait(_error(422 if exc.code == INVALID else 400, exc.detail))
        code, reason = exc.code, exc.detail
    except WebSocketDisconnect:
        code = 0
    finally:
        await run_in_threadpool(room.unsubscribe, subscriber)
        queue.put_nowait(CLOSED)
        await writer
    if code:
        await _close(websocket, code, reason)


async def _message(websocket: WebSocket) -> Any:
    """The next message, parsed: only text frames of bounded size and nesting."""
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    text = message.get("text")
    if text is None:
        raise FrameError(UNSUPPORTED, "binary frames are not accepted; send JSON text")
    if len(text) > limits.MAX_WS_MESSAGE:
        raise FrameError(TOO_BIG, f"message over {limits.MAX_WS_MESSAGE:,} characters")
    try:
        limits.check_json(text.encode("utf-8", "surrogatepass"), "message")
        return json.loads(text)
    except RoomError as exc:
        raise FrameError(INVALID, str(exc)) from None
    except (ValueError, RecursionError):  # JSONDecodeError, or an integer of 4,300+ digits
        raise FrameError(INVALID, 'not JSON: send {"type": "action", ...}') from None


async def _write(websocket: WebSocket, queue: asyncio.Queue[Any]) -> None:
    while (payload := await queue.get()) is not CLOSED:
        if isinstance(payload, Closing):  # the seat's link was revoked: this socket ends
            await _refuse(websocket, 403, payload.reason, payload.code)
            return
        try:
            await websocket.send_text(json.dumps(payload, ensure_ascii=False))
        except (WebSocketDisconnect, RuntimeError):
            return  # the client left; the reader sees it too


async def _answer(room: Room, subscriber: Subscriber, message: Any) -> dict[str, Any]:
    who = subscriber.who
    if not isinstance(message, dict) or message.get("type") != "action":
        return _error(422, 'unknown message: send {"type": "action", turn, kind, ...}')
    if who == FACILITATOR:
        return _error(403, "the facilitator does not act in the talks")
    try:
        body = ActionIn.model_validate({k: v for k, v in message.items() if k != "type"})
        turn, seq = await run_in_threadpool(room.act, who, body, subscriber)
    except ValidationError as exc:
        return _error(422, _first(exc))
    except RoomError as exc:
        return _error(exc.status, str(exc))
    return {"type": "ack", "turn": turn, "seq": seq}


async def _refuse(websocket: WebSocket, status: int, detail: str, code: int) -> None:
    try:
        await websocket.send_json(_error(status, detail))
    except (WebSocketDisconnect, RuntimeError):
        return
    await _close(websocket, code, detail)


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):  # already gone
        await websocket.close(code=code, reason=_short(reason))


def _short(reason: str) -> str:
    """A close reason fits in 123 bytes of UTF-8."""
    data = reason.encode("utf-8")
    return reason if len(data) <= 123 else data[:120].decode("utf-8", "ignore") + "..."


def _bearer(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _error(status: int, detail: str) -> dict[str, Any]:
    return {"type": "error", "status": status, "detail": detail}


def _first(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "body"
    return f"{where}: {error['msg']}"
