"""The lenient XML reader mends exactly the quirks of real GENIUS files, and no more."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.errors import ScenarioError
from parley.formats.xmltext import decode, drop_prologue_quirks, parse, read_xml
from tests.test_formats_helpers import DATA


def test_bare_ampersand_is_escaped_and_real_references_are_kept() -> None:
    root = parse('<item value="AT & T" other="a &amp; b &#38; c &lt; d"/>', "t.xml")
    assert root.get("value") == "AT & T"
    assert root.get("other") == "a & b & c < d"


def test_declaration_after_a_comment_and_a_blank_line() -> None:
    text = '\n<!-- profile 1 -->\n<?xml version="1.0" encoding="utf-8" ?>\n<utility_space/>\n'
    with pytest.raises(ET.ParseError):
        ET.fromstring(text)  # the quirk is real: a strict parser refuses it
    assert parse(text, "t.xml").tag == "utility_space"


def test_missing_blank_between_attributes() -> None:
    root = parse('<issue name="a=b" type="discrete"vtype="discrete" etype=\'x\'index="3"/>', "t")
    assert root.get("name") == "a=b"
    assert root.get("type") == "discrete"
    assert root.get("vtype") == "discrete"
    assert root.get("etype") == "x"
    assert root.get("index") == "3"


def test_crlf_line_ends() -> None:
    root = parse('<a>\r\n<b value="1"/>\r\n</a>\r\n', "t.xml")
    assert [child.get("value") for child in root.children("b")] == ["1"]


def test_decoding_falls_back_from_utf8_to_cp1252_to_latin1() -> None:
    assert decode("€ 10,000".encode()) == "€ 10,000"
    assert decode(b"\xef\xbb\xbfvalue") == "value"  # UTF-8 byte-order mark dropped
    assert decode(b"\x80 10,000") == "€ 10,000"  # cp1252, as in ANAC 2015 New_sporthal
    assert decode(b"\x81") == "\x81"  # undefined in cp1252: latin-1 takes any byte


def test_the_quirky_test_files_really_are_quirky() -> None:
    raw = (DATA / "genius_quirks" / "Quirky.xml").read_bytes()
    assert b"\r\n" in raw
    assert b"\x80" in raw
    assert b'"discrete"vtype' in raw
    assert b"AT & T" in raw
    assert raw.lstrip().startswith(b"<!--")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    root = read_xml(DATA / "genius_quirks" / "Quirky.xml")
    values = [item.get("value") for item in root.element.iter("item")]
    assert values == ["AT & T", "Coffee & Thee", "€ 10,000", "small", "large"]


def test_unreadable_xml_names_the_file_line_and_column() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse('<a>\n  <b value="1">\n</a>\n', "broken.xml")
    message = str(caught.value)
    assert message.startswith("broken.xml: line 3, column")
    assert "not readable as XML" in message
    assert "\n" not in message


def test_element_paths_name_the_element() -> None:
    root = parse('<utility_space><objective index="0"><weight index="2" value="x"/>'
                 "</objective></utility_space>", "p.xml")
    objective = root.child("objective")
    assert objective is not None
    weight = next(objective.children("weight"))
    with pytest.raises(ScenarioError) as caught:
        weight.number("value")
    assert str(caught.value) == (
        "p.xml: utility_space/objective[index=0]/weight[index=2]@value: not a number; got 'x'"
    )


# The clean-up as it was specified by regular expressions: the reference on short texts, where
# their quadratic time does not matter.
REFERENCE_DECLARATION = re.compile(r"<\?xml\b.*?\?>", re.DOTALL)
REFERENCE_DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", re.DOTALL)
PIECES = ["<?xml", "<?xmlx", "?>", "<!DOCTYPE", "[", "]", ">", " ", "\n", "a", "<", "]>", "] >"]


@given(st.lists(st.sampled_from(PIECES), max_size=14))
@settings(max_examples=3000, deadline=None)
def test_declarations_and_doctypes_are_cut_as_the_reference_patterns_cut_them(
    pieces: list[str],
) -> None:
    text = "".join(pieces)
    expected = REFERENCE_DOCTYPE.sub("", REFERENCE_DECLARATION.sub("", text))
    assert drop_prologue_quirks(text) == expected


def test_a_doctype_with_an_internal_subset_is_dropped_whole() -> None:
    text = '<!DOCTYPE r [<!ENTITY e "x>y"> <!ENTITY f "z">] >\n<r a="&e;"/>'
    assert drop_prologue_quirks(text) == '\n<r a="&e;"/>'


@pytest.mark.parametrize("opening", ["<!DOCTYPE [", "<?xml ", "<!DOCTYPE [ ]"])
def test_clean_up_takes_time_linear_in_the_size_of_the_file(opening: str) -> None:
    # 2 MB of openings that never close: the regular expressions took hours on this (88 KB of
    # "<!DOCTYPE [" took 5.5 s); run apart so that a regression fails instead of hanging.
    code = (
        "from parley.formats.xmltext import repair\n"
        f"repair('<r>' + {opening!r} * 200_000 + '</r>')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
