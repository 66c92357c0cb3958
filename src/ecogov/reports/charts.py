"""Charts of the reports drawn on the server with matplotlib (Agg, no display, no network) as
PNG: days by AQI level (HJ 633 colours), composite index by city, sections by water class.

Labels are Chinese when a CJK font is installed (Noto Sans CJK, WenQuanYi, …); without one the
axis labels fall back to English so the chart shows no empty boxes."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Final

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import font_manager

from ecogov.platform.errors import InputError
from ecogov.platform.i18n import both
from ecogov.standards.editions import Edition
from ecogov.standards.hj633 import LEVELS

CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
)
WATER_COLOURS: Final = ("#44c2ff", "#3d7eff", "#2dbb5a", "#ffd400", "#ff8a00", "#e02020")
_DPI: Final = 150


@cache
def cjk_font() -> str | None:
    """The first CJK font matplotlib finds, or None."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _label(zh: str, en: str) -> str:
    return zh if cjk_font() else en


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _axes() -> tuple[Any, Any]:
    figure, axes = plt.subplots(figsize=(6.4, 3.2))
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _bars(axes: Any, labels: list[str], values: Sequence[float], colours: Any = None) -> None:
    bars = axes.bar(labels, values, color=colours or "#3d7eff")
    axes.bar_label(bars, padding=2, fontsize=8)


def _levels(days: list[int]) -> bytes:
    levels = LEVELS[Edition.E2026]
    figure, axes = _axes()
    names = [_label(level.category_zh, f"level {level.number}") for level in levels]
    _bars(axes, names, days, [level.hex for level in levels])
    axes.set_ylabel(_label("天数", "days"))
    return _png(figure)


def _index(cities: list[dict[str, Any]]) -> bytes:
    ranked = sorted(
        (c for c in cities if c["composite_index"] is not None), key=lambda c: c["rank"]
    )
    figure, axes = _axes()
    names = [c["name"] if cjk_font() else c["city"] for c in ranked]
    _bars(axes, names, [c["composite_index"] for c in ranked])
    axes.set_ylabel(_label("综合指数", "composite index"))
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    return _png(figure)


def _classes(counts: list[int]) -> bytes:
    figure, axes = _axes()
    labels = (
        ["Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"]
        if cjk_font()
        else ["I", "II", "III", "IV", "V", "worse than V"]
    )
    _bars(axes, labels, counts, list(WATER_COLOURS))
    axes.set_ylabel(_label("断面数", "sections"))
    return _png(figure)


def draw(chart: str, value: Any) -> bytes:
    """The PNG of chart ``chart`` (``bar_levels``, ``bar_index``, ``bar_classes``) of a figure's
    value."""
    drawings: dict[str, Callable[[Any], bytes]] = {
        "bar_levels": _levels,
        "bar_index": _index,
        "bar_classes": _classes,
    }
    drawing = drawings.get(chart)
    if drawing is None:
        raise InputError(both("reports.error.chart", chart=chart))
    font = cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    with plt.rc_context({"font.family": families, "axes.unicode_minus": False}):
        return drawing(value)
