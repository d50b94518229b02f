"""Importers and exporters for other tools' scenario formats: GENIUS XML and GeniusWeb JSON.

``load_folder`` (what ``parley.scenario.load`` calls for a directory) reads a GENIUS folder
(one domain file, profile files) or a GeniusWeb folder (a domain JSON, profile JSONs) into a
``ScenarioDoc`` and builds the scenario from it, so an imported scenario can also be saved as a
Parley file (``import_folder``). ``export`` writes a scenario the other way. Which file is the
domain is told by content, not name (``docs/interop.md``): names vary too much in real folders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from parley.errors import ScenarioError
from parley.formats import genius, geniusweb
from parley.formats.xmltext import Node, decode, parse
from parley.preferences import LinearAdditive
from parley.scenario.model import Scenario
from parley.scenario.schema import (
    IssueDoc,
    PartyDoc,
    PreferencesDoc,
    ProtocolDoc,
    ScenarioDoc,
)

Format = Literal["genius", "geniusweb"]
FORMATS: tuple[Format, ...] = ("genius", "geniusweb")
MEDIATOR = "Mediator"


@dataclass
class _Found:
    """What a folder holds, once read."""

    kind: Format
    domain_name: str
    domain_file: Path
    issues: list[IssueDoc]
    profiles: list[tuple[Path, PreferencesDoc]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_folder(path: Path) -> Scenario:
    """A scenario from a GENIUS or GeniusWeb folder."""
    return Scenario.from_doc(import_folder(path), str(path))


def import_folder(path: Path) -> ScenarioDoc:
    """The Parley document for a GENIUS or GeniusWeb folder (see ``docs/interop.md``)."""
    path = Path(path)
    if not path.is_dir():
        problem = "not a folder" if path.exists() else "no such folder"
        raise ScenarioError(
            str(path), "", problem, expected="a GENIUS or GeniusWeb scenario folder"
        )
    files = sorted(p for p in path.iterdir() if p.is_file())
    try:
        found = _read_genius(path, files) or _read_geniusweb(path, files)
        if found is None:
            raise ScenarioError(str(path), "", "no GENIUS or GeniusWeb scenario files",
                                expected="a domain file and its profile files (.xml or .json)")
        if len(found.profiles) < 2:
            raise ScenarioError(str(path), "",
                                f"found {len(found.profiles)} profile file(s) next to "
                                f"{found.domain_file.name}", expected="two or more profiles")
        doc = _scenario_doc(path, found)
    except ValidationError as exc:  # a value the source format allows and Parley does not
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"])
        raise ScenarioError(str(path), where, str(error["msg"])) from None
    return _with_ceilings(doc, str(path)) if found.kind == "genius" else doc


def _read_genius(folder: Path, files: list[Path]) -> _Found | None:
    roots: list[Node] = []
    for file in files:
        if file.suffix.lower() != ".xml":
            continue
        try:
            text = decode(file.read_bytes())
        except OSError as exc:
            raise ScenarioError(str(file), "", f"cannot be read: {exc.strerror}") from None
        if not text.lstrip().startswith("<"):
            continue  # e.g. pareto.xml, which holds CSV text
        roots.append(parse(text, str(file)))
    domains = [r for r in roots if genius.is_domain(r)]
    profiles = [r for r in roots if genius.is_profile(r)]
    if not domains and not profiles:
        return None
    if len(domains) != 1:
        names = ", ".join(Path(d.source).name for d in domains) or "none"
        raise ScenarioError(str(folder), "",
                            f"expected one GENIUS domain file, found {len(domains)} ({names})",
                            expected="one <negotiation_template> file beside the profiles")
    domain = genius.read_domain(domains[0])
    found = _Found("genius", domain.name, Path(domain.source),
                   [i.doc for i in domain.issues], notes=list(domain.notes))
    for root in profiles:
        prefs = genius.read_profile(root, domain, found.notes)
        found.profiles.append((Path(root.source), prefs))
    return found


def _read_geniusweb(folder: Path, files: list[Path]) -> _Found | None:
    domains: list[tuple[Path, Any]] = []
    profiles: list[tuple[Path, Any]] = []
    for file in files:
        if file.suffix.lower() != ".json":
            continue
        data = geniusweb.load_json(file)
        if geniusweb.is_domain(data):
            domains.append((file, data))
        elif geniusweb.is_profile(data):
            profiles.append((file, data))
    if not domains and not profiles:
        return None
    if len(domains) > 1:
        names = ", ".join(f.name for f, _ in domains)
        raise ScenarioError(str(folder), "",
                            f"expected one GeniusWeb domain file, found {len(domains)} ({names})")
    domain = geniusweb.read_domain(domains[0][1], str(domains[0][0])) if domains else None
    notes: list[str] = []
    read = []
    for file, data in profiles:
        prefs, domain = geniusweb.read_profile(data, str(file), domain, notes)
        read.append((file, prefs))
    if domain is None:
        raise ScenarioError(str(folder), "", "a GeniusWeb domain file without profiles",
                            expected="profile files beside it")
    domain_file = domains[0][0] if domains else profiles[0][0]
    return _Found("geniusweb", domain.name, domain_file, domain.issues, read, notes)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return slug or "imported"


def _scenario_doc(folder: Path, found: _Found) -> ScenarioDoc:
    tool = {"genius": "GENIUS", "geniusweb": "GeniusWeb"}[found.kind]
    folder_name = folder.resolve().name
    parties = [
        PartyDoc(name=file.stem, role="principal", description=f"Profile {file.name}",
                 preferences=prefs)
        for file, prefs in found.profiles
    ]
    names = {p.name for p in parties}
    mediator = MEDIATOR
    while mediator in names:
        mediator += "_"
    parties.append(PartyDoc(name=mediator, role="mediator",
                            description="A neutral mediator added on import so that mediated "
                            "protocols can run; the source format has none."))
    profile_names = ", ".join(file.name for file, _ in found.profiles)
    return ScenarioDoc(
        name=_slug(folder_name),
        title=f"{tool} scenario {folder_name}" if found.domain_name in ("", "root")
        else f"{found.domain_name} ({tool} scenario {folder_name})",
        description=f"Imported from the {tool} folder {folder_name}: domain "
                    f"{found.domain_file.name}, profiles {profile_names}.",
        notes="\n".join(found.notes),
        issues=tuple(found.issues),
        parties=tuple(parties),
        protocol=ProtocolDoc(kind="direct", mediator=mediator),
    )


def _with_ceilings(doc: ScenarioDoc, source: str) -> ScenarioDoc:
    """GENIUS caps additive utilities at 1: profiles that can exceed 1 get ``ceiling = 1``."""
    scenario = Scenario.from_doc(doc, source)
    capped = {
        p.name for p in scenario.principals
        if isinstance(p.preferences, LinearAdditive) and p.preferences.best_value() > 1.0
    }
    if not capped:
        return doc
    parties = []
    for party in doc.parties:
        if party.name in capped and party.preferences is not None:
            prefs: PreferencesDoc = party.preferences.model_copy(update={"ceiling": 1.0})
            party = party.model_copy(update={"preferences": prefs})
        parties.append(party)
    notes = [doc.notes] if doc.notes else []
    notes += [f"{name}: some outcomes sum to more than 1; GENIUS caps them at 1 (ceiling = 1)"
              for name in sorted(capped)]
    return doc.model_copy(update={"parties": tuple(parties), "notes": "\n".join(notes)})


@dataclass(frozen=True)
class Exported:
    """What ``export`` wrote: the files, and in one line each what the format leaves out."""

    files: tuple[Path, ...]
    left_out: tuple[str, ...] = ()


def export(scenario: Scenario, fmt: str, folder: Path) -> Exported:
    """Write ``scenario`` as a GENIUS or GeniusWeb folder; returns the files written.

    Every principal becomes a profile file named after it; the domain file is named after
    the scenario. What the format cannot express in a profile (red lines, ...) raises a
    ``ScenarioError`` before anything is written. Neither format can say that some packages
    cannot exist: the scenario's constraints are left out of the files, and ``left_out``
    says so in one line (the CLI prints it on stderr).
    """
    if fmt not in FORMATS:
        raise ScenarioError(scenario.source, "--format", "unknown format", value=fmt,
                            expected=" or ".join(FORMATS))
    module: Any = genius if fmt == "genius" else geniusweb
    suffix = ".xml" if fmt == "genius" else ".json"
    if fmt == "genius":
        genius.check_real_grid(scenario)
    texts = {f"{scenario.name}-domain{suffix}": module.write_domain(scenario)}
    for party in scenario.principals:
        name = _file_stem(party.name) + suffix
        if name in texts:
            raise ScenarioError(scenario.source, f"parties[{party.name}]",
                                "two files would get the same name", value=name,
                                expected="party names that differ from each other and from "
                                f"{scenario.name}-domain")
        texts[name] = module.write_profile(scenario, party)
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in texts.items():
            target = folder / name
            target.write_text(text, encoding="utf-8")
            written.append(target)
    except OSError as exc:
        raise ScenarioError(str(folder), "", f"cannot write: {exc.strerror}") from None
    return Exported(tuple(written), _left_out(scenario, fmt))


def _left_out(scenario: Scenario, fmt: str) -> tuple[str, ...]:
    count = len(scenario.space.constraints)
    if not count:
        return ()
    name = "GENIUS" if fmt == "genius" else "GeniusWeb"
    return (
        f"{name} cannot express constraints: the {count} constraint(s) of {scenario.name} are "
        "left out, so the exported files treat every package as possible",
    )


def _file_stem(name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name).strip(" .") or "party"


__all__ = ["FORMATS", "MEDIATOR", "Exported", "Format", "export", "import_folder", "load_folder"]
