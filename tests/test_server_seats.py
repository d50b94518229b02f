"""Every seat of the talks in the room (issue 17, item 2): a third party, a spoiler and an adviser
held by people (or by built-in strategies), through the API.

Muscat seats them all: the six-state group (third party) tables a framework covering some
issues and sees the endorsements; Israel (spoiler) sees only what is public and threatens or
strikes; Iran's technical team (adviser) sees what reaches Iran and advises it alone. Bad input
is 4xx, never 500; what each seat sees follows the isolation rule, checked as an invariant over
random talks (hypothesis), in API answers and WebSocket pushes alike.
"""

from __future__ import annotations

import contextlib
import json
import queue
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.analysis import analyze
from parley.engine.messages import Kind
from parley.scenario import load
from parley.strategies.index import best_completion
from tests.server_helpers import TestClient, bearer, create, new_app, socket_of, tokens_of

IRAN, US, OMAN = "Iran", "United States", "Oman"
SIX, ISRAEL, TEAM = "Six-state group", "Israel", "Iran's technical team"
OUTSIDE = (SIX, ISRAEL, TEAM)
PEOPLE = {p: {"kind": "person"} for p in OUTSIDE}
DELEGATIONS = {IRAN: {IRAN, TEAM}, TEAM: {IRAN, TEAM}, US: {US}, OMAN: {OMAN}, SIX: {SIX}}
KINDS = [k.value for k in Kind]
MUSCAT = load("muscat-2026")
_NASH = analyze(MUSCAT).nash
assert _NASH is not None
NASH = {k: str(v) for k, v in MUSCAT.space.to_values(_NASH.outcome).items()}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(new_app(tmp_path)) as test_client:
        yield test_client


class Talks:
    """A started Muscat session with the seats ``seats`` asks for; calls as its seats."""

    def __init__(self, client: TestClient, **body: Any) -> None:
        created = create(client, **body)
        self.client, self.id = client, created["id"]
        self.desk = created["facilitator"]["token"]
        self.tokens = tokens_of(created)
        self.created = created
        started = client.post(f"/api/sessions/{self.id}/start", headers=bearer(self.desk))
        assert started.status_code == 200, started.text

    def view(self, party: str) -> dict[str, Any]:
        response = self.client.get(f"/api/sessions/{self.id}/view", headers=self.auth(party))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def status(self) -> dict[str, Any]:
        body: dict[str, Any] = self.client.get(
            f"/api/sessions/{self.id}", headers=bearer(self.desk)
        ).json()
        return body

    def auth(self, party: str) -> dict[str, str]:
        return bearer(self.tokens[party])

    def post(self, party: str, body: Mapping[str, Any], turn: int | None = None) -> Any:
        """``party``'s action (its pending turn unless ``turn`` is given)."""
        if turn is None:
            pending = self.view(party)["pending"]
            turn = pending["turn"] if pending else 0
        return self.client.post(
            f"/api/sessions/{self.id}/actions",
            json={"turn": turn, **body},
            headers=self.auth(party),
        )

    def act(self, party: str, **body: Any) -> dict[str, Any]:
        response = self.post(party, body)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def whose_turn(self) -> str:
        turn = self.status()["turn"]
        assert turn is not None
        party: str = turn["party"]
        return party


def _everyone(client: TestClient, **body: Any) -> Talks:
    return Talks(client, seats=PEOPLE, facilitator_profiles="during", **body)


def _table_framework(talks: Talks, covers: list[str] | None = None) -> dict[str, Any]:
    assert talks.whose_turn() == SIX
    body: dict[str, Any] = {"kind": "framework", "package": NASH, "text": "The six-state pact"}
    if covers is not None:
        body["covers"] = covers
    return talks.act(SIX, **body)


# -- the seats, their links and what the start page offers -----------------------------------------


def test_outside_seats_get_links_only_when_seated_and_the_desk_lists_them(
    client: TestClient,
) -> None:
    talks = _everyone(client)
    links = {s["party"]: s for s in talks.created["seats"]}
    for party in OUTSIDE:
        assert links[party]["kind"] == "person"
        assert links[party]["link"].endswith(f"/room/{talks.id}#token={links[party]['token']}")
    seats = {s["party"]: s for s in talks.status()["seats"]}
    assert {seats[p]["role"] for p in OUTSIDE} == {"third-party", "spoiler", "adviser"}
    assert talks.view(TEAM)["advises"] == IRAN
    assert talks.view(SIX)["advises"] is None
    # Left out, they have no seat and take no turn: the talks open with Oman asking Iran.
    plain = Talks(client)
    assert not set(OUTSIDE) & {s["party"] for s in plain.created["seats"]}
    assert plain.whose_turn() == IRAN


def test_the_scenarios_own_strategies_seat_outsiders_and_they_act_on_the_server(
    client: TestClient,
) -> None:
    scenarios = client.get("/api/scenarios").json()
    parties = {
        p["name"]: p for p in next(s for s in scenarios if s["name"] == "muscat-2026")["parties"]
    }
    assert parties[SIX]["strategy"] == {"name": "framework", "params": {"at": 5, "covers": "H+I"}}
    assert parties[TEAM]["advises"] == IRAN
    own = {p: parties[p]["strategy"] for p in OUTSIDE}
    seats = {
        p: {"kind": "strategy", "strategy": own[p]["name"], "params": own[p]["params"]}
        for p in OUTSIDE
    }
    talks = Talks(client, seats=seats)
    assert {s["party"]: s["kind"] for s in talks.created["seats"]}[SIX] == "strategy"
    # Iran proposes; the adviser (counsel) is asked about what reaches Iran, on the server.
    assert talks.whose_turn() == IRAN
    talks.act(IRAN, kind="propose", package=NASH)
    kinds = {m["kind"] for m in talks.status()["record"]}
    assert "pass" in kinds  # the spoiler and the third party took their turns at round 1


def test_a_strategy_of_the_wrong_role_for_an_outside_seat_is_422(client: TestClient) -> None:
    for party, strategy in ((ISRAEL, "linear"), (SIX, "hazard"), (TEAM, "no-such")):
        response = client.post(
            "/api/sessions",
            json={
                "scenario": "muscat-2026",
                "seats": {party: {"kind": "strategy", "strategy": strategy}},
            },
        )
        assert response.status_code == 422, (party, response.text)


# -- the third party -----------------------------------------------------------------------------


def test_a_third_party_tables_a_framework_on_some_issues_and_sees_the_endorsements(
    client: TestClient,
) -> None:
    talks = _everyone(client)
    assert talks.view(SIX)["pending"]["question"] == "intervene"
    _table_framework(talks, ["H", "I"])
    framework = next(m for m in talks.view(ISRAEL)["messages"] if m["kind"] == "framework")
    assert framework["public"]
    assert framework["data"] == {"covers": "H,I"}
    assert framework["text"] == "The six-state pact"
    # The adviser first, then each principal, is asked about it, knowing what it covers.
    assert talks.whose_turn() == TEAM
    advise = talks.view(TEAM)["pending"]
    assert (advise["question"], advise["about"], advise["covers"]) == ("advise", SIX, ["H", "I"])
    talks.act(TEAM, kind="advise", text="Endorse it.")
    pending = talks.view(IRAN)["pending"]
    assert (pending["question"], pending["about"], pending["covers"]) == (
        "endorse",
        SIX,
        ["H", "I"],
    )
    assert set(pending["allowed"]) == {"endorse", "decline"}
    talks.act(IRAN, kind="endorse")
    talks.act(US, kind="decline")
    answers = [
        (m["sender"], m["kind"])
        for m in talks.view(SIX)["messages"]
        if m["kind"] in ("endorse", "decline")
    ]
    assert answers == [(IRAN, "endorse"), (US, "decline")]
    for party in (ISRAEL, US, OMAN):  # an endorsement is for the third party's eyes
        assert [m for m in talks.view(party)["messages"] if m["sender"] == IRAN] == []


def test_a_framework_goes_over_the_websocket_too(client: TestClient) -> None:
    talks = _everyone(client)
    turn = talks.view(SIX)["pending"]["turn"]
    with socket_of(client, talks.id, talks.tokens[SIX]) as socket:
        assert socket.receive_json()["type"] == "view"
        framework = {"type": "action", "turn": turn, "kind": "framework", "package": NASH}
        socket.send_json({**framework, "covers": ["Q"]})
        refused = socket.receive_json()
        assert (refused["type"], refused["status"]) == ("error", 422)
        assert "covers issues by id" in refused["detail"]
        socket.send_json({**framework, "covers": ["H", "I"]})
        frames = [socket.receive_json() for _ in range(2)]
    acks = [f for f in frames if f["type"] == "ack"]
    tabled = [m for m in talks.view(US)["messages"] if m["kind"] == "framework"]
    assert [m["data"] for m in tabled] == [{"covers": "H,I"}]
    assert [(a["turn"], a["seq"]) for a in acks] == [(turn, tabled[0]["seq"])]


def test_a_framework_every_principal_endorses_binds_its_items(client: TestClient) -> None:
    talks = _everyone(client)
    _table_framework(talks, ["H", "I"])
    talks.act(TEAM, kind="advise", text="Endorse it.")
    talks.act(IRAN, kind="endorse")
    talks.act(US, kind="endorse")
    bound = [m for m in talks.view(SIX)["messages"] if m["data"].get("event") == "bound"]
    assert len(bound) == 1
    assert bound[0]["data"]["issues"] == "H,I"
    assert bound[0]["public"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"kind": "framework", "package": NASH, "covers": ["Z"]}, "covers issues by id"),
        ({"kind": "pass", "covers": ["H"]}, "covers: only a framework"),
        ({"kind": "framework"}, "needs a package"),
        ({"kind": "framework", "package": {**NASH, "I": "I1", "H": "H1"}}, "cannot exist"),
        ({"kind": "framework", "package": {"A": "A1"}}, "no option for issue"),
        ({"kind": "strike"}, "not 'strike'"),
        ({"kind": "framework", "package": NASH, "covers": "H"}, "covers"),
        ({"kind": "framework", "package": NASH, "covers": [""]}, "covers"),
    ],
)
def test_bad_framework_answers_are_422_naming_what_is_wrong(
    client: TestClient, body: dict[str, Any], words: str
) -> None:
    talks = _everyone(client)
    response = talks.post(SIX, body)
    assert response.status_code == 422, response.text
    assert words in str(response.json()["detail"])
    assert talks.whose_turn() == SIX  # nothing was taken


def test_every_kind_an_outside_seat_may_not_give_now_is_422_and_takes_nothing(
    client: TestClient,
) -> None:
    talks = _everyone(client)
    _table_framework(talks, ["H", "I"])
    for party in (TEAM, IRAN, US, ISRAEL):  # the adviser, the endorsements, the spoiler
        pending = talks.view(party)["pending"]
        for kind in sorted(set(KINDS) - set(pending["allowed"])):
            response = talks.post(party, {"kind": kind, "package": NASH})
            assert response.status_code == 422, (party, kind, response.text)
            assert talks.whose_turn() == party
        kind = "advise" if party == TEAM else "endorse" if party != ISRAEL else "pass"
        talks.act(party, kind=kind, text="ok")


def test_outside_seats_out_of_turn_are_409_and_wrong_seats_403(client: TestClient) -> None:
    talks = _everyone(client)
    assert talks.post(ISRAEL, {"kind": "strike"}, turn=1).status_code == 409
    assert talks.post(TEAM, {"kind": "advise", "text": "x"}, turn=1).status_code == 409
    turn = talks.view(SIX)["pending"]["turn"]
    assert talks.post(SIX, {"kind": "pass"}, turn=turn + 7).status_code == 409  # stale turn
    for party in (SIX, ISRAEL):  # notes: a principal's to the mediator, an adviser's
        response = client.post(
            f"/api/sessions/{talks.id}/notes", json={"text": "hi"}, headers=talks.auth(party)
        )
        assert response.status_code == 403


# -- the spoiler -----------------------------------------------------------------------------------


def _to_the_spoiler(talks: Talks) -> None:
    talks.act(SIX, kind="pass")
    assert talks.whose_turn() == ISRAEL


def test_a_spoiler_sees_only_what_is_public_and_its_threat_is_public(client: TestClient) -> None:
    talks = _everyone(client)
    _to_the_spoiler(talks)
    view = talks.view(ISRAEL)
    assert view["pending"]["question"] == "watch"
    assert set(view["pending"]["allowed"]) == {"pass", "threaten", "strike"}
    assert view["pending"]["public"]
    assert all(m["public"] for m in view["messages"])
    restraints = [m for m in view["messages"] if m["data"].get("event") == "restrain"]
    assert restraints  # the US request to hold off, addressed to it
    talks.act(ISRAEL, kind="threaten", text="We will act alone.")
    for party in (IRAN, US, OMAN, SIX, TEAM):
        threats = [m for m in talks.view(party)["messages"] if m["kind"] == "threaten"]
        assert [(t["sender"], t["text"], t["public"]) for t in threats] == [
            (ISRAEL, "We will act alone.", True)
        ]


def test_a_spoilers_strike_ends_the_talks_for_everyone_with_its_reason(client: TestClient) -> None:
    talks = _everyone(client)
    _to_the_spoiler(talks)
    talks.act(ISRAEL, kind="strike", text="Israel strikes the enrichment sites")
    for party in (IRAN, US, OMAN, SIX, ISRAEL, TEAM):
        view = talks.view(party)
        assert view["session"]["status"] == "ended"
        assert view["result"]["ended"] == "cancelled"
        assert "Israel strikes the enrichment sites" in view["result"]["reason"]
    assert talks.post(ISRAEL, {"kind": "pass"}).status_code == 409


# -- the adviser -----------------------------------------------------------------------------------


def test_an_adviser_sees_its_delegations_channel_and_advises_it_alone(client: TestClient) -> None:
    talks = _everyone(client)
    talks.act(SIX, kind="pass")
    talks.act(ISRAEL, kind="pass")
    talks.act(IRAN, kind="propose", package=NASH, statement="Iran to Oman: our last step")
    # The adviser saw Iran's word to Oman (its delegation's channel), not the US's.
    us_best = best_completion(MUSCAT.space, MUSCAT.preferences_of(US), {})
    assert us_best is not None
    us_package = {k: str(v) for k, v in MUSCAT.space.to_values(us_best).items()}
    talks.act(US, kind="propose", package=us_package, statement="US to Oman: firm on A")
    texts = [m["text"] for m in talks.view(TEAM)["messages"]]
    assert "Iran to Oman: our last step" in texts
    assert "US to Oman: firm on A" not in texts
    # Run on until a package reaches Iran: the adviser is asked first, and advises.
    for _ in range(12):
        party = talks.whose_turn()
        if party == TEAM:
            break
        pending = talks.view(party)["pending"]
        kind = next(k for k in ("pass", "relay", "reject", "decline") if k in pending["allowed"])
        talks.act(party, kind=kind)
    assert talks.whose_turn() == TEAM
    pending = talks.view(TEAM)["pending"]
    assert pending["question"] == "advise"
    assert pending["to"] == [IRAN]
    assert pending["offer"] is not None
    assert isinstance(pending["offer_value"], float)  # by its own profile
    assert talks.post(TEAM, {"kind": "advise", "package": NASH, "covers": ["H"]}).status_code == 422
    talks.act(TEAM, kind="advise", text="Accept: enrichment stays open.")
    for party, sees in (
        (IRAN, True),
        (TEAM, True),
        (US, False),
        (OMAN, False),
        (SIX, False),
        (ISRAEL, False),
    ):
        advice = [m for m in talks.view(party)["messages"] if m["kind"] == "advise"]
        assert bool(advice) == sees, party
    assert talks.whose_turn() == IRAN  # the principal's question, held meanwhile


def _note(talks: Talks, party: str, text: str) -> Any:
    return talks.client.post(
        f"/api/sessions/{talks.id}/notes", json={"text": text}, headers=talks.auth(party)
    )


def test_an_adviser_writes_to_its_principal_at_any_time_and_no_one_else_reads_it(
    tmp_path: Path,
) -> None:
    words = "Team to Iran, out of turn: hold firm on A"
    with TestClient(new_app(tmp_path)) as first:
        talks = _everyone(first)
        assert talks.whose_turn() == SIX  # not the adviser's turn
        before = {p: talks.view(p)["pending"] for p in talks.tokens}
        response = _note(talks, TEAM, words)
        assert response.status_code == 200, response.text
        seq = response.json()["seq"]
        assert {p: talks.view(p)["pending"] for p in talks.tokens} == before  # no turn taken
        for party in talks.tokens:
            notes = [m for m in talks.view(party)["messages"] if m["text"] == words]
            expected = [(seq, TEAM, [IRAN])] if party in (IRAN, TEAM) else []
            assert [(m["seq"], m["sender"], m["to"]) for m in notes] == expected, party
        for bad in ("", "   ", "x" * 2001):
            assert _note(talks, TEAM, bad).status_code == 422
        talks.act(SIX, kind="pass")
        views = {p: talks.view(p) for p in talks.tokens}
    with TestClient(new_app(tmp_path)) as second:  # after a restart, in its place
        for party, token in talks.tokens.items():
            again = second.get(f"/api/sessions/{talks.id}/view", headers=bearer(token)).json()
            assert again == views[party]


def test_an_adviser_evaluates_packages_by_its_own_view(client: TestClient) -> None:
    talks = _everyone(client)
    response = client.post(
        f"/api/sessions/{talks.id}/evaluate", json={"package": NASH}, headers=talks.auth(TEAM)
    )
    assert response.status_code == 200
    own = MUSCAT.preferences_of(TEAM)
    assert own is not None
    outcome = MUSCAT.space.from_values(NASH)
    assert response.json()["value"] == pytest.approx(own.utility(outcome))
    assert response.json()["confided"] == {}


def test_each_new_seats_transcript_holds_what_its_view_holds(client: TestClient) -> None:
    """A seat's own transcript (its take-away) is its view's record: the spoiler's is all
    public, the adviser's has its advice, the other delegation's has neither that nor the
    endorsements addressed to the third party."""
    talks = _everyone(client)
    _table_framework(talks, ["H", "I"])
    talks.act(TEAM, kind="advise", text="Endorse it, the team says.")
    talks.act(IRAN, kind="endorse")
    talks.act(US, kind="endorse")
    talks.act(ISRAEL, kind="threaten", text="Not bound by it.")
    for party in talks.tokens:
        lines = talks.client.get(
            f"/api/sessions/{talks.id}/transcript",
            params={"format": "jsonl"},
            headers=talks.auth(party),
        ).text.splitlines()
        got = [json.loads(line) for line in lines]
        assert [m["seq"] for m in got] == [m["seq"] for m in talks.view(party)["messages"]]
        text = talks.client.get(
            f"/api/sessions/{talks.id}/transcript",
            params={"format": "text"},
            headers=talks.auth(party),
        ).text
        assert ("Endorse it, the team says." in text) == (party in (IRAN, TEAM)), party
        if party == ISRAEL:
            assert all(m["public"] for m in got)


# -- the isolation rule, as an invariant over random talks -----------------------------------------


def _visible(message: Mapping[str, Any], party: str) -> bool:
    """Public, or sent by or to the seat's delegation (an adviser sits in its principal's)."""
    if message["public"]:
        return True
    delegation = DELEGATIONS.get(party, set())
    return message["sender"] in delegation or bool(delegation & set(message["to"]))


def _check_view(view: Mapping[str, Any], party: str, record: list[dict[str, Any]]) -> None:
    """``view`` is ``party``'s: its own profile, no confidences, and exactly the messages of the
    record (so far) the rule lets it see, as the record has them."""
    assert view["party"] == party
    assert view["confided"] == {}
    assert view["suggestions"] == []
    assert view["frontier"] == []
    own = MUSCAT.party(party).preferences
    assert (view["profile"] is None) == (own is None)
    if own is not None:
        assert view["profile"]["reservation"] == pytest.approx(own.reservation)
    utilities = (view["result"] or {}).get("utilities", {})
    assert set(utilities) <= {party}
    shown = {m["seq"]: m for m in view["messages"]}
    seen_so_far = [m for m in record if m["seq"] <= max(shown, default=-1)]
    assert sorted(shown) == [m["seq"] for m in seen_so_far if _visible(m, party)]
    for message in seen_so_far:
        if message["seq"] in shown:
            mine = shown[message["seq"]]
            assert (mine["sender"], mine["to"], mine["text"]) == (
                message["sender"],
                message["to"],
                message["text"],
            )


PACKAGES = [
    NASH,
    *(
        {k: str(v) for k, v in MUSCAT.space.to_values(best).items()}
        for best in (
            best_completion(MUSCAT.space, MUSCAT.preferences_of(p), {}) for p in (IRAN, US, SIX)
        )
        if best is not None
    ),
]


def _random_action(data: st.DataObject, pending: Mapping[str, Any]) -> dict[str, Any]:
    kind = data.draw(st.sampled_from(sorted(pending["allowed"])), label="kind")
    body: dict[str, Any] = {"kind": kind, "text": data.draw(st.sampled_from(["", "a word"]))}
    if kind in ("propose", "counter", "reframe", "draft", "framework"):
        body["package"] = data.draw(st.sampled_from(PACKAGES), label="package")
    if kind == "framework":
        body["covers"] = data.draw(st.lists(st.sampled_from("ABCDEFGHI"), max_size=3, unique=True))
    if data.draw(st.booleans(), label="statement"):
        body["statement"] = "private?"
        body["public"] = data.draw(st.booleans(), label="public")
    return body


SAFE = ("pass", "relay", "advise", "decline", "reject", "accept", "endorse", "adjourn")


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_seat_sees_only_what_the_isolation_rule_allows_in_views_and_pushes(
    tmp_path: Path, data: st.DataObject
) -> None:
    seats = ("Iran", "United States", "Oman", *OUTSIDE)
    with TestClient(new_app(Path(tempfile.mkdtemp(dir=tmp_path)))) as client:
        talks = _everyone(client, seed=data.draw(st.integers(0, 50), label="seed"))
        with contextlib.ExitStack() as stack:
            sockets = {
                p: stack.enter_context(socket_of(client, talks.id, talks.tokens[p])) for p in seats
            }
            for _ in range(data.draw(st.integers(4, 24), label="steps")):
                turn = talks.status()["turn"]
                if turn is None:
                    break
                party = turn["party"]
                pending = talks.view(party)["pending"]
                response = talks.post(party, _random_action(data, pending))
                assert response.status_code in (200, 422), response.text
                if response.status_code == 422:  # an illegal choice: a safe answer instead
                    kind = (
                        next(k for k in SAFE if k in pending["allowed"])
                        if any(k in pending["allowed"] for k in SAFE)
                        else pending["allowed"][0]
                    )
                    body: dict[str, Any] = {"kind": kind}
                    if kind in ("propose", "counter"):
                        body["package"] = _own_best(talks.view(party))
                    if kind == "advise":
                        body["text"] = "ok"
                    assert talks.post(party, body).status_code in (200, 422)
            views = {party: talks.view(party) for party in seats}
            # Read every push up to the one that shows the final state; checked once the
            # sockets are closed (a failing check inside would leave them hanging).
            pushed: dict[str, list[dict[str, Any]]] = {}
            for party, socket in sockets.items():
                final = [m["seq"] for m in views[party]["messages"]]
                pushed[party] = []
                while not pushed[party] or _seqs(pushed[party][-1]) != final:
                    pushed[party].append(_next_frame(socket, party, final))
        record = talks.status()["record"]
    for party in seats:
        _check_view(views[party], party, record)
    for party, frames in pushed.items():
        for frame in frames:
            assert frame["type"] == "view"
            _check_view(frame["view"], party, record)


def _seqs(frame: Mapping[str, Any]) -> list[int]:
    view = frame.get("view") or {}
    return [m["seq"] for m in view.get("messages", [])]


def _next_frame(socket: Any, party: str, final: list[int]) -> dict[str, Any]:
    """The socket's next frame; a failure naming what was awaited if none comes in 20 s."""
    frames: queue.Queue[dict[str, Any]] = queue.Queue()
    threading.Thread(target=lambda: frames.put(socket.receive_json()), daemon=True).start()
    try:
        return frames.get(timeout=20)
    except queue.Empty:
        raise AssertionError(f"no push to {party} shows its final messages {final}") from None


def _own_best(view: Mapping[str, Any]) -> dict[str, str]:
    prefs = MUSCAT.preferences_of(view["party"])
    assert prefs is not None
    best = best_completion(MUSCAT.space, prefs, {})
    assert best is not None
    return {k: str(v) for k, v in MUSCAT.space.to_values(best).items()}
