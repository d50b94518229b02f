"""Calling the ``parley`` command in-process, as a user would from a shell."""

from __future__ import annotations

import pytest

from parley.cli.app import main


def parley(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``parley ARGV``; return (exit code, stdout, stderr)."""
    code = 0
    try:
        main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0) if not isinstance(exc.code, str) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err
