"""HJ 212 in the alerts inbox: exceedance events (超标) and data-quality findings (数据异常) of
online-monitoring devices, published whenever they are computed (the device page, the API, the
CLI). One alert per device, factor and averaging (or check) merges the events while the problem
persists; republishing the same events changes nothing.

Severity of an exceedance by its peak multiple of the permit limit: red from 3× — the threshold
of 严重污染环境 in 法释〔2016〕29号 第一条第（四）项 (排放重金属等超过标准三倍以上) —, orange from
1.5×, else yellow. Findings pointing at falsified data or idle treatment (治污设施停运, 折算值异常)
are orange, the others yellow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from sqlalchemy.orm import Session

from ecogov.platform import alerts
from ecogov.platform.alerts import AlertDraft, AlertKind
from ecogov.platform.db import Database
from ecogov.platform.i18n import translate
from ecogov.sources.models import Device, Enterprise
from ecogov.standards.hj212.codes import factor_label

if TYPE_CHECKING:
    from ecogov.hj212.exceedance import ExceedanceView
    from ecogov.hj212.quality import Finding

EXCEEDANCE: Final = AlertKind("hj212.exceedance", "在线监测超标", "Online monitoring exceedance")
FINDING: Final = AlertKind("hj212.finding", "在线监测数据异常", "Online data-quality finding")
KINDS: Final = (EXCEEDANCE, FINDING)
RED_MULTIPLE: Final = 3.0
ORANGE_MULTIPLE: Final = 1.5
SERIOUS_CHECKS: Final = frozenset({"treatment_off", "zs_consistency"})
AVERAGING_ZH: Final = {"hourly": "小时均值", "daily": "日均值"}


@dataclass(frozen=True)
class DeviceSubject:
    """Where a device's alerts belong: its region, enterprise and location [WGS-84 degrees]."""

    mn: str
    region_code: str
    enterprise_id: int
    enterprise_name: str
    lon: float | None = None
    lat: float | None = None


def device_subject(session: Session, device: Device) -> DeviceSubject:
    """The alert subject of a device loaded in the caller's session."""
    enterprise = session.get(Enterprise, device.enterprise_id)
    return DeviceSubject(
        mn=device.mn,
        region_code=device.region_code,
        enterprise_id=device.enterprise_id,
        enterprise_name=enterprise.name if enterprise else f"企业{device.enterprise_id}",
        lon=enterprise.lon if enterprise else None,
        lat=enterprise.lat if enterprise else None,
    )


def factor_name(code: str | None) -> str:
    """The Chinese name of an HJ 212 factor code (the code itself when unknown)."""
    return "设备" if code is None else factor_label(code)


def exceedance_severity(multiple: float) -> str:
    """Severity of an exceedance of ``multiple`` times the limit."""
    if multiple >= RED_MULTIPLE:
        return "red"
    if multiple >= ORANGE_MULTIPLE:
        return "orange"
    return "yellow"


def _link(mn: str) -> str:
    return f"/hj212/devices/{mn}"


def exceedance_drafts(device: DeviceSubject, events: Iterable[ExceedanceView]) -> list[AlertDraft]:
    """One draft per event; events of one factor and averaging share a dedupe key."""
    return [
        AlertDraft(
            kind=EXCEEDANCE.key,
            severity=exceedance_severity(event.multiple),
            title=(
                f"{device.enterprise_name} {factor_name(event.factor)}"
                f"{AVERAGING_ZH.get(event.averaging, event.averaging)}超标"
                f"（峰值 {event.peak:g} {event.unit}，限值 {event.limit:g}，"
                f"{event.multiple:g} 倍）"
            ),
            region_code=device.region_code,
            window_start=event.start,
            window_end=event.end,
            dedupe_key=f"hj212.exceedance:{device.mn}:{event.factor}:{event.averaging}",
            evidence={
                "mn": device.mn,
                "factor": event.factor,
                "factor_name": factor_name(event.factor),
                "averaging": event.averaging,
                "averaging_name": AVERAGING_ZH.get(event.averaging, event.averaging),
                "basis": event.basis,
                "basis_name": translate(f"sources.basis.{event.basis}"),
                "peak": event.peak,
                "limit": event.limit,
                "unit": event.unit,
                "multiple": event.multiple,
                "hours": event.hours,
            },
            link=_link(device.mn),
            enterprise_id=device.enterprise_id,
            site_code=device.mn,
            site_name=device.enterprise_name,
            lon=device.lon,
            lat=device.lat,
        )
        for event in events
    ]


def finding_drafts(device: DeviceSubject, findings: Iterable[Finding]) -> list[AlertDraft]:
    """One draft per finding; findings of one check and factor share a dedupe key."""
    return [
        AlertDraft(
            kind=FINDING.key,
            severity="orange" if finding.check in SERIOUS_CHECKS else "yellow",
            title=(
                f"{device.enterprise_name} {factor_name(finding.factor)}数据异常：{finding.cause}"
            ),
            region_code=device.region_code,
            window_start=finding.start,
            window_end=finding.end,
            dedupe_key=f"hj212.finding:{device.mn}:{finding.check}:{finding.factor or '-'}",
            evidence={
                "mn": device.mn,
                "check": finding.check,
                "check_name": translate(f"hj212.check.{finding.check}"),
                "factor": finding.factor,
                "factor_name": factor_name(finding.factor),
                "cause": finding.cause,
            },
            link=_link(device.mn),
            enterprise_id=device.enterprise_id,
            site_code=device.mn,
            site_name=device.enterprise_name,
            lon=device.lon,
            lat=device.lat,
        )
        for finding in findings
    ]


def publish_exceedances(
    db: Database, device: DeviceSubject, events: Iterable[ExceedanceView]
) -> alerts.Published:
    """Publish a device's exceedance events (idempotent)."""
    return alerts.publish(db, exceedance_drafts(device, events))


def publish_findings(
    db: Database, device: DeviceSubject, findings: Iterable[Finding]
) -> alerts.Published:
    """Publish a device's data-quality findings (idempotent)."""
    return alerts.publish(db, finding_drafts(device, findings))
