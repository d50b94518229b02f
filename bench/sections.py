"""Named sections of ``docs/benchmarks.md``, each owned by one bench script.

``run_benchmarks.py`` rewrites the report's head (machine, versions, the speed tables); every
other script (mediator quality, tournament scale, room load, ...) owns one section between
``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` and replaces only that. A rewrite of the head
keeps every marked section, so each figure in the report comes from its own script's last run.
"""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
_SECTION = re.compile(r"<!-- ([a-z0-9-]+):start -->.*?<!-- \1:end -->", re.DOTALL)


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def wrap(name: str, body: str) -> str:
    """``body`` between ``name``'s markers."""
    start, end = markers(name)
    return f"{start}\n{body.strip()}\n{end}"


def write_section(name: str, body: str, path: Path = DOCS) -> None:
    """Put ``body`` into section ``name`` of the report, replacing its old text or appending."""
    section = wrap(name, body)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start, end = markers(name)
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def kept_sections(path: Path = DOCS) -> list[str]:
    """Every marked section of the current report, in order, so a rewrite of the head keeps them."""
    if not path.exists():
        return []
    return [match.group(0) for match in _SECTION.finditer(path.read_text(encoding="utf-8"))]
