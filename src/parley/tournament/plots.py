"""Pictures of a tournament (PNG): strategies, mediators, and who does well against whom.

matplotlib is imported only when drawing (the CLI starts fast without it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from parley.errors import FileError
from parley.tournament.summary import DIRECT, by_strategy

Row = Mapping[str, Any]


def draw(rows: Sequence[Row], folder: Path) -> list[Path]:
    """Write strategies.png, mediators.png and (with two principals) pairings.png."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileError(f"--plots {folder}: cannot create the folder: {exc.strerror}") from None
    import matplotlib

    matplotlib.use("Agg")
    played = [r for r in rows if r["failure"] is None]
    written = [_strategies(played, folder / "strategies.png")]
    written.append(_mediators(played, folder / "mediators.png"))
    pairs = [r for r in played if len(r["strategies"]) == 2]
    if pairs:
        written.append(_pairings(pairs, folder / "pairings.png"))
    return written


def _strategies(rows: Sequence[Row], path: Path) -> Path:
    import matplotlib.pyplot as plt

    lines = by_strategy(rows)
    names = [line.name for line in lines]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    left.barh(names, [line.mean_utility or 0.0 for line in lines], color="#1b7f73")
    left.set_xlabel("mean utility (no deal: the reservation value)")
    right.barh(names, [line.agreement_rate or 0.0 for line in lines], color="#8d99ae")
    right.set_xlabel("agreement rate")
    right.set_xlim(0, 1)
    for axes in (left, right):
        axes.invert_yaxis()
    fig.suptitle("Strategies")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _mediators(rows: Sequence[Row], path: Path) -> Path:
    import matplotlib.pyplot as plt

    ratios: dict[str, list[float]] = {}
    for row in rows:
        if row["nash_ratio"] is not None:
            ratios.setdefault(row["mediator"] or DIRECT, []).append(float(row["nash_ratio"]))
    names = sorted(ratios)
    fig, axes = plt.subplots(figsize=(7, 4), layout="constrained")
    if names:
        axes.boxplot([ratios[n] for n in names], tick_labels=names, orientation="horizontal")
    axes.set_xlabel("Nash ratio (product of gains over the Nash point's; no deal = 0)")
    axes.set_title("Mediators (and direct talks)")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _pairings(rows: Sequence[Row], path: Path) -> Path:
    import matplotlib.pyplot as plt

    names = sorted({s for r in rows for s in r["strategies"]})
    where = {n: i for i, n in enumerate(names)}
    total = np.zeros((len(names), len(names)))
    count = np.zeros((len(names), len(names)))
    for row in rows:
        for seat in (0, 1):
            me, other = row["strategies"][seat], row["strategies"][1 - seat]
            total[where[me], where[other]] += row["utilities"][seat]
            count[where[me], where[other]] += 1
    mean = np.divide(total, count, out=np.full_like(total, np.nan), where=count > 0)
    fig, axes = plt.subplots(figsize=(1.2 * len(names) + 3, 1.0 * len(names) + 2))
    image = axes.imshow(mean, cmap="viridis", vmin=0, vmax=1)
    axes.set_xticks(range(len(names)), names, rotation=45, ha="right")
    axes.set_yticks(range(len(names)), names)
    axes.set_xlabel("against")
    axes.set_ylabel("strategy")
    for i in range(len(names)):
        for j in range(len(names)):
            if count[i, j]:
                axes.text(j, i, f"{mean[i, j]:.2f}", ha="center", va="center", color="w")
    fig.colorbar(image, label="mean utility")
    axes.set_title("Mean utility against each opponent (two principals)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
