"""TimedCache: fresh values are reused, stale ones recomputed, the oldest evicted."""

from __future__ import annotations

from ecogov.platform.cache import TimedCache


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_fresh_value_is_reused_and_a_stale_one_recomputed() -> None:
    clock = Clock()
    calls: list[str] = []
    timed: TimedCache[str, int] = TimedCache(seconds=30, clock=clock)

    def compute() -> int:
        calls.append("x")
        return len(calls)

    assert timed.get("k", compute) == 1
    clock.now += 29.9
    assert timed.get("k", compute) == 1
    clock.now += 0.2
    assert timed.get("k", compute) == 2
    timed.clear()
    assert timed.get("k", compute) == 3


def test_the_oldest_entries_go_beyond_the_limit() -> None:
    clock = Clock()
    timed: TimedCache[int, int] = TimedCache(seconds=30, max_entries=2, clock=clock)
    for key, value in ((0, 0), (1, 10), (2, 20)):
        clock.now += 1
        timed.get(key, lambda value=value: value)  # type: ignore[misc]
    assert timed.get(0, lambda: -1) == -1  # evicted, so computed again
    assert timed.get(2, lambda: -1) == 20
