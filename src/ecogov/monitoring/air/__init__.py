"""Air monitoring domain (环境空气质量监测): stations, hourly observations, imports, AQI and
period evaluation by the national standards."""

from __future__ import annotations

from pathlib import Path

from ecogov.monitoring.air import api, cli, demo, indicators, maplayers, pages
from ecogov.monitoring.air.access import OBSERVATIONS, STATIONS
from ecogov.monitoring.air.alerts import KINDS
from ecogov.platform.plugins import Domain, NavItem

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="air",
    models="ecogov.monitoring.air.models",
    migrations=_HERE / "migrations",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    demo=demo.load,
    demo_order=20,
    templates=_HERE / "templates",
    static=_HERE / "static",
    nav=(NavItem("nav.air", "/air", order=10, requires=("read", STATIONS.key)),),
    permissions=(STATIONS, OBSERVATIONS),
    indicators=indicators.INDICATORS,
    alert_kinds=KINDS,
    legends=(maplayers.aqi_legend,),
    map_layers=(maplayers.STATIONS_LAYER,),
    messages={
        "audit.entity.air_station": ("空气监测站点", "Air station"),
        "audit.entity.air_hourly": ("空气小时数据", "Air hourly data"),
        "audit.entity.air_flag": ("空气数据标记", "Air data flag"),
        "audit.action.air.import": ("导入空气数据", "Import air data"),
        "audit.action.air.demo.hourly": ("生成演示空气数据", "Demo air data"),
        "audit.action.air.demo.stations": ("生成演示空气站点", "Demo air stations"),
        "nav.air": ("环境空气", "Air quality"),
        "air.realtime": ("实时空气质量", "Real-time air quality"),
        "air.latest_hour": ("最新时次", "Latest hour"),
        "air.report": ("统计报表与城市排名", "Period report and city ranking"),
        "air.station": ("站点", "Station"),
        "air.city": ("城市", "City"),
        "air.primary": ("首要污染物", "Primary pollutant"),
        "air.series": ("小时浓度与AQI", "Hourly concentrations and AQI"),
        "air.calendar": ("日AQI日历", "Daily AQI calendar"),
        "air.levels": ("级别分布", "Days per level"),
        "air.level": ("级别", "Level"),
        "air.days": ("天数", "Days"),
        "air.period": ("时段", "Period"),
        "air.by": ("统计对象", "By"),
        "air.rank": ("排名", "Rank"),
        "air.composite_index": ("综合指数", "Composite index"),
        "air.change_rate": ("变化率", "Change rate"),
        "air.good_day_ratio": ("优良天数比例", "Good-day ratio"),
        "air.heavy_days": ("重污染天数", "Heavy-pollution days"),
        "air.valid_days": ("有效天数", "Valid days"),
        "air.attained": ("是否达标", "Attained"),
        "air.yes": ("达标", "Yes"),
        "air.no": ("超标", "No"),
        "air.units_note": (
            "单位：µg/m³（CO为mg/m³）；CO取日均值第95百分位，O3取日最大8小时平均第90百分位"
            "（HJ 663）。",
            "Units µg/m³ (CO mg/m³); CO: 95th percentile of daily means, O3: 90th percentile "
            "of daily maximum 8-hour means (HJ 663).",
        ),
    },
)
