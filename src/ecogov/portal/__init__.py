"""Public portal (公众门户): read-only pages and open data for the public, no login
(issue 17, item 1): the AQI map and city rankings, surface-water sections and drinking-water
sources, pollution sources' disclosure and the double-random draws as published, each table as
CSV and JSON, cacheable and rate limited."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from ecogov.platform.i18n import Catalogue
from ecogov.platform.plugins import Domain
from ecogov.portal import api, pages

_HERE = Path(__file__).resolve().parent

MESSAGES: Final[Catalogue] = {
    "portal.name": ("生态环境信息公开", "Environmental information portal"),
    "portal.footer": (
        "本网站公开的数据不含个人信息；演示数据为模拟数据。",
        "The data published here hold no personal information; demo data are simulated.",
    ),
    "portal.nav.air": ("空气质量排名", "Air quality rankings"),
    "portal.nav.water": ("地表水水质", "Surface water"),
    "portal.nav.enterprises": ("企业信息公开", "Enterprise disclosure"),
    "portal.nav.draws": ("双随机抽查公开", "Double-random draws"),
    "portal.nav.complain": ("我要投诉", "File a complaint"),
    "portal.nav.lookup": ("投诉查询", "Look up a complaint"),
    "portal.nav.api": ("开放数据接口", "Open data API"),
    "portal.home": ("实时空气质量", "Real-time air quality"),
    "portal.latest_hour": ("最新发布时间", "Latest hour"),
    "portal.ranking_now": ("城市实时排名", "Real-time city ranking"),
    "portal.more_rankings": ("日、月、年排名", "Daily, monthly and annual rankings"),
    "portal.air": ("城市空气质量排名", "City air quality rankings"),
    "portal.tab.now": ("实时", "Real-time"),
    "portal.tab.day": ("日排名", "Daily"),
    "portal.tab.month": ("月排名", "Monthly"),
    "portal.tab.year": ("年排名", "Annual"),
    "portal.best": ("相对较好的城市", "Best cities"),
    "portal.worst": ("相对较差的城市", "Worst cities"),
    "portal.rank": ("排名", "Rank"),
    "portal.city": ("城市", "City"),
    "portal.category": ("空气质量类别", "Category"),
    "portal.primary": ("首要污染物", "Primary pollutant"),
    "portal.index": ("综合指数", "Composite index"),
    "portal.good_ratio": ("优良天数比例(%)", "Good days (%)"),
    "portal.change": ("变化率(%)", "Change (%)"),
    "portal.water": ("地表水断面水质与饮用水水源地", "Surface-water sections and drinking sources"),
    "portal.section": ("断面", "Section"),
    "portal.river": ("河流湖库", "River or lake"),
    "portal.water_class": ("水质类别", "Class"),
    "portal.target": ("目标类别", "Target"),
    "portal.drinking": ("水源地达标", "Drinking source compliant"),
    "portal.yes": ("达标", "compliant"),
    "portal.no": ("不达标", "not compliant"),
    "portal.enterprises": ("重点排污单位信息公开", "Pollution source disclosure"),
    "portal.enterprises_note": (
        "重点排污单位（国控、省控、市控）依法公开的信息：基本信息、排污许可限值、自动监测数据与超标情况、环境信用、行政处罚、现场检查及问题整改进展。",
        "What key polluters (national, provincial, municipal) disclose by law: their facts, "
        "permit limits, online monitoring against the limits, credit, penalties, inspections "
        "and the rectification of what they found.",
    ),
    "portal.region": ("行政区划代码", "Region code"),
    "portal.permit_number": ("排污许可证编号", "Permit number"),
    "portal.online": (
        "自动监测数据（近7天小时均值）",
        "Online monitoring (hourly means, last 7 days)",
    ),
    "portal.outlet": ("排放口", "Outlet"),
    "portal.medium.gas": ("废气", "flue gas"),
    "portal.medium.water": ("废水", "waste water"),
    "portal.exceedances": ("超标情况（近30天）", "Exceedances (last 30 days)"),
    "portal.no_exceedances": ("近30天无超标", "no exceedance in the last 30 days"),
    "portal.start": ("开始时间", "Start"),
    "portal.hours": ("持续小时数", "Hours"),
    "portal.peak": ("最大值", "Peak"),
    "portal.multiple": ("超标倍数（最大值/限值）", "Peak / limit"),
    "portal.averaging.hourly": ("小时均值", "hourly mean"),
    "portal.averaging.daily": ("日均值", "daily mean"),
    "portal.basis.converted": ("折算浓度", "converted"),
    "portal.basis.measured": ("实测浓度", "measured"),
    "portal.deadline": ("整改期限", "Deadline"),
    "portal.not_assigned": ("尚未交办整改", "not yet assigned for rectification"),
    "portal.enterprise": ("企业", "Enterprise"),
    "portal.uscc": ("统一社会信用代码", "Credit code"),
    "portal.industry": ("行业", "Industry"),
    "portal.key_level": ("重点排污单位级别", "Key level"),
    "portal.grade": ("环境信用等级", "Credit grade"),
    "portal.permits": ("排污许可限值", "Permit limits"),
    "portal.factor": ("监测因子", "Factor"),
    "portal.limit": ("限值", "Limit"),
    "portal.averaging": ("时段", "Averaging"),
    "portal.basis": ("依据", "Basis"),
    "portal.credit": ("环境信用评价", "Credit evaluations"),
    "portal.date": ("日期", "Date"),
    "portal.score": ("得分", "Score"),
    "portal.penalties": ("行政处罚", "Penalties"),
    "portal.case_no": ("案号", "Case number"),
    "portal.title": ("标题", "Title"),
    "portal.state": ("状态", "State"),
    "portal.fine": ("罚款（元）", "Fine (yuan)"),
    "portal.inspections": ("现场检查与整改", "Inspections and rectification"),
    "portal.findings": ("发现问题", "Findings"),
    "portal.rectification": ("整改情况", "Rectification"),
    "portal.no_findings": ("未发现问题", "no findings"),
    "portal.draws": ("双随机抽查公开", "Double-random draws"),
    "portal.seed_hash": ("种子摘要", "Seed hash"),
    "portal.seed": ("种子", "Seed"),
    "portal.objects": ("抽中对象数", "Objects drawn"),
    "portal.download": ("下载", "Download"),
    "portal.none": ("暂无数据", "no data"),
    "portal.not_found": ("未找到{what}", "{what} not found"),
}


domain = Domain(
    name="portal",
    api=api.router,
    pages=pages.router,
    messages=MESSAGES,
    templates=_HERE / "templates",
    static=_HERE / "static",
    warm_paths=(
        "/portal",
        *(f"/portal/air?tab={tab}" for tab in ("now", "day", "month", "year")),
        "/portal/water",
        "/portal/enterprises",
        "/portal/draws",
        "/api/v1/public/air/latest",
        "/api/v1/public/air/ranking/now",
        "/api/v1/public/air/ranking/day",
        "/api/v1/public/air/index/month",
        "/api/v1/public/air/index/year",
        "/api/v1/public/water/sections",
        "/api/v1/public/enterprises",
        "/api/v1/public/draws",
    ),
)
