"""The Parquet archive of older months: round trip (export and judgement the same before and
after), idempotent re-archiving with late and revised rows merged, a full disk leaving the store
untouched, and the CLI. On both backends (SQLite archives by deleting from its one table)."""

from __future__ import annotations

import errno
import hashlib
import json
import resource
import signal
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from ecogov.hj212.cli import app
from ecogov.hj212.exceedance import exceedances
from ecogov.hj212.judging import devices_with_data
from ecogov.hj212.models import Record
from ecogov.hj212.record_archive import archive_before, read_manifest
from ecogov.hj212.service import records
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, PermissionDenied
from ecogov.platform.periods import parse_period
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.platform.settings import get_settings
from ecogov.sources import service as sources
from ecogov.standards.timebase import BEIJING
from tests.hj212.support import Registered, make_devices, store_hours

FEB_END = datetime(2026, 2, 28, 20, tzinfo=BEIJING)
"""Hourly data from here run over the month boundary into March (Beijing time)."""
MARCH = parse_period("2026-03")
COD = ["40", "40", "60", "70", "80", "90", "40", "40", "75", "40"]
"""COD means against a limit of 60: an exceedance from 23:00 on 28 February to 02:00 on 1 March
(across the month boundary, so half of it is archived), another 04:00-05:00."""


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The archive folder, as ``ECOGOV_HJ212_ARCHIVE_DIR`` names it."""
    folder = tmp_path / "archive"
    monkeypatch.setenv("ECOGOV_HJ212_ARCHIVE_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def _device_with_limit(db: Database) -> Registered:
    (device,) = make_devices(db, 1)
    sources.set_permit_limit(
        db, SYSTEM, device.outlet_id, factor_code="w01018", limit_value=60, unit="mg/L"
    )
    store_hours(db, device, COD, start=FEB_END)
    return device


def _stored(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(Record)) or 0)


def _window() -> tuple[datetime, datetime]:
    return FEB_END - timedelta(days=1), FEB_END + timedelta(days=1)


def test_archive_round_trip_keeps_export_and_judgement(db: Database, archive: Path) -> None:
    device = _device_with_limit(db)
    since, until = _window()
    exported = records(db, SYSTEM, device.mn, since=since, until=until)
    judged = exceedances(db, SYSTEM, device.mn, since, until)
    assert [(e.start.hour, e.end.hour, e.peak) for e in judged] == [(23, 2, 90.0), (4, 5, 75.0)]

    (month,) = archive_before(db, SYSTEM, MARCH, archive)

    assert month.month == "2026-02"
    assert month.rows == 4
    assert _stored(db) == len(COD) - 4
    (file,) = month.files
    assert file.region == "330106"
    assert file.rows == 4
    assert file.path.startswith("2026-02/330106-")
    assert hashlib.sha256((archive / file.path).read_bytes()).hexdigest() == file.sha256
    assert (file.min_time, file.max_time) == (
        int(FEB_END.timestamp()),
        int((FEB_END + timedelta(hours=3)).timestamp()),
    )
    manifest = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["months"][0]["month"] == "2026-02"
    assert records(db, SYSTEM, device.mn, since=since, until=until) == exported
    assert records(db, SYSTEM, device.mn, limit=6) == exported[:6]  # 4 archived, 2 stored
    assert exceedances(db, SYSTEM, device.mn, since, until) == judged
    first, last = int(since.timestamp()), int(FEB_END.timestamp()) + 3600
    assert devices_with_data(db, SYSTEM, first, last) == [device.mn]


def test_archiving_again_is_idempotent_and_merges_late_rows(db: Database, archive: Path) -> None:
    device = _device_with_limit(db)
    archive_before(db, SYSTEM, MARCH, archive)
    manifest = (archive / "manifest.json").read_bytes()
    files = sorted(archive.rglob("*.parquet"))

    assert archive_before(db, SYSTEM, MARCH, archive) == []
    assert (archive / "manifest.json").read_bytes() == manifest
    assert sorted(archive.rglob("*.parquet")) == files

    # A late upload for February and a resend revising an archived hour
    store_hours(db, device, ["41"], start=FEB_END - timedelta(hours=1))
    store_hours(db, device, ["99"], start=FEB_END)
    (month,) = archive_before(db, SYSTEM, MARCH, archive)
    assert month.rows == 5
    assert _stored(db) == len(COD) - 4
    assert sorted(archive.rglob("*.parquet")) == [archive / month.files[0].path]
    since, _until = _window()
    hours = records(
        db, SYSTEM, device.mn, cn="2061", since=since, until=FEB_END + timedelta(hours=2)
    )
    assert [r.values["w01018"]["Avg"] for r in hours] == [41.0, 99.0, 40.0]
    assert [r.revisions for r in hours][:2] == [0, 0]  # each store held its own version once


def test_store_row_wins_over_its_archived_copy(db: Database, archive: Path) -> None:
    """A crash between the manifest and the delete leaves a month in both places: reads take
    the store's rows once, and archiving again settles it."""
    device = _device_with_limit(db)
    since, until = _window()
    exported = records(db, SYSTEM, device.mn, since=since, until=until)
    archive_before(db, SYSTEM, MARCH, archive)
    store_hours(db, device, COD[:4], start=FEB_END)  # the same rows back in the store
    assert records(db, SYSTEM, device.mn, since=since, until=until) == exported
    (month,) = archive_before(db, SYSTEM, MARCH, archive)
    assert month.rows == 4
    assert _stored(db) == len(COD) - 4


def test_full_disk_leaves_the_store_untouched(
    db: Database, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _device_with_limit(db)

    def no_space(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("ecogov.hj212.record_archive.os.fsync", no_space)
    with pytest.raises(InputError) as refused:
        archive_before(db, SYSTEM, MARCH, archive)
    assert "磁盘空间不足" in str(refused.value)
    assert "库中数据未删除" in str(refused.value)
    assert _stored(db) == len(COD)
    assert read_manifest(archive) == {}
    assert [path for path in archive.rglob("*") if path.is_file()] == []


def test_file_size_limit_refuses_cleanly_and_keeps_the_previous_archive(
    db: Database, archive: Path
) -> None:
    """A real write failure (RLIMIT_FSIZE makes writes past the limit fail with EFBIG) after
    a month was archived: the store keeps the new rows, the manifest its old content."""
    device = _device_with_limit(db)
    archive_before(db, SYSTEM, MARCH, archive)
    manifest = (archive / "manifest.json").read_bytes()
    store_hours(db, device, ["41"] * 20, start=FEB_END - timedelta(hours=20))
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, hard))
    try:
        with pytest.raises(InputError) as refused:
            archive_before(db, SYSTEM, MARCH, archive)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert "文件超出大小限制" in str(refused.value)
    assert _stored(db) == len(COD) - 4 + 20
    assert (archive / "manifest.json").read_bytes() == manifest
    (month,) = read_manifest(archive).values()
    assert sorted(archive.rglob("*.parquet")) == [archive / month.files[0].path]


def test_only_admins_archive(db: Database, archive: Path) -> None:
    officer = Principal("hz", Role.CITY_OFFICER, region_code="330100")
    with pytest.raises(PermissionDenied):
        archive_before(db, officer, MARCH, archive)


def test_cli_archives_then_exports_the_same(
    db: Database, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    device = _device_with_limit(db)
    monkeypatch.setattr("ecogov.hj212.cli.database", lambda: db)
    runner = CliRunner()
    export = ["export", "--mn", device.mn, "--since", "2026-02-28", "--until", "2026-03-02"]
    before = runner.invoke(app(), export)
    done = runner.invoke(app(), ["archive-months", "--before", "2026-03"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["month"] == "2026-02"
    after = runner.invoke(app(), export)
    assert after.exit_code == 0
    assert after.output == before.output
    assert len(after.output.splitlines()) == len(COD)
    bad = runner.invoke(app(), ["archive-months", "--before", "2026-3-x"])
    assert isinstance(bad.exception, InputError)
    assert "无法识别" in str(bad.exception)
