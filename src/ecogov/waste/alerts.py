"""The waste checks in the alerts inbox: each finding of the full-chain checks
(:mod:`ecogov.engine.waste`) becomes an alert of kind ``waste.<rule>`` with its evidence, in the
region of the party it names, linked to the manifest or party page it rests on.

One alert per rule, party, code and period: republishing the same findings changes nothing
(the inbox dedupes), so the checks may run on every load. The severity is the rule's
(:data:`ecogov.engine.waste.RULES`). Converting an alert into a rectification item goes through
the inbox's converters (the plans domain's ``rectification``), as for every other alert.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Final

import polars as pl
from sqlalchemy import select

from ecogov.engine.waste import RULES, RuleSet, run_checks
from ecogov.engine.waste.tables import WasteFrames
from ecogov.platform import alerts
from ecogov.platform.alerts import Alert, AlertDraft, AlertKind
from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError
from ecogov.platform.scope import SYSTEM, Principal
from ecogov.sources.models import Enterprise
from ecogov.standards.timebase import BEIJING
from ecogov.waste.bundle import read_bundle
from ecogov.waste.bundleexport import export_bundle
from ecogov.waste.models import WasteParty

PREFIX: Final = "waste."
KINDS: Final = tuple(
    AlertKind(f"{PREFIX}{rule.id}", rule.title_zh, rule.title_en) for rule in RULES.values()
)
"""One alert kind per registered check rule."""


@dataclass(frozen=True)
class PartySubject:
    """Where a party's alerts belong: its code, kind, name, region, enterprise and position."""

    code: str
    kind: str
    name: str
    region_code: str
    enterprise_id: int
    lon: float | None = None
    lat: float | None = None


def subjects(db: Database, codes: Iterable[str]) -> dict[str, PartySubject]:
    """The alert subjects of the parties ``codes`` (party codes not registered are left out)."""
    wanted = sorted(set(codes))
    found: dict[str, PartySubject] = {}
    with db.transaction(SYSTEM) as session:
        for start in range(0, len(wanted), 500):
            rows = session.execute(
                select(WasteParty, Enterprise)
                .outerjoin(Enterprise, Enterprise.enterprise_id == WasteParty.enterprise_id)
                .where(WasteParty.party_code.in_(wanted[start : start + 500]))
            )
            for party, enterprise in rows:
                found[party.party_code] = PartySubject(
                    code=party.party_code,
                    kind=party.kind,
                    name=party.name,
                    region_code=party.region_code,
                    enterprise_id=party.enterprise_id,
                    lon=enterprise.lon if enterprise else None,
                    lat=enterprise.lat if enterprise else None,
                )
    return found


def period_window(period: str) -> tuple[datetime, datetime]:
    """The time window [Beijing time] of a finding's period: a year ``2025``, a month
    ``2025-03`` or a day ``2025-03-20`` (start of its first day, end of its last)."""
    parts = [int(part) for part in period.split("-")]
    if len(parts) == 1:
        first, last = date(parts[0], 1, 1), date(parts[0], 12, 31)
    elif len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    else:
        first = last = date(parts[0], parts[1], parts[2])
    start = datetime.combine(first, time(0, 0), BEIJING)
    return start, datetime.combine(last, time(23, 59, 59), BEIJING)


def party_link(code: str) -> str:
    """The page of a party."""
    return f"/waste/parties/{code}"


def manifest_link(manifest_no: str) -> str:
    """The page of a manifest."""
    return f"/waste/manifests/{manifest_no}"


TRANSPORT_RULES: Final = ("transport_overtime", "route_deviation")
"""The rules that judge a manifest's transport (its time on the road, its GPS track)."""


def manifest_findings(
    db: Database, principal: Principal, manifest_no: str
) -> list[alerts.AlertView]:
    """The transport findings (overtime, route deviation) on a manifest, as far as the
    principal reads the alerts inbox (none for a user without it)."""
    try:
        alerts.require_reader(principal)
    except EcogovError:
        return []
    kinds = [f"{PREFIX}{rule}" for rule in TRANSPORT_RULES]
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(Alert)
            .where(Alert.link == manifest_link(manifest_no), Alert.kind.in_(kinds))
            .order_by(Alert.kind, Alert.id)
        )
        return [alerts.view_of(alert) for alert in rows]


def _draft(finding: Mapping[str, Any], subject: PartySubject) -> AlertDraft:
    rule = RULES[finding["rule"]]
    evidence: dict[str, Any] = json.loads(finding["evidence"])
    code = finding["code"]
    period = finding["period"]
    start, end = period_window(period)
    manifest_no = evidence.get("manifest_no")
    what = f"{code}，{period}" if code else period
    return AlertDraft(
        kind=f"{PREFIX}{rule.id}",
        severity=finding["severity"],
        title=f"{subject.name} {rule.title_zh}（{what}）",
        region_code=subject.region_code,
        window_start=start,
        window_end=end,
        dedupe_key=f"{PREFIX}{rule.id}:{subject.code}:{code or '-'}:{period}",
        evidence={"rule": rule.id, "rule_name": rule.title_zh, "code": code, **evidence},
        link=manifest_link(manifest_no) if manifest_no else party_link(subject.code),
        enterprise_id=subject.enterprise_id,
        site_code=subject.code,
        site_name=subject.name,
        lon=subject.lon,
        lat=subject.lat,
    )


def finding_drafts(
    findings: pl.DataFrame, known: Mapping[str, PartySubject]
) -> tuple[list[AlertDraft], list[dict[str, Any]]]:
    """The drafts of the findings whose subject is a registered party, and the findings left
    out (subject not registered)."""
    drafts: list[AlertDraft] = []
    unplaced: list[dict[str, Any]] = []
    for finding in findings.iter_rows(named=True):
        subject = known.get(finding["subject"])
        if subject is None:
            unplaced.append(finding)
        else:
            drafts.append(_draft(finding, subject))
    return drafts, unplaced


@dataclass(frozen=True)
class CheckRun:
    """What :func:`check_and_publish` did: the findings, the as-of date, the alerts."""

    findings: pl.DataFrame
    as_of: date | None
    published: alerts.Published
    unplaced: int


def check_and_publish(
    db: Database, frames: WasteFrames, rules: RuleSet, as_of: date | None = None
) -> CheckRun:
    """Run every enabled check on ``frames`` (the database's facts in the bundle layout) and
    publish each finding to the inbox (idempotent)."""
    findings, day = run_checks(frames, rules, as_of)
    known = subjects(db, findings["subject"].to_list())
    drafts, unplaced = finding_drafts(findings, known)
    return CheckRun(findings, day, alerts.publish(db, drafts), len(unplaced))


def database_frames(db: Database) -> WasteFrames:
    """The database's facts as typed bundle frames: the domain's export
    (:func:`ecogov.waste.bundleexport.export_bundle`, everything, as the system) read back
    through the bundle reader, so the checks see exactly what ``ecogov waste check`` would."""
    with tempfile.TemporaryDirectory(prefix="ecogov-waste-") as folder:
        for name, body in export_bundle(db, SYSTEM).items():
            (Path(folder) / name).write_bytes(body)
        return read_bundle(Path(folder)).frames


def check_database(db: Database, rules: RuleSet, as_of: date | None = None) -> CheckRun:
    """Run the checks on the database's facts and publish the findings (idempotent)."""
    return check_and_publish(db, database_frames(db), rules, as_of)


EVIDENCE_LABELS: Final = {
    "rule": ("核查规则", "Rule"),
    "rule_name": ("核查规则名称", "Rule (name)"),
    "code": ("废物代码", "Waste code"),
    "manifest_no": ("联单编号", "Manifest number"),
    "lon": ("经度", "Longitude"),
    "lat": ("纬度", "Latitude"),
    "ts": ("定位时间", "Fix time"),
    "entry_id": ("台账记录", "Ledger entry"),
    "facility_id": ("设施", "Facility"),
    "batch_date": ("入库日期", "Stored in on"),
    "stock_t": ("库存量（吨）", "Stock [t]"),
    "age_days": ("贮存天数", "Age [d]"),
    "limit_days": ("限期（天）", "Limit [d]"),
    "capacity_t": ("设施能力（吨）", "Capacity [t]"),
    "peak_t": ("最大贮存量（吨）", "Peak stock [t]"),
    "peak_date": ("最大贮存日期", "Peak on"),
    "first_date": ("首次超出日期", "First day over"),
    "dates_over": ("超出天数", "Days over"),
    "planned_t": ("计划量（吨）", "Planned [t]"),
    "generated_t": ("产生量（吨）", "Generated [t]"),
    "handed_over_t": ("台账转移量（吨）", "Handed over [t]"),
    "manifested_t": ("联单转移量（吨）", "Manifested [t]"),
    "shipped_t": ("转移量（吨）", "Shipped [t]"),
    "received_t": ("接收量（吨）", "Received [t]"),
    "difference_t": ("差额（吨）", "Difference [t]"),
    "share": ("差异比例", "Share"),
    "tolerance": ("容差", "Tolerance"),
    "receiver_id": ("接收单位", "Receiver"),
    "carrier_id": ("运输单位", "Carrier"),
    "payer_id": ("付款方", "Payer"),
    "payee_id": ("收款方", "Payee"),
    "doc_id": ("票据编号", "Document"),
    "amount_yuan": ("金额（元）", "Amount [yuan]"),
    "unit_price": ("单价（元/吨）", "Unit price [yuan/t]"),
    "market_price": ("市场价（元/吨）", "Market price [yuan/t]"),
    "days_unpaid": ("未付款天数", "Days unpaid"),
    "deadline": ("期限", "Deadline"),
    "working_days": ("工作日", "Working days"),
    "transfer_date": ("转移日期", "Transfer date"),
    "distance_km": ("距离（公里）", "Distance [km]"),
    "off_km": ("偏离距离（公里）", "Off the route [km]"),
    "max_km": ("允许偏离（公里）", "Allowed [km]"),
    "allowed_hours": ("允许时长（小时）", "Allowed [h]"),
    "cycle_days": ("收运周期（天）", "Collection cycle [d]"),
    "licences": ("许可证", "Licences"),
}
"""Names of the evidence fields the waste findings carry (the inbox's evidence table)."""

MESSAGES: Final = {f"alerts.evidence.{key}": names for key, names in EVIDENCE_LABELS.items()}
