"""Lenient reading of GENIUS XML files.

GENIUS reads its files with its own forgiving parser, so real scenario files contain things a
standards parser rejects. ``read_xml`` repairs exactly those before parsing:

- bytes that are not UTF-8 are decoded as cp1252 (then latin-1, which accepts any byte);
- XML declarations anywhere (GENIUS files put them after a comment or a blank line) are dropped;
- a bare ``&`` that starts no entity or character reference becomes ``&amp;``;
- a missing blank between attributes (``type="discrete"vtype="discrete"``) is inserted;
- CRLF line ends are read like LF (the XML parser already does this).

Anything still unreadable raises a ``ScenarioError`` naming the file, line and column.
``Node`` wraps an element with its path in the file, so every later error can name the element.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from parley.errors import ScenarioError

# Declarations and DOCTYPEs are cut by scanning with str.find (see _cut): as regular
# expressions with a lazy ``.*?`` they were quadratic on text with many openings and no close.
_WORD = re.compile(r"\w")
_SUBSET_END = re.compile(r"\]\s*>")
_BARE_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
# A start tag, its quoted attribute values kept whole (they may contain '>').
_START_TAG = re.compile(r"<[A-Za-z_][^<>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^<>\"']*)*>")
_GLUED_ATTRIBUTE = re.compile(r"(=\s*(?:\"[^\"]*\"|'[^']*'))(?=[A-Za-z_])")
ENCODINGS = ("utf-8", "cp1252", "latin-1")
_T = TypeVar("_T")


def decode(data: bytes) -> str:
    """Text of a file's bytes: UTF-8 (BOM dropped), else cp1252, else latin-1."""
    for encoding in ENCODINGS:
        try:
            return data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any byte")  # pragma: no cover


def repair(text: str) -> str:
    """The text with the quirks of real GENIUS files mended (see the module docstring)."""
    text = _BARE_AMPERSAND.sub("&amp;", drop_prologue_quirks(text))
    return _START_TAG.sub(lambda m: _GLUED_ATTRIBUTE.sub(r"\1 ", m.group(0)), text)


def drop_prologue_quirks(text: str) -> str:
    """``text`` without XML declarations (anywhere) and DOCTYPEs (no GENIUS file needs one;
    dropping them rules out entity tricks), in time linear in the text."""
    return _cut(_cut(text, "<?xml", _declaration_end), "<!DOCTYPE", _doctype_end)


def _cut(text: str, opening: str, end_of: Callable[[str, int, _Scan], int | None]) -> str:
    """``text`` without each span that starts with ``opening`` and ends where ``end_of`` says
    (None: no end, the opening stays). Linear: ``_Scan`` remembers how far each search got."""
    kept, done, scan = [], 0, _Scan()
    start = text.find(opening)
    while start != -1:
        end = end_of(text, start + len(opening), scan)
        if end is None:
            start = text.find(opening, start + 1)
            continue
        kept.append(text[done:start])
        done = end
        start = text.find(opening, end)
    kept.append(text[done:])
    return "".join(kept)


class _Scan:
    """The next place at or after a position where a search succeeds (-1: nowhere), cached:
    openings come in order, so no stretch of text is searched twice."""

    def __init__(self) -> None:
        self._found: dict[str, tuple[int, int]] = {}  # search name -> (searched from, found at)

    def next(self, name: str, after: int, search: Callable[[int], int]) -> int:
        cached = self._found.get(name)
        if cached is not None and cached[0] <= after and (cached[1] >= after or cached[1] == -1):
            return cached[1]
        found = search(after)
        self._found[name] = (after, found)
        return found


def _declaration_end(text: str, after: int, scan: _Scan) -> int | None:
    """``<?xml`` + (not a word character) ... the first ``?>``."""
    if _WORD.match(text, after):
        return None
    close = scan.next("?>", after, lambda at: text.find("?>", at))
    return None if close == -1 else close + 2


def _doctype_end(text: str, after: int, scan: _Scan) -> int | None:
    """``<!DOCTYPE`` ... ``>``, or ... ``[`` internal subset ``]`` ``>``."""
    gt = scan.next(">", after, lambda at: text.find(">", at))
    bracket = scan.next("[", after, lambda at: text.find("[", at))
    if bracket == -1 or (gt != -1 and gt < bracket):
        return None if gt == -1 else gt + 1
    close = scan.next("]>", bracket + 1, lambda at: _found_at(_SUBSET_END.search(text, at)))
    return None if close == -1 else text.index(">", close) + 1


def _found_at(match: re.Match[str] | None) -> int:
    return -1 if match is None else match.start()


@dataclass(frozen=True)
class Node:
    """An XML element with the file it came from and its path there, for error messages."""

    element: ET.Element
    source: str
    path: str

    @property
    def tag(self) -> str:
        return self.element.tag

    def children(self, tag: str | None = None) -> Iterator[Node]:
        """Direct children (with ``tag`` only, if given), in document order."""
        for element in self.element:
            if not isinstance(element.tag, str):
                continue  # comments and processing instructions
            if tag is None or element.tag == tag:
                yield Node(element, self.source, f"{self.path}/{_label(element)}")

    def child(self, tag: str) -> Node | None:
        """The first direct child with ``tag``, if any."""
        return next(self.children(tag), None)

    def get(self, name: str) -> str | None:
        return self.element.get(name)

    def text(self) -> str:
        return (self.element.text or "").strip()

    def fail(self, problem: str, *, attribute: str | None = None, value: object = None,
             expected: str | None = None) -> ScenarioError:
        where = self.path if attribute is None else f"{self.path}@{attribute}"
        return ScenarioError(self.source, where, problem, value=value, expected=expected)

    def required(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise self.fail("attribute missing", attribute=name)
        return value

    def number(self, name: str, default: float | None = None) -> float:
        """Attribute ``name`` as a float (Java's Double.valueOf accepts the same forms)."""
        return self._converted(name, default, float, "a number")

    def integer(self, name: str, default: int | None = None) -> int:
        return self._converted(name, default, int, "an integer")

    def _converted(self, name: str, default: _T | None, convert: Callable[[str], _T],
                   what: str) -> _T:
        raw = self.get(name)
        if raw is None:
            if default is not None:
                return default
            raise self.fail("attribute missing", attribute=name, expected=what)
        try:
            return convert(raw.strip())
        except ValueError:
            raise self.fail(f"not {what}", attribute=name, value=raw) from None


def _label(element: ET.Element) -> str:
    """``issue[index=3]``-style step of an element path."""
    for key in ("index", "name", "value"):
        found = element.get(key)
        if found is not None:
            return f"{element.tag}[{key}={found}]"
    return element.tag


def parse(text: str, source: str) -> Node:
    """The root of XML text (after ``repair``)."""
    try:
        root = ET.fromstring(repair(text))
    except ET.ParseError as exc:
        line, column = exc.position
        message = str(exc).split(":", 1)[0]
        raise ScenarioError(source, f"line {line}, column {column + 1}",
                            f"not readable as XML ({message})") from None
    return Node(root, source, _label(root))


def read_xml(path: Path) -> Node:
    """The root element of a GENIUS XML file, read leniently."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(str(path), "", f"cannot be read: {exc.strerror}") from None
    return parse(decode(data), str(path))
