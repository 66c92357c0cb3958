"""The command centre's indicator map: each subdivision's value held against the target that
applies to it (absolute thresholds, never the range of the values), and a county mapped as
itself (it has no subdivisions)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ecogov.plans import tracking
from ecogov.plans.importer import Target
from ecogov.plans.indicators import report_value
from ecogov.plans.maplayers import target_legend
from ecogov.plans.targets import RISK_MARGIN, STATUS_COLOURS, Status, meets, value_band
from ecogov.platform.db import Database
from tests.plans.support import CITY, COUNTY, small_plan

TODAY = date(2026, 7, 2)
KEY = "soil.contaminated_site_safe_use_rate"
SITES = Target(KEY, ">=", 90, "%", None, 2026, "污染地块安全利用率达到90%以上")


def _report(db: Database, region: str, value: float) -> None:
    report_value(
        db, CITY, key=KEY, region_code=region, year=2026, value=value, evidence="报告", today=TODAY
    )


def test_subdivisions_are_banded_against_the_city_target(db: Database) -> None:
    small_plan(db, "330100", [], [SITES])
    goal = 90.0
    margin = RISK_MARGIN * goal
    _report(db, "330102", goal + 2 * margin)  # met with room to spare
    _report(db, "330105", goal + margin / 2)  # met by less than the margin
    _report(db, "330106", goal - 1)  # missed
    values = {v.code: v for v in tracking.children_values(db, CITY, "330100", KEY, 2026)}
    assert values["330102"].category == Status.MET.value
    assert values["330105"].category == Status.AT_RISK.value
    assert values["330106"].category == Status.MISSED.value
    assert values["330108"].category is None  # no value, no band
    assert values["330102"].goal == goal
    assert values["330102"].comparator == ">="


def test_a_high_value_is_not_red_because_others_are_higher(db: Database) -> None:
    """The defect: shades relative to the data's range showed a city at 98 % in red."""
    small_plan(db, "330100", [], [SITES])
    for region, value in (("330102", 98.0), ("330105", 99.5), ("330106", 99.9)):
        _report(db, region, value)
    values = {v.code: v for v in tracking.children_values(db, CITY, "330100", KEY, 2026)}
    assert {values[code].category for code in ("330102", "330105", "330106")} == {"met"}


def test_a_county_is_mapped_as_itself(db: Database) -> None:
    _report(db, "330106", 88.0)
    (only,) = tracking.children_values(db, COUNTY, "330106", KEY, 2026)
    assert only.code == "330106"
    assert only.value == 88.0
    assert only.category is None  # the county has no target of its own


def test_the_target_legend_uses_the_traffic_lights() -> None:
    legend = target_legend(TODAY)
    assert [item.key for item in legend.items] == ["met", "at_risk", "missed"]
    assert [item.colour for item in legend.items] == [
        STATUS_COLOURS[Status.MET],
        STATUS_COLOURS[Status.AT_RISK],
        STATUS_COLOURS[Status.MISSED],
    ]
    assert legend.items[0].label_zh == "已达标"


@given(
    st.floats(min_value=-1000, max_value=1000, allow_nan=False),
    st.floats(min_value=-1000, max_value=1000, allow_nan=False),
    st.sampled_from([">=", "<=", "="]),
    st.booleans(),
)
def test_a_value_misses_exactly_when_it_does_not_meet_the_goal(
    value: float, goal: float, comparator: str, higher: bool
) -> None:
    band = value_band(value, comparator, goal, higher_is_better=higher)
    met = meets(value, comparator, goal, higher_is_better=higher)
    assert (band is Status.MISSED) == (not met)
    assert band in (Status.MET, Status.AT_RISK, Status.MISSED)


@given(st.floats(min_value=1, max_value=1000, allow_nan=False), st.floats(0, 0.5))
def test_a_higher_value_never_bands_worse_against_an_at_least_goal(
    goal: float, step: float
) -> None:
    order = [Status.MISSED, Status.AT_RISK, Status.MET]
    values = [goal * (0.9 + step * k) for k in range(4)]
    bands = [order.index(value_band(v, ">=", goal, higher_is_better=True)) for v in values]
    assert bands == sorted(bands)
