"""Demo data of the emergency domain (模拟数据), after the sources, hj212, water and plans demos:
an emergency-reduction list for Hangzhou's monitored demo enterprises (imported through the one
reader), one warning published and lifted in the last days of the air demo's data (so its review
has observed AQI and online emissions), one warning suggested from a constructed forecast for
the coming days, and the surface-water early warning run over the demo water data.
Deterministic and idempotent: a second load changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final

from sqlalchemy import select

from ecogov.emergency import service
from ecogov.emergency.models import AirWarning
from ecogov.emergency.service import ForecastDay
from ecogov.monitoring.air.demo import DEMO_END
from ecogov.monitoring.water import earlywarning
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal
from ecogov.sources.models import Device, DeviceFactor, Enterprise
from ecogov.standards.timebase import BEIJING

CITY: Final = "330100"
ENTERPRISES: Final = 4
LEVEL_CUTS: Final = (("黄色", 10, "错峰生产，限产{cut}%"), ("橙色", 20, "限产{cut}%，停止物料运输"),
                     ("红色", 30, "限产{cut}%，停产检修非必要工序"))  # fmt: skip
PAST_AQI: Final = (235, 268, 241)
"""The lifted warning's forecast, for the three days ending four days before the air demo's
last day."""
NEXT_AQI: Final = (215, 243, 226)
"""The current suggestion's forecast for the three days from tomorrow."""


def _firms(db: Database) -> list[tuple[str, list[str]]]:
    """The first monitored demo enterprises of the city: credit code and monitored factors."""
    with db.transaction(SYSTEM) as session:
        firms = session.execute(
            select(Enterprise.enterprise_id, Enterprise.uscc)
            .where(Enterprise.region_code.startswith(CITY[:4]))
            .where(Enterprise.enterprise_id.in_(select(Device.enterprise_id)))
            .order_by(Enterprise.enterprise_id)
            .limit(ENTERPRISES)
        ).all()
        return [
            (uscc, sorted(set(session.scalars(
                select(DeviceFactor.factor_code).where(DeviceFactor.enterprise_id == firm)
            )))[:3])
            for firm, uscc in firms
        ]  # fmt: skip


def reduction_csv(firms: Sequence[tuple[str, list[str]]]) -> bytes:
    """The demo list: each enterprise's measures at yellow, orange and red."""
    lines = ["统一社会信用代码,预警级别,限产比例,减排措施,减排因子"]
    for index, (uscc, factors) in enumerate(firms):
        for level, cut, text in LEVEL_CUTS:
            pct = cut + 5 * index
            lines.append(f'{uscc},{level},{pct},{text.format(cut=pct)},"{",".join(factors)}"')
    return ("\n".join(lines) + "\n").encode()


def _constant(days: Sequence[ForecastDay]) -> service.ForecastSource:
    def source(db: Database, principal: Principal, city: str) -> Sequence[ForecastDay]:
        return days

    return source


def _days(first: date, aqis: Sequence[int]) -> list[ForecastDay]:
    return [ForecastDay(first + timedelta(days=i), aqi) for i, aqi in enumerate(aqis)]


def load(db: Database) -> list[str]:
    """Load the emergency demo (idempotent)."""
    firms = _firms(db)
    notes = []
    if firms:
        result = service.import_measures(
            db, SYSTEM, "应急减排清单（模拟）.csv", reduction_csv(firms)
        )
        notes.append(
            f"  emergency: reduction list of {len(firms)} enterprises "
            f"({result.created} measures added, {result.unchanged} unchanged) (模拟数据)"
        )
    past = DEMO_END.astimezone(BEIJING).date() - timedelta(days=4 + len(PAST_AQI))
    with db.transaction(SYSTEM) as session:
        done = session.scalar(
            select(AirWarning.id)
            .where(AirWarning.region_code == CITY, AirWarning.starts_on == past)
        )  # fmt: skip
    if done is None:
        warning_id = service.suggest(db, SYSTEM, CITY, _constant(_days(past, PAST_AQI)))
        if warning_id is not None:
            service.decide(
                db,
                SYSTEM,
                warning_id,
                "publish",
                "市重污染天气应急指挥部会商后发布（模拟）",
                "yellow",
            )
            service.decide(
                db,
                SYSTEM,
                warning_id,
                "adjust",
                "预报PM2.5浓度上升，升级为橙色预警（模拟）",
                "orange",
            )
            service.decide(
                db, SYSTEM, warning_id, "lift", "空气质量已连续36小时低于黄色预警条件（模拟）"
            )
            notes.append(f"  emergency: warning #{warning_id} published, raised and lifted")
    nxt = service.suggest(
        db, SYSTEM, CITY, _constant(_days(clock.today() + timedelta(days=1), NEXT_AQI))
    )
    notes.append(f"  emergency: warning #{nxt} suggested from a constructed forecast")
    published = earlywarning.publish(db, SYSTEM)
    notes.append(f"  water early warning: {len(published.created)} alerts published")
    return notes
