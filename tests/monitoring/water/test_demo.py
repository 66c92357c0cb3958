"""The simulated Zhejiang sections and their monthly values: deterministic, labelled, idempotent."""

from __future__ import annotations

import polars as pl
import pytest

from ecogov.monitoring.water import demo, evaluation, service
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM


def test_about_300_sections_on_zhejiang_counties(db: Database) -> None:
    sections = demo.demo_sections(db)
    rows = [s.row for s in sections]
    assert 280 <= len(rows) <= 320
    assert len({row.code for row in rows}) == len(rows)
    assert all(row.region_code.startswith("33") for row in rows)
    names = {row.name for row in rows}
    assert {"千岛湖湖心", "西湖湖心", "南湖湖心"} <= names
    assert sum(row.drinking_source for row in rows) >= 15
    assert {row.water_body for row in rows} == {"river", "lake"}
    assert all(row.lon is not None and 118 < row.lon < 123.5 for row in rows)


def test_values_are_deterministic_rounded_and_seasonal(db: Database) -> None:
    sections = demo.demo_sections(db)
    lake = next(s for s in sections if s.row.name == "西湖湖心")
    first = demo.demo_observations([sections[0], lake])
    assert first.equals(demo.demo_observations([sections[0], lake]))
    items = set(first.filter(pl.col("section") == lake.row.code)["parameter"])
    assert {"w01001", "w01009", "w21011", "w21001", "chla", "sd"} <= items
    assert len(items) == 26  # 24 Table 1 items and two trophic items
    tp = first.filter(pl.col("parameter") == "w21011")["value"]
    assert (tp.round(3) == tp).all()
    temperature = first.filter(
        (pl.col("section") == lake.row.code) & (pl.col("parameter") == "w01010")
    )
    july = temperature.filter(pl.col("time_text").str.contains("-07-"))["value"].mean()
    january = temperature.filter(pl.col("time_text").str.contains("-01-"))["value"].mean()
    assert isinstance(july, float)
    assert isinstance(january, float)
    assert july > january + 10


def test_load_is_idempotent_and_marks_sections_simulated(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = demo.demo_sections(db)
    hangzhou = [s for s in everything if s.row.region_code.startswith("3301")]
    monkeypatch.setattr(demo, "demo_sections", lambda db: hangzhou)  # to keep the test quick
    monkeypatch.setattr(demo, "MONTHS", 14)  # 2024-01 … 2025-02: a year and a change
    lines = demo.load(db)
    assert "模拟数据" in lines[0]
    again = demo.load(db)
    assert "(0 new)" in again[0]
    sections = service.list_sections(db, SYSTEM)
    assert all(section.simulated for section in sections)
    rows = evaluation.evaluate(db, SYSTEM, evaluation.parse_period("2024"), "section")
    assert rows["class"].null_count() == 0
    assert set(rows["class"]) <= {"I", "II", "III", "IV", "V", "劣V"}
    assert rows.height == len(hangzhou)
    assert (~rows["attains"]).sum() >= 2  # the urban canal outlets and 千岛湖 (target I)
