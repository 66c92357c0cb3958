"""Money against goods: each kind of mismatch on a constructed case, and a clean case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, PermissionDenied
from ecogov.platform.scope import SYSTEM
from ecogov.waste import money
from ecogov.waste.money import NewMoneyDocument, reconcile
from tests.waste.support import XIHU_OFFICER, YUHANG_OFFICER, Chain, build_chain
from tests.waste.test_manifests import manifest_in

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def chain(db: Database) -> Chain:
    return build_chain(db)


def pay(
    db: Database, chain: Chain, code: str, manifest_no: str | None, quantity: float | None
) -> None:
    money.add_money_document(
        db,
        chain.generator_user,
        NewMoneyDocument(
            code, "payment", chain.generator.id, chain.receiver.id, date(2026, 3, 20),
            Decimal("3200.00"), manifest_no, quantity, "t", "900-249-08",
        ),
    )  # fmt: skip


def test_paid_goods_reconcile_cleanly(db: Database, chain: Chain) -> None:
    number = manifest_in(db, chain, "closed")  # 2 t received
    pay(db, chain, "P1", number, 2.0)
    assert reconcile(db, XIHU_OFFICER, *MARCH) == []


def test_each_mismatch_is_found(db: Database, chain: Chain) -> None:
    unpaid = manifest_in(db, chain, "closed", amount=3.0)
    short = manifest_in(db, chain, "closed", amount=4.0)
    cancelled = manifest_in(db, chain, "cancelled", amount=5.0)
    pay(db, chain, "P1", short, 2.5)  # 4 t received, 2.5 t paid
    pay(db, chain, "P2", cancelled, 5.0)  # money for a cancelled manifest
    pay(db, chain, "P3", "20263301999999", 1.0)  # money for a manifest that does not exist
    found = {(m.kind, m.manifest_no) for m in reconcile(db, SYSTEM, *MARCH)}
    assert found == {
        ("goods_without_payment", unpaid),
        ("quantity_mismatch", short),
        ("payment_without_goods", cancelled),
        ("payment_without_goods", "20263301999999"),
    }


def test_period_payments_cover_the_manifests_between_the_two_parties(
    db: Database, chain: Chain
) -> None:
    manifest_in(db, chain, "closed", amount=3.0)
    manifest_in(db, chain, "received", amount=4.0)
    pay(db, chain, "M3", None, 7.0)
    assert reconcile(db, SYSTEM, *MARCH) == []
    pay(db, chain, "M3-extra", None, 2.0)  # now 9 t paid for 7 t
    [mismatch] = reconcile(db, SYSTEM, *MARCH)
    assert (mismatch.kind, mismatch.goods_t, mismatch.paid_t) == (
        "period_quantity_mismatch",
        7.0,
        9.0,
    )
    assert mismatch.documents == ("M3", "M3-extra")


def test_documents_are_idempotent_and_seen_by_their_parties(db: Database, chain: Chain) -> None:
    pay(db, chain, "P1", None, 1.0)
    pay(db, chain, "P1", None, 1.0)
    with pytest.raises(Conflict):
        pay(db, chain, "P1", None, 2.0)
    assert len(money.list_money(db, chain.receiver_user)) == 1
    assert len(money.list_money(db, XIHU_OFFICER)) == 1
    assert money.list_money(db, chain.carrier_user) == []
    assert money.list_money(db, YUHANG_OFFICER) == []
    with pytest.raises(PermissionDenied):
        money.add_money_document(
            db,
            chain.outsider,
            NewMoneyDocument(
                "X", "payment", chain.generator.id, chain.receiver.id, date(2026, 3, 1), "1"
            ),
        )
