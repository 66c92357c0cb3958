"""Money flow (资金流): disposal contracts, invoices and payments, per manifest or per period, and
their reconciliation against the goods that moved (物流 + 资金流).

:func:`reconcile` returns the mismatches of a period, each with its evidence:

* ``payment_without_goods`` — a payment naming a manifest that does not exist, was cancelled or
  rejected (money paid for nothing received);
* ``quantity_mismatch`` — a payment's quantity differs from the manifest's received amount
  beyond :data:`QUANTITY_TOLERANCE`;
* ``goods_without_payment`` — a received manifest with no payment of its own and no period
  payment between the same generator and receiver in the period;
* ``period_quantity_mismatch`` — period payments between two parties for a code cover another
  quantity than the manifests between them in the period that have no payment of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.standards.timebase import BEIJING
from ecogov.waste.access import MANIFESTS, MONEY
from ecogov.waste.models import MONEY_KINDS, Manifest, MoneyDocument
from ecogov.waste.parties import (
    check_period,
    load_party,
    one_of,
    resubmitted,
    to_tonnes,
    waste_code,
)

QUANTITY_TOLERANCE: Final = 0.05
"""Relative difference between paid and received quantities reconciliation accepts [D]."""
RECEIVED_STATES: Final = (
    "received",
    "received_discrepancy",
    "closed",
    "under_correction",
    "corrected",
)
"""States of a manifest whose goods arrived."""
NO_GOODS_STATES: Final = ("cancelled", "rejected")


@dataclass(frozen=True)
class NewMoneyDocument:
    """A contract, invoice or payment; ``manifest_no`` None for a period document."""

    doc_code: str
    kind: str
    payer_id: int
    payee_id: int
    day: date
    amount_yuan: Decimal | float | str
    manifest_no: str | None = None
    quantity: float | None = None
    unit: str = "t"
    waste_code: str | None = None


@dataclass(frozen=True)
class MoneyView:
    """A money document as shown."""

    id: int
    doc_code: str
    kind: str
    payer_id: int
    payee_id: int
    manifest_no: str | None
    day: date
    amount_yuan: Decimal
    quantity_t: float | None
    waste_code: str | None


def _view(row: MoneyDocument) -> MoneyView:
    return MoneyView(
        row.id, row.doc_code, row.kind, row.payer_id, row.payee_id, row.manifest_no, row.day,
        row.amount_yuan, row.quantity_t, row.waste_code,
    )  # fmt: skip


def _amount(value: Decimal | float | str, where: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise InputError(f"{where}金额“{value}”不是数字（amount is not a number）") from None
    if not amount.is_finite() or amount < 0:
        raise InputError(f"{where}金额不能为负（the amount cannot be negative）")
    return amount


def add_money_document_in(
    session: Session, new: NewMoneyDocument, where: str = ""
) -> tuple[MoneyDocument, bool]:
    """Record a money document in ``session``; the row and whether it is new (the same again is
    a no-op, the same id with other content a 409)."""
    if not new.doc_code or len(new.doc_code) > 40:
        raise InputError(
            f"{where}单据编号须为 1–40 个字符（document id must have 1–40 characters）"
        )
    one_of(new.kind, MONEY_KINDS, f"{where}单据类型", "document kind")
    amount = _amount(new.amount_yuan, where)
    quantity = None if new.quantity is None else to_tonnes(new.quantity, new.unit, where)
    code = None if not new.waste_code else waste_code(new.waste_code, where)
    payer, payee = load_party(session, new.payer_id), load_party(session, new.payee_id)
    if payer.id == payee.id:
        raise InputError(f"{where}付款方与收款方不能相同（payer and payee must differ）")
    values = {
        "kind": new.kind,
        "payer_id": payer.id,
        "payee_id": payee.id,
        "manifest_no": new.manifest_no or None,
        "day": new.day,
        "amount_yuan": amount,
        "quantity_t": quantity,
        "waste_code": code,
    }
    existing = session.scalars(
        select(MoneyDocument).where(MoneyDocument.doc_code == new.doc_code)
    ).first()
    if existing is not None:
        same = all(getattr(existing, k) == v for k, v in values.items())
        resubmitted(same, "单据编号", "document", new.doc_code, where)
        return existing, False
    row = MoneyDocument(
        doc_code=new.doc_code,
        region_code=payer.region_code,
        payer_enterprise_id=payer.enterprise_id,
        payee_enterprise_id=payee.enterprise_id,
        **values,
    )
    session.add(row)
    return row, True


def add_money_document(db: Database, principal: Principal, new: NewMoneyDocument) -> MoneyView:
    """Record a contract, invoice or payment (its payer or payee, or officers)."""
    authorize(principal, "create", MONEY)
    with db.transaction(principal, "waste.money.add") as session:
        row, _ = add_money_document_in(session, new)
        session.flush()
        return _view(row)


def list_money(
    db: Database,
    principal: Principal,
    *,
    kind: str | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> list[MoneyView]:
    """The money documents the principal may read, by day."""
    authorize(principal, "read", MONEY)
    with db.transaction(principal) as session:
        query = select(MoneyDocument)
        if kind is not None:
            query = query.where(MoneyDocument.kind == one_of(kind, MONEY_KINDS, "单据类型", "kind"))
        if start is not None:
            query = query.where(MoneyDocument.day >= start)
        if end is not None:
            query = query.where(MoneyDocument.day <= end)
        rows = session.scalars(
            query.order_by(MoneyDocument.day, MoneyDocument.id).limit(limit).offset(offset)
        ).all()
        return [_view(row) for row in rows]


# --- reconciliation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    """Money and goods that do not agree: what, between whom, and the figures."""

    kind: str
    payer_id: int
    payee_id: int
    manifest_no: str | None = None
    waste_code: str | None = None
    goods_t: float | None = None
    paid_t: float | None = None
    amount_yuan: Decimal | None = None
    documents: tuple[str, ...] = field(default=())


def _goods_day(manifest: Manifest) -> date | None:
    moment = manifest.accepted_at or manifest.signed_out_at
    return None if moment is None else moment.astimezone(BEIJING).date()


def _goods_t(manifest: Manifest) -> float:
    return manifest.received_t if manifest.received_t is not None else manifest.shipped_t


def _differs(a: float, b: float) -> bool:
    return abs(a - b) > QUANTITY_TOLERANCE * max(abs(a), abs(b), 1e-9)


def reconcile(db: Database, principal: Principal, start: date, end: date) -> list[Mismatch]:
    """The mismatches between payments and goods from ``start`` to ``end`` (inclusive; payments
    by their day, manifests by the day the receiver accepted them) within the principal's
    scope of both manifests and money documents."""
    authorize(principal, "read", MONEY)
    authorize(principal, "read", MANIFESTS)
    check_period(start, end)
    with db.transaction(principal) as session:
        payments = session.scalars(
            select(MoneyDocument)
            .where(
                MoneyDocument.kind == "payment",
                MoneyDocument.day >= start,
                MoneyDocument.day <= end,
            )
            .order_by(MoneyDocument.doc_code)
        ).all()
        named = {p.manifest_no for p in payments if p.manifest_no}
        by_number = {
            m.manifest_no: m
            for m in session.scalars(select(Manifest).where(Manifest.manifest_no.in_(named)))
        }
        moved = [
            m
            for m in session.scalars(
                select(Manifest)
                .where(Manifest.status.in_(RECEIVED_STATES))
                .order_by(Manifest.manifest_no)
            )
            if (day := _goods_day(m)) is not None and start <= day <= end
        ]
        paid_numbers = {
            number
            for number in session.scalars(
                select(MoneyDocument.manifest_no).where(
                    MoneyDocument.kind == "payment", MoneyDocument.manifest_no.is_not(None)
                )
            )
            if number is not None
        }
    found = _per_manifest(payments, by_number)
    found += _unpaid_and_period(payments, moved, paid_numbers)
    return found


def _per_manifest(
    payments: Sequence[MoneyDocument], by_number: dict[str, Manifest]
) -> list[Mismatch]:
    found: list[Mismatch] = []
    for payment in payments:
        if payment.manifest_no is None:
            continue
        manifest = by_number.get(payment.manifest_no)
        if manifest is None or manifest.status in NO_GOODS_STATES:
            found.append(
                Mismatch(
                    "payment_without_goods",
                    payment.payer_id,
                    payment.payee_id,
                    payment.manifest_no,
                    payment.waste_code,
                    None,
                    payment.quantity_t,
                    payment.amount_yuan,
                    (payment.doc_code,),
                )
            )
        elif payment.quantity_t is not None and _differs(payment.quantity_t, _goods_t(manifest)):
            found.append(
                Mismatch(
                    "quantity_mismatch",
                    payment.payer_id,
                    payment.payee_id,
                    payment.manifest_no,
                    manifest.waste_code,
                    _goods_t(manifest),
                    payment.quantity_t,
                    payment.amount_yuan,
                    (payment.doc_code,),
                )
            )
    return found


def _unpaid_and_period(
    payments: Sequence[MoneyDocument], moved: list[Manifest], paid_numbers: set[str]
) -> list[Mismatch]:
    period: dict[tuple[int, int], list[MoneyDocument]] = defaultdict(list)
    for payment in payments:
        if payment.manifest_no is None:
            period[(payment.payer_id, payment.payee_id)].append(payment)
    goods: dict[tuple[int, int, str], list[Manifest]] = defaultdict(list)
    found: list[Mismatch] = []
    for manifest in moved:
        if manifest.manifest_no in paid_numbers:
            continue
        pair = (manifest.generator_id, manifest.receiver_id)
        if pair in period:
            goods[(*pair, manifest.waste_code)].append(manifest)
        else:
            found.append(
                Mismatch(
                    "goods_without_payment",
                    manifest.generator_id,
                    manifest.receiver_id,
                    manifest.manifest_no,
                    manifest.waste_code,
                    _goods_t(manifest),
                )
            )
    for (payer, payee), documents in sorted(period.items()):
        codes = {d.waste_code for d in documents if d.quantity_t is not None}
        for code in sorted(codes, key=lambda c: c or ""):
            paid = [d for d in documents if d.waste_code == code and d.quantity_t is not None]
            shipped = [
                m
                for (p, q, c), ms in goods.items()
                if (p, q) == (payer, payee) and (code is None or c == code)
                for m in ms
            ]
            paid_t = sum(d.quantity_t or 0.0 for d in paid)
            goods_t = sum(_goods_t(m) for m in shipped)
            if _differs(paid_t, goods_t):
                found.append(
                    Mismatch(
                        "period_quantity_mismatch",
                        payer,
                        payee,
                        None,
                        code,
                        goods_t,
                        paid_t,
                        sum((d.amount_yuan for d in paid), Decimal(0)),
                        tuple(d.doc_code for d in paid),
                    )
                )
    return found
