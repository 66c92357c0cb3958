"""Stored indicator values (issue 14): computed once per data version, the stored value equals
the computed one, and a change of the data (or, for a year not over, of the day) computes it
afresh."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.indicators import (
    Indicator,
    IndicatorValue,
    StoredIndicatorValue,
    bump,
    refresh,
    source_version,
    value_of,
)

SOURCE = "test-source"


class Counting:
    """A compute over a mutable table of data, counting its calls."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, int], float] = {("330100", 2025): 61.5, ("330100", 2026): 40.0}
        self.calls = 0

    def __call__(self, db: Database, region: str, year: int) -> IndicatorValue | None:
        self.calls += 1
        found = self.data.get((region, year))
        if found is None:
            return None
        partial = year == clock.today().year
        return IndicatorValue(found, year, partial, 0.5 if partial else 1.0, 365, 300)


def _indicator(compute: Counting) -> Indicator:
    return Indicator(
        "test.share",
        "测试比例",
        "Test share",
        "%",
        higher_is_better=True,
        compute=compute,
        version=lambda db: source_version(db, SOURCE),
    )


def _write(db: Database, compute: Counting, region: str, year: int, value: float) -> None:
    """Change the data the way a writer does: the data and the source's version together."""
    compute.data[(region, year)] = value
    with db.engine.begin() as connection:
        bump(connection, SOURCE)


def _stored(db: Database) -> list[tuple[str, int, int, float, bool]]:
    c = StoredIndicatorValue.__table__.c
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(c.region_code, c.year, c.data_version, c.value, c.has_value).order_by(
                c.region_code, c.year
            )
        ).all()
    return [tuple(row) for row in rows]


def test_bump_raises_the_version_of_its_source_only(db: Database) -> None:
    assert source_version(db, SOURCE) == 0
    with db.engine.begin() as connection:
        bump(connection, SOURCE)
        bump(connection, SOURCE)
        bump(connection, "other")
    assert (source_version(db, SOURCE), source_version(db, "other")) == (2, 1)


def test_the_stored_value_equals_the_computed_one_and_is_reused(db: Database) -> None:
    compute = Counting()
    indicator = _indicator(compute)
    with clock.frozen(date(2026, 6, 1)):
        first = value_of(db, indicator, "330100", 2025)
        again = value_of(db, indicator, "330100", 2025)
        assert first == again == compute(db, "330100", 2025)
    assert compute.calls == 2  # the first look and the comparison, never the second look
    assert _stored(db) == [("330100", 2025, 0, 61.5, True)]


def test_no_data_is_stored_as_such(db: Database) -> None:
    compute = Counting()
    indicator = _indicator(compute)
    with clock.frozen(date(2026, 6, 1)):
        assert value_of(db, indicator, "330200", 2025) is None
        assert value_of(db, indicator, "330200", 2025) is None
    assert compute.calls == 1
    assert _stored(db) == [("330200", 2025, 0, 0.0, False)]


def test_new_data_give_the_new_value(db: Database) -> None:
    compute = Counting()
    indicator = _indicator(compute)
    with clock.frozen(date(2026, 6, 1)):
        assert value_of(db, indicator, "330100", 2025) == compute(db, "330100", 2025)
        _write(db, compute, "330100", 2025, 70.2)
        changed = value_of(db, indicator, "330100", 2025)
    assert changed is not None
    assert changed.value == 70.2
    assert _stored(db) == [("330100", 2025, 1, 70.2, True)]


def test_a_year_not_over_is_computed_afresh_the_next_day(db: Database) -> None:
    compute = Counting()
    indicator = _indicator(compute)
    with clock.frozen(date(2026, 6, 1)):
        value_of(db, indicator, "330100", 2025)
        value_of(db, indicator, "330100", 2026)
        value_of(db, indicator, "330100", 2026)
    assert compute.calls == 2
    with clock.frozen(date(2026, 6, 2)):
        value_of(db, indicator, "330100", 2025)  # a past year: same data, same value
        assert compute.calls == 2
        this_year = value_of(db, indicator, "330100", 2026)
        assert compute.calls == 3
    assert this_year == IndicatorValue(40.0, 2026, True, 0.5, 365, 300)


@pytest.mark.parametrize("changed", [True, False])
def test_refresh_computes_the_stale_stored_values_only(db: Database, changed: bool) -> None:
    compute = Counting()
    indicator = _indicator(compute)
    with clock.frozen(date(2026, 6, 1)):
        value_of(db, indicator, "330100", 2025)
        value_of(db, indicator, "330200", 2025)
        if changed:
            _write(db, compute, "330200", 2025, 12.0)
        calls = compute.calls
        computed = refresh(db, "test.", {"test.share": indicator})
        assert computed == (2 if changed else 0)
        assert compute.calls == calls + computed
        assert refresh(db, "air.", {"test.share": indicator}) == 0
        stored = _stored(db)
        value_of(db, indicator, "330200", 2025)
    assert compute.calls == calls + computed  # the refreshed values are read, not computed
    after = ("330200", 2025, 1, 12.0, True) if changed else ("330200", 2025, 0, 0.0, False)
    assert stored == [("330100", 2025, int(changed), 61.5, True), after]


def test_an_indicator_without_a_version_is_computed_every_time(db: Database) -> None:
    compute = Counting()
    indicator = Indicator("test.live", "测试", "Test", "%", True, compute=compute)
    value_of(db, indicator, "330100", 2025)
    value_of(db, indicator, "330100", 2025)
    assert compute.calls == 2
    assert _stored(db) == []
