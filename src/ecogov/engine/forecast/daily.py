"""Daily values of forecast cases: observed days, the 24 hours ending at an issue, and the AQI of
forecast concentrations — all through the air engine (HJ 663 validity, HJ 633 AQI).

Time follows :mod:`ecogov.engine.air_schema`: naive Beijing wall-clock, hour-ending stamps; day D
holds the stamps D 01:00 … D+1 00:00. A forecast *issued* at day D, hour H may use every stamp
≤ D H:00 (the hour ending at the issue time is complete when it is issued); lead day k is the
Beijing day D+k.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from ecogov.engine.air_daily import DAILY_INDICATORS, daily_aqi, daily_values
from ecogov.engine.air_exact import SCALE, exact_value
from ecogov.engine.air_schema import EditionChoice

__all__ = [
    "DAILY_TARGETS",
    "aqi_of_daily",
    "issue_blocks",
    "observed_daily",
    "observed_of_days",
]

DAILY_TARGETS: tuple[str, ...] = tuple(str(indicator) for indicator in DAILY_INDICATORS)
"""Daily indicators forecast and verified: SO2, NO2, CO, PM10, PM2.5 24-hour means, the O3
1-hour maximum (HJ 633-2012 daily report only) and the MDA8 ``O3_8H`` (HJ 633 daily AQI)."""


def observed_daily(wide: pl.DataFrame) -> pl.DataFrame:
    """Valid daily values per ``station`` and ``date`` of a wide hourly frame (GB 3095 Table 4
    validity; invalid = null): columns ``station``, ``date`` and :data:`DAILY_TARGETS`."""
    days = daily_values(wide)
    return days.select(pl.col("station").cast(pl.String), "date", *DAILY_TARGETS)


def observed_of_days(days: pl.DataFrame) -> pl.DataFrame:
    """The observed days of the verification from exact daily values (``engine.air.daily_values``
    of the hours, or the same values stored at import, with their ``<indicator>_num`` and
    ``_den``): ``station`` (String), ``date`` and :data:`DAILY_TARGETS` (invalid = null), the
    same floats whichever the source."""
    return days.select(
        pl.col("station").cast(pl.String),
        "date",
        *(
            exact_value(pl.col(f"{name}_num"), pl.col(f"{name}_den")).alias(name)
            for name in DAILY_TARGETS
        ),
    )


def issue_blocks(wide: pl.DataFrame, issue_hour: int) -> pl.DataFrame:
    """Daily values of the 24 hours ending at each day's issue time (stamps (D-1 H:00, D H:00]),
    with the same validity rules as a calendar day; ``date`` = D, the issue day.

    The persistence forecast and the learner's latest-state features; the MDA8 of a block is the
    maximum of its 17 8-hour windows, as for a calendar day.
    """
    # shifted by 24 - H hours the stamps D-1 H+1:00 … D H:00 become the calendar day D
    shifted = wide.with_columns(pl.col("time") + timedelta(hours=24 - issue_hour))
    return observed_daily(shifted)


def aqi_of_daily(
    daily: pl.DataFrame, keys: list[str], edition: EditionChoice = "auto"
) -> pl.DataFrame:
    """HJ 633 daily AQI of forecast daily values, through :func:`ecogov.engine.air.daily_aqi`.

    ``daily`` has the ``keys`` (one of them ``date``, the Beijing day the values are for) and the
    :data:`DAILY_TARGETS` columns [µg/m³; CO mg/m³] (a missing column or null = not forecast).
    Returns ``keys`` + ``aqi`` (Int16), ``level`` (Int8, 1-6) and ``primary`` (String, codes
    joined with ";", "" when AQI ≤ 50).
    """
    exact = daily.select(
        *keys,
        *(
            expression
            for name in DAILY_TARGETS
            for expression in (
                (
                    (pl.col(name) * SCALE).round().cast(pl.Int64)
                    if name in daily.columns
                    else pl.lit(None, dtype=pl.Int64)
                ).alias(f"{name}_num"),
                # the exact engine takes a missing value as a null numerator AND denominator
                (
                    pl.when(pl.col(name).is_not_null()).then(pl.lit(SCALE, dtype=pl.Int64))
                    if name in daily.columns
                    else pl.lit(None, dtype=pl.Int64)
                ).alias(f"{name}_den"),
            )
        ),
    )
    report = daily_aqi(exact, edition)
    return report.select(
        *keys,
        "aqi",
        "level",
        pl.col("primary_pollutants").cast(pl.String).alias("primary"),
    )
