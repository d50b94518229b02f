"""A new acceptance strategy for Parley's BOA negotiator, in one small class.

Use it with ``--import docs/examples/ac_floor.py``, in any composition::

    parley tournament --import docs/examples/ac_floor.py --scenario nash-1950 \
        --strategy "boa:bidding=time:exponent=0.2,acceptance=ac-floor:floor=0.6" \
        --strategy hardheaded --strategy agent-k --seeds 4
"""

from parley.strategies.base import Parameter
from parley.strategies.boa.acceptance import Acceptance
from parley.strategies.boa.components import Situation, component


@component
class Floor(Acceptance):
    name = "ac-floor"
    summary = "accepts what its next offer is worth, or near the deadline anything above a floor"
    source = "docs/examples/ac_floor.py (an example)"
    parameters = (
        Parameter("floor", 0.5, "what it settles for near the deadline", at_least=0, at_most=1),
        Parameter("last", 0.1, "the share of the time that counts as near", at_least=0, at_most=1),
    )

    def accepts(self, s: Situation, offered: float, planned: float) -> bool:
        if offered >= planned:  # AC_next: as good as what it would ask for next
            return True
        return s.time >= 1 - self.number("last") and offered >= self.number("floor")
