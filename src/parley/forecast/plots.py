"""A forecast's pictures (PNG): agreement probability, agreed options per issue, sensitivity.

matplotlib is imported only here, when drawing, so that the CLI starts fast.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from parley.forecast.report import Forecast
from parley.outcomes import DiscreteIssue, Issue

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
        "issues.png": issues_figure(result),
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


def issues_figure(result: Forecast) -> Figure:
    """The share of agreements that chose each option, one panel per issue; options by their
    short names (``Option.name``), bars across so that the names read across too."""
    import matplotlib.pyplot as plt

    issues = result.space.issues
    columns = min(3, len(issues))
    lines = math.ceil(len(issues) / columns)
    height = (0.8 + 0.3 * max(issue.size for issue in issues)) * lines
    figure, axes = plt.subplots(lines, columns, figsize=(5 * columns, height), squeeze=False,
                                layout="constrained")
    for k, ax in enumerate(axes.flat):
        if k >= len(issues):
            ax.axis("off")
            continue
        issue = issues[k]
        where = range(issue.size)
        counts = result.summary.options[k]
        agreed = max(1, sum(counts))
        ax.barh(where, [c / agreed for c in counts], color=BASE, label="as declared")
        if result.what_if is not None:
            other = result.what_if.summary.options[k]
            total = max(1, sum(other))
            ax.plot([c / total for c in other], where, "o", color="#333333", markersize=4,
                    label="without the switched-off events")
        ax.set_yticks(where, [_wrap(_option_name(issue, j), 28) for j in where], fontsize=7)
        ax.invert_yaxis()  # first option on top, as the scenario lists them
        ax.set_xlim(0, 1)
        ax.set_title(_wrap(f"{issue.id}: {issue.name}", 45), fontsize=9, loc="left")
        if k + columns >= len(issues):  # the lowest panel of its column
            ax.set_xlabel("share of agreements")
        if not result.summary.agreements:
            ax.text(0.5, 0.5, "no agreement in any run", transform=ax.transAxes, ha="center",
                    va="center", color="#555555", fontsize=8)
    if result.what_if is not None:
        axes.flat[0].legend(fontsize=7, loc="lower right")
    figure.suptitle(f"{result.scenario}: the agreed option on each issue "
                    f"({result.summary.agreements} agreements in {result.summary.runs} runs)",
                    x=0.01, ha="left")
    return figure


def _option_name(issue: Issue, index: int) -> str:
    """An option's short name (its label when it has none); a number's value."""
    if isinstance(issue, DiscreteIssue):
        return issue.options[index].name
    return issue.describe(index)


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
