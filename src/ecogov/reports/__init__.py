"""Reports (报告): the monthly environmental-quality report of a region (环境质量月报) as Word
and PDF, and the city ranking announcement (排名通报) (issue Wave 2 · 4 of 7, item 3)."""

from __future__ import annotations

from ecogov.platform.plugins import Domain

domain = Domain(name="reports")
