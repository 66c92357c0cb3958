"""``ecogov waste import FILE --kind plans|ledger|manifests|licences|payments``: a bundle-layout
file (``docs/waste-bundle.md``; CSV in UTF-8/BOM/GB 18030, or .xlsx) read through the platform
readers into the database, through the same service functions as the forms.

One transaction per file: all or nothing unless bad rows are to be skipped; each bad row is
recorded (file, row, column, value, reason in Chinese and English) in the platform's rejects
ledger. Idempotent: a row already recorded with the same content changes nothing, so importing a
file again adds nothing; the same id with other content is a bad row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError
from ecogov.platform.permissions import ResourceKind, authorize
from ecogov.platform.readers import (
    CellError,
    RowError,
    Source,
    enforce,
    open_table,
    parse_datetime,
    parse_number,
    resolve_columns,
    row_error,
)
from ecogov.platform.rejects import record_refused, record_run
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.sources.models import Enterprise
from ecogov.standards.timebase import BEIJING
from ecogov.waste.access import MANIFESTS, MONEY, PARTIES, RECORDS
from ecogov.waste.manifests import ImportedManifest, import_manifest_in
from ecogov.waste.models import WasteFacility, WasteParty
from ecogov.waste.money import NewMoneyDocument, add_money_document_in
from ecogov.waste.parties import NewLicence, add_licence_in, party_by_code
from ecogov.waste.records import NewLedgerEntry, PlanLine, add_ledger_entry_in, set_plan_line_in

DOMAIN: Final = "waste"


class Cells:
    """The cells of one row by role, typed, raising :class:`CellError` naming the column."""

    def __init__(
        self,
        session: Session,
        record: Mapping[str, str],
        columns: Mapping[str, str | None],
        enterprise_id: int | None = None,
    ):
        self._session, self._record, self._columns = session, record, columns
        self._enterprise_id = enterprise_id

    def column(self, role: str) -> str:
        """The header the file uses for ``role``."""
        return self._columns.get(role) or role

    def text(self, role: str) -> str:
        """The cell's text ("" when the file has no such column)."""
        header = self._columns.get(role)
        return "" if header is None else self._record.get(header, "").strip()

    def required(self, role: str) -> str:
        """A cell that may not be empty."""
        value = self.text(role)
        if not value:
            raise CellError(self.column(role), value, "不能为空", "is empty")
        return value

    def number(self, role: str, *, required: bool = True) -> float | None:
        """A number (None for an empty optional cell)."""
        value = parse_number(self.column(role), self.text(role))
        if value is None and required:
            raise CellError(self.column(role), self.text(role), "须填写数字", "needs a number")
        return value

    def integer(self, role: str, *, required: bool = True) -> int | None:
        """A whole number."""
        value = self.number(role, required=required)
        if value is None:
            return None
        if value != int(value):
            raise CellError(
                self.column(role), self.text(role), "须为整数", "must be a whole number"
            )
        return int(value)

    def day(self, role: str) -> date:
        """A date ``YYYY-MM-DD``."""
        value = self.required(role)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CellError(
                self.column(role), value, "日期应为 YYYY-MM-DD", "a date is YYYY-MM-DD"
            ) from None

    def moment(self, role: str, *, required: bool = False) -> datetime | None:
        """A Beijing time ``YYYY-MM-DD HH:MM[:SS]`` (None for an empty optional cell)."""
        value = self.text(role)
        if not value:
            if required:
                raise CellError(self.column(role), value, "不能为空", "is empty")
            return None
        return parse_datetime(self.column(role), value, zone=BEIJING)

    def party(self, role: str, *, required: bool = True) -> int | None:
        """The id of the party whose ``party_code`` the cell names."""
        code = self.required(role) if required else self.text(role)
        if not code:
            return None
        found = party_by_code(self._session, code)
        if found is None:
            raise CellError(
                self.column(role), code, "单位编码未登记或不在权限范围内", "no such party"
            )
        return found.id

    def owner(self) -> int:
        """The party the row belongs to (``party_id``): for an enterprise user, one of its own
        enterprise's parties, whatever else it may read."""
        party_id = self.party("party_id")
        assert party_id is not None
        found = self._session.get(WasteParty, party_id)
        if self._enterprise_id is not None and (
            found is None or found.enterprise_id != self._enterprise_id
        ):
            raise CellError(
                self.column("party_id"),
                self.text("party_id"),
                "不是本单位的单位编码，企业只能导入本单位的记录",
                "not a party of your enterprise: enterprises import their own rows only",
            )
        return party_id

    def facility(self, role: str) -> int:
        """The id of the facility whose ``facility_code`` the cell names."""
        code = self.required(role)
        found = self._session.scalars(
            select(WasteFacility.id).where(WasteFacility.facility_code == code)
        ).first()
        if found is None:
            raise CellError(self.column(role), code, "设施编码未登记", "no such facility")
        return found


@dataclass(frozen=True)
class Spec:
    """How one kind of file is read and stored."""

    kind: ResourceKind
    aliases: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    parse: Callable[[Cells], Any]
    store: Callable[[Session, Any, str], tuple[Any, bool]]


def _plan(c: Cells) -> PlanLine:
    return PlanLine(
        party_id=c.owner(),
        year=c.integer("year") or 0,
        waste_code=c.required("waste_code"),
        planned=c.number("planned_t") or 0.0,
        receiver_id=c.party("receiver_id", required=False),
    )


def _ledger(c: Cells) -> NewLedgerEntry:
    facility = c.text("facility_id")
    return NewLedgerEntry(
        entry_code=c.required("entry_id"),
        party_id=c.owner(),
        day=c.day("date"),
        waste_code=c.required("waste_code"),
        stage=c.required("stage"),
        amount=c.number("quantity_t") or 0.0,
        unit=c.text("unit") or "t",
        facility_id=c.facility("facility_id") if facility else None,
        batch=c.text("batch") or None,
        manifest_no=c.text("manifest_no") or None,
    )


def _licence(c: Cells) -> NewLicence:
    return NewLicence(
        licence_no=c.required("licence_no"),
        party_id=c.owner(),
        kind=c.required("kind"),
        valid_from=c.day("valid_from"),
        valid_to=c.day("valid_to"),
        waste_code=c.text("waste_code"),
        annual_capacity_t=c.number("annual_capacity_t", required=False),
    )


def _payment(c: Cells) -> NewMoneyDocument:
    return NewMoneyDocument(
        doc_code=c.required("doc_id"),
        kind=c.required("kind"),
        payer_id=c.party("payer_id") or 0,
        payee_id=c.party("payee_id") or 0,
        day=c.day("date"),
        amount_yuan=c.required("amount_yuan"),
        manifest_no=c.text("manifest_no") or None,
        quantity=c.number("quantity_t", required=False),
        waste_code=c.text("waste_code") or None,
    )


def _manifest(c: Cells) -> ImportedManifest:
    return ImportedManifest(
        manifest_no=c.required("manifest_no"),
        version=c.integer("version", required=False) or 1,
        generator_id=c.party("generator_id") or 0,
        carrier_id=c.party("carrier_id") or 0,
        receiver_id=c.party("receiver_id") or 0,
        waste_code=c.required("waste_code"),
        shipped_t=c.number("shipped_t") or 0.0,
        received_t=c.number("received_t", required=False),
        status=c.required("status"),
        created_at=c.moment("created_at", required=True),  # type: ignore[arg-type]
        picked_up_at=c.moment("picked_up_at"),
        delivered_at=c.moment("delivered_at"),
        accepted_at=c.moment("accepted_at"),
        confirmed_at=c.moment("confirmed_at"),
        approval_no=c.text("cross_province_approval") or None,
        discrepancy_note=c.text("discrepancy_note") or None,
    )


SPECS: Final[dict[str, Spec]] = {
    "plans": Spec(
        RECORDS,
        {
            "party_id": ("单位编码", "产废单位"),
            "year": ("年度", "年份"),
            "waste_code": ("废物代码",),
            "planned_t": ("计划产生量", "计划量（吨）"),
            "receiver_id": ("拟接收单位",),
        },
        ("party_id", "year", "waste_code", "planned_t"),
        _plan,
        set_plan_line_in,
    ),
    "ledger": Spec(
        RECORDS,
        {
            "entry_id": ("台账编号",),
            "party_id": ("单位编码", "产废单位"),
            "facility_id": ("设施编码",),
            "date": ("日期",),
            "waste_code": ("废物代码",),
            "stage": ("环节",),
            "quantity_t": ("quantity", "数量", "数量（吨）"),
            "unit": ("单位", "计量单位"),
            "batch": ("批次", "批次编码"),
            "manifest_no": ("联单编号",),
        },
        ("entry_id", "party_id", "date", "waste_code", "stage", "quantity_t"),
        _ledger,
        add_ledger_entry_in,
    ),
    "licences": Spec(
        PARTIES,
        {
            "licence_no": ("许可证编号",),
            "party_id": ("单位编码", "持证单位"),
            "kind": ("许可证类型",),
            "waste_code": ("废物代码",),
            "annual_capacity_t": ("年经营规模", "核准经营规模（吨/年）"),
            "valid_from": ("有效期起",),
            "valid_to": ("有效期止",),
        },
        ("licence_no", "party_id", "kind", "valid_from", "valid_to"),
        _licence,
        add_licence_in,
    ),
    "payments": Spec(
        MONEY,
        {
            "doc_id": ("单据编号",),
            "kind": ("单据类型",),
            "payer_id": ("付款单位",),
            "payee_id": ("收款单位",),
            "manifest_no": ("联单编号",),
            "date": ("日期",),
            "amount_yuan": ("金额", "金额（元）"),
            "quantity_t": ("数量", "数量（吨）"),
            "waste_code": ("废物代码",),
        },
        ("doc_id", "kind", "payer_id", "payee_id", "date", "amount_yuan"),
        _payment,
        add_money_document_in,
    ),
    "manifests": Spec(
        MANIFESTS,
        {
            "manifest_no": ("联单编号",),
            "version": ("版本",),
            "generator_id": ("移出单位", "产废单位"),
            "carrier_id": ("运输单位",),
            "receiver_id": ("接收单位",),
            "waste_code": ("废物代码",),
            "shipped_t": ("转移量",),
            "received_t": ("接收量",),
            "status": ("状态",),
            "created_at": ("创建时间",),
            "picked_up_at": ("提货时间",),
            "delivered_at": ("送达时间",),
            "accepted_at": ("接收时间",),
            "confirmed_at": ("确认时间",),
            "cross_province_approval": ("跨省转移审批",),
            "discrepancy_note": ("差异说明",),
        },
        ("manifest_no", "generator_id", "carrier_id", "receiver_id", "waste_code", "shipped_t",
         "status", "created_at"),
        _manifest,
        import_manifest_in,
    ),
}  # fmt: skip
"""Each kind of file: who may import it, its columns (the bundle layout's names first, then
Chinese aliases), which are required, how a row is read and stored."""


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    file: str
    kind: str
    rows_read: int
    added: int
    unchanged: int
    rejected: tuple[RowError, ...]
    run_id: int


class _Refused(Exception):
    """Rolls the file's transaction back: it has bad rows and they are not to be skipped."""


def import_file(
    db: Database,
    principal: Principal,
    name: str,
    source: Source,
    kind: str,
    *,
    skip_bad_rows: bool = False,
) -> ImportReport:
    """Import one file of ``kind`` (see :data:`SPECS`); raises ``RejectedFile`` (nothing stored,
    the rejects recorded) when a row is bad and bad rows are not to be skipped."""
    spec = SPECS[kind]
    authorize(principal, "import", spec.kind)
    own = principal.enterprise_id if principal.role is Role.ENTERPRISE else None
    # the rejects ledger is the officers': the system records an enterprise user's runs in
    # the region of its enterprise, naming the user
    recorder, behalf = (SYSTEM, principal) if own is not None else (principal, None)
    region = _enterprise_region(db, own) if own is not None else None
    errors: list[RowError] = []
    counts = {"read": 0, "added": 0, "unchanged": 0}
    try:
        with open_table(name, source) as table:
            columns = resolve_columns(name, table.header, spec.aliases, spec.required)
            with db.transaction(principal, f"waste.import.{kind}") as session:
                for number, record in table.records():
                    counts["read"] += 1
                    try:
                        item = spec.parse(Cells(session, record, columns, own))
                        _, new = spec.store(session, item, "")
                        session.flush()
                    except (CellError, EcogovError) as error:
                        # the checks come before a row's objects are added; drop any anyway
                        for pending in list(session.new):
                            session.expunge(pending)
                        errors.append(row_error(name, number, error))
                        continue
                    counts["added" if new else "unchanged"] += 1
                if errors and not skip_bad_rows:
                    raise _Refused
                if behalf is None:
                    run_id = _record(session, name, kind, counts, errors)
        if behalf is not None:
            with db.transaction(recorder) as session:
                run_id = _record(session, name, kind, counts, errors, behalf, region)
    except _Refused:
        record_refused(
            db, recorder, domain=DOMAIN, fmt=kind, file=name, rows_read=counts["read"],
            errors=errors, on_behalf_of=behalf, region_code=region,
        )  # fmt: skip
        enforce(name, errors, skip_bad_rows=False)
        raise
    return ImportReport(
        name, kind, counts["read"], counts["added"], counts["unchanged"], tuple(errors), run_id
    )


def _enterprise_region(db: Database, enterprise_id: int) -> str | None:
    with db.transaction(SYSTEM) as session:
        found = session.get(Enterprise, enterprise_id)
        return found.region_code if found else None


def _record(
    session: Session,
    name: str,
    kind: str,
    counts: Mapping[str, int],
    errors: list[RowError],
    behalf: Principal | None = None,
    region: str | None = None,
) -> int:
    """Record the run in the rejects ledger and the audit log (for ``behalf`` in ``region``
    when the session is the system's); the run's id."""
    run_id = record_run(
        session,
        domain=DOMAIN,
        fmt=kind,
        file=name,
        status="partial" if errors else "imported",
        rows_read=counts["read"],
        errors=errors,
        on_behalf_of=behalf,
        region_code=region,
    )
    audit.record(
        session,
        f"waste.import.{kind}",
        entity="import_run",
        entity_id=str(run_id),
        details={**counts, "file": name, "rejected": len(errors)},
        actor=behalf,
    )
    return run_id
