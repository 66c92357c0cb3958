"""The one request rate limiter: rules as data in settings, per client address.

A rule is a token bucket: a client may send ``requests`` requests at once and then
``requests`` per ``per_seconds`` (the bucket refills evenly). A request over the limit is
refused with :class:`TooManyRequests` (429, problem+json in Chinese then English, with
``Retry-After``). Rules are named (``public`` for the portal, others for whatever else needs
one) and set with ``ECOGOV_RATE_LIMITS='{"public": {"requests": 120, "per_seconds": 60}}'``.

Time is the platform's one clock, so tests freeze it. Each server process keeps its own
buckets (with N workers a client may get up to N times a rule's rate).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Mapping
from threading import Lock
from typing import Final

from fastapi import Request
from pydantic import BaseModel, Field

from ecogov.platform.errors import TooManyRequests
from ecogov.platform.i18n import Catalogue, both, register

MESSAGES: Final[Catalogue] = {
    "ratelimit.exceeded": (
        "请求过于频繁：每 {seconds:g} 秒最多 {requests} 次，请 {retry} 秒后重试",
        "too many requests: at most {requests} every {seconds:g} s, retry in {retry} s",
    ),
}
register(MESSAGES)


class RateRule(BaseModel):
    """At most ``requests`` requests per ``per_seconds`` [s] from one client (bursts of up to
    ``requests`` allowed)."""

    requests: int = Field(ge=1)
    per_seconds: float = Field(gt=0)


DEFAULT_RULES: Final[dict[str, RateRule]] = {
    "public": RateRule(requests=300, per_seconds=60),
}
"""The portal's pages and open API: 300 requests a minute per address (5 a second sustained)."""


class RateLimiter:
    """Token buckets per (rule, client); the least recently seen clients are forgotten beyond
    ``max_clients`` (a forgotten client starts again with a full bucket)."""

    def __init__(
        self,
        rules: Mapping[str, RateRule],
        now: Callable[[], float] | None = None,
        max_clients: int = 100_000,
    ) -> None:
        self.rules = dict(rules)
        self._now = now or _business_seconds
        self._max_clients = max_clients
        self._buckets: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()
        self._lock = Lock()

    def hit(self, rule_name: str, client: str) -> None:
        """Count one request of ``client`` under the rule ``rule_name``.

        Raises:
            TooManyRequests: the client's bucket is empty; ``retry_after`` [s] until a token.
            KeyError: no such rule (a programming error).
        """
        rule = self.rules[rule_name]
        rate = rule.requests / rule.per_seconds  # tokens per second
        now = self._now()
        key = (rule_name, client)
        with self._lock:
            tokens, seen = self._buckets.pop(key, (float(rule.requests), now))
            tokens = min(float(rule.requests), tokens + max(0.0, now - seen) * rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                retry = max(1, math.ceil((1 - tokens) / rate))
                raise TooManyRequests(
                    both(
                        "ratelimit.exceeded",
                        requests=rule.requests,
                        seconds=rule.per_seconds,
                        retry=retry,
                    ),
                    retry_after=retry,
                )
            self._buckets[key] = (tokens - 1, now)
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)


def _business_seconds() -> float:
    # Imported here: the clock reads the settings, which hold this module's rules.
    from ecogov.platform import clock

    return clock.now().timestamp()


RULES_KEY: Final = "rate_rules"
"""Where a request's state lists the rules it was counted against (a response kept by the
public response cache is counted against the same rules each time it is replayed)."""


def limiter_of(request: Request) -> RateLimiter:
    """The application's limiter (made from its settings' rules on first use)."""
    limiter = getattr(request.app.state, "rate_limiter", None)
    if not isinstance(limiter, RateLimiter):
        limiter = RateLimiter(request.app.state.settings.rate_limits)
        request.app.state.rate_limiter = limiter
    return limiter


def count(request: Request, rule_names: tuple[str, ...]) -> None:
    """Count the request against each of ``rule_names`` (per client address, as
    :func:`ecogov.platform.http.client_address` sees it) and note them on its state.

    Raises:
        TooManyRequests: the client is over one of the rules.
    """
    from ecogov.platform.http import client_address  # http imports the settings too

    limiter = limiter_of(request)
    for rule_name in rule_names:
        limiter.hit(rule_name, client_address(request))
    counted: tuple[str, ...] = getattr(request.state, RULES_KEY, ())
    setattr(request.state, RULES_KEY, (*counted, *rule_names))


def limit(rule_name: str) -> Callable[[Request], None]:
    """A route dependency counting each request against the rule ``rule_name`` of the app's
    settings."""

    def dependency(request: Request) -> None:
        count(request, (rule_name,))

    return dependency
