"""The live channel: ``/api/sessions/{id}/ws?token=...``.

On connect the server sends the seat's view (the facilitator's status) and sends it again
after every change that seat can see. A seat may send ``{"type": "action", ...}`` (the body of
``POST .../actions``) and gets ``{"type": "ack", turn, seq}`` once the answer is committed, or
``{"type": "error", status, detail}``. Room changes run on worker threads; they hand messages
to this connection's queue through the event loop, and one task writes them in order.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from parley.server.errors import RoomError
from parley.server.rooms import FACILITATOR, Hub, Subscriber
from parley.server.schemas import ActionIn

router = APIRouter()
CLOSED = object()


@router.websocket("/api/sessions/{session_id}/ws")
async def live(websocket: WebSocket, session_id: str, token: str = "") -> None:
    await websocket.accept()
    hub: Hub = websocket.app.state.hub
    try:
        room = await run_in_threadpool(hub.room, session_id)
        who = room.identify(token)
    except RoomError as exc:
        await websocket.send_json({"type": "error", "status": exc.status, "detail": str(exc)})
        await websocket.close(code=4000 + exc.status)
        return
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()

    def push(payload: dict[str, Any]) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, payload)

    subscriber = Subscriber(who, push)
    writer = asyncio.create_task(_write(websocket, queue))
    await run_in_threadpool(room.subscribe, subscriber)
    try:
        while True:
            reply = await _answer(room, who, await websocket.receive_text())
            queue.put_nowait(reply)
    except WebSocketDisconnect:
        pass
    finally:
        await run_in_threadpool(room.unsubscribe, subscriber)
        queue.put_nowait(CLOSED)
        await writer


async def _write(websocket: WebSocket, queue: asyncio.Queue[Any]) -> None:
    while (payload := await queue.get()) is not CLOSED:
        try:
            await websocket.send_text(json.dumps(payload, ensure_ascii=False))
        except (WebSocketDisconnect, RuntimeError):
            return  # the client left; the reader sees it too


async def _answer(room: Any, who: str, raw: str) -> dict[str, Any]:
    try:
        message = json.loads(raw)
    except json.JSONDecodeError:
        return _error(422, 'not JSON: send {"type": "action", ...}')
    if not isinstance(message, dict) or message.get("type") != "action":
        return _error(422, 'unknown message: send {"type": "action", turn, kind, ...}')
    if who == FACILITATOR:
        return _error(403, "the facilitator does not act in the talks")
    try:
        body = ActionIn.model_validate({k: v for k, v in message.items() if k != "type"})
        turn, seq = await run_in_threadpool(room.act, who, body)
    except ValidationError as exc:
        return _error(422, _first(exc))
    except RoomError as exc:
        return _error(exc.status, str(exc))
    return {"type": "ack", "turn": turn, "seq": seq}


def _error(status: int, detail: str) -> dict[str, Any]:
    return {"type": "error", "status": status, "detail": detail}


def _first(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "body"
    return f"{where}: {error['msg']}"
