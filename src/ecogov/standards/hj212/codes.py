"""Code tables of HJ 212-2017 (§6.6 Tables 5–9, §6.3.3 Table 4, Appendix B) and HJ/T 212-2005.

Everything here is data transcribed from the standard's text (``pdftotext`` of the official PDF),
with the Chinese term beside an English one. Tables marked 可扩充 (extensible) in the standard are
open: a code that is missing here is not an error by itself.

Units (open question 13): :class:`Factor` keeps the default units *exactly as printed* in Table B.1
and B.2. Several are suspicious — Table B.2 prints 纳克/立方米 (ng/m³) for TSP, PM10, PM2.5, PM1.0,
ammonia and methane, where every monitoring network reports µg/m³ or mg/m³ — and
:data:`UNIT_ANOMALIES` lists them with the unit met in practice. The codec never converts values;
a per-device unit override lives in :class:`~ecogov.standards.hj212.profiles.ProtocolProfile`.
Ambient ozone has no code in Table B.2: devices send ``a05024`` (the HJ 524-2009 code) or the
non-standard ``O3``; :data:`SUPPLEMENTARY_FACTORS` adds ``a05024`` and :data:`CODE_ALIASES` maps
``O3`` to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

__all__ = [
    "AIR_FACTORS",
    "CODE_ALIASES",
    "COMMAND_CODES",
    "DATA_FLAGS_2005",
    "DATA_FLAGS_2017",
    "EXE_RTN",
    "FACTORS",
    "FIELD_SUFFIXES",
    "NOISE_FACTORS",
    "PLAIN_FIELDS",
    "QN_RTN",
    "SUPPLEMENTARY_FACTORS",
    "SYSTEM_CODES",
    "UNIT_ANOMALIES",
    "UNIT_SYMBOLS",
    "WATER_FACTORS",
    "CodeName",
    "Command",
    "CommandKind",
    "Factor",
    "FieldSpec",
    "ValueKind",
    "code_2005_to_2017",
    "code_2017_to_2005",
    "factor_label",
    "lookup_factor",
]


@dataclass(frozen=True, slots=True)
class CodeName:
    """A code's meaning in Chinese (as printed in the §6.6 tables / Appendix B) and in English."""

    zh: str
    en: str


# §6.6.1 Table 5 系统编码表 (cites GB/T 16706-1996). 10–29 environmental quality, 30–49 pollution
# sources, 50–69 process (工况), 91–99 system interaction, A0–Z9 extensions.
SYSTEM_CODES: Final = MappingProxyType(
    {
        "21": CodeName("地表水质量监测", "surface water quality"),
        "22": CodeName("空气质量监测", "ambient air quality"),
        "23": CodeName("声环境质量监测", "acoustic environment quality"),
        "24": CodeName("地下水质量监测", "groundwater quality"),
        "25": CodeName("土壤质量监测", "soil quality"),
        "26": CodeName("海水质量监测", "seawater quality"),
        "27": CodeName("挥发性有机物监测", "volatile organic compounds"),
        "31": CodeName("大气环境污染源", "air pollution source"),
        "32": CodeName("地表水体环境污染源", "surface-water pollution source"),
        "33": CodeName("地下水体环境污染源", "groundwater pollution source"),
        "34": CodeName("海洋环境污染源", "marine pollution source"),
        "35": CodeName("土壤环境污染源", "soil pollution source"),
        "36": CodeName("声环境污染源", "noise source"),
        "37": CodeName("振动环境污染源", "vibration source"),
        "38": CodeName("放射性环境污染源", "radioactive source"),
        "39": CodeName("工地扬尘污染源", "construction-site dust source"),
        "41": CodeName("电磁环境污染源", "electromagnetic source"),
        "51": CodeName("烟气排放过程监控", "flue-gas emission process monitoring"),
        "52": CodeName("污水排放过程监控", "wastewater discharge process monitoring"),
        "91": CodeName("系统交互", "system interaction"),
    }
)


class CommandKind(StrEnum):
    """The four command types of §6.6.5.1 (请求/上传/通知/交互命令)."""

    REQUEST = "request"  # 请求命令
    UPLOAD = "upload"  # 上传命令
    NOTICE = "notice"  # 通知命令
    INTERACTION = "interaction"  # 交互命令


@dataclass(frozen=True, slots=True)
class Command:
    """One row of §6.6.5.2 Table 9 命令编码表; ``editions``: the protocol years defining it."""

    name: CodeName
    kinds: tuple[CommandKind, ...]
    editions: tuple[int, ...] = (2017,)


_R, _U, _N, _I = (
    CommandKind.REQUEST,
    CommandKind.UPLOAD,
    CommandKind.NOTICE,
    CommandKind.INTERACTION,
)
_LEGACY = (2005,)
_PROVISIONAL_2025 = (2025,)

# §6.6.5.2 Table 9, plus the HJ/T 212-2005 commands dropped in 2017 (STANDARDS.md F.7 [2]) and the
# HJ 212-2025 additions known from caoyiliang/HJ212 (F.7 [1], not checked against the 2025 text).
COMMAND_CODES: Final = MappingProxyType(
    {
        "1000": Command(CodeName("设置超时时间及重发次数", "set timeout and retry count"), (_R,)),
        "1001": Command(CodeName("设置超限报警时间", "set over-limit alarm time"), (_R,), _LEGACY),
        "1011": Command(CodeName("提取/上传现场机时间", "get/upload site time"), (_R, _U)),
        "1012": Command(CodeName("设置现场机时间", "set site time"), (_R,)),
        "1013": Command(CodeName("现场机时间校准请求", "site time-calibration request"), (_N,)),
        "1014": Command(
            CodeName("获取/下发新密钥", "get/issue new secret key"), (_R,), _PROVISIONAL_2025
        ),
        "1021": Command(
            CodeName("提取污染物报警门限值", "get alarm thresholds"), (_R, _U), _LEGACY
        ),
        "1022": Command(CodeName("设置污染物报警门限值", "set alarm thresholds"), (_R,), _LEGACY),
        "1031": Command(CodeName("提取上位机地址", "get host address"), (_R, _U), _LEGACY),
        "1032": Command(CodeName("设置上位机地址", "set host address"), (_R,), _LEGACY),
        "1041": Command(CodeName("提取数据上报时间", "get data report time"), (_R, _U), _LEGACY),
        "1042": Command(CodeName("设置数据上报时间", "set data report time"), (_R,), _LEGACY),
        "1061": Command(
            CodeName("提取/上传实时数据间隔", "get/upload real-time interval"), (_R, _U)
        ),
        "1062": Command(CodeName("设置实时数据间隔", "set real-time data interval"), (_R,)),
        "1063": Command(CodeName("提取/上传分钟数据间隔", "get/upload minute interval"), (_R, _U)),
        "1064": Command(CodeName("设置分钟数据间隔", "set minute-data interval"), (_R,)),
        "1072": Command(CodeName("设置现场机密码", "set site password"), (_R,)),
        "2011": Command(CodeName("取/上传污染物实时数据", "real-time data"), (_R, _U)),
        "2012": Command(CodeName("停止察看污染物实时数据", "stop real-time data"), (_N,)),
        "2021": Command(CodeName("取/上传设备运行状态数据", "equipment running status"), (_R, _U)),
        "2022": Command(CodeName("停止察看设备运行状态", "stop equipment running status"), (_N,)),
        "2031": Command(CodeName("取/上传污染物日历史数据", "daily history data"), (_R, _U)),
        "2041": Command(CodeName("取/上传设备运行时间日历史数据", "daily running time"), (_R, _U)),
        "2051": Command(CodeName("取/上传污染物分钟数据", "minute data"), (_R, _U)),
        "2061": Command(CodeName("取/上传污染物小时数据", "hourly data"), (_R, _U)),
        "2071": Command(CodeName("取污染物报警记录", "alarm records"), (_R, _U), _LEGACY),
        "2072": Command(CodeName("上传污染物报警事件", "alarm event upload"), (_U,), _LEGACY),
        "2081": Command(CodeName("上传数采仪开机时间", "data-logger power-on time"), (_U,)),
        "3011": Command(CodeName("零点校准量程校准", "zero/span calibration"), (_R,)),
        "3012": Command(CodeName("即时采样", "immediate sampling"), (_R,)),
        "3013": Command(CodeName("启动清洗/反吹", "start cleaning/back-blowing"), (_R,)),
        "3014": Command(CodeName("比对采样", "comparison sampling"), (_R,)),
        "3015": Command(CodeName("超标留样", "over-limit sample retention"), (_R, _U)),
        "3016": Command(CodeName("设置采样时间周期", "set sampling period"), (_R,)),
        "3017": Command(CodeName("提取采样时间周期", "get sampling period"), (_R, _U)),
        "3018": Command(CodeName("提取出样时间", "get sample-output time"), (_R, _U)),
        "3019": Command(CodeName("提取/上传设备唯一标识", "instrument unique id (SN)"), (_R, _U)),
        "3020": Command(CodeName("提取/上传现场机信息", "site information"), (_R, _U)),
        "3021": Command(CodeName("设置现场机参数", "set site parameters"), (_R,)),
        "9011": Command(CodeName("请求应答", "request answer (QnRtn)"), (_I,)),
        "9012": Command(CodeName("执行结果", "execution result (ExeRtn)"), (_I,)),
        "9013": Command(CodeName("通知应答", "notice answer"), (_I,)),
        "9014": Command(CodeName("数据应答", "data answer"), (_I,)),
        "9015": Command(CodeName("心跳", "heartbeat"), (_I,), _PROVISIONAL_2025),
    }
)

# §6.6.2 Table 6 执行结果定义表 (ExeRtn), extensible.
EXE_RTN: Final = MappingProxyType(
    {
        1: CodeName("执行成功", "success"),
        2: CodeName("执行失败，但不知道原因", "failed, reason unknown"),
        3: CodeName("命令请求条件错误", "command-condition error"),
        4: CodeName("通讯超时", "communication timeout"),
        5: CodeName("系统繁忙不能执行", "system busy"),
        6: CodeName("系统故障", "system fault"),
        100: CodeName("没有数据", "no data"),
    }
)

# §6.6.3 Table 7 请求命令返回表 (QnRtn), extensible.
QN_RTN: Final = MappingProxyType(
    {
        1: CodeName("准备执行请求", "ready to execute"),
        2: CodeName("请求被拒绝", "refused"),
        3: CodeName("PW 错误", "PW error"),
        4: CodeName("MN 错误", "MN error"),
        5: CodeName("ST 错误", "ST error"),
        6: CodeName("Flag 错误", "Flag error"),
        7: CodeName("QN 错误", "QN error"),
        8: CodeName("CN 错误", "CN error"),
        9: CodeName("CRC 校验错误", "CRC error"),
        100: CodeName("未知错误", "unknown error"),
    }
)

# §6.6.4 Table 8 数据标记表. Note T means above the instrument's *measuring range*, not a limit.
DATA_FLAGS_2017: Final = MappingProxyType(
    {
        "N": CodeName("在线监控（监测）仪器仪表工作正常", "instrument normal"),
        "F": CodeName("在线监控（监测）仪器仪表停运", "instrument stopped"),
        "M": CodeName("在线监控（监测）仪器仪表处于维护期间产生的数据", "maintenance"),
        "S": CodeName("手工输入的设定值", "manually entered set value"),
        "D": CodeName("在线监控（监测）仪器仪表故障", "instrument fault"),
        "C": CodeName("在线监控（监测）仪器仪表处于校准状态", "calibrating"),
        "T": CodeName("在线监控（监测）仪器仪表采样数值超过测量上限", "above measuring range"),
        "B": CodeName("在线监控（监测）仪器仪表与数采仪通讯异常", "communication error"),
    }
)

# HJ/T 212-2005 data flags (STANDARDS.md F.9 [2]): no B; P power failure; F means the *source*
# stopped; 0–3 on 2005-era ambient-air stations.
DATA_FLAGS_2005: Final = MappingProxyType(
    {
        "N": CodeName("正常", "normal"),
        "F": CodeName("排放源停运", "emission source stopped"),
        "M": CodeName("维护", "maintenance"),
        "S": CodeName("设定值", "set value"),
        "D": CodeName("故障", "fault"),
        "C": CodeName("校验", "calibration"),
        "T": CodeName("超测上限", "above measuring upper limit"),
        "P": CodeName("电源故障", "power failure"),
        "0": CodeName("校准数据", "calibration data (air stations)"),
        "1": CodeName("气象参数", "meteorological parameter (air stations)"),
        "2": CodeName("异常数据", "abnormal data (air stations)"),
        "3": CodeName("正常数据", "normal data (air stations)"),
    }
)


class ValueKind(StrEnum):
    """How a CP field's value is written (§6.3.3.2.2 data types, Table 4 width column)."""

    NUMBER = "number"  # N14.2 style: optional sign, digits, optional point and digits
    INTEGER = "integer"  # Nn: digits only
    TIMESTAMP = "timestamp"  # N14 YYYYMMDDhhmmss
    CLOCK = "clock"  # N6 hhmmss
    DATA_FLAG = "data-flag"  # C1 from Table 8
    EXT_FLAG = "ext-flag"  # C4 device-defined
    CODE = "code"  # C6 factor / information code
    SERIAL = "serial"  # C24 EPC-96 as 24 hex characters
    PASSWORD = "password"  # C6 0-9/a-z/A-Z
    TEXT = "text"  # free text (site information, logs between //…//, UTF-8)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field of §6.3.3.2.3 Table 4: meaning, value kind and the closed range it allows, if any.

    ``low``/``high`` bound numeric values (``low_open`` makes the lower bound exclusive, as in
    "0<n≤99"); ``allowed`` lists the only permitted values (MinInterval).
    """

    name: CodeName
    kind: ValueKind
    low: int | None = None
    high: int | None = None
    low_open: bool = False
    allowed: frozenset[int] | None = None


_K = ValueKind

# Table 4, fields written as ``xxxxxx-Suffix`` (xxxxxx = factor, equipment or information code).
FIELD_SUFFIXES: Final = MappingProxyType(
    {
        "Rtd": FieldSpec(CodeName("污染物实时采样数据", "real-time value"), _K.NUMBER),
        "Min": FieldSpec(
            CodeName("污染物指定时间内最小值", "minimum over the interval"), _K.NUMBER
        ),
        "Avg": FieldSpec(CodeName("污染物指定时间内平均值", "mean over the interval"), _K.NUMBER),
        "Max": FieldSpec(
            CodeName("污染物指定时间内最大值", "maximum over the interval"), _K.NUMBER
        ),
        "ZsRtd": FieldSpec(
            CodeName("污染物实时采样折算数据", "converted real-time value"), _K.NUMBER
        ),
        "ZsMin": FieldSpec(CodeName("污染物指定时间内最小折算值", "converted minimum"), _K.NUMBER),
        "ZsAvg": FieldSpec(CodeName("污染物指定时间内平均折算值", "converted mean"), _K.NUMBER),
        "ZsMax": FieldSpec(CodeName("污染物指定时间内最大折算值", "converted maximum"), _K.NUMBER),
        "Cou": FieldSpec(CodeName("污染物指定时间内累计值", "cumulative value"), _K.NUMBER),
        "Flag": FieldSpec(CodeName("监测仪器数据标记", "data flag"), _K.DATA_FLAG),
        "EFlag": FieldSpec(CodeName("监测仪器扩充数据标记", "extended data flag"), _K.EXT_FLAG),
        "SampleTime": FieldSpec(CodeName("污染物采样时间", "sampling time"), _K.TIMESTAMP),
        "RS": FieldSpec(
            CodeName("污染治理设施运行状态", "treatment-unit status"), _K.INTEGER, 0, 9
        ),
        "RT": FieldSpec(
            CodeName("污染治理设施一日内的运行时间", "daily running hours"), _K.NUMBER, 0, 24
        ),
        "Data": FieldSpec(CodeName("噪声监测时间段内数据", "noise value"), _K.NUMBER),
        "DayData": FieldSpec(CodeName("噪声昼间数据", "daytime noise value"), _K.NUMBER),
        "NightData": FieldSpec(CodeName("噪声夜间数据", "night-time noise value"), _K.NUMBER),
        "Info": FieldSpec(CodeName("现场端信息", "site information"), _K.TEXT),
        "SN": FieldSpec(
            CodeName("在线监控（监测）仪器仪表编码", "instrument unique id"), _K.SERIAL
        ),
    }
)

# Table 4, fields written on their own (case-sensitive: ``Ctime``, not ``CTime``).
PLAIN_FIELDS: Final = MappingProxyType(
    {
        "SystemTime": FieldSpec(CodeName("系统时间", "system time"), _K.TIMESTAMP),
        "QnRtn": FieldSpec(CodeName("请求回应代码", "request return code"), _K.INTEGER, 0, 999),
        "ExeRtn": FieldSpec(
            CodeName("执行结果回应代码", "execution return code"), _K.INTEGER, 0, 999
        ),
        "RtdInterval": FieldSpec(
            CodeName("实时采样数据上报间隔", "real-time interval [s]"), _K.INTEGER, 30, 3600
        ),
        "MinInterval": FieldSpec(
            CodeName("分钟数据上报间隔", "minute-data interval [min]"),
            _K.INTEGER,
            allowed=frozenset({1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30}),
        ),
        "RestartTime": FieldSpec(
            CodeName("数采仪开机时间", "data-logger power-on time"), _K.TIMESTAMP
        ),
        "PolId": FieldSpec(CodeName("污染因子的编码", "pollutant code"), _K.CODE),
        "BeginTime": FieldSpec(CodeName("开始时间", "begin time"), _K.TIMESTAMP),
        "EndTime": FieldSpec(CodeName("截止时间", "end time"), _K.TIMESTAMP),
        "DataTime": FieldSpec(CodeName("数据时间信息", "data time"), _K.TIMESTAMP),
        "NewPW": FieldSpec(CodeName("新密码", "new password"), _K.PASSWORD),
        "OverTime": FieldSpec(
            CodeName("超时时间", "timeout [s]"), _K.INTEGER, 0, 99, low_open=True
        ),
        "ReCount": FieldSpec(CodeName("重发次数", "retry count"), _K.INTEGER, 0, 99, low_open=True),
        "VaseNo": FieldSpec(
            CodeName("采样瓶编号", "sample bottle number"), _K.INTEGER, 0, 99, low_open=True
        ),
        "CstartTime": FieldSpec(CodeName("设备采样起始时间", "sampling start clock"), _K.CLOCK),
        "Ctime": FieldSpec(
            CodeName("采样周期", "sampling period [h]"), _K.INTEGER, 0, 24, low_open=True
        ),
        "Stime": FieldSpec(
            CodeName("出样时间", "sample-output time [min]"), _K.INTEGER, 0, 120, low_open=True
        ),
        "InfoId": FieldSpec(CodeName("现场端信息编码", "site information code"), _K.CODE),
    }
)


@dataclass(frozen=True, slots=True)
class Factor:
    """One row of Appendix B Table B.1/B.2/B.3: code, names, 2005 code and default units as printed.

    ``concentration_unit`` and ``emission_unit`` are the standard's unit text (缺省计量单位);
    :data:`UNIT_SYMBOLS` gives their symbols. ``data_type`` is the default type, e.g. ``N5.1``.
    """

    code: str
    name: CodeName
    code_2005: str | None
    concentration_unit: str
    emission_unit: str | None
    data_type: str | None
    table: str


def _factor_table(table: str, rows: str) -> MappingProxyType[str, Factor]:
    """Parse ``code|中文名|English|2005 code|unit|emission unit|type`` rows into :class:`Factor`."""
    factors: dict[str, Factor] = {}
    for row in rows.strip().splitlines():
        code, zh, en, old, unit, emission, data_type = row.split("|")
        factors[code] = Factor(
            code=code,
            name=CodeName(zh, en),
            code_2005=old or None,
            concentration_unit=unit,
            emission_unit=emission or None,
            data_type=data_type or None,
            table=table,
        )
    return MappingProxyType(factors)


# Appendix B Table B.1 水监测因子编码表 (cites HJ 525-2009).
WATER_FACTORS: Final = _factor_table(
    "B.1",
    """
w00000|污水|wastewater flow|B01|升/秒|立方米|N5.2
w01001|pH 值|pH|001|无量纲||N2.2
w01002|色度|colour|002|[色]度||N3.2
w01006|溶解性总固体|total dissolved solids||毫克/升|千克|N4
w01009|溶解氧|dissolved oxygen||毫克/升||N3.1
w01010|水温|water temperature||摄氏度||N3.1
w01012|悬浮物|suspended solids|003|毫克/升|千克|N4
w01014|电导率|conductivity||微西[门子]/厘米||N3.1
w01017|五日生化需氧量|BOD5|010|毫克/升|千克|N5.1
w01018|化学需氧量|COD|011|毫克/升|千克|N5.1
w01019|高锰酸盐指数|permanganate index (CODMn)||毫克/升|千克|N3.1
w01020|总有机碳|total organic carbon|015|毫克/升|千克|N3.1
w02003|粪大肠菌群|faecal coliforms|550|个/升||N9
w02006|细菌总数|total bacteria||个/升||N9
w03001|总α放射性|gross alpha radioactivity|570|贝可[勒尔]/升||N3.1
w03002|总β放射性|gross beta radioactivity|571|贝可[勒尔]/升||N3.1
w19001|表面活性剂|surfactants||毫克/升|千克|N3.2
w19002|阴离子表面活性剂|anionic surfactants (LAS)|520|毫克/升|千克|N3.2
w20012|钡|barium|039|毫克/升|千克|N3.3
w20023|硼|boron|037|毫克/升|千克|N3.3
w20038|钴|cobalt|040|毫克/升|千克|N3.4
w20061|钼|molybdenum|038|毫克/升|千克|N3.4
w20089|铊|thallium|041|纳克/升|毫克|N4
w20092|锡|tin|036|毫克/升|千克|N3.1
w20111|总汞|total mercury|020|微克/升|克|N3.2
w20113|烷基汞|alkyl mercury|021|纳克/升|毫克|N4
w20115|总镉|total cadmium|022|微克/升|克|N3.1
w20116|总铬|total chromium|023|毫克/升|千克|N3.3
w20117|六价铬|hexavalent chromium|024|微克/升|克|N2.3
w20119|总砷|total arsenic|026|微克/升|克|N2.3
w20120|总铅|total lead|027|微克/升|克|N4
w20121|总镍|total nickel|028|毫克/升|千克|N3.2
w20122|总铜|total copper|029|毫克/升|千克|N3.2
w20123|总锌|total zinc|030|毫克/升|千克|N3.3
w20124|总锰|total manganese|031|毫克/升|千克|N3.3
w20125|总铁|total iron|032|毫克/升|千克|N3.3
w20126|总银|total silver|033|毫克/升|千克|N3.3
w20127|总铍|total beryllium|034|微克/升|克|N3.3
w20128|总硒|total selenium|035|微克/升|克|N4.2
w20138|铜|copper||毫克/升|千克|N3.3
w20139|锌|zinc||毫克/升|千克|N3.3
w20140|硒|selenium||毫克/升|千克|N3.3
w20141|砷|arsenic||毫克/升|千克|N3.3
w20142|汞|mercury||微克/升|克|N3.3
w20143|镉|cadmium||微克/升|克|N3.3
w20144|铅|lead||毫克/升|千克|N3.3
w21001|总氮|total nitrogen|065|毫克/升|千克|N4.2
w21003|氨氮|ammonia nitrogen|060|毫克/升|千克|N4.2
w21004|凯氏氮|Kjeldahl nitrogen|062|毫克/升|千克|N3.1
w21006|亚硝酸盐|nitrite|063|毫克/升|千克|N2.3
w21007|硝酸盐|nitrate|064|毫克/升|千克|N2.3
w21011|总磷|total phosphorus|101|毫克/升|千克|N3.2
w21016|氰化物|cyanide|070|毫克/升|千克|N3.3
w21017|氟化物|fluoride|072|毫克/升|千克|N4.2
w21019|硫化物|sulfide|071|毫克/升|千克|N3.3
w21022|氯化物|chloride|090|毫克/升|千克|N3.1
w21038|硫酸盐|sulfate||毫克/升|千克|N6
w22001|石油类|petroleum|080|毫克/升|千克|N3.2
w23002|挥发酚|volatile phenols|110|毫克/升|千克|N3.4
w25043|苯并[α]芘|benzo[a]pyrene|540|微克/升|克|N3.1
w33001|六六六|hexachlorocyclohexane (BHC)|350|纳克/升|毫克|N4
w33007|滴滴涕|DDT|351|纳克/升|毫克|N4
w99001|有机氮|organic nitrogen|061|毫克/升|千克|N3.1
""",
)

# Appendix B Table B.2 气监测因子编码表 (cites HJ 524-2009).
AIR_FACTORS: Final = _factor_table(
    "B.2",
    """
a00000|废气|flue-gas flow|B02|立方米/秒|立方米|N6.1
a01001|温度|temperature||摄氏度||N3.1
a01002|湿度|humidity||%||N3.1
a01006|气压|air pressure||千帕||N5.3
a01007|风速|wind speed||米/秒||N4.1
a01008|风向|wind direction||[角]度||N4
a01010|林格曼黑度|Ringelmann blackness|37|无量纲||N1
a01011|烟气流速|flue-gas velocity|S02|米/秒||N5.2
a01012|烟气温度|flue-gas temperature|S03|摄氏度||N3.1
a01013|烟气压力|flue-gas pressure|S08|千帕||N5.3
a01014|烟气湿度|flue-gas humidity|S05|%||N3.1
a01015|制冷温度|cooling temperature|S06|摄氏度||N3.1
a01016|烟道截面积|flue cross-section area|S07|平方米||N4.2
a01017|烟气动压|flue-gas dynamic pressure|S04|千帕||N5.3
a01901|垃圾焚烧炉膛内焚烧平均温度|incinerator furnace mean temperature||摄氏度||N4.1
a01902|垃圾焚烧炉膛内DCS温度|incinerator furnace DCS temperature||摄氏度||N4.1
a05001|二氧化碳|carbon dioxide|30|毫克/立方米|千克|N3.3
a05002|甲烷|methane||纳克/立方米|克|N4.1
a05008|三氯一氟甲烷|trichlorofluoromethane||毫克/立方米|千克|N7.3
a05009|二氯二氟甲烷|dichlorodifluoromethane||毫克/立方米|千克|N7.3
a05013|三氯三氟乙烷|trichlorotrifluoroethane||毫克/立方米|千克|N7.3
a19001|氧气含量|oxygen content|S01|%||N3.1
a20007|砷|arsenic||纳克/立方米|克|N1.6
a20016|铍及其化合物|beryllium and compounds|36|毫克/立方米|千克|N4.4
a20025|镉及其化合物|cadmium and compounds|33|毫克/立方米|千克|N3.4
a20026|镉|cadmium||纳克/立方米|克|N3.3
a20043|铅及其化合物|lead and compounds|32|毫克/立方米|千克|N2.4
a20044|铅|lead||纳克/立方米|克|N3.3
a20057|汞及其化合物|mercury and compounds|31|毫克/立方米|千克|N4.4
a20058|汞|mercury||纳克/立方米|克|N3.2
a20063|镍及其化合物|nickel and compounds|35|毫克/立方米|千克|N3.3
a20091|锡及其化合物|tin and compounds|34|毫克/立方米|千克|N4.3
a21001|氨（氨气）|ammonia|10|纳克/立方米|克|N4.3
a21002|氮氧化物|nitrogen oxides|03|毫克/立方米|千克|N5.1
a21003|一氧化氮|nitric oxide||毫克/立方米|千克|N4.1
a21004|二氧化氮|nitrogen dioxide||毫克/立方米|千克|N4.1
a21005|一氧化碳|carbon monoxide|04|毫克/立方米|千克|N3.3
a21017|氰化物|cyanide|07|毫克/立方米|千克|N3.3
a21018|氟化物|fluoride|06|毫克/立方米|千克|N2.3
a21022|氯气|chlorine|11|毫克/立方米|千克|N4.3
a21024|氯化氢|hydrogen chloride|08|毫克/立方米|千克|N4.3
a21026|二氧化硫|sulfur dioxide|02|毫克/立方米|千克|N5.2
a21028|硫化氢|hydrogen sulfide|05|毫克/立方米|千克|N3.2
a23001|酚类|phenols|27|毫克/立方米|千克|N3.3
a24003|二氯甲烷|dichloromethane||毫克/立方米|千克|N7.3
a24004|三氯甲烷|trichloromethane||毫克/立方米|千克|N7.3
a24005|四氯甲烷|tetrachloromethane||毫克/立方米|千克|N7.3
a24006|二溴一氯甲烷|dibromochloromethane||毫克/立方米|千克|N7.3
a24007|一溴二氯甲烷|bromodichloromethane||毫克/立方米|千克|N7.3
a24008|溴甲烷|bromomethane||毫克/立方米|千克|N7.3
a24009|三溴甲烷|tribromomethane||毫克/立方米|千克|N7.3
a24015|氯乙烷|chloroethane||毫克/立方米|千克|N7.3
a24016|1,1-二氯乙烷|1,1-dichloroethane||毫克/立方米|千克|N7.3
a24017|1,2-二氯乙烷|1,2-dichloroethane||毫克/立方米|千克|N7.3
a24018|1,1,1-三氯乙烷|1,1,1-trichloroethane||毫克/立方米|千克|N7.3
a24019|1,1,2-三氯乙烷|1,1,2-trichloroethane||毫克/立方米|千克|N7.3
a24020|1,1,2,2-四氯乙烷|1,1,2,2-tetrachloroethane||毫克/立方米|千克|N7.3
a24027|1,2-二氯丙烷|1,2-dichloropropane||毫克/立方米|千克|N7.3
a24034|1,2-二溴乙烷|1,2-dibromoethane||毫克/立方米|千克|N7.3
a24036|环己烷|cyclohexane||毫克/立方米|千克|N7.3
a24042|正己烷|n-hexane||毫克/立方米|千克|N7.3
a24043|正庚烷|n-heptane||毫克/立方米|千克|N7.3
a24046|氯乙烯|vinyl chloride|29|毫克/立方米|千克|N4.3
a24047|1,1-二氯乙烯|1,1-dichloroethene||毫克/立方米|千克|N7.3
a24049|三氯乙烯|trichloroethene||毫克/立方米|千克|N7.3
a24050|四氯乙烯|tetrachloroethene||毫克/立方米|千克|N7.3
a24053|丙烯|propene||毫克/立方米|千克|N7.3
a24054|1,3-二氯丙烯|1,3-dichloropropene||毫克/立方米|千克|N7.3
a24072|1,4-二恶烷|1,4-dioxane||毫克/立方米|千克|N7.3
a24078|1,3-丁二烯|1,3-butadiene||毫克/立方米|千克|N7.3
a24087|碳氢化合物|hydrocarbons|25|毫克/立方米|千克|N5.2
a24088|非甲烷总烃|non-methane hydrocarbons||毫克/立方米|千克|N7.3
a24099|氯甲烷|chloromethane||毫克/立方米|千克|N7.3
a24110|反式-1,2-二氯乙烯|trans-1,2-dichloroethene||毫克/立方米|千克|N7.3
a24111|顺式-1,2-二氯乙烯|cis-1,2-dichloroethene||毫克/立方米|千克|N7.3
a24112|反式-1,3-二氯丙烯|trans-1,3-dichloropropene||毫克/立方米|千克|N7.3
a24113|六氯-1,3-丁二烯|hexachloro-1,3-butadiene||毫克/立方米|千克|N7.3
a25002|苯|benzene||毫克/立方米|千克|N7.3
a25003|甲苯|toluene|17|毫克/立方米|千克|N4.2
a25004|乙苯|ethylbenzene||毫克/立方米|千克|N7.3
a25005|二甲苯|xylene|18|毫克/立方米|千克|N4.2
a25006|1,2-二甲基苯|1,2-dimethylbenzene||毫克/立方米|千克|N7.3
a25007|1,3-二甲基苯|1,3-dimethylbenzene||毫克/立方米|千克|N7.3
a25008|1,4-二甲基苯|1,4-dimethylbenzene||毫克/立方米|千克|N7.3
a25010|氯苯|chlorobenzene|23|毫克/立方米|千克|N4.3
a25011|1,2-二氯苯|1,2-dichlorobenzene||毫克/立方米|千克|N7.3
a25012|1,3-二氯苯|1,3-dichlorobenzene||毫克/立方米|千克|N7.3
a25013|1,4-二氯苯|1,4-dichlorobenzene||毫克/立方米|千克|N7.3
a25014|1-乙基-4-甲基苯|1-ethyl-4-methylbenzene||毫克/立方米|千克|N7.3
a25015|1,2,4-三氯苯|1,2,4-trichlorobenzene||毫克/立方米|千克|N7.3
a25019|1,2,4-三甲基苯|1,2,4-trimethylbenzene||毫克/立方米|千克|N7.3
a25020|1,2,3-三甲基苯|1,2,3-trimethylbenzene||毫克/立方米|千克|N7.3
a25021|1,3,5-三甲基苯|1,3,5-trimethylbenzene||毫克/立方米|千克|N7.3
a25023|硝基苯|nitrobenzene|22|毫克/立方米|千克|N3.4
a25038|乙烯基苯|styrene||毫克/立方米|千克|N7.3
a25044|苯并[a]芘|benzo[a]pyrene|20|毫克/立方米|千克|N4.3
a25072|四氢呋喃|tetrahydrofuran||毫克/立方米|千克|N7.3
a26001|苯胺类|anilines|21|毫克/立方米|千克|N4.3
a29017|乙酸乙酯|ethyl acetate||毫克/立方米|千克|N7.3
a29026|乙酸乙烯酯|vinyl acetate||毫克/立方米|千克|N7.3
a30001|甲醇|methanol|28|毫克/立方米|千克|N4.3
a30008|异丙醇|isopropanol||毫克/立方米|千克|N7.3
a30022|硫醇|mercaptans|13|毫克/立方米|千克|N4.3
a31001|甲醛|formaldehyde|19|毫克/立方米|千克|N3.3
a31002|乙醛|acetaldehyde|26|毫克/立方米|千克|N3.4
a31024|丙酮|acetone||毫克/立方米|千克|N7.3
a31025|2-丁酮|2-butanone||毫克/立方米|千克|N7.3
a31030|甲基异丁基甲酮|methyl isobutyl ketone||毫克/立方米|千克|N7.3
a34001|总悬浮颗粒物 TSP|total suspended particulates (TSP)||纳克/立方米|克|N4.3
a34002|可吸入颗粒物PM10|PM10||纳克/立方米|克|N3.3
a34004|细微颗粒物 PM2.5|PM2.5||纳克/立方米|克|N3.3
a34005|亚微米颗粒物PM1.0|PM1.0||纳克/立方米|克|N3.3
a34011|降尘|dustfall||吨/平方千米•月||
a34013|烟尘|smoke and dust (particulates)|01|毫克/立方米|千克|N4
a34017|炭黑尘|carbon black dust||毫克/立方米|千克|N4
a34038|沥青烟|asphalt fume|09|毫克/立方米|千克|N4.3
a34039|硫酸雾|sulfuric acid mist|14|毫克/立方米|千克|N4.3
a34040|铬酸雾|chromic acid mist|15|毫克/立方米|千克|N2.3
a99010|丙烯腈|acrylonitrile||毫克/立方米|千克|N7.3
a99049|光气|phosgene|24|毫克/立方米|千克|N3.3
a99051|二硫化碳|carbon disulfide|12|毫克/立方米|千克|N4.3
""",
)

# Appendix B Table B.3 声环境监测因子编码表 (items of GB 3096-2008).
NOISE_FACTORS: Final = _factor_table(
    "B.3",
    """
LA|A 权声级|A-weighted sound level||分贝||N3.1
L5|累计百分声级 L5|percentile level L5||分贝||N3.1
L10|累计百分声级 L10|percentile level L10||分贝||N3.1
L50|累计百分声级 L50|percentile level L50||分贝||N3.1
L90|累计百分声级 L90|percentile level L90||分贝||N3.1
L95|累计百分声级 L95|percentile level L95||分贝||N3.1
Ldn|昼夜等效声级|day-night equivalent level||分贝||N3.1
Ld|昼间等效声级|daytime equivalent level||分贝||N3.1
Ln|夜间等效声级|night-time equivalent level||分贝||N3.1
LMx|最大的瞬时声级|maximum instantaneous level||分贝||N3.1
LMn|最小的瞬时声级|minimum instantaneous level||分贝||N3.1
""",
)

# Codes used in the field but absent from Appendix B (open question 13): ambient ozone has the
# HJ 524-2009 code a05024 and no row in Table B.2.
SUPPLEMENTARY_FACTORS: Final = _factor_table(
    "HJ 524-2009",
    """
a05024|臭氧|ozone||微克/立方米||
""",
)

FACTORS: Final = MappingProxyType(
    {**WATER_FACTORS, **AIR_FACTORS, **NOISE_FACTORS, **SUPPLEMENTARY_FACTORS}
)

# Non-standard codes seen from real devices → the code they mean (guocay test data sends ``O3``).
CODE_ALIASES: Final = MappingProxyType({"O3": "a05024"})

# Symbols of the Chinese unit text printed in Appendix B.
UNIT_SYMBOLS: Final = MappingProxyType(
    {
        "升/秒": "L/s",
        "立方米": "m³",
        "立方米/秒": "m³/s",
        "无量纲": "1",
        "[色]度": "degree (colour)",
        "毫克/升": "mg/L",
        "微克/升": "µg/L",
        "纳克/升": "ng/L",
        "千克": "kg",
        "克": "g",
        "毫克": "mg",
        "摄氏度": "°C",
        "微西[门子]/厘米": "µS/cm",
        "个/升": "count/L",
        "贝可[勒尔]/升": "Bq/L",
        "%": "%",
        "千帕": "kPa",
        "米/秒": "m/s",
        "[角]度": "°",
        "平方米": "m²",
        "毫克/立方米": "mg/m³",
        "微克/立方米": "µg/m³",
        "纳克/立方米": "ng/m³",
        "吨/平方千米•月": "t/(km²·month)",
        "分贝": "dB",
    }
)

# Default units printed in Table B.2 that contradict monitoring practice (open question 13): code →
# the unit devices and networks actually use. Applied only through a device profile's override.
UNIT_ANOMALIES: Final = MappingProxyType(
    {
        "a34001": "µg/m³",
        "a34002": "µg/m³",
        "a34004": "µg/m³",
        "a34005": "µg/m³",
        "a21001": "mg/m³",
        "a05002": "mg/m³",
    }
)

_TO_2017: Final = MappingProxyType(
    {f.code_2005: f.code for f in FACTORS.values() if f.code_2005 is not None}
)


def lookup_factor(code: str) -> Factor | None:
    """The Appendix B row of a 2017 factor code, following :data:`CODE_ALIASES` (``O3``)."""
    return FACTORS.get(CODE_ALIASES.get(code, code))


def factor_label(code: str) -> str:
    """A factor code as people read it: ``化学需氧量(w01018)`` (the code alone when unknown)."""
    factor = lookup_factor(code)
    return f"{factor.name.zh}({code})" if factor else code


def code_2005_to_2017(code: str) -> str | None:
    """The 2017 code of an HJ/T 212-2005 code (Appendix B 原编码 column): ``011`` → ``w01018``.

    Water codes of 2005 have three characters (``011``, ``B01``) and air codes two or three (``02``,
    ``S01``, ``B02``), so one table serves both media without clashes.
    """
    return _TO_2017.get(code)


def code_2017_to_2005(code: str) -> str | None:
    """The HJ/T 212-2005 code of an HJ 212-2017 factor code, when Appendix B lists one."""
    factor = FACTORS.get(code)
    return None if factor is None else factor.code_2005
