"""Outcomes in utility space, for ``parley analyze --plot``.

matplotlib is imported only inside these functions, so that the CLI starts fast. The figure
shows the first two principals' utilities: every outcome (or a seeded random sample of
``SAMPLE`` for bigger spaces), coloured by whether it is in the ZOPA, feasible but outside it,
or across a red line or a constraint (it cannot exist), with the analysis's exact count of each
in the legend; the Pareto frontier; each BATNA as a dashed line; and the special points, one
marker per distinct package, named in the legend ("Nash = utilitarian" when they coincide) and
magnified in an inset when their markers would overlap. ``.png`` and ``.svg`` are written as
they are; ``.html`` is a small self-contained page with the SVG inline and a caption."""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
SAMPLE = 1_000_000
SEED = 0

_CATEGORIES = (  # (label, colour, alpha); index = category code, drawn in this order
    ("crosses a red line, or cannot exist", "#f4a582", 0.25),
    ("feasible, outside the ZOPA", "#8d99ae", 0.45),
    ("in the ZOPA", "#1b7f73", 0.7),
)
# (marker, size, colour) of each special point, and of a group of coinciding points led by it:
# shapes and colours that no cloud, frontier or BATNA line uses
_MARKERS = {
    "nash": ("*", 16, "#ffc300"),
    "kalai": ("D", 9, "#2563eb"),
    "utilitarian": ("s", 9, "#c026d3"),
    "egalitarian": ("^", 10, "#111111"),
}
CLOSE = 0.04
"""Special points nearer than this (a share of the axes) overlap: an inset magnifies them."""
_INSET = 0.36  # the inset's side, a share of the axes


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
    drawn = _figure(scenario, analysis, cloud)
    if suffix == ".html":
        data = _html_page(scenario, analysis, cloud, _render(drawn, "svg")).encode("utf-8")
    else:
        data = _render(drawn, suffix[1:])
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise FileError(f"--plot {path}: cannot write the file ({exc.strerror})") from None
    return path


def figure(scenario: Scenario, analysis: Analysis, *, seed: int = SEED) -> Figure:
    """The figure ``write_plot`` saves, to read or to draw on further."""
    return _figure(scenario, analysis, _Cloud.of(scenario, seed))


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
            note = "dots: every outcome"
        else:
            # independent uniform draws per issue: a uniform sample of outcomes (with
            # replacement), without numbering outcomes, so any space size works
            rng = np.random.default_rng(seed)
            rows = np.column_stack([rng.integers(0, size, SAMPLE) for size in space.sizes])
            batches = [evaluate_rows(prefs, rows, space)]
            note = f"dots: a random sample of {SAMPLE:,} (seed {seed})"
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

    drawn = Figure(figsize=(10, 6.5), dpi=120, layout="constrained")
    FigureCanvasAgg(drawn)
    axes = drawn.add_subplot()
    _draw_cloud(axes, cloud, _counts(analysis))
    _draw_frontier(axes, analysis.pareto, len(analysis.parties))
    _draw_batnas(axes, analysis)
    handles = axes.get_legend_handles_labels()[0]
    groups = _special_groups(analysis)
    if groups:
        inset = _zoom(axes, cloud, analysis, np.array([u for u, _ in groups]))
        handles += _draw_special(inset or axes, groups)
    first, second, *others = analysis.parties
    hidden = f"  (not shown: {', '.join(others)})" if others else ""
    axes.set_xlabel(f"utility of {first}{hidden}")
    axes.set_ylabel(f"utility of {second}")
    axes.set_title(scenario.title, fontsize=10, wrap=True)
    legend = drawn.legend(
        handles=handles,
        title=f"outcomes (exact counts)\n{cloud.note}",
        fontsize=8,
        title_fontsize=8,
        loc="outside right upper",
        alignment="left",
    )
    for handle in legend.legend_handles:  # one readable size for every scatter in the legend
        if isinstance(handle, PathCollection):
            handle.set_sizes([30])
    return drawn


def _counts(analysis: Analysis) -> tuple[int, int, int]:
    """The exact size of each category of _CATEGORIES (the cloud may be a sample)."""
    outside = analysis.outcomes - analysis.feasible
    return outside, analysis.feasible - analysis.zopa_size, analysis.zopa_size


def _draw_cloud(axes: Axes, cloud: _Cloud, counts: Sequence[int] | None) -> None:
    """The outcomes by category; ``counts`` labels them for the legend (None: no labels)."""
    size = 14 if cloud.category.size <= 5_000 else 4  # few outcomes: each dot can be seen
    for code, (label, colour, alpha) in enumerate(_CATEGORIES):  # the ZOPA on top
        points = cloud.utilities[cloud.category == code]
        if points.size or (counts and counts[code]):
            axes.scatter(
                points[:, 0],
                points[:, 1],
                s=size,
                c=colour,
                alpha=alpha,
                linewidths=0,
                label=f"{label}: {counts[code]:,}" if counts else "_nolegend_",
                rasterized=True,
            )


def _draw_frontier(
    axes: Axes, pareto: Sequence[Point], principals: int, label: bool = True
) -> None:
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
        label=f"Pareto frontier: {len(pareto):,}" if label else "_nolegend_",
    )


def _draw_batnas(axes: Axes, analysis: Analysis) -> None:
    (first, second), (d1, d2) = analysis.parties[:2], analysis.reservations[:2]
    axes.axvline(
        d1, linestyle="--", color="#6d597a", linewidth=1, label=f"BATNA of {first}: {d1:.3g}"
    )
    axes.axhline(
        d2, linestyle=":", color="#6d597a", linewidth=1, label=f"BATNA of {second}: {d2:.3g}"
    )


def _special_groups(analysis: Analysis) -> list[tuple[tuple[float, float], list[str]]]:
    """Each distinct special package once (first two utilities), with the points' keys."""
    groups: dict[tuple[int, ...], tuple[tuple[float, float], list[str]]] = {}
    for name, point in analysis.special.items():
        if point is not None:
            where = (point.utilities[0], point.utilities[1])
            groups.setdefault(point.outcome, (where, []))[1].append(name)
    return list(groups.values())


def _draw_special(axes: Axes, groups: Sequence[tuple[tuple[float, float], list[str]]]) -> list[Any]:
    """One marker per package, styled after its first point and named in the legend (no
    leader lines: labels beside the points would collide when they lie close together)."""
    handles = []
    for (x, y), names in groups:
        marker, size, colour = _MARKERS[names[0]]
        label = " = ".join(SPECIAL_POINTS[n] for n in names)
        (line,) = axes.plot(
            [x],
            [y],
            linestyle="none",
            marker=marker,
            markersize=size,
            markerfacecolor=colour,
            markeredgecolor="black",
            markeredgewidth=0.8,
            zorder=5,
            label=f"{label} ({x:.3f}, {y:.3f})",
            gid=f"special:{'+'.join(names)}",  # the SVG names each marker
        )
        handles.append(line)
    return handles


def _zoom(
    axes: Axes, cloud: _Cloud, analysis: Analysis, points: NDArray[np.float64]
) -> Axes | None:
    """An inset magnifying the special points if their markers would overlap (else None),
    in the emptiest corner of the axes; a box on the chart shows what it magnifies."""
    from matplotlib.patches import Rectangle

    low = np.array([axes.get_xlim()[0], axes.get_ylim()[0]])
    span = np.array([axes.get_xlim()[1], axes.get_ylim()[1]]) - low
    share = (points - low) / span  # where the points lie, as shares of the axes
    gaps = np.linalg.norm(share[:, None] - share[None], axis=-1)[np.triu_indices(len(share), 1)]
    if not gaps.size or gaps.min() >= CLOSE:
        return None
    centre = (points.max(axis=0) + points.min(axis=0)) / 2
    half = 0.8 * np.ptp(points, axis=0).max() + 0.005  # a square window, the points inside
    # room left and below for the inset's tick labels, above for its title
    corners = [(x, y) for y in (1 - _INSET - 0.07, 0.08) for x in (1 - _INSET - 0.02, 0.09)]

    def crowd(corner: tuple[float, float]) -> float:
        inside = ((cloud.utilities - low) / span >= corner) & (
            (cloud.utilities - low) / span <= np.add(corner, _INSET)
        )
        box = (np.array([centre - half, centre + half]) - low) / span
        hides = (box[1] >= corner).all() and (box[0] <= np.add(corner, _INSET)).all()
        return float(inside.all(axis=1).sum()) + (np.inf if hides else 0.0)

    x, y = min(corners, key=crowd)
    inset = axes.inset_axes((x, y, _INSET, _INSET))
    _draw_cloud(inset, cloud, None)
    _draw_frontier(inset, analysis.pareto, len(analysis.parties), label=False)
    inset.set_xlim(centre[0] - half, centre[0] + half)
    inset.set_ylim(centre[1] - half, centre[1] + half)
    inset.tick_params(labelsize=7)
    inset.set_title("the box, magnified", fontsize=8)
    axes.add_patch(
        Rectangle(tuple(centre - half), 2 * half, 2 * half, fill=False, linewidth=0.8, zorder=6)
    )
    return inset


def _render(figure: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=150)
    return buffer.getvalue()


def _html_page(scenario: Scenario, analysis: Analysis, cloud: _Cloud, svg: bytes) -> str:
    text = svg.decode("utf-8")
    inline = text[text.index("<svg") :]  # drop the XML prolog and doctype
    first, second = (html.escape(name) for name in analysis.parties[:2])
    caption = (
        f"{html.escape(scenario.title)}. Utilities of {first} (across) and {second} (up); "
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
