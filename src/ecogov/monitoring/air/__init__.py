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
        "audit.entity.air_daily": ("空气站点日数据", "Air station daily values"),
        "audit.entity.air_city_daily": ("空气城市日数据", "Air city daily values"),
        "audit.action.air.aggregates.rebuild": ("重算空气日数据", "Rebuild air daily values"),
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
        "air.ranking": ("城市空气质量排名", "City air-quality ranking"),
        "air.ranking.now": ("实时排名", "Real-time"),
        "air.ranking.day": ("日排名", "Daily"),
        "air.ranking.month": ("月度排名", "Monthly"),
        "air.ranking.year": ("年度排名", "Annual"),
        "air.ranking.hour": ("时间", "Hour"),
        "air.ranking.date": ("日期", "Date"),
        "air.ranking.coverage": ("报送站点/应报站点", "Stations reporting / expected"),
        "air.ranking.no_aqi": ("无数据或不发布", "No data or not published"),
        "air.ranking.official_note": (
            "各城市数值为官方数值：由该城市全部国控点位的浓度算术平均后按 HJ 633 计算 AQI，"
            "在全省城市中由好到差排名，AQI 相同者名次并列。",
            "Official figures: each city's concentrations are the mean of all its stations, "
            "scored by HJ 633 and ranked best to worst among the cities of the province; equal "
            "AQIs share a rank.",
        ),
        "air.ranking.period_note": (
            "月度与年度排名按综合指数（HJ 663，环办监测〔2018〕19号），见统计报表。",
            "Monthly and annual rankings use the composite index (HJ 663); see the report.",
        ),
        "air.ranking.units_now": (
            "单位：µg/m³（CO为mg/m³）；1小时平均浓度，PM按24小时分指数分段计算（HJ 633）。",
            "Units µg/m³ (CO mg/m³); 1-hour means, PM scored on the 24-hour breakpoints (HJ 633).",
        ),
        "air.ranking.units_day": (
            "单位：µg/m³（CO为mg/m³）；日均值，O3为日最大8小时平均（HJ 633、HJ 663）。",
            "Units µg/m³ (CO mg/m³); daily means, O3 the daily maximum 8-hour mean.",
        ),
        "air.pollutant.PM2.5": ("细颗粒物(PM2.5)", "PM2.5"),
        "air.pollutant.PM10": ("颗粒物(PM10)", "PM10"),
        "air.pollutant.O3_1H": ("臭氧1小时", "O3 1-hour"),
        "air.pollutant.O3_8H": ("臭氧8小时", "O3 8-hour"),
        "air.pollutant.SO2": ("二氧化硫", "SO2"),
        "air.pollutant.NO2": ("二氧化氮", "NO2"),
        "air.pollutant.CO": ("一氧化碳", "CO"),
        "air.report.pm25_mean": ("PM2.5平均浓度(μg/m³)", "PM2.5 mean (µg/m³)"),
        "air.report.pm10_mean": ("PM10平均浓度(μg/m³)", "PM10 mean (µg/m³)"),
        "air.report.so2_mean": ("SO2平均浓度(μg/m³)", "SO2 mean (µg/m³)"),
        "air.report.no2_mean": ("NO2平均浓度(μg/m³)", "NO2 mean (µg/m³)"),
        "air.report.co_p95": (
            "CO日均值第95百分位数(mg/m³)",
            "CO 95th percentile of daily means (mg/m³)",
        ),
        "air.report.o3_8h_p90": (
            "O3日最大8小时平均第90百分位数(μg/m³)",
            "O3 90th percentile of daily maximum 8-hour means (µg/m³)",
        ),
        "air.units_note": (
            "单位：µg/m³（CO为mg/m³）；CO取日均值第95百分位，O3取日最大8小时平均第90百分位"
            "（HJ 663）。",
            "Units µg/m³ (CO mg/m³); CO: 95th percentile of daily means, O3: 90th percentile "
            "of daily maximum 8-hour means (HJ 663).",
        ),
    },
)
