"""Reading uploaded scenarios: what runs in the worker process (``isolate.run_limited``).

An upload is one Parley TOML file or a GENIUS / GeniusWeb domain with its profiles; a session's
``scenario_toml`` is read the same way. Nesting is checked before any parser sees the text.
Everything here is a plain function of plain data, so it can cross a process boundary.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from parley.engine.protocols import MEDIATED, NAMES
from parley.engine.settings import Settings, StrategySpec
from parley.errors import InvalidError, ScenarioError
from parley.scenario import Scenario, dumps, load, loads
from parley.server import limits


def summary(scenario: Scenario) -> dict[str, Any]:
    """Title, parties and the protocols a scenario can run (the start page's choices)."""
    mediated = any(p.role == "mediator" for p in scenario.parties)
    strategies = Settings.from_scenario(scenario).strategies
    return {
        "title": scenario.title,
        "parties": [
            {
                "name": p.name,
                "role": p.role,
                "advises": p.advises,
                "strategy": _strategy(strategies.get(p.name)),
            }
            for p in scenario.parties
        ],
        "protocols": [p for p in NAMES if mediated or p not in MEDIATED],
        "default_protocol": scenario.protocol.kind,
    }


def _strategy(spec: StrategySpec | None) -> dict[str, Any] | None:
    return None if spec is None else {"name": spec.name, "params": dict(spec.params)}


def read_upload(files: dict[str, bytes]) -> dict[str, Any]:
    """``{scenario_toml, title, parties, ...}`` for uploaded files (names already checked)."""
    with tempfile.TemporaryDirectory(prefix="parley-import-") as folder:
        try:
            scenario = _scenario(files, Path(folder))
        except (ScenarioError, InvalidError) as exc:
            raise InvalidError(str(exc).replace(folder, "upload")) from None
    return {"scenario_toml": dumps(scenario.doc), **summary(scenario)}


def read_toml(text: str) -> str:
    """A session's ``scenario_toml``, checked and written back in normal form."""
    limits.check_toml(text, "scenario_toml")
    return dumps(loads(text, source="scenario_toml").doc)


def _scenario(files: dict[str, bytes], folder: Path) -> Scenario:
    names = list(files)
    if len(names) == 1 and names[0].endswith(".toml"):
        text = files[names[0]].decode("utf-8", errors="replace")
        limits.check_toml(text, f"files.{names[0]}")
        return loads(text, source=names[0])
    # The importer names a scenario after its folder: give it the files' common name (the
    # domain's, e.g. "laptop" for laptop_domain.xml and laptop_buyer.xml), not a temporary one.
    named = folder / _common_name(names)
    named.mkdir()
    for name, data in files.items():
        if name.endswith(".json"):
            limits.check_json(data, f"files.{name}")
        (named / name).write_bytes(data)
    return load(named)


def _common_name(names: list[str]) -> str:
    """What uploaded files are called in common: their names' shared start, else the domain
    file's name, else "upload" (always a safe folder name)."""
    stems = [Path(name).stem for name in names]
    shared = _shared_start(stems).strip(" ._-") if len(stems) > 1 else ""
    domain = next((s for s in stems if "domain" in s.lower()), "")
    for candidate in (shared, domain.replace("domain", "").strip(" ._-"), domain):
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", candidate).strip(".-")
        if safe:
            return safe[:64]
    return "upload"


def _shared_start(texts: list[str]) -> str:
    first, last = min(texts), max(texts)  # the two most different share the least
    end = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), len(first))
    return first[:end]
