"""``parley analyze``: where the good deals are (filled in by the analysis work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    del app  # the analysis command is registered once parley.analysis exists
