"""Fuzz the room's API from its own OpenAPI document, on an open server and on one with an
operator key (as ``parley serve`` runs by default): no 5xx, every answer as documented, the
data the document calls invalid refused (ST201) and the data it calls valid accepted.

How far "accepted" goes depends on how much of a request's validity the document can state:

- **in full** (no body; or a session created from a built-in scenario with the schema's own
  choices; or an empty package to evaluate): schemathesis's positive-data check, ST202, as it
  is: no 400, 413 or 422 at all;
- **in part** (a package, a profile, an action, seats and strategies, a scenario file or an
  uploaded one): the rest depends on the session (its issues and options, whose turn it is,
  what the engine allows now), on the scenario the same body names (its parties, the
  strategies that fit the protocol) or on a document no JSON schema can describe (a
  ``scenario_toml`` that is not a scenario file). The room refuses those with a 422 naming
  that field, which is right; such a request must still never be refused by a limit of its
  own shape: no 400, 408 or 413, no 422 whose detail starts with ``body``, ``query``, ``path``
  or ``header`` (where request validation and the body guard report).

Two requests in three that name a session go to real ones with the token the route needs (so
bodies reach the room's own checks); on the keyed server, creations and imports go with the
key, without it (401) or with a wrong one (403). Rate limits are off here (they have their own
tests), so every creation reaches its checks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from parley.server.app import create_app
from parley.server.config import RoomConfig
from tests.server_helpers import TestClient, bearer, create, tokens_of

KEY = "operator-key-for-the-fuzz-tests"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
OPERATOR_ROUTES = {"POST /api/sessions", "POST /api/scenarios/import"}
STATED_IN_FULL = {
    "GET /api/scenarios",
    "GET /api/sessions/{session_id}",
    "POST /api/sessions/{session_id}/start",
    "GET /api/sessions/{session_id}/view",
    "POST /api/sessions/{session_id}/ready",
    "GET /api/sessions/{session_id}/transcript",
}
"""Operations whose every input the document states in full (a session id, a token, a format)."""
SHAPE = {"body", "query", "path", "header"}
"""Where a refusal of the request's own shape puts its field (``body.seats.Bill.kind: ...``)."""
FACILITATOR = "facilitator"
TURN = "the seat whose turn it is"
ROUTES = {
    "/api/sessions/{session_id}": ("running", FACILITATOR),
    "/api/sessions/{session_id}/start": ("new", FACILITATOR),
    "/api/sessions/{session_id}/view": ("running", TURN),
    "/api/sessions/{session_id}/profile": ("waiting", "Bill"),
    "/api/sessions/{session_id}/ready": ("waiting", "Bill"),
    "/api/sessions/{session_id}/evaluate": ("running", "Bill"),
    "/api/sessions/{session_id}/actions": ("running", TURN),
    "/api/sessions/{session_id}/transcript": ("running", FACILITATOR),
}
"""For each route: which session a request goes to, and with whose token."""
NASH = {"scenario": "nash-1950", "protocol": "shuttle", "confide": True}


DOCUMENT_APP = create_app("sqlite://")
PHASES = {"coverage": {"generation": {"mode": "positive"}}}
"""The coverage phase draws each bound the document states (lengths, ranges, enums) as valid
data; its invalid variants, several hundred more, are left to the fuzzing phase's sample."""
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", DOCUMENT_APP, config=SchemathesisConfig.from_dict({"phases": PHASES})
)
"""The document the cases are drawn from: every server publishes the same one, key or not."""


@dataclass
class Served:
    """One room server under test: its app, key and sessions (a client kept open on it)."""

    client: TestClient
    key: str | None
    waiting: dict[str, Any]
    running: dict[str, Any]


@pytest.fixture(scope="module", params=["open", "keyed"])
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    key = KEY if request.param == "keyed" else None
    config = RoomConfig(operator_key=key, creations_per_minute=0, imports_per_minute=0)
    with TestClient(create_app("sqlite://", config)) as client:
        assert client.get("/openapi.json").json() == DOCUMENT_APP.openapi()
        waiting, running = create(client, **NASH), create(client, **NASH)
        started = client.post(
            f"/api/sessions/{running['id']}/start", headers=bearer(running["facilitator"]["token"])
        )
        assert started.status_code == 200, started.text
        yield Served(client, key, waiting, running)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_answers_as_documented(
    case: schemathesis.Case, served: Served
) -> None:
    # Choices made from the case itself, so that a run repeats exactly.
    rng = random.Random(repr((case.operation.label, case.path_parameters, case.query, case.body)))
    if case.operation.path in ROUTES and rng.random() < 2 / 3:
        to_a_real_session(case, served, rng)
    sent_key = None
    if case.operation.label in OPERATOR_ROUTES:  # none (401), a wrong one (403), the key
        sent_key = rng.choice([None, "not-the-key", KEY, KEY])
        drawn = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        case.headers = {**drawn, **bearer(sent_key)}
    checks = CHECKS + ([positive_data_acceptance] if stated_in_full(case) else [])
    response = case.call_and_validate(checks=checks, app=served.client.app)
    shown = f"{response.status_code} {response.text[:300]}\n{case.as_curl_command()}"
    if positive(case) and not stated_in_full(case):
        assert not refused_by_shape(response), shown
    if case.operation.label in OPERATOR_ROUTES:
        if served.key is not None and sent_key != served.key:
            assert not 200 <= response.status_code < 300, shown
            if positive(case):  # well formed, so refused for the key alone
                assert response.status_code == (401 if sent_key is None else 403), shown
        else:
            assert response.status_code not in (401, 403), shown


def to_a_real_session(case: schemathesis.Case, served: Served, rng: random.Random) -> None:
    """Send ``case`` to a real session with the token its route needs. Half the actions answer
    the pending turn, and half of those with a kind it allows: the talks move on, so later asks
    meet fuzzed input too."""
    which, whose = ROUTES[case.operation.path]
    session = create(served.client, **NASH) if which == "new" else getattr(served, which)
    room = served.client.app.state.hub.room(session["id"])  # type: ignore[attr-defined]
    ask = room.session.pending
    if whose == TURN:
        whose = ask.party if ask is not None else "Bill"
    if case.operation.path.endswith("/evaluate") and rng.random() < 0.5:
        whose = "Facilitator"  # the mediator's seat (nash-1950 names it so): confided values
    token = session["facilitator"]["token"] if whose == FACILITATOR else tokens_of(session)[whose]
    case.path_parameters = {**(case.path_parameters or {}), "session_id": session["id"]}
    case.headers = {**(case.headers or {}), **bearer(token)}
    body = case.body
    if ask is None or not isinstance(body, dict) or not isinstance(body.get("turn"), int):
        return
    if rng.random() < 0.5:
        case.body = body = {**body, "turn": ask.turn}
        if rng.random() < 0.5:
            case.body = {**body, "kind": rng.choice(sorted(k.value for k in ask.allowed))}


def positive(case: schemathesis.Case) -> bool:
    """Did schemathesis draw this case as valid by the document?"""
    return case.meta is not None and case.meta.generation.mode.is_positive


def stated_in_full(case: schemathesis.Case) -> bool:
    """Does the document state this request's validity in full (see the module's docstring)?"""
    body = case.body if isinstance(case.body, dict) else {}
    if case.operation.label == "POST /api/sessions":
        # A built-in scenario, protocol, rounds, seed, confiding: choices the schema lists.
        # Seats and a mediator must fit the scenario and the protocol; a scenario_toml is a
        # document: those are the room's own 422s.
        return (
            body.get("scenario_toml") is None and not body.get("seats") and not body.get("mediator")
        )
    if case.operation.label == "POST /api/sessions/{session_id}/evaluate":
        return body.get("package") == {}  # any other names this session's issues and options
    return case.operation.label in STATED_IN_FULL


def refused_by_shape(response: Any) -> bool:
    """Was the request refused by a limit of its own shape (not the room's view of it)?"""
    if response.status_code in (400, 408, 413):
        return True
    if response.status_code != 422:
        return False
    where = str(response.json()["detail"]).split(":", 1)[0]
    return where.split(".", 1)[0] in SHAPE
