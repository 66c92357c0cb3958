"""The waste full-chain checks (全链条核查), vectorized: frames in, one findings frame out.

Each rule is registered in :mod:`ecogov.engine.waste.rules` with its parameters and their sources;
docs/waste-bundle.md defines exactly what each flags (the docstrings below say the same briefly).
A finding is ``rule, subject, code, period, severity, evidence`` — the evidence a JSON object of
the numbers that made it. Quantities are compared in whole grams, so sums are exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from typing import Final

import polars as pl

from ecogov.engine.waste.rules import RULES, CheckInput, Param, Params, RuleSet, register
from ecogov.engine.waste.tables import ACTIVE, ID, OUT_STAGES, WasteFrames, latest_date
from ecogov.standards.waste.codes import WasteCodeError, parse_waste_code
from ecogov.standards.waste.transfer import TIME_LIMITS, LimitUnit, TimeLimit
from ecogov.standards.workdays import add_working_days

__all__ = ["EARTH_RADIUS_KM", "FINDINGS_SCHEMA", "haversine_km", "run_checks"]

GRAMS: Final = 1_000_000
EARTH_RADIUS_KM: Final = 6371.0088
"""Mean Earth radius (IUGG) for great-circle distances."""
FINDINGS_SCHEMA: Final = {
    "rule": pl.String,
    "subject": pl.String,
    "code": pl.String,
    "period": pl.String,
    "severity": pl.String,
    "evidence": pl.String,
}


def _limit(key: str) -> TimeLimit:
    """The open-ended (current) row of a time limit: the default of the rule that applies it."""
    return next(row for row in TIME_LIMITS if row.key == key and row.valid_to is None)


def _storage_days() -> float:
    row = _limit("storage.business_unit")
    assert row.unit is LimitUnit.YEARS
    return 365.0 * row.amount


def grams(column: str) -> pl.Expr:
    """A tonnes column in whole grams (exact sums)."""
    return (pl.col(column) * GRAMS).round().cast(pl.Int64)


def tonnes(expression: pl.Expr) -> pl.Expr:
    """Grams back to tonnes (for evidence, to the gram)."""
    return (expression / GRAMS).round(6)


TRANSFER_DATE: Final = pl.coalesce("picked_up_at", "created_at").dt.date()
"""A manifest's transfer date: the day of pickup, or of creation when not yet picked up."""


MANIFEST_FACTS: Final = (
    "manifest_no",
    "generator_id",
    "carrier_id",
    "receiver_id",
    "waste_code",
    "shipped_t",
    "received_t",
    "picked_up_at",
    "delivered_at",
    "accepted_at",
    "confirmed_at",
)
"""The manifest columns the rules read (the free-text ones are left behind)."""


def _active_manifests(data: CheckInput) -> pl.DataFrame:
    """Active manifests with their transfer date, up to the as-of date (computed once a run)."""
    return data.shared(
        "manifests",
        lambda: (
            data.frames.manifests.lazy()
            .filter(ACTIVE)
            .select(*MANIFEST_FACTS, transfer_date=TRANSFER_DATE)
            .filter(pl.col("transfer_date") <= data.as_of)
            .collect()
        ),
    )


def _ledger(data: CheckInput) -> pl.DataFrame:
    """Ledger entries up to the as-of date with their quantity in grams ``g`` (computed once)."""
    return data.shared(
        "ledger",
        lambda: data.frames.ledger.filter(pl.col("date") <= data.as_of).with_columns(
            g=grams("quantity_t")
        ),
    )


def _year(column: str) -> pl.Expr:
    """The calendar year of a date column (an integer: cheap to group by)."""
    return pl.col(column).dt.year()


def _category(code: str) -> str | None:
    """The category label ``HWnn`` of a waste code (名录 Art. 5), None for a malformed one."""
    try:
        return parse_waste_code(code).hw
    except WasteCodeError:
        return None


def _beyond(difference: pl.Expr, base: pl.Expr, params: Params) -> pl.Expr:
    """Whether a difference [g] exceeds ``absolute_t`` [t] + ``relative`` × ``base`` [g]."""
    return difference.abs() > params["absolute_t"] * GRAMS + params["relative"] * base


def _iso(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%Y-%m-%d")


# --- storage -----------------------------------------------------------------------------------


@register(
    "storage_age",
    "贮存超期",
    "storage beyond its time limit",
    "orange",
    limit_days=Param(
        _storage_days(), "SWL Art. 81 (1 year, TR storage.business_unit) as 365 d", "d"
    ),
)
def storage_age(data: CheckInput, params: Params) -> pl.DataFrame:
    """Batches stored in (``stored_in``) still in stock on the as-of date, first in first out per
    party and code (every out-stage consumes the oldest batches first), older than
    ``limit_days``: one finding per batch."""
    ledger = _ledger(data)
    keys = ["party_id", "waste_code"]
    age = (pl.lit(data.as_of) - pl.col("date")).dt.total_days()
    # Every batch before an old batch is at least as old: the old batches alone give the
    # running sums that first in, first out needs.
    batches = (
        ledger.filter((pl.col("stage") == "stored_in") & (age > params["limit_days"]))
        .with_columns(age=age)
        .with_columns(high=pl.col("g").cum_sum().over(keys, order_by=["date", "entry_id"]))
        .with_columns(low=pl.col("high") - pl.col("g"))
    )
    taken = (
        ledger.filter(pl.col("stage").is_in(OUT_STAGES))
        .join(batches.select(keys).unique(), on=keys, how="semi")
        .group_by(keys)
        .agg(out=pl.col("g").sum())
    )
    found = (
        batches.join(taken, on=keys, how="left")
        .with_columns(
            left=(pl.col("high") - pl.max_horizontal("low", pl.col("out").fill_null(0))).clip(0)
        )
        .filter(pl.col("left") > 0)
    )
    return found.select(
        subject="party_id",
        code="waste_code",
        period=_iso("date"),
        evidence=pl.struct(
            "entry_id",
            "facility_id",
            batch_date=_iso("date"),
            stock_t=tonnes(pl.col("left")),
            age_days="age",
            limit_days=pl.lit(params["limit_days"]),
        ),
    )


@register(
    "storage_capacity", "贮存量超过设施能力", "storage above the facility's capacity", "orange"
)
def storage_capacity(data: CheckInput, params: Params) -> pl.DataFrame:
    """Storage facilities whose end-of-day stock (``stored_in`` adds, out-stages take, entries
    of that facility) exceeds ``capacity_t`` on some ledger date: one finding per facility and
    calendar year, with the first such date, the number of such dates and the peak."""
    facilities = data.frames.facilities.filter(
        (pl.col("kind") == "storage") & pl.col("capacity_t").is_not_null()
    ).select("facility_id", "party_id", "capacity_t", cap=grams("capacity_t"))
    sign = pl.when(pl.col("stage") == "stored_in").then(1).otherwise(-1)
    # one sort key: the facility (its category code) in the high bits, the day in the low ones
    order = (
        pl.col("facility_id").to_physical().cast(pl.Int64) * 2**32 + pl.col("date").to_physical()
    )
    # sorted by facility and date, a facility's stock is the running sum less the running sum
    # before the facility's first row, carried forward (no per-facility window)
    new_facility = (pl.col("facility_id") != pl.col("facility_id").shift(1)).fill_null(True)
    before = pl.when(new_facility).then(pl.col("running") - pl.col("delta")).forward_fill()
    daily = (
        _ledger(data)
        .lazy()
        .filter(pl.col("stage").is_in(["stored_in", *OUT_STAGES]))
        .select("facility_id", "date", delta=pl.col("g") * sign)
        .join(facilities.lazy().select("facility_id", "cap"), on="facility_id")
        .with_columns(order=order)
        .sort("order")
        .with_columns(running=pl.col("delta").cum_sum())
        .with_columns(
            stock=pl.col("running") - before,
            last=(pl.col("order") != pl.col("order").shift(-1)).fill_null(True),
        )
        .filter(pl.col("last") & (pl.col("stock") > pl.col("cap")))
        .select("facility_id", "date", "stock", year=_year("date"))
        .collect()
        .join(facilities.select("facility_id", "party_id", "capacity_t"), on="facility_id")
    )
    found = daily.group_by("facility_id", "year").agg(
        pl.col("party_id").first(),
        pl.col("capacity_t").first(),
        first_date=pl.col("date").min(),
        dates=pl.len(),
        peak=pl.col("stock").max(),
        peak_date=pl.col("date").sort_by("stock", "date", descending=[True, False]).first(),
    )
    return found.select(
        subject="party_id",
        code=pl.lit(None, pl.String),
        period=pl.col("year").cast(pl.String),
        evidence=pl.struct(
            "facility_id",
            "capacity_t",
            first_date=_iso("first_date"),
            dates_over="dates",
            peak_t=tonnes(pl.col("peak")),
            peak_date=_iso("peak_date"),
        ),
    )


# --- mass balance ------------------------------------------------------------------------------


@register(
    "plan_exceeded",
    "产生量超出管理计划",
    "generation above the management plan",
    "yellow",
    tolerance=Param(0.1, "[D] share above the plan tolerated"),
)
def plan_exceeded(data: CheckInput, params: Params) -> pl.DataFrame:
    """Per party, code and calendar year: ledger ``generated`` above the plans' ``planned_t``
    (0 without a plan) × (1 + ``tolerance``)."""
    generated = (
        _ledger(data)
        .lazy()
        .filter(pl.col("stage") == "generated")
        .group_by("party_id", "waste_code", year=pl.col("date").dt.year().cast(pl.Int32))
        .agg(generated=pl.col("g").sum())
        .collect()
    )
    planned = data.frames.plans.group_by("party_id", "waste_code", "year").agg(
        planned=grams("planned_t").sum()
    )
    found = generated.join(planned, on=["party_id", "waste_code", "year"], how="left").filter(
        pl.col("generated") > pl.col("planned").fill_null(0) * (1 + params["tolerance"])
    )
    return found.select(
        subject="party_id",
        code="waste_code",
        period=pl.col("year").cast(pl.String),
        evidence=pl.struct(
            generated_t=tonnes(pl.col("generated")),
            planned_t=tonnes(pl.col("planned").fill_null(0)),
            tolerance=pl.lit(params["tolerance"]),
        ),
    )


@register(
    "handover_mismatch",
    "移交量与联单量不符",
    "hand-over differs from the manifests",
    "orange",
    relative=Param(0.01, "[D] share of the larger amount"),
    absolute_t=Param(0.01, "[D] tonnes", "t"),
)
def handover_mismatch(data: CheckInput, params: Params) -> pl.DataFrame:
    """Per generator, code and calendar year: ledger ``handed_over`` (by entry date) against the
    ``shipped_t`` of its active manifests (by transfer date); flagged when they differ by more
    than ``absolute_t`` + ``relative`` × the larger."""
    keys = ["party_id", "waste_code", "year"]
    handed = (
        _ledger(data)
        .lazy()
        .filter(pl.col("stage") == "handed_over")
        .group_by("party_id", "waste_code", year=_year("date"))
        .agg(handed=pl.col("g").sum())
        .collect()
    )
    shipped = (
        _active_manifests(data)
        .lazy()
        .group_by(party_id="generator_id", waste_code="waste_code", year=_year("transfer_date"))
        .agg(shipped=grams("shipped_t").sum())
        .collect()
    )
    both = handed.join(shipped, on=keys, how="full", coalesce=True).with_columns(
        pl.col("handed", "shipped").fill_null(0)
    )
    larger = pl.max_horizontal("handed", "shipped")
    found = both.filter(_beyond(pl.col("handed") - pl.col("shipped"), larger, params))
    return found.select(
        subject="party_id",
        code="waste_code",
        period=pl.col("year").cast(pl.String),
        evidence=pl.struct(
            handed_over_t=tonnes(pl.col("handed")), manifested_t=tonnes(pl.col("shipped"))
        ),
    )


@register(
    "never_shipped",
    "产生后未转移",
    "generated but never shipped",
    "orange",
    grace_days=Param(90.0, "[D] days after the first generation", "d"),
)
def never_shipped(data: CheckInput, params: Params) -> pl.DataFrame:
    """Per generator and code: waste ``generated`` (first on a day more than ``grace_days``
    before the as-of date), with no active manifest and no ``utilised``/``disposed`` entry of
    that party and code up to the as-of date."""
    ledger = _ledger(data).lazy()
    generated = (
        ledger.filter(pl.col("stage") == "generated")
        .group_by("party_id", "waste_code")
        .agg(first=pl.col("date").min(), generated=pl.col("g").sum())
    )
    on_site = ledger.filter(pl.col("stage").is_in(["utilised", "disposed"])).select(
        "party_id", "waste_code"
    )
    shipped = (
        _active_manifests(data).lazy().select(party_id="generator_id", waste_code="waste_code")
    )
    keys = ["party_id", "waste_code"]
    found = (
        generated.filter(pl.col("generated") > 0)
        .join(on_site.unique(), on=keys, how="anti")
        .join(shipped.unique(), on=keys, how="anti")
        .with_columns(days=(pl.lit(data.as_of) - pl.col("first")).dt.total_days())
        .filter(pl.col("days") > params["grace_days"])
        .collect()
    )
    return found.select(
        subject="party_id",
        code="waste_code",
        period=_iso("first"),
        evidence=pl.struct(
            first_generated=_iso("first"),
            generated_t=tonnes(pl.col("generated")),
            days="days",
            grace_days=pl.lit(params["grace_days"]),
        ),
    )


@register(
    "small_collection",
    "小微产废单位未按周期收运",
    "small generator not collected in its cycle",
    "yellow",
    default_cycle_days=Param(90.0, "[D] cycle when collection_cycle_days is empty", "d"),
)
def small_collection(data: CheckInput, params: Params) -> pl.DataFrame:
    """Small generators (``small_generator`` = 1): the days from the first ledger entry to the
    first collection (an active manifest's transfer date), between collections, and from the
    last to the as-of date; each such gap longer than the cycle is a finding."""
    small = data.frames.parties.filter(pl.col("small_generator") == 1).select(
        "party_id",
        cycle=pl.col("collection_cycle_days")
        .cast(pl.Float64)
        .fill_null(params["default_cycle_days"]),
    )
    ledger = _ledger(data).lazy().join(small.lazy(), on="party_id", how="semi")
    starts = ledger.group_by("party_id").agg(day=pl.col("date").min())
    collections = (
        _active_manifests(data)
        .lazy()
        .select(party_id="generator_id", day="transfer_date")
        .join(small.lazy(), on="party_id", how="semi")
    )
    ends = small.lazy().select("party_id", day=pl.lit(data.as_of))
    gaps = (
        pl.concat([starts, collections, ends])
        .join(small.lazy(), on="party_id")
        .with_columns(key=pl.col("party_id").to_physical())
        .unique(["key", "day"])
        .sort("key", "day")
        .with_columns(start=pl.col("day").shift(1).over("key"))
        .filter(pl.col("start").is_not_null())
        .with_columns(gap=(pl.col("day") - pl.col("start")).dt.total_days())
        .filter(pl.col("gap") > pl.col("cycle"))
        .collect()
    )
    return gaps.select(
        subject="party_id",
        code=pl.lit(None, pl.String),
        period=_iso("start"),
        evidence=pl.struct(since=_iso("start"), until=_iso("day"), days="gap", cycle_days="cycle"),
    )


# --- manifests ---------------------------------------------------------------------------------


@register(
    "receipt_overdue",
    "联单接收确认超时",
    "manifest receipt not confirmed in time",
    "yellow",
    working_days=Param(
        float(_limit("manifest.receipt_confirmation").amount),
        _limit("manifest.receipt_confirmation").basis,
        "working days",
    ),
)
def receipt_overdue(data: CheckInput, params: Params) -> pl.DataFrame:
    """Accepted active manifests confirmed after ``working_days`` working days of the day of
    acceptance (national calendar), or unconfirmed when the as-of date is past that day."""
    accepted = _active_manifests(data).filter(pl.col("accepted_at").is_not_null())
    days = accepted.select(day=pl.col("accepted_at").dt.date()).unique()["day"].to_list()
    count = int(params["working_days"])
    deadlines = pl.DataFrame(
        {"day": days, "deadline": [add_working_days(day, count) for day in days]},
        schema={"day": pl.Date, "deadline": pl.Date},
    )
    confirmed = pl.col("confirmed_at").dt.date()
    found = (
        accepted.with_columns(day=pl.col("accepted_at").dt.date())
        .join(deadlines, on="day")
        .filter(
            pl.when(pl.col("confirmed_at").is_null())
            .then(pl.lit(data.as_of) > pl.col("deadline"))
            .otherwise(confirmed > pl.col("deadline"))
        )
    )
    return found.select(
        subject="receiver_id",
        code="waste_code",
        period=_iso("day"),
        evidence=pl.struct(
            "manifest_no",
            accepted=_iso("day"),
            deadline=_iso("deadline"),
            confirmed=confirmed.dt.strftime("%Y-%m-%d"),
            working_days=pl.lit(count),
        ),
    )


@register(
    "weight_discrepancy",
    "接收量与转移量不符",
    "received amount differs from shipped",
    "orange",
    relative=Param(0.10, "40 CFR 264.72(b): bulk waste, variations > 10 % in weight"),
    absolute_t=Param(0.0, "[D] tonnes", "t"),
)
def weight_discrepancy(data: CheckInput, params: Params) -> pl.DataFrame:
    """Active manifests with a ``received_t`` differing from ``shipped_t`` by more than
    ``absolute_t`` + ``relative`` × ``shipped_t``."""
    difference = grams("received_t") - grams("shipped_t")
    found = _active_manifests(data).filter(
        pl.col("received_t").is_not_null() & _beyond(difference, grams("shipped_t"), params)
    )
    return found.select(
        subject="generator_id",
        code="waste_code",
        period=_iso("transfer_date"),
        evidence=pl.struct(
            "manifest_no",
            "carrier_id",
            "receiver_id",
            "shipped_t",
            "received_t",
            difference_t=tonnes(difference),
        ),
    )


# --- licences ----------------------------------------------------------------------------------


def _licences(data: CheckInput, kind: str) -> pl.DataFrame:
    return data.frames.licences.filter(pl.col("kind") == kind).select(
        party_id="party_id",
        licence_no="licence_no",
        licence_code="waste_code",
        valid_from="valid_from",
        valid_to="valid_to",
    )


def _uncovered(data: CheckInput, kind: str, party: str) -> pl.DataFrame:
    """Active manifests none of whose ``party`` column's ``kind`` licences covering the code (a
    licence without a code covers every code) is valid on the transfer date, with ``covered``:
    whether the party holds any licence covering the code at all."""

    def compute() -> pl.DataFrame:
        manifests = _active_manifests(data)
        keys = [party, "waste_code"]
        licences = _licences(data, kind)
        pairs = manifests.select(keys).unique()
        spans = ["valid_from", "valid_to"]
        cover = pl.concat(
            [
                pairs.join(
                    licences.filter(pl.col("licence_code").is_not_null()),
                    left_on=keys,
                    right_on=["party_id", "licence_code"],
                ).select(*keys, *spans),
                pairs.join(
                    licences.filter(pl.col("licence_code").is_null()),
                    left_on=party,
                    right_on="party_id",
                ).select(*keys, *spans),
            ]
        )
        on_day = (pl.col("valid_from") <= pl.col("transfer_date")) & (
            pl.col("valid_to").is_null() | (pl.col("transfer_date") <= pl.col("valid_to"))
        )
        valid = (
            manifests.select("manifest_no", *keys, "transfer_date")
            .join(cover, on=keys)
            .filter(on_day)
            .select("manifest_no")
        )
        covered = cover.select(keys).unique().with_columns(covered=pl.lit(True))
        return (
            manifests.join(valid, on="manifest_no", how="anti")
            .join(covered, on=keys, how="left")
            .with_columns(pl.col("covered").fill_null(False))
        )

    return data.shared(f"uncovered:{kind}:{party}", compute)


def _licence_findings(data: CheckInput, found: pl.DataFrame, kind: str, party: str) -> pl.DataFrame:
    """Findings on manifests, with the numbers of the ``kind`` licences covering their code."""
    numbers = (
        found.select("manifest_no", party, "waste_code")
        .join(_licences(data, kind), left_on=party, right_on="party_id")
        .filter(pl.col("licence_code").is_null() | (pl.col("licence_code") == pl.col("waste_code")))
        .group_by("manifest_no")
        .agg(licences=pl.col("licence_no").unique().sort())
    )
    return found.join(numbers, on="manifest_no", how="left").select(
        subject=party,
        code="waste_code",
        period=_iso("transfer_date"),
        evidence=pl.struct("manifest_no", "licences", transfer_date=_iso("transfer_date")),
    )


@register(
    "receiver_unlicensed", "接收单位无该类经营许可", "receiver not licensed for the code", "red"
)
def receiver_unlicensed(data: CheckInput, params: Params) -> pl.DataFrame:
    """Active manifests whose receiver holds no operation licence covering the code at all."""
    found = _uncovered(data, "operation", "receiver_id").filter(pl.col("covered").not_())
    return _licence_findings(data, found, "operation", "receiver_id")


@register(
    "receiver_licence_expired",
    "接收单位许可证不在有效期",
    "receiver's licence not valid on the day",
    "red",
)
def receiver_licence_expired(data: CheckInput, params: Params) -> pl.DataFrame:
    """Active manifests whose receiver holds licences covering the code, none valid on the
    transfer date."""
    found = _uncovered(data, "operation", "receiver_id").filter(pl.col("covered"))
    return _licence_findings(data, found, "operation", "receiver_id")


@register(
    "carrier_unlicensed",
    "运输单位无有效运输许可",
    "carrier without a valid transport licence",
    "orange",
)
def carrier_unlicensed(data: CheckInput, params: Params) -> pl.DataFrame:
    """Picked-up active manifests whose carrier holds no transport licence covering the code
    and valid on the pickup day."""
    found = _uncovered(data, "transport", "carrier_id").filter(pl.col("picked_up_at").is_not_null())
    return _licence_findings(data, found, "transport", "carrier_id")


@register(
    "receiver_capacity", "接收量超过许可年经营规模", "annual licensed capacity exceeded", "orange"
)
def receiver_capacity(data: CheckInput, params: Params) -> pl.DataFrame:
    """Per receiver and calendar year: ``received_t`` of active manifests (by transfer date)
    per code above the summed ``annual_capacity_t`` of the operation licences naming that code
    and valid on some day of the year; a licence without a code limits the receiver's total
    (code empty in the finding)."""
    licences = (
        data.frames.licences.filter(
            (pl.col("kind") == "operation") & pl.col("annual_capacity_t").is_not_null()
        )
        .with_columns(
            year=pl.int_ranges(
                pl.col("valid_from").dt.year(),
                pl.coalesce(pl.col("valid_to").dt.year(), pl.lit(data.as_of.year)) + 1,
            )
        )
        .explode("year")
        .group_by(
            receiver_id="party_id", waste_code="waste_code", year=pl.col("year").cast(pl.Int32)
        )
        .agg(capacity=grams("annual_capacity_t").sum(), licences=pl.col("licence_no").sort())
    )
    received = (
        _active_manifests(data)
        .lazy()
        .filter(pl.col("received_t").is_not_null())
        .select("receiver_id", "waste_code", "transfer_date", "received_t")
        .collect()
    )
    per_code = received.group_by("receiver_id", "waste_code", year=_year("transfer_date")).agg(
        received=grams("received_t").sum()
    )
    total = received.group_by("receiver_id", year=_year("transfer_date")).agg(
        received=grams("received_t").sum(), waste_code=pl.lit(None, ID)
    )
    amounts = pl.concat([per_code, total.select(per_code.columns)])
    found = amounts.join(
        licences, on=["receiver_id", "waste_code", "year"], nulls_equal=True
    ).filter(pl.col("received") > pl.col("capacity"))
    return found.select(
        subject="receiver_id",
        code="waste_code",
        period=pl.col("year").cast(pl.String),
        evidence=pl.struct(
            "licences",
            received_t=tonnes(pl.col("received")),
            capacity_t=tonnes(pl.col("capacity")),
        ),
    )


# --- transport ---------------------------------------------------------------------------------


def _with_ends(data: CheckInput) -> pl.DataFrame:
    """Active manifests with their generator's (origin) and receiver's (destination) position."""
    places = data.frames.parties.select("party_id", "lon", "lat")
    return data.shared(
        "ends",
        lambda: (
            _active_manifests(data)
            .join(
                places.rename({"lon": "lon0", "lat": "lat0"}),
                left_on="generator_id",
                right_on="party_id",
            )
            .join(
                places.rename({"lon": "lon1", "lat": "lat1"}),
                left_on="receiver_id",
                right_on="party_id",
            )
            .filter(pl.all_horizontal(pl.col("lon0", "lat0", "lon1", "lat1").is_not_null()))
        ),
    )


def haversine_km(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    """Great-circle (haversine) distance [km] between two points given in degrees; the scalar
    form of :func:`great_circle_km`."""
    phi0, phi1 = math.radians(lat0), math.radians(lat1)
    half = (
        math.sin((phi1 - phi0) / 2) ** 2
        + math.cos(phi0) * math.cos(phi1) * math.sin(math.radians(lon1 - lon0) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(half))


def great_circle_km(lon0: pl.Expr, lat0: pl.Expr, lon1: pl.Expr, lat1: pl.Expr) -> pl.Expr:
    """Haversine distance [km] between two points given in degrees."""
    phi0, phi1 = lat0.radians(), lat1.radians()
    half = ((phi1 - phi0) / 2).sin().pow(2) + phi0.cos() * phi1.cos() * (
        (lon1 - lon0).radians() / 2
    ).sin().pow(2)
    return 2 * EARTH_RADIUS_KM * half.sqrt().arcsin()


@register(
    "transport_overtime",
    "运输超时",
    "transport took too long",
    "yellow",
    speed_kmh=Param(40.0, "[D] average road speed", "km/h"),
    allowance_h=Param(12.0, "[D] loading, rest and waiting", "h"),
)
def transport_overtime(data: CheckInput, params: Params) -> pl.DataFrame:
    """Delivered active manifests whose ``delivered_at − picked_up_at`` exceeds the great-circle
    distance from generator to receiver / ``speed_kmh`` + ``allowance_h``."""
    ends = _with_ends(data).filter(
        pl.col("picked_up_at").is_not_null() & pl.col("delivered_at").is_not_null()
    )
    distance = great_circle_km(pl.col("lon0"), pl.col("lat0"), pl.col("lon1"), pl.col("lat1"))
    timed = ends.with_columns(
        distance=distance,
        hours=(pl.col("delivered_at") - pl.col("picked_up_at")).dt.total_seconds() / 3600,
    ).with_columns(allowed=pl.col("distance") / params["speed_kmh"] + params["allowance_h"])
    found = timed.filter(pl.col("hours") > pl.col("allowed"))
    return found.select(
        subject="carrier_id",
        code="waste_code",
        period=_iso("transfer_date"),
        evidence=pl.struct(
            "manifest_no",
            distance_km=pl.col("distance").round(3),
            hours=pl.col("hours").round(3),
            allowed_hours=pl.col("allowed").round(3),
        ),
    )


KM_PER_DEGREE: Final = math.pi / 180 * EARTH_RADIUS_KM
"""Kilometres per degree of latitude (and of longitude at the equator)."""


def segments(ends: pl.LazyFrame) -> pl.LazyFrame:
    """Per manifest, its origin→destination segment on the equirectangular plane around the
    segment's mean latitude: the origin ``lon0, lat0``, the ``squeeze`` of longitudes there and
    the segment's components ``dx, dy`` [km] and squared length ``length2`` [km²]."""
    squeeze = ((pl.col("lat0") + pl.col("lat1")) / 2).radians().cos()
    dx = (pl.col("lon1") - pl.col("lon0")) * KM_PER_DEGREE * pl.col("squeeze")
    dy = (pl.col("lat1") - pl.col("lat0")) * KM_PER_DEGREE
    dx2, dy2 = pl.col("dx") * pl.col("dx"), pl.col("dy") * pl.col("dy")
    return (
        ends.select("manifest_no", "lon0", "lat0", "lon1", "lat1", squeeze=squeeze)
        .select("manifest_no", "lon0", "lat0", "squeeze", dx=dx, dy=dy)
        .with_columns(length2=dx2 + dy2)
    )


def segment_distance_km(lon: pl.Expr, lat: pl.Expr) -> pl.Expr:
    """Distance [km] of a point from its manifest's segment (the columns of :func:`segments`;
    accurate to well under 1 % at provincial scale)."""
    x = (lon - pl.col("lon0")) * KM_PER_DEGREE * pl.col("squeeze")
    y = (lat - pl.col("lat0")) * KM_PER_DEGREE
    dx, dy, length2 = pl.col("dx"), pl.col("dy"), pl.col("length2")
    t = pl.when(length2 > 0).then(((x * dx + y * dy) / length2).clip(0, 1)).otherwise(0.0)
    return ((x - t * dx).pow(2) + (y - t * dy).pow(2)).sqrt()


@register(
    "route_deviation",
    "运输路线偏离",
    "route deviation",
    "orange",
    max_km=Param(10.0, "[D] distance from the straight origin→destination segment", "km"),
)
def route_deviation(data: CheckInput, params: Params) -> pl.DataFrame:
    """Active manifests with a track point farther than ``max_km`` from the segment between
    generator and receiver: one finding per manifest, at its farthest point."""
    ends = _with_ends(data).lazy()
    tracked = ends.join(
        data.frames.tracks.lazy().select("manifest_no"), on="manifest_no", how="semi"
    )
    measured = (
        data.frames.tracks.lazy()
        .join(segments(tracked), on="manifest_no")
        .with_columns(off=segment_distance_km(pl.col("lon"), pl.col("lat")))
        .filter(pl.col("off") > params["max_km"])
        .select("manifest_no", "ts", "lon", "lat", "off")
        .join(
            ends.select("manifest_no", "carrier_id", "waste_code", "transfer_date"),
            on="manifest_no",
        )
        .collect()
    )
    found = measured.sort("manifest_no", "off", "ts", descending=[False, True, False]).unique(
        "manifest_no", keep="first"
    )
    return found.select(
        subject="carrier_id",
        code="waste_code",
        period=_iso("transfer_date"),
        evidence=pl.struct(
            "manifest_no",
            "lon",
            "lat",
            ts=pl.col("ts").dt.strftime("%Y-%m-%d %H:%M:%S"),
            off_km=pl.col("off").round(3),
            max_km=pl.lit(params["max_km"]),
        ),
    )


# --- money -------------------------------------------------------------------------------------


@register("payment_without_goods", "有资金无货物", "payment without goods", "red")
def payment_without_goods(data: CheckInput, params: Params) -> pl.DataFrame:
    """Invoices and payments (up to the as-of date) naming a manifest that is not in the bundle,
    or whose ``received_t`` is empty or 0."""
    manifests = data.frames.manifests.select("manifest_no", "received_t")  # manifest_no is a key
    docs = (
        data.frames.payments.lazy()
        .filter(
            pl.col("kind").is_in(["invoice", "payment"])
            & pl.col("manifest_no").is_not_null()
            & (pl.col("date") <= data.as_of)
        )
        .join(manifests.lazy(), on="manifest_no", how="left")
    )
    found = docs.filter(pl.col("received_t").fill_null(0) <= 0).collect()
    return found.select(
        subject="payee_id",
        code="waste_code",
        period=_iso("date"),
        evidence=pl.struct("doc_id", "kind", "manifest_no", "payer_id", "amount_yuan"),
    )


@register(
    "goods_without_payment",
    "有货物无资金",
    "goods without payment",
    "orange",
    days=Param(90.0, "[D] days after acceptance", "d"),
)
def goods_without_payment(data: CheckInput, params: Params) -> pl.DataFrame:
    """Active manifests received (``received_t`` > 0) and accepted more than ``days`` before the
    as-of date with no payment (kind ``payment``, dated up to the as-of date) naming them, nor a
    period payment (no manifest) from their generator to their receiver dated in the year of
    acceptance or later."""
    payments = data.frames.payments.lazy().filter(
        (pl.col("kind") == "payment") & (pl.col("date") <= data.as_of)
    )
    named = payments.filter(pl.col("manifest_no").is_not_null()).select("manifest_no").unique()
    period = (
        payments.filter(pl.col("manifest_no").is_null())
        .group_by(generator_id="payer_id", receiver_id="payee_id")
        .agg(last=pl.col("date").max())
    )
    received = (
        _active_manifests(data)
        .lazy()
        .filter((pl.col("received_t") > 0) & pl.col("accepted_at").is_not_null())
        .with_columns(accepted=pl.col("accepted_at").dt.date())
        .with_columns(days=(pl.lit(data.as_of) - pl.col("accepted")).dt.total_days())
        .filter(pl.col("days") > params["days"])
    )
    found = (
        received.join(named, on="manifest_no", how="anti")
        .join(period, on=["generator_id", "receiver_id"], how="left")
        .filter(
            pl.col("last").is_null() | (pl.col("last").dt.year() < pl.col("accepted").dt.year())
        )
        .collect()
    )
    return found.select(
        subject="generator_id",
        code="waste_code",
        period=_iso("accepted"),
        evidence=pl.struct("manifest_no", "receiver_id", "received_t", days_unpaid="days"),
    )


@register(
    "price_below_market",
    "单价明显低于市场价",
    "unit price far below the market",
    "orange",
    share=Param(0.3, "[D] share of the market reference price"),
)
def price_below_market(data: CheckInput, params: Params) -> pl.DataFrame:
    """Documents (up to the as-of date) with a quantity > 0, an amount and a code whose category
    has a market price: ``amount_yuan / quantity_t`` below ``share`` × that price."""
    docs = data.frames.payments.filter(
        (pl.col("quantity_t") > 0)
        & pl.col("amount_yuan").is_not_null()
        & pl.col("waste_code").is_not_null()
        & (pl.col("date") <= data.as_of)
    )
    # the category of each distinct code, and its price (few rows)
    codes = docs["waste_code"].unique().cast(pl.String).to_list()
    market = {code: data.market_prices.get(_category(code) or "") for code in codes}
    prices = pl.DataFrame(
        {"waste_code": list(market), "market": list(market.values())},
        schema={"waste_code": pl.String, "market": pl.Float64},
    ).filter(pl.col("market").is_not_null())
    docs = docs.join(prices.cast({"waste_code": ID}), on="waste_code").with_columns(
        unit=pl.col("amount_yuan") / pl.col("quantity_t")
    )
    found = docs.filter(pl.col("unit") < params["share"] * pl.col("market"))
    return found.select(
        subject="payer_id",
        code="waste_code",
        period=_iso("date"),
        evidence=pl.struct(
            "doc_id",
            "kind",
            "payee_id",
            "manifest_no",
            unit_price=pl.col("unit").round(2),
            market_price="market",
            share=pl.lit(params["share"]),
        ),
    )


# --- running -----------------------------------------------------------------------------------


def run_checks(
    frames: WasteFrames, rules: RuleSet, as_of: date | None = None
) -> tuple[pl.DataFrame, date | None]:
    """Every enabled rule on ``frames``: the findings (of :data:`FINDINGS_SCHEMA`, sorted) and
    the as-of date used — ``as_of``, else the rule set's, else the latest date of the bundle
    (None, and no findings, for a bundle without dates)."""
    day = as_of or rules.as_of or latest_date(frames)
    if day is None:
        return pl.DataFrame(schema=FINDINGS_SCHEMA), None
    data = CheckInput(frames, day, rules.market_prices)
    parts: Iterable[pl.DataFrame] = (
        RULES[rule_id]
        .run(data, rules.params[rule_id])
        .select(
            rule=pl.lit(rule_id),
            subject="subject",
            code=pl.col("code").cast(pl.String),
            period="period",
            severity=pl.lit(RULES[rule_id].severity),
            evidence=pl.col("evidence").struct.json_encode(),
        )
        for rule_id in rules.enabled
    )
    empty = pl.DataFrame(schema=FINDINGS_SCHEMA)
    findings = pl.concat([empty, *(part.cast(FINDINGS_SCHEMA) for part in parts)])  # type: ignore[arg-type]
    return findings.sort(pl.all()), day
