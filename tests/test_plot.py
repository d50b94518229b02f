"""``parley analyze --plot``, read from the figure object and the SVG: distinct special points
that do not overlap, exact counts in the legend, no leader lines."""

from __future__ import annotations

import re
from functools import cache
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

from parley import plot
from parley.analysis import Analysis, analyze
from parley.scenario import Scenario, load

BUILTINS = ("muscat-2026", "job-offer", "nash-1950")


@cache
def _drawn(name: str) -> tuple[Scenario, Analysis, Figure]:
    scenario = load(name)
    analysis = analyze(scenario)
    return scenario, analysis, plot.figure(scenario, analysis)


def _specials(figure: Figure) -> list[Line2D]:
    return [
        line
        for axes in figure.axes + [c for a in figure.axes for c in a.child_axes]
        for line in axes.lines
        if (line.get_gid() or "").startswith("special:")
    ]


def _legend_texts(figure: Figure) -> list[str]:
    (legend,) = figure.legends
    return [t.get_text() for t in legend.get_texts()]


@pytest.mark.parametrize("name", BUILTINS)
def test_one_distinct_marker_per_package(name: str) -> None:
    _, analysis, figure = _drawn(name)
    markers = _specials(figure)
    assert len(markers) == len(analysis.special_groups())
    styles = [(m.get_marker(), to_rgb(m.get_markerfacecolor())) for m in markers]
    assert len({s for s, _ in styles}) == len(styles)  # shapes differ
    assert len({c for _, c in styles}) == len(styles)  # colours differ
    taken = [to_rgb(colour) for _, colour, _ in plot._CATEGORIES]
    for _, colour in styles:  # and none looks like a cloud's colour
        assert min(np.abs(np.subtract(colour, t)).sum() for t in taken) > 0.3
    texts = _legend_texts(figure)
    for (_, names), marker in zip(analysis.special_groups(), markers, strict=True):
        assert marker.get_label().startswith(" = ".join(names) + " (")
        assert marker.get_label() in texts


def test_coinciding_points_get_one_combined_label() -> None:
    _, _, figure = _drawn("muscat-2026")
    labels = [m.get_label().split(" (")[0] for m in _specials(figure)]
    assert labels == ["Nash = utilitarian", "Kalai", "egalitarian"]


@pytest.mark.parametrize("name", BUILTINS)
def test_special_markers_do_not_overlap_and_have_no_leader_lines(name: str) -> None:
    _, _, figure = _drawn(name)
    figure.canvas.draw()  # lays the figure out: display coordinates are final
    markers = _specials(figure)
    for one, other in combinations(markers, 2):
        a, b = (m.axes.transData.transform(np.ravel(m.get_xydata())) for m in (one, other))
        radius = (one.get_markersize() + other.get_markersize()) / 2 * figure.dpi / 72
        assert np.hypot(*(a - b)) > radius, (one.get_label(), other.get_label())
    for marker in markers:  # each marker inside the axes that hold it
        box = marker.axes.get_window_extent()
        assert box.contains(*marker.axes.transData.transform(np.ravel(marker.get_xydata())))
    everything = figure.axes + [c for a in figure.axes for c in a.child_axes]
    assert not [t for a in everything for t in a.texts if isinstance(t, Annotation)]


def test_an_inset_magnifies_close_points_away_from_them() -> None:
    _, _, figure = _drawn("muscat-2026")
    (axes,) = figure.axes
    (inset,) = axes.child_axes
    markers = _specials(figure)
    assert {m.axes for m in markers} == {inset}
    figure.canvas.draw()
    (box,) = axes.patches  # the magnified area, drawn on the chart
    corners = axes.transData.transform(box.get_bbox().get_points())
    assert not inset.get_window_extent().overlaps(Bbox(corners))
    _, _, single = _drawn("nash-1950")  # one package: nothing to magnify
    assert not single.axes[0].child_axes


@pytest.mark.parametrize("name", BUILTINS)
def test_legend_counts_are_the_analysis_counts(name: str) -> None:
    _, analysis, figure = _drawn(name)
    texts = _legend_texts(figure)
    expected = {
        "in the ZOPA": analysis.zopa_size,
        "feasible, outside the ZOPA": analysis.feasible - analysis.zopa_size,
        "crosses a red line, or cannot exist": analysis.outcomes - analysis.feasible,
        "Pareto frontier": len(analysis.pareto),
    }
    for label, count in expected.items():
        shown = [t for t in texts if t.startswith(label + ":")]
        assert shown == ([f"{label}: {count:,}"] if count else []), texts


def test_a_sampled_cloud_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plot, "SAMPLE", 1_000)
    scenario, analysis, _ = _drawn("job-offer")  # 1,386 outcomes: more than the sample
    figure = plot.figure(scenario, analysis)
    (legend,) = figure.legends
    title = legend.get_title().get_text()
    assert "exact counts" in title
    assert "sample of 1,000" in title
    assert f"in the ZOPA: {analysis.zopa_size:,}" in _legend_texts(figure)


def test_svg_names_each_special_marker(tmp_path: Path) -> None:
    scenario, analysis, _ = _drawn("muscat-2026")
    svg = plot.write_plot(scenario, analysis, tmp_path / "m.svg").read_text(encoding="utf-8")
    ids = re.findall(r'id="special:([a-z+]+)"', svg)
    assert ids == ["nash+utilitarian", "kalai", "egalitarian"]
