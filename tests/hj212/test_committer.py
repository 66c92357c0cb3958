"""Group commit on every backend: replies only after the commit, a row the database refuses
costs only its own reply, and a database that is away for a moment is waited for."""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from typing import cast

from sqlalchemy import select

from ecogov.hj212.committer import GroupCommitter, Writer
from ecogov.hj212.intake import Outcome, RecordRow
from ecogov.hj212.models import ArchiveSegment, Record
from ecogov.hj212.store import Batch, Written, write_batch
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM

HOUR = 1767196800


def _outcome(mn: str, cp: str | None = "DataTime=20260101000000;w01018-Avg=1.0") -> Outcome:
    """An upload of ``mn`` with its 9014 (``cp`` None: a row the database refuses)."""
    record = cast(RecordRow, (mn, "2061", HOUR, "32", None, cp, 0))
    archive = (0, "127.0.0.1:5000", mn, "2061", None, "stored", mn.encode())
    return Outcome(record=record, archive=archive, reply=f"9014 {mn}".encode(), mn=mn)


def _writer(db: Database) -> Writer:
    def write(batch: Batch) -> Written:
        with db.transaction(SYSTEM, action="hj212.receive") as session:
            return write_batch(session.connection(), batch)

    return write


def _commit_all(write: Writer, outcomes: list[Outcome]) -> tuple[list[bytes], GroupCommitter]:
    """Submit every outcome to one committer, wait until it has written them; the replies sent."""
    replies: list[bytes] = []

    async def main() -> GroupCommitter:
        with ThreadPoolExecutor(max_workers=1) as executor:
            committer = GroupCommitter(write, executor, retry_delay=0.01)
            task = asyncio.create_task(committer.run())
            for outcome in outcomes:
                committer.submit(outcome, replies.append)
            await asyncio.wait_for(committer.drained(), timeout=30)
            task.cancel()
            return committer

    return replies, asyncio.run(main())


def _stored(db: Database) -> list[str]:
    with db.transaction(SYSTEM) as session:
        return sorted(session.scalars(select(Record.mn)))


def test_replies_follow_the_commit_in_order(db: Database) -> None:
    outcomes = [_outcome(f"88888880000000000000000{n}") for n in range(5)]
    replies, committer = _commit_all(_writer(db), outcomes)
    assert replies == [outcome.reply for outcome in outcomes]
    assert _stored(db) == [outcome.mn for outcome in outcomes]
    assert committer.stats.changed == 5
    with db.transaction(SYSTEM) as session:
        assert session.scalar(select(ArchiveSegment.frames)) == 5


def test_a_refused_row_costs_only_its_own_reply(db: Database) -> None:
    good = [_outcome(f"88888880000000000000000{n}") for n in range(3)]
    bad = _outcome("888888800000000000000009", cp=None)  # cp is NOT NULL
    replies, committer = _commit_all(_writer(db), [good[0], bad, *good[1:]])
    assert replies == [outcome.reply for outcome in good]
    assert _stored(db) == [outcome.mn for outcome in good]
    assert committer.stats.failures == 1


def test_a_database_away_for_a_moment_is_waited_for(db: Database) -> None:
    write = _writer(db)
    attempts: list[int] = []

    def flaky(batch: Batch) -> Written:
        attempts.append(len(batch.records))
        if len(attempts) < 3:
            raise sqlite3.OperationalError("database is locked")
        return write(batch)

    outcome = _outcome("888888800000000000000001")
    replies, committer = _commit_all(flaky, [outcome])
    assert replies == [outcome.reply]
    assert attempts == [1, 1, 1]
    assert committer.stats.failures == 2
    assert _stored(db) == [outcome.mn]
