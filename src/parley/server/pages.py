"""The room's pages: the start page, a seat's room and the facilitator's desk, as static HTML.

Each page is a file in ``static/`` whose JavaScript modules do the work through the JSON API;
the server only fills in what the API does not list (the registered strategy names, for the
start page). Links carry the seat's token in the URL fragment, which never reaches the server,
so these routes take no token and reveal nothing: a page without a valid token shows an error.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from parley.engine.protocols import NAMES
from parley.strategies import MEDIATORS, NEGOTIATORS, REGISTRY

OUTSIDE_ROLES = ("third-party", "spoiler", "adviser")

STATIC = Path(__file__).parent / "static"

# Pages draw only on their own origin; text from people is never markup (the scripts use
# textContent), and this policy stops any injected script from running should that slip.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def start_page() -> HTMLResponse:
    """Create a session: scenario, protocol and who holds each seat."""
    return _page("start.html")


@router.get("/room/{session_id}", response_class=HTMLResponse)
def room_page(session_id: str) -> HTMLResponse:
    """A seat's room (a delegation's or the mediator's; the view's role decides)."""
    return _page("room.html")


@router.get("/facilitate/{session_id}", response_class=HTMLResponse)
def facilitator_page(session_id: str) -> HTMLResponse:
    """The facilitator's desk: seats, start, status, result and transcript."""
    return _page("facilitate.html")


def _page(name: str) -> HTMLResponse:
    return HTMLResponse(_filled(name), headers=HEADERS)


@cache
def _filled(name: str) -> str:
    html = (STATIC / name).read_text(encoding="utf-8")
    return html.replace("{{STRATEGIES}}", strategies_json())


def strategies_json() -> str:
    """The registered strategies and the protocols each can run, for the seat choosers.

    Escaped so that it can sit inside a ``<script type="application/json">`` element.
    """
    catalogue = {
        "protocols": list(NAMES),
        "negotiators": [
            {"name": name, "protocols": sorted(cls.protocols)} for name, cls in NEGOTIATORS.items()
        ],
        "mediators": [
            {"name": name, "protocols": sorted(cls.protocols)} for name, cls in MEDIATORS.items()
        ],
        # Third parties, spoilers and advisers act under every protocol: names only.
        "outsiders": {role: sorted(REGISTRY.by_role[role]) for role in OUTSIDE_ROLES},
    }
    return json.dumps(catalogue).replace("<", "\\u003c")
