"""Login throttling: growing delays per (client, account), account and client; no lockout of
the real user; atomic counting; constant-time refusals; admin unlock."""

from __future__ import annotations

import statistics
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from ecogov.accounts import service
from ecogov.accounts.models import LoginThrottle
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.errors import AuthenticationRequired, PermissionDenied, TooManyRequests
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.platform.throttle import LoginThrottleRules, ThrottleRule
from tests.helpers import PASSWORD, make_user

T0 = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
RULES = LoginThrottleRules()


def _attempt(db: Database, user: str, password: str, client: str, at: datetime) -> str:
    """``ok``, ``wrong`` or ``wait N`` for one attempt."""
    try:
        service.login(db, user, password, 1, client=client, rules=RULES, now=at)
    except TooManyRequests as exc:
        return f"wait {exc.retry_after}"
    except AuthenticationRequired:
        return "wrong"
    return "ok"


@given(
    st.integers(1, 10),
    st.floats(0.1, 100),
    st.floats(1, 10_000),
    st.integers(0, 200),
)
def test_delays_grow_and_are_capped(free: int, first: float, ceiling: float, n: int) -> None:
    rule = ThrottleRule(
        free_failures=free, first_seconds=first, max_seconds=ceiling, forget_after_seconds=60
    )
    delay, following = rule.delay_after(n), rule.delay_after(n + 1)
    assert timedelta(0) <= delay <= following <= timedelta(seconds=max(ceiling, 0))
    assert (delay == timedelta(0)) is (n < free)


def test_one_client_guessing_one_account_waits_longer_each_time(db: Database) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    at = T0
    results = [_attempt(db, "zj", "guess-0000", "10.0.0.66", at) for _ in range(3)]
    assert results == ["wrong", "wrong", "wrong"]
    waits = []
    for _ in range(5):
        refused = _attempt(db, "zj", "guess-0000", "10.0.0.66", at)
        assert refused.startswith("wait ")
        waits.append(int(refused.split()[1]))
        at += timedelta(seconds=waits[-1])  # wait as told, then guess again
        assert _attempt(db, "zj", "guess-0000", "10.0.0.66", at) == "wrong"
    assert waits == [2, 4, 8, 16, 32]
    # the right password, after waiting, from the same client: in, and the counters start again
    at += timedelta(seconds=64)
    assert _attempt(db, "zj", PASSWORD, "10.0.0.66", at) == "ok"
    assert _attempt(db, "zj", "guess-0000", "10.0.0.66", at) == "wrong"


def test_an_attacker_cannot_lock_the_real_user_out(db: Database) -> None:
    """Guessing from many clients makes the account wait at most a minute, and a client that
    logged in before (the user's own) is not held back at all."""
    make_user(db, "admin2", Role.ADMIN)
    assert _attempt(db, "admin2", PASSWORD, "192.168.1.10", T0) == "ok"  # the admin's own PC
    at = T0 + timedelta(hours=2)
    for bot in range(25):
        _attempt(db, "admin2", "guess-1234", f"203.0.113.{bot}", at)
    refused = _attempt(db, "admin2", PASSWORD, "198.51.100.1", at)  # a new device waits …
    assert refused.startswith("wait ")
    assert int(refused.split()[1]) <= RULES.account.max_seconds  # … a minute at most
    assert _attempt(db, "admin2", PASSWORD, "192.168.1.10", at) == "ok"  # the own PC: no wait
    for bot in range(25):  # that login started the account's count again: guess on
        _attempt(db, "admin2", "guess-1234", f"203.0.113.{100 + bot}", at)
    assert _attempt(db, "admin2", PASSWORD, "198.51.100.1", at).startswith("wait ")
    later = at + timedelta(seconds=RULES.account.max_seconds)
    assert _attempt(db, "admin2", PASSWORD, "198.51.100.1", later) == "ok"


def test_one_client_spraying_many_usernames_is_slowed(db: Database) -> None:
    checked = [_attempt(db, f"user{n:02d}", "Password1", "203.0.113.9", T0) for n in range(30)]
    assert checked[: RULES.client.free_failures] == ["wrong"] * RULES.client.free_failures
    assert all(r.startswith("wait ") for r in checked[RULES.client.free_failures :])


def test_parallel_guesses_are_counted_before_the_password_check(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: 30 parallel wrong attempts got 20 password checks in before the lock."""
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    checks: list[int] = []
    verify = service._verify

    def counting(stored: str, password: str) -> bool:
        checks.append(1)
        return verify(stored, password)

    monkeypatch.setattr(service, "_verify", counting)
    outcomes: list[str] = []
    start = threading.Barrier(30)

    def guess() -> None:
        start.wait()
        outcomes.append(_attempt(db, "zj", "guess-0000", "10.0.0.66", T0))

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 30
    assert len(checks) == outcomes.count("wrong") == RULES.pair.free_failures


def test_unknown_usernames_are_refused_as_slowly_as_wrong_passwords(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: an existing username took ~110 ms to refuse, an unknown one ~5 ms."""
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    checks: list[str] = []
    verify = service._verify

    def recording(stored: str, password: str) -> bool:
        checks.append(stored[:9])
        return verify(stored, password)

    monkeypatch.setattr(service, "_verify", recording)

    def refusal_seconds(user: str, n: int) -> float:
        start = time.perf_counter()
        assert _attempt(db, user, "guess-0000", f"10.1.0.{n}", T0) == "wrong"
        return time.perf_counter() - start

    refusal_seconds("nobody", 99)  # the dummy hash is made once
    existing = [refusal_seconds("zj", n) for n in range(5)]
    unknown = [refusal_seconds(f"ghost{n}", n) for n in range(5)]
    assert checks == ["$argon2id"] * 11  # every refusal checked an argon2id hash
    ratio = statistics.median(unknown) / statistics.median(existing)
    assert 1 / 3 < ratio < 3, (existing, unknown)  # loose: the test machine is shared


def test_an_admin_lifts_the_limits_and_it_is_audited(db: Database) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    for _ in range(4):
        _attempt(db, "zj", "guess-0000", "10.0.0.66", T0)
    now = T0 + timedelta(seconds=1)
    assert set(service.throttled_accounts(db, SYSTEM, now)) == {"zj"}
    officer = Principal("hz", Role.CITY_OFFICER, region_code="330100")
    with pytest.raises(PermissionDenied):
        service.unlock(db, officer, "zj")
    assert service.unlock(db, SYSTEM, "zj") == 2  # the pair and the account counters
    assert service.throttled_accounts(db, SYSTEM, now) == {}
    assert _attempt(db, "zj", PASSWORD, "10.0.0.66", now) == "ok"
    with db.transaction(SYSTEM) as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert "users.unlock" in actions
    assert "auth.login_throttled" in actions


def test_counters_that_hold_nothing_back_are_forgotten(db: Database) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    for n in range(5):  # a spray long ago
        _attempt(db, f"user{n}", "guess-0000", "203.0.113.5", T0)
    later = T0 + timedelta(days=2)
    assert _attempt(db, "zj", PASSWORD, "10.0.0.7", later) == "ok"
    with db.transaction(SYSTEM) as session:
        kept = set(session.scalars(select(LoginThrottle.key)))
    assert kept == {"pair:10.0.0.7|zj", "client:10.0.0.7"}  # the known device (and its client)
