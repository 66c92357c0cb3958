"""The raw archive in segments: frames packed by commit come back exactly, in scope only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.hj212.archive import pack, unpack
from ecogov.hj212.intake import ArchiveRow
from ecogov.hj212.service import archived_frames
from ecogov.hj212.store import Batch, write_batch
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.standards.timebase import BEIJING
from tests.hj212.support import make_devices

maybe_text = st.none() | st.text(max_size=24)
rows = st.tuples(
    st.integers(0, 2**53),
    st.text(max_size=64),
    maybe_text,
    maybe_text,
    maybe_text,
    st.sampled_from(["stored", "part", "answer", "rejected"]),
    st.binary(max_size=300),
)
NOON = datetime(2026, 3, 1, 12, tzinfo=BEIJING)


@given(st.lists(rows, min_size=1, max_size=30))
def test_a_segment_gives_back_every_frame_as_archived(archived: list[ArchiveRow]) -> None:
    received_from, received_to, frames, entries, data = pack(archived)
    assert (received_from, received_to, frames) == (
        min(r[0] for r in archived),
        max(r[0] for r in archived),
        len(archived),
    )
    assert [
        (f.received_at, f.peer, f.mn, f.cn, f.qn, f.outcome, f.raw) for f in unpack(entries, data)
    ] == archived


def _archive(db: Database, rows: list[ArchiveRow]) -> None:
    batch = Batch(archive=rows)
    with db.transaction(SYSTEM) as session:
        write_batch(session.connection(), batch)


def test_a_devices_frames_in_a_window_across_segments(db: Database) -> None:
    mine, other = make_devices(db, 2)
    at = int(NOON.timestamp() * 1000)
    _archive(db, [(at - 1, "p", mine.mn, "2061", None, "stored", b"early")])
    _archive(db, [(at + n, "p", mn, "2061", None, "stored", b"%d" % n) for n, mn in
                  enumerate([mine.mn, other.mn, mine.mn, None])])  # fmt: skip
    _archive(db, [(at + 3_600_000, "p", mine.mn, "2061", None, "stored", b"late")])
    found = archived_frames(db, SYSTEM, mine.mn, NOON, NOON + timedelta(hours=1))
    assert [f.raw for f in found] == [b"0", b"2"]
    one = archived_frames(
        db, SYSTEM, mine.mn, NOON - timedelta(hours=1), NOON + timedelta(hours=2), limit=1
    )
    assert [f.raw for f in one] == [b"early"]


def test_the_archive_is_read_in_scope_only(db: Database) -> None:
    (device,) = make_devices(db, 1)
    owner = Principal("qy", Role.ENTERPRISE, enterprise_id=device.enterprise_id)
    elsewhere = Principal("nb", Role.CITY_OFFICER, region_code="330200")
    window = (NOON, NOON + timedelta(hours=1))
    assert archived_frames(db, owner, device.mn, *window) == []
    with pytest.raises(NotFound):
        archived_frames(db, elsewhere, device.mn, *window)
    with pytest.raises(InputError):
        archived_frames(db, owner, device.mn, NOON, NOON)
