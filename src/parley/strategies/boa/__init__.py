"""BOA negotiators: a bidding strategy, an acceptance strategy and an opponent model, each a
registered component usable on its own (Baarslag, Hindriks, Hendrikx, Dirkzwager, Jonker,
"Decoupling negotiating agents to explore the space of negotiation strategies", ACAN 2012).

``components`` holds the base class and registry, ``bidding``, ``acceptance`` and ``models`` the
built-ins, ``negotiator`` the ``boa`` negotiator that composes them.
"""
