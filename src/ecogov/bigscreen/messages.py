"""The big screen's words, zh-CN first (``ecogov.platform.i18n``)."""

from __future__ import annotations

from typing import Final

from ecogov.platform.i18n import Catalogue

MESSAGES: Final[Catalogue] = {
    "bigscreen.title": ("生态环境指挥中心", "Environment command centre"),
    "bigscreen.nav": ("指挥大屏", "Big screen"),
    "bigscreen.beijing_time": ("北京时间", "Beijing time"),
    "bigscreen.updated": ("数据更新", "Data updated"),
    "bigscreen.stale": ("数据连接中断，显示的是上次数据", "connection lost: showing the last data"),
    "bigscreen.air_map": ("空气质量实时地图", "Real-time air quality"),
    "bigscreen.air_time": ("发布时段", "Hour"),
    "bigscreen.ranking": ("城市实时排名", "Real-time city ranking"),
    "bigscreen.rank": ("排名", "Rank"),
    "bigscreen.city": ("城市", "City"),
    "bigscreen.primary": ("首要污染物", "Primary"),
    "bigscreen.water": ("地表水断面水质", "Surface-water sections"),
    "bigscreen.water_period": ("评价月份", "Month"),
    "bigscreen.sections": ("断面数", "Sections"),
    "bigscreen.share_I_III": ("Ⅰ～Ⅲ类比例", "Classes I–III"),
    "bigscreen.attainment": ("达标率", "Meeting target"),
    "bigscreen.alerts": ("在线监测预警（近24小时）", "Online monitoring alerts (24 h)"),
    "bigscreen.alerts_total": ("条", "alerts"),
    "bigscreen.no_alerts": ("近24小时无在线监测预警", "no online monitoring alert in 24 h"),
    "bigscreen.items": ("整改事项", "Rectification items"),
    "bigscreen.items_open": ("未销号", "Open"),
    "bigscreen.items_overdue": ("已逾期", "Overdue"),
    "bigscreen.complaints": ("今日信访投诉", "Complaints today"),
    "bigscreen.complaints_total": ("今日受理", "Received today"),
    "bigscreen.targets": ("目标红绿灯", "Targets"),
    "bigscreen.no_targets": ("本辖区暂无已绑定指标的目标", "no bound target in this region"),
    "bigscreen.none": ("暂无数据", "no data"),
    "bigscreen.count_unit": ("件", "items"),
    "bigscreen.stations_unit": ("个站点", "stations"),
    "bigscreen.error.refresh": (
        "刷新间隔须在 {low} 至 {high} 秒之间，收到 {value}",
        "the refresh interval must lie between {low} and {high} s, got {value}",
    ),
}
