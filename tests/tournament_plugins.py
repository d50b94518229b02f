"""Deliberately faulty negotiators for the tournament tests, registered only when imported.

A tournament loads this file through its ``imports`` (``--import tests/tournament_plugins.py``)
in the parent and in every worker; the package's registry never holds these outside tests.
"""

from __future__ import annotations

import time

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies import NEGOTIATORS, Negotiator
from parley.strategies.negotiators import Boulware


class Raises(Boulware):
    """Fails on its first proposal."""

    name = "test-raises"

    def propose(self, view: View, ask: Ask) -> Outcome:
        raise RuntimeError("deliberate fault in propose")


class Hangs(Boulware):
    """Never answers."""

    name = "test-hangs"

    def propose(self, view: View, ask: Ask) -> Outcome:
        time.sleep(3600)
        raise AssertionError("unreachable")


class Invalid(Boulware):
    """Proposes a package outside the agenda (one option past the last on every issue)."""

    name = "test-invalid"

    def propose(self, view: View, ask: Ask) -> Outcome:
        return tuple(issue.size for issue in view.space.issues)


class Slow(Boulware):
    """A boulware negotiator that thinks for 20 ms per proposal (for killing a run mid-way)."""

    name = "test-slow"

    def propose(self, view: View, ask: Ask) -> Outcome:
        time.sleep(0.02)
        return super().propose(view, ask)


PLUGINS: tuple[type[Negotiator], ...] = (Raises, Hangs, Invalid, Slow)
NEGOTIATORS.update({cls.name: cls for cls in PLUGINS})
