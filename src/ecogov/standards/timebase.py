"""Time base of Chinese monitoring data: Beijing time (UTC+8, no daylight saving).

Monitoring days, hours and reporting periods in every national standard here follow Beijing time.
A fixed offset, not the ``Asia/Shanghai`` zone: the standards define Beijing time as UTC+8, and
the zone database would apply the 1986–1991 daylight-saving rules to old records.
"""

from __future__ import annotations

from datetime import timedelta, timezone

BEIJING_OFFSET_S = 8 * 3600
"""Beijing time minus UTC [s], for arithmetic on Unix seconds without datetime objects."""
BEIJING = timezone(timedelta(seconds=BEIJING_OFFSET_S), "Asia/Shanghai")
