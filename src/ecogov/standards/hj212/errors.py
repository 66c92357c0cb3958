"""Structured rule violations and the codec's single exception hierarchy (HJ 212-2017 §6.3).

Every problem the codec finds is a :class:`Violation`: a stable machine code, an English message
with the particulars (values quoted as found) and, where known, the byte offset in the input at
which it was found. Each code has a Chinese name and a Chinese statement of the rule it checks
(:data:`VIOLATION_TEXTS`, citing the clause of HJ 212-2017), so every violation reads Chinese
first, the English particulars second (:attr:`Violation.text`), whichever codec kernel found it.
Strict parsing raises one :class:`HJ212Error` subclass carrying *all* violations of the packet;
tolerant parsing returns them with the packet. Nothing else ever escapes the codec: any input
(bytes or text, empty, huge, not UTF-8, not even a string) ends in a packet or in an
:class:`HJ212Error`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from ecogov.standards.hj212.packet import DataSegment

__all__ = [
    "VIOLATION_TEXTS",
    "BuildError",
    "CRCError",
    "EncodingError",
    "FramingError",
    "HJ212Error",
    "ReassemblyError",
    "SegmentError",
    "Violation",
    "ViolationCode",
    "ViolationText",
    "error_for",
]


class ViolationCode(StrEnum):
    """Stable identifiers of the rules checked, grouped by clause (§6.3.1, §6.3.2, §6.3.3, §6.6)."""

    # Input and encoding — §6.3 ("ASCII, Chinese characters in UTF-8").
    INPUT_TYPE = "input-type"
    ENCODING = "encoding"
    NON_ASCII = "non-ascii"
    INTERNAL = "internal"
    # Framing — §6.3.1 Table 2.
    FRAME_EMPTY = "frame-empty"
    FRAME_HEADER = "frame-header"
    FRAME_GARBAGE = "frame-garbage"
    FRAME_LENGTH_FORMAT = "frame-length-format"
    FRAME_LENGTH_MISMATCH = "frame-length-mismatch"
    FRAME_TOO_LONG = "frame-too-long"
    FRAME_TRUNCATED = "frame-truncated"
    FRAME_TAIL = "frame-tail"
    CRC_FORMAT = "crc-format"
    CRC_MISMATCH = "crc-mismatch"
    # Data segment — §6.3.2 Table 3 and §6.6.
    SEGMENT_SEPARATOR = "segment-separator"
    FIELD_SYNTAX = "field-syntax"
    FIELD_DUPLICATE = "field-duplicate"
    FIELD_MISSING = "field-missing"
    FIELD_UNKNOWN = "field-unknown"
    FIELD_ORDER = "field-order"
    FIELD_WHITESPACE = "field-whitespace"
    QN_FORMAT = "qn-format"
    ST_FORMAT = "st-format"
    CN_FORMAT = "cn-format"
    PW_FORMAT = "pw-format"
    MN_FORMAT = "mn-format"
    FLAG_FORMAT = "flag-format"
    FLAG_VERSION = "flag-version"
    SPLIT_FIELDS = "split-fields"
    # CP data area — §6.3.3 and Table 4.
    CP_MISSING = "cp-missing"
    CP_DELIMITER = "cp-delimiter"
    CP_TOO_LONG = "cp-too-long"
    CP_FIELD_SYNTAX = "cp-field-syntax"
    CP_RECORD = "cp-record"
    CP_FIELD_NAME = "cp-field-name"
    CP_FACTOR_CODE = "cp-factor-code"
    CP_DUPLICATE = "cp-duplicate"
    CP_NUMBER = "cp-number"
    CP_TIME = "cp-time"
    CP_DATA_FLAG = "cp-data-flag"
    CP_VALUE = "cp-value"
    CP_RANGE = "cp-range"
    # Split-packet reassembly — §6.3.2 (PNUM/PNO) and Appendix C.49/C.50.
    SPLIT_TIMEOUT = "split-timeout"
    SPLIT_EVICTED = "split-evicted"
    SPLIT_INCONSISTENT = "split-inconsistent"


class ViolationText(NamedTuple):
    """What users read of a :class:`ViolationCode`: its Chinese and English names and the rule it
    checks, stated in Chinese with the clause of HJ 212-2017 it comes from."""

    name_zh: str
    name_en: str
    rule_zh: str


_T = ViolationText
VIOLATION_TEXTS: Final[dict[ViolationCode, ViolationText]] = {
    ViolationCode.INPUT_TYPE: _T("输入类型错误", "Input type", "输入既不是字节串也不是文本"),
    ViolationCode.ENCODING: _T(
        "编码错误", "Encoding", "报文不是标准允许的编码：ASCII 字符，汉字用 UTF-8（§6.3）"
    ),
    ViolationCode.NON_ASCII: _T(
        "非 ASCII 字符", "Non-ASCII", "除 -Info 信息文本外，字段只能用 ASCII 字符（§6.3）"
    ),
    ViolationCode.INTERNAL: _T("解析内部错误", "Internal error", "解析报文时发生意外错误"),
    ViolationCode.FRAME_EMPTY: _T("空报文", "Empty frame", "收到的报文为空（表 2）"),
    ViolationCode.FRAME_HEADER: _T("包头错误", "Frame header", "报文不以包头 ## 开始（表 2）"),
    ViolationCode.FRAME_GARBAGE: _T(
        "包外多余字节", "Bytes outside a frame", "包头 ## 之前或两包之间有多余字节（表 2）"
    ),
    ViolationCode.FRAME_LENGTH_FORMAT: _T(
        "数据段长度格式错误", "Length field format", "数据段长度应为 4 位十进制数字（表 2）"
    ),
    ViolationCode.FRAME_LENGTH_MISMATCH: _T(
        "数据段长度不符", "Length mismatch", "数据段长度字段与实际数据段长度不一致（表 2）"
    ),
    ViolationCode.FRAME_TOO_LONG: _T(
        "数据段过长", "Frame too long", "数据段超过允许的最大长度（表 2）"
    ),
    ViolationCode.FRAME_TRUNCATED: _T(
        "报文不完整", "Frame truncated", "报文在包尾之前中断（表 2）"
    ),
    ViolationCode.FRAME_TAIL: _T(
        "包尾错误", "Frame tail", "报文不以包尾回车换行 CR LF 结束（表 2）"
    ),
    ViolationCode.CRC_FORMAT: _T(
        "CRC 格式错误", "CRC format", "CRC 校验字段应为 4 位十六进制数字（表 2）"
    ),
    ViolationCode.CRC_MISMATCH: _T(
        "CRC 校验不符", "CRC mismatch", "CRC 校验码与按附录 A 算出的数据段校验值不一致（表 2）"
    ),
    ViolationCode.SEGMENT_SEPARATOR: _T(
        "数据段分隔符错误", "Segment separator", "数据段字段之间应以分号 ; 分隔（表 3）"
    ),
    ViolationCode.FIELD_SYNTAX: _T(
        "数据段字段格式错误", "Field syntax", "数据段字段应为“字段名=值”（表 3）"
    ),
    ViolationCode.FIELD_DUPLICATE: _T(
        "数据段字段重复", "Duplicate field", "同一数据段字段出现多次（表 3）"
    ),
    ViolationCode.FIELD_MISSING: _T(
        "缺少数据段字段", "Missing field", "缺少表 3 规定的数据段字段（表 3）"
    ),
    ViolationCode.FIELD_UNKNOWN: _T(
        "未知数据段字段", "Unknown field", "数据段中有表 3 未定义的字段（表 3）"
    ),
    ViolationCode.FIELD_ORDER: _T(
        "数据段字段顺序错误", "Field order", "数据段字段未按表 3 规定的顺序排列（表 3）"
    ),
    ViolationCode.FIELD_WHITESPACE: _T(
        "字段含多余空格", "Whitespace", "字段名或字段值前后有多余空格（表 3、表 4）"
    ),
    ViolationCode.QN_FORMAT: _T(
        "请求编码 QN 格式错误", "QN format", "请求编码 QN 应为 YYYYMMDDhhmmsszzz（表 3）"
    ),
    ViolationCode.ST_FORMAT: _T(
        "系统编码 ST 格式错误", "ST format", "系统编码 ST 应为两位数字或大写字母（§6.6.1）"
    ),
    ViolationCode.CN_FORMAT: _T(
        "命令编码 CN 格式错误", "CN format", "命令编码 CN 应为 4 位数字的命令（§6.6.5）"
    ),
    ViolationCode.PW_FORMAT: _T(
        "访问密码 PW 格式错误", "PW format", "访问密码 PW 应为 1～6 位字母或数字（表 3）"
    ),
    ViolationCode.MN_FORMAT: _T(
        "设备唯一标识 MN 格式错误", "MN format", "设备唯一标识 MN 不符合规定的格式（表 3）"
    ),
    ViolationCode.FLAG_FORMAT: _T(
        "拆分包及应答标志 Flag 格式错误", "Flag format", "Flag 应为 0～255 的整数（表 3）"
    ),
    ViolationCode.FLAG_VERSION: _T(
        "标准版本号不符", "Flag version", "Flag 中的标准版本号不是本协议配置接受的版本（表 3）"
    ),
    ViolationCode.SPLIT_FIELDS: _T(
        "分包字段错误", "Split fields", "总包数 PNUM、包号 PNO 与 Flag 的拆分包位不一致（表 3）"
    ),
    ViolationCode.CP_MISSING: _T(
        "缺少指令参数 CP", "CP missing", "数据段缺少 CP=&&…&& 指令参数区（表 3）"
    ),
    ViolationCode.CP_DELIMITER: _T(
        "指令参数 CP 边界错误", "CP delimiter", "指令参数区应以 && 开始和结束（§6.3.3）"
    ),
    ViolationCode.CP_TOO_LONG: _T(
        "指令参数 CP 过长", "CP too long", "指令参数区超过允许的最大长度（表 3）"
    ),
    ViolationCode.CP_FIELD_SYNTAX: _T(
        "指令参数字段格式错误", "CP field syntax", "指令参数字段应为“字段名=值”（§6.3.3.1）"
    ),
    ViolationCode.CP_RECORD: _T(
        "指令参数记录分隔错误",
        "CP record",
        "同一监测因子的字段以逗号 , 分隔，不同因子以分号 ; 分隔（§6.3.3.1）",
    ),
    ViolationCode.CP_FIELD_NAME: _T(
        "未知指令参数字段", "CP field name", "指令参数字段名不是表 4 定义的字段（表 4）"
    ),
    ViolationCode.CP_FACTOR_CODE: _T(
        "监测因子编码错误", "Factor code", "监测因子编码不符合编码规则（§6.4、附录 B）"
    ),
    ViolationCode.CP_DUPLICATE: _T(
        "指令参数字段重复", "CP duplicate", "同一指令参数字段出现多次（§6.3.3.1）"
    ),
    ViolationCode.CP_NUMBER: _T("数值格式错误", "Number format", "字段值应为数字（§6.3.3.2.2）"),
    ViolationCode.CP_TIME: _T(
        "时间格式错误", "Time format", "时间应为 YYYYMMDDhhmmss 或 hhmmss 的有效时间（表 4）"
    ),
    ViolationCode.CP_DATA_FLAG: _T(
        "数据标记错误", "Data flag", "数据标记不是本协议配置接受的标记（表 8）"
    ),
    ViolationCode.CP_VALUE: _T(
        "字段值格式错误", "Value format", "字段值不符合表 4 规定的类型（表 4）"
    ),
    ViolationCode.CP_RANGE: _T(
        "字段值超出范围", "Value out of range", "字段值超出表 4 规定的取值范围（表 4）"
    ),
    ViolationCode.SPLIT_TIMEOUT: _T(
        "分包超时", "Split timeout", "拆分包未在时限内收齐，已放弃该组（§6.3.2，附录 C.49/C.50）"
    ),
    ViolationCode.SPLIT_EVICTED: _T(
        "分包被清出", "Split evicted", "待拼接的分包组过多或占用过大，最早的组被清出（§6.3.2）"
    ),
    ViolationCode.SPLIT_INCONSISTENT: _T(
        "分包不一致", "Split inconsistent", "同组拆分包的包号、总包数或内容互相矛盾（§6.3.2）"
    ),
}
"""Chinese and English names and the Chinese rule of every :class:`ViolationCode`: the codec's
words for users (rejects ledger, parse tool), whichever kernel (C or Python) found the fault."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule of §6.3: ``code`` names it, ``message`` gives the particulars in English,
    ``position`` is a 0-based byte offset if known.

    Offsets count from the first byte handed to the parser (the first ``#`` of a frame, or the first
    byte of a bare data segment). The Chinese comes from the code (:data:`VIOLATION_TEXTS`).
    """

    code: ViolationCode
    message: str
    position: int | None = None

    @property
    def name_zh(self) -> str:
        """The rule's Chinese name, e.g. ``CRC 校验不符``."""
        return VIOLATION_TEXTS[self.code].name_zh

    @property
    def message_zh(self) -> str:
        """The broken rule in Chinese with its clause, and where in the packet when known."""
        where = "" if self.position is None else f"（第 {self.position} 字节）"
        return f"{self.name_zh}{where}：{VIOLATION_TEXTS[self.code].rule_zh}"

    @property
    def text(self) -> str:
        """Chinese first, the English particulars second: ``中文 / English``."""
        return f"{self.message_zh} / {self.message}"

    def __str__(self) -> str:
        return f"{self.text} [{self.code}]"


class HJ212Error(Exception):
    """Base class of everything the HJ 212 codec raises; ``violations`` lists every reason."""

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        super().__init__(self.violations)

    def __str__(self) -> str:
        return "；".join(str(v) for v in self.violations) or "HJ 212 报文错误（HJ 212 error）"

    @property
    def codes(self) -> frozenset[ViolationCode]:
        """The distinct :class:`ViolationCode` values (§6.3 rules), for assertions and routing."""
        return frozenset(v.code for v in self.violations)


class FramingError(HJ212Error):
    """The ``##`` + length + data + CRC + CR LF envelope is broken (§6.3.1 Table 2)."""


class CRCError(HJ212Error):
    """The CRC16 field does not match the data segment (§6.3.1 Table 2, Appendix A)."""


class EncodingError(HJ212Error):
    """The input is not text the standard allows: ASCII, with UTF-8 Chinese (§6.3)."""


class SegmentError(HJ212Error):
    """The data segment or its CP area breaks a rule of §6.3.2, §6.3.3, Table 4 or §6.6."""


class BuildError(HJ212Error):
    """A packet cannot be built from the given values without breaking §6.3 (or Table 4)."""


class ReassemblyError(HJ212Error):
    """A split packet group (PNUM/PNO, §6.3.2) timed out, was evicted or is inconsistent.

    ``partial`` holds the parts received so far (data segments, in PNO order), so a tolerant caller
    can still keep what arrived.
    """

    def __init__(
        self, violations: Iterable[Violation], partial: tuple[DataSegment, ...] = ()
    ) -> None:
        super().__init__(violations)
        self.partial = partial


_FRAMING_CODES = frozenset(
    {
        ViolationCode.FRAME_EMPTY,
        ViolationCode.FRAME_HEADER,
        ViolationCode.FRAME_GARBAGE,
        ViolationCode.FRAME_LENGTH_FORMAT,
        ViolationCode.FRAME_LENGTH_MISMATCH,
        ViolationCode.FRAME_TOO_LONG,
        ViolationCode.FRAME_TRUNCATED,
        ViolationCode.FRAME_TAIL,
        ViolationCode.CRC_FORMAT,
    }
)
_ENCODING_CODES = frozenset(
    {ViolationCode.INPUT_TYPE, ViolationCode.ENCODING, ViolationCode.NON_ASCII}
)


def error_for(violations: Iterable[Violation]) -> HJ212Error:
    """The exception class that best describes a refused packet: framing, then CRC, then encoding.

    A strict parse refuses a packet with *all* its violations; the class is chosen from the most
    fundamental layer that failed, so callers can route on it (§6.3.1 before §6.3.2).
    """
    found = tuple(violations)
    codes = {v.code for v in found}
    if ViolationCode.INTERNAL in codes:
        return HJ212Error(found)
    if codes & _FRAMING_CODES:
        return FramingError(found)
    if ViolationCode.CRC_MISMATCH in codes:
        return CRCError(found)
    if codes & _ENCODING_CODES:
        return EncodingError(found)
    return SegmentError(found)
