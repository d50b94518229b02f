"""What a tournament plays: the grid (from a TOML file and/or options) and its matches.

A ``Grid`` names scenarios, protocols, mediators, negotiator strategies, how strategies are
paired among a scenario's principals, and the seeds. ``matches`` expands it in a fixed order,
so match number ``k`` is the same negotiation every time the same grid is expanded; that
number is what a resumed run uses to tell done from not done.
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from parley.engine.protocols import NAMES as PROTOCOLS
from parley.errors import FileError, UnknownNameError, UsageError
from parley.scenario import Scenario

STYLES = ("parley", "anac")
"""How a tournament is summarised: parley (strategies by mean utility, mediators by Nash ratio)
or anac (agents ranked by mean discounted utility, with social welfare, Nash distance and
agreement rate, as the ANAC competitions report them). ``anac`` also changes two defaults:
direct (alternating-offers) talks only, and no agent against itself (pairings = distinct)."""

PAIRINGS = ("all", "distinct", "self")
"""all: every ordered assignment of strategies to the principals (self-play included);
distinct: no strategy twice in one negotiation; self: every principal plays the same one."""

FIELDS = (
    "scenarios",
    "strategies",
    "mediators",
    "protocols",
    "seeds",
    "pairings",
    "rounds",
    "timeout",
    "imports",
    "style",
)

IDENTITY = ("scenarios", "strategies", "mediators", "protocols", "seeds", "pairings", "rounds")


@dataclass(frozen=True)
class Grid:
    """A tournament's configuration. Empty ``protocols``/``mediators`` mean each scenario's own."""

    scenarios: tuple[str, ...]
    strategies: tuple[str, ...]
    mediators: tuple[str, ...] = ()
    protocols: tuple[str, ...] = ()
    seeds: tuple[int, ...] = tuple(range(10))
    pairings: str = "all"
    rounds: int | None = None
    timeout: float | None = 60.0
    imports: tuple[str, ...] = ()
    style: str = "parley"

    def to_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    def identity(self) -> dict[str, Any]:
        """What decides the negotiations played (not how long they may take, nor imports)."""
        data = self.to_json()
        return {k: data[k] for k in IDENTITY}


@dataclass(frozen=True)
class Match:
    """One negotiation of the grid (plain data: it travels to worker processes)."""

    number: int
    scenario: str
    protocol: str
    mediator: str | None
    strategies: tuple[str, ...]
    """One per principal, in the scenario's principal order."""
    seed: int
    rounds: int | None = None


def read_config(path: Path) -> dict[str, Any]:
    """The keys of a tournament TOML file (see docs/tournament.md), checked for unknown ones."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FileError(f"{path}: cannot read the tournament file: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FileError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise UsageError(
            f"{path}: unknown key {unknown[0]!r}; expected one of {', '.join(FIELDS)}"
        )
    return data


def make_grid(source: str, values: Mapping[str, Any]) -> Grid:
    """A ``Grid`` from config values (``source`` names where they came from in errors)."""
    seeds = values.get("seeds", 10)
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        if seeds < 1:
            raise UsageError(f"{source}: seeds: must be at least 1, got {seeds}")
        seeds = list(range(seeds))
    style = values.get("style", "parley")
    if style not in STYLES:
        raise UsageError(
            f"{source}: style: unknown value {style!r}; expected one of {', '.join(STYLES)}"
        )
    anac = style == "anac"
    pairings = values.get("pairings", "distinct" if anac else "all")
    if pairings not in PAIRINGS:
        raise UsageError(
            f"{source}: pairings: unknown value {pairings!r}; expected one of {', '.join(PAIRINGS)}"
        )
    rounds = values.get("rounds")
    if rounds is not None and (not _is_int(rounds) or rounds < 1):
        raise UsageError(f"{source}: rounds: expected a whole number >= 1, got {rounds!r}")
    timeout = values.get("timeout", 60.0)
    if timeout is not None and (not _is_number(timeout) or timeout <= 0):
        raise UsageError(f"{source}: timeout: expected seconds > 0, got {timeout!r}")
    grid = Grid(
        scenarios=_names(source, "scenarios", values.get("scenarios")),
        strategies=_names(source, "strategies", values.get("strategies")),
        mediators=_names(source, "mediators", values.get("mediators", []), empty=True),
        protocols=_names(
            source, "protocols", values.get("protocols", ["direct"] if anac else []), empty=True
        ),
        seeds=tuple(_seeds(source, seeds)),
        pairings=str(pairings),
        rounds=rounds,
        timeout=None if timeout is None else float(timeout),
        imports=_names(source, "imports", values.get("imports", []), empty=True),
        style=str(style),
    )
    for protocol in grid.protocols:
        if protocol not in PROTOCOLS:
            raise UnknownNameError("protocol", protocol, PROTOCOLS)
    return grid


def check_names(grid: Grid) -> None:
    """Every strategy and mediator (``name`` or ``name:key=value,...``) is registered and takes
    its parameters (after ``grid.imports`` are loaded): built once each, before any match."""
    import numpy as np

    from parley.engine.settings import StrategySpec
    from parley.strategies import REGISTRY

    for role, names in (("principal", grid.strategies), ("mediator", grid.mediators)):
        for name in names:
            spec = StrategySpec.from_text(name)
            REGISTRY.find(role, spec.name)(np.random.default_rng(0), **dict(spec.params))


def matches(grid: Grid, scenarios: Mapping[str, Scenario]) -> list[Match]:
    """Every negotiation of the grid, numbered in a fixed order.

    Mediated protocols are skipped for scenarios without a mediator; a mediator is paired only
    with the protocols it can run; direct talks have no mediator.
    """
    out: list[Match] = []
    for name in grid.scenarios:
        scenario = scenarios[name]
        for protocol, mediator in _sittings(grid, scenario):
            for line_up in _line_ups(grid, len(scenario.principals)):
                for seed in grid.seeds:
                    out.append(
                        Match(len(out), name, protocol, mediator, line_up, seed, grid.rounds)
                    )
    if not out:
        raise UsageError(
            "the tournament grid is empty: mediated protocols need a scenario with a mediator "
            "and a mediator strategy that runs them, and pairings 'distinct' needs at least as "
            "many strategies as principals"
        )
    return out


def _sittings(grid: Grid, scenario: Scenario) -> Iterator[tuple[str, str | None]]:
    from parley.engine.protocols import protocol as protocol_named
    from parley.engine.settings import Settings, StrategySpec
    from parley.strategies import MEDIATORS
    from parley.strategies.seating import settle

    protocols = grid.protocols or (scenario.protocol.kind,)
    for protocol in protocols:
        if not protocol_named(protocol).mediated:
            yield protocol, None
            continue
        if not scenario.mediators:
            continue
        if grid.mediators:
            for mediator in grid.mediators:
                if protocol in MEDIATORS[StrategySpec.from_text(mediator).name].protocols:
                    yield protocol, mediator
        else:
            settings = Settings.from_scenario(scenario, protocol=protocol)
            settings = settle(scenario, settings)
            assert settings.mediator is not None
            yield protocol, settings.strategies[settings.mediator].name


def _line_ups(grid: Grid, seats: int) -> Iterator[tuple[str, ...]]:
    if grid.pairings == "self":
        yield from ((s,) * seats for s in grid.strategies)
    elif grid.pairings == "distinct":
        yield from itertools.permutations(grid.strategies, seats)
    else:
        yield from itertools.product(grid.strategies, repeat=seats)


def _names(source: str, key: str, value: Any, *, empty: bool = False) -> tuple[str, ...]:
    if value is None or (not empty and not value):
        raise UsageError(f"{source}: {key}: give at least one (a list of names)")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{source}: {key}: expected a list of names, got {value!r}")
    return tuple(dict.fromkeys(value))  # a name given twice is played once


def _seeds(source: str, value: Any) -> list[int]:
    if not isinstance(value, list) or not value or not all(_is_int(v) for v in value):
        raise UsageError(
            f"{source}: seeds: expected a count or a list of whole numbers, got {value!r}"
        )
    return list(dict.fromkeys(value))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
