"""Tournaments: a grid of strategies x mediators x protocols x scenarios x seeds, played on the
parallel runner (``parley.parallel``), one Parquet row per negotiation, resumable.

See docs/tournament.md for the configuration file, the columns and what happens on faults.
"""

from parley.tournament.grid import Grid, Match, make_grid, matches, read_config
from parley.tournament.match import Played, play_match
from parley.tournament.rows import COLUMNS, Journal, make_row
from parley.tournament.run import Tournament, run_tournament
from parley.tournament.scores import Scores, anac_scores
from parley.tournament.summary import AnacLine, Line, anac_ranking, by_mediator, by_strategy

__all__ = [
    "COLUMNS",
    "AnacLine",
    "Grid",
    "Journal",
    "Line",
    "Match",
    "Played",
    "Scores",
    "Tournament",
    "anac_ranking",
    "anac_scores",
    "by_mediator",
    "by_strategy",
    "make_grid",
    "make_row",
    "matches",
    "play_match",
    "read_config",
    "run_tournament",
]
