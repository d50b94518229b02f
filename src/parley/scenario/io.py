"""Reading and writing scenario files, and finding scenarios by name or path."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from parley.errors import ScenarioError
from parley.scenario.model import Scenario
from parley.scenario.schema import ScenarioDoc

BUILTIN_PACKAGE = "parley.scenario.builtin"


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with Parley."""
    folder = resources.files(BUILTIN_PACKAGE)
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load(spec: str | Path) -> Scenario:
    """A scenario from a built-in name, a Parley ``.toml`` file, or a GENIUS/GeniusWeb folder."""
    text_spec = str(spec)
    if isinstance(spec, str) and text_spec in builtin_names():
        resource = resources.files(BUILTIN_PACKAGE) / f"{text_spec}.toml"
        return loads(resource.read_text(encoding="utf-8"), source=f"{text_spec} (built-in)")
    path = Path(spec)
    if path.is_dir():
        from parley.formats import load_folder  # noqa: PLC0415  (optional importers load on demand)

        return load_folder(path)
    if not path.exists():
        raise ScenarioError(
            text_spec, "(file)", "no such file or built-in scenario",
            expected=f"a built-in name ({', '.join(builtin_names())}), a .toml file or a scenario folder",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(str(path), "(file)", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ScenarioError(str(path), "(file)", f"cannot be read: {exc.strerror}") from None
    return loads(text, source=str(path))


def loads(text: str, source: str = "<string>") -> Scenario:
    """A scenario from TOML text; ``source`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, "(syntax)", f"not valid TOML: {exc}") from None
    return from_data(data, source)


def from_data(data: dict[str, Any], source: str = "<data>") -> Scenario:
    """A scenario from the parsed contents of a file (a nested dict)."""
    try:
        doc = ScenarioDoc.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc, source) from None
    return Scenario.from_doc(doc, source)


def dumps(doc: ScenarioDoc) -> str:
    """TOML text for a scenario document; ``loads(dumps(doc))`` gives the same document."""
    return tomli_w.dumps(doc.model_dump(mode="json", exclude_none=True))


def save(doc: ScenarioDoc, path: str | Path) -> None:
    Path(path).write_text(dumps(doc), encoding="utf-8")


def _first_error(exc: ValidationError, source: str) -> ScenarioError:
    """The first pydantic error, in Parley's one-line form."""
    error = exc.errors(include_url=False)[0]
    field = _path(error["loc"]) or "(top level)"
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    if error["type"] in {"model_type", "missing"} or isinstance(value, dict | list):
        value = None  # echoing a whole table back helps nobody
    return ScenarioError(source, field, message, value=value)


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in {"str", "StrategyDoc", "float", "int"}:
            continue  # union branch names pydantic adds to the location
        else:
            out += f".{part}" if out else str(part)
    return out
