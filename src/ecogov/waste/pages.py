"""Waste pages (zh-CN first): the region dashboard (totals, the utilisation-disposal rate, a
Sankey of flows between cities, the facilities map, the findings), a party's page (a generator's
plan, ledger, stock by code with its age, manifests; a receiver's licences and capacity use; a
carrier's manifests), the manifest page with its chain-of-custody timeline and the moves of the
party whose turn it is, the manifest list — and the lists as Excel in the bureau's layout.

Reads go through the principal's session, so each user sees what the permission table lets
them (enterprise users their own records, a manifest's three parties that manifest, officers
their region); moves go through :func:`ecogov.waste.manifests.move_manifest` (audited there).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Final, Literal

import polars as pl
from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ecogov.engine.waste import RULES
from ecogov.engine.waste.tables import OUT_STAGES
from ecogov.platform import alerts as inbox
from ecogov.platform import clock, maps
from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError, InputError, NotFound
from ecogov.platform.exports import DOWNLOAD_RESPONSES, Column, download_spec, labelled
from ecogov.platform.http import get_database, get_settings_of, require_user, selected_region
from ecogov.platform.maps import feature_collection
from ecogov.platform.params import OptionalPeriodQuery
from ecogov.platform.periods import parse_period
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.platform.templating import language_of, render
from ecogov.platform.uploads import base_name
from ecogov.regions.service import region_names
from ecogov.sources.models import Enterprise
from ecogov.standards.timebase import BEIJING
from ecogov.waste import alerts as waste_alerts
from ecogov.waste import importer, indicators, manifests
from ecogov.waste.access import MANIFESTS, PARTIES, RECORDS
from ecogov.waste.maplayers import FACILITIES_KEY
from ecogov.waste.messages import MESSAGES
from ecogov.waste.models import (
    MANIFEST_STATES,
    LedgerEntry,
    Manifest,
    WasteFacility,
    WasteLicence,
    WasteParty,
    WastePlan,
)

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]
ManifestNo = Annotated[str, Path(pattern="^[0-9]{14}$", description="联单编号（14位数字）")]
PartyCode = Annotated[str, Path(pattern="^[A-Za-z0-9_-]{1,40}$", description="单位编号")]
PAGE_SIZE: Final = 50
YEAR_ONLY: Final[tuple[Literal["year"]]] = ("year",)
STORAGE_LIMIT_DAYS: Final = int(RULES["storage_age"].params["limit_days"].default)
"""The age bar's full length: the storage-age check's limit (one year, SWL Art. 81)."""
STATE_NAMES: Final = {state: MESSAGES[f"waste.state.{state}"][0] for state in MANIFEST_STATES}
KIND_NAMES: Final = {"generator": "产废单位", "carrier": "运输单位", "receiver": "接收单位",
                     "collector": "小微收集单位"}  # fmt: skip


def _city(code: str) -> str:
    return code[:4] + "00"


def _year(text: str | None) -> int:
    """The year of the period picker (default: the last full year)."""
    if not text:
        return clock.today().year - 1
    return parse_period(text, YEAR_ONLY, allow_range=False).first.year


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyRow:
    """A party as lists show it."""

    id: int
    code: str
    kind: str
    name: str
    region_code: str
    enterprise_id: int
    small_generator: bool
    management_class: str | None


def _party_rows(session: Session, where: Iterable[Any] = ()) -> list[PartyRow]:
    """Parties as the directory shows them (the name copied from the enterprise)."""
    rows = session.scalars(select(WasteParty).where(*where).order_by(WasteParty.party_code))
    return [
        PartyRow(p.id, p.party_code, p.kind, p.name, p.region_code, p.enterprise_id,
                 p.small_generator, p.management_class)
        for p in rows
    ]  # fmt: skip


def _party(session: Session, code: str) -> PartyRow:
    found = _party_rows(session, [WasteParty.party_code == code])
    if not found:
        raise NotFound(
            f"固废危废单位 {code} 不存在或不在您的查看范围内"
            f"（waste party {code} does not exist or is outside your scope）"
        )
    return found[0]


@dataclass(frozen=True)
class Stock:
    """A generator's stock of one code: tonnes in store and the age of the oldest batch."""

    waste_code: str
    stock_t: float
    oldest: date | None
    age_days: int
    share: float
    """Age as a share of the storage limit (the bar's length, capped at 1)."""


def stock_by_code(entries: Sequence[tuple[date, str, str, float]], today: date) -> list[Stock]:
    """Stock per code from ledger lines ``(day, code, stage, tonnes)``, first in first out:
    each out-stage takes the oldest batches stored in first."""
    stock: list[Stock] = []
    for code in sorted({e[1] for e in entries}):
        lines = sorted(e for e in entries if e[1] == code)
        taken = sum(e[3] for e in lines if e[2] in OUT_STAGES)
        batches: list[tuple[date, float]] = []
        for day, _, stage, tonnes in lines:
            if stage != "stored_in":
                continue
            used = min(taken, tonnes)
            taken -= used
            if tonnes - used > 1e-9:
                batches.append((day, tonnes - used))
        left = round(sum(t for _, t in batches), 6)
        oldest = batches[0][0] if batches else None
        age = (today - oldest).days if oldest else 0
        stock.append(Stock(code, left, oldest, age, min(1.0, age / STORAGE_LIMIT_DAYS)))
    return stock


def _region(model: Any, region: str | None) -> list[Any]:
    if not region:
        return []
    return [model.region_code.like(region.rstrip("0").ljust(2, "0") + "%")]


@dataclass(frozen=True)
class Totals:
    """A region's year [t] (the domain's balances summed over codes) and its
    utilisation-disposal rate [%] (the indicator plan targets bind to)."""

    stock_start: float
    generated: float
    utilised: float
    disposed: float
    handed_over: float
    stock_end: float
    rate: float | None


def region_totals(db: Database, principal: Principal, region: str, year: int) -> Totals:
    """The totals of :func:`ecogov.waste.indicators.balances` and the rate indicator."""
    rows = indicators.balances(db, principal, region, year)
    rate = indicators.utilisation_disposal_rate(db, region, year)
    return Totals(
        stock_start=sum(r.stock_start for r in rows),
        generated=sum(r.generated for r in rows),
        utilised=sum(r.utilised for r in rows),
        disposed=sum(r.disposed for r in rows),
        handed_over=sum(r.handed_over for r in rows),
        stock_end=sum(r.stock_end for r in rows),
        rate=rate.value if rate else None,
    )


def city_flows(session: Session, region: str | None, year: int) -> pl.DataFrame:
    """Tonnes shipped between cities in ``year``: ``source, target, shipped_t``."""
    rows = session.execute(
        select(Manifest.region_code, Manifest.destination_region_code, Manifest.shipped_t).where(
            *_region(Manifest, region),
            Manifest.status.not_in(("draft", "cancelled")),
            func.extract("year", Manifest.created_at) == year,
        )
    ).all()
    frame = pl.DataFrame(
        [(_city(a), _city(b), t) for a, b, t in rows],
        schema={"source": pl.String, "target": pl.String, "shipped_t": pl.Float64},
        orient="row",
    )
    return (
        frame.group_by("source", "target").agg(pl.col("shipped_t").sum()).sort("source", "target")
    )


def sankey(flows: pl.DataFrame, names: dict[str, str]) -> dict[str, Any]:
    """ECharts Sankey data: a node per city as origin (移出) and as destination (接收), so
    flows within a city and both ways between two cities stay acyclic."""
    links = [
        {"source": f"{names.get(s, s)}（移出）", "target": f"{names.get(t, t)}（接收）",
         "value": round(v, 3)}
        for s, t, v in flows.iter_rows()
    ]  # fmt: skip
    nodes = sorted({link["source"] for link in links} | {link["target"] for link in links})
    return {"nodes": [{"name": n} for n in nodes], "links": links}


def facility_features(
    db: Database, principal: Principal, region: str | None
) -> list[dict[str, Any]]:
    """GeoJSON points of the visible utilisation and disposal facilities' receivers and the
    generators' storage (at their enterprise's position)."""
    authorize(principal, "read", PARTIES)
    with db.transaction(principal) as session:
        rows = session.execute(
            select(
                WasteFacility,
                WasteParty.party_code,
                Enterprise.name,
                Enterprise.lon,
                Enterprise.lat,
            )
            .join(WasteParty, WasteParty.id == WasteFacility.party_id)
            .join(Enterprise, Enterprise.enterprise_id == WasteParty.enterprise_id)
            .where(*_region(WasteFacility, region), Enterprise.lon.is_not(None))
            .order_by(WasteFacility.facility_code)
        ).all()
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "name": f"{name} {facility.name}",
                "code": code,
                "category": facility.kind,
                "capacity_t": facility.capacity_t,
                "region_code": facility.region_code,
            },
        }
        for facility, code, name, lon, lat in rows
    ]


# --- exports ------------------------------------------------------------------------------------

MANIFEST_SPEC: Final = (
    Column("manifest_no", "联单编号"),
    Column("status", "状态", labelled(STATE_NAMES)),
    Column("waste_code", "废物代码"),
    Column("generator", "产废单位"),
    Column("carrier", "运输单位"),
    Column("receiver", "接收单位"),
    Column("shipped_t", "转移量（吨）"),
    Column("received_t", "接收量（吨）"),
    Column("created_at", "填报时间"),
    Column("accepted_at", "接收时间"),
    Column("discrepancy_note", "差异说明"),
)
"""The manifest list as the bureau files it (危险废物转移联单台账)."""
PARTY_SPEC: Final = (
    Column("code", "单位编号"),
    Column("name", "单位名称"),
    Column("kind", "类别", labelled(KIND_NAMES)),
    Column("region_code", "行政区划代码"),
    Column("generated_t", "年产生量（吨）"),
    Column("stock_t", "年末贮存量（吨）"),
)
"""The generators' list (产废单位名录及产废情况)."""


def _stamp(value: Any) -> str | None:
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if value else None


def manifest_frame(session: Session, rows: Sequence[Manifest]) -> pl.DataFrame:
    """Manifest rows with their parties' names, for the list and its export."""
    ids = (
        {m.generator_id for m in rows}
        | {m.carrier_id for m in rows}
        | {m.receiver_id for m in rows}
    )
    names = {p.id: p.name for p in _party_rows(session, [WasteParty.id.in_(ids)])} if ids else {}
    return pl.DataFrame(
        [
            {
                "manifest_no": m.manifest_no, "status": m.status, "waste_code": m.waste_code,
                "generator": names.get(m.generator_id, ""), "carrier": names.get(m.carrier_id, ""),
                "receiver": names.get(m.receiver_id, ""), "shipped_t": m.shipped_t,
                "received_t": m.received_t, "created_at": _stamp(m.created_at),
                "accepted_at": _stamp(m.accepted_at), "discrepancy_note": m.discrepancy_note,
            }
            for m in rows
        ],
        schema={c.name: pl.Float64 if c.name.endswith("_t") else pl.String for c in MANIFEST_SPEC},
    )  # fmt: skip


def generator_frame(session: Session, region: str | None, year: int) -> pl.DataFrame:
    """The generators of ``region`` with the year's generation and year-end stock."""
    parties = _party_rows(session, [WasteParty.kind == "generator", *_region(WasteParty, region)])
    last = date(year, 12, 31)
    rows = session.execute(
        select(LedgerEntry.party_id, LedgerEntry.stage, func.sum(LedgerEntry.quantity_t))
        .where(*_region(LedgerEntry, region), LedgerEntry.day <= last)
        .group_by(LedgerEntry.party_id, LedgerEntry.stage)
    ).all()
    generated = dict(
        session.execute(
            select(LedgerEntry.party_id, func.sum(LedgerEntry.quantity_t))
            .where(
                *_region(LedgerEntry, region),
                LedgerEntry.stage == "generated",
                LedgerEntry.day >= date(year, 1, 1),
                LedgerEntry.day <= last,
            )
            .group_by(LedgerEntry.party_id)
        ).all()
    )
    stock: dict[int, float] = {}
    for party_id, stage, tonnes in rows:
        if stage == "stored_in":
            stock[party_id] = stock.get(party_id, 0.0) + tonnes
        elif stage in OUT_STAGES:
            stock[party_id] = stock.get(party_id, 0.0) - tonnes
    return pl.DataFrame(
        [
            {"code": p.code, "name": p.name, "kind": p.kind, "region_code": p.region_code,
             "generated_t": round(float(generated.get(p.id, 0.0)), 3),
             "stock_t": round(max(0.0, stock.get(p.id, 0.0)), 3)}
            for p in parties
        ],
        schema={"code": pl.String, "name": pl.String, "kind": pl.String,
                "region_code": pl.String, "generated_t": pl.Float64, "stock_t": pl.Float64},
    )  # fmt: skip


# --- routes -------------------------------------------------------------------------------------


def _dashboard(pages: APIRouter) -> None:
    def _own_page(db: Database, principal: Principal) -> str:
        """An enterprise user's waste page: its first party role's page, else its manifests."""
        with db.transaction(principal) as session:
            code = session.scalar(
                select(WasteParty.party_code)
                .where(WasteParty.enterprise_id == principal.enterprise_id)
                .order_by(WasteParty.party_code)
                .limit(1)
            )
        return f"/waste/parties/{code}" if code else "/waste/manifests"

    @pages.get("/waste", response_class=HTMLResponse, responses=DOWNLOAD_RESPONSES)
    def dashboard(
        request: Request,
        db: Db,
        principal: User,
        period: OptionalPeriodQuery = None,
        format: str | None = Query(None, pattern="^(csv|xlsx)$", description="export"),
    ) -> Response:
        """固废危废全链条监管: the region's year, flows, facilities and findings. An enterprise
        user has no region: it is taken to its own party page, or to its manifests."""
        authorize(principal, "read", RECORDS)
        if principal.enterprise_id is not None:
            return RedirectResponse(_own_page(db, principal), status_code=303)
        region = selected_region(request, principal)
        shown = region or get_settings_of(request).boundary_province_codes[0]
        year = _year(period)
        with db.transaction(principal) as session:
            generators = generator_frame(session, region, year)
            if format:
                return download_spec(generators, PARTY_SPEC, format, f"waste-generators-{year}")
            flows = city_flows(session, region, year)
        totals = region_totals(db, principal, shown, year)
        cities = set(flows["source"]) | set(flows["target"])
        names = region_names(db, principal, sorted(cities))
        found = (
            inbox.inbox(
                db, principal, inbox.InboxFilter(region=region, kind="waste.*", per_page=20)
            )
            if inbox_reader(principal)
            else None
        )
        map_config = maps.config(
            principal, shown, language_of(request), drill="/waste?region={code}",
            visible={FACILITIES_KEY},
        )  # fmt: skip
        return render(
            request,
            "waste/dashboard.html",
            {
                "year": year,
                "region": shown,
                "totals": totals,
                "sankey": sankey(flows, names),
                "map_config": map_config,
                "alerts": found,
                "generators": generators.sort("generated_t", descending=True)
                .head(PAGE_SIZE)
                .to_dicts(),
                "generator_count": generators.height,
                "severities": inbox.SEVERITY,
                "statuses": inbox.STATUSES,
                "kind_names": {k.key: k.name_zh for k in inbox.kinds().values()},
            },
        )

    @pages.get("/waste/facilities.geojson", include_in_schema=False)
    def facilities(
        db: Db, principal: User, region: str | None = Query(None, pattern="^[0-9]{6}$")
    ) -> dict[str, Any]:
        """The facilities map layer (GeoJSON)."""
        return feature_collection(facility_features(db, principal, region))


def inbox_reader(principal: Principal) -> bool:
    """Whether the principal may read the alerts inbox (officers and leaders)."""
    try:
        inbox.require_reader(principal)
    except EcogovError:
        return False
    return True


def _manifest_pages(pages: APIRouter) -> None:
    @pages.get("/waste/manifests", response_class=HTMLResponse, responses=DOWNLOAD_RESPONSES)
    def manifest_list(
        request: Request,
        db: Db,
        principal: User,
        status: str | None = Query(None, max_length=24),
        page: int = Query(1, ge=1, le=100_000),
        format: str | None = Query(None, pattern="^(csv|xlsx)$"),
    ) -> Response:
        """The manifests the user may read, newest first, paged; exportable."""
        authorize(principal, "read", MANIFESTS)
        if status is not None and status not in MANIFEST_STATES:
            raise InputError(f"联单状态“{status}”无效（unknown manifest status）")
        region = selected_region(request, principal)
        with db.transaction(principal) as session:
            query = select(Manifest).where(*_region(Manifest, region))
            if status:
                query = query.where(Manifest.status == status)
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            limit = 100_000 if format else PAGE_SIZE
            rows = session.scalars(
                query.order_by(Manifest.created_at.desc(), Manifest.id.desc())
                .limit(limit)
                .offset(0 if format else (page - 1) * PAGE_SIZE)
            ).all()
            frame = manifest_frame(session, rows)
        if format:
            return download_spec(frame, MANIFEST_SPEC, format, "waste-manifests")
        return render(
            request,
            "waste/manifests.html",
            {
                "rows": frame.to_dicts(),
                "status": status or "",
                "states": STATE_NAMES,
                "page": page,
                "pages": max(1, -(-total // PAGE_SIZE)),
                "total": total,
            },
        )

    def show(request: Request, db: Database, principal: Principal, number: str,
             error: str | None = None, status_code: int = 200) -> HTMLResponse:  # fmt: skip
        detail = manifests.get_manifest(db, principal, number)
        m = detail.manifest
        with db.transaction(principal) as session:
            carrier = session.get(WasteParty, m.carrier_id)
            vehicles = list(carrier.vehicles or []) if carrier else []
            parties = {
                row.id: row
                for row in _party_rows(
                    session, [WasteParty.id.in_((m.generator_id, m.carrier_id, m.receiver_id))]
                )
            }
        findings = waste_alerts.manifest_findings(db, principal, number)
        return render(
            request,
            "waste/manifest.html",
            {
                "detail": detail,
                "findings": findings,
                "kinds": inbox.kinds(),
                "label": lambda key: inbox.evidence_label(key, language_of(request)),
                "en": language_of(request) == "en",
                "field_labels": VERSION_FIELD_LABELS,
                "m": m,
                "generator": parties.get(m.generator_id),
                "carrier": parties.get(m.carrier_id),
                "receiver": parties.get(m.receiver_id),
                "error": error,
                "stamp": _stamp,
                "needs_note": {mv.name for mv in manifests.MANIFEST.moves if mv.needs_note},
                "vehicles": vehicles,
            },
            status_code=status_code,
        )

    @pages.post("/waste/manifests", response_class=HTMLResponse)
    def manifest_create(
        db: Db,
        principal: User,
        generator_id: Annotated[int, Form(ge=1)],
        carrier_id: Annotated[int, Form(ge=1)],
        receiver_id: Annotated[int, Form(ge=1)],
        waste_code: Annotated[str, Form(max_length=12)],
        shipped: Annotated[str, Form(max_length=20)],
        unit: Annotated[str, Form(pattern="^(t|kg)$")] = "t",
        packaging: Annotated[str, Form(max_length=32)] = "",
    ) -> Response:
        """The generator fills in a new manifest (a draft) from its party page."""
        amount = _amount(shipped)
        if amount is None:
            raise InputError("请填写转移量（the shipped amount is required）")
        new = manifests.NewManifest(
            generator_id, carrier_id, receiver_id, waste_code.strip(), amount, unit,
            packaging.strip() or None,
        )  # fmt: skip
        created = manifests.create_manifest(db, principal, new)
        return RedirectResponse(f"/waste/manifests/{created.manifest_no}", status_code=303)

    @pages.get("/waste/manifests/{number}", response_class=HTMLResponse)
    def manifest_page(
        request: Request, db: Db, principal: User,
        number: ManifestNo,
    ) -> HTMLResponse:  # fmt: skip
        """A manifest: parties, amounts, the chain-of-custody timeline, versions, moves."""
        return show(request, db, principal, number)

    @pages.post("/waste/manifests/{number}/move", response_class=HTMLResponse)
    def manifest_move(
        request: Request,
        db: Db,
        principal: User,
        number: ManifestNo,
        action: Annotated[str, Form(max_length=32)],
        row_version: Annotated[int, Form(ge=1)],
        note: Annotated[str, Form(max_length=500)] = "",
        received: Annotated[str, Form(max_length=20)] = "",
        discrepancy: Annotated[str, Form(max_length=12)] = "",
        vehicle: Annotated[str, Form(max_length=16)] = "",
    ) -> Response:
        """Make a move from the manifest page; a refusal shows the page again with its reason."""
        try:
            receipt = manifests.Receipt(received=_amount(received), discrepancy=discrepancy or None)
            manifests.move_manifest(
                db, principal, number, action, note=note.strip() or None, receipt=receipt,
                vehicle=vehicle.strip() or None, expected_version=row_version,
            )  # fmt: skip
        except EcogovError as refused:
            return show(request, db, principal, number, str(refused), refused.status_code)
        return RedirectResponse(f"/waste/manifests/{number}", status_code=303)


VERSION_FIELD_LABELS: Final = {
    "waste_code": "waste.page.code",
    "shipped_t": "waste.page.shipped",
    "received_t": "waste.page.received_t",
    "packaging": "waste.page.packaging",
    "discrepancy": "waste.page.discrepancy",
}
"""The page's label of each field a correction may change (``manifests.CONTENT_FIELDS``)."""


def _amount(text: str) -> float | None:
    """A weighed amount typed in a form [t] (empty: none)."""
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(f"接收量“{text}”不是数字（the received amount is not a number）") from None


def _party_pages(pages: APIRouter) -> None:
    @pages.get("/waste/parties/{code}", response_class=HTMLResponse, responses=DOWNLOAD_RESPONSES)
    def party_page(
        request: Request,
        db: Db,
        principal: User,
        code: PartyCode,
        page: int = Query(1, ge=1, le=100_000),
        format: str | None = Query(None, pattern="^(csv|xlsx)$"),
    ) -> Response:
        """A party: a generator's plan, stock by code, ledger and manifests; a receiver's
        licences and capacity use; a carrier's licence and manifests."""
        return show_party(request, db, principal, code, page, format)

    @pages.post("/waste/parties/{code}/import", response_class=HTMLResponse)
    def party_import(
        request: Request,
        db: Db,
        principal: User,
        code: PartyCode,
        kind: Annotated[str, Form(pattern="^(ledger|plans)$")],
        upload: Annotated[UploadFile, File(alias="file")],
        skip_bad_rows: Annotated[bool, Form()] = False,
    ) -> Response:
        """An enterprise imports a ledger or plan file of its own from its party page (the
        importer refuses rows of other parties); the page shows what was imported or why not."""
        name = base_name(upload.filename, f"{kind}.csv")
        try:
            report = importer.import_file(
                db, principal, name, upload.file.read(), kind, skip_bad_rows=skip_bad_rows
            )
        except EcogovError as refused:
            return show_party(request, db, principal, code, upload_error=str(refused),
                              status_code=refused.status_code)  # fmt: skip
        return show_party(request, db, principal, code, upload_report=report)


def show_party(
    request: Request, db: Database, principal: Principal, code: str, page: int = 1,
    format: str | None = None, *, upload_report: importer.ImportReport | None = None,
    upload_error: str | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    """The party page (with the outcome of a file upload when there was one)."""
    authorize(principal, "read", PARTIES)
    today = clock.today()
    with db.transaction(principal) as session:
        party = _party(session, code)
        involved = or_(
            Manifest.generator_id == party.id,
            Manifest.carrier_id == party.id,
            Manifest.receiver_id == party.id,
        )
        rows = session.scalars(
            select(Manifest).where(involved)
            .order_by(Manifest.created_at.desc(), Manifest.id.desc())
            .limit(100_000 if format else PAGE_SIZE)
            .offset(0 if format else (page - 1) * PAGE_SIZE)
        ).all()  # fmt: skip
        frame = manifest_frame(session, rows)
        if format:
            return download_spec(frame, MANIFEST_SPEC, format, f"waste-manifests-{code}")
        total = session.scalar(select(func.count()).where(involved)) or 0
        context: dict[str, Any] = {"party": party, "kinds": KIND_NAMES}
        if party.kind in ("generator", "collector"):
            context.update(_generator_context(session, party, today, page))
            context["own"] = principal.enterprise_id == party.enterprise_id
        licences = session.scalars(
            select(WasteLicence).where(WasteLicence.party_id == party.id)
            .order_by(WasteLicence.licence_no, WasteLicence.waste_code)
        ).all()  # fmt: skip
        context["licences"] = licences
        if party.kind == "receiver":
            context["capacity"] = [
                use
                for use in indicators.capacity_use(db, principal, party.region_code, today.year)
                if use.receiver_id == party.id
            ]
        if context.get("own"):
            context["carriers"] = _party_rows(session, [WasteParty.kind == "carrier"])
            context["receivers"] = _party_rows(session, [WasteParty.kind == "receiver"])
    region = party.region_code
    context.update(
        rows=frame.to_dicts(), states=STATE_NAMES, page=page,
        pages=max(1, -(-total // PAGE_SIZE)), total=total, today=today,
        region_name=region_names(db, principal, [region]).get(region, region),
    )  # fmt: skip
    context.update(upload_report=upload_report, upload_error=upload_error)
    return render(request, "waste/party.html", context, status_code=status_code)


def _generator_context(session: Session, party: PartyRow, today: date, page: int) -> dict[str, Any]:
    plans = session.scalars(
        select(WastePlan).where(WastePlan.party_id == party.id)
        .order_by(WastePlan.year.desc(), WastePlan.waste_code)
    ).all()  # fmt: skip
    entries = session.execute(
        select(
            LedgerEntry.day, LedgerEntry.waste_code, LedgerEntry.stage, LedgerEntry.quantity_t
        ).where(LedgerEntry.party_id == party.id, LedgerEntry.day <= today)
    ).all()
    ledger = session.scalars(
        select(LedgerEntry).where(LedgerEntry.party_id == party.id)
        .order_by(LedgerEntry.day.desc(), LedgerEntry.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()  # fmt: skip
    return {
        "plans": plans,
        "stock": stock_by_code([(e[0], e[1], e[2], e[3]) for e in entries], today),
        "ledger": ledger,
        "limit_days": STORAGE_LIMIT_DAYS,
    }


def router() -> APIRouter:
    """Page routes of the waste domain."""
    pages = APIRouter()
    _dashboard(pages)
    _manifest_pages(pages)
    _party_pages(pages)
    return pages


PAGE_MESSAGES: Final = {
    "waste.page.dashboard": ("固废危废全链条监管", "Waste full-chain supervision"),
    "waste.page.year": ("年度", "Year"),
    "waste.page.generated": ("产生量（吨）", "Generated [t]"),
    "waste.page.utilised": ("自行利用量（吨）", "Utilised on site [t]"),
    "waste.page.disposed": ("自行处置量（吨）", "Disposed on site [t]"),
    "waste.page.handed_over": ("委托利用处置量（吨）", "Handed over to receivers [t]"),
    "waste.page.stock_start": ("年初贮存量（吨）", "Stock at the start [t]"),
    "waste.page.stock_end": ("年末贮存量（吨）", "Stock at the end [t]"),
    "waste.page.rate": ("危险废物利用处置率", "Utilisation-disposal rate"),
    "waste.page.rate_basis": (
        "（自行利用 + 自行处置 + 委托利用处置）÷（产生量 + 年初贮存量）",
        "(utilised + disposed + handed over to receivers) ÷ (generated + stock at the start)",
    ),
    "waste.page.flows": ("城市间转移流向（吨）", "Flows between cities [t]"),
    "waste.page.facilities": ("设施分布", "Facilities"),
    "waste.page.findings": ("全链条核查发现", "Findings of the checks"),
    "waste.page.all_findings": ("在预警收件箱中查看全部", "All in the alerts inbox"),
    "waste.page.generators": ("产废单位", "Generators"),
    "waste.page.generators_count": ("共 {n} 家", "{n} in all"),
    "waste.page.manifests": ("电子转移联单", "Transfer manifests"),
    "waste.page.manifest_no": ("联单编号", "Manifest number"),
    "waste.page.status": ("状态", "Status"),
    "waste.page.code": ("废物代码", "Waste code"),
    "waste.page.generator": ("产废（移出）单位", "Generator"),
    "waste.page.carrier": ("运输单位", "Carrier"),
    "waste.page.receiver": ("接收单位", "Receiver"),
    "waste.page.shipped": ("转移量（吨）", "Shipped [t]"),
    "waste.page.received_t": ("接收量（吨）", "Received [t]"),
    "waste.page.created": ("填报时间", "Created"),
    "waste.page.accepted": ("接收时间", "Accepted"),
    "waste.page.discrepancy": ("差异", "Discrepancy"),
    "waste.page.discrepancy_note": ("差异说明", "Discrepancy note"),
    "waste.page.timeline": ("流转记录（联单轨迹）", "Chain of custody"),
    "waste.page.move": ("环节", "Step"),
    "waste.page.actor": ("办理人", "By"),
    "waste.page.time": ("时间", "Time"),
    "waste.page.signature": ("签字", "Signature"),
    "waste.page.signed": ("已电子签字", "Signed electronically"),
    "waste.page.weighed": ("过磅量（吨）", "Weighed [t]"),
    "waste.page.note": ("说明", "Note"),
    "waste.page.versions": ("版本与更正记录", "Versions and corrections"),
    "waste.page.changes": ("更正内容", "What changed"),
    "waste.page.first_version": ("首版", "First version"),
    "waste.page.not_listed": ("名录中无此代码", "not in the national list"),
    "waste.page.track": ("运输轨迹（GPS）", "GPS track"),
    "waste.page.no_track": ("无轨迹数据", "No GPS track"),
    "waste.page.lon": ("经度", "Longitude"),
    "waste.page.lat": ("纬度", "Latitude"),
    "waste.page.transport_findings": (
        "运输核查发现（超时、路线偏离）",
        "Transport findings (overtime, route deviation)",
    ),
    "waste.page.no_findings": (
        "未发现运输超时或路线偏离",
        "No transport overtime or route deviation found",
    ),
    "waste.page.rule": ("规则", "Rule"),
    "waste.page.evidence": ("证据", "Evidence"),
    "waste.page.version": ("版本", "Version"),
    "waste.page.reason": ("原因", "Reason"),
    "waste.page.moves": ("办理", "Moves"),
    "waste.page.no_moves": ("当前没有需要您办理的环节", "Nothing for you to do now"),
    "waste.page.confirm_due": ("确认接收期限", "Confirm by"),
    "waste.page.vehicle": ("车辆", "Vehicle"),
    "waste.page.packaging": ("包装", "Packaging"),
    "waste.page.approval": ("跨省转移审批", "Cross-province approval"),
    "waste.page.plan": ("管理计划", "Management plan"),
    "waste.page.planned": ("计划量（吨）", "Planned [t]"),
    "waste.page.stock": ("贮存情况（先进先出）", "Stock (first in, first out)"),
    "waste.page.stock_t": ("贮存量（吨）", "In store [t]"),
    "waste.page.oldest": ("最早入库", "Oldest batch"),
    "waste.page.age": ("贮存天数 / 一年期限", "Days stored / one-year limit"),
    "waste.page.ledger": ("管理台账", "Ledger"),
    "waste.page.day": ("日期", "Date"),
    "waste.page.stage": ("环节", "Stage"),
    "waste.page.quantity": ("数量（吨）", "Quantity [t]"),
    "waste.page.licences": ("许可证", "Licences"),
    "waste.page.licence_no": ("许可证编号", "Licence number"),
    "waste.page.licence_kind": ("类别", "Kind"),
    "waste.page.capacity": ("年经营能力（吨）", "Annual capacity [t]"),
    "waste.page.valid": ("有效期", "Valid"),
    "waste.page.expired": ("已过期", "Expired"),
    "waste.page.capacity_use": ("经营能力使用（本年）", "Capacity use (this year)"),
    "waste.page.use": ("使用率", "Use"),
    "waste.page.any_code": ("所有代码", "Any code"),
    "waste.page.kind": ("单位类别", "Role"),
    "waste.page.region": ("所在区域", "Region"),
    "waste.page.small": ("小微产废单位", "Small generator"),
    "waste.page.new_manifest": ("填写电子转移联单", "New transfer manifest"),
    "waste.page.upload": ("导入台账或管理计划文件", "Import a ledger or plan file"),
    "waste.page.upload_kind": ("文件类型", "File kind"),
    "waste.page.upload_file": ("文件（CSV 或 Excel）", "File (CSV or Excel)"),
    "waste.page.skip_bad_rows": ("跳过错误行（其余行照常导入）", "Skip bad rows (import the rest)"),
    "waste.page.upload_submit": ("导入", "Import"),
    "waste.page.upload_hint": (
        "列名见数据包格式；每行的单位编码（party_id）须为本单位的 {code}。"
        "默认整份文件有一行错误即全部不导入。",
        "Columns as in the bundle layout; every row's party_id must be your own ({code}). By"
        " default one bad row refuses the whole file.",
    ),
    "waste.page.upload_done": (
        "{file}：读取 {read} 行，新增 {added}，未变 {unchanged}，拒收 {rejected}",
        "{file}: read {read}, added {added}, unchanged {unchanged}, rejected {rejected}",
    ),
    "waste.page.unit": ("单位", "Unit"),
    "waste.page.create": ("保存为草稿", "Save as a draft"),
    "waste.stage.generated": ("产生", "Generated"),
    "waste.stage.stored_in": ("入库", "Stored in"),
    "waste.stage.stored_out": ("出库", "Stored out"),
    "waste.stage.utilised": ("自行利用", "Utilised"),
    "waste.stage.disposed": ("自行处置", "Disposed"),
    "waste.stage.handed_over": ("委外转移", "Handed over"),
    "waste.licence.operation": ("危险废物经营许可证", "Operation licence"),
    "waste.licence.transport": ("道路危险货物运输许可", "Transport licence"),
}
"""The pages' words (zh-CN, English)."""
