"""The air domain's rows of the permission table (``ecogov.platform.permissions``)."""

from __future__ import annotations

from ecogov.platform.permissions import (
    ResourceKind,
    public_data_grants,
    public_observation_grants,
)

STATIONS = ResourceKind(
    "air.station",
    "空气质量监测站点",
    "air monitoring stations",
    public_data_grants(),
    refusals={
        "import": (
            "只有生态环境部门工作人员和管理员可以导入监测数据",
            "only officers and admins import monitoring data",
        )
    },
)
"""Stations (public data): officers open their region's, enterprise users all; officers of
the region register and import."""

OBSERVATIONS = ResourceKind(
    "air.observation",
    "空气质量监测数据",
    "air quality observations",
    public_observation_grants(),
)
"""Hourly observations behind the official city and province figures: read by every
logged-in role (bulk reads through ``scoped_read``)."""
