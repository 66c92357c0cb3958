"""The review after lifting: the forecast beside the city's observed daily AQI (stored air
daily values, HJ 633), and per enterprise of the list the ratio of its hourly emissions during
the warning to the week before, per factor (stored HJ 212 hours)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from ecogov.emergency import review, service
from ecogov.emergency.service import ForecastDay
from ecogov.monitoring.air import demo as air_demo
from ecogov.monitoring.air.evaluation import city_daily_aqi
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.sources.demo import demo_uscc
from ecogov.standards.timebase import BEIJING
from tests.emergency.test_warnings import CITY
from tests.helpers import login, make_user
from tests.hj212.support import make_devices, store_hours

START = date(2025, 1, 20)


def _forecast(db: Database, principal: Principal, city: str) -> list[ForecastDay]:
    return [ForecastDay(START, 260), ForecastDay(START + timedelta(days=1), 230)]


def test_ratios_compare_the_hourly_means() -> None:
    found = review.ratios({"w01018": [20.0, 20.0], "a21026": [5.0]}, {"w01018": [40.0]})
    by_code = {f.factor: f for f in found}
    assert by_code["w01018"].ratio == pytest.approx(0.5)
    assert (by_code["w01018"].hours_during, by_code["w01018"].hours_before) == (2, 1)
    assert by_code["w01018"].name == "化学需氧量"
    assert by_code["a21026"].ratio is None  # nothing the week before to compare with


def test_the_review_of_a_lifted_warning(db: Database, client: TestClient) -> None:
    air_demo.load(db, hours=24 * 25)
    device = make_devices(db, 1, "330106")[0]
    start = datetime.combine(START, datetime.min.time(), BEIJING)
    store_hours(db, device, ["40"] * 24, start - timedelta(days=3))  # the week before
    store_hours(db, device, ["10"] * 12, start + timedelta(hours=2))  # during the warning
    uscc = demo_uscc(90_001, "330106")
    table = f"统一社会信用代码,预警级别,限产比例,减排措施\n{uscc},黄色,30,印染生产线限产30%\n"
    service.import_measures(db, CITY, "清单.csv", table.encode())
    warning_id = service.suggest(db, CITY, "330100", _forecast)
    assert warning_id is not None
    service.decide(db, CITY, warning_id, "publish", "发布", "yellow")
    with pytest.raises(Conflict):
        review.review(db, CITY, warning_id)
    service.decide(db, CITY, warning_id, "lift", "解除")
    found = review.review(db, CITY, warning_id)
    observed = city_daily_aqi(db, SYSTEM, "330100", START, START + timedelta(days=1))
    assert [d.date for d in found.days] == [START, START + timedelta(days=1)]
    assert [d.forecast_aqi for d in found.days] == [260, 230]
    assert [d.observed_aqi for d in found.days] == [
        observed[START],
        observed[START + timedelta(days=1)],
    ]
    assert all(0 < a <= 500 for a in observed.values())
    (firm,) = found.enterprises
    cod = next(f for f in firm.factors if f.factor == "w01018")
    assert (cod.during, cod.before, cod.ratio) == (10.0, 40.0, 0.25)
    assert (cod.hours_during, cod.hours_before) == (12, 24)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    page = client.get(f"/emergency/{warning_id}").text
    assert 'id="review-days"' in page
    assert 'data-ratio="0.250"' in page
    api = client.get(f"/api/v1/emergency/warnings/{warning_id}/review").json()
    assert api["days"][0]["observed_aqi"] == observed[START]
