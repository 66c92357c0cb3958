"""Throttle rules are data: read from the settings, partial overrides keep the other rules."""

from __future__ import annotations

import pytest

from ecogov.platform.settings import Settings
from ecogov.platform.throttle import LoginThrottleRules


def test_rules_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "ECOGOV_LOGIN_THROTTLE",
        '{"pair": {"free_failures": 5, "first_seconds": 1, "max_seconds": 600,'
        ' "forget_after_seconds": 3600}, "known_device_days": 7}',
    )
    rules = Settings(secret_key="x").login_throttle
    assert rules.pair.free_failures == 5
    assert rules.pair.max_seconds == 600
    assert rules.known_device_days == 7
    assert rules.account == LoginThrottleRules().account  # what is not given keeps its default


def test_a_rule_never_locks_for_longer_than_its_ceiling() -> None:
    rules = LoginThrottleRules()
    for rule in (rules.pair, rules.account, rules.client):
        assert rule.delay_after(10_000).total_seconds() == rule.max_seconds
    assert rules.account.max_seconds <= 60  # guessing from many clients costs the user ≤ 1 min
