"""Sources domain (污染源): enterprises, discharge outlets, HJ 212 data loggers, analyser
channels, permit limits and electricity meters — the registry the HJ 212 receiver and the
exceedance and data-quality checks build on."""

from __future__ import annotations

from pathlib import Path

from ecogov.platform.plugins import Domain, NavItem
from ecogov.sources import api, cli, demo, maplayers, pages
from ecogov.sources.access import DEVICE_SECRETS, DISCLOSURE, REGISTRY

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="sources",
    models="ecogov.sources.models",
    migrations=_HERE / "migrations",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    demo=demo.load,
    demo_order=30,
    templates=_HERE / "templates",
    nav=(NavItem("nav.sources", "/sources", order=30, requires=("read", REGISTRY.key)),),
    permissions=(REGISTRY, DEVICE_SECRETS, DISCLOSURE),
    legends=(maplayers.key_level_legend,),
    map_layers=(maplayers.ENTERPRISES_LAYER,),
    messages={
        "audit.entity.enterprise": ("企业", "Enterprise"),
        "audit.entity.outlet": ("排放口", "Outlet"),
        "audit.entity.monitoring_device": ("监测设备", "Monitoring device"),
        "audit.entity.device_factor": ("监测因子", "Device factor"),
        "audit.entity.permit_limit": ("许可排放限值", "Permit limit"),
        "audit.entity.power_meter": ("用电监控表", "Power meter"),
        "audit.entity.power_reading": ("用电读数", "Power reading"),
        "audit.action.sources.demo.load": ("生成演示污染源", "Demo sources"),
        "audit.action.sources.meter.readings": ("导入用电读数", "Import power readings"),
        "nav.sources": ("污染源", "Pollution sources"),
        "sources.map": ("污染源一张图", "Source map"),
        "sources.search": ("企业名称或信用代码", "Name or credit code"),
        "sources.enterprise": ("企业", "Enterprise"),
        "sources.industry": ("行业", "Industry"),
        "sources.key_level": ("重点排污单位", "Key-monitoring level"),
        "sources.level.national": ("国控", "National"),
        "sources.level.provincial": ("省控", "Provincial"),
        "sources.level.municipal": ("市控", "Municipal"),
        "sources.level.general": ("一般", "General"),
        "sources.uscc": ("统一社会信用代码", "Unified social credit code"),
        "sources.permit_number": ("排污许可证编号", "Discharge permit number"),
        "sources.position": ("经纬度", "Longitude, latitude"),
        "sources.outlets": ("排放口与监测设备", "Outlets and monitoring devices"),
        "sources.outlet": ("排放口", "Outlet"),
        "sources.medium": ("类型", "Medium"),
        "sources.medium.gas": ("废气", "Flue gas"),
        "sources.medium.water": ("废水", "Wastewater"),
        "sources.permits": ("许可排放限值", "Permit limits"),
        "sources.averaging.hourly": ("小时均值", "hourly mean"),
        "sources.averaging.daily": ("日均值", "daily mean"),
        "sources.basis.converted": ("折算", "converted"),
        "sources.basis.measured": ("实测", "measured"),
        "sources.meters": ("用电监控", "Electricity meters"),
        "sources.meter": ("电表", "Meter"),
        "sources.line": ("监控对象", "Line"),
        "sources.line.production": ("生产设施", "Production"),
        "sources.line.treatment": ("治污设施", "Treatment"),
        "sources.running_kw": ("运行判定功率 kW", "Running above kW"),
    },
)
