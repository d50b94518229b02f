"""One registry of strategies, by role and name, remembering where each came from.

Built-ins register when ``parley.strategies`` is imported; installed packages through the
``parley.strategies`` entry-point group; a user's file through ``--import FILE.py``
(``plugins``). The engine never reads it: the driver (``seating``) does.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from parley.errors import StrategyError, UnknownNameError
from parley.strategies.base import Strategy

GROUP = "parley.strategies"
"""The entry-point group through which installed packages add strategies: each entry point
names a ``Strategy`` subclass, or a module that registers its strategies when imported."""
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
        load_entry_points()
        found = self.by_role.get(role, {}).get(name)
        if found is None:
            raise UnknownNameError(
                f"{ROLE_NAMES.get(role, role)} strategy", name, self.by_role.get(role, {})
            )
        return found

    def entries(self) -> Iterator[Entry]:
        load_entry_points()
        for role in ROLES:
            for cls in self.by_role[role].values():
                yield Entry(cls, self._origins.get(cls, "registered at run time"))


REGISTRY = Registry()
register = REGISTRY.register


@contextmanager
def origin(where: str) -> Iterator[None]:
    """Strategies registered inside the block come from ``where`` (a file, a package)."""
    before, REGISTRY.origin = REGISTRY.origin, where
    try:
        yield
    finally:
        REGISTRY.origin = before


@cache
def load_entry_points() -> None:
    """Register every installed package's strategies (once per process)."""
    from importlib.metadata import entry_points  # ~20 ms to import: only when a name is sought
    for point in entry_points(group=GROUP):
        dist = point.dist.name if point.dist is not None else point.value
        try:
            with origin(f"entry point {dist}"):
                loaded = point.load()
                if inspect.isclass(loaded) and issubclass(loaded, Strategy):
                    REGISTRY.register(loaded)
        except Exception as exc:  # a broken plug-in is one clear line, not a traceback
            raise StrategyError(
                f"entry point {point.name} = {point.value} ({dist}) failed to load: {exc}"
            ) from None
