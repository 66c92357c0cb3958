"""The batch jobs (批处理作业): what each reads, how it is partitioned, and the engine functions
it calls on a partition and, for a global step, on the driver (docs/batch.md).

A job is split where its rules are local: :attr:`Job.partition` runs on the rows of some values
of :attr:`Job.key` (every station of a city, every record of a device, every evidence record of
an enterprise …) and is the same function on every backend — the Polars backend calls it once on
the whole input, the Spark backend once per Spark partition. :attr:`Job.final` is the small
global step (a ranking, basin shares, risk scores) that runs on the driver over the partitions'
outputs. No rule is written here: every figure comes from ``ecogov.engine`` or the domains'
pure functions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import polars as pl

from ecogov.engine.air import (
    POLLUTANTS,
    change_and_rank,
    city_daily_values,
    daily_aqi,
    daily_values,
    hourly_aqi,
    period_statistics,
)
from ecogov.engine.enforcement.credit import EVIDENCE_SCHEMA, rate, unknown_indicators
from ecogov.engine.waste import FINDINGS_SCHEMA, RuleSet, risk_scores, run_checks
from ecogov.engine.waste.tables import WasteFrames, latest_date
from ecogov.engine.water import ITEM, WATER_BODY, grade, item_classes, main_pollutants
from ecogov.engine.water import section_classes as water_section_classes
from ecogov.engine.water_evaluation import class_shares
from ecogov.engine.water_means import period_means
from ecogov.hj212.exceedance import judge
from ecogov.hj212.frames import RECORD_SCHEMA, factor_frame
from ecogov.hj212.quality import Channel, CheckInput, Finding
from ecogov.hj212.quality import run_checks as run_quality_checks
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import both
from ecogov.standards.enforcement.credit import NATIONAL_METHOD
from ecogov.waste.bundle import read_bundle

Schema = Mapping[str, pl.DataType]
Partition = Callable[[pl.DataFrame, Any], dict[str, pl.DataFrame]]
FinalStep = Callable[[Mapping[str, pl.DataFrame], Any], dict[str, pl.DataFrame]]

PARQUET: Final = ".parquet"
CSV: Final = ".csv"


@dataclass(frozen=True)
class Table:
    """An input table: its file stem in the input folder and the columns read (with types)."""

    name: str
    schema: Schema


@dataclass(frozen=True)
class Prepared:
    """What a job reads on the driver before the partitions run.

    ``context`` goes to every partition (small reference tables, rules, a window); ``main`` is
    the partitioned table when the driver builds it (otherwise the job's :attr:`Job.main` file);
    ``key_map`` maps a main-table column to the partition key when the key is not in the table
    (stations to their city)."""

    context: Any
    main: pl.DataFrame | None = None
    key_map: pl.DataFrame | None = None


@dataclass(frozen=True)
class Job:
    """A batch job (see the module docstring)."""

    name: str
    title: tuple[str, str]
    main: Table | None
    key: str
    prepare: Callable[[Path], Prepared]
    partition: Partition
    final: FinalStep | None = None
    final_inputs: tuple[str, ...] = ()


# --- reading ----------------------------------------------------------------------------------


def table_file(folder: Path, table: str) -> Path:
    """The file (or folder of Parquet parts) holding ``table`` in ``folder``.

    Raises:
        InputError: no ``table.parquet``, ``table/`` or ``table.csv``.
    """
    for candidate in (folder / f"{table}{PARQUET}", folder / table, folder / f"{table}{CSV}"):
        if candidate.exists():
            return candidate
    raise InputError(both("batch.error.table", path=folder, table=table))


def parquet_glob(path: Path) -> str:
    """What Polars and Spark read for a Parquet table: the file, or the parts of a folder."""
    return str(path / f"*{PARQUET}") if path.is_dir() else str(path)


def file_columns(path: Path) -> list[str]:
    """The column names of a table file, read from its header or Parquet footer only."""
    try:
        if path.suffix == CSV:
            return pl.read_csv(path, n_rows=0).columns
        return list(pl.scan_parquet(parquet_glob(path)).collect_schema().names())
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputError(both("batch.error.unreadable", file=path, reason=exc)) from exc


def check_columns(path: Path, schema: Schema) -> None:
    """Refuse a table file without every column of ``schema``."""
    missing = [name for name in schema if name not in file_columns(path)]
    if missing:
        raise InputError(both("batch.error.columns", file=path, missing=", ".join(missing)))


def conform(frame: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """The columns of ``schema`` of ``frame``, cast to their types (other columns dropped)."""
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


def read_table(folder: Path, table: Table) -> pl.DataFrame:
    """A whole input table, checked and conformed to its schema."""
    path = table_file(folder, table.name)
    check_columns(path, table.schema)
    try:
        if path.suffix == CSV:
            frame = pl.read_csv(path, schema_overrides=dict(table.schema))
        else:
            frame = pl.read_parquet(parquet_glob(path))
        return conform(frame, table.schema)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputError(both("batch.error.unreadable", file=path, reason=exc)) from exc


def optional_table(folder: Path, table: Table) -> pl.DataFrame:
    """An input table that may be absent (then empty, with its schema)."""
    try:
        table_file(folder, table.name)
    except InputError:
        return pl.DataFrame(schema=dict(table.schema))
    return read_table(folder, table)


# --- air-year ---------------------------------------------------------------------------------

AIR_HOURLY: Final = Table(
    "hourly",
    {"station": pl.String(), "time": pl.Datetime("us"), **dict.fromkeys(POLLUTANTS, pl.Float64())},
)
AIR_STATIONS: Final = Table("stations", {"station": pl.String(), "city": pl.String()})


def air_prepare(folder: Path) -> Prepared:
    """The station list, which also maps each station to its city (the partition key)."""
    stations = read_table(folder, AIR_STATIONS)
    return Prepared(context=stations, key_map=stations)


def air_partition(hourly: pl.DataFrame, stations: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Every city-local step of the air year: hourly AQI, station and city daily values and
    AQI, station and city annual statistics (HJ 633, HJ 663)."""
    station_daily = daily_aqi(daily_values(hourly))
    city_daily = daily_aqi(city_daily_values(station_daily, stations))
    return {
        "hourly_aqi": hourly_aqi(hourly, "auto"),
        "station_daily": station_daily,
        "city_daily": city_daily,
        "station_year": period_statistics(station_daily, "year"),
        "city_year": period_statistics(city_daily, "year"),
    }


def air_final(outputs: Mapping[str, pl.DataFrame], _: Any) -> dict[str, pl.DataFrame]:
    """The national step: every city ranked by its composite index (环办监测〔2018〕19号)."""
    return {"city_ranking": change_and_rank(outputs["city_year"])}


# --- water-evaluation -------------------------------------------------------------------------

WATER_MONTHLY: Final = Table(
    "monthly",
    {
        "section": pl.Int64(),
        "month": pl.Date(),
        "parameter": pl.String(),
        "value": pl.Float64(),
        "water_body": pl.String(),
    },
)
WATER_SECTIONS: Final = Table(
    "sections", {"section": pl.Int64(), "water_body": pl.String(), "basin": pl.String()}
)


def water_prepare(folder: Path) -> Prepared:
    """The sections' water bodies and basins."""
    sections = read_table(folder, WATER_SECTIONS)
    return Prepared(context=sections.with_columns(pl.col("water_body").cast(WATER_BODY)))


def water_partition(monthly: pl.DataFrame, sections: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Section-local evaluation (GB 3838-2002, 环办〔2011〕22号): every section-month classed
    and graded; annual means, class, grade and main pollutants of every section-year."""
    typed = monthly.with_columns(
        pl.col("parameter").cast(ITEM), pl.col("water_body").cast(WATER_BODY)
    )
    months = water_section_classes(item_classes(typed), ["section", "month"])
    annual_items = item_classes(
        period_means(typed, "year").join(sections.select("section", "water_body"), on="section")
    )
    keys = ["section", "period"]
    annual = (
        water_section_classes(annual_items, keys)
        .with_columns(grade=grade(pl.col("water_class")))
        .join(main_pollutants(annual_items, keys), on=keys)
    )
    return {
        "section_month": months.with_columns(grade=grade(pl.col("water_class"))),
        "section_year": annual,
    }


def water_final(
    outputs: Mapping[str, pl.DataFrame], sections: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """The basin step: each basin-year graded by the shares of its sections' classes."""
    years = outputs["section_year"].join(sections.select("section", "basin"), on="section")
    return {"basin_year": class_shares(years, ["basin", "period"])}


# --- hj212-judgement --------------------------------------------------------------------------

HJ212_RECORDS: Final = Table(
    "records", {"mn": pl.String(), "cn": pl.String(), "data_time": pl.Int64(), "cp": pl.String()}
)
HJ212_LIMITS: Final = Table(
    "limits",
    {
        "mn": pl.String(),
        "code": pl.String(),
        "limit": pl.Float64(),
        "unit": pl.String(),
        "averaging": pl.String(),
        "basis": pl.String(),
    },
)
HJ212_CHANNELS: Final = Table(
    "channels",
    {
        "mn": pl.String(),
        "code": pl.String(),
        "range_low": pl.Float64(),
        "range_high": pl.Float64(),
        "detection_limit": pl.Float64(),
    },
)
WINDOW_FILE: Final = "window.json"
EXCEEDANCE_SCHEMA: Final[Schema] = {
    "mn": pl.String(),
    "factor": pl.String(),
    "averaging": pl.String(),
    "basis": pl.String(),
    "start": pl.Datetime("us", "UTC"),
    "end": pl.Datetime("us", "UTC"),
    "hours": pl.Float64(),
    "peak": pl.Float64(),
    "limit": pl.Float64(),
    "unit": pl.String(),
    "multiple": pl.Float64(),
}
QUALITY_SCHEMA: Final[Schema] = {
    "check": pl.String(),
    "mn": pl.String(),
    "factor": pl.String(),
    "start": pl.Datetime("us", "UTC"),
    "end": pl.Datetime("us", "UTC"),
    "cause": pl.String(),
}


@dataclass(frozen=True)
class PermitRow:
    """A permit limit as :func:`ecogov.hj212.exceedance.judge` reads it (a row of limits)."""

    factor_code: str
    limit_value: float
    unit: str
    averaging: str
    basis: str


@dataclass(frozen=True)
class Hj212Context:
    """The judgement window [Unix s], the permit limits and the analyser channels."""

    first: int
    last: int
    limits: pl.DataFrame
    channels: pl.DataFrame


def read_window(folder: Path) -> tuple[int, int]:
    """``since`` and ``until`` of ``window.json`` as Unix seconds (ISO times with an offset)."""
    path = folder / WINDOW_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        first = datetime.fromisoformat(document["since"])
        last = datetime.fromisoformat(document["until"])
        if first.tzinfo is None or last.tzinfo is None or last <= first:
            raise ValueError(path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(both("batch.error.window", file=path)) from exc
    return int(first.timestamp()), int(last.timestamp())


def hj212_prepare(folder: Path) -> Prepared:
    """The window, the permit limits and (optionally) the analyser channels."""
    first, last = read_window(folder)
    return Prepared(
        context=Hj212Context(
            first,
            last,
            read_table(folder, HJ212_LIMITS),
            optional_table(folder, HJ212_CHANNELS),
        )
    )


def device_judgement(
    mn: str, records: pl.DataFrame, context: Hj212Context
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """The exceedance events and data-quality findings of one device, by the same functions
    as ``ecogov hj212 alerts`` (:func:`~ecogov.hj212.exceedance.judge`,
    :func:`~ecogov.hj212.quality.run_checks`), its records given instead of read from the store."""
    window = records.filter(pl.col("data_time").is_between(context.first, context.last - 1))

    def records_of(cn: str) -> pl.DataFrame:
        return window.filter(pl.col("cn") == cn).select(RECORD_SCHEMA.keys())

    permits = [
        PermitRow(row["code"], row["limit"], row["unit"], row["averaging"], row["basis"])
        for row in context.limits.filter(pl.col("mn") == mn).iter_rows(named=True)
    ]
    events = [asdict(event) for event in judge(mn, permits, records_of)]
    channels = {
        row["code"]: Channel(row["range_low"], row["range_high"], row["detection_limit"])
        for row in context.channels.filter(pl.col("mn") == mn).iter_rows(named=True)
    }
    data = CheckInput(
        mn=mn,
        hourly=factor_frame(records_of("2061")),
        first=context.first,
        last=context.last,
        channels=channels,
    )
    return events, run_quality_checks(data)


def hj212_partition(records: pl.DataFrame, context: Hj212Context) -> dict[str, pl.DataFrame]:
    """Device-local judgement of every device of ``records``."""
    events: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for (mn,), device in records.partition_by("mn", as_dict=True, maintain_order=True).items():
        found_events, found = device_judgement(str(mn), device, context)
        events += found_events
        findings += [asdict(finding) for finding in found]
    return {
        "exceedances": pl.DataFrame(events, schema=dict(EXCEEDANCE_SCHEMA), orient="row"),
        "quality_findings": pl.DataFrame(findings, schema=dict(QUALITY_SCHEMA), orient="row"),
    }


# --- waste-checks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WasteContext:
    """The bundle's frames, its rule set and the as-of date the checks use."""

    frames: WasteFrames
    rules: RuleSet
    as_of: date | None


def waste_prepare(folder: Path) -> Prepared:
    """The waste bundle (docs/waste-bundle.md) and one row per enabled rule: the rules are
    independent of each other, so a job's partition is a set of rules over the whole bundle."""
    bundle = read_bundle(folder)
    as_of = bundle.rules.as_of or latest_date(bundle.frames)
    rules = pl.DataFrame({"rule": list(bundle.rules.enabled)}, schema={"rule": pl.String})
    return Prepared(context=WasteContext(bundle.frames, bundle.rules, as_of), main=rules)


def waste_partition(rules: pl.DataFrame, context: WasteContext) -> dict[str, pl.DataFrame]:
    """The findings of the partition's rules, as ``ecogov waste check`` gives them."""
    chosen = replace(context.rules, enabled=tuple(rules["rule"].to_list()))
    findings, _ = run_checks(context.frames, chosen, context.as_of)
    return {"findings": findings.cast(dict(FINDINGS_SCHEMA))}  # type: ignore[arg-type]


def waste_final(
    outputs: Mapping[str, pl.DataFrame], context: WasteContext
) -> dict[str, pl.DataFrame]:
    """The risk score of every generator and receiver from all the findings."""
    scores = risk_scores(outputs["findings"], context.frames.parties, context.rules.risk_weights)
    return {"risk_scores": scores}


# --- credit -----------------------------------------------------------------------------------

CREDIT_EVIDENCE: Final = Table("evidence", EVIDENCE_SCHEMA)


def credit_prepare(_: Path) -> Prepared:
    """The national credit method (the evidence itself is the partitioned table)."""
    return Prepared(context=NATIONAL_METHOD)


def credit_partition(evidence: pl.DataFrame, method: Any) -> dict[str, pl.DataFrame]:
    """Enterprise-local credit rating: grades and the trace of every point."""
    unknown = unknown_indicators(evidence, method)
    if unknown:
        raise InputError(both("batch.error.indicators", unknown=", ".join(unknown)))
    result = rate(evidence, method)
    return {"grades": result.grades, "trace": result.trace}


# --- the registry -----------------------------------------------------------------------------

JOBS: Final[dict[str, Job]] = {
    job.name: job
    for job in (
        Job(
            "air-year",
            ("空气质量年度评价", "Air-quality year"),
            AIR_HOURLY,
            "city",
            air_prepare,
            air_partition,
            air_final,
            ("city_year",),
        ),
        Job(
            "water-evaluation",
            ("地表水水质评价", "Surface-water evaluation"),
            WATER_MONTHLY,
            "section",
            water_prepare,
            water_partition,
            water_final,
            ("section_year",),
        ),
        Job(
            "hj212-judgement",
            ("在线监测超标判定与数据质量核查", "HJ 212 exceedance and data-quality judgement"),
            HJ212_RECORDS,
            "mn",
            hj212_prepare,
            hj212_partition,
        ),
        Job(
            "waste-checks",
            ("固废危废全链条核查", "Waste full-chain checks"),
            None,
            "rule",
            waste_prepare,
            waste_partition,
            waste_final,
            ("findings",),
        ),
        Job(
            "credit",
            ("企业环境信用评价", "Enterprise environmental credit"),
            CREDIT_EVIDENCE,
            "enterprise_id",
            credit_prepare,
            credit_partition,
        ),
    )
}


def find_job(name: str) -> Job:
    """The job called ``name``.

    Raises:
        InputError: no such job (the message lists the jobs).
    """
    if name not in JOBS:
        raise InputError(both("batch.error.job", job=name, known=", ".join(JOBS)))
    return JOBS[name]
