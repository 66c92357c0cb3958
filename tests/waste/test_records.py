"""Plans, ledgers and parties: units converted and checked, idempotent re-entry, who may write
and read what."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound, PermissionDenied
from ecogov.platform.scope import SYSTEM
from ecogov.waste import parties, records
from ecogov.waste.parties import NewFacility, NewParty
from ecogov.waste.records import NewLedgerEntry, PlanLine
from tests.waste.support import (
    CODE,
    LEADER,
    XIHU_OFFICER,
    YUHANG_OFFICER,
    Chain,
    build_chain,
    enterprise,
)


@pytest.fixture
def chain(db: Database) -> Chain:
    return build_chain(db)


def entry(chain: Chain, **change: Any) -> NewLedgerEntry:
    first = NewLedgerEntry(
        "E1", chain.generator.id, date(2026, 3, 2), CODE, "generated", 1500.0, "kg"
    )
    return replace(first, **change)


def test_ledger_amounts_are_stored_in_tonnes_and_reentry_changes_nothing(
    db: Database, chain: Chain
) -> None:
    owner = chain.generator_user
    [first] = records.add_ledger_entries(db, owner, [entry(chain)])
    assert (first.quantity_t, first.entered_amount, first.entered_unit) == (1.5, 1500.0, "kg")
    assert records.add_ledger_entries(db, owner, [entry(chain)]) == [first]
    with pytest.raises(Conflict, match="E1"):
        records.add_ledger_entries(db, owner, [entry(chain, amount=1600.0)])
    assert len(records.list_ledger(db, owner)) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit": "lb"}, "计量单位"),
        ({"amount": -1.0}, "正数"),
        ({"amount": float("nan")}, "正数"),
        ({"waste_code": "900-249-99"}, "废物代码"),
        ({"stage": "burnt"}, "环节"),
        ({"stage": "handed_over"}, "联单编号"),
        ({"entry_code": ""}, "台账编号"),
    ],
)
def test_bad_ledger_lines_are_refused_with_the_reason(
    db: Database, chain: Chain, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        records.add_ledger_entries(db, chain.generator_user, [entry(chain, **change)])


def test_only_the_generator_and_its_officers_write_its_records(db: Database, chain: Chain) -> None:
    for who in (chain.carrier_user, chain.outsider, YUHANG_OFFICER):
        with pytest.raises((PermissionDenied, NotFound)):
            records.add_ledger_entries(db, who, [entry(chain)])
    with pytest.raises(PermissionDenied):
        records.add_ledger_entries(db, LEADER, [entry(chain)])
    records.add_ledger_entries(db, XIHU_OFFICER, [entry(chain, entry_code="E2")])
    assert [e.entry_code for e in records.list_ledger(db, chain.generator_user)] == ["E2"]
    assert records.list_ledger(db, chain.outsider) == []
    assert records.list_ledger(db, YUHANG_OFFICER) == []
    assert len(records.list_ledger(db, LEADER)) == 1


def test_facilities_belong_to_their_party(db: Database, chain: Chain) -> None:
    store = parties.add_facility(
        db, XIHU_OFFICER, NewFacility(chain.generator.id, "F1", "危废仓库", "storage", 30.0)
    )
    records.add_ledger_entries(db, chain.generator_user, [entry(chain, facility_id=store.id)])
    other = parties.add_facility(
        db, SYSTEM, NewFacility(chain.receiver.id, "F2", "焚烧炉", "disposal", 100.0)
    )
    with pytest.raises(NotFound, match="设施"):
        records.add_ledger_entries(
            db, chain.generator_user, [entry(chain, entry_code="E9", facility_id=other.id)]
        )


def test_a_plan_line_is_set_once_per_code_and_year(db: Database, chain: Chain) -> None:
    line = PlanLine(chain.generator.id, 2026, CODE, 120.0, receiver_id=chain.receiver.id)
    first = records.set_plan_line(db, chain.generator_user, line)
    assert records.set_plan_line(db, chain.generator_user, line) == first
    changed = records.set_plan_line(
        db, chain.generator_user, PlanLine(chain.generator.id, 2026, CODE, 100_000, "kg")
    )
    assert (changed.id, changed.planned_t, changed.receiver_id) == (first.id, 100.0, None)
    assert len(records.list_plans(db, XIHU_OFFICER, year=2026)) == 1
    with pytest.raises(InputError, match="拟接收单位类型"):
        records.set_plan_line(
            db, SYSTEM, PlanLine(chain.generator.id, 2026, CODE, 1.0, receiver_id=chain.carrier.id)
        )


def test_party_registration_checks_its_role(db: Database, chain: Chain) -> None:
    company = enterprise(db, 9, "330106", "新公司")
    with pytest.raises(InputError, match="管理类别"):
        parties.create_party(db, SYSTEM, NewParty(company, "receiver", management_class="key"))
    with pytest.raises(InputError, match="运输许可证"):
        parties.create_party(db, SYSTEM, NewParty(company, "carrier"))
    with pytest.raises(PermissionDenied):
        parties.create_party(db, chain.generator_user, NewParty(company, "generator"))
    with pytest.raises(NotFound):  # another county's enterprise is out of sight
        parties.create_party(db, YUHANG_OFFICER, NewParty(company, "generator"))
    made = parties.create_party(
        db, XIHU_OFFICER, NewParty(company, "generator", None, "registration", True, 30)
    )
    assert (made.small_generator, made.collection_cycle_days) == (True, 30)
    with pytest.raises(Conflict):
        parties.create_party(db, XIHU_OFFICER, NewParty(company, "generator"))
    # the directory of parties is open to every logged-in user
    assert len(parties.list_parties(db, chain.outsider)) == 5
