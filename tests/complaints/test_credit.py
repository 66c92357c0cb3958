"""The credit/risk seam: a verified complaint against an enterprise is a record of its credit
evaluation (a point deducted, traced to the complaint's page) and of its risk explanation; an
unverified one, or one against another enterprise, is not."""

from __future__ import annotations

from ecogov.complaints import service
from ecogov.enforcement import credit, draws, risk
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from tests.enforcement.support import COUNTY, enterprise

ROUTE = ("accept", "assign", "check", "handle")


def _complaint(db: Database, firm: int, *, verified: bool) -> int:
    new = service.NewComplaint(
        region_code="330106",
        category="odour",
        text="印染厂排放刺鼻废气",
        address=f"工业园区{firm}号",
        enterprise_id=firm,
    )
    receipt = service.file_complaint(db, COUNTY, new)
    data = service.MoveInput(unit_name="西湖分局", verified=verified)
    for action in ROUTE:
        service.act(db, COUNTY, receipt.id, action, "现场核查", data)
    return receipt.id


def test_a_verified_complaint_lowers_the_grade_score_and_shows_in_the_risk(db: Database) -> None:
    firm, other = enterprise(db, 1), enterprise(db, 2)
    draws.sync_directory(db, SYSTEM, "330106")
    before = credit.evaluate(db, [firm, other]).grades
    assert before == {firm: "green", other: "green"}
    baseline = credit.history(db, COUNTY, firm)[0].score

    verified = _complaint(db, firm, verified=True)
    _complaint(db, firm, verified=False)
    _complaint(db, other, verified=False)
    credit.evaluate(db, [firm, other])

    latest = credit.history(db, COUNTY, firm)[0]
    assert baseline is not None
    assert latest.score is not None
    assert latest.score < baseline
    traced = {(p.indicator, p.evidence_ref, p.url) for p in latest.points}
    assert traced == {("verified_complaint", f"complaint:{verified}", f"/complaints/{verified}")}
    assert credit.history(db, COUNTY, other)[0].score == baseline

    explained = risk.explain(db, COUNTY, firm)
    items = {i.kind: i for i in explained.items}
    assert items["verified_complaint"].events == 1
    assert items["verified_complaint"].records == (
        (f"complaint:{verified}", f"/complaints/{verified}"),
    )
    assert "verified_complaint" not in {i.kind for i in risk.explain(db, COUNTY, other).items}


def test_verifying_a_complaint_regrades_the_enterprise_at_once(db: Database) -> None:
    firm = enterprise(db, 1)
    draws.sync_directory(db, SYSTEM, "330106")
    credit.evaluate(db, [firm])
    baseline = credit.history(db, COUNTY, firm)[0]

    verified = _complaint(db, firm, verified=True)  # the "handle" move, nothing else

    latest = credit.history(db, COUNTY, firm)[0]
    assert latest.id != baseline.id
    assert baseline.score is not None
    assert latest.score == baseline.score - 2  # one verified complaint, counted once
    assert [p.evidence_ref for p in latest.points] == [f"complaint:{verified}"]
    # its rectification item is made from the same inbox alert: still counted once
    service.to_rectification(db, COUNTY, verified)
    assert credit.history(db, COUNTY, firm)[0].id == latest.id
