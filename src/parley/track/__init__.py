"""Tracks: a series of sessions, each starting where the last ended.

    track = play_track(scenario, seed)          # session 1 is the scenario itself
    track.end, track.sessions[-1].agreed        # "deal" / "collapse" / "horizon", issues agreed

``record`` holds what a track is made of, ``derive`` builds each later session's scenario,
``between`` draws the events between sessions, ``play`` plays the track and ``report`` gives
it as JSON. The format of a scenario's ``[track]`` section: docs/scenario-format.md.
"""

from parley.track.derive import next_scenario
from parley.track.play import play_track
from parley.track.record import Carried, Happening, Played, Recorded, SessionRun, Track
from parley.track.report import track_json

__all__ = [
    "Carried",
    "Happening",
    "Played",
    "Recorded",
    "SessionRun",
    "Track",
    "next_scenario",
    "play_track",
    "track_json",
]
