"""Period evaluation from the store: periods, UCI Beijing 2014–2016 by city, scope."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ecogov.monitoring.air import evaluation, service
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.scope import SYSTEM, Principal, Role


@pytest.mark.parametrize(
    ("text", "kind", "first", "last"),
    [
        ("2015", "year", "2015-01-01", "2015-12-31"),
        ("2016-02", "month", "2016-02-01", "2016-02-29"),
        ("2015-12", "month", "2015-12-01", "2015-12-31"),
        ("2015Q3", "quarter", "2015-07-01", "2015-09-30"),
        ("2015q4", "quarter", "2015-10-01", "2015-12-31"),
    ],
)
def test_periods(text: str, kind: str, first: str, last: str) -> None:
    spec = evaluation.parse_period(text)
    assert (spec.kind, spec.first.isoformat(), spec.last.isoformat()) == (kind, first, last)


def test_change_rates_compare_with_the_same_period_a_year_earlier() -> None:
    assert evaluation.parse_period("2015Q1").previous.label == "2014-Q1"
    assert evaluation.parse_period("2015-Q1").previous.label == "2014-Q1"
    assert evaluation.parse_period("2015-07").previous.label == "2014-07"
    assert evaluation.parse_period("2015").previous.label == "2014"


@pytest.mark.parametrize(
    "text", ["15", "2015-13", "2015Q5", "2015/07", "", "2015-07-01", "2015-01..2015-06"]
)
def test_bad_periods(text: str) -> None:
    with pytest.raises(InputError, match=r"无法识别.*YYYYQn or YYYY-Qn"):
        evaluation.parse_period(text)


@pytest.fixture
def beijing(db: Database, shared_dir: Path) -> Database:
    """The 12 UCI Beijing stations, four years of hours, in the store."""
    files = sorted((shared_dir / "data" / "uci-beijing").glob("PRSA_Data_*.csv"))
    report = service.import_files(db, SYSTEM, "uci-beijing", files)
    assert report.rejected == 0
    assert report.files == 12
    return db


@pytest.mark.shared
@pytest.mark.slow
def test_uci_beijing_evaluates_by_city_2014_to_2016(beijing: Database) -> None:
    results = {
        year: evaluation.evaluate(beijing, SYSTEM, str(year), "city") for year in (2014, 2015, 2016)
    }
    for year, table in results.items():
        [row] = table.to_dicts()
        assert row["city"] == "110000"
        assert row["name"] == "北京市"
        assert row["days_expected"] == (366 if year == 2016 else 365)
        assert row["valid_days"] >= 350
        assert row["attained"] is False
        assert row["rank"] == 1
    pm25 = {year: table["pm25_mean"][0] for year, table in results.items()}
    # Beijing's published annual PM2.5: 85.9 (2014), 80.6 (2015), 73 (2016) µg/m³; the 12
    # national stations of the UCI set give close values and the same downward trend.
    assert pm25[2014] > pm25[2015] > pm25[2016]
    assert 75 <= pm25[2015] <= 85
    assert results[2016]["change_rate"][0] < 0  # the composite index improved
    # by station, within a region, and nothing outside the principal's scope
    stations = evaluation.evaluate(beijing, SYSTEM, "2015Q3", "station", region="110000")
    assert stations.height == 12
    assert set(stations.columns) >= {"valid_days", "good_day_ratio", "co_p95", "o3_8h_p90"}
    zhejiang = Principal("zj", Role.PROVINCE_OFFICER, region_code="330000")
    assert evaluation.evaluate(beijing, zhejiang, "2015", "station").is_empty()


def test_no_data_gives_an_empty_table(db: Database) -> None:
    assert evaluation.evaluate(db, SYSTEM, "2015", "city").is_empty()
    assert isinstance(evaluation.evaluate(db, SYSTEM, "2015", "city"), pl.DataFrame)
