"""Credit and risk from the platform's own records: alerts of the inbox (HJ 212, waste), penalty
cases and overdue rectification items grade an enterprise, every point traced to its record;
publishing evidence grades it again, a repair restores it; the risk score reaches the directory,
its explanation, the top-risk list and the draw's reserved share."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ecogov.enforcement import cases, credit, draws, evidence, risk
from ecogov.enforcement.models import InspectionObject
from ecogov.engine.enforcement.draw import INSPECTOR_SCHEMA, draw
from ecogov.platform import alerts
from ecogov.platform.clock import now as clock_now
from ecogov.platform.clock import today as clock_today
from ecogov.platform.db import Database
from ecogov.platform.errors import PermissionDenied
from ecogov.platform.scope import SYSTEM, Role
from ecogov.standards.enforcement.rules import RulesError, merge_rules
from tests.enforcement.support import COUNTY, REVIEWER, enterprise, enterprise_principal
from tests.helpers import login, make_user


def _alert(firm: int, kind: str, key: str, check: str | None = None) -> alerts.AlertDraft:
    end = clock_now() - timedelta(hours=2)
    return alerts.AlertDraft(
        kind=kind,
        severity="orange",
        title=f"测试{kind}",
        region_code="330106",
        window_start=end - timedelta(hours=3),
        window_end=end,
        dedupe_key=key,
        evidence={"check": check} if check else {},
        enterprise_id=firm,
    )


def _grade(db: Database, firm: int) -> str | None:
    with db.transaction(SYSTEM) as session:
        return session.scalar(
            select(InspectionObject.credit_grade).where(InspectionObject.enterprise_id == firm)
        )


def _directory(db: Database) -> tuple[int, int]:
    firm, other = enterprise(db, 1), enterprise(db, 2)
    draws.sync_directory(db, SYSTEM, "330106")
    return firm, other


def test_a_published_finding_regrades_and_every_point_is_traced(db: Database) -> None:
    firm, other = _directory(db)
    assert credit.evaluate_region(db, COUNTY, "330106").grades == {firm: "green", other: "green"}
    first = _alert(firm, "hj212.exceedance", "x:1")
    exceedance = alerts.publish(db, [first]).created[0]
    assert _grade(db, firm) == "green"  # 100 - 5 = 95: still 诚信
    fraud = alerts.publish(db, [_alert(firm, "hj212.finding", "x:2", "zs_consistency")])
    offline = alerts.publish(db, [_alert(firm, "hj212.finding", "x:3", "missing")])
    assert _grade(db, firm) == "blue"  # 100 - 5 - 5 - 1 = 89
    latest = credit.history(db, COUNTY, firm)[0]
    assert (latest.score, latest.current) == (89.0, True)
    traced = {(p.indicator, p.points, p.evidence_ref, p.url) for p in latest.points}
    assert traced == {
        ("discharge_compliance", -5.0, f"alert:{exceedance}", f"/alerts/{exceedance}"),
        ("monitoring_data", -5.0, f"alert:{fraud.created[0]}", f"/alerts/{fraud.created[0]}"),
        ("online_device", -1.0, f"alert:{offline.created[0]}", f"/alerts/{offline.created[0]}"),
    }
    assert _grade(db, other) == "green"
    # republishing the same evidence changes nothing: no new evaluation in the history
    alerts.publish(db, [first])
    assert len(credit.history(db, COUNTY, firm)) == 4
    # a newer occurrence of the same problem counts again
    alerts.publish(db, [_alert(firm, "hj212.exceedance", "x:1")])
    assert credit.history(db, COUNTY, firm)[0].score == 84.0


def test_a_repair_restores_the_grade_and_a_dismissed_alert_no_longer_counts(db: Database) -> None:
    firm, _ = _directory(db)
    for n in range(3):
        alerts.publish(db, [_alert(firm, "waste.storage_age", f"w:{n}")])
    kept = alerts.publish(db, [_alert(firm, "hj212.exceedance", "x:9")]).created[0]
    assert _grade(db, firm) == "blue"  # waste: 2.5 × 2 (its 5 points) + 5 = 90
    evaluation = credit.history(db, COUNTY, firm)[0]
    assert evaluation.score == 90.0
    alerts.dismiss(db, COUNTY, kept, "设备标定期间的误报")
    assert credit.history(db, COUNTY, firm)[0].score == 95.0
    repair = credit.request_repair(
        db, enterprise_principal(firm), credit.history(db, COUNTY, firm)[0].id, "已整改"
    )
    assert credit.decide_repair(db, REVIEWER, repair, "approve") == "approved"
    restored = credit.history(db, COUNTY, firm)[0]
    assert (restored.grade, restored.score, restored.points) == ("green", 100.0, ())


def test_penalty_decision_and_its_execution_are_evidence(db: Database) -> None:
    firm, _ = _directory(db)
    case_id = cases.file_case(db, COUNTY, cases.NewCase(firm, "超标排放案"))
    for action in ("investigate", "submit_review"):
        cases.act(db, COUNTY, case_id, action)
    cases.act(db, REVIEWER, case_id, "notify")
    cases.add_document(db, COUNTY, case_id, "decision", "决定书.pdf", "application/pdf", b"%PDF")
    cases.act(db, REVIEWER, case_id, "decide", decision=cases.Decision(Decimal(1000), "大气法"))
    decided = credit.history(db, COUNTY, firm)[0]
    assert [(p.indicator, p.evidence_ref, p.url) for p in decided.points] == [
        ("administrative_penalty", f"case:{case_id}", f"/enforcement/cases/{case_id}")
    ]
    assert decided.score == 94.0


def test_an_overdue_rectification_item_of_an_alert_counts(db: Database) -> None:
    firm, _ = _directory(db)
    alert_id = alerts.publish(db, [_alert(firm, "enforcement.finding", "f:1")]).created[0]
    ref = alerts.convert(
        db,
        COUNTY,
        alert_id,
        "rectification",
        alerts.ConversionRequest(deadline=clock_today() - timedelta(days=3), unit_name="西湖区"),
    )
    query = evidence.EvidenceQuery.year_to([firm], clock_today())
    overdue = [r for r in evidence.collect(db, SYSTEM, query) if r.kind.startswith("plans.")]
    assert [(r.ref, r.url) for r in overdue] == [(ref, f"/plans/rectification/{ref[14:]}")]
    credit.evaluate(db, [firm])
    assert [p.indicator for p in credit.history(db, COUNTY, firm)[0].points] == ["rectification"]


def test_risk_score_in_the_directory_explained_ranked_and_drawn_first(db: Database) -> None:
    firm, other = _directory(db)
    alerts.publish(db, [_alert(firm, "hj212.finding", "x:5", "flat_line")])
    alerts.publish(db, [_alert(firm, "waste.storage_age", "w:5")])
    credit.evaluate_region(db, COUNTY, "330106")
    explained = risk.explain(db, COUNTY, firm)
    # 100 - 5 (monitoring_data) - 2.5 (hazardous_waste) = 92.5: 蓝牌, which adds 2 risk points
    assert _grade(db, firm) == "blue"
    assert [(i.kind, i.points) for i in explained.items] == [
        ("data_fraud", 10.0),
        ("waste_finding", 4.0),
        ("credit_grade", 2.0),
    ]
    assert explained.score == 16.0
    assert explained.items[0].records[0][1] is not None
    ranked = risk.top(db, COUNTY, "330106")
    assert [(r.enterprise_id, r.score) for r in ranked] == [(firm, 16.0), (other, 0.0)]
    with pytest.raises(PermissionDenied, match="风险评分"):
        risk.explain(db, enterprise_principal(firm), firm)
    with db.transaction(SYSTEM) as session:
        objects = draws.directory_frame(session, "330106")
    # both objects' strata drawn in full, half the tasks reserved for the top-risk list
    everyone = {"green": 1.0, "blue": 1.0}
    rules = merge_rules(
        {"draw": {"reserved_share": 0.5, "proportions": {"general": everyone}}}
    ).draw
    result = draw(objects, _inspectors(), rules, "种子")
    tasks = result["tasks"]
    assert isinstance(tasks, list)
    reserved = [t for t in tasks if t["basis"] == "reserved"]
    assert [t["enterprise_id"] for t in reserved] == [str(firm)]


def _inspectors() -> pl.DataFrame:
    rows: list[tuple[str, str, str, list[str], list[str], list[str]]] = [
        (str(i), "西湖分局", "330106", [], [], []) for i in (1, 2)
    ]
    return pl.DataFrame(rows, schema=INSPECTOR_SCHEMA, orient="row")


def test_a_province_maps_a_record_kind_and_a_wrong_mapping_is_refused() -> None:
    rules = merge_rules(
        {"credit": {"evidence": {"hj212.finding:flat_line": {"indicator": "noise",
                                                             "name_zh": "恒值"}}}}
    )  # fmt: skip
    assert rules.credit.evidence[0].pattern == "hj212.finding:flat_line"
    with pytest.raises(RulesError, match=r"credit\.evidence\.x\.indicator"):
        merge_rules({"credit": {"evidence": {"x": {"indicator": "nope", "name_zh": "某"}}}})
    dropped = merge_rules({"credit": {"indicators": {"rectification": {"enabled": False}}}})
    assert "plans.rectification_overdue" not in {m.pattern for m in dropped.credit.evidence}


def test_pages_show_traced_points_the_risk_explanation_and_the_top_list(
    db: Database, client: TestClient
) -> None:
    firm, _ = _directory(db)
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    make_user(db, "qy", Role.ENTERPRISE, enterprise_id=firm)
    alert_id = alerts.publish(db, [_alert(firm, "hj212.exceedance", "x:7")]).created[0]
    token = login(client, "xh")
    response = client.post(
        "/enforcement/risk",
        data={"csrf_token": token, "region": "330106"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    top = client.get(response.headers["location"])
    assert top.status_code == 200
    assert "重点监管对象清单" in top.text
    assert f'href="/enforcement/enterprises/{firm}"' in top.text
    page = client.get(f"/enforcement/enterprises/{firm}").text
    assert f'<a href="/alerts/{alert_id}" data-evidence="alert:{alert_id}">' in page
    assert "大气及水污染物达标排放" in page
    assert 'id="risk-score">3.0<' in page  # one exceedance: 3 points, green adds none
    assert client.post(
        "/enforcement/risk", data={"csrf_token": token, "region": "x"}
    ).status_code in (400, 422)
    client.cookies.clear()
    login(client, "qy")
    own = client.get(f"/enforcement/enterprises/{firm}")
    assert own.status_code == 200
    assert "risk-score" not in own.text
    assert client.get("/enforcement/risk?region=330106").status_code == 403
