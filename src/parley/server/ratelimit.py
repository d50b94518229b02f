"""Per-client rate limits (a token bucket per client address) on what costs the server most:
creating sessions and reading uploaded scenarios.

A client is its address as the server sees it; behind a reverse proxy every client shares the
proxy's, so limit there too. Buckets that have refilled are forgotten, so memory follows the
clients active in the last minute.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from parley.errors import TooManyError

FORGET_ABOVE = 10_000
"""Buckets kept before full ones are dropped."""


class RateLimit:
    """At most ``per_minute`` calls per client in any minute, with bursts up to that many."""

    def __init__(
        self, what: str, per_minute: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.what = what
        self.per_minute = per_minute
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, client: str) -> None:
        """One call by ``client``; ``TooManyError`` (429, with seconds to wait) when over."""
        if self.per_minute <= 0:
            return
        with self._lock:
            now = self.clock()
            tokens = self._tokens(client, now)
            if tokens < 1.0:
                wait = math.ceil((1.0 - tokens) * 60.0 / self.per_minute)
                raise TooManyError(
                    f"{self.what}: more than {self.per_minute} a minute from {client}; "
                    f"try again in {wait} s",
                    retry_after=wait,
                )
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > FORGET_ABOVE:
                self._forget_full(now)

    def _tokens(self, client: str, now: float) -> float:
        tokens, when = self._buckets.get(client, (float(self.per_minute), now))
        return min(float(self.per_minute), tokens + (now - when) * self.per_minute / 60.0)

    def _forget_full(self, now: float) -> None:
        full = [c for c in self._buckets if self._tokens(c, now) >= self.per_minute]
        for client in full:
            del self._buckets[client]
