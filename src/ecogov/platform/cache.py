"""A small time-limited cache for computations that several parts of one page ask for.

Indicators of a home page, a ranking and its report often need the same evaluation within a
second or two; :class:`TimedCache` keeps a result for a few seconds so they share it. Entries
expire by age, the oldest go first beyond ``max_entries``, and an import clears the cache of
what it changed. The computation runs outside the lock: two threads may compute the same key
at once, and the later result wins.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TimedCache(Generic[K, V]):
    """Results by key, each reused for ``seconds`` after it was computed (by ``clock``)."""

    def __init__(
        self, seconds: float, max_entries: int = 32, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[K, tuple[float, V]] = {}
        self._lock = Lock()

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The cached value of ``key`` if it is fresh, else ``compute()`` (then cached)."""
        now = self._clock()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and now - hit[0] < self.seconds:
                return hit[1]
        value = compute()
        with self._lock:
            self._entries[key] = (now, value)
            while len(self._entries) > self.max_entries:
                del self._entries[min(self._entries, key=lambda k: self._entries[k][0])]
        return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
