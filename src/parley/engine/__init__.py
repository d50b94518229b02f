"""The negotiation engine: sessions, seats, protocols, transcripts. It knows no strategy: the
driver (``engine.drive``) takes anything that answers asks."""

from parley.engine.drive import Answer, Player, drive
from parley.engine.messages import Action, Ask, Kind, Message, Outcome, Question
from parley.engine.session import Listener, Result, Session
from parley.engine.settings import Settings, StrategySpec
from parley.engine.view import View

__all__ = [
    "Action",
    "Answer",
    "Ask",
    "Kind",
    "Listener",
    "Message",
    "Outcome",
    "Player",
    "Question",
    "Result",
    "Session",
    "Settings",
    "StrategySpec",
    "View",
    "drive",
]
