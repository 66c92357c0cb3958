"""GB 3095 limits per stage and class, units, and data-validity rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecogov.standards.editions import LimitStage
from ecogov.standards.gb3095 import (
    LIMIT_TABLES,
    UNITS,
    Averaging,
    Indicator,
    Unit,
    ZoneClass,
    limit,
    validity_rule,
)

A, Ind, S = Averaging, Indicator, LimitStage

# (indicator, averaging, GB 3095-2012 1/2, 2026 transitional 1/2, 2026 final 1/2) — STANDARDS.md
# §B.1-B.2 and HJ633-2026-NOTES.md §9.1 Table 1 and Table 2.
LIMIT_ROWS = [
    (Ind.SO2, A.YEAR, ("20", "60"), ("20", "60"), ("20", "20")),
    (Ind.SO2, A.DAY, ("50", "150"), ("50", "150"), ("50", "50")),
    (Ind.SO2, A.HOUR, ("150", "500"), ("150", "500"), ("150", "150")),
    (Ind.NO2, A.YEAR, ("40", "40"), ("40", "40"), ("30", "30")),
    (Ind.NO2, A.DAY, ("80", "80"), ("80", "80"), ("50", "50")),
    (Ind.NO2, A.HOUR, ("200", "200"), ("200", "200"), ("200", "200")),
    (Ind.CO, A.DAY, ("4", "4"), ("4", "4"), ("4", "4")),
    (Ind.CO, A.HOUR, ("10", "10"), ("10", "10"), ("10", "10")),
    (Ind.O3_8H, A.DAILY_MAX_8H, ("100", "160"), ("100", "160"), ("100", "160")),
    (Ind.O3_1H, A.HOUR, ("160", "200"), ("160", "200"), ("160", "200")),
    (Ind.PM10, A.YEAR, ("40", "70"), ("40", "60"), ("20", "50")),
    (Ind.PM10, A.DAY, ("50", "150"), ("50", "120"), ("50", "100")),
    (Ind.PM2_5, A.YEAR, ("15", "35"), ("15", "30"), ("10", "25")),
    (Ind.PM2_5, A.DAY, ("35", "75"), ("35", "60"), ("25", "50")),
    (Ind.TSP, A.YEAR, ("80", "200"), ("80", "200"), ("80", "200")),
    (Ind.TSP, A.DAY, ("120", "300"), ("120", "300"), ("120", "300")),
    (Ind.NOX, A.YEAR, ("50", "50"), ("50", "50"), ("40", "40")),
    (Ind.NOX, A.DAY, ("100", "100"), ("100", "100"), ("70", "70")),
    (Ind.NOX, A.HOUR, ("250", "250"), ("250", "250"), ("250", "250")),
    (Ind.PB, A.YEAR, ("0.5", "0.5"), ("0.5", "0.5"), ("0.5", "0.5")),
    (Ind.PB, A.QUARTER, ("1", "1"), ("1.0", "1.0"), ("1.0", "1.0")),
    (Ind.BAP, A.YEAR, ("0.001", "0.001"), ("0.001", "0.001"), ("0.001", "0.001")),
    (Ind.BAP, A.DAY, ("0.0025", "0.0025"), ("0.0025", "0.0025"), ("0.0025", "0.0025")),
]

CASES = [
    pytest.param(
        indicator,
        averaging,
        stage,
        zone,
        Decimal(values[zone - 1]),
        id=f"{stage}-{indicator}-{averaging}-{zone}",
    )
    for indicator, averaging, v2012, v2026t, v2026f in LIMIT_ROWS
    for stage, values in (
        (S.GB3095_2012, v2012),
        (S.GB3095_2012_AMENDED_2018, v2012),
        (S.GB3095_2026_TRANSITIONAL, v2026t),
        (S.GB3095_2026_FINAL, v2026f),
    )
    for zone in ZoneClass
]


@pytest.mark.parametrize(("indicator", "averaging", "stage", "zone", "expected"), CASES)
def test_limit(
    indicator: Indicator,
    averaging: Averaging,
    stage: LimitStage,
    zone: ZoneClass,
    expected: Decimal,
) -> None:
    assert limit(indicator, averaging, zone, stage) == expected


def test_every_table_row_is_checked_and_unique() -> None:
    expected = {(indicator, averaging) for indicator, averaging, *_ in LIMIT_ROWS}
    for table in LIMIT_TABLES.values():
        keys = [(row.indicator, row.averaging) for row in table.rows]
        assert len(keys) == len(set(keys))
        assert set(keys) == expected


def test_limit_not_defined() -> None:
    with pytest.raises(KeyError):
        limit(Ind.CO, A.YEAR, ZoneClass.TWO, S.GB3095_2012)


def test_units() -> None:
    assert UNITS[Ind.CO] is Unit.MG_M3
    assert {UNITS[i] for i in Indicator if i is not Ind.CO} == {Unit.UG_M3}


@pytest.mark.parametrize(
    ("indicator", "averaging", "minimum", "monthly", "february"),
    [
        (Ind.PM2_5, A.YEAR, 324, 27, 25),
        (Ind.SO2, A.YEAR, 324, 27, 25),
        (Ind.NOX, A.YEAR, 324, 27, 25),
        (Ind.CO, A.DAY, 20, None, None),
        (Ind.PM10, A.DAY, 20, None, None),
        (Ind.O3_8H, A.EIGHT_HOURS, 6, None, None),
        (Ind.O3_1H, A.HOUR, 45, None, None),
        (Ind.NO2, A.HOUR, 45, None, None),
        (Ind.TSP, A.YEAR, 60, 5, 5),
        (Ind.PB, A.QUARTER, 15, 5, 5),
        (Ind.BAP, A.DAY, 24, None, None),
    ],
)
def test_validity_rules(
    indicator: Indicator,
    averaging: Averaging,
    minimum: int,
    monthly: int | None,
    february: int | None,
) -> None:
    rule = validity_rule(indicator, averaging)
    assert (rule.minimum, rule.monthly_minimum, rule.february_minimum) == (
        minimum,
        monthly,
        february,
    )


@pytest.mark.parametrize(
    ("indicator", "averaging"),
    [(Ind.CO, A.YEAR), (Ind.O3_8H, A.YEAR), (Ind.PM10, A.HOUR), (Ind.PM2_5, A.HOUR)],
)
def test_no_validity_rule_in_table_4(indicator: Indicator, averaging: Averaging) -> None:
    # GB 3095 Table 4 has no annual row for CO/O3 and no 1-hour row for PM.
    with pytest.raises(KeyError):
        validity_rule(indicator, averaging)
