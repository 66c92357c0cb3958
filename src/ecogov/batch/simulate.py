"""Seeded input folders for the batch jobs (docs/batch.md), of any size: the tests run every job
on small ones, ``benchmarks/engine_spark.py`` on a province's devices and the national network.

The waste job reads a waste bundle (``ecogov.waste.simulate`` makes those); the others are
written here: hourly air data of stations in cities, monthly surface-water values, HJ 212 hourly
and daily records (CP text as received, with planted exceedances, flat lines and gaps), credit
evidence.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Final

import numpy as np
import polars as pl

from ecogov.engine.air import POLLUTANTS
from ecogov.standards.enforcement.credit import NATIONAL_METHOD
from ecogov.standards.timebase import BEIJING

AIR_LEVELS: Final = {"SO2": 8.0, "NO2": 30.0, "CO": 0.8, "O3": 60.0, "PM10": 70.0, "PM2.5": 40.0}
WATER_ITEMS: Final = {  # GB 3838 item code → typical river value [mg/L; pH unitless]
    "w01001": 7.5,
    "w01009": 6.5,
    "w01019": 4.0,
    "w01018": 15.0,
    "w21003": 0.5,
    "w21011": 0.1,
}
FLUE_FACTORS: Final = {"a21026": 20.0, "a21002": 60.0, "a34013": 6.0}
"""SO2, NOx, particulate matter [mg/m³]: typical hourly means of a flue-gas device."""
OXYGEN: Final = ("a19001", 9.0)
HOUR: Final = 3600


def air_inputs(folder: Path, stations: int, cities: int, days: int, seed: int = 1) -> None:
    """``hourly.parquet`` and ``stations.csv`` of the air-year job: ``stations`` stations in
    ``cities`` cities, hour-ending stamps of ``days`` days from 2025-01-01, 3 % values missing."""
    rng = np.random.default_rng(seed)
    hours = days * 24
    rows = stations * hours
    stamp = np.datetime64(datetime(2025, 1, 1, 1), "us") + np.tile(
        np.arange(hours, dtype="int64"), stations
    ) * np.int64(3_600_000_000)
    codes = [f"{1001 + index}A" for index in range(stations)]
    columns: dict[str, object] = {"station": np.repeat(codes, hours), "time": stamp}
    level = np.repeat(rng.lognormal(0, 0.35, stations), hours)
    for name, typical in AIR_LEVELS.items():
        values = np.round(typical * level * rng.gamma(4.0, 0.25, rows), 2 if name == "CO" else 0)
        columns[name] = np.where(rng.random(rows) < 0.03, np.nan, values)
    frame = pl.DataFrame(columns).with_columns(pl.col(POLLUTANTS).fill_nan(None))
    frame.write_parquet(folder / "hourly.parquet")
    cities_of = [f"C{index % cities:03d}" for index in range(stations)]
    pl.DataFrame({"station": codes, "city": cities_of}).write_csv(folder / "stations.csv")


def water_inputs(folder: Path, sections: int, years: int, seed: int = 2) -> None:
    """``monthly.csv`` and ``sections.csv`` of the water-evaluation job (rivers and lakes in
    four basins, one value per section, month and item)."""
    rng = np.random.default_rng(seed)
    months = [date(2020 + m // 12, m % 12 + 1, 1) for m in range(12 * years)]
    bodies = ["lake" if index % 5 == 0 else "river" for index in range(sections)]
    rows = [
        (section, month, code, round(float(typical * rng.lognormal(0, 0.4)), 3), bodies[section])
        for section in range(sections)
        for month in months
        for code, typical in WATER_ITEMS.items()
    ]
    schema = ["section", "month", "parameter", "value", "water_body"]
    pl.DataFrame(rows, schema=schema, orient="row").write_csv(folder / "monthly.csv")
    basins = [f"B{index % 4}" for index in range(sections)]
    pl.DataFrame({"section": range(sections), "water_body": bodies, "basin": basins}).write_csv(
        folder / "sections.csv"
    )


def _cp(values: dict[str, pl.Expr], oxygen: pl.Expr) -> pl.Expr:
    """The CP area of an hourly or daily upload: DataTime, then per factor Min/Avg/Max, the
    converted mean (gases and particulates, reference O2 6 %) and the flag N (§6.3.3)."""
    items = [pl.lit("DataTime=20250101000000")]
    for code, value in values.items():
        converted = value * (21 - 6) / (21 - oxygen)
        items.append(
            pl.format(
                f"{code}-Min={{}},{code}-Avg={{}},{code}-Max={{}},{code}-ZsAvg={{}},{code}-Flag=N",
                (value * 0.8).round(2),
                value.round(2),
                (value * 1.2).round(2),
                converted.round(2),
            )
        )
    code = OXYGEN[0]
    items.append(pl.format(f"{code}-Avg={{}},{code}-Flag=N", oxygen.round(2)))
    return pl.concat_str(items, separator=";")


def hj212_inputs(folder: Path, devices: int, days: int, seed: int = 3) -> None:
    """``records.parquet``, ``limits.csv``, ``channels.csv`` and ``window.json`` of the HJ 212
    judgement: hourly (2061) records of every device, daily (2031) means, SO2 exceeding its
    limit now and then, one device in ten flat for a day, 1 % of hours missing."""
    rng = np.random.default_rng(seed)
    start = int(datetime(2025, 1, 1, tzinfo=BEIJING).timestamp())
    hours = days * 24
    mns = [f"8800000000{index:06d}01" for index in range(devices)]
    device = np.repeat(np.arange(devices), hours)
    hour = np.tile(np.arange(hours), devices)
    kept = rng.random(devices * hours) >= 0.01
    flat = (device % 10 == 0) & (hour >= 24) & (hour < 48)
    values: dict[str, np.ndarray] = {}
    for code, typical in FLUE_FACTORS.items():
        drawn = typical * rng.lognormal(0, 0.35, devices * hours)
        values[code] = np.where(flat, typical, drawn)
    oxygen = OXYGEN[1] + rng.normal(0, 0.5, devices * hours)
    hourly = pl.DataFrame(
        {
            "mn": pl.Series(mns).gather(device),
            "day": hour // 24,
            "data_time": start + hour.astype(np.int64) * HOUR,
            **values,
            OXYGEN[0]: oxygen,
        }
    ).filter(pl.Series(kept))
    factors = {code: pl.col(code) for code in FLUE_FACTORS}
    daily = hourly.group_by("mn", "day").agg(pl.col([*FLUE_FACTORS, OXYGEN[0]]).mean())
    records = pl.concat(
        [
            hourly.select("mn", cn=pl.lit("2061"), data_time="data_time",
                          cp=_cp(factors, pl.col(OXYGEN[0]))),
            daily.select("mn", cn=pl.lit("2031"), data_time=start + pl.col("day") * 86_400,
                         cp=_cp(factors, pl.col(OXYGEN[0]))),
        ]
    ).sort("mn", "cn", "data_time")  # fmt: skip
    records.write_parquet(folder / "records.parquet")
    limits = [
        (mn, code, limit, "mg/m³", averaging, "converted")
        for mn in mns
        for code, limit, averaging in (("a21026", 35.0, "hourly"), ("a34013", 10.0, "daily"))
    ]
    schema = ["mn", "code", "limit", "unit", "averaging", "basis"]
    pl.DataFrame(limits, schema=schema, orient="row").write_csv(folder / "limits.csv")
    channels = [(mn, "a21026", 0.0, 200.0, 3.0) for mn in mns]
    schema = ["mn", "code", "range_low", "range_high", "detection_limit"]
    pl.DataFrame(channels, schema=schema, orient="row").write_csv(folder / "channels.csv")
    since = datetime.fromtimestamp(start, BEIJING)
    window = {"since": since.isoformat(), "until": (since + timedelta(days=days)).isoformat()}
    (folder / "window.json").write_text(json.dumps(window), encoding="utf-8")


def credit_inputs(folder: Path, enterprises: int, records: int, seed: int = 4) -> None:
    """``evidence.parquet`` of the credit job: ``records`` records of the national method's
    indicators and vetoes (one in fifty a veto) over ``enterprises`` enterprises in 2025."""
    rng = np.random.default_rng(seed)
    keys = [indicator.key for indicator in NATIONAL_METHOD.indicators]
    vetoes = [veto.key for veto in NATIONAL_METHOD.vetoes]
    veto = rng.random(records) < 0.02
    chosen = np.where(veto, rng.choice(vetoes, records), rng.choice(keys, records))
    days = rng.integers(0, 365, records)
    frame = pl.DataFrame(
        {
            "enterprise_id": [f"E{index:05d}" for index in rng.integers(0, enterprises, records)],
            "indicator": chosen,
            "date": [date(2025, 1, 1) + timedelta(days=int(day)) for day in days],
            "count": rng.integers(1, 4, records).astype(float),
            "evidence_id": [f"R{index:07d}" for index in range(records)],
            "source": "simulated",
        }
    )
    frame.write_parquet(folder / "evidence.parquet")
