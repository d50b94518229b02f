"""Shared rich consoles: results on stdout, errors on stderr."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

console = Console(highlight=False)
error_console = Console(stderr=True, highlight=False)

BIG_SCAN = 5_000_000
"""Scans of fewer outcomes finish too fast to need a progress bar."""


@contextmanager
def scan_progress(label: str = "Scanning outcomes") -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for long scans (shown only once a scan is big enough to wait on)."""
    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=error_console,
        transient=True,
    ) as bar:
        task = None

        def update(done: int, total: int) -> None:
            nonlocal task
            if total < BIG_SCAN:
                return
            if task is None:
                task = bar.add_task(label, total=total)
            bar.update(task, completed=done)

        yield update
