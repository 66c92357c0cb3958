"""Automatic stations' real-time exceedances: flagged hourly values beyond the section's target
class publish one alert per section, factor and Beijing day; manual samples and invalid hours
do not."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from ecogov.monitoring.water import realtime, service
from ecogov.platform.alerts import Alert
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.standards.gb3838 import WaterBody, class_limits

REGISTRY = """code,name,water_name,water_body,basin,region_code,target_class,drinking_source,lon,lat
HZ1,闸口,钱塘江,river,钱塘江,330102,II,no,120.17,30.21
"""
HOURS = """section,time,parameter,value,unit,flag
HZ1,2025-05-10 08:00,氨氮,0.4,,N
HZ1,2025-05-10 09:00,氨氮,0.9,,N
HZ1,2025-05-10 10:00,氨氮,2.5,,N
HZ1,2025-05-10 11:00,氨氮,9.0,,D
HZ1,2025-05-10 12:00,溶解氧,5.0,,N
HZ1,2025-05-11 09:00,总磷,0.3,,
"""


def _alerts(db: Database) -> list[Alert]:
    with db.transaction(SYSTEM) as session:
        return list(session.scalars(select(Alert).order_by(Alert.dedupe_key)))


def test_breach_at_each_side_of_the_limits() -> None:
    ammonia = class_limits("w21003", water_body=WaterBody.RIVER)
    assert realtime.breach(ammonia, 2, 0.5) is None  # at the limit meets it
    over = realtime.breach(ammonia, 2, 0.51)
    assert over is not None
    assert (over.limit, over.worse_than_v) == (0.5, False)
    worst = realtime.breach(ammonia, 2, 2.01)
    assert worst is not None
    assert worst.worse_than_v
    oxygen = class_limits("w01009", water_body=WaterBody.RIVER)
    low = realtime.breach(oxygen, 2, 5.0)
    assert low is not None
    assert low.limit == 6.0
    assert realtime.breach(oxygen, 2, 6.0) is None


def test_importing_station_hours_publishes_one_alert_per_section_factor_day(db: Database) -> None:
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    service.import_files(db, SYSTEM, "long", [("hours.csv", HOURS.encode())])
    found = _alerts(db)
    assert [a.dedupe_key for a in found] == [
        "water.realtime:HZ1:w01009:2025-05-10",
        "water.realtime:HZ1:w21003:2025-05-10",
    ]
    ammonia = found[1]
    assert ammonia.severity == "red"  # 2.5 mg/L is worse than class V (2.0)
    assert ammonia.evidence["peak"] == 2.5
    assert ammonia.evidence["hours"] == 2  # the flagged-D hour is not judged
    assert ammonia.evidence["limit"] == 0.5
    assert "氨氮" in ammonia.title
    assert found[0].severity == "orange"
    service.import_files(db, SYSTEM, "long", [("hours.csv", HOURS.encode())])
    assert len(_alerts(db)) == 2  # the same hours again: nothing new


def test_exceedances_are_read_within_the_window(db: Database) -> None:
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    service.import_files(db, SYSTEM, "long", [("hours.csv", HOURS.encode())])
    early = realtime.exceedances(
        db, SYSTEM, datetime(2025, 5, 10, 0, tzinfo=UTC), datetime(2025, 5, 10, 2, tzinfo=UTC)
    )
    assert [(e.parameter, e.hours, e.worst) for e in early] == [("w21003", 1, 0.9)]
