"""AQI, levels, categories, colours and pollutant sets from IAQI columns (VECTORS.md §1.3, §2)."""

from __future__ import annotations

import polars as pl
import pytest

from ecogov.engine.air_index import POLLUTANT_SET_DTYPE, pollutant_set, with_aqi
from ecogov.engine.air_schema import EDITION_DTYPE, INDICATORS, iaqi_column
from ecogov.standards.editions import Edition
from ecogov.standards.gb3095 import Indicator
from ecogov.standards.hj633 import RULES
from tests.standards.test_hj633 import COLOURS, LEVEL_BOUNDARIES

AQIS: list[int | None] = [aqi for aqi, _ in LEVEL_BOUNDARIES]


def report(edition: Edition, iaqis: dict[Indicator, list[int | None]]) -> pl.DataFrame:
    """Daily report fields of rows with the given IAQIs (others missing)."""
    rows = len(next(iter(iaqis.values())))
    columns = {
        iaqi_column(ind): pl.Series(iaqis.get(ind, [None] * rows), dtype=pl.Int16)
        for ind in INDICATORS
    }
    frame = pl.DataFrame(columns).with_columns(
        pl.lit(edition.value, dtype=EDITION_DTYPE).alias("edition")
    )
    present = {ind: pl.col(iaqi_column(ind)).is_not_null() for ind in INDICATORS}
    return with_aqi(frame.lazy(), {edition: RULES[edition].daily}, [edition], present).collect()


@pytest.mark.parametrize("edition", list(Edition))
def test_level_boundaries(edition: Edition) -> None:
    levels = report(edition, {Indicator.PM2_5: list(AQIS)})["level"].to_list()
    assert levels == [level for _, level in LEVEL_BOUNDARIES]


@pytest.mark.parametrize("edition", list(Edition))
def test_categories_and_colours(edition: Edition) -> None:
    # one AQI in each level: the upper bound of levels 1-5, and 500
    bounds: list[int | None] = [level.upper or 500 for level in RULES[edition].levels]
    result = report(edition, {Indicator.PM10: bounds})
    assert result.select("level", "category", "colour").rows() == [
        (number, category, hex_code) for number, category, _, _, hex_code in COLOURS
    ]


def test_primary_and_exceeding_pollutants() -> None:
    iaqis: dict[Indicator, list[int | None]] = {
        Indicator.SO2: [50, 120, 40, None],
        Indicator.PM10: [50, 120, 30, None],
        Indicator.O3_8H: [20, 101, None, None],
    }
    result = report(Edition.E2012, iaqis)
    assert result["aqi"].to_list() == [50, 120, 40, None]
    assert result["primary_pollutants"].to_list() == ["", "SO2;PM10", "", None]
    assert result["exceeding_pollutants"].to_list() == ["", "SO2;O3_8H;PM10", "", None]
    assert report(Edition.E2026, iaqis)["exceeding_pollutants"].to_list() == [None] * 4


def test_pollutant_sets_list_codes_in_table_order() -> None:
    flags = {
        Indicator.PM2_5: pl.lit(True),
        Indicator.NO2: pl.lit(True),
        Indicator.CO: pl.lit(False),
    }
    value = pl.select(pollutant_set(flags)).item()
    assert value == "NO2;PM2.5"
    assert len(POLLUTANT_SET_DTYPE.categories) == 2 ** len(INDICATORS)
