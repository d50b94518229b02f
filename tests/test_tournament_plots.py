"""Tournament pictures, read from the figure objects: mediators compared within one scenario,
their protocol named; what a figure pools over in its title; a colour scale fitted to the data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parley.tournament.plots import draw, mediators_figure, pairings_figure, strategies_figure


def _row(scenario: str, protocol: str, mediator: str | None, strategies: tuple[str, str],
         utilities: tuple[float, float], ratio: float) -> dict[str, Any]:
    return {"scenario": scenario, "protocol": protocol, "mediator": mediator,
            "strategies": list(strategies), "utilities": list(utilities), "nash_ratio": ratio,
            "agreed": True, "rounds": 5, "failure": None}


ROWS = [
    _row("muscat-2026", "shuttle", "relay", ("boulware", "conceder"), (0.55, 0.60), 0.1),
    _row("muscat-2026", "shuttle", "relay", ("conceder", "boulware"), (0.52, 0.58), 0.2),
    _row("muscat-2026", "shuttle", "bridging", ("boulware", "boulware"), (0.50, 0.51), 0.3),
    _row("scenarios/nash-1950.toml", "direct", None, ("boulware", "conceder"), (0.66, 0.46), 0.9),
    _row("scenarios/nash-1950.toml", "direct", None, ("conceder", "conceder"), (0.60, 0.62), 0.8),
]  # fmt: skip


def test_mediators_are_compared_within_a_scenario_with_their_protocol() -> None:
    figure = mediators_figure(ROWS)
    panels = {a.get_title(loc="left"): a for a in figure.axes}
    assert sorted(panels) == ["scenario: muscat-2026", "scenario: nash-1950.toml"]
    labels = {
        title: [t.get_text() for t in axes.get_yticklabels()] for title, axes in panels.items()
    }
    assert labels == {
        "scenario: muscat-2026": ["bridging (shuttle), n=1", "relay (shuttle), n=2"],
        "scenario: nash-1950.toml": ["(direct), n=2"],
    }
    assert "within each scenario" in figure.get_suptitle()


def test_pooled_figures_say_what_they_pool() -> None:
    for figure in (strategies_figure(ROWS), pairings_figure(ROWS)):
        title = figure.get_suptitle() or figure.axes[0].get_title()
        assert "pooled over scenarios muscat-2026, nash-1950.toml" in title
        assert "protocols direct, shuttle" in title
    one = strategies_figure(ROWS[:2]).get_suptitle()
    assert "scenario muscat-2026; protocol shuttle" in one
    assert "pooled" not in one


def test_pairings_colour_scale_is_fitted_to_the_data() -> None:
    figure = pairings_figure(ROWS)
    axes, bar = figure.axes
    (image,) = axes.images
    # cells: boulware against itself (0.50 + 0.51) / 2 the lowest, conceder against itself
    # (0.60 + 0.62) / 2 the highest; boulware-conceder (0.55 + 0.58 + 0.66) / 3 between
    assert image.get_clim() == pytest.approx((0.505, 0.61))
    assert bar.get_ylabel() == "mean utility (scale fitted to the data: 0.51 to 0.61)"
    assert sorted(t.get_text() for t in axes.texts) == ["0.51", "0.53", "0.60", "0.61"]


def test_pairings_of_one_value_still_get_a_scale() -> None:
    (image,) = pairings_figure(ROWS[2:3]).axes[0].images
    low, high = image.get_clim()
    assert low < 0.505 < high


def test_draw_writes_the_three_pictures(tmp_path: Path) -> None:
    written = draw([*ROWS, {**ROWS[0], "failure": "boom"}], tmp_path / "plots")
    assert [p.name for p in written] == ["strategies.png", "mediators.png", "pairings.png"]
    for path in written:
        assert path.read_bytes().startswith(b"\x89PNG")


def test_a_title_counts_many_pooled_scenarios_instead_of_naming_them() -> None:
    from parley.tournament.plots import _pooled

    rows = [{"scenario": f"../data/s{k}", "protocol": "direct"} for k in range(8)]
    assert _pooled(rows) == "\n(pooled over scenarios (8); protocol direct)"
