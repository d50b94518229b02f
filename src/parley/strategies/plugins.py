"""Strategies from a user's files and modules.

(Installed packages' entry points are loaded by the registry itself, on first use.)
``load_file`` imports a ``.py`` file or a module by name
(``parley run --import``, a tournament's ``imports``); what it registers is marked as coming
from it.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from parley.errors import StrategyError
from parley.strategies.base import Strategy
from parley.strategies.registry import REGISTRY, origin


def load_files(names: Sequence[str]) -> None:
    """Import each ``.py`` file or ``package.module``: they register strategies."""
    for name in names:
        load_file(name)


def load_file(name: str) -> None:
    try:
        with origin(f"file {name}" if name.endswith(".py") else f"module {name}"):
            if name.endswith(".py"):
                _exec_file(Path(name))
            else:
                importlib.import_module(name)
    except StrategyError:
        raise
    except (ImportError, OSError, SyntaxError) as exc:
        raise StrategyError(f"cannot import {name!r} (a strategy file or module): {exc}") from None
    except Exception as exc:  # the file's own code failed while it was imported
        raise StrategyError(
            f"cannot import {name!r}: it raised {type(exc).__name__}: {exc}"
        ) from exc


def _exec_file(path: Path) -> None:
    if not path.is_file():
        raise ImportError(f"no such file {path}")
    # One module per file (not per name): two files called strategies.py are two plug-ins.
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    module_name = f"parley_plugin_{path.stem}_{digest}"
    if module_name in sys.modules:
        return  # imported already (a tournament worker loads each file once)
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"not a Python file: {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    _register_defined(module)


def _register_defined(module: ModuleType) -> None:
    """A file's strategy classes that name themselves, registered without a decorator."""
    for value in vars(module).values():
        if (
            inspect.isclass(value)
            and issubclass(value, Strategy)
            and value.__module__ == module.__name__
            and "name" in vars(value)
            and value not in REGISTRY.by_role.get(getattr(value, "role", ""), {}).values()
        ):
            REGISTRY.register(value)
