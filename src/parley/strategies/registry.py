"""One registry of strategies, by role and name, remembering where each came from.

Built-ins register when ``parley.strategies`` is imported; installed packages through the
``parley.strategies`` entry-point group; a user's file through ``--import FILE.py``
(``plugins``). The engine never reads it: the driver (``seating``) does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from parley.errors import StrategyError, UnknownNameError
from parley.strategies.base import Strategy

ROLES = ("principal", "mediator", "third-party", "spoiler", "adviser")
ROLE_NAMES = {
    "principal": "negotiator",
    "mediator": "mediator",
    "third-party": "third-party",
    "spoiler": "spoiler",
    "adviser": "adviser",
}


@dataclass(frozen=True)
class Entry:
    """A registered strategy and where it comes from ("built-in", "entry point DIST",
    "file PATH")."""

    cls: type[Strategy]
    origin: str


class Registry:
    def __init__(self) -> None:
        self.by_role: dict[str, dict[str, type[Strategy]]] = {role: {} for role in ROLES}
        self._origins: dict[type[Strategy], str] = {}
        self.origin = "built-in"
        """Where strategies registered now come from (set while a plug-in loads)."""

    def register(self, cls: type[Strategy]) -> type[Strategy]:
        """Add ``cls`` under its ``role`` and ``name`` (usable as a class decorator)."""
        role = getattr(cls, "role", None)
        name = getattr(cls, "name", None)
        if role not in self.by_role or not isinstance(name, str) or not name:
            raise StrategyError(
                f"strategy class {cls.__name__} needs a name and a role, one of {', '.join(ROLES)}"
            )
        self.by_role[role][name] = cls
        self._origins[cls] = self.origin
        return cls

    def find(self, role: str, name: str) -> type[Strategy]:
        from parley.strategies.plugins import load_entry_points

        load_entry_points()
        found = self.by_role.get(role, {}).get(name)
        if found is None:
            raise UnknownNameError(
                f"{ROLE_NAMES.get(role, role)} strategy", name, self.by_role.get(role, {})
            )
        return found

    def entries(self) -> Iterator[Entry]:
        from parley.strategies.plugins import load_entry_points

        load_entry_points()
        for role in ROLES:
            for cls in self.by_role[role].values():
                yield Entry(cls, self._origins.get(cls, "registered at run time"))


REGISTRY = Registry()
register = REGISTRY.register
