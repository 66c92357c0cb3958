"""The emergency domain's words (zh-CN first, English second)."""

from __future__ import annotations

from typing import Final

from ecogov.emergency.workflow import MOVES, STATES
from ecogov.platform.i18n import Catalogue

MESSAGES: Final[Catalogue] = {
    "nav.emergency": ("重污染天气预警", "Pollution warnings"),
    "emergency.title": ("重污染天气预警", "Heavy-pollution warnings"),
    "emergency.warning.title": ("预警详情", "Warning"),
    "emergency.col.city": ("城市", "City"),
    "emergency.col.level": ("级别", "Level"),
    "emergency.col.suggested": ("建议级别", "Suggested level"),
    "emergency.col.state": ("状态", "State"),
    "emergency.col.period": ("预警时段", "Period"),
    "emergency.col.edition": ("分级标准", "Criteria"),
    "emergency.col.reason": ("依据", "Reason"),
    "emergency.col.issued": ("建议日期", "Suggested on"),
    "emergency.col.date": ("日期", "Date"),
    "emergency.col.aqi": ("预报AQI", "Forecast AQI"),
    "emergency.col.move": ("操作", "Move"),
    "emergency.col.actor": ("办理人", "Officer"),
    "emergency.col.note": ("决定说明", "Decision note"),
    "emergency.col.at": ("时间", "Time"),
    "emergency.col.enterprise": ("企业", "Enterprise"),
    "emergency.col.cut": ("限产比例（%）", "Production cut (%)"),
    "emergency.col.measures": ("减排措施", "Measures"),
    "emergency.col.factors": ("减排因子", "Factors"),
    "emergency.col.task": ("整改事项", "Task"),
    "emergency.trail": ("决策记录", "Decision trail"),
    "emergency.forecast": ("预报", "Forecast"),
    "emergency.reductions": ("应急减排清单", "Emergency-reduction list"),
    "emergency.empty": ("暂无预警", "No warnings"),
    "emergency.no_reductions": ("本级别暂无减排措施", "No measures at this level"),
    "emergency.decide": ("办理", "Decide"),
    "emergency.move.suggest": ("系统建议", "Suggested by the platform"),
    "emergency.error.no_forecast": (
        "该城市没有预报数据，无法判定预警级别",
        "the city has no forecast",
    ),
    "emergency.error.no_warning": ("预警 #{id} 不存在", "warning #{id} does not exist"),
    "emergency.error.level": (
        "预警级别“{level}”无效，应为蓝色、黄色、橙色或红色",
        "warning level '{level}' is not blue, yellow, orange or red",
    ),
    "emergency.error.same_level": (
        "调整级别须选择与当前“{level}”不同的级别",
        "an adjustment needs a level other than the current {level}",
    ),
    "emergency.error.cut": (
        "限产比例“{value}”应为0到100之间的数",
        "production cut '{value}' must be a number from 0 to 100",
    ),
    "emergency.error.enterprise": (
        "统一社会信用代码 {uscc} 不是已登记的企业",
        "no registered enterprise has the code {uscc}",
    ),
    **{f"emergency.state.{k}": v for k, v in STATES.items()},
    **{f"emergency.move.{k}": v for k, v in MOVES.items()},
    "emergency.task.title": (
        "落实{level}预警减排措施：{measures}",
        "Carry out the {level} warning's reduction measures: {measures}",
    ),
    "emergency.col.level_before": ("调整前级别", "Level before"),
    "emergency.col.level_after": ("调整后级别", "Level after"),
    "emergency.in_force": ("预警生效中", "in force"),
    "emergency.none_in_force": ("当前没有生效的重污染天气预警", "No warning is in force"),
    "emergency.open": ("查看", "Open"),
    "emergency.suggest": ("根据预报建议预警", "Suggest from the forecast"),
    "emergency.no_level": (
        "预报未达到任何预警级别的条件，未建议预警",
        "the forecast meets no warning level: nothing suggested",
    ),
    "emergency.no_forecast_source": (
        "平台尚未接入城市空气质量预报，暂不能根据预报建议预警",
        "no city air-quality forecast is installed: warnings cannot be suggested yet",
    ),
    "emergency.no_list": ("尚未导入应急减排清单", "No reduction list imported yet"),
    "emergency.import.file": ("清单文件（CSV或Excel）", "List file (CSV or Excel)"),
    "emergency.import.submit": ("导入", "Import"),
    "emergency.import.columns": (
        "列：统一社会信用代码、预警级别、限产比例、减排措施、减排因子（HJ 212编码，可选）",
        "Columns: credit code, level, production cut, measures, factors (HJ 212 codes, optional)",
    ),
    "emergency.import.done": (
        "{file}：新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条，跳过错误行 {errors} 行",
        "{file}: {created} added, {updated} updated, {unchanged} unchanged, {errors} skipped",
    ),
    "emergency.level.none": ("无预警", "No warning"),
    "emergency.level.blue": ("蓝色预警", "Blue"),
    "emergency.level.yellow": ("黄色预警", "Yellow"),
    "emergency.level.orange": ("橙色预警", "Orange"),
    "emergency.level.red": ("红色预警", "Red"),
    "audit.action.emergency.suggest": ("建议重污染天气预警", "Suggest a warning"),
    "audit.action.emergency.task": ("下达应急减排任务", "Open a reduction task"),
    "audit.action.emergency.import": ("导入应急减排清单", "Import the reduction list"),
    **{f"audit.action.emergency.{k}": v for k, v in MOVES.items()},
    "audit.entity.emergency_warning": ("重污染天气预警", "Heavy-pollution warning"),
    "audit.entity.emergency_warning_event": ("预警决策记录", "Warning decision"),
    "audit.entity.emergency_reduction_measure": ("应急减排措施", "Reduction measure"),
    "audit.entity.emergency_warning_task": ("应急减排任务", "Reduction task"),
}
