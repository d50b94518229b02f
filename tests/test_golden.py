"""Seeded runs reproduce their stored transcripts exactly (regenerate: scripts/regen_golden.py)."""

from __future__ import annotations

import pytest

from tests.golden_cases import CASES, GOLDEN, case_name, render


@pytest.mark.parametrize("case", CASES, ids=lambda c: case_name(*c))
def test_golden_transcript(case: tuple[str, str, str | None, int]) -> None:
    expected = (GOLDEN / case_name(*case)).read_text(encoding="utf-8")
    assert render(*case) == expected
