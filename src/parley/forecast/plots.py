"""A forecast's pictures (PNG): agreement probability, agreed options per issue, sensitivity.

matplotlib is imported only here, when drawing, so that the CLI starts fast.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from parley.forecast.report import Forecast

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TOP_INPUTS = 12
BASE, WHAT_IF = "#1b7f73", "#8d99ae"


def write_plots(result: Forecast, folder: Path) -> list[Path]:
    """Draw the three figures into ``folder`` (created if needed); return their paths."""
    import matplotlib

    matplotlib.use("Agg")  # files only, never a window
    folder.mkdir(parents=True, exist_ok=True)
    figures = {
        "agreement.png": _agreement(result),
        "issues.png": _issues(result),
        "sensitivity.png": _sensitivity(result),
    }
    paths = []
    for name, figure in figures.items():
        path = folder / name
        figure.savefig(path, dpi=120, bbox_inches="tight")
        paths.append(path)
    import matplotlib.pyplot as plt

    for figure in figures.values():
        plt.close(figure)
    return paths


def _agreement(result: Forecast) -> Figure:
    import matplotlib.pyplot as plt

    rows = [("as declared", result.summary)]
    if result.what_if is not None:
        rows.append((f"without {'; '.join(result.what_if.off)}", result.what_if.summary))
    figure, ax = plt.subplots(figsize=(7, 1.2 + 0.8 * len(rows)))
    for y, (_, s) in enumerate(rows):
        low, high = s.interval
        ax.barh(y, s.probability, color=BASE if y == 0 else WHAT_IF,
                xerr=[[s.probability - low], [high - s.probability]], capsize=4)
        ax.text(min(high + 0.02, 0.9), y, f"{s.probability:.1%}", va="center")
    ax.set_yticks(range(len(rows)), [_wrap(label, 34) for label, _ in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability of agreement (bars: 95% Wilson interval)")
    ax.set_title(f"{result.scenario}: {result.summary.runs} runs, seed {result.seed}", loc="left")
    return figure


def _issues(result: Forecast) -> Figure:
    import matplotlib.pyplot as plt

    issues = result.space.issues
    columns = min(3, len(issues))
    lines = math.ceil(len(issues) / columns)
    figure, axes = plt.subplots(lines, columns, figsize=(4 * columns, 2.6 * lines), squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k >= len(issues):
            ax.axis("off")
            continue
        issue = issues[k]
        labels = [str(issue.value_of(j)) for j in range(issue.size)]
        counts = result.summary.options[k]
        agreed = max(1, sum(counts))
        ax.bar(range(issue.size), [c / agreed for c in counts], color=BASE, label="as declared")
        if result.what_if is not None:
            other = result.what_if.summary.options[k]
            total = max(1, sum(other))
            ax.plot(range(issue.size), [c / total for c in other], "o", color="#333333",
                    markersize=4, label="without the switched-off events")
        ax.set_xticks(range(issue.size), labels, fontsize=7, rotation=45 if issue.size > 8 else 0)
        ax.set_ylim(0, 1)
        ax.set_title(_wrap(f"{issue.id}: {issue.name}", 40), fontsize=9, loc="left")
    axes.flat[0].set_ylabel("share of agreements")
    if result.what_if is not None:
        axes.flat[0].legend(fontsize=7, loc="upper left")
    figure.suptitle(f"{result.scenario}: the agreed option on each issue "
                    f"({result.summary.agreements} agreements)", x=0.01, ha="left")
    figure.tight_layout()
    return figure


def _sensitivity(result: Forecast) -> Figure:
    import matplotlib.pyplot as plt

    effects = result.effects[:TOP_INPUTS]
    figure, ax = plt.subplots(figsize=(8, 1.2 + 0.4 * max(1, len(effects))))
    scores = [e.agreement[0] for e in effects]
    colours = ["#b2182b" if e.agreement[1] < 0 else "#2166ac" for e in effects]
    ax.barh(range(len(effects)), scores, color=colours)
    ax.set_yticks(range(len(effects)), [_wrap(e.input.name, 50) for e in effects], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("share of the variance of agreement explained (binned first-order index)\n"
                  "blue: larger draws make agreement likelier; red: less likely")
    ax.set_title(f"{result.scenario}: what moves the chance of a deal", loc="left")
    return figure


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text
