"""Sources on view: the ``[[sources]]`` registry, Muscat's graded sources, ``parley scenario
show``, and the provenance ``parley run --json`` and ``parley analyze --json`` carry.

Expected grades are read from the scenario file itself (its ``[[sources]]`` table, matched by
host here, independently of ``parley.scenario.sources``), not written into the tests.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from parley.errors import ScenarioError
from parley.scenario import load, loads
from parley.scenario.schema import SourceDoc
from parley.scenario.sources import WEAK, Registry, facts
from tests.cli_helpers import parley

URL = re.compile(r"https?://\S+")


@pytest.fixture(scope="module")
def muscat_data() -> dict[str, Any]:
    text = (resources.files("parley.scenario.builtin") / "muscat-2026.toml").read_text("utf-8")
    return tomllib.loads(text)


def _grade_of(data: dict[str, Any], url: str) -> tuple[str, str] | None:
    """(grade, publisher) of ``url`` by the file's own registry: a url entry it begins with,
    else the longest host entry that is its host or a parent domain."""
    bare = url.split("://", 1)[1].removeprefix("www.")
    host = bare.split("/", 1)[0].split("?", 1)[0].lower()
    best: tuple[int, tuple[str, str]] | None = None
    for entry in data.get("sources", []):
        found = entry.get("url")
        if found and bare.startswith(found.split("://", 1)[1].removeprefix("www.")):
            return entry["grade"], entry["publisher"]
        key = entry.get("host")
        matches = key and (host == key or host.endswith("." + key))
        if matches and (best is None or len(key) > best[0]):
            best = (len(key), (entry["grade"], entry["publisher"]))
    return None if best is None else best[1]


def _sources_of(data: dict[str, Any], source: str) -> list[tuple[str, str, str]]:
    """(cited text, grade, publisher) for each URL and registered document in ``source``."""
    found: list[tuple[str, str, str]] = []
    for part in source.split(" ; "):
        urls = [u.rstrip(".,;)") for u in URL.findall(part)]
        for url in urls:
            graded = _grade_of(data, url)
            assert graded is not None, f"no grade for {url}"
            found.append((url, *graded))
        if not urls:
            for entry in data.get("sources", []):
                if entry.get("document") and entry["document"] in part:
                    found.append((part.strip(), entry["grade"], entry["publisher"]))
    return found


# -- Muscat's sources -------------------------------------------------------------------------


def test_every_source_muscat_cites_is_graded(muscat_data: dict[str, Any]) -> None:
    doc = load("muscat-2026").doc
    listed = facts(doc)
    cited = [c for f in listed for c in f.citations if c.cited]
    assert len(cited) > 100
    assert all(c.entry is not None for c in cited), [c.text for c in cited if c.entry is None]
    notes = {c.text for f in listed for c in f.citations if not c.cited}
    assert all(n.startswith("SCENARIO_FACTS") for n in notes), notes  # pointers, not sources
    # every registry entry is used, and the same URL gets the same grade as the file says
    used = {id(c.entry) for c in cited}
    assert [e.publisher for e in doc.sources if id(e) not in used] == []
    for citation in cited:
        if citation.kind == "url":
            assert citation.entry is not None
            expected = _grade_of(muscat_data, citation.text)
            assert (citation.entry.grade, citation.entry.publisher) == expected, citation.text


def test_no_fact_rests_only_on_weak_sources() -> None:
    listed = facts(load("muscat-2026").doc)
    facts_on_weak = [f.item for f in listed if f.basis == "FACT" and f.rests_on_weak]
    assert facts_on_weak == []
    # a REPORTED entry on weak pages alone says so (most are FACTs downgraded one step)
    for fact in listed:
        if fact.basis == "REPORTED" and fact.rests_on_weak:
            assert re.search(r"partisan|unverified", fact.text), (fact.item, fact.label)
    # the pages the issue names are graded weak, whatever cites them
    by_host = {e.host: e.grade for e in load("muscat-2026").doc.sources if e.host}
    for host in ("attackofthefanboy.com", "israelnoticias.com", "zerohedge.com", "listserve.net"):
        assert by_host[host] in WEAK, host


def test_downgrades_say_so(muscat_data: dict[str, Any]) -> None:
    """An anchor downgraded to ASSUMPTION (not interpolated) names why in its description."""
    for issue in muscat_data["issues"]:
        for option in issue["options"]:
            if "Downgraded" in option["description"]:
                assert option["basis"] == "ASSUMPTION", option["id"]
                assert re.search(r"partisan|unverified", option["description"]), option["id"]


# -- the registry and the check -----------------------------------------------------------------


def _entry(**fields: str) -> SourceDoc:
    return SourceDoc.model_validate({"grade": "major", "publisher": "P", **fields})


def test_lookup_prefers_an_address_to_its_host_and_a_subdomain_to_its_parent() -> None:
    registry = Registry([
        _entry(host="example.org", grade="unverified", publisher="Example"),
        _entry(host="news.example.org", grade="wire", publisher="Example News"),
        _entry(url="https://example.org/statements", grade="official", publisher="Ministry"),
        _entry(document="shared/seed/report.txt", grade="wire", publisher="Agency"),
    ])

    def publisher(url: str) -> str | None:
        entry = registry.for_url(url)
        return None if entry is None else entry.publisher

    assert publisher("https://www.example.org/blog/1") == "Example"
    assert publisher("http://example.org/statements/2026/1") == "Ministry"
    assert publisher("https://example.org/statementsX") == "Example"  # not a path boundary
    assert publisher("https://news.example.org/a") == "Example News"
    assert publisher("https://deep.news.example.org/a") == "Example News"
    assert publisher("https://example.com/a") is None
    cited = registry.cite("Seed report (IRNA), shared/seed/report.txt ; see https://x.example.org/"
                          " ; invented")
    assert [(c.kind, c.grade) for c in cited] == [
        ("document", "wire"), ("url", "unverified"), ("note", None)
    ]


def _scenario_with(tmp_path: Path, source: str, sources: list[dict[str, str]]) -> Path:
    data = load("nash-1950").doc.model_dump(mode="json", exclude_none=True)
    data["issues"][0]["options"][0]["source"] = source
    data["sources"] = sources
    path = tmp_path / "graded.toml"
    path.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return path


def test_an_ungraded_url_is_a_one_line_error_naming_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    graded = [{"host": "example.org", "grade": "major", "publisher": "Example"}]
    path = _scenario_with(tmp_path, "https://example.org/a ; https://www.unknown.net/b", graded)
    code, out, err = parley(capsys, "validate", str(path))
    assert code == 2
    assert out == ""
    line = err.strip()
    assert "\n" not in line
    assert f"{path}: issues[book].options[Bill].source: ungraded source" in line
    assert "'https://www.unknown.net/b'" in line
    assert "host = 'unknown.net'" in line
    # graded, the same file loads
    graded.append({"host": "unknown.net", "grade": "unverified", "publisher": "Unknown"})
    path = _scenario_with(tmp_path, "https://example.org/a ; https://www.unknown.net/b", graded)
    assert parley(capsys, "validate", str(path))[0] == 0


@pytest.mark.parametrize(
    ("sources", "field", "problem"),
    [
        ([{"host": "a.org", "grade": "major", "publisher": "A"},
          {"host": "www.a.org", "grade": "wire", "publisher": "B"}],
         "sources[1]", "declared twice (first as sources[0])"),
        ([{"host": "a.org", "url": "https://a.org/x", "grade": "major", "publisher": "A"}],
         "sources[0]", "give exactly one of url, host or document"),
        ([{"host": "a.org", "grade": "reliable", "publisher": "A"}],
         "sources[0].grade", "Input should be 'official', 'wire', 'major', 'partisan'"),
        ([{"host": "https://a.org/", "grade": "major", "publisher": "A"}],
         "sources[0].host", "String should match pattern"),
    ],
)
def test_registry_errors_name_the_entry(
    tmp_path: Path, sources: list[dict[str, str]], field: str, problem: str
) -> None:
    path = _scenario_with(tmp_path, "https://a.org/page", sources)
    with pytest.raises(ScenarioError) as raised:
        load(path)
    assert raised.value.field == field
    assert problem in str(raised.value)


def test_a_scenario_without_a_registry_loads_with_its_sources_ungraded() -> None:
    text = (resources.files("parley.scenario.builtin") / "nash-1950.toml").read_text("utf-8")
    text = text.replace('source = "Nash, J. F. (1950)', 'source = "https://example.org ; Nash', 1)
    listed = facts(loads(text).doc)
    assert any(c.kind == "url" and c.entry is None for f in listed for c in f.citations)


# -- parley scenario show -----------------------------------------------------------------------


def test_show_lists_every_option_with_its_sources_and_grades(
    capsys: pytest.CaptureFixture[str], muscat_data: dict[str, Any]
) -> None:
    code, out, _ = parley(capsys, "scenario", "show", "muscat-2026", "--json")
    assert code == 0
    doc = json.loads(out)
    options = {f["item"]: f for f in doc["facts"] if f["group"] == "issues" and f["fields"]}
    for issue in muscat_data["issues"]:
        for option in issue["options"]:
            shown = options[option["id"]]
            assert (shown["label"], shown["basis"]) == (option["label"], option["basis"])
            expected = _sources_of(muscat_data, option["source"])
            cited = [(s["source"], s["grade"], s["publisher"])
                     for s in shown["sources"] if s["kind"] != "note"]
            assert cited == expected, option["id"]
    # the text lists them too: each option's line, then its sources' grades and publishers
    code, out, _ = parley(capsys, "scenario", "show", "muscat-2026")
    assert code == 0
    text = " ".join(out.split())
    for issue in muscat_data["issues"]:
        for option in issue["options"]:
            head = f"{option['id']} {' '.join(option['label'].split())} {option['basis']}"
            assert head in text, head
            block = text[text.index(head):]
            for _cited, grade, publisher in _sources_of(muscat_data, option["source"]):
                assert f"• {grade} {publisher}" in block[:3000], (option["id"], publisher)


def test_show_covers_every_group_of_the_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = parley(capsys, "scenario", "show", "muscat-2026", "--json")
    assert code == 0
    doc = json.loads(out)
    groups = {f["group"] for f in doc["facts"]}
    assert {"issues", "parties", "preferences", "red-lines", "script", "timeline",
            "uncertainty", "track"} <= groups
    scenario = load("muscat-2026").doc
    assert sum(f["group"] == "timeline" for f in doc["facts"]) == len(scenario.timeline)
    assert sum(f["group"] == "script" for f in doc["facts"]) == len(scenario.protocol.script)
    assert sum(doc["counts"]["grades"].values()) > 50
    assert "ungraded" not in doc["counts"]["grades"]


@pytest.mark.parametrize(
    ("option", "value", "check"),
    [
        ("--basis", "ASSUMPTION", lambda f: f["basis"] == "ASSUMPTION"),
        ("--basis", "reported", lambda f: f["basis"] == "REPORTED"),
        ("--grade", "unverified",
         lambda f: any(s["grade"] == "unverified" for s in f["sources"])),
        ("--group", "red-lines", lambda f: f["group"] == "red-lines"),
    ],
)
def test_show_filters(
    capsys: pytest.CaptureFixture[str], option: str, value: str, check: Any
) -> None:
    code, out, _ = parley(capsys, "scenario", "show", "muscat-2026", option, value, "--json")
    assert code == 0
    shown = json.loads(out)["facts"]
    assert shown
    assert all(check(f) for f in shown)


@pytest.mark.parametrize(
    "argv",
    [
        ("scenario", "show", "no-such-scenario"),
        ("scenario", "show", "muscat-2026", "--grade", "reliable"),
        ("scenario", "show", "muscat-2026", "--basis", "RUMOUR"),
    ],
)
def test_show_errors_are_one_line(capsys: pytest.CaptureFixture[str], argv: tuple[str]) -> None:
    code, out, err = parley(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert argv[-1] in err


def _show(columns: int) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "parley.cli.app", "scenario", "show", "muscat-2026"],
        capture_output=True, text=True, env=env, check=True, encoding="utf-8",
    )
    return done.stdout


@pytest.mark.parametrize("columns", [80, 120])
def test_show_fits_the_width_without_cutting_words(columns: int) -> None:
    out = _show(columns)
    wide = [line for line in out.splitlines() if len(line) > columns]
    assert wide == []
    # wrapping moves only whitespace: the words are those of an output too wide to wrap
    assert out.split() == _show(2000).split()
    assert "Sources: the [[sources]] registry" in out


# -- provenance in run and analyze JSON ---------------------------------------------------------


def _check_provenance(report: dict[str, Any], packages: list[dict[str, Any]]) -> None:
    scenario = load("muscat-2026").doc
    options = {(i.id, o.id): o for i in scenario.issues for o in i.options}
    provenance = report["provenance"]
    assert packages
    for package in packages:
        for issue_id, option_id in package.items():
            record = provenance[issue_id][option_id]
            option = options[(issue_id, option_id)]
            assert (record["label"], record["basis"]) == (option.label, option.basis)
            cited = [s for s in record["sources"] if s["kind"] != "note"]
            assert all(s["grade"] is not None and s["publisher"] for s in cited)
            assert cited or option.basis == "ASSUMPTION", option.id  # interpolated: no source


def test_analyze_json_carries_each_suggested_option_provenance(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = parley(capsys, "analyze", "muscat-2026", "--json")
    assert code == 0
    report = json.loads(out)
    points = [report[k]["outcome"] for k in ("nash", "kalai", "utilitarian", "egalitarian")
              if report[k] is not None]
    _check_provenance(report, points)


def test_run_json_carries_each_agreed_or_suggested_option_provenance(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = parley(capsys, "run", "muscat-2026", "--json", "--no-compare")
    assert code == 0
    report = json.loads(out)
    packages = [report["settled"]] if report["settled"] else []
    if report["agreement"] is not None:
        packages.append(report["agreement"]["outcome"])
    if report["nash"] is not None:
        packages.append(report["nash"]["outcome"])
    _check_provenance(report, packages)
