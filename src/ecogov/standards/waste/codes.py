"""Hazardous-waste codes (废物代码) of the national list, 国家危险废物名录 (2021 edition Art. 5(3);
the 2025 edition keeps the layout).

A code has 8 digits printed ``DDD-NNN-CC``: digits 1–3 the industry of origin (GB/T 4754-2017),
4–6 a sequence number, 7–8 the category (废物类别) — the ``CC`` of ``HWCC``. Categories run HW01 to
HW50 (the 2021 edition has no HW41–HW44). Whether a well-formed code is *listed* is the
catalogue's question (:mod:`ecogov.standards.waste.catalogue`); this module only reads the layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["CATEGORY_RANGE", "WasteCode", "WasteCodeError", "category_label", "parse_waste_code"]

_CODE: Final = re.compile(r"^(\d{3})-(\d{3})-(\d{2})$")
CATEGORY_RANGE: Final = range(1, 51)
"""Category numbers a code may end in: HW01–HW50 (名录 Art. 5(2), Basel-based categories)."""


class WasteCodeError(ValueError):
    """A waste code written wrongly; ``str()`` is the zh-CN message, then the English one."""

    def __init__(self, text: str, reason_zh: str, reason_en: str) -> None:
        self.text = text
        self.zh = f"废物代码“{text}”不正确：{reason_zh}（应为 DDD-NNN-CC，如 900-249-08）"
        self.en = (
            f"waste code {text!r} is not valid: {reason_en} (write DDD-NNN-CC, e.g. 900-249-08)"
        )
        super().__init__(f"{self.zh} / {self.en}")


@dataclass(frozen=True, slots=True)
class WasteCode:
    """A well-formed waste code: industry (3 digits), sequence (3 digits), category (1–50)."""

    industry: str
    sequence: str
    category: int

    @property
    def text(self) -> str:
        """The code as printed in the list, ``DDD-NNN-CC``."""
        return f"{self.industry}-{self.sequence}-{self.category:02d}"

    @property
    def hw(self) -> str:
        """The category label, ``HWCC`` (e.g. ``HW08``)."""
        return category_label(self.category)


def category_label(category: int) -> str:
    """``HW`` and the two-digit category number (名录 Art. 5(2)), e.g. 8 → ``HW08``."""
    return f"HW{category:02d}"


def parse_waste_code(text: str) -> WasteCode:
    """Read a code ``DDD-NNN-CC`` (surrounding blanks and an ``HWCC`` prefix such as
    ``HW08 900-249-08`` are tolerated when the prefix agrees with the code's last two digits).

    Raises :class:`WasteCodeError` when the layout is wrong, the category is outside HW01–HW50,
    or a prefix names another category.
    """
    raw = text.strip()
    prefix: str | None = None
    if raw[:2].upper() == "HW":
        head, _, rest = raw.partition(" ")
        prefix, raw = head.upper(), rest.strip()
    found = _CODE.match(raw)
    if found is None:
        raise WasteCodeError(text, "格式不符", "wrong layout")
    category = int(found.group(3))
    if category not in CATEGORY_RANGE:
        raise WasteCodeError(
            text,
            f"类别 {category:02d} 不在 HW01–HW50 之内",
            f"category {category:02d} outside HW01–HW50",
        )
    if prefix is not None and prefix != category_label(category):
        raise WasteCodeError(
            text,
            f"类别 {prefix} 与代码末两位 {category:02d} 不一致",
            f"category {prefix} disagrees with the last two digits {category:02d}",
        )
    return WasteCode(found.group(1), found.group(2), category)
