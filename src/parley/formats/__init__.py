"""Importers and exporters for other tools' scenario formats."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from parley.errors import ScenarioError

if TYPE_CHECKING:
    from parley.scenario.model import Scenario


def load_folder(path: Path) -> Scenario:
    """A scenario from a folder of another tool's files."""
    raise ScenarioError(str(path), "(folder)", "reading GENIUS and GeniusWeb folders is not implemented yet")
