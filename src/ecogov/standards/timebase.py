"""Time base of Chinese monitoring data: Beijing time (UTC+8, no daylight saving).

Monitoring days, hours and reporting periods in every national standard here follow Beijing time.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
