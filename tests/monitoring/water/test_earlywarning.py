"""Surface-water early warning on constructed monthly series: the seasonal trend model, the
probability of missing the target class next month, and the alerts it publishes once."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ecogov.monitoring.water import earlywarning, service
from ecogov.monitoring.water.models import Observation, Section
from ecogov.platform.alerts import Alert
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role
from tests.helpers import login, make_user


def months(count: int, first: date = date(2023, 1, 1)) -> list[date]:
    start = first.year * 12 + first.month - 1
    return [date((start + i) // 12, (start + i) % 12 + 1, 1) for i in range(count)]


def seasonal(
    count: int, level: float, slope_per_year: float, amplitude: float, noise: float = 0.0
) -> list[tuple[date, float]]:
    out = []
    for i, day in enumerate(months(count)):
        wiggle = noise * math.sin(i * 2.3)  # deterministic "noise"
        out.append(
            (
                day,
                level
                + slope_per_year * i / 12
                + amplitude * math.cos(2 * math.pi * day.month / 12)
                + wiggle,
            )
        )
    return out


def test_an_exact_seasonal_trend_is_extrapolated() -> None:
    series = seasonal(36, 0.5, 0.12, 0.2)
    found = earlywarning.predict_next(series)
    assert found is not None
    assert found.month == date(2026, 1, 1)
    expected = 0.5 + 0.12 * 36 / 12 + 0.2 * math.cos(2 * math.pi / 12)
    assert found.value == pytest.approx(expected, abs=1e-9)
    assert found.trend_per_year == pytest.approx(0.12)
    assert found.spread == pytest.approx(0.0, abs=1e-9)


def test_too_short_a_series_has_no_model() -> None:
    assert earlywarning.predict_next(seasonal(earlywarning.MIN_MONTHS - 1, 1, 0, 0)) is None


def test_probability_rises_with_the_trend_towards_the_limit() -> None:
    limit = 1.0  # class III ammonia nitrogen [mg/L]
    flat = earlywarning.predict_next(seasonal(36, 0.6, 0.0, 0.1, noise=0.05))
    rising = earlywarning.predict_next(seasonal(36, 0.6, 0.15, 0.1, noise=0.05))
    assert flat is not None
    assert rising is not None
    p_flat = earlywarning.exceed_probability(flat, limit)
    p_rising = earlywarning.exceed_probability(rising, limit)
    assert p_flat < 0.01 < 0.5 < p_rising
    at_limit = earlywarning.Prediction(date(2026, 1, 1), limit, 0.1, 0.0, 36)
    assert earlywarning.exceed_probability(at_limit, limit) == pytest.approx(0.5)


def _section(db: Database) -> int:
    with db.transaction(SYSTEM) as session:
        section = Section(
            code="T01",
            name="测试断面",
            water_name="测试河",
            water_body="river",
            basin="钱塘江",
            region_code="330106",
            target_class=3,
            control_level="national",
        )
        session.add(section)
        session.flush()
        return section.id


def _ammonia(db: Database, section_id: int, count: int) -> None:
    """``count`` monthly ammonia values of the section, trending towards its class III limit."""
    with db.transaction(SYSTEM) as session:
        for day, value in seasonal(count, 0.6, 0.15, 0.1, noise=0.05):
            session.add(
                Observation(
                    section_id=section_id,
                    parameter="w21003",
                    value=value,
                    time=datetime(day.year, day.month, 10, tzinfo=UTC),
                )
            )


def test_sections_at_risk_publish_one_alert_per_month(db: Database) -> None:
    section_id = _section(db)
    with db.transaction(SYSTEM) as session:
        for day, value in seasonal(36, 0.6, 0.15, 0.1, noise=0.05):
            for parameter, v in (("w21003", value), ("w21011", 0.05)):
                session.add(
                    Observation(
                        section_id=section_id,
                        parameter=parameter,
                        value=v,
                        time=datetime(day.year, day.month, 10, tzinfo=UTC),
                    )
                )
    found = earlywarning.assess(db, SYSTEM)
    ammonia = next(w for w in found if w.parameter == "w21003")
    assert ammonia.limit == 1.0
    assert ammonia.probability > 0.5
    assert next(w for w in found if w.parameter == "w21011").probability < 0.01
    first = earlywarning.publish(db, SYSTEM)
    again = earlywarning.publish(db, SYSTEM)
    assert len(first.created) == 1
    assert again.created == ()
    with db.transaction(SYSTEM) as session:
        alert = session.scalars(select(Alert)).one()
    assert alert.dedupe_key == "water.early_warning:T01:w21003:2026-01"
    assert alert.evidence["limit_mgl"] == 1.0


def test_the_early_warning_page_and_api_list_the_risks(db: Database, client: TestClient) -> None:
    section_id = _section(db)
    _ammonia(db, section_id, 36)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    html = client.get("/water/early-warning").text
    row = html.split('data-code="T01"', 1)[1].split("</tr>", 1)[0]
    assert "氨氮" in row
    assert "2026-01" in row
    assert "<td>III</td>" in row
    assert 'href="/water/early-warning"' in client.get("/water").text
    rows = client.get("/api/v1/water/early-warning").json()
    assert [(r["section_code"], r["parameter"]) for r in rows] == [("T01", "w21003")]
    assert rows[0]["probability"] > 0.5
    make_user(db, "nb", Role.CITY_OFFICER, "330200")
    login(client, "nb")
    assert client.get("/api/v1/water/early-warning").json() == []


def test_an_assessment_is_shared_by_users_who_see_the_same_sections(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fitting the models is computed once per visibility until the next water import (issue
    20: it took seconds a request at a province's size)."""
    section_id = _section(db)
    _ammonia(db, section_id, 30)
    earlywarning._assessments.clear()
    computed: list[str] = []
    fresh = earlywarning.assess_now

    def spy(db: Database, principal: Principal) -> list[earlywarning.EarlyWarning]:
        computed.append(principal.username)
        return fresh(db, principal)

    monkeypatch.setattr(earlywarning, "assess_now", spy)
    first = Principal("hz1", Role.CITY_OFFICER, user_id=1, region_code="330100")
    second = Principal("hz2", Role.CITY_OFFICER, user_id=2, region_code="330100")
    other = Principal("nb", Role.CITY_OFFICER, user_id=3, region_code="330200")
    found = earlywarning.assess(db, first)
    assert [w.section_code for w in found] == ["T01"]
    assert earlywarning.assess(db, second) == found
    assert earlywarning.assess(db, other) == []
    assert computed == ["hz1", "nb"]
    monkeypatch.setattr(service, "_imports", [service.data_version() + 1])  # an import ran
    assert earlywarning.assess(db, second) == found
    assert computed == ["hz1", "nb", "hz2"]
