"""Codes of solid waste that is not hazardous: 《固体废物分类与代码目录》 (生态环境部, published
2024-01-19; source SW-CAT: pages corpus https://www.gf-yun.cn/category/%e5%9b%ba%e5%ba%9f%e7%a7%91%e6%99%ae,
quoting Arts. 1–6).

Art. 2: the catalogue serves industrial solid-waste ledgers (工业固体废物管理台账), discharge
permits, cross-province transfers and disclosure; hazardous waste keeps the codes of the national
hazardous-waste list (:mod:`ecogov.standards.waste.catalogue`), every other solid waste takes a
code of this catalogue. It is not a test of whether something is waste (Art. 2).

Art. 5: a code has 9 characters — digits 1–3 the industry of origin (GB/T 4754-2017), 4–6 a
sequence number ``001``–``099``, 7–9 the second-level class ``S01``–``S99``; the class ranges
are S01–S59 except S08 industrial solid waste, S60–S69 household waste, S70–S79 construction
waste, S80–S89 agricultural solid waste, S90–S99 other solid waste. Art. 3: the first level
follows the Solid Waste Law (工业固体废物, 生活垃圾, 建筑垃圾, 农业固体废物, 其他固体废物).

Written here ``DDD-NNN-SCC`` like a hazardous-waste code [D]; the blanks or hyphens between the
parts are optional on input. The names of the second-level classes are not shipped: no public
copy of the catalogue's table was found, nor of the SW list of the 2021
《一般工业固体废物管理台账制定指南（试行）》 (公告2021年第82号) that the catalogue now serves. The
catalogue has 35 second-level classes and some 200 kinds (notice reported at
http://m.dgzphj.com/nd.jsp?groupId=0&id=844&mid=475).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

__all__ = [
    "FirstLevel",
    "SolidWasteCode",
    "SolidWasteCodeError",
    "first_level_of",
    "parse_solid_waste_code",
]

_CODE: Final = re.compile(r"^(\d{3})[-\s]?(\d{3})[-\s]?[Ss](\d{2})$")
_UNUSED_CLASSES: Final = frozenset({8})
"""Second-level classes the catalogue leaves out of its ranges (Art. 5: "不含 S08")."""


class FirstLevel(StrEnum):
    """The first-level class of a solid waste (Art. 3), by the range of its S-class (Art. 5)."""

    INDUSTRIAL = "industrial"
    HOUSEHOLD = "household"
    CONSTRUCTION = "construction"
    AGRICULTURAL = "agricultural"
    OTHER = "other"

    @property
    def zh(self) -> str:
        """The Chinese name (Art. 3)."""
        return _LEVEL_ZH[self]


_LEVEL_ZH: Final = {
    FirstLevel.INDUSTRIAL: "工业固体废物",
    FirstLevel.HOUSEHOLD: "生活垃圾",
    FirstLevel.CONSTRUCTION: "建筑垃圾",
    FirstLevel.AGRICULTURAL: "农业固体废物",
    FirstLevel.OTHER: "其他固体废物",
}

_RANGES: Final[tuple[tuple[range, FirstLevel], ...]] = (
    (range(1, 60), FirstLevel.INDUSTRIAL),
    (range(60, 70), FirstLevel.HOUSEHOLD),
    (range(70, 80), FirstLevel.CONSTRUCTION),
    (range(80, 90), FirstLevel.AGRICULTURAL),
    (range(90, 100), FirstLevel.OTHER),
)
"""Art. 5: the S-class ranges of each first-level class."""


class SolidWasteCodeError(ValueError):
    """A solid-waste code written wrongly; ``str()`` is the zh-CN message, then the English."""

    def __init__(self, text: str, reason_zh: str, reason_en: str) -> None:
        self.text = text
        self.zh = (
            f"固体废物代码“{text}”不正确：{reason_zh}"
            "（应为 DDD-NNN-SCC：行业3位、顺序号3位、S加类别2位）"
        )
        self.en = (
            f"solid-waste code {text!r} is not valid: {reason_en} "
            "(write DDD-NNN-SCC: industry, sequence, S and class)"
        )
        super().__init__(f"{self.zh} / {self.en}")


@dataclass(frozen=True, slots=True)
class SolidWasteCode:
    """A well-formed code of the catalogue: industry, sequence (1–99), second-level class."""

    industry: str
    sequence: int
    second_level: int

    @property
    def text(self) -> str:
        """``DDD-NNN-SCC`` [D]."""
        return f"{self.industry}-{self.sequence:03d}-S{self.second_level:02d}"

    @property
    def first_level(self) -> FirstLevel:
        """The first-level class the S-class falls in (Art. 5)."""
        return first_level_of(self.second_level)


def first_level_of(second_level: int) -> FirstLevel:
    """The first-level class of S-class ``second_level`` (Art. 5); ValueError outside S01–S99 and
    for S08, which no range includes."""
    if second_level not in _UNUSED_CLASSES:
        for span, level in _RANGES:
            if second_level in span:
                return level
    raise ValueError(f"S{second_level:02d} is not a class of the catalogue")


def parse_solid_waste_code(text: str) -> SolidWasteCode:
    """Read a code ``DDD-NNN-SCC`` (hyphens or blanks between the parts optional); raises
    :class:`SolidWasteCodeError` for a wrong layout, sequence 000 or 1xx–9xx (Art. 5: 001–099),
    or an S-class outside the catalogue's ranges (S00, S08)."""
    found = _CODE.match(text.strip())
    if found is None:
        raise SolidWasteCodeError(text, "格式不符", "wrong layout")
    sequence, second = int(found.group(2)), int(found.group(3))
    if not 1 <= sequence <= 99:
        raise SolidWasteCodeError(
            text, "顺序代码须在 001–099 之间", "the sequence must be within 001–099"
        )
    try:
        first_level_of(second)
    except ValueError:
        raise SolidWasteCodeError(
            text,
            f"类别代码 S{second:02d} 不在目录的代码范围内（S01–S99，不含 S08）",
            f"class S{second:02d} is outside the catalogue's ranges (S01–S99 except S08)",
        ) from None
    return SolidWasteCode(found.group(1), sequence, second)
