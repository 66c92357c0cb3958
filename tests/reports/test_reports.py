"""Issue 17 item 3: the monthly report's figures equal the engine's and the services' for the
same period, figure by figure; the .docx opens with python-docx with its charts and tables, the
PDF is a well-formed PDF with its chart images and Chinese font; the API, the schedule and the
permission table behave as officers need."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import select

from ecogov.engine import air as engine
from ecogov.monitoring.air import evaluation as air
from ecogov.monitoring.water import evaluation as water
from ecogov.platform import alerts
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.reports import figures, service
from ecogov.reports.layout import compose, layout_for
from ecogov.reports.render import docx_bytes, pdf_bytes
from ecogov.standards.rounding import round_computed_gbt8170
from ecogov.standards.timebase import BEIJING
from tests.helpers import login, make_user

PROVINCE, MONTH = "330000", "2025-01"
JANUARY = datetime(2025, 1, 10, 8, tzinfo=BEIJING)


def _alert(key: str, kind: str, end: datetime) -> alerts.AlertDraft:
    return alerts.AlertDraft(
        kind=kind,
        severity="yellow",
        title=f"测试 {key}",
        region_code="330106",
        window_start=end - timedelta(hours=1),
        window_end=end,
        dedupe_key=key,
    )


@pytest.fixture
def demo(db: Database) -> Database:
    from ecogov.monitoring.air import demo as air_demo
    from ecogov.monitoring.water import demo as water_demo

    air_demo.load(db, hours=24 * 40)
    water_demo.load(db)
    alerts.publish(
        db,
        [
            _alert("e1", "hj212.exceedance", JANUARY),
            _alert("e2", "hj212.exceedance", JANUARY + timedelta(days=20)),
            _alert("e3", "hj212.exceedance", JANUARY + timedelta(days=30)),  # February
            _alert("f1", "hj212.finding", JANUARY),
        ],
    )
    return db


def test_air_figures_equal_the_engine(demo: Database) -> None:
    found = figures.monthly(demo, SYSTEM, PROVINCE, MONTH)
    month = air.parse_period(MONTH)
    stations = air.official_stations(demo, SYSTEM, [PROVINCE])
    days = air.station_daily_values(demo, SYSTEM, stations, month.first, month.last)
    city_days = engine.city_daily_values(days, stations.select("station", "city"))
    stats = engine.change_and_rank(
        engine.period_statistics(engine.daily_aqi(city_days, "auto"), "month")
    )
    by_city = {row["city"]: row for row in stats.iter_rows(named=True)}
    cities = found.value("air.cities")
    assert len(cities) == len(by_city) == 11
    for city in cities:
        expected = by_city[city["city"]]
        assert city["composite_index"] == expected["composite_index"]
        assert city["rank"] == expected["rank"]
        assert city["good_day_ratio"] == expected["good_ratio"]
        for n in range(1, 7):
            assert city[f"level_{n}_days"] == expected[f"level_{n}_days"]
        assert city["primary_codes"] == str(expected["composite_primary"]).split(";")
    levels = [int(stats[f"level_{n}_days"].sum()) for n in range(1, 7)]
    assert found.value("air.level_days") == levels
    assert found.value("air.valid_days") == int(stats["aqi_days"].sum())
    assert found.value("air.good_days") == int(stats["good_days"].sum())
    assert found.value("air.heavy_days") == int(stats["heavy_days"].sum())
    good, valid = found.value("air.good_days"), found.value("air.valid_days")
    assert found.value("air.good_day_ratio") == float(round_computed_gbt8170(100 * good / valid, 1))
    best = stats.sort("composite_index").row(0, named=True)["city"]
    assert found.value("air.best") == next(c["name"] for c in cities if c["city"] == best)
    source = found.by_key["air.cities"].source
    assert source.query == "ecogov.monitoring.air.evaluation.evaluate"
    assert source.params == {"period": MONTH, "by": "city", "region": PROVINCE}


def test_water_sources_and_ledger_figures_equal_the_services(demo: Database) -> None:
    found = figures.monthly(demo, SYSTEM, PROVINCE, MONTH)
    rows = water.evaluate(demo, SYSTEM, water.parse_period(MONTH), "section", PROVINCE)
    classed = rows.filter(pl.col("class").is_not_null())
    totals = water.summarize(rows)
    assert found.value("water.sections") == classed.height > 0
    for key in ("share_I_III", "share_worse_than_V", "attainment", "share_I_III_prev"):
        value = totals[key]
        assert isinstance(value, float)
        assert found.value(f"water.{key}") == float(round_computed_gbt8170(value, 1))
    assert sum(found.value("water.classes")) == classed.height
    assert found.value("water.classes")[5] == classed.filter(pl.col("class") == "劣V").height
    changes = classed["class_change"].drop_nulls()
    assert found.value("water.worse") == int((changes > 0).sum())
    assert found.value("water.better") == int((changes < 0).sum())
    worst = found.value("water.worst_sections")
    assert worst
    assert all(s["class"] not in ("I", "II", "III") for s in worst)
    assert worst[0]["class"] == "劣V"
    assert found.value("sources.exceedances") == 2  # the February one is not January's
    assert found.value("sources.findings") == 1
    assert found.by_key["sources.exceedances"].source.params["kind"] == "hj212.exceedance"
    assert found.value("complaints.received") == 0
    assert found.value("rectification.open") == 0


def test_word_and_pdf_carry_the_figures_charts_and_tables(demo: Database) -> None:
    found = figures.monthly(demo, SYSTEM, PROVINCE, MONTH)
    elements = compose(layout_for("monthly", PROVINCE), found)
    document = Document(io.BytesIO(docx_bytes(elements)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "一、环境空气质量" in text
    assert "二、地表水环境质量" in text
    assert f"优良天数比例为{found.value('air.good_day_ratio')}%" in text
    assert f"超标{found.value('sources.exceedances')}起" in text
    assert len(document.inline_shapes) == 3  # the three charts
    assert len(document.tables) == 4  # ranking, primary pollutants, worst sections, sources
    ranking = document.tables[0]
    assert ranking.rows[0].cells[0].text == "排名"
    assert len(ranking.rows) == 1 + 11
    appendix = document.tables[-1]
    assert {row.cells[0].text for row in appendix.rows[1:]} == set(found.by_key)
    pdf = pdf_bytes(elements)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Subtype /Image", pdf)) >= 3  # the charts (and alpha masks)
    assert b"STSong-Light" in pdf
    assert len(re.findall(rb"/Type /Page\b", pdf)) >= 2


def test_api_page_and_audit(demo: Database, client: TestClient) -> None:
    make_user(demo, "zj", Role.PROVINCE_OFFICER, PROVINCE)
    make_user(demo, "hz", Role.CITY_OFFICER, "330100")
    login(client, "zj")
    url = f"/api/v1/reports/monthly?region={PROVINCE}&period={MONTH}"
    data = client.get(url).json()
    assert data["figures"]["air.good_day_ratio"]["value"] == 59.1
    assert data["figures"]["air.cities"]["source"]["params"]["period"] == MONTH
    pdf = client.get(url + "&format=pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    word = client.get(url + "&format=docx")
    assert len(Document(io.BytesIO(word.content)).inline_shapes) == 3
    bad = client.get(f"/api/v1/reports/monthly?region={PROVINCE}&period=2025-13")
    assert bad.status_code == 422
    assert "2025-13" in bad.json()["detail"]
    listed = client.get("/api/v1/reports").json()
    assert [r["period"] for r in listed] == [MONTH] * 3
    page = client.get("/reports")
    assert page.status_code == 200
    assert "环境质量月报" in page.text
    again = client.get(f"/reports/{listed[0]['id']}/download?format=json").json()
    assert again["figures"] == data["figures"]  # recorded, downloaded again as generated
    with demo.transaction(SYSTEM) as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "generated_report")
        ).all()
    assert actions == ["reports.demand"] * 3
    client.cookies.clear()
    login(client, "hz")
    refused = client.get(f"/api/v1/reports/monthly?region=330200&period={MONTH}")
    assert refused.status_code in (403, 404)
    assert client.get("/api/v1/reports").json() == []  # the province's reports are not the city's


def test_schedule_is_idempotent(demo: Database) -> None:
    first = service.schedule(demo, SYSTEM, [PROVINCE], MONTH)
    assert sorted(r.kind for r in first) == ["monthly", "ranking"]
    assert service.schedule(demo, SYSTEM, [PROVINCE], MONTH) == []
    ranking = service.figures_of(demo, SYSTEM, next(r.id for r in first if r.kind == "ranking"))
    assert set(ranking.by_key) >= {"air.cities", "air.best", "air.worst"}
    assert "water.sections" not in ranking.by_key
    name, content = service.document(demo, SYSTEM, first[1].id, "docx")
    assert name == f"ranking-{PROVINCE}-{MONTH}.docx"
    assert "排名通报" in Document(io.BytesIO(content)).paragraphs[0].text


def test_a_province_layout_replaces_the_default(tmp_path: Path) -> None:
    (tmp_path / "monthly.toml").write_text('title = "默认"\n', encoding="utf-8")
    (tmp_path / "monthly.330000.toml").write_text('title = "浙江 {region}"\n', encoding="utf-8")
    assert layout_for("monthly", "330106", tmp_path).name == "monthly.330000"
    assert layout_for("monthly", "110000", tmp_path).name == "monthly"


def test_previous_month() -> None:
    assert service.previous_month(datetime(2026, 1, 5).date()) == "2025-12"
    assert service.previous_month(datetime(2026, 3, 31).date()) == "2026-02"
