"""Stored period means: refreshed by every observation import in its transaction, equal to the
means computed from the raw observations, and what the evaluation reads."""

from __future__ import annotations

import polars as pl
import pytest
from alembic import command
from polars.testing import assert_frame_equal
from sqlalchemy import func, select

from ecogov.engine.water_means import monthly_means, period_means
from ecogov.monitoring.water import evaluation, service
from ecogov.monitoring.water.models import PeriodMean, Section
from ecogov.platform.db import Database
from ecogov.platform.migrate import alembic_config
from ecogov.platform.scope import SYSTEM, Principal
from tests.monitoring.water.test_service import OBSERVATIONS, XIHU, _load

PERIODS = ("2024", "2024-Q2", "2024-05", "2025", "2025-Q2", "2025-05")


def _computed(db: Database, label: str) -> pl.DataFrame:
    """The means of ``label`` computed from the raw observations, as before they were stored."""
    period = evaluation.parse_period(label)
    samples = service.load_observations(db, SYSTEM, start=period.start_time, end=period.end_time)
    return period_means(monthly_means(samples), period.assessment_kind)


def _stored(db: Database, label: str) -> pl.DataFrame:
    return service.load_period_means(db, SYSTEM, [label]).sort("section", "parameter")


def _count(db: Database) -> int:
    with db.transaction(SYSTEM) as session:
        return int(session.scalar(select(func.count()).select_from(PeriodMean)) or 0)


def test_import_stores_the_means_of_every_period_it_touched(db: Database) -> None:
    _load(db)
    for label in PERIODS:
        assert not _stored(db, label).is_empty()
        assert_frame_equal(_stored(db, label), _computed(db, label), check_exact=True)
    assert _stored(db, "2024-Q3").is_empty()


def test_a_changed_value_changes_the_stored_means_and_a_repeat_changes_nothing(
    db: Database,
) -> None:
    _load(db)
    before = _count(db)
    service.import_files(db, SYSTEM, "long", [("data.csv", OBSERVATIONS.encode())])
    assert _count(db) == before
    changed = "section,time,parameter,value\nHZ1,2025-05-20,TP,0.35\n"
    service.import_files(db, SYSTEM, "long", [("more.csv", changed.encode())])
    stored = _stored(db, "2025").filter(
        (pl.col("section") == "HZ1") & (pl.col("parameter") == "w21011")
    )
    assert stored["value"].to_list() == [pytest.approx(0.25)]  # May: the mean of 0.15, 0.35
    assert_frame_equal(_stored(db, "2025"), _computed(db, "2025"), check_exact=True)
    assert _count(db) == before


def test_the_stored_means_keep_to_the_principals_scope(db: Database) -> None:
    _load(db)
    seen = service.load_period_means(db, XIHU, ["2024"])
    assert set(seen["section"]) == {"HZ2", "HZ3"}


def test_evaluation_from_stored_means_matches_the_raw_observations(db: Database) -> None:
    _load(db)
    period = evaluation.parse_period("2025")
    rows = evaluation.evaluate(db, SYSTEM, period, "section")
    hz1 = rows.filter(pl.col("section") == "HZ1").row(0, named=True)
    assert hz1["tp"] == 0.15
    assert hz1["tp_prev"] == 0.25


def test_the_migration_averages_the_observations_already_stored(db: Database) -> None:
    _load(db)
    expected = {label: _stored(db, label) for label in PERIODS}
    config = alembic_config(db.engine)
    command.downgrade(config, "water_0001")
    command.upgrade(config, "heads")
    for label, frame in expected.items():
        assert_frame_equal(_stored(db, label), frame, check_exact=True)


def test_evaluations_are_reused_until_an_import_in_any_process(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(db)
    period = evaluation.parse_period("2025")
    first = evaluation.evaluate(db, SYSTEM, period, "section")
    assert evaluation.evaluate(db, SYSTEM, period, "section") is first
    assert evaluation.evaluate(db, XIHU, period, "section") is not first  # another scope
    # An import by another process (the CLI) leaves this process' counter as it was: the
    # import run it records in the database still makes the next evaluation fresh.
    monkeypatch.setattr(evaluation, "data_version", lambda: -1)
    before = evaluation.evaluate(db, SYSTEM, period, "section")
    changed = "section,time,parameter,value\nHZ1,2025-05-20,TP,0.35\n"
    service.import_files(db, SYSTEM, "long", [("more.csv", changed.encode())])
    after = evaluation.evaluate(db, SYSTEM, period, "section")
    assert after is not before
    tp = after.filter(pl.col("section") == "HZ1")["tp"].to_list()
    assert tp == [pytest.approx(0.25)]


def test_the_section_history_reads_the_stored_monthly_means(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20, item 1: the month-by-month history of a section equals the one computed from
    its raw observations per request, as before the monthly means were read."""
    _load(db)
    codes = service.section_frame(db, SYSTEM)["section"].to_list()
    stored = [evaluation.section_history(db, SYSTEM, code) for code in codes]

    def raw_months(db: Database, principal: Principal, code: str) -> pl.DataFrame:
        samples = service.load_observations(db, principal, section=code)
        monthly = monthly_means(samples).drop("samples")
        return monthly.with_columns(pl.col("month").dt.strftime("%Y-%m"), months=pl.lit(1))

    monkeypatch.setattr(
        evaluation,
        "section_monthly_means",
        lambda db, principal, code: raw_months(db, principal, code).rename({"month": "period"}),
    )
    computed = [evaluation.section_history(db, SYSTEM, code) for code in codes]
    assert any(not history.is_empty() for history in stored)
    for mine, theirs in zip(stored, computed, strict=True):
        assert_frame_equal(mine, theirs, check_exact=True)


def test_every_stored_mean_counts_the_samples_it_rests_on(db: Database) -> None:
    """A month's mean counts its samples, a quarter's and a year's those of their months."""
    _load(db)
    with db.transaction(SYSTEM) as session:
        stored = {
            (section_id, period, parameter): samples
            for section_id, period, parameter, samples in session.execute(
                select(
                    PeriodMean.section_id,
                    PeriodMean.period,
                    PeriodMean.parameter,
                    PeriodMean.samples,
                )
            )
        }
    monthly = monthly_means(service.load_observations(db, SYSTEM))
    ids = _section_ids(db)
    expected: dict[tuple[int, str, str], int] = {}
    for section, month, parameter, _, samples in monthly.iter_rows():
        for label in (
            f"{month:%Y-%m}",
            f"{month.year}-Q{(month.month - 1) // 3 + 1}",
            str(month.year),
        ):
            key = (ids[section], label, parameter)
            expected[key] = expected.get(key, 0) + samples
    assert stored == expected


def _section_ids(db: Database) -> dict[str, int]:
    with db.transaction(SYSTEM) as session:
        return {str(code): int(i) for code, i in session.execute(select(Section.code, Section.id))}
