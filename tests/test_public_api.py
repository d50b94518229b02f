"""The public surface is deliberate: adding or removing a name must be a conscious change."""

from __future__ import annotations

import subprocess
import sys

import parley


def test_exported_names_are_pinned() -> None:
    assert sorted(parley.__all__) == sorted(
        [
            "Constraint",
            "DiscreteIssue",
            "EngineError",
            "IllegalActionError",
            "IntegerIssue",
            "Issue",
            "LinearAdditive",
            "Option",
            "OutcomeSpace",
            "ParleyError",
            "Party",
            "Preferences",
            "RealIssue",
            "RedLine",
            "Scenario",
            "ScenarioDoc",
            "ScenarioError",
            "UnknownNameError",
            "__version__",
            "load",
            "loads",
        ]
    )
    for name in parley.__all__:
        assert hasattr(parley, name), name


def test_importing_parley_loads_no_heavy_optional_parts() -> None:
    heavy = ("matplotlib", "parley.engine", "parley.formats")
    code = f"import sys, parley; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
