"""Regenerate the golden transcripts in tests/golden/ (review the diff before committing).

python scripts/regen_golden.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.golden_cases import CASES, GOLDEN, case_name, render


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for case in CASES:
        path = GOLDEN / case_name(*case)
        path.write_text(render(*case), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
