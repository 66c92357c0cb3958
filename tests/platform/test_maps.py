"""The map component's server side: legends classify by absolute bounds or category keys, the
registry collects every domain's legends and layers, the configuration the module reads."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.platform import maps
from ecogov.platform.scope import ANONYMOUS, Principal, Role
from ecogov.standards.editions import Edition
from ecogov.standards.hj633 import LEVELS

PROVINCE = Principal("zj", Role.PROVINCE_OFFICER, region_code="330000")
ENTERPRISE = Principal("qiye", Role.ENTERPRISE, enterprise_id=1)
DAY_2012 = date(2025, 6, 1)

SHARE = maps.Legend(
    "share",
    "比例",
    "Share",
    (
        maps.LegendItem("low", "低", "Low", "#d7263d", None, 80.0),
        maps.LegendItem("high", "高", "High", "#2e9e44", 80.0, None),
    ),
)


def test_every_domain_declares_its_legend_once() -> None:
    found = maps.legends(DAY_2012)
    assert {"aqi", "water_class", "key_level", "target_status"} <= set(found)
    aqi = found["aqi"]
    assert [item.colour for item in aqi.items] == [lv.hex for lv in LEVELS[Edition.E2012]]
    water = found["water_class"]
    assert [item.key for item in water.items] == ["I", "II", "III", "IV", "V", "劣V"]
    assert [item.label_zh for item in water.items][-1] == "劣Ⅴ类"


@given(st.integers(min_value=0, max_value=500))
def test_an_aqi_falls_in_the_level_of_hj633_whatever_the_other_values(aqi: int) -> None:
    legend = maps.legends(DAY_2012)["aqi"]
    item = legend.classify(aqi)
    assert item is not None
    (level,) = [
        lv
        for lv in LEVELS[Edition.E2012]
        if lv.lower <= aqi and (lv.upper is None or aqi <= lv.upper)
    ]
    assert item.key == str(level.number)
    assert item.colour == level.hex


@given(st.floats(min_value=0, max_value=100, allow_nan=False), st.sampled_from(["low", "high"]))
def test_a_category_key_wins_over_the_value(value: float, key: str) -> None:
    item = SHARE.classify(value, key)
    assert item is not None
    assert item.key == key


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_bounds_are_absolute(value: float) -> None:
    item = SHARE.classify(value)
    assert item is not None
    assert item.key == ("low" if value <= 80 else "high")


def test_items_without_bounds_never_match_a_value() -> None:
    legend = maps.legends(DAY_2012)["water_class"]
    assert legend.classify(3.0) is None
    assert legend.classify(None, "III") is not None
    assert legend.classify(None) is None


def test_config_offers_every_layer_and_fills_the_region() -> None:
    config = maps.config(
        PROVINCE, "330100", "zh", when=DAY_2012, drill="/?region={code}", visible={"stations"}
    )
    data = config.as_json()
    keys = [layer["key"] for layer in data["layers"]]
    assert keys == [
        "stations",
        "forecast",
        "sections",
        "enterprises",
        "waste_facilities",
        "complaints",
        "enf_credit",
        "alerts",
    ]
    stations = data["layers"][0]
    assert stations["visible"] is True
    assert stations["url"] == "/api/v1/air/latest.geojson?region=330100"
    assert stations["legend"] == "aqi"
    assert data["boundaries"]["children"] == "/api/v1/regions/330100/children.geojson"
    assert set(data["legends"]) == {
        "aqi",
        "water_class",
        "key_level",
        "waste_facility_kind",
        "enf_credit_grade",
        "complaints_category",
        "alerts.severity",
    }
    assert data["drill"] == "/?region={code}"
    english = maps.config(PROVINCE, "330100", "en", when=DAY_2012).as_json()
    assert english["layers"][0]["title"] == "Air stations (real-time AQI)"


def test_inline_features_and_areas_without_layers() -> None:
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [120, 30]}}
    config = maps.config(PROVINCE, "330000", "zh", when=DAY_2012, features={"sections": [feature]})
    sections = next(layer for layer in config.as_json()["layers"] if layer["key"] == "sections")
    assert sections["features"] == [feature]
    bare = maps.config(
        PROVINCE,
        "330000",
        "zh",
        when=DAY_2012,
        areas=maps.Areas(legends=(SHARE,), url="/x?region={region}", unit="%"),
        with_layers=False,
    ).as_json()
    assert bare["layers"] == []
    assert bare["areas"] == {
        "legends": ["share"],
        "url": "/x?region={region}",
        "values": [],
        "unit": "%",
    }
    assert list(bare["legends"]) == ["share"]


def test_layers_follow_roles() -> None:
    restricted = maps.MapLayer("alerts", "告警", "Alerts", "/a", roles=frozenset({Role.ADMIN}))
    assert restricted.title("en") == "Alerts"
    assert all(layer.roles is None for layer in maps.layers(ENTERPRISE))
    assert maps.layers(ANONYMOUS) == []
    assert maps.layers(PROVINCE)[0].key == "stations"


def test_feature_collection() -> None:
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [120, 30]}}
    assert maps.feature_collection([feature]) == {
        "type": "FeatureCollection",
        "features": [feature],
    }


def test_a_legend_declared_twice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(maps, "_domain_legend_sources", lambda: [lambda day: SHARE] * 2)
    with pytest.raises(ValueError, match="declared twice"):
        maps.legends(DAY_2012)
