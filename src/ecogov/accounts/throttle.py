"""Login throttle counters: one row per (client, account) pair, account and client.

An attempt is counted against all three before its password is checked, in one transaction that
locks the rows in one order (so parallel attempts neither race past the count nor deadlock);
the rules (:class:`~ecogov.platform.throttle.LoginThrottleRules`) say how long each counter then
makes the next attempt wait. A successful login makes the pair a known device and starts the
pair and account counts again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ecogov.accounts.models import LoginThrottle
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.platform.throttle import LoginThrottleRules, ThrottleRule

USERNAME_KEY_LENGTH = 64
CLIENT_KEY_LENGTH = 64


@dataclass(frozen=True)
class CounterKey:
    """One throttle counter a login attempt counts against."""

    key: str
    kind: str
    rule: ThrottleRule
    username: str | None
    client: str | None


def keys_for(rules: LoginThrottleRules, username: str, client: str) -> list[CounterKey]:
    """The counters of an attempt by ``client`` on ``username``, in the one order every
    transaction locks them (pair, account, client), so concurrent attempts cannot deadlock."""
    name, host = username[:USERNAME_KEY_LENGTH], client[:CLIENT_KEY_LENGTH]
    return [
        CounterKey(f"pair:{host}|{name}", "pair", rules.pair, name, host),
        CounterKey(f"account:{name}", "account", rules.account, name, None),
        CounterKey(f"client:{host}", "client", rules.client, None, host),
    ]


def _insert_missing(session: Session, keys: list[CounterKey]) -> None:
    """Create the counters that do not exist yet (no-op for the others, on either backend)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {"key": k.key, "kind": k.kind, "username": k.username, "client": k.client, "failures": 0}
        for k in keys
    ]
    session.execute(
        insert(LoginThrottle).values(rows).on_conflict_do_nothing(index_elements=["key"])
    )


def _take(session: Session, key: CounterKey, now: datetime) -> int | None:
    """Count one attempt against ``key`` unless it is blocked at ``now``: one atomic UPDATE (the
    row stays locked until the transaction ends). Returns the new failure count, or None when
    the counter is blocked."""
    row = LoginThrottle.__table__.c
    forgotten = or_(
        row.last_failure_at.is_(None), row.last_failure_at < now - key.rule.forget_after
    )
    counted = session.execute(
        update(LoginThrottle)
        .where(row.key == key.key, or_(row.blocked_until.is_(None), row.blocked_until <= now))
        .values(
            failures=case((forgotten, 1), else_=row.failures + 1),
            last_failure_at=now,
        )
        .returning(row.failures)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if counted is None:
        return None
    delay = key.rule.delay_after(counted)
    if delay:
        session.execute(
            update(LoginThrottle)
            .where(row.key == key.key)
            .values(blocked_until=now + delay)
            .execution_options(synchronize_session=False)
        )
    return int(counted)


def _wait_seconds(session: Session, keys: list[CounterKey], now: datetime) -> int:
    """Whole seconds until every blocked counter of ``keys`` lets an attempt through (≥ 1)."""
    until = session.scalar(
        select(func.max(LoginThrottle.blocked_until)).where(
            LoginThrottle.key.in_([k.key for k in keys])
        )
    )
    return max(1, math.ceil((until - now).total_seconds())) if until is not None else 1


def _known_device(
    session: Session, pair: CounterKey, rules: LoginThrottleRules, now: datetime
) -> bool:
    """Whether this client logged in to this account recently (it skips the account rule)."""
    since = now - timedelta(days=rules.known_device_days)
    last = session.scalar(select(LoginThrottle.succeeded_at).where(LoginThrottle.key == pair.key))
    return last is not None and last >= since


class Throttled(Exception):
    """Raised inside the counting transaction to roll back its increments."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def reserve(db: Database, keys: list[CounterKey], rules: LoginThrottleRules, now: datetime) -> None:
    """Count the attempt against every counter before the password is checked, atomically: 30
    parallel attempts cannot all slip through before the first failure is recorded. Raises
    :class:`Throttled` (nothing counted) when a counter asks the client to wait."""
    with db.transaction(SYSTEM) as session:
        _insert_missing(session, keys)
        for key in keys:
            if key.kind == "account" and _known_device(session, keys[0], rules, now):
                continue
            if _take(session, key, now) is None:
                raise Throttled(_wait_seconds(session, keys, now))


def release(session: Session, keys: list[CounterKey], now: datetime) -> None:
    """After a successful login: the pair becomes a known device and the pair and account
    counters start again; the client's reserved attempt is given back."""
    pair, account, client = keys
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == pair.key)
        .values(failures=0, blocked_until=None, last_failure_at=None, succeeded_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == account.key)
        .values(failures=0, blocked_until=None, last_failure_at=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == client.key, LoginThrottle.failures > 0)
        .values(
            failures=LoginThrottle.failures - 1,
            blocked_until=case(
                (LoginThrottle.failures - 1 < client.rule.free_failures, None),
                else_=LoginThrottle.blocked_until,
            ),
        )
        .execution_options(synchronize_session=False)
    )


def forget_stale(session: Session, rules: LoginThrottleRules, now: datetime) -> int:
    """Delete the counters that no longer hold anything back (run after a successful login, so
    the table does not keep every address and username ever tried); how many were deleted."""
    longest = max(rule.forget_after for rule in (rules.pair, rules.account, rules.client))
    device_since = now - timedelta(days=rules.known_device_days)
    row = LoginThrottle.__table__.c
    stale = session.execute(
        delete(LoginThrottle)
        .where(
            or_(row.blocked_until.is_(None), row.blocked_until <= now),
            or_(row.last_failure_at.is_(None), row.last_failure_at < now - longest),
            or_(row.succeeded_at.is_(None), row.succeeded_at < device_since),
        )
        .returning(row.key)
        .execution_options(synchronize_session=False)
    )
    return len(stale.all())
