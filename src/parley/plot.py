"""Outcomes in utility space, for ``parley analyze --plot``.

matplotlib is imported only inside these functions, so that the CLI starts fast. The figure
shows the first two principals' utilities: every outcome (or a seeded random sample of
``SAMPLE`` for bigger spaces), coloured by whether it is in the ZOPA, feasible but outside it,
or across a red line or a constraint (it cannot exist); the Pareto frontier; the four special
points; and each BATNA as a dashed line. ``.png`` and ``.svg`` are written as they are;
``.html`` is a small self-contained page with the SVG inline and a caption.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from parley.analysis import Analysis, Point
from parley.analysis.core import evaluate_rows, principal_preferences
from parley.analysis.points import meets_reservations
from parley.analysis.report import SPECIAL_POINTS
from parley.errors import FileError, UsageError
from parley.scenario.model import Scenario

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FORMATS = (".png", ".svg", ".html")
SAMPLE = 200_000
SEED = 0

_CATEGORIES = (  # (label, colour, alpha); index = category code, drawn in this order
    ("crosses a red line, or cannot exist", "#f4a582", 0.25),
    ("feasible, outside the ZOPA", "#8d99ae", 0.45),
    ("in the ZOPA", "#1b7f73", 0.7),
)
# marker and size: shrinking sizes keep every marker visible when points coincide
_MARKERS = {
    "nash": ("*", 260),
    "kalai": ("D", 110),
    "utilitarian": ("s", 60),
    "egalitarian": ("^", 25),
}


def check_path(path: Path) -> str:
    """The plot format from the file name; a ``ParleyError`` if it is not one Parley writes or
    its folder does not exist (checked before any work is done)."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"--plot {path}: unknown extension {suffix or '(none)'!r}; "
            f"expected one of {', '.join(FORMATS)}"
        )
    if not path.parent.is_dir():
        raise FileError(f"--plot {path}: cannot write the file (no folder {path.parent})")
    return suffix


def write_plot(scenario: Scenario, analysis: Analysis, path: Path, *, seed: int = SEED) -> Path:
    """Draw the analysis of ``scenario`` to ``path`` (.png, .svg or .html) and return it."""
    suffix = check_path(path)
    cloud = _Cloud.of(scenario, seed)
    figure = _figure(scenario, analysis, cloud)
    if suffix == ".html":
        data = _html_page(scenario, analysis, cloud, _render(figure, "svg")).encode("utf-8")
    else:
        data = _render(figure, suffix[1:])
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise FileError(f"--plot {path}: cannot write the file ({exc.strerror})") from None
    return path


@dataclass(frozen=True)
class _Cloud:
    """The outcomes to draw: first two principals' utilities and a category per outcome."""

    utilities: NDArray[np.float64]
    category: NDArray[np.int8]  # index into _CATEGORIES
    note: str  # what was drawn: all outcomes or a sample

    @classmethod
    def of(cls, scenario: Scenario, seed: int) -> _Cloud:
        space = scenario.space
        prefs = principal_preferences(scenario)
        if space.cardinality <= SAMPLE:
            batches = [evaluate_rows(prefs, rows, space) for _start, rows in space.chunks()]
            note = f"all {space.cardinality:,} outcomes"
        else:
            # independent uniform draws per issue: a uniform sample of outcomes (with
            # replacement), without numbering outcomes, so any space size works
            rng = np.random.default_rng(seed)
            rows = np.column_stack([rng.integers(0, size, SAMPLE) for size in space.sizes])
            batches = [evaluate_rows(prefs, rows, space)]
            note = f"random sample of {SAMPLE:,} of {space.cardinality:,} outcomes (seed {seed})"
        utilities = np.concatenate([u for u, _ in batches])
        feasible = np.concatenate([f for _, f in batches])
        reservations = np.array([p.reservation for p in prefs])
        zopa = feasible & meets_reservations(utilities, reservations)
        category = feasible.astype(np.int8) + zopa.astype(np.int8)
        return cls(utilities[:, :2], category, note)


def _figure(scenario: Scenario, analysis: Analysis, cloud: _Cloud) -> Figure:
    # imported here, not at the top: matplotlib takes longer to load than the CLI to start
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PathCollection
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 6.5), dpi=120, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    _draw_cloud(axes, cloud)
    _draw_frontier(axes, analysis.pareto, len(analysis.parties))
    _draw_batnas(axes, analysis)
    _draw_special(axes, analysis)
    first, second, *others = analysis.parties
    hidden = f"  (not shown: {', '.join(others)})" if others else ""
    axes.set_xlabel(f"utility of {first}{hidden}")
    axes.set_ylabel(f"utility of {second}")
    axes.set_title(scenario.title, fontsize=10, wrap=True)
    legend = figure.legend(
        title=cloud.note, fontsize=8, title_fontsize=8, loc="outside right upper", alignment="left"
    )
    for handle in legend.legend_handles:  # one readable size for every scatter in the legend
        if isinstance(handle, PathCollection):
            handle.set_sizes([30])
    return figure


def _draw_cloud(axes: Axes, cloud: _Cloud) -> None:
    size = 14 if cloud.category.size <= 5_000 else 4  # few outcomes: each dot can be seen
    for code, (label, colour, alpha) in enumerate(_CATEGORIES):  # the ZOPA on top
        points = cloud.utilities[cloud.category == code]
        if points.size:
            axes.scatter(
                points[:, 0],
                points[:, 1],
                s=size,
                c=colour,
                alpha=alpha,
                linewidths=0,
                label=f"{label} ({points.shape[0]:,})",
                rasterized=True,
            )


def _draw_frontier(axes: Axes, pareto: Sequence[Point], principals: int) -> None:
    if not pareto:
        return
    u = np.array([p.utilities[:2] for p in pareto])
    style = "-o" if principals == 2 else "o"  # with more principals the projection is no line
    axes.plot(
        u[:, 0],
        u[:, 1],
        style,
        color="#264653",
        markersize=3,
        linewidth=1,
        label=f"Pareto frontier ({len(pareto):,})",
    )


def _draw_batnas(axes: Axes, analysis: Analysis) -> None:
    (first, second), (d1, d2) = analysis.parties[:2], analysis.reservations[:2]
    axes.axvline(
        d1, linestyle="--", color="#6d597a", linewidth=1, label=f"BATNA of {first}: {d1:.3g}"
    )
    axes.axhline(
        d2, linestyle=":", color="#6d597a", linewidth=1, label=f"BATNA of {second}: {d2:.3g}"
    )


def _draw_special(axes: Axes, analysis: Analysis) -> None:
    """Each special point with its marker; one label per package names all points there."""
    for name, point in analysis.special.items():
        if point is not None:
            marker, size = _MARKERS[name]
            axes.scatter(
                point.utilities[0],
                point.utilities[1],
                marker=marker,
                s=size,
                facecolor="#f4a261",
                edgecolor="black",
                linewidths=0.8,
                zorder=5,
                label=f"{SPECIAL_POINTS[name]} point",
            )
    for k, (point, names) in enumerate(analysis.special_groups()):
        axes.annotate(
            " = ".join(names),
            (point.utilities[0], point.utilities[1]),
            # a column of labels in the top right corner, usually empty beyond the frontier;
            # the points themselves often lie too close together to label in place
            xytext=(0.98, 0.96 - 0.06 * k),
            textcoords="axes fraction",
            horizontalalignment="right",
            verticalalignment="top",
            fontsize=8,
            zorder=6,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.85},
            arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.6},
        )


def _render(figure: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=150)
    return buffer.getvalue()


def _html_page(scenario: Scenario, analysis: Analysis, cloud: _Cloud, svg: bytes) -> str:
    text = svg.decode("utf-8")
    inline = text[text.index("<svg") :]  # drop the XML prolog and doctype
    first, second = (html.escape(name) for name in analysis.parties[:2])
    caption = (
        f"{html.escape(scenario.title)}. Utilities of {first} (across) and {second} (up), "
        f"{html.escape(cloud.note)}. ZOPA: {analysis.zopa_size:,} of "
        f"{analysis.outcomes:,} packages; Pareto frontier: {len(analysis.pareto):,}. "
        "Drawn by <code>parley analyze</code>."
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(scenario.title)}</title>\n"
        "<style>body{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;"
        "padding:0 1rem}svg{max-width:100%;height:auto}figcaption{color:#444}</style>\n"
        f"</head>\n<body>\n<figure>\n{inline}\n<figcaption>{caption}</figcaption>\n"
        "</figure>\n</body>\n</html>\n"
    )
