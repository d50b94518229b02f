"""The room's languages without a browser: the catalogs agree, every string a page asks for
exists, and scenarios carry their own words in other languages (Muscat in Chinese).

The pages draw every word through ``static/js/i18n.js``; a key missing from a catalog would
show the key itself, a placeholder missing from a translation would show ``{name}``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parley.errors import ScenarioError
from parley.scenario import dumps, load, loads
from parley.server.pages import STATIC
from parley.server.views import agenda

CATALOGS = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))
    for path in (STATIC / "i18n").glob("*.json")
}
USED = re.compile(r"""\bt\(\s*"([a-z0-9.-]+)\"""")
MARKED = re.compile(r"""data-i18n="([a-z0-9.-]+)\"""")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_english_and_chinese_catalogs_have_the_same_keys_and_placeholders() -> None:
    assert set(CATALOGS) >= {"en", "zh"}
    english = CATALOGS["en"]
    for code, words in CATALOGS.items():
        assert set(words) == set(english), f"{code}.json: keys differ from en.json"
        for key, text in words.items():
            assert text.strip(), f"{code}.json: {key} is blank"
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), (
                f"{code}.json: {key} has other placeholders than en.json"
            )


def test_chinese_catalog_is_translated() -> None:
    """Every Chinese entry has Chinese in it (none left in English by mistake), except the
    few that are only placeholders and symbols."""
    han = re.compile(r"[\u4e00-\u9fff]")
    for key, text in CATALOGS["zh"].items():
        bare = PLACEHOLDER.sub("", text)
        if re.search(r"[A-Za-z]{3,}", bare):
            assert han.search(bare), f"zh.json: {key} is still English: {text!r}"


@pytest.mark.parametrize("script", sorted((STATIC / "js").glob("*.js")), ids=lambda p: p.name)
def test_every_key_a_script_asks_for_exists(script: Path) -> None:
    for key in USED.findall(script.read_text(encoding="utf-8")):
        assert key in CATALOGS["en"], f"{script.name} asks for {key}, which en.json lacks"


@pytest.mark.parametrize("page", sorted(STATIC.glob("*.html")), ids=lambda p: p.name)
def test_every_key_a_page_marks_exists(page: Path) -> None:
    for key in MARKED.findall(page.read_text(encoding="utf-8")):
        assert key in CATALOGS["en"], f"{page.name} marks {key}, which en.json lacks"


def test_every_action_button_and_message_kind_has_words() -> None:
    turn = (STATIC / "js" / "turn.js").read_text(encoding="utf-8")
    order = re.search(r"const ORDER = \[(.*?)\];", turn)
    assert order is not None
    for kind in re.findall(r'"([a-z-]+)"', order.group(1)):
        assert f"action.{kind}" in CATALOGS["en"], kind
    for status in ("waiting", "running", "paused", "ended"):
        assert f"status.{status}" in CATALOGS["en"]


def test_muscat_names_every_party_issue_and_option_in_chinese() -> None:
    scenario = load("muscat-2026")
    doc = scenario.doc
    assert doc.labels is not None
    assert doc.labels["zh"]
    assert {
        p.name: (p.labels or {}).get("zh")
        for p in doc.parties
        if p.role in ("principal", "mediator")
    } == {
        "Iran": "伊朗",
        "United States": "美国",
        "Oman": "阿曼",
    }
    for issue in agenda(scenario):
        assert issue["labels"]["zh"], issue["name"]
        for option in issue["options"]:
            assert option["labels"]["zh"], option["id"]
            assert option["shorts"]["zh"], option["id"]


def test_labels_survive_a_round_trip_and_bad_ones_are_named() -> None:
    doc = load("muscat-2026").doc
    assert loads(dumps(doc)).doc == doc
    text = dumps(load("job-offer").doc).replace(
        'role = "principal"', 'role = "principal"\nlabels = { "zh_CN!" = "x" }', 1
    )
    with pytest.raises(ScenarioError, match=r"parties\[Candidate\]\.labels\.zh_CN!"):
        loads(text, source="job.toml")
