"""What every HTTP request meets before any route: a bounded body, checked before it is parsed,
and the headers every answer carries.

The body is read here in full (at most ``limits.MAX_BODY`` bytes, or ``MAX_UPLOAD_BODY`` for an
import, within ``BODY_SECONDS``): a declared length over the limit is refused before a byte is
read (413), a body that keeps coming past it too, a body that trickles in too slowly is 408,
and JSON nested deeper than ``MAX_DEPTH`` is 422 before the JSON parser (which recurses once
per level) sees it. The route then reads the same bytes.
"""

from __future__ import annotations

import json

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parley.errors import RoomError, SlowBodyError, TooLargeError
from parley.server import limits

IMPORT_PATH = "/api/scenarios/import"
THREAD_ABOVE = 64_000
"""Bodies larger than this are checked for nesting on a worker thread, not the event loop."""

# Every answer: no sniffing, no referrer. Pages set their own, stricter policy (pages.py);
# this one covers everything else a browser might render (JSON, the OpenAPI document).
COMMON_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
DEFAULT_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
NO_STORE = (b"cache-control", b"no-store")


class Guard:
    """ASGI middleware: body limits, nesting check, and the common headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_headers(send, private=scope["path"].startswith("/api/"))
        try:
            body = await _body(scope, receive)
            if body and _is_json(scope):
                await _check_nesting(body)
        except RoomError as exc:
            await _answer(send, exc.status, str(exc))
            return
        await self.app(scope, _replay(body, receive), send)


async def _body(scope: Scope, receive: Receive) -> bytes:
    limit = limits.MAX_UPLOAD_BODY if scope["path"] == IMPORT_PATH else limits.MAX_BODY
    declared = _header(scope, b"content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise TooLargeError(f"body: {declared} bytes declared; at most {limit:,} accepted")
    parts, size = [], 0
    try:
        with anyio.fail_after(limits.BODY_SECONDS):
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break  # the client left; the route will see the disconnect
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise TooLargeError(f"body: over {limit:,} bytes; at most {limit:,} accepted")
                parts.append(chunk)
                if not message.get("more_body", False):
                    break
    except TimeoutError:
        raise SlowBodyError(f"body: not received within {limits.BODY_SECONDS:g} s") from None
    return b"".join(parts)


async def _check_nesting(body: bytes) -> None:
    if len(body) > THREAD_ABOVE:
        await anyio.to_thread.run_sync(limits.check_json, body)
    else:
        limits.check_json(body)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: disconnects pass through
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _with_headers(send: Send, private: bool) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {name.lower() for name, _ in headers}
            extra = [h for h in COMMON_HEADERS if h[0] not in names]
            if DEFAULT_CSP[0] not in names:
                extra.append(DEFAULT_CSP)
            if private and NO_STORE[0] not in names:
                extra.append(NO_STORE)  # views, profiles, tokens: never in a cache
            message = {**message, "headers": headers + extra}
        await send(message)

    return sending


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            text: str = value.decode("latin-1")
            return text
    return None


def _is_json(scope: Scope) -> bool:
    """As FastAPI decides whether to parse a body as JSON (any ``*/json`` or ``*/*+json``)."""
    subtype = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
    subtype = subtype.partition("/")[2]
    return subtype == "json" or subtype.endswith("+json")
