"""Section registry, transactional idempotent imports, scope, audit and evaluation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ecogov.monitoring.water import evaluation, service
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound, PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role

HEADER = "code,name,water_name,water_body,basin,region_code,target_class,control_level,"
REGISTRY = (
    HEADER
    + """drinking_source,lon,lat
HZ1,闸口,钱塘江,river,钱塘江,330102,II,national,no,120.17,30.21
HZ2,西湖湖心,西湖,lake,钱塘江,330106,III,provincial,no,120.14,30.25
HZ3,九溪,钱塘江,river,钱塘江,330106,II,municipal,yes,120.12,30.20
NB1,姚江大闸,姚江,river,甬江,330205,III,national,no,121.55,29.88
"""
)

OBSERVATIONS = """section,time,parameter,value
HZ1,2024-05-10,DO,6.5
HZ1,2024-05-10,CODMn,4.5
HZ1,2024-05-10,NH3-N,0.4
HZ1,2024-05-10,TP,0.25
HZ1,2024-05-10,TN,3.0
HZ2,2024-05-10,TP,0.02
HZ2,2024-05-10,DO,8.0
HZ3,2024-05-10,TP,0.05
HZ3,2024-05-10,锰,0.2
NB1,2024-05-10,NH3-N,1.6
HZ1,2025-05-10,TP,0.15
HZ1,2025-05-10,DO,6.5
HZ2,2025-05-10,TP,0.02
HZ3,2025-05-10,TP,0.05
NB1,2025-05-10,NH3-N,0.8
"""

XIHU = Principal("xihu", Role.COUNTY_OFFICER, region_code="330106")
HANGZHOU = Principal("hangzhou", Role.CITY_OFFICER, region_code="330100")
LEADER = Principal("leader", Role.LEADER, region_code="330000")


def _load(db: Database) -> None:
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    service.import_files(db, SYSTEM, "long", [("data.csv", OBSERVATIONS.encode())])


def _audits(db: Database, action: str) -> list[AuditEntry]:
    with db.transaction(SYSTEM) as session:
        stmt = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list(session.scalars(stmt))


def test_section_import_is_idempotent_and_audited(db: Database) -> None:
    files = [("sections.csv", REGISTRY.encode())]
    first = service.import_files(db, SYSTEM, "sections", files)
    assert (first.read, first.inserted, first.updated, first.rejected) == (4, 4, 0, 0)
    again = service.import_files(db, SYSTEM, "sections", files)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    changed = REGISTRY.replace(
        "九溪,钱塘江,river,钱塘江,330106,II", "九溪,钱塘江,river,钱塘江,330106,III"
    )
    third = service.import_files(db, SYSTEM, "sections", [("sections.csv", changed.encode())])
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 3)
    assert service.get_section(db, SYSTEM, "HZ3").target_class == "III"
    entries = _audits(db, "water.sections.import")
    summaries = [e.after for e in entries if e.entity_id is None]
    assert [(s or {}).get("inserted") for s in summaries] == [4, 0, 0]
    changes = [e for e in entries if e.entity_id is not None]  # one per inserted/updated row
    assert len(changes) == 4 + 1
    assert changes[-1].before == {"target_class": 2}


def test_observation_import_is_idempotent_with_counts(db: Database) -> None:
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    files = [("data.csv", OBSERVATIONS.encode())]
    first = service.import_files(db, SYSTEM, "long", files)
    assert (first.read, first.inserted, first.updated, first.unchanged) == (15, 15, 0, 0)
    again = service.import_files(db, SYSTEM, "long", files)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 15)
    edited = OBSERVATIONS.replace("HZ1,2025-05-10,TP,0.15", "HZ1,2025-05-10,TP,0.16")
    third = service.import_files(db, SYSTEM, "long", [("data.csv", edited.encode())])
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 14)
    series = service.section_observations(db, SYSTEM, "HZ1")
    assert series.filter(series["parameter"] == "w21011")["value"].to_list() == [0.25, 0.16]
    entries = _audits(db, "water.observations.import.long")
    assert [e.after["inserted"] for e in entries if e.after] == [15, 0, 0]


def test_rejected_rows_are_reported_and_the_rest_imported(db: Database) -> None:
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    text = (
        "section,time,parameter,value\n"
        "HZ1,2024-06-01,TP,0.1\nXX9,2024-06-01,TP,0.1\nHZ1,2024-06-01,COD,abc\n"
    )
    report = service.import_files(
        db, SYSTEM, "long", [("june.csv", text.encode())], skip_bad_rows=True
    )
    assert (report.inserted, report.rejected) == (1, 2)
    assert [r.text("en") for r in report.rejections] == [
        "june.csv row 3, column section: section XX9 is not registered in your scope",
        "june.csv row 4, column value: 'abc' is not a number",
    ]


def test_a_bad_row_refuses_everything_by_default(db: Database) -> None:
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    text = "section,time,parameter,value\nHZ1,2024-06-01,TP,0.1\nHZ1,2024-06-01,COD,abc\n"
    with pytest.raises(InputError, match=r"1 bad row\(s\), nothing imported: row 3"):
        service.import_files(db, SYSTEM, "long", [("june.csv", text.encode())])
    assert service.section_observations(db, SYSTEM, "HZ1").is_empty()


def test_wide_import_with_a_section_for_the_file(db: Database) -> None:
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    text = (
        "时间,pH,溶解氧,总磷,浊度\n"
        "2024-07-01 00:00,7.2,7.8,0.05,3\n2024-07-01 04:00,7.3,7.6,0.06,4\n"
    )
    report = service.import_files(db, SYSTEM, "wide", [("auto.csv", text.encode())], section="HZ1")
    assert (report.inserted, report.rejected, report.ignored_columns) == (6, 0, ("浊度",))


def test_officers_import_only_within_their_scope(db: Database) -> None:
    report = service.import_files(
        db, XIHU, "sections", [("sections.csv", REGISTRY.encode())], skip_bad_rows=True
    )
    assert report.inserted == 2
    assert [r.text("en") for r in report.rejections] == [
        "sections.csv row 2, column region_code: region 330102 is outside your scope",
        "sections.csv row 5, column region_code: region 330205 is outside your scope",
    ]
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    data = service.import_files(
        db, XIHU, "long", [("data.csv", OBSERVATIONS.encode())], skip_bad_rows=True
    )
    assert data.inserted == 6
    assert {r.reason_en for r in data.rejections} == {
        "section HZ1 is not registered in your scope",
        "section NB1 is not registered in your scope",
    }


def test_a_code_taken_in_another_region_is_not_reused(db: Database) -> None:
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    text = REGISTRY.splitlines()[0] + "\nHZ1,抢注,西湖,lake,钱塘江,330106,III,,,,\n"
    report = service.import_files(
        db, XIHU, "sections", [("s.csv", text.encode())], skip_bad_rows=True
    )
    assert [r.reason_en for r in report.rejections] == [
        "section HZ1 belongs to a region outside your scope"
    ]


@pytest.mark.parametrize(
    "principal",
    [LEADER, Principal("ent", Role.ENTERPRISE, enterprise_id=1), Principal("p", Role.PUBLIC)],
)
def test_leaders_enterprises_and_the_public_do_not_import(
    db: Database, principal: Principal
) -> None:
    with pytest.raises(PermissionDenied):
        service.import_files(db, principal, "sections", [("sections.csv", REGISTRY.encode())])


def test_scope_of_reads(db: Database) -> None:
    _load(db)
    assert [s.code for s in service.list_sections(db, XIHU)] == ["HZ2", "HZ3"]
    assert [s.code for s in service.list_sections(db, HANGZHOU)] == ["HZ1", "HZ2", "HZ3"]
    assert len(service.list_sections(db, LEADER)) == 4
    with pytest.raises(NotFound):
        service.get_section(db, XIHU, "HZ1")
    with pytest.raises(NotFound):
        service.section_observations(db, XIHU, "NB1")
    with pytest.raises(NotFound):
        service.list_sections(db, XIHU, "330102")
    assert set(service.load_observations(db, XIHU)["section"]) == {"HZ2", "HZ3"}
    # Section quality is public data (the portal publishes it, issue 17): the public reads all.
    assert len(service.list_sections(db, Principal("p", Role.PUBLIC))) == 4


def test_evaluate_sections_with_year_on_year(db: Database) -> None:
    _load(db)
    rows = evaluation.evaluate(db, SYSTEM, evaluation.parse_period("2025"), "section")
    by_code = {row["section"]: row for row in rows.iter_rows(named=True)}
    assert by_code["HZ1"]["class"] == "III"
    assert by_code["HZ1"]["class_prev"] == "IV"
    assert by_code["HZ1"]["class_change"] == -1
    assert by_code["HZ1"]["tp_prev"] == 0.25
    assert by_code["HZ1"]["attains"] is False  # target II
    assert by_code["HZ2"]["class"] == "II"  # lake/reservoir TP limits: 0.02 is class II
    assert by_code["HZ3"]["drinking_compliant"] is True
    previous = evaluation.evaluate(db, SYSTEM, evaluation.parse_period("2024-05"), "section")
    hz3 = previous.filter(previous["section"] == "HZ3").row(0, named=True)
    assert (hz3["drinking_compliant"], hz3["failing_items"]) == (False, "锰")
    hz1 = previous.filter(previous["section"] == "HZ1").row(0, named=True)
    assert (hz1["class"], hz1["grade"], hz1["main_pollutants"]) == ("IV", "轻度污染", "总磷(0.25)")


def test_evaluate_basins_and_cities(db: Database) -> None:
    _load(db)
    period = evaluation.parse_period("2025")
    basins = evaluation.evaluate(db, SYSTEM, period, "basin")
    assert basins["basin"].to_list() == ["甬江", "钱塘江"]
    qiantang = basins.row(1, named=True)
    assert qiantang["sections"] == 3
    assert qiantang["grade_method"] == "mean"  # fewer than 5 sections
    assert qiantang["share_I_III"] == pytest.approx(100.0)
    cities = evaluation.evaluate(db, SYSTEM, period, "city")
    assert cities.select("city", "city_name", "sections").rows() == [
        ("330100", "杭州市", 3),
        ("330200", "宁波市", 1),
    ]
    ningbo = cities.row(1, named=True)
    assert (ningbo["share_I_III"], ningbo["share_I_III_prev"]) == (100.0, 0.0)
    assert ningbo["share_I_III_change"] == pytest.approx(100.0)


def test_evaluation_respects_scope_and_region(db: Database) -> None:
    _load(db)
    period = evaluation.parse_period("2025")
    assert evaluation.evaluate(db, XIHU, period, "section")["section"].to_list() == ["HZ2", "HZ3"]
    within = evaluation.evaluate(db, HANGZHOU, period, "section", "330106")
    assert within["section"].to_list() == ["HZ2", "HZ3"]
    with pytest.raises(NotFound):
        evaluation.evaluate(db, XIHU, period, "section", "330205")


def test_default_period_is_the_newest_complete_year(db: Database) -> None:
    assert evaluation.default_period(db, SYSTEM) is None
    _load(db)
    latest = evaluation.default_period(db, SYSTEM)
    assert latest is not None
    assert latest.label == "2024"  # newest data are from May 2025


@pytest.mark.parametrize(
    ("text", "label", "previous"),
    [
        ("2025", "2025", "2024"),
        ("2025-05", "2025-05", "2024-05"),
        ("2025-Q4", "2025-Q4", "2024-Q4"),
        ("2025q1", "2025-Q1", "2024-Q1"),
        ("2025-1", "2025-01", "2024-01"),
    ],
)
def test_parse_period(text: str, label: str, previous: str) -> None:
    period = evaluation.parse_period(text)
    assert (period.label, period.previous.label) == (label, previous)


def test_bad_periods_are_refused() -> None:
    for text in ("2025-13", "25", "2025-Q5", "last year"):
        with pytest.raises(InputError, match=r"无法识别.*YYYYQn or YYYY-Qn"):
            evaluation.parse_period(text)
