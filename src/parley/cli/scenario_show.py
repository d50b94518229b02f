"""``parley scenario show``: every fact and assumption of a scenario, with its label (basis)
and its sources, each with its reliability grade."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

import typer
from rich.text import Text

from parley.cli.console import console
from parley.errors import UsageError, did_you_mean
from parley.scenario import Scenario, load
from parley.scenario.sources import (
    BASES,
    GRADES,
    GROUPS,
    UNGRADED,
    Citation,
    Fact,
    Registry,
    facts,
    host_of,
)

BASIS_STYLES = {"FACT": "bold green", "REPORTED": "bold yellow", "ASSUMPTION": "bold magenta"}
GRADE_STYLES = {
    "official": "bold green",
    "wire": "bold cyan",
    "major": "bold blue",
    "partisan": "bold yellow",
    "unverified": "bold red",
    UNGRADED: "dim",
}
NO_BASIS = "none"
"""What ``--basis`` calls an entry without a label."""
SHORT_ADDRESS = 40
"""Addresses longer than this show as their host (the full address is in ``--json``)."""

scenario_app = typer.Typer(
    help="Look inside one scenario: its facts, assumptions and sources.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def register(app: typer.Typer) -> None:
    app.add_typer(scenario_app, name="scenario")


@scenario_app.command("show")
def show(
    scenario: str = typer.Argument(..., help="A built-in name, a scenario file or folder."),
    basis: list[str] = typer.Option(
        [], "--basis", metavar="BASIS",
        help="Only entries with this label: FACT, REPORTED, ASSUMPTION or none (repeatable).",
    ),
    grade: list[str] = typer.Option(
        [], "--grade", metavar="GRADE",
        help=f"Only entries citing a source of this grade: {', '.join(GRADES)} or "
        f"{UNGRADED} (repeatable).",
    ),
    group: list[str] = typer.Option(
        [], "--group", metavar="GROUP",
        help=f"Only this part of the scenario: {', '.join(GROUPS)} (repeatable).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead."),
) -> None:
    """Every fact and assumption of a scenario with its label, its sources and their grades."""
    bases = _choices("--basis", [b.upper() for b in basis], (*BASES, NO_BASIS.upper()))
    grades = _choices("--grade", [g.lower() for g in grade], (*GRADES, UNGRADED))
    groups = _choices("--group", [g.lower() for g in group], tuple(GROUPS))
    loaded = load(scenario)
    listed = facts(loaded.doc)
    shown = [f for f in listed if _wanted(f, bases, grades, groups)]
    registry = Registry(loaded.doc.sources)
    if as_json:
        print(json.dumps(_json(loaded, listed, shown, registry), indent=2, ensure_ascii=False))
        return
    _print(loaded, listed, shown, registry, filtered=bool(bases or grades or groups))


def _choices(option: str, given: list[str], allowed: Sequence[str]) -> set[str]:
    wrong = [value for value in given if value not in allowed]
    if wrong:
        raise UsageError(f"{option} {wrong[0]!r}: not a known value"
                         f"{did_you_mean(wrong[0], allowed)}; expected one of {', '.join(allowed)}")
    return set(given)


def _wanted(fact: Fact, bases: set[str], grades: set[str], groups: set[str]) -> bool:
    if groups and fact.group not in groups:
        return False
    if bases and (fact.basis or NO_BASIS.upper()) not in bases:
        return False
    return not grades or bool(grades & set(fact.grades))


# -- JSON -------------------------------------------------------------------------------------


def _json(
    scenario: Scenario, listed: list[Fact], shown: list[Fact], registry: Registry
) -> dict[str, Any]:
    cited = _cited(listed)
    return {
        "scenario": scenario.name,
        "title": scenario.title,
        "source": scenario.source,
        "counts": _counts(listed, cited),
        "facts": [f.to_json() for f in shown],
        "sources": [
            {
                **entry.model_dump(mode="json", exclude_none=True),
                "cited": sum(1 for f in listed for c in f.citations if c.entry is entry),
            }
            for entry in registry.entries
        ],
    }


def _cited(listed: list[Fact]) -> list[Citation]:
    """Every distinct source the scenario cites (a URL or document once however often)."""
    unique: dict[str, Citation] = {}
    for fact in listed:
        for citation in fact.citations:
            if citation.kind == "url":
                unique.setdefault(citation.text.split("://", 1)[-1].removeprefix("www."), citation)
            elif citation.kind == "document" and citation.entry is not None:
                unique.setdefault(citation.entry.document or citation.text, citation)
    return list(unique.values())


def _counts(listed: list[Fact], cited: list[Citation]) -> dict[str, dict[str, int]]:
    bases = Counter(f.basis or NO_BASIS for f in listed)
    grades = Counter(c.grade or UNGRADED for c in cited)
    return {
        "basis": {b: bases[b] for b in (*BASES, NO_BASIS) if bases[b]},
        "grades": {g: grades[g] for g in (*GRADES, UNGRADED) if grades[g]},
    }


# -- text -------------------------------------------------------------------------------------


def _print(
    scenario: Scenario,
    listed: list[Fact],
    shown: list[Fact],
    registry: Registry,
    filtered: bool,
) -> None:
    counts = _counts(listed, _cited(listed))
    _indented(Text(scenario.title, style="bold"), 0)
    labels = ", ".join(
        f"{n} {'without a label' if b == NO_BASIS else b}" for b, n in counts["basis"].items()
    )
    grades = ", ".join(f"{n} {g}" for g, n in counts["grades"].items()) or "none"
    summary = (
        f"{scenario.source}: {len(listed)} entries ({labels}); "
        f"{sum(counts['grades'].values())} sources cited ({grades})."
    )
    if filtered:
        summary += f" Shown: {len(shown)}."
    _indented(Text(summary, style="dim"), 0)
    if not registry.entries:
        _indented(Text("No [[sources]] registry: every source is ungraded.", style="dim"), 0)
    group = None
    for fact in _with_issue_headers(listed, shown):
        if fact.group != group:
            group = fact.group
            console.print()
            console.print(Text(GROUPS.get(group, group), style="bold underline"))
        _entry(fact, indent=2 if _is_option(fact) else 0)
    if not shown:
        console.print(Text("\nNothing matches.", style="dim"))
    if registry.entries and not filtered:
        _registry(registry, [c for f in listed for c in f.citations])


def _is_option(fact: Fact) -> bool:
    return fact.group == "issues" and bool(fact.fields)


def _with_issue_headers(listed: list[Fact], shown: list[Fact]) -> list[Fact]:
    """``shown``, each shown option headed by its issue (a discrete issue with no option shown
    is left out; an integer or real issue stands alone)."""
    chosen = {id(f) for f in shown}
    out: list[Fact] = []
    issue: Fact | None = None
    for k, fact in enumerate(listed):
        if fact.group == "issues" and not fact.fields:
            issue = fact
            following = listed[k + 1] if k + 1 < len(listed) else None
            if id(fact) in chosen and not (following is not None and _is_option(following)):
                out.append(fact)  # an integer or real issue: no options to head
                issue = None
        elif id(fact) in chosen:
            if _is_option(fact) and issue is not None:
                out.append(issue)
                issue = None
            out.append(fact)
    return out


def _entry(fact: Fact, indent: int) -> None:
    head = Text()
    head.append(fact.item, style="bold")
    if fact.label and fact.label != fact.item:
        head.append(f"  {fact.label}")
    if fact.basis is not None or fact.fields:  # issues themselves carry no label
        head.append("  ")
        head.append(fact.basis or "no label", style=BASIS_STYLES.get(fact.basis or "", "dim"))
    if fact.rests_on_weak and fact.basis == "FACT":
        head.append("  (a FACT on partisan or unverified sources only)", style="bold red")
    _indented(head, indent, hanging=4)
    body = indent + 4
    if fact.text:
        _indented(Text(" ".join(fact.text.split())), body)
    for citation in fact.citations:
        _indented(_citation(citation), body, hanging=2)


def _indented(text: Text, indent: int, hanging: int = 0) -> None:
    """``text`` wrapped at word boundaries to the console's width, every line indented by
    ``indent`` (lines after the first by ``hanging`` more)."""
    width = max(20, console.width - indent - hanging)
    lines = text.wrap(console, width, justify="left", overflow="fold")
    for k, line in enumerate(lines):
        line.rstrip()
        pad = indent + (hanging if k else 0)
        console.print(Text(" " * pad) + line, no_wrap=True, crop=False)


def _citation(citation: Citation) -> Text:
    line = Text("• ")
    if citation.kind == "note":
        line.append(f"note: {citation.text}", style="dim")
        return line
    grade = citation.grade or UNGRADED
    line.append(grade, style=GRADE_STYLES[grade])
    if citation.entry is not None:
        line.append(f"  {citation.entry.publisher}")
    where = _address(citation.text) if citation.kind == "url" else citation.text
    line.append(f"  {where}", style="dim")
    return line


def _address(url: str) -> str:
    """A URL short enough for a line: without scheme and ``www.``; its host if still long."""
    bare = url.split("://", 1)[-1].removeprefix("www.").rstrip("/")
    return bare if len(bare) <= SHORT_ADDRESS else f"{host_of(url)}/…"


def _registry(registry: Registry, citations: list[Citation]) -> None:
    console.print()
    console.print(Text("Sources: the [[sources]] registry, by grade", style="bold underline"))
    uses = Counter(id(c.entry) for c in citations if c.entry is not None)
    order = {g: k for k, g in enumerate(GRADES)}
    for entry in sorted(registry.entries, key=lambda e: (order[e.grade], e.publisher.lower())):
        line = Text()
        line.append(entry.grade, style=GRADE_STYLES[entry.grade])
        line.append(f"  {entry.publisher}")
        key = entry.host or entry.url or entry.document or ""
        line.append(f"  {_address(key) if entry.url else key}", style="dim")
        count = uses[id(entry)]
        line.append(f"  (cited {count} time{'s' * (count != 1)})", style="dim")
        if entry.note:
            line.append(f". {entry.note}", style="dim")
        _indented(line, 0, hanging=2)
