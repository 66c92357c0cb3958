"""Targets of a region evaluated against computed and manually reported indicators; manual
values reported with evidence; the map's values by subdivision."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from ecogov.plans import indicators, tracking
from ecogov.plans.importer import Target
from ecogov.plans.importer.targets import INDICATORS as IMPORTER_INDICATORS
from ecogov.plans.indicators import MANUAL_BY_KEY, report_value, reported_values
from ecogov.plans.targets import Status
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, PermissionDenied
from ecogov.platform.indicators import IndicatorValue, registry
from ecogov.platform.scope import SYSTEM
from tests.plans.support import (
    CITY,
    COUNTY,
    ENTERPRISE,
    GOOD_DAYS_TARGET,
    LEADER,
    FakeAirEngine,
    partial,
    small_plan,
)

TODAY = date(2026, 7, 2)
SITES = Target(
    "soil.contaminated_site_safe_use_rate",
    ">=",
    90,
    "%",
    None,
    2026,
    "污染地块安全利用率达到90%以上",
)


def _report(db: Database, year: int, value: float, region: str = "330100") -> int:
    return report_value(
        db,
        CITY,
        key=SITES.indicator or "",
        region_code=region,
        year=year,
        value=value,
        evidence="2025年土壤污染防治工作报告",
        today=TODAY,
    )


def test_a_good_day_target_follows_the_engine_value(db: Database) -> None:
    engine = FakeAirEngine()
    fake = {"air.good_day_ratio": engine.indicator()}
    small_plan(db, "330100", [("1", "2026-12", ())], [GOOD_DAYS_TARGET])
    engine.values[("330100", 2024)] = IndicatorValue(82.0, 2024)
    engine.values[("330100", 2025)] = IndicatorValue(84.5, 2025)
    engine.values[("330100", 2026)] = partial(2026, 88.0, TODAY)

    (view,) = tracking.region_targets(db, CITY, "330100", TODAY, fake)
    assert view.indicator_name_zh == "优良天数比率"
    assert view.result.status is Status.ON_TRACK
    assert view.result.latest == engine.values[("330100", 2026)]
    assert view.result.trend == ((2024, 82.0), (2025, 84.5), (2026, 88.0))
    assert engine.calls == 3  # plan period 2024–2026, once each

    engine.values[("330100", 2026)] = partial(2026, 84.0, TODAY)  # the data change…
    (view,) = tracking.region_targets(db, CITY, "330100", TODAY, fake)
    assert view.result.status is Status.AT_RISK  # …and so does the status
    after_the_year = date(2027, 1, 10)
    engine.values[("330100", 2026)] = IndicatorValue(84.0, 2026)
    (view,) = tracking.region_targets(db, CITY, "330100", after_the_year, fake)
    assert view.result.status is Status.MISSED


def test_targets_without_a_known_indicator_are_unbound(db: Database) -> None:
    text_only = Target(None, None, None, None, None, 2026, "水环境质量持续稳中向好")
    small_plan(db, "330100", [], [GOOD_DAYS_TARGET, text_only])
    views = tracking.region_targets(db, CITY, "330100", TODAY, {})
    assert [v.result.status for v in views] == [Status.UNBOUND, Status.UNBOUND]


def test_manual_values_drive_a_target(db: Database) -> None:
    small_plan(db, "330100", [], [SITES])
    (view,) = tracking.region_targets(db, CITY, "330100", TODAY)
    assert view.result.status is Status.NO_DATA
    _report(db, 2025, 89.0)
    _report(db, 2026, 92.0)
    (view,) = tracking.region_targets(db, CITY, "330100", TODAY)
    assert view.result.status is Status.ON_TRACK
    assert view.result.trend == ((2025, 89.0), (2026, 92.0))
    _report(db, 2026, 90.5)  # a correction: within 2 % of the goal
    (view,) = tracking.region_targets(db, CITY, "330100", TODAY)
    assert view.result.status is Status.AT_RISK
    with db.transaction(SYSTEM) as session:
        changes = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "plans.indicator.report")
            .order_by(AuditEntry.id)
        ).all()
    assert changes[-1].before == {"value": 92.0}
    assert changes[-1].after == {"value": 90.5}
    assert [v.value for v in reported_values(db, COUNTY, "330106")] == []
    assert [v.value for v in reported_values(db, CITY, "330100")] == [90.5, 89.0]


@pytest.mark.parametrize(
    ("key", "value", "evidence", "message"),
    [
        ("air.good_day_ratio", 90.0, "报告", "not a manually reported"),
        ("soil.contaminated_site_safe_use_rate", 90.0, "  ", "needs its evidence"),
        ("soil.contaminated_site_safe_use_rate", 101.0, "报告", "more than 100"),
        ("soil.contaminated_site_safe_use_rate", -1.0, "报告", "≥ 0"),
    ],
)
def test_bad_manual_values_are_refused(
    db: Database, key: str, value: float, evidence: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        report_value(
            db,
            CITY,
            key=key,
            region_code="330100",
            year=2026,
            value=value,
            evidence=evidence,
            today=TODAY,
        )


def test_who_may_report_a_manual_value(db: Database) -> None:
    with pytest.raises(InputError, match="between"):
        _report(db, 2027, 90.0)
    for refused in (LEADER, ENTERPRISE, COUNTY):
        with pytest.raises(PermissionDenied):
            report_value(
                db,
                refused,
                key="soil.contaminated_site_safe_use_rate",
                region_code="330100",
                year=2026,
                value=90.0,
                evidence="报告",
                today=TODAY,
            )


def test_the_map_shades_subdivisions(db: Database) -> None:
    _report(db, 2026, 93.0, region="330102")
    values = tracking.children_values(
        db, CITY, "330100", "soil.contaminated_site_safe_use_rate", 2026
    )
    by_code = {v.code: v.value for v in values}
    assert by_code["330102"] == 93.0
    assert by_code["330106"] is None
    assert len(values) == 13
    with pytest.raises(InputError, match="no indicator"):
        tracking.children_values(db, CITY, "330100", "air.nothing", 2026)


def test_every_importer_key_outside_the_monitoring_engines_is_a_manual_indicator() -> None:
    monitored = ("air.", "water.", "waste.")
    computed_elsewhere = {
        "water.coastal_good_share",
        "water.function_zone_compliance",
        "water.assessed_section_compliance",
        "water.outflow_section_compliance",
        "water.river_suspended_solids",
        "water.transparency",
    }  # monitoring statistics: the water domain's to declare
    computed_elsewhere |= {"waste.hazardous_utilisation_disposal_rate"}  # the waste domain's
    keys = {row.key for row in IMPORTER_INDICATORS}
    expected = {k for k in keys if not k.startswith(monitored)} | (
        {k for k in keys if k.startswith(monitored)} - computed_elsewhere - _engine_keys()
    )
    assert expected == set(MANUAL_BY_KEY)
    assert set(MANUAL_BY_KEY) <= set(registry())
    assert all(i.manual and i.compute for i in indicators.MANUAL_INDICATORS)


def _engine_keys() -> set[str]:
    """Indicators of the issue the air and water engines compute (declared by those domains)."""
    return {
        "air.pm25_annual_mean",
        "air.good_day_ratio",
        "air.heavy_pollution_days",
        "air.county_pm25_attainment_share",
        "air.city_rank",
        "water.share_I_III",
        "water.count_worse_than_V",
        "water.drinking_source_compliance",
    }


def test_a_failing_indicator_counts_as_no_data_and_is_logged(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(db: Database, region_code: str, year: int) -> IndicatorValue | None:
        raise RuntimeError("engine fault")

    fake = {"air.good_day_ratio": replace(FakeAirEngine().indicator(), compute=broken)}
    small_plan(db, "330100", [], [GOOD_DAYS_TARGET])
    (view,) = tracking.region_targets(db, CITY, "330100", TODAY, fake)
    assert view.result.status is Status.NO_DATA
    assert "air.good_day_ratio failed for 330100" in caplog.text
