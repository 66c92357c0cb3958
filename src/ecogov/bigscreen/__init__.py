"""The command centre's big screen (指挥中心大屏): a full-screen, auto-refreshing view of a
region for the wall (issue Wave 2 · 4 of 7, item 4)."""

from __future__ import annotations

from ecogov.platform.plugins import Domain

domain = Domain(name="bigscreen")
