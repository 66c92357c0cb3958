"""Throttling rules: how long to wait after a number of failures (rules as data, in settings).

A rule lets a few failures through without delay, then asks for a delay that doubles with each
further failure up to a ceiling, and forgets failures after a quiet period. There is no lockout
that refuses the right password for good: the worst a rule can do is ask for ``max_seconds``.
The login throttle (``ecogov.accounts``) applies three rules at once — per (client, account)
pair, per account, per client — see :class:`LoginThrottleRules`.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, Field


class ThrottleRule(BaseModel):
    """Growing delays after failures: none for the first ``free_failures - 1`` failures, then
    ``first_seconds`` after the ``free_failures``-th, doubling with each further failure up to
    ``max_seconds``. Failures are forgotten ``forget_after_seconds`` after the last one."""

    free_failures: int = Field(ge=1)
    first_seconds: float = Field(gt=0)
    max_seconds: float = Field(gt=0)
    forget_after_seconds: float = Field(gt=0)

    def delay_after(self, failures: int) -> timedelta:
        """The wait [s] after ``failures`` failures in a row."""
        if failures < self.free_failures:
            return timedelta(0)
        steps = min(failures - self.free_failures, 62)  # 2**62 s is far past any ceiling
        return timedelta(seconds=min(self.first_seconds * 2**steps, self.max_seconds))

    @property
    def forget_after(self) -> timedelta:
        """The quiet period after which failures no longer count."""
        return timedelta(seconds=self.forget_after_seconds)


class LoginThrottleRules(BaseModel):
    """The three login rules. The pair rule is the strict one: one client guessing one account
    soon waits up to 15 minutes. The account rule catches guessing spread over many clients but
    its ceiling is short (an attacker can make the real user wait a minute, never lock them
    out), and it is skipped for a client that logged in to that account before (a known
    device). The client rule catches one client spraying many usernames."""

    pair: ThrottleRule = ThrottleRule(
        free_failures=3, first_seconds=2, max_seconds=900, forget_after_seconds=86_400
    )
    account: ThrottleRule = ThrottleRule(
        free_failures=10, first_seconds=2, max_seconds=60, forget_after_seconds=3_600
    )
    client: ThrottleRule = ThrottleRule(
        free_failures=20, first_seconds=2, max_seconds=300, forget_after_seconds=3_600
    )
    known_device_days: int = Field(default=30, ge=0)
    """A client that logged in to an account within this many days skips the account rule."""
