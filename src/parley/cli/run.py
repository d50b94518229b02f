"""Commands of the run group (filled in by its own work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    del app  # nothing registered yet
