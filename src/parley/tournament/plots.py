"""Pictures of a tournament (PNG): strategies, mediators, and who does well against whom.

Each ``*_figure`` function returns the figure (to read in tests, or to draw on); ``draw``
saves them. A figure that pools several scenarios or protocols says so in its title, and
mediators are compared only within one scenario (one panel each), their protocol beside
their name. matplotlib is imported only when drawing (the CLI starts fast without it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from parley.errors import FileError
from parley.tournament.summary import DIRECT, anac_ranking, by_strategy

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Row = Mapping[str, Any]
NAMED = 4
"""A title names at most this many pooled scenarios."""


def draw(rows: Sequence[Row], folder: Path, *, style: str = "parley") -> list[Path]:
    """Write strategies.png, mediators.png and (with two principals) pairings.png; in the
    anac style anac.png (the ranking's four scores) in place of mediators.png."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileError(f"--plots {folder}: cannot create the folder: {exc.strerror}") from None
    played = [r for r in rows if r["failure"] is None]
    figures = {"strategies.png": strategies_figure(played)}
    if style == "anac":
        figures["anac.png"] = anac_figure(played)
    else:
        figures["mediators.png"] = mediators_figure(played)
    pairs = [r for r in played if len(r["strategies"]) == 2]
    if pairs:
        figures["pairings.png"] = pairings_figure(pairs, discounted=style == "anac")
    written = []
    for name, figure in figures.items():
        figure.savefig(folder / name, dpi=120)
        written.append(folder / name)
    return written


def strategies_figure(rows: Sequence[Row]) -> Figure:
    """Mean utility and agreement rate of each strategy, over every seat it held."""
    from matplotlib.figure import Figure

    lines = by_strategy(rows)
    names = [line.name for line in lines]
    figure = Figure(figsize=(10, 4), layout="constrained")
    left, right = figure.subplots(1, 2)
    left.barh(names, [line.mean_utility or 0.0 for line in lines], color="#1b7f73")
    left.set_xlabel("mean utility (no deal: the reservation value)")
    right.barh(names, [line.agreement_rate or 0.0 for line in lines], color="#8d99ae")
    right.set_xlabel("agreement rate")
    right.set_xlim(0, 1)
    for axes in (left, right):
        axes.invert_yaxis()
    figure.suptitle(f"Strategies{_pooled(rows)}")
    return figure


def anac_figure(rows: Sequence[Row]) -> Figure:
    """The ANAC ranking's four scores per agent, best first: mean discounted utility (with
    its standard error), social welfare, Nash distance (lower is better), agreement rate."""
    from matplotlib.figure import Figure

    lines = anac_ranking(rows)
    names = [line.name for line in lines]
    figure = Figure(figsize=(13, 1.2 + 0.35 * len(names)), layout="constrained")
    panels = figure.subplots(1, 4, sharey=True)
    errors = [line.score_error or 0.0 for line in lines]
    panels[0].barh(names, [line.score or 0.0 for line in lines], xerr=errors, color="#1b7f73")
    panels[0].set_xlabel("individual utility (discounted)")
    panels[1].barh(names, [line.mean_welfare or 0.0 for line in lines], color="#457b9d")
    panels[1].set_xlabel("social welfare (sum, discounted)")
    panels[2].barh(names, [line.mean_nash_distance or 0.0 for line in lines], color="#e76f51")
    panels[2].set_xlabel("Nash distance (lower is better)")
    panels[3].barh(names, [line.agreement_rate or 0.0 for line in lines], color="#8d99ae")
    panels[3].set_xlabel("agreement rate")
    panels[3].set_xlim(0, 1)
    panels[0].invert_yaxis()
    figure.suptitle(f"ANAC ranking, best mean individual utility first{_pooled(rows)}")
    return figure


def mediators_figure(rows: Sequence[Row]) -> Figure:
    """The Nash ratio of each mediator (and of direct talks), one panel per scenario: a
    mediator's result depends on the scenario far more than on the mediator."""
    from matplotlib.figure import Figure

    ratios: dict[str, dict[str, list[float]]] = {}  # scenario -> "mediator (protocol)" -> ratios
    for row in rows:
        if row["nash_ratio"] is not None:
            who = f"{row['mediator']} ({row['protocol']})" if row["mediator"] else DIRECT
            ratios.setdefault(_short(row["scenario"]), {}).setdefault(who, []).append(
                float(row["nash_ratio"])
            )
    scenarios = sorted(ratios) or ["no negotiation with a Nash ratio"]
    heights = [max(1, len(ratios.get(s, {}))) for s in scenarios]
    figure = Figure(figsize=(8, 1.2 + 0.45 * sum(heights) + 0.5 * len(scenarios)))
    figure.set_layout_engine("constrained")
    panels = figure.subplots(len(scenarios), 1, sharex=True, squeeze=False, height_ratios=heights)[
        :, 0
    ]
    for axes, scenario in zip(panels, scenarios, strict=True):
        names = sorted(ratios.get(scenario, {}))
        if names:
            counts = [len(ratios[scenario][n]) for n in names]
            axes.boxplot(
                [ratios[scenario][n] for n in names],
                orientation="horizontal",
                tick_labels=[f"{n}, n={c}" for n, c in zip(names, counts, strict=True)],
            )
        axes.set_title(f"scenario: {scenario}", fontsize=9, loc="left")
    panels[-1].set_xlabel("Nash ratio (product of gains over the Nash point's; no deal = 0)")
    figure.suptitle(
        "Mediators and direct talks, compared within each scenario (the protocol in brackets)",
        fontsize=10,
    )
    return figure


def pairings_figure(rows: Sequence[Row], *, discounted: bool = False) -> Figure:
    """Each strategy's mean utility (``discounted``: the ANAC score) against each opponent
    (two-principal rows), the colour scale fitted to the data: a fixed 0-1 scale flattens the
    usual spread of a few tenths."""
    from matplotlib.figure import Figure

    column, what = (
        ("discounted", "mean discounted utility") if discounted else ("utilities", "mean utility")
    )
    names = sorted({s for r in rows for s in r["strategies"]})
    where = {n: i for i, n in enumerate(names)}
    total = np.zeros((len(names), len(names)))
    count = np.zeros((len(names), len(names)))
    for row in rows:
        for seat in (0, 1):
            me, other = row["strategies"][seat], row["strategies"][1 - seat]
            total[where[me], where[other]] += row[column][seat]
            count[where[me], where[other]] += 1
    mean = np.divide(total, count, out=np.full_like(total, np.nan), where=count > 0)
    low, high = float(np.nanmin(mean)), float(np.nanmax(mean))
    if high - low < 1e-9:  # one value: a scale around it
        low, high = low - 0.05, high + 0.05
    figure = Figure(figsize=(1.2 * len(names) + 4, 1.0 * len(names) + 2.5), layout="constrained")
    axes = figure.subplots()
    image = axes.imshow(mean, cmap="viridis", vmin=low, vmax=high)
    axes.set_xticks(range(len(names)), names, rotation=45, ha="right")
    axes.set_yticks(range(len(names)), names)
    axes.set_xlabel("against")
    axes.set_ylabel("strategy")
    for i in range(len(names)):
        for j in range(len(names)):
            if count[i, j]:
                light = (mean[i, j] - low) / (high - low) > 0.6  # viridis turns yellow
                axes.text(
                    j,
                    i,
                    f"{mean[i, j]:.2f}",
                    ha="center",
                    va="center",
                    color="black" if light else "white",
                )
    scale = f"scale fitted to the data: {low:.2f} to {high:.2f}"
    figure.colorbar(image, label=f"{what} ({scale})")
    axes.set_title(f"{what.capitalize()} against each opponent{_pooled(rows)}", fontsize=10)
    return figure


def _pooled(rows: Sequence[Row]) -> str:
    """What a figure pools over: its scenarios (named, up to ``NAMED``; counted beyond, where
    names would run off the figure) and protocols (for the title)."""
    scenarios = sorted({_short(r["scenario"]) for r in rows})
    protocols = sorted({r["protocol"] for r in rows})
    named = ", ".join(scenarios) if len(scenarios) <= NAMED else f"({len(scenarios)})"
    parts = [
        f"{'scenario' if len(scenarios) == 1 else 'pooled over scenarios'} {named}",
        f"{'protocol' if len(protocols) == 1 else 'protocols'} {', '.join(protocols)}",
    ]
    return f"\n({'; '.join(parts)})" if rows else ""


def _short(scenario: str) -> str:
    """A built-in name as it is; a file or folder by its last part."""
    return Path(scenario).name or scenario
