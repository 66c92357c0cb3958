"""The forecast domain's words (zh-CN first, English second)."""

from __future__ import annotations

from typing import Final

from ecogov.platform.i18n import Catalogue

MESSAGES: Final[Catalogue] = {
    "audit.action.forecast.run": ("发布空气质量预报", "Issue air-quality forecasts"),
    "audit.action.forecast.train": ("训练空气质量预报模型", "Train a forecast model"),
    "audit.entity.forecast_model": ("空气质量预报模型", "Forecast model"),
    "audit.entity.forecast_day": ("空气质量预报（日）", "Daily forecast"),
    "audit.entity.forecast_value": ("预报浓度", "Forecast concentration"),
    "nav.forecast": ("预报预警", "Forecasts"),
    "forecast.title": ("空气质量预报", "Air-quality forecast"),
    "forecast.nav.map": ("预报地图", "Forecast map"),
    "forecast.nav.verification": ("预报效果检验", "Verification"),
    "forecast.nav.emergency": ("重污染天气预警", "Heavy-pollution warnings"),
    "forecast.nav.water_trend": ("地表水水质预警", "Surface-water early warning"),
    "forecast.nav.water_realtime": ("水质自动站实时超标", "Water stations over their limits"),
    "forecast.map.lead_day": ("地图显示", "Map shows"),
    "forecast.day": ("第{n}天", "Day {n}"),
    "forecast.cards": ("城市预报", "City forecasts"),
    "forecast.none": ("暂无预报", "No forecast yet"),
    "forecast.issued_at": ("发布时间", "Issued"),
    "forecast.col.date": ("日期", "Date"),
    "forecast.col.lead_day": ("预报时效", "Lead day"),
    "forecast.col.aqi_range": ("AQI范围", "AQI range"),
    "forecast.col.level": ("级别", "Level"),
    "forecast.col.primary": ("首要污染物", "Primary pollutant"),
    "forecast.col.values": ("日均浓度预报（范围）", "Daily values (range)"),
    "forecast.col.pollutant": ("污染物", "Pollutant"),
    "forecast.col.kind": ("对象", "Sites"),
    "forecast.col.site": ("站点/城市", "Station / city"),
    "forecast.col.month": ("月份", "Month"),
    "forecast.col.model": ("预报方法", "Method"),
    "forecast.col.cases": ("样本数", "Cases"),
    "forecast.col.level_accuracy": ("等级准确率", "Level accuracy"),
    "forecast.col.primary_accuracy": ("首要污染物准确率（样本）", "Primary accuracy (cases)"),
    "forecast.col.mae": ("平均绝对误差", "MAE"),
    "forecast.col.bias": ("平均偏差", "bias"),
    "forecast.kind.city": ("城市", "Cities"),
    "forecast.kind.station": ("站点", "Stations"),
    "forecast.all": ("全部", "All"),
    "forecast.filter": ("查询", "Show"),
    "forecast.model.forecast": ("统计预报模型", "Forecast model"),
    "forecast.model.persistence": ("持续性预报", "Persistence"),
    "forecast.model.climatology": ("气候态预报", "Climatology"),
    "forecast.site.hourly": ("未来72小时逐时预报", "Next 72 hours"),
    "forecast.site.daily": ("逐日预报", "Daily forecast"),
    "forecast.site.no_hours": (
        "暂无逐时预报（发布前无足够的监测小时数据）",
        "No hourly forecast (too few hours before the issue)",
    ),
    "forecast.site.method": (
        "逐时值为日均预报按发布前28天平均日变化分配；实测为发布后到达的小时数据",
        "hours spread the daily forecast over the mean diurnal cycle of the 28 days before the "
        "issue; observed: the hours received since the issue",
    ),
    "forecast.chart.value": ("预报值", "Forecast"),
    "forecast.chart.band": ("不确定性范围", "Uncertainty band"),
    "forecast.chart.observed": ("实测值", "Observed"),
    "forecast.verification.title": ("预报效果检验", "Forecast verification"),
    "forecast.verification.method": (
        "按HJ 1130-2020第6章方法：已发布预报与实测日均值对比，"
        "同一样本上与持续性预报和气候态预报并列；误差单位 µg/m³（CO 为 mg/m³）",
        "HJ 1130-2020 Ch. 6: the stored forecasts against the observed days, beside persistence "
        "and climatology on the same cases; errors in µg/m³ (CO mg/m³)",
    ),
    "forecast.verification.empty": (
        "暂无可检验的预报（预报日尚无实测数据）",
        "Nothing to verify yet (no observed day for a stored forecast)",
    ),
}
