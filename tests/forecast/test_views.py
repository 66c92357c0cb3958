"""The forecast pages' data and API on constructed stored forecasts over the demo's hours: the
verification equals the engine's scores of the same cases (``ecogov air forecast verify``),
the city cards and map respect the region, the chart carries the band and the observed hours,
and bad filters are 4xx."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest
from fastapi.testclient import TestClient
from polars.testing import assert_frame_equal

from ecogov.engine import forecast as engine
from ecogov.forecast import service, views
from ecogov.forecast.backtesting import verify
from ecogov.forecast.models import ForecastDay, ForecastValue
from ecogov.monitoring.air import demo as air_demo
from ecogov.monitoring.air.evaluation import hourly_frame, visible_stations
from ecogov.platform import alerts
from ecogov.platform.alerts import AlertDraft
from ecogov.platform.db import Database
from ecogov.platform.errors import NotFound, PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.standards.timebase import BEIJING
from tests.helpers import login, make_user

ISSUED = date(2025, 2, 1)
"""Issue day of the constructed forecasts: the demo's January is their climatology."""
CITY = Principal("hz", Role.CITY_OFFICER, region_code="330100")
VALUES = {"PM2.5": 60.0, "PM10": 95.0, "O3_8H": 100.0, "NO2": 35.0, "SO2": 8.0, "CO": 0.8}
"""The constructed daily forecast of every lead day [µg/m³; CO mg/m³]."""


def _store(db: Database, kind: str, site: str, city: str, region: str) -> None:
    """Days 1-3 of the issue of ``ISSUED`` with :data:`VALUES` and a ±20 % band."""
    table = engine.with_aqi(
        pl.DataFrame(
            [
                {"station": site, "date": ISSUED + timedelta(days=lead)} | VALUES
                for lead in (1, 2, 3)
            ]
        )
    )
    issued_at = datetime.combine(ISSUED, datetime.min.time(), BEIJING) + timedelta(hours=16)
    with db.transaction(SYSTEM) as session:
        for lead, row in enumerate(table.iter_rows(named=True), start=1):
            day = ForecastDay(
                site_kind=kind,
                site_code=site,
                city_code=city,
                region_code=region,
                issued_on=ISSUED,
                issued_at=issued_at.astimezone(UTC),
                date=row["date"],
                lead_day=lead,
                aqi=row["aqi"],
                aqi_low=row["aqi"] - 10,
                aqi_high=row["aqi"] + 10,
                level=row["level"],
                primary=row["primary"],
                hourly_aqi=[],
            )
            session.add(day)
            session.flush()
            for pollutant, value in VALUES.items():
                session.add(
                    ForecastValue(
                        day_id=day.id,
                        region_code=region,
                        pollutant=pollutant,
                        value=value,
                        lower=value * 0.8,
                        upper=value * 1.2,
                    )
                )


@pytest.fixture
def stored(db: Database) -> tuple[Database, str]:
    air_demo.load(db, hours=24 * 38)  # hours end 2025-02-08 08:00 Beijing
    stations = visible_stations(db, SYSTEM, None)
    station = stations.filter(pl.col("city") == "330100").row(0, named=True)
    _store(db, "station", station["station"], "330100", station["county"])
    _store(db, "city", "330100", "330100", "330100")
    _store(db, "city", "330200", "330200", "330200")
    return db, station["station"]


def _constructed_frame(site: str) -> pl.DataFrame:
    issued = datetime.combine(ISSUED, datetime.min.time()) + timedelta(hours=16)
    return engine.with_aqi(
        pl.DataFrame(
            [
                {
                    "issued": issued,
                    "station": site,
                    "lead_day": lead,
                    "date": ISSUED + timedelta(days=lead),
                }
                | VALUES
                for lead in (1, 2, 3)
            ],
            schema_overrides={"lead_day": pl.Int8},
        )
    )


def test_verification_equals_the_engines_scores_of_the_same_cases(
    stored: tuple[Database, str],
) -> None:
    db, station = stored
    table = views.verification(db, CITY, "station", "330100")
    members = visible_stations(db, SYSTEM, None).filter(pl.col("station") == station)
    wide = hourly_frame(db, SYSTEM, members, date(2024, 2, 1), date(2025, 2, 4))
    expected = verify(_constructed_frame(station), wide, ("station", "month")).sort(
        "lead_day", maintain_order=True
    )  # the page's order: each lead day's models side by side
    # climatology has no February in the demo's five weeks: persistence alone beside it
    assert table.height == 6
    assert table["model"].unique(maintain_order=True).to_list() == ["forecast", "persistence"]
    assert table["cases"].to_list() == [1] * 6
    columns = [c for c in expected.columns if c.startswith(("level_", "primary_", "mae_", "bias_"))]
    for column in ("model", "lead_day", *columns):
        assert table[column].to_list() == expected[column].to_list(), column
    assert set(table["name"]) == {members["station_name"][0]}
    # a month without forecast days: nothing to verify
    assert views.verification(db, CITY, "station", "330100", month="2025-03").is_empty()


@pytest.mark.parametrize("kind", ["station", "city"])
def test_verification_from_the_needed_hours_and_stored_days_equals_the_hourly_computation(
    stored: tuple[Database, str], kind: str
) -> None:
    """The page reads the hours its baselines need and the observed days stored at import;
    its whole table equals the scores computed from every hour of the history it covers."""
    db, station = stored
    site = station if kind == "station" else "330100"
    table = views.verification(db, CITY, kind, code=site)  # type: ignore[arg-type]
    members = visible_stations(db, SYSTEM, None).filter(pl.col(kind) == site)
    since = ISSUED - timedelta(days=service.TRAIN_DAYS)
    wide = hourly_frame(db, SYSTEM, members, since, ISSUED + timedelta(days=3))
    if kind == "city":
        wide = views._city_wide(wide, members)
    expected = verify(_constructed_frame(site), wide, ("station", "month"))
    assert table.height == 6
    assert_frame_equal(
        table.drop("name"), expected.sort("station", "month", "lead_day", maintain_order=True)
    )


def test_city_verification_scores_the_city_mean_of_its_stations(
    stored: tuple[Database, str],
) -> None:
    db, _ = stored
    table = views.verification(db, CITY, "city")
    assert set(table["station"]) == {"330100"}  # Ningbo's forecast is outside the scope
    members = visible_stations(db, SYSTEM, None).filter(pl.col("city") == "330100")
    wide = hourly_frame(db, SYSTEM, members, date(2024, 2, 1), date(2025, 2, 4))
    city = views._city_wide(wide, members)
    expected = verify(_constructed_frame("330100"), city, ("station", "month"))
    expected = expected.sort("lead_day", maintain_order=True)
    assert table["level_accuracy"].to_list() == expected["level_accuracy"].to_list()
    assert table["mae_PM2.5"].to_list() == expected["mae_PM2.5"].to_list()


def test_cards_map_and_chart_stay_in_scope(stored: tuple[Database, str]) -> None:
    db, station = stored
    cards = views.city_cards(db, CITY, None)
    assert [c.forecast.code for c in cards] == ["330100"]
    (card,) = cards
    assert [d.lead_day for d in card.forecast.days] == [1, 2, 3]
    assert card.forecast.days[0].values["PM2.5"] == (60.0, 48.0, 72.0)
    assert card.warning_level is None
    start = datetime(2025, 2, 2, tzinfo=UTC)
    warning = AlertDraft(
        kind=views.WARNING_ALERT,
        severity="orange",
        title="重污染天气橙色预警",
        region_code="330100",
        window_start=start,
        window_end=start + timedelta(days=2),
        dedupe_key="emergency.warning:test",
        link="/emergency/1",
    )
    alerts.publish(db, [warning])
    (card,) = views.city_cards(db, CITY, None)
    assert (card.warning_level, card.warning_link) == ("orange", "/emergency/1")
    features = views.map_features(db, CITY, "330100", 2)
    assert {f["properties"]["kind"] for f in features} == {"stations", "cities"}
    assert {f["properties"]["date"] for f in features} == {"2025-02-03"}
    with pytest.raises(PermissionDenied):
        views.map_features(db, CITY, "330200", 1)
    chart = views.site_chart(db, CITY, "station", station)
    assert len(chart.times) == 72
    assert chart.times[0] == "2025-02-02T01:00:00+08:00"
    pm = {
        end: [v for v in values if v is not None] for end, values in chart.series["PM2.5"].items()
    }
    assert len(pm["value"]) == len(pm["lower"]) == len(pm["upper"]) == 72
    # the day's hours average to the daily forecast and its band ends
    assert sum(pm["value"][:24]) / 24 == pytest.approx(60.0, abs=0.1)
    assert sum(pm["upper"][:24]) / 24 == pytest.approx(72.0, abs=0.1)
    bands = zip(pm["lower"], pm["value"], pm["upper"], strict=True)
    assert all(lo <= v <= up for lo, v, up in bands)
    assert pm["observed"]  # the stored hours after the issue arrive beside the forecast
    with pytest.raises(NotFound):
        views.site_chart(db, CITY, "city", "330200")


def test_api_requires_a_login_keeps_the_scope_and_refuses_bad_filters(
    stored: tuple[Database, str], client: TestClient
) -> None:
    db, station = stored
    assert client.get("/api/v1/forecast/cities").status_code == 401
    assert client.get("/forecast", follow_redirects=False).status_code in (302, 303, 401)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    cities = client.get("/api/v1/forecast/cities").json()
    assert [c["forecast"]["code"] for c in cities] == ["330100"]
    assert client.get("/api/v1/forecast/cities?region=330200").status_code == 403
    assert (
        client.get(f"/api/v1/forecast/stations/{station}")
        .json()["times"][0]
        .startswith("2025-02-02T01")
    )
    assert client.get("/api/v1/forecast/cities/330200").status_code == 404
    assert client.get("/api/v1/forecast/towns/330100").status_code == 422
    assert client.get("/api/v1/forecast/map.geojson?lead_day=4").status_code == 422
    bad_month = client.get("/api/v1/forecast/verification?month=2025-13")
    assert bad_month.status_code == 422
    assert client.get("/api/v1/forecast/verification?kind=town").status_code == 422
    scores = client.get("/api/v1/forecast/verification?kind=station").json()
    assert {row["station"] for row in scores} == {station}
    page = client.get("/forecast/verification?kind=station")
    assert page.status_code == 200
    assert page.text.count('data-model="forecast"') == 3
    assert client.get("/forecast/verification.xlsx?kind=station").status_code == 200
    csv = client.get("/forecast/verification.csv?kind=station")
    assert "AQI级别准确率（%）" in csv.content.decode("utf-8-sig")
    assert client.get("/forecast/verification.pdf").status_code == 422
    overview = client.get("/forecast").text
    assert 'data-city="330100"' in overview
    assert 'data-city="330200"' not in overview
    assert 'href="/emergency"' in overview
