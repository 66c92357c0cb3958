"""Transfer rules of 《危险废物转移管理办法》 (生态环境部 公安部 交通运输部令第23号, in force
2022-01-01; GOVERNANCE.md §1.2, source TR) and the storage limits of §1.4–1.5, as data.

Every limit is a :class:`TimeLimit` row with its basis and validity, so a province can override a
row (a rules file) without code; the checks and the manifest workflow read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

__all__ = [
    "MANIFEST_NUMBER_LENGTH",
    "TIME_LIMITS",
    "LimitUnit",
    "ManifestNumber",
    "ManifestNumberError",
    "TimeLimit",
    "format_manifest_number",
    "parse_manifest_number",
    "time_limit",
]

MANIFEST_NUMBER_LENGTH: Final = 14
"""TR Art. 15: year (4) + province (2) + prefecture-level city (2) + serial per origin city (6)."""


class ManifestNumberError(ValueError):
    """A manifest number written wrongly; ``str()`` is the zh-CN message, then the English one."""

    def __init__(self, text: str, reason_zh: str, reason_en: str) -> None:
        self.text = text
        self.zh = (
            f"联单编号“{text}”不正确：{reason_zh}（应为14位：年份4位+省2位+地市2位+流水号6位）"
        )
        self.en = (
            f"manifest number {text!r} is not valid: {reason_en} "
            "(14 digits: year 4 + province 2 + city 2 + serial 6)"
        )
        super().__init__(f"{self.zh} / {self.en}")


@dataclass(frozen=True, slots=True)
class ManifestNumber:
    """The parts of a 14-digit 联单编号 (TR Art. 15)."""

    year: int
    city_code: str
    """The origin's prefecture-level city as a 6-digit GB/T 2260 code (``NNNN00``)."""
    serial: int

    @property
    def text(self) -> str:
        """The 14-digit number."""
        return format_manifest_number(self.year, self.city_code, self.serial)


def format_manifest_number(year: int, region_code: str, serial: int) -> str:
    """The 14-digit manifest number (TR Art. 15) of ``serial`` [1–999999] in ``year`` for an
    origin in ``region_code`` (any 6-digit GB/T 2260 code; its first four digits name the
    province and the prefecture-level city)."""
    if not (1000 <= year <= 9999):
        raise ManifestNumberError(str(year), "年份须为4位", "the year must have 4 digits")
    if len(region_code) != 6 or not region_code.isdigit():
        raise ManifestNumberError(
            region_code, "行政区划代码须为6位数字", "region code must be 6 digits"
        )
    if not (1 <= serial <= 999_999):
        raise ManifestNumberError(
            str(serial), "流水号须在 1–999999 之间", "the serial must be within 1–999999"
        )
    return f"{year:04d}{region_code[:4]}{serial:06d}"


def parse_manifest_number(text: str) -> ManifestNumber:
    """Read a 14-digit manifest number (TR Art. 15); raises :class:`ManifestNumberError`."""
    raw = text.strip()
    if len(raw) != MANIFEST_NUMBER_LENGTH or not raw.isdigit():
        raise ManifestNumberError(text, "须为14位数字", "must be 14 digits")
    serial = int(raw[8:])
    if serial == 0:
        raise ManifestNumberError(text, "流水号不能为 000000", "the serial cannot be 000000")
    return ManifestNumber(int(raw[:4]), raw[4:8] + "00", serial)


class LimitUnit(StrEnum):
    """How a time limit counts."""

    WORKING_DAYS = "working_days"
    """Working days of the national calendar (:mod:`ecogov.standards.workdays`)."""
    DAYS = "days"
    """Calendar days (a text that counts 天 counts dates, not 24-hour spans)."""
    HOURS = "hours"
    MONTHS = "months"
    YEARS = "years"


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """One time limit of a regulation: how long, counted how, from which event, and its basis."""

    key: str
    amount: int
    unit: LimitUnit
    starts_at: str
    """The event the count starts from (English, for the docs)."""
    basis: str
    """Document and article (GOVERNANCE.md source key in brackets)."""
    valid_from: date
    valid_to: date | None = None


TIME_LIMITS: Final[tuple[TimeLimit, ...]] = (
    TimeLimit(
        "manifest.receipt_confirmation",
        5,
        LimitUnit.WORKING_DAYS,
        "the receiver accepts the waste",
        "《危险废物转移管理办法》第十八条 (TR)",
        date(2022, 1, 1),
    ),
    TimeLimit(
        "manifest.paper_backfill",
        10,
        LimitUnit.WORKING_DAYS,
        "the transfer ends (paper manifest)",
        "《危险废物转移管理办法》第二十条 (TR)",
        date(2022, 1, 1),
    ),
    TimeLimit(
        "manifest.retention",
        10,
        LimitUnit.YEARS,
        "the manifest is closed",
        "《危险废物转移管理办法》第二十条 (TR)",
        date(2022, 1, 1),
    ),
    TimeLimit(
        "cross_province.completeness",
        5,
        LimitUnit.WORKING_DAYS,
        "the application is received",
        "《危险废物转移管理办法》第二十三条 (TR)",
        date(2022, 1, 1),
    ),
    TimeLimit(
        "cross_province.origin_review",
        5,
        LimitUnit.WORKING_DAYS,
        "the application is accepted (受理)",
        "《危险废物转移管理办法》第二十四条 (TR)",
        date(2022, 1, 1),
    ),
    TimeLimit(
        "cross_province.destination_reply",
        10,
        LimitUnit.WORKING_DAYS,
        "the 商请函 is received",
        "《危险废物转移管理办法》第二十五条 (TR)",
        date(2022, 1, 1),
    ),
    TimeLimit(
        "cross_province.decision",
        5,
        LimitUnit.WORKING_DAYS,
        "the destination's reply is received",
        "《危险废物转移管理办法》第二十六条 (TR)",
        date(2022, 1, 1),
    ),
    TimeLimit(
        "cross_province.approval_validity",
        12,
        LimitUnit.MONTHS,
        "the approval is granted",
        "《危险废物转移管理办法》第二十七条 (TR)",
        date(2022, 1, 1),
    ),
    TimeLimit(
        "storage.business_unit",
        1,
        LimitUnit.YEARS,
        "the waste enters storage",
        "《固体废物污染环境防治法》(2020) 第八十一条第三款 (SWL)",
        date(2020, 9, 1),
    ),
    TimeLimit(
        "storage.medical_institution",
        2,
        LimitUnit.DAYS,
        "the medical waste is generated",
        "《医疗废物管理条例》第十七条 (MW)",
        date(2011, 1, 8),
    ),
    TimeLimit(
        "collection.medical_cycle",
        2,
        LimitUnit.DAYS,
        "the last collection",
        "《医疗废物管理条例》第二十五条 (MW)",
        date(2011, 1, 8),
    ),
)
"""National defaults. Generators' own storage limit is not fixed nationally (GOVERNANCE.md §1.4,
[U]); provinces commonly apply one year, which the checks take as a configurable default."""


def time_limit(key: str, on: date) -> TimeLimit:
    """The row of ``key`` in force on ``on``; raises ``KeyError`` when none is."""
    for row in TIME_LIMITS:
        if row.key == key and row.valid_from <= on and (row.valid_to is None or on <= row.valid_to):
            return row
    raise KeyError(f"no time limit {key!r} in force on {on.isoformat()}")
