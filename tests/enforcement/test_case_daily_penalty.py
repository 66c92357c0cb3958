"""Daily continuous penalties (按日连续处罚) recorded on decided cases: worked cases of
按日连续处罚办法 Arts. 17–20 through the service, the API, the case page and the ledger export."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from ecogov.enforcement import cases
from ecogov.enforcement.models import PenaltyCase
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, PermissionDenied
from ecogov.platform.scope import SYSTEM, Role
from ecogov.standards.enforcement.penalty import Round
from tests.enforcement.support import COUNTY, LEADER, enterprise
from tests.enforcement.test_cases import _case
from tests.helpers import login, make_user

FINE = Decimal("100000.00")


def _decided(db: Database, state: str = "decided", case_id: int | None = None) -> int:
    case_id = _case(db) if case_id is None else case_id
    with db.transaction(SYSTEM) as session:
        found = session.get(PenaltyCase, case_id)
        assert found is not None
        found.state, found.fine_yuan = state, FINE
    return case_id


def test_worked_case_one_round_with_the_cases_fine(db: Database) -> None:
    # Order served 2026-03-20 (a Friday); the covert re-inspection on 2026-04-08 finds the
    # discharge going on: 03-21 … 04-08 = 19 days × 100,000 元 (Art. 17, 19).
    case_id = _decided(db)
    view = cases.record_daily_penalty(
        db, COUNTY, case_id, [Round(date(2026, 3, 20), date(2026, 4, 8))]
    )
    assert (view.days, view.amount_yuan) == (19, Decimal("1900000.00"))
    assert view.original_fine_yuan == FINE
    assert "环境保护法》第五十九条" in view.basis
    (row,) = cases.ledger(db, COUNTY)
    assert (row.daily_days, row.daily_amount_yuan) == (19, Decimal("1900000.00"))


def test_worked_case_rounds_accumulate_and_a_late_reinspection_is_flagged(db: Database) -> None:
    # Round 1: served 08-01, found 08-10 → 9 days (before the Code: 环境保护法 Art. 59).
    # Round 2 (a new order after the finding): served 08-12, found 09-15 → 34 days, later than
    # the 30 days of Art. 10. Total 43 days × 20,000.50 元.
    case_id = _decided(db, "executing")
    rounds = [
        Round(date(2026, 8, 1), date(2026, 8, 10)),
        Round(date(2026, 8, 12), date(2026, 9, 15)),
    ]
    view = cases.record_daily_penalty(db, COUNTY, case_id, rounds, Decimal("20000.50"))
    assert [r.days for r in view.rounds] == [9, 34]
    assert [r.late_reinspection for r in view.rounds] == [False, True]
    assert view.days == 43
    assert view.amount_yuan == Decimal("860021.50")
    assert "环境保护法》第五十九条" in view.basis  # the first order precedes 2026-08-15


def test_a_stopped_discharge_gives_none_and_a_correction_replaces_the_record(
    db: Database,
) -> None:
    case_id = _decided(db, "served")
    rounds = [Round(date(2026, 9, 1), date(2026, 9, 11))]
    cases.record_daily_penalty(db, COUNTY, case_id, rounds)
    view = cases.record_daily_penalty(db, COUNTY, case_id, rounds, discharge_stopped=True)
    assert (view.days, view.amount_yuan) == (0, Decimal("0.00"))
    assert "第一千零六十条" in view.basis  # ordered after the Code took effect
    again = cases.daily_penalty_of(db, COUNTY, case_id)
    assert again is not None
    assert again.discharge_stopped


def test_refused_before_the_original_decision_and_on_bad_rounds(db: Database) -> None:
    case_id = _case(db)
    with pytest.raises(Conflict, match="第七条"):
        cases.record_daily_penalty(db, COUNTY, case_id, [Round(date(2026, 3, 1), date(2026, 3, 5))])
    decided = _decided(db, case_id=case_id)
    with pytest.raises(InputError, match="复查发现日期应晚于"):
        cases.record_daily_penalty(db, COUNTY, decided, [Round(date(2026, 3, 5), date(2026, 3, 5))])
    with pytest.raises(InputError, match="轮次重叠"):
        cases.record_daily_penalty(
            db,
            COUNTY,
            decided,
            [Round(date(2026, 3, 1), date(2026, 3, 9)), Round(date(2026, 3, 5), date(2026, 3, 20))],
        )
    with pytest.raises(PermissionDenied):
        cases.record_daily_penalty(db, LEADER, decided, [Round(date(2026, 3, 1), date(2026, 3, 9))])
    assert cases.daily_penalty_of(db, COUNTY, decided) is None


def test_api_page_and_ledger_export_show_the_computation(client: TestClient, db: Database) -> None:
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    enterprise(db, 2)
    case_id = _decided(db)
    token = login(client, "xh")
    api = f"/api/v1/enforcement/cases/{case_id}/daily-penalty"
    body = {"rounds": [{"order_served": "2026-03-20", "violation_found": "2026-04-08"}]}
    response = client.put(api, json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 200, response.text
    assert response.json()["days"] == 19
    bad = {"rounds": [{"order_served": "2026-04-08", "violation_found": "2026-03-20"}]}
    refused = client.put(api, json=bad, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422
    assert "复查发现日期应晚于" in refused.json()["detail"]
    page = client.get(f"/enforcement/cases/{case_id}").text
    assert "100000.00 × 19 = 1900000.00" in page
    assert 'id="daily-amount">1900000.00' in page
    form = client.post(
        f"/enforcement/cases/{case_id}/daily-penalty",
        data={"csrf_token": token, "rounds": "2026-03-20,2026-04-08\n2026-04-10,2026-04-12"},
        follow_redirects=False,
    )
    assert form.status_code == 303
    wrong = client.post(
        f"/enforcement/cases/{case_id}/daily-penalty",
        data={"csrf_token": token, "rounds": "2026-03-20"},
    )
    assert wrong.status_code == 422
    assert "送达日,发现日" in wrong.text
    export = client.get("/api/v1/enforcement/cases/export?fmt=csv")
    (row,) = csv.DictReader(io.StringIO(export.content.decode("utf-8-sig")))
    assert row["按日连续处罚天数"] == "21"
    assert row["按日连续处罚金额（元）"] == "2100000.00"
