"""The forecast's ``issues.png``, read from the figure object: options by short name, bars that
are the shares of agreements, and a panel that says when no run agreed."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import pytest

from parley.forecast import forecast
from parley.forecast.plots import issues_figure
from parley.forecast.report import Forecast
from parley.scenario import from_data
from tests.forecast_cases import scenario, serial, strike


def _forecast(p: float) -> Forecast:
    """The two-option case, x1 with a short name and x2 without; a strike with probability p."""
    doc: dict[str, Any] = scenario({"events": [strike("session", p, round=1)]}).doc.model_dump(
        mode="json", exclude_none=True
    )
    doc["issues"][0]["options"][0]["short"] = "the first"
    return forecast(from_data(doc, "forecast-case"), 40, seed=1, runner=serial)


def test_options_by_short_name_and_bars_as_shares() -> None:
    result = _forecast(0.5)
    figure = issues_figure(result)
    try:
        ax = figure.axes[0]
        assert [t.get_text() for t in ax.get_yticklabels()] == ["the first", "two"]  # label
        assert [bar.get_width() for bar in ax.patches] == [1.0, 0.0]  # both rank x1 first
        (dots,) = ax.lines  # the what-if: the strike off, every run agrees on x1
        assert list(dots.get_xdata()) == [1.0, 0.0]
        agreements = result.summary.agreements
        assert 0 < agreements < 40
        assert f"({agreements} agreements in 40 runs)" in figure.get_suptitle()
        assert not ax.texts
    finally:
        plt.close(figure)


def test_a_panel_says_when_no_run_agreed() -> None:
    figure = issues_figure(_forecast(1.0))
    try:
        ax = figure.axes[0]
        assert [t.get_text() for t in ax.texts] == ["no agreement in any run"]
        assert [bar.get_width() for bar in ax.patches] == pytest.approx([0.0, 0.0])
    finally:
        plt.close(figure)
