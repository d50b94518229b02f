"""Well-known agents of the Automated Negotiating Agents Competition (ANAC), 2010-2019.

Each is written from its published description (the agent's chapter in the ANAC books, the
competition reports), never from another project's code; each module cites its source and says
where the description left a choice open and what was chosen. ``docs/agents.md`` describes them.
"""

from __future__ import annotations

from parley.strategies.anac.agent_gg import AgentGG
from parley.strategies.anac.agent_k import AgentK
from parley.strategies.anac.agent_lg import AgentLG
from parley.strategies.anac.atlas3 import Atlas3
from parley.strategies.anac.caduceus import Caduceus
from parley.strategies.anac.common import AnacAgent
from parley.strategies.anac.cuhk_agent import CUHKAgent
from parley.strategies.anac.gahboninho import Gahboninho
from parley.strategies.anac.hardheaded import HardHeaded
from parley.strategies.anac.ponpoko import PonPoko
from parley.strategies.anac.the_fawkes import TheFawkes

AGENTS: tuple[type[AnacAgent], ...] = (
    AgentK, HardHeaded, Gahboninho, CUHKAgent, AgentLG, TheFawkes, Atlas3, Caduceus, PonPoko,
    AgentGG,
)  # fmt: skip
"""In the order of their competitions."""

__all__ = [
    "AGENTS",
    "AgentGG",
    "AgentK",
    "AgentLG",
    "AnacAgent",
    "Atlas3",
    "CUHKAgent",
    "Caduceus",
    "Gahboninho",
    "HardHeaded",
    "PonPoko",
    "TheFawkes",
]
