"""Issue 20, item 1: the device-hour and device-day statistics are maintained by every batch
written, and after any sequence of uploads, resends, revisions and late hours they equal the
statistics computed afresh from the stored hourly records."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from sqlalchemy import func, select, text

from ecogov.hj212 import aggregates
from ecogov.hj212.frames import device_stats
from ecogov.hj212.models import DeviceStat, Record
from ecogov.hj212.store import Batch, write_batch
from ecogov.platform.db import Database
from ecogov.standards.timebase import BEIJING

START = datetime(2026, 3, 1, tzinfo=BEIJING)
DEVICES = ("MN-AGG-0001", "MN-AGG-0002")


def _cp(data_time: int, value: float, flag: str, extremes: bool) -> str:
    stamp = datetime.fromtimestamp(data_time, BEIJING).strftime("%Y%m%d%H%M%S")
    fields = [f"a21026-Avg={value}"]
    if extremes:
        fields += [f"a21026-Min={value / 2}", f"a21026-Max={value * 2}"]
    return f"DataTime={stamp};{','.join([*fields, f'a21026-Flag={flag}'])};a34013-Avg=3.5"


def _write(
    db: Database, records: list[tuple[str, str, int, str]], *, deferred: bool = False
) -> None:
    """Write (mn, cn, data_time, cp) records as one batch (``deferred``: as the receiver does,
    marking the days for a later settle)."""
    batch = Batch()
    for mn, cn, data_time, cp in records:
        batch.records[(mn, cn, data_time)] = (mn, cn, data_time, "31", None, cp, 0)
    with db.engine.begin() as connection:
        write_batch(connection, batch, deferred=deferred)


def _settle(db: Database) -> int:
    with db.engine.begin() as connection:
        return aggregates.settle(connection)


def _stored(db: Database) -> pl.DataFrame:
    with db.engine.connect() as connection:
        rows = connection.execute(select(*aggregates.STATS.c)).all()
    frame = pl.DataFrame(
        [tuple(r) for r in rows], schema=list(aggregates.STATS.c.keys()), orient="row"
    )
    schema = device_stats(pl.DataFrame(schema={"mn": pl.String})).schema
    return frame.select(schema.names()).cast(schema).sort("mn", "span", "start", "code")


def _fresh(db: Database) -> pl.DataFrame:
    """The statistics computed afresh from every stored hourly record."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(Record.mn, Record.data_time, Record.cp).where(Record.cn == aggregates.HOURLY)
        ).all()
    records = pl.DataFrame(
        [tuple(r) for r in rows],
        schema={"mn": pl.String, "data_time": pl.Int64, "cp": pl.String},
        orient="row",
    )
    return device_stats(records)


def _reset(db: Database) -> None:
    with db.engine.begin() as connection:
        for table in ("hj212_record", "hj212_device_stat", "hj212_stat_pending"):
            connection.execute(text(f"DELETE FROM {table}"))


UPLOAD = st.tuples(
    st.integers(0, 1),  # device
    st.sampled_from(["2061", "2061", "2051"]),  # hourly, or minute data (not aggregated)
    st.integers(0, 71),  # hour (a later upload of an earlier hour is late data)
    st.sampled_from([0.0, 8.5, 40.0, 1234.5]),  # value
    st.sampled_from(["N", "N", "D", "M"]),  # flag: valid, or not counted
    st.booleans(),  # with Min/Max
)


@settings(
    max_examples=15,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    batches=st.lists(
        st.tuples(st.lists(UPLOAD, min_size=1, max_size=5), st.booleans()), min_size=1, max_size=5
    )
)
def test_statistics_equal_the_records_afresh_after_any_uploads(
    db: Database, batches: list[tuple[list[tuple[int, str, int, float, str, bool]], bool]]
) -> None:
    """Resends (a batch twice), revisions (the same hour with another value) and late hours,
    each batch written at once or deferred as the receiver writes (then settled)."""
    _reset(db)
    for uploads, deferred in batches:
        records = []
        for device, cn, hour, value, flag, extremes in uploads:
            data_time = int((START + timedelta(hours=hour)).timestamp())
            records.append((DEVICES[device], cn, data_time, _cp(data_time, value, flag, extremes)))
        for _ in range(2 if len(records) % 2 else 1):
            _write(db, records, deferred=deferred)
    _settle(db)
    assert_frame_equal(_stored(db), _fresh(db), check_exact=True)


def test_a_deferred_write_marks_its_days_and_a_settle_computes_them(db: Database) -> None:
    hours = [int((START + timedelta(hours=h)).timestamp()) for h in (1, 2, 30)]
    _write(db, [(DEVICES[0], "2061", t, _cp(t, 12.0, "N", False)) for t in hours], deferred=True)
    _write(db, [(DEVICES[1], "2051", hours[0], _cp(hours[0], 1.0, "N", False))], deferred=True)
    assert _stored(db).is_empty()  # nothing computed in the commit
    with db.engine.connect() as connection:
        pending = connection.execute(
            select(aggregates.PENDING.c.mn, aggregates.PENDING.c.start)
        ).all()
    first, second = (int((START + timedelta(days=d)).timestamp()) for d in (0, 1))
    assert sorted(tuple(row) for row in pending) == [(DEVICES[0], first), (DEVICES[0], second)]
    assert _settle(db) == 2
    assert_frame_equal(_stored(db), _fresh(db), check_exact=True)
    assert _settle(db) == 0  # the marks are gone


def test_a_day_holds_the_mean_extremes_and_coverage_of_its_valid_hours(db: Database) -> None:
    hours = [int((START + timedelta(hours=h)).timestamp()) for h in range(4)]
    values = [(10.0, "N"), (20.0, "N"), (99.0, "D"), (30.0, "N")]
    _write(
        db,
        [
            (DEVICES[0], "2061", t, _cp(t, v, f, True))
            for t, (v, f) in zip(hours, values, strict=True)
        ],
    )
    day = _stored(db).filter(pl.col("span") == "day", pl.col("code") == "a21026").row(0, named=True)
    assert day["start"] == int(START.timestamp())
    assert (day["avg"], day["min"], day["max"]) == (20.0, 5.0, 60.0)
    assert (day["count"], day["expected"]) == (3, 24)
    flagged = _stored(db).filter(pl.col("span") == "hour", pl.col("start") == hours[2])
    assert flagged.filter(pl.col("code") == "a21026")["count"].to_list() == [0]


def test_affected_keys_are_the_hour_and_day_of_each_hourly_record() -> None:
    late_evening = int(datetime(2026, 3, 1, 23, 30, tzinfo=BEIJING).timestamp())
    keys = aggregates.affected(
        [("A", "2061", late_evening), ("A", "2051", late_evening + 3600), ("B", "2031", 0)]
    )
    assert keys.rows() == [
        ("A", "day", int(datetime(2026, 3, 1, tzinfo=BEIJING).timestamp())),
        ("A", "hour", int(datetime(2026, 3, 1, 23, tzinfo=BEIJING).timestamp())),
    ]
    assert aggregates.affected([]).is_empty()


def test_a_late_hour_changes_exactly_its_hour_and_day(db: Database) -> None:
    hours = [int((START + timedelta(hours=h)).timestamp()) for h in range(0, 48, 2)]
    _write(db, [(mn, "2061", t, _cp(t, 5.0, "N", False)) for mn in DEVICES for t in hours])
    before = _rows(db)
    late = int((START + timedelta(hours=25)).timestamp())
    _write(db, [(DEVICES[1], "2061", late, _cp(late, 50.0, "N", False))])
    after = _rows(db)
    changed = {key[:3] for key in after if after[key] != before.get(key)}
    day = int((START + timedelta(days=1)).timestamp())
    assert changed == {(DEVICES[1], "hour", late), (DEVICES[1], "day", day)}


def _rows(db: Database) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    with db.engine.connect() as connection:
        rows = connection.execute(select(DeviceStat.__table__)).all()
    return {tuple(row[:4]): tuple(row) for row in rows}


def test_rebuild_recomputes_every_statistic_and_is_idempotent(db: Database) -> None:
    hours = [int((START + timedelta(hours=h)).timestamp()) for h in range(30)]
    _write(db, [(DEVICES[0], "2061", t, _cp(t, 7.0 + h, "N", True)) for h, t in enumerate(hours)])
    expected = _rows(db)
    computed = len(expected)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE hj212_device_stat SET avg = -1"))
        connection.execute(
            text("INSERT INTO hj212_device_stat VALUES ('GONE', 'day', :t, 'a01', 1, 1, 1, 1, 24)"),
            {"t": int(START.timestamp())},
        )
        connection.execute(  # a month archived out of the store keeps its statistics
            text("INSERT INTO hj212_device_stat VALUES ('OLD', 'day', 0, 'a01', 1, 1, 1, 1, 24)")
        )
    expected[("OLD", "day", 0, "a01")] = ("OLD", "day", 0, "a01", 1.0, 1.0, 1.0, 1, 24)
    for _ in range(2):
        with db.engine.begin() as connection:
            assert aggregates.rebuild(connection) == computed
        assert _rows(db) == expected
    day = int((START + timedelta(days=1)).timestamp())
    with db.engine.begin() as connection:
        assert aggregates.rebuild(connection, day, day + 86400) == 2 * 6 + 2  # 6 hours, 2 codes
    assert _rows(db) == expected


@pytest.mark.parametrize("spans", [("hour",), ("day",), ("hour", "day")])
def test_no_records_make_no_statistics(spans: tuple[str, ...]) -> None:
    assert device_stats(pl.DataFrame(schema={"mn": pl.String}), spans).is_empty()


def test_the_rebuild_command_recomputes_and_refuses_an_inverted_window(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from ecogov.hj212.cli import app

    hours = [int((START + timedelta(hours=h)).timestamp()) for h in range(3)]
    _write(db, [(DEVICES[0], "2061", t, _cp(t, 1.0, "N", False)) for t in hours])
    expected = _rows(db)
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM hj212_device_stat"))
    monkeypatch.setattr("ecogov.hj212.cli.database", lambda: db)
    done = CliRunner().invoke(
        app(), ["aggregates", "rebuild", "--period", "2026-03-01..2026-03-31"]
    )
    assert done.exit_code == 0, done.output
    assert "已重算 8 条设备小时与日统计" in done.output
    assert _rows(db) == expected
    refused = CliRunner().invoke(
        app(), ["aggregates", "rebuild", "--period", "2026-03-02..2026-03-01"]
    )
    assert refused.exit_code != 0
    assert "范围的起点晚于终点" in str(refused.exception or refused.output)


def test_a_limited_settle_takes_the_oldest_days_first_and_finishes_in_chunks(
    db: Database,
) -> None:
    _reset(db)
    hours = [int((START + timedelta(hours=h)).timestamp()) for h in (2, 26, 50)]
    _write(
        db,
        [(mn, "2061", t, _cp(t, 9.0, "N", True)) for mn in DEVICES for t in hours],
        deferred=True,
    )
    with db.engine.begin() as connection:
        assert aggregates.settle(connection, limit=2) == 2
        left = connection.execute(select(aggregates.PENDING.c.start)).scalars().all()
    first_day = int(START.timestamp())
    assert first_day not in left  # the first day of both devices went first
    assert len(left) == 4
    while _settle_some(db, 3):
        pass
    assert_frame_equal(_stored(db), _fresh(db), check_exact=True)


def _settle_some(db: Database, limit: int) -> int:
    with db.engine.begin() as connection:
        return aggregates.settle(connection, limit=limit)


STEP = st.one_of(
    st.tuples(st.just("write"), st.lists(UPLOAD, min_size=1, max_size=4), st.booleans()),
    st.tuples(st.just("prepare"), st.integers(1, 3)),
    st.tuples(st.just("apply"), st.integers(0, 3)),
)


@settings(
    max_examples=15,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=10))
def test_settlements_prepared_beside_writes_never_store_what_a_later_write_changed(
    db: Database, steps: list[tuple[Any, ...]]
) -> None:
    """The receiver computes a settlement in a read and stores it later, while batches (its
    own, deferred, or another writer's, at once) commit in between: whatever the interleaving,
    once the marks left are settled the statistics equal those computed afresh."""
    _reset(db)
    prepared: list[aggregates.Settlement] = []
    for step in steps:
        if step[0] == "write":
            _write(db, _uploads(step[1]), deferred=step[2])
        elif step[0] == "prepare":
            with db.engine.connect() as connection:
                prepared.append(aggregates.prepare(connection, limit=step[1]))
        elif prepared:
            with db.engine.begin() as connection:
                aggregates.apply(connection, prepared.pop(step[1] % len(prepared)))
    _settle(db)
    assert_frame_equal(_stored(db), _fresh(db), check_exact=True)


def _uploads(
    uploads: list[tuple[int, str, int, float, str, bool]],
) -> list[tuple[str, str, int, str]]:
    """Records (mn, cn, data_time, cp) of drawn uploads."""
    records = []
    for device, cn, hour, value, flag, extremes in uploads:
        data_time = int((START + timedelta(hours=hour)).timestamp())
        records.append((DEVICES[device], cn, data_time, _cp(data_time, value, flag, extremes)))
    return records


def test_a_day_marked_again_after_the_read_is_left_for_the_next_settle(db: Database) -> None:
    _reset(db)
    hour = int((START + timedelta(hours=3)).timestamp())
    _write(db, [(DEVICES[0], "2061", hour, _cp(hour, 4.0, "N", False))], deferred=True)
    with db.engine.connect() as connection:
        settlement = aggregates.prepare(connection)
    assert settlement.marks.height == 1
    assert not settlement.stats.is_empty()
    later = hour + 3600
    _write(db, [(DEVICES[0], "2061", later, _cp(later, 8.0, "N", False))], deferred=True)
    with db.engine.begin() as connection:
        assert aggregates.apply(connection, settlement) == 0  # its token changed
    assert _stored(db).is_empty()  # nothing stored from the older read
    assert _settle(db) == 1
    assert_frame_equal(_stored(db), _fresh(db), check_exact=True)


def test_a_write_at_once_settles_the_marked_days_it_touches(db: Database) -> None:
    _reset(db)
    hours = [int((START + timedelta(hours=h)).timestamp()) for h in (1, 5)]
    _write(db, [(DEVICES[0], "2061", hours[0], _cp(hours[0], 4.0, "N", False))], deferred=True)
    with db.engine.connect() as connection:
        settlement = aggregates.prepare(connection)
    _write(db, [(DEVICES[0], "2061", hours[1], _cp(hours[1], 6.0, "N", False))])
    assert_frame_equal(_stored(db), _fresh(db), check_exact=True)  # both hours, and the day
    with db.engine.begin() as connection:
        assert aggregates.apply(connection, settlement) == 0  # the mark is gone: nothing stale
        assert (
            connection.execute(select(func.count()).select_from(aggregates.PENDING)).scalar() == 0
        )
    assert_frame_equal(_stored(db), _fresh(db), check_exact=True)


def test_pending_days_are_each_beijing_day_of_hourly_records_once_in_key_order() -> None:
    late_evening = int(datetime(2026, 3, 1, 23, 30, tzinfo=BEIJING).timestamp())
    day = int(datetime(2026, 3, 1, tzinfo=BEIJING).timestamp())
    records = [
        ("B", "2061", late_evening),
        ("A", "2061", late_evening + 3600),
        ("A", "2061", late_evening - 3600),
        ("A", "2051", late_evening + 7200),
        ("B", "2061", late_evening - 60),
    ]
    assert aggregates.pending_days(records) == [("A", day), ("A", day + 86400), ("B", day)]
