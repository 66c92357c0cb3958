"""The forecast domain's words (zh-CN first, English second)."""

from __future__ import annotations

from typing import Final

from ecogov.platform.i18n import Catalogue

MESSAGES: Final[Catalogue] = {
    "audit.action.forecast.run": ("发布空气质量预报", "Issue air-quality forecasts"),
    "audit.action.forecast.train": ("训练空气质量预报模型", "Train a forecast model"),
    "audit.entity.forecast_model": ("空气质量预报模型", "Forecast model"),
    "audit.entity.forecast_day": ("空气质量预报（日）", "Daily forecast"),
    "audit.entity.forecast_value": ("预报浓度", "Forecast concentration"),
}
