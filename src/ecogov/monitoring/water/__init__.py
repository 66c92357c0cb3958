"""Surface-water domain (地表水): monitoring sections, their observations and imports, and the
evaluation of sections, basins, cities and drinking-water sources under GB 3838-2002 and
环办〔2011〕22号, with the map and pages."""

from __future__ import annotations

from pathlib import Path

from ecogov.monitoring.water import api, cli, demo, maplayers, pages
from ecogov.monitoring.water.access import OBSERVATIONS, SECTIONS
from ecogov.monitoring.water.alerts import KINDS
from ecogov.monitoring.water.earlywarning import KIND as EARLY_WARNING_KIND
from ecogov.monitoring.water.indicators import INDICATORS
from ecogov.monitoring.water.realtime import KIND as REALTIME_KIND
from ecogov.platform.plugins import Domain, NavItem
from ecogov.standards.water_assessment import Grade

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="water",
    models="ecogov.monitoring.water.models",
    migrations=_HERE / "migrations",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    cli_name="water",
    demo=demo.load,
    demo_order=50,
    nav=(NavItem("nav.water", "/water", order=20, requires=("read", SECTIONS.key)),),
    permissions=(SECTIONS, OBSERVATIONS),
    alert_kinds=(*KINDS, EARLY_WARNING_KIND, REALTIME_KIND),
    legends=(maplayers.water_class_legend,),
    map_layers=(maplayers.SECTIONS_LAYER,),
    messages={
        "audit.entity.water_section": ("水质断面", "Water section"),
        "audit.entity.water_observation": ("水质监测数据", "Water observation"),
        "audit.entity.water_period_mean": ("水质时段均值", "Water period mean"),
        "audit.action.water.sections.import": ("导入水质断面", "Import water sections"),
        "audit.action.water.observations.import": ("导入水质数据", "Import water data"),
        "nav.water": ("水环境", "Surface water"),
        "water.title": ("地表水环境质量", "Surface water quality"),
        "water.period": ("评价时段", "Period"),
        "water.previous": ("去年同期", "Same period last year"),
        "water.simulated": (
            "模拟数据：本页断面和监测值由程序生成，仅供演示。",
            "Simulated data: these sections and values are generated for the demo.",
        ),
        "water.map": ("断面水质类别分布", "Sections by water class"),
        "water.sections": ("断面", "Sections"),
        "water.basins": ("流域", "Basins"),
        "water.cities": ("城市", "Cities"),
        "water.drinking": ("饮用水水源地", "Drinking-water sources"),
        "water.import": ("数据导入", "Import"),
        "water.early_warning": ("水质预警", "Early warning"),
        "water.early_warning.title": ("断面水质超标风险预警", "Sections at risk next month"),
        "water.early_warning.predicted": ("预测值（mg/L）", "Predicted (mg/L)"),
        "water.early_warning.limit": ("目标类别限值（mg/L）", "Target-class limit (mg/L)"),
        "water.early_warning.probability": ("超标概率", "Probability of exceeding"),
        "water.early_warning.month": ("预测月份", "Month"),
        "water.early_warning.trend": ("年变化趋势", "Trend per year"),
        "water.early_warning.method": (
            "方法：逐断面逐指标对月均值拟合“月份效应＋线性趋势”回归，预测下月值及其预测误差，"
            "按正态分布计算超过目标类别限值（GB 3838-2002表1）的概率；概率不低于{threshold}的"
            "推送至预警收件箱。",
            "Method: per section and factor, a regression of the monthly means on month effects "
            "and a linear trend predicts next month with its error; the probability of exceeding "
            "the target-class limit (GB 3838-2002 Table 1) is from the normal error; from "
            "{threshold} an alert goes to the inbox.",
        ),
        "water.early_warning.empty": (
            "暂无可建模的断面（每个指标至少需要24个月的监测数据）",
            "No section can be modelled yet (24 months of data per factor needed)",
        ),
        "water.export_xlsx": ("导出Excel", "Export Excel"),
        "water.code": ("断面编码", "Code"),
        "water.name": ("断面名称", "Section"),
        "water.water_name": ("所在水体", "Water"),
        "water.water_body": ("水体类型", "Type"),
        "water.water_body.river": ("河流", "River"),
        "water.water_body.lake": ("湖库", "Lake or reservoir"),
        "water.basin": ("流域", "Basin"),
        "water.region": ("行政区划", "Region"),
        "water.city": ("城市", "City"),
        "water.level": ("控制级别", "Control level"),
        "water.level.national": ("国控", "National"),
        "water.level.provincial": ("省控", "Provincial"),
        "water.level.municipal": ("市控", "Municipal"),
        "water.target": ("目标类别", "Target"),
        "water.class": ("水质类别", "Class"),
        "water.grade": ("水质状况", "Grade"),
        "water.attains": ("达标情况", "Meets target"),
        "water.met": ("达标", "Met"),
        "water.missed": ("未达标", "Missed"),
        "water.main_pollutants": ("主要污染指标", "Main pollutants"),
        "water.months": ("有效月数", "Months"),
        "water.change": ("同比", "Year on year"),
        "water.worst_first": ("水质最差的在前", "Worst first"),
        "water.better": ("改善", "Better"),
        "water.worse": ("下降", "Worse"),
        "water.same": ("持平", "Same"),
        "water.sections_count": ("断面数", "Sections"),
        "water.share_I_III": ("Ⅰ～Ⅲ类比例", "Classes I–III"),
        "water.share_worse_than_V": ("劣Ⅴ类比例", "Worse than V"),
        "water.attainment": ("目标达标率", "Target attainment"),
        "water.drinking_compliance": ("水源地达标率", "Drinking-source compliance"),
        "water.grade_method": ("评价方法", "Method"),
        "water.grade_method.shares": ("断面类别比例法", "Section shares"),
        "water.grade_method.mean": ("平均浓度法（不足5个断面）", "Mean concentrations (< 5)"),
        "water.compliance": ("达标情况", "Compliance"),
        "water.class_counts": ("各类别断面数", "Sections per class"),
        "water.compliant": ("达标", "Compliant"),
        "water.noncompliant": ("不达标", "Not compliant"),
        "water.failing_items": ("超标项目", "Failing items"),
        "water.cwqi": ("水质指数CWQI", "Water quality index CWQI"),
        "water.tli": ("综合营养状态指数", "Trophic index TLI"),
        "water.trophic_state": ("营养状态", "Trophic state"),
        "water.tp": ("总磷 mg/L", "TP mg/L"),
        "water.tn": ("总氮 mg/L", "TN mg/L"),
        "water.details": ("断面信息", "Section details"),
        "water.drinking_source": ("饮用水水源地", "Drinking-water source"),
        "water.lonlat": ("经纬度", "Longitude, latitude"),
        "water.history": ("逐月水质类别", "Class month by month"),
        "water.series": ("监测值与类别限值", "Values against class limits"),
        "water.parameter": ("监测项目", "Item"),
        "water.month": ("月份", "Month"),
        "water.yes": ("是", "Yes"),
        "water.no": ("否", "No"),
        "water.import.kind": ("文件类型", "File type"),
        "water.import.kind.sections": ("断面名录", "Section registry"),
        "water.import.kind.long": ("监测数据（长表）", "Observations (long)"),
        "water.import.kind.wide": ("自动站导出（宽表）", "Automatic-station export (wide)"),
        "water.import.files": ("文件（CSV或Excel）", "Files (CSV or Excel)"),
        "water.import.section": ("断面编码（宽表无断面列时）", "Section code (wide files only)"),
        "water.import.submit": ("导入", "Import"),
        "water.import.report": ("导入结果", "Import report"),
        "water.import.rejections": ("被拒绝的行", "Rejected rows"),
        "water.import.ignored": ("未识别而忽略的列", "Columns ignored"),
        **{f"water.grade.{grade.value}": (grade.value, grade.name_en) for grade in Grade},
    },
    templates=_HERE / "templates",
    static=_HERE / "static",
    indicators=INDICATORS,
)
