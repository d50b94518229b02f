"""Where the good deals are: Pareto frontier, ZOPA, and the Nash, Kalai, utilitarian and
egalitarian points of a scenario's principals; and how any one outcome compares.

Definitions are in ``parley.analysis.core`` (and ``points`` for the special points).
"""

from parley.analysis.core import (
    DEFAULT_CHUNK,
    analyze,
    analyze_profiles,
    evaluate,
    zopa_outcomes,
)
from parley.analysis.pareto import pareto_mask
from parley.analysis.points import Point
from parley.analysis.report import Analysis, CrossedRedLine, OutcomeReport

__all__ = [
    "DEFAULT_CHUNK",
    "Analysis",
    "CrossedRedLine",
    "OutcomeReport",
    "Point",
    "analyze",
    "analyze_profiles",
    "evaluate",
    "pareto_mask",
    "zopa_outcomes",
]
