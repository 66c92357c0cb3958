"""Concentration units for water monitoring data and exact conversion between them.

GB 3838-2002 states its limits in mg/L (粪大肠菌群 fecal coliform in 个/L, pH dimensionless),
while HJ 212-2017 Appendix B Table B.1 sends several heavy metals in µg/L (汞 Hg, 镉 Cd, 六价铬
Cr(VI), 总砷 As, 总铅 Pb, 总硒 Se) and some trace organics in ng/L. Values must be converted
before they are compared with the standard's limits.

Every unit is a power of ten of its quantity's base unit (mg/L for mass concentration, 个/L for
count concentration), so conversion shifts the decimal point of the value's shortest decimal form
and rounds once: ``convert(5, "µg/L", "mg/L") == 0.005`` exactly, with no binary drift such as
``5 * 0.001``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final

__all__ = [
    "UNITS",
    "IncompatibleUnitsError",
    "Quantity",
    "Unit",
    "UnknownUnitError",
    "convert",
    "lookup_unit",
]


class Quantity(StrEnum):
    """Physical quantity measured by a unit; only units of the same quantity convert."""

    MASS_CONCENTRATION = "mass concentration"  # 质量浓度, base mg/L
    COUNT_CONCENTRATION = "count concentration"  # 数量浓度 (细菌), base 个/L
    DIMENSIONLESS = "dimensionless"  # 无量纲 (pH)
    TEMPERATURE = "temperature"  # 温度, ℃
    LENGTH = "length"  # 长度, base m (透明度 Secchi depth)


_QUANTITY_ZH: Final = {
    Quantity.MASS_CONCENTRATION: "质量浓度",
    Quantity.COUNT_CONCENTRATION: "数量浓度",
    Quantity.DIMENSIONLESS: "无量纲",
    Quantity.TEMPERATURE: "温度",
    Quantity.LENGTH: "长度",
}


@dataclass(frozen=True)
class Unit:
    """One unit: canonical symbol, Chinese name, quantity and power of ten of the quantity's base.

    ``exponent`` is the base-10 exponent of the unit expressed in the base unit: µg/L is 10⁻³ mg/L,
    so its exponent is −3. ``aliases`` are other spellings accepted by :func:`lookup_unit`.
    """

    symbol: str
    name_zh: str
    quantity: Quantity
    exponent: int
    aliases: tuple[str, ...] = ()


class _UnitMessage(Exception):
    """A unit error's message: ``str()`` is the zh-CN text, then the English one (``zh``,
    ``en``: each alone)."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


class UnknownUnitError(_UnitMessage, LookupError):
    """Raised when a unit symbol is not in :data:`UNITS` under any spelling."""


class IncompatibleUnitsError(_UnitMessage, ValueError):
    """Raised when converting between units of different quantities (e.g. mg/L → 个/L)."""


_UNIT_LIST: Final = (
    Unit("g/L", "克/升", Quantity.MASS_CONCENTRATION, 3),
    Unit("mg/L", "毫克/升", Quantity.MASS_CONCENTRATION, 0, ("µg/mL",)),
    # mg/m³ equals µg/L; chlorophyll a (叶绿素a) is reported in mg/m³ for the trophic index.
    Unit(
        "µg/L",
        "微克/升",
        Quantity.MASS_CONCENTRATION,
        -3,
        ("ug/L", "mcg/L", "mg/m³", "毫克/立方米"),
    ),
    Unit("ng/L", "纳克/升", Quantity.MASS_CONCENTRATION, -6),
    # MPN (most probable number) and CFU (colony-forming unit) counts are treated as 个 (counts).
    Unit("个/L", "个/升", Quantity.COUNT_CONCENTRATION, 0, ("MPN/L", "CFU/L")),
    Unit("个/100mL", "个/100毫升", Quantity.COUNT_CONCENTRATION, 1, ("MPN/100mL", "CFU/100mL")),
    Unit("个/mL", "个/毫升", Quantity.COUNT_CONCENTRATION, 3, ("MPN/mL", "CFU/mL")),
    Unit("dimensionless", "无量纲", Quantity.DIMENSIONLESS, 0),
    Unit("℃", "摄氏度", Quantity.TEMPERATURE, 0, ("degC",)),
    # Secchi depth (透明度) enters the trophic index in m; monitoring reports often give cm.
    Unit("m", "米", Quantity.LENGTH, 0),
    Unit("cm", "厘米", Quantity.LENGTH, -2),
)

UNITS: Final = MappingProxyType({unit.symbol: unit for unit in _UNIT_LIST})
"""Unit table keyed by canonical symbol (plain data, reusable by vectorized code)."""


def _normalize(symbol: str) -> str:
    """Fold width (NFKC: µ→μ, ³→3, ／→/), case and spaces so spellings compare equal."""
    return "".join(unicodedata.normalize("NFKC", symbol).casefold().split())


_INDEX: Final = MappingProxyType(
    {
        _normalize(spelling): unit
        for unit in _UNIT_LIST
        for spelling in (unit.symbol, unit.name_zh, *unit.aliases)
    }
)


def lookup_unit(symbol: str) -> Unit:
    """Return the unit for ``symbol``, accepting any listed spelling (GB 3838-2002 and
    HJ 212-2017 Table B.1 write units in Chinese, e.g. 微克/升).

    Case, full/half width, spaces and the micro sign vs Greek mu are ignored, so ``"ug/l"``,
    ``"μg/L"``, ``"微克/升"`` and ``"µg/L"`` all give the µg/L unit.

    Raises:
        UnknownUnitError: the symbol matches no unit.
    """
    try:
        return _INDEX[_normalize(symbol)]
    except KeyError:
        known = ", ".join(UNITS)
        raise UnknownUnitError(
            f"未知单位“{symbol}”；可用单位：{known}",
            f"unknown unit {symbol!r}; known units: {known}",
        ) from None


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` from ``from_unit`` to ``to_unit`` (e.g. [µg/L] → [mg/L]).

    The shortest decimal form of ``value`` is shifted by the power of ten between the units and
    rounded once to the nearest float, so ``convert(5, "µg/L", "mg/L") == 0.005`` and
    ``convert(0.05, "µg/L", "mg/L") == 0.00005`` hold exactly. Used to bring HJ 212-2017 Table B.1
    default units to the GB 3838-2002 Table 1 units before classifying.

    Raises:
        UnknownUnitError: either unit is unknown.
        IncompatibleUnitsError: the units measure different quantities.
    """
    source, target = lookup_unit(from_unit), lookup_unit(to_unit)
    if source.quantity is not target.quantity:
        raise IncompatibleUnitsError(
            f"{source.symbol}（{_QUANTITY_ZH[source.quantity]}）不能换算为"
            f" {target.symbol}（{_QUANTITY_ZH[target.quantity]}）",
            f"cannot convert {source.symbol} ({source.quantity}) "
            f"to {target.symbol} ({target.quantity})",
        )
    return float(Decimal(repr(float(value))).scaleb(source.exponent - target.exponent))
