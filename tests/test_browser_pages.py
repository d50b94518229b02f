"""The room's pages as files and HTTP answers, without a browser.

What a person relies on that needs no browser to check: every page is served with its strict
content policy; the start page lists exactly the registered strategies; every script, module
import and stylesheet a page names exists and is served (nothing comes from another origin);
and no script ever turns text into markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from parley.engine.protocols import NAMES
from parley.server.pages import STATIC
from parley.strategies import MEDIATORS, NEGOTIATORS
from tests.server_helpers import TestClient, new_app

PAGES = ("/", "/room/0123456789abcdef", "/facilitate/0123456789abcdef")
SCRIPTS = sorted((STATIC / "js").glob("*.js"))

# Ways a script could turn a string into markup or code; the pages use textContent only.
MARKUP_SINKS = re.compile(
    r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new Function|"
    r"createContextualFragment|DOMParser|setAttribute\(\s*[\"']on"
)
ELSEWHERE = re.compile(r"(?:https?:)?//(?!www\.w3\.org/2000/svg)[a-z0-9.-]+\.[a-z]{2,}", re.I)
REFERENCE = re.compile(r"""(?:src|href)="(/static/[^"]+)\"""")
IMPORT = re.compile(r"""^import .* from "(\./[^"]+)";$""", re.M)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(new_app(tmp_path_factory.mktemp("pages"))) as test_client:
        yield test_client


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_html_with_a_strict_policy(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["referrer-policy"] == "no-referrer"
    assert '<html lang="en">' in response.text
    assert 'name="viewport"' in response.text  # laid out for narrow screens too


def test_start_page_lists_every_registered_strategy(client: TestClient) -> None:
    html = client.get("/").text
    found = re.search(r'<script type="application/json" id="strategies">(.*?)</script>', html)
    assert found is not None
    catalogue = json.loads(found.group(1))
    assert catalogue["protocols"] == list(NAMES)
    for key, registry in (("negotiators", NEGOTIATORS), ("mediators", MEDIATORS)):
        listed = {entry["name"]: set(entry["protocols"]) for entry in catalogue[key]}
        assert listed == {name: set(cls.protocols) for name, cls in registry.items()}


@pytest.mark.parametrize("path", PAGES)
def test_everything_a_page_loads_is_served_from_here(client: TestClient, path: str) -> None:
    html = client.get(path).text
    references = REFERENCE.findall(html)
    assert any(ref.endswith(".js") for ref in references)
    for ref in references:
        served = client.get(ref)
        assert served.status_code == 200, ref
        assert served.text == (STATIC / ref.removeprefix("/static/")).read_text(encoding="utf-8")
    assert not ELSEWHERE.search(html), "a page loads something from another origin"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_import_only_files_that_exist(script: Path) -> None:
    for target in IMPORT.findall(script.read_text(encoding="utf-8")):
        assert (script.parent / target).is_file(), f"{script.name} imports missing {target}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_never_turn_text_into_markup(script: Path) -> None:
    source = script.read_text(encoding="utf-8")
    assert not MARKUP_SINKS.search(source), MARKUP_SINKS.search(source)
    assert not ELSEWHERE.search(source), f"{script.name} names another origin"
