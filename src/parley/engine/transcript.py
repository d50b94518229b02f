"""Transcripts as JSON Lines: a header (scenario, settings, seed) then one line per message.

The file is self-contained: ``replay`` needs nothing else. Lines are written as messages are
posted and flushed at once, so a crash loses at most the message being written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from parley.engine.messages import Kind, Message
from parley.engine.settings import Settings
from parley.errors import ScenarioError
from parley.outcomes import OutcomeSpace
from parley.scenario import Scenario, from_data

FORMAT = "parley-transcript/1"


@dataclass(frozen=True)
class Recording:
    """A transcript read back: what is needed to rebuild the session."""

    scenario: Scenario
    settings: Settings
    seed: int
    messages: tuple[Message, ...]
    cut: int | None = None
    """The number of a last line cut off mid-write (a crash), left out; None if none was."""


def header(scenario: Scenario, settings: Settings, seed: int) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "scenario": scenario.doc.model_dump(mode="json", exclude_none=True),
        "settings": settings.to_json(),
        "seed": seed,
    }


def message_json(message: Message, space: OutcomeSpace) -> dict[str, Any]:
    return {
        "seq": message.seq,
        "round": message.round,
        "phase": message.phase,
        "sender": message.sender,
        "to": list(message.to),
        "kind": message.kind,
        "outcome": None if message.outcome is None else space.to_values(message.outcome),
        "text": message.text,
        "public": message.public,
        "turn": message.turn,
        "data": dict(message.data),
    }


def line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


class Writer:
    """Appends a session's messages to a JSONL file as they are posted."""

    def __init__(self, stream: IO[str], scenario: Scenario, settings: Settings, seed: int) -> None:
        self.stream = stream
        self.space = scenario.space
        stream.write(line(header(scenario, settings, seed)))
        stream.flush()

    def __call__(self, message: Message) -> None:
        self.stream.write(line(message_json(message, self.space)))
        self.stream.flush()


def dumps(scenario: Scenario, settings: Settings, seed: int, messages: Sequence[Message]) -> str:
    """The whole transcript as JSONL text (what ``Writer`` produces incrementally)."""
    rows = [line(header(scenario, settings, seed))]
    rows += [line(message_json(msg, scenario.space)) for msg in messages]
    return "".join(rows)


def read(path: str | Path, *, allow_truncated: bool = False) -> Recording:
    """A transcript file. A last line cut off mid-write (a crash) is refused with its number,
    unless ``allow_truncated``: then it is left out and its number kept in ``Recording.cut``
    for the reader to report (recovering a crashed run's file)."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(source, "", f"cannot be read: {exc}") from None
    lines = text.splitlines()
    if not lines:
        raise ScenarioError(source, "line 1", "empty transcript", expected=f"a {FORMAT} header")
    head = _parse(source, 1, lines[0])
    if head.get("format") != FORMAT:
        raise ScenarioError(
            source,
            "line 1.format",
            "not a Parley transcript",
            value=head.get("format"),
            expected=FORMAT,
        )
    scenario = from_data(head["scenario"], f"{source} (embedded scenario)")
    try:
        settings = Settings.from_json(head["settings"])
        seed = int(head["seed"])
    except (KeyError, TypeError, ValueError, AssertionError) as exc:
        raise ScenarioError(source, "line 1.settings", f"malformed header ({exc})") from None
    cut: list[int] = []
    messages = list(_messages(source, lines[1:], scenario.space, cut))
    if cut and not allow_truncated:
        raise ScenarioError(
            source,
            f"line {cut[0]}",
            "cut off mid-line (the run stopped while writing it?)",
            expected="a complete transcript (parley replay --allow-truncated leaves the cut "
            "line out and resumes the talks after the last complete message)",
        )
    return Recording(scenario, settings, seed, tuple(messages), cut[0] if cut else None)


def _messages(
    source: str, lines: list[str], space: OutcomeSpace, cut: list[int]
) -> Iterator[Message]:
    for number, raw in enumerate(lines, start=2):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError:
            if number == len(lines) + 1:
                cut.append(number)  # the last line was cut off by a crash
                return
            raise ScenarioError(source, f"line {number}", "not valid JSON") from None
        try:
            outcome = None if obj["outcome"] is None else space.from_values(obj["outcome"])
            yield Message(
                seq=int(obj["seq"]),
                round=int(obj["round"]),
                phase=str(obj["phase"]),
                sender=str(obj["sender"]),
                to=tuple(obj["to"]),
                kind=Kind(obj["kind"]),
                outcome=outcome,
                text=str(obj["text"]),
                public=bool(obj["public"]),
                turn=None if obj["turn"] is None else int(obj["turn"]),
                data=dict(obj["data"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ScenarioError(source, f"line {number}", f"malformed message ({exc})") from None


def _parse(source: str, number: int, raw: str) -> dict[str, Any]:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ScenarioError(source, f"line {number}", f"not valid JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise ScenarioError(source, f"line {number}", "not a JSON object")
    return obj
