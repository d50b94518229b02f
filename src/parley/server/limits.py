"""The room's stated limits on what a request may carry, and the checks that apply them before
anything is parsed: body size, nesting depth of JSON and TOML text.

Python's JSON and TOML parsers recurse once per level of nesting, so ``[[[[...`` 50,000 deep
raised ``RecursionError`` (an answer 500) before any schema could refuse it. The depth is
counted here in linear time on the raw text, strings and comments left out.
"""

from __future__ import annotations

import re

import numpy as np

from parley.errors import InvalidError

MAX_BODY = 4_000_000
"""Bytes in one JSON request body (a session's ``scenario_toml``: up to 2,000,000 characters)."""
MAX_UPLOAD = 20_000_000
"""Bytes in one scenario import, all files together (the largest ANAC folders are a few MB)."""
MAX_UPLOAD_BODY = MAX_UPLOAD + 1_000_000
"""Bytes in the import's multipart body: the files and the form's own framing."""
MAX_DEPTH = 32
"""Levels of nesting in JSON or TOML text (a room body needs 4, a scenario file about 6)."""
MAX_WS_MESSAGE = 64_000
"""Characters in one WebSocket message (an action body; statements are at most 10,000)."""
BODY_SECONDS = 30.0
"""Seconds within which a request body must arrive in full (a slow client holds no more)."""
IMPORT_SECONDS = 10.0
"""Seconds an import may take to read its files (in a process of its own) before it is refused."""

_TOML_SKIPPED = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*'
)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_OPENING = (ord("["), ord("{"))
_CLOSING = (ord("]"), ord("}"))
_QUOTE, _BACKSLASH = ord('"'), ord("\\")


def json_depth(body: bytes) -> int:
    """How deeply ``body`` (JSON) nests arrays and objects, in a few vectorised passes (a
    regular expression over strings held the interpreter a second on 4 MB of ``["``)."""
    raw = np.frombuffer(body, dtype=np.uint8)
    at = np.arange(raw.size)
    plain = raw != _BACKSLASH
    last_plain = np.maximum.accumulate(np.where(plain, at, -1))  # a run of \ ends after it
    escaped = np.zeros(raw.size, dtype=bool)
    escaped[1:] = (at[:-1] - last_plain[:-1]) % 2 == 1  # an odd run of \ just before
    quote = (raw == _QUOTE) & ~escaped
    in_string = np.cumsum(quote) % 2 == 1
    step = np.where(np.isin(raw, _OPENING), 1, 0) - np.where(np.isin(raw, _CLOSING), 1, 0)
    step[in_string] = 0
    return int(np.cumsum(step).max(initial=0))


def toml_depth(text: str) -> int:
    """How deeply TOML ``text`` nests arrays, inline tables and dotted keys (a bound: each
    ``[`` or ``{`` outside strings and comments counts as a level, as does each part of the
    longest dotted key)."""
    bare = _TOML_SKIPPED.sub("", text)
    return max(_depth(bare.encode("utf-8")), _longest_dotted_key(bare))


def check_json(body: bytes, field: str = "body") -> None:
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return  # too few brackets to nest deeply: the common case, no scan
    depth = json_depth(body)
    if depth > MAX_DEPTH:
        raise InvalidError(f"{field}: JSON nested {depth} levels deep; at most {MAX_DEPTH} allowed")


def check_toml(text: str, field: str) -> None:
    depth = toml_depth(text)
    if depth > MAX_DEPTH:
        raise InvalidError(f"{field}: TOML nested {depth} levels deep; at most {MAX_DEPTH} allowed")


def _depth(text: bytes) -> int:
    brackets = np.frombuffer(_NOT_BRACKET.sub(b"", text), dtype=np.uint8)
    if brackets.size == 0:
        return 0
    steps = np.where(np.isin(brackets, _OPENING), 1, -1)
    return int(np.cumsum(steps).max())


# Possessive and anchored at the start of a word, so that it runs in linear time.
_DOTTED = re.compile(r"(?<![\w-])[\w-]++(?:[ \t]*+\.[ \t]*+[\w-]++)++")


def _longest_dotted_key(bare: str) -> int:
    """Levels a dotted key (``a.b.c = 1``, ``[a.b.c]``) opens, for the longest one; floats
    such as ``1.5`` count 2, harmless below the limit."""
    return max((match.group().count(".") + 1 for match in _DOTTED.finditer(bare)), default=0)
