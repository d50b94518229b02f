"""Reading and writing scenario files, and finding scenarios by name or path."""

from __future__ import annotations

import tomllib
from difflib import get_close_matches
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from parley.errors import ScenarioError
from parley.scenario.model import Scenario
from parley.scenario.schema import ScenarioDoc

BUILTIN_PACKAGE = "parley.scenario.builtin"


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with Parley."""
    folder = resources.files(BUILTIN_PACKAGE)
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def load(spec: str | Path) -> Scenario:
    """A scenario from a built-in name, a Parley ``.toml`` file, or a GENIUS/GeniusWeb folder."""
    text_spec = str(spec)
    if isinstance(spec, str) and text_spec in builtin_names():
        resource = resources.files(BUILTIN_PACKAGE) / f"{text_spec}.toml"
        return loads(resource.read_text(encoding="utf-8"), source=f"{text_spec} (built-in)")
    path = Path(spec)
    if path.is_dir():
        from parley.formats import load_folder  # deferred: importers load only when needed

        return load_folder(path)
    if not path.exists():
        close = get_close_matches(text_spec, builtin_names(), n=1)
        raise ScenarioError(
            text_spec,
            "",
            "no such file or built-in scenario"
            + (f" (did you mean {close[0]}?)" if close else ""),
            expected=f"a built-in name ({', '.join(builtin_names())}), a .toml file "
            "or a scenario folder",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            str(path), "", f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise ScenarioError(str(path), "", f"cannot be read: {exc.strerror}") from None
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
        raise _first_error(exc, source, data) from None
    return Scenario.from_doc(doc, source)


def dumps(doc: ScenarioDoc) -> str:
    """TOML text for a scenario document; ``loads(dumps(doc))`` gives the same document."""
    return tomli_w.dumps(doc.model_dump(mode="json", exclude_none=True))


def save(doc: ScenarioDoc, path: str | Path) -> None:
    Path(path).write_text(dumps(doc), encoding="utf-8")


# Names pydantic adds to a location for the branch of a union it tried; how to say each one.
_BRANCHES = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "StrategyDoc": "a table (name, params)",
    "DistributionDoc": "a distribution table (kind, ...)",
}


def _first_error(exc: ValidationError, source: str, data: object = None) -> ScenarioError:
    """The first pydantic error, in Parley's one-line form: FILE: FIELD: problem; got; expected.

    ``data`` is what was validated; with it, list positions of named things print as the name
    (``parties[Iran]``, ``issues[A].options[A3]``) instead of the index.
    """
    errors = exc.errors(include_url=False)
    loc = tuple(errors[0]["loc"])
    branch = _branch_at(loc, data)
    if branch is None:
        return _one_line(errors[0], source, data, errors)
    # A value that fits none of a union's forms: pydantic reports one error per form. If the
    # value had the shape of one form (a table, say), that form's deeper error says more.
    stem = loc[:branch]
    forms = [e for e in errors if tuple(e["loc"])[:branch] == stem and len(e["loc"]) > branch]
    deeper = [e for e in forms if len(e["loc"]) > branch + 1]
    if deeper:
        return _one_line(deeper[0], source, data, errors)
    names = [str(e["loc"][branch]) for e in forms]
    kinds = dict.fromkeys(_BRANCHES.get(name, name) for name in names)
    return ScenarioError(
        source,
        _path(stem, data) or "(top level)",
        "not a value of an accepted type",
        value=_shown(errors[0].get("input")),
        expected=" or ".join(kinds),
    )


def _one_line(
    error: ErrorDetails, source: str, data: object, others: list[ErrorDetails] | None = None
) -> ScenarioError:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (misspelled?)"
    elif error["type"] == "missing":
        message += _misspelled(error, others or [])
    value = None if error["type"] in {"model_type", "missing"} else _shown(error.get("input"))
    return ScenarioError(
        source, _path(tuple(error["loc"]), data) or "(top level)", message, value=value
    )


def _misspelled(missing: ErrorDetails, errors: list[ErrorDetails]) -> str:
    """For a required key that is missing: the unknown key beside it that looks like it."""
    where, wanted = tuple(missing["loc"][:-1]), str(missing["loc"][-1])
    unknown = [
        str(e["loc"][-1])
        for e in errors
        if e["type"] == "extra_forbidden" and tuple(e["loc"][:-1]) == where
    ]
    close = get_close_matches(wanted, unknown, n=1, cutoff=0.6)
    return f"; found the unknown key {close[0]!r} beside it (misspelled {wanted}?)" if close else ""


def _shown(value: object) -> object:
    """The offending value, or None where echoing it back would not help."""
    return None if isinstance(value, dict | list) else value  # not a whole table back


def _branch_at(loc: tuple[int | str, ...], data: object) -> int | None:
    """Position in ``loc`` of the first union-branch name pydantic added, if any."""
    node = data
    for k, part in enumerate(loc):
        if (
            isinstance(part, str)
            and part in _BRANCHES
            and not (isinstance(node, dict) and part in node)
        ):
            return k
        node = _step(node, part)
    return None


def _path(loc: tuple[int | str, ...], data: object = None) -> str:
    """A location as a readable field path.

    Items of a list that carry a ``name`` or ``id`` (parties, delegation members, issues,
    options) are shown by it, e.g. ``parties[Iran].preferences.issues.A.weight``; other list
    items by position (``timeline[3]``). Union-branch names pydantic adds are left out.
    """
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            item = _step(node, part)
            label = _label(item)
            out += f"[{label if label is not None else part}]"
            node = item
        elif part in _BRANCHES and not (isinstance(node, dict) and part in node):
            continue  # union branch names pydantic adds to the location
        else:
            out += f".{part}" if out else str(part)
            node = _step(node, part)
    return out


def _step(node: object, part: int | str) -> object:
    """The child of ``node`` at ``part``, or None where the data has no such child."""
    if isinstance(part, int) and isinstance(node, list | tuple):
        return node[part] if -len(node) <= part < len(node) else None
    if isinstance(node, dict):
        return node.get(part)
    return None


def _label(item: object) -> str | None:
    """The name or id a list item is known by, if it has a usable one."""
    if isinstance(item, dict):
        for key in ("id", "name"):
            label = item.get(key)
            if isinstance(label, str) and label.strip() and "]" not in label:
                return label
    return None
