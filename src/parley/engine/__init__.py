"""The negotiation engine: sessions, protocols, strategies, transcripts."""

from parley.engine.messages import Action, Ask, Message, Outcome
from parley.engine.play import play, resume, run, seat_strategies
from parley.engine.session import Result, Session
from parley.engine.settings import Settings, StrategySpec
from parley.engine.view import View

__all__ = [
    "Action",
    "Ask",
    "Message",
    "Outcome",
    "Result",
    "Session",
    "Settings",
    "StrategySpec",
    "View",
    "play",
    "resume",
    "run",
    "seat_strategies",
]
