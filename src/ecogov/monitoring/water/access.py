"""The water domain's rows of the permission table (``ecogov.platform.permissions``)."""

from __future__ import annotations

from ecogov.platform.permissions import (
    ResourceKind,
    public_data_grants,
    public_observation_grants,
)

SECTIONS = ResourceKind(
    "water.section",
    "地表水监测断面",
    "surface-water monitoring sections",
    public_data_grants(),
    refusals={
        "import": (
            "只有生态环境部门工作人员和管理员可以导入地表水数据",
            "only officers and admins import surface-water data",
        )
    },
)
"""Sections (public data): officers open their region's, enterprise users all; officers of
the region register and import."""

OBSERVATIONS = ResourceKind(
    "water.observation",
    "地表水监测数据",
    "surface-water observations",
    public_observation_grants(),
)
"""Observations behind the official section, basin and city figures: read by every
logged-in role."""
