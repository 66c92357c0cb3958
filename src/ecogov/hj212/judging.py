"""Judging every device at once (巡检): the exceedance events and data-quality findings of every
active device with hourly data in a window, published to the alerts inbox as they are computed.

The device page judges one device when someone looks; this is the run a scheduler makes (e.g.
``ecogov hj212 alerts --since … --until …`` every hour), so a problem reaches the inbox whether or
not anybody opened the device.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ecogov.hj212.exceedance import exceedances
from ecogov.hj212.models import Record
from ecogov.hj212.quality import Rules
from ecogov.hj212.record_archive import archive_dir, archived_records
from ecogov.hj212.service import quality_findings
from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError, InputError
from ecogov.platform.scope import Principal
from ecogov.sources.models import Device

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class JudgeSummary:
    """What a run judged and found."""

    devices: int
    exceedances: int
    findings: int
    failed: tuple[str, ...] = ()


def devices_with_data(db: Database, principal: Principal, first: int, last: int) -> list[str]:
    """MNs of the active devices in scope with hourly (2061) data in ``[first, last)`` [Unix s],
    in the store or the archive of older months."""
    with db.transaction(principal) as session:
        scoped = select(Device.mn).where(Device.active.is_(True))
        stmt = (
            select(Record.mn)
            .where(
                Record.cn == "2061",
                Record.data_time >= first,
                Record.data_time < last,
                Record.mn.in_(scoped),
            )
            .distinct()
        )
        stored = set(session.scalars(stmt))
        archived = archived_records(
            archive_dir(), cn="2061", first=first, last=last, columns=["mn"]
        )["mn"].unique()
        registered = set(session.scalars(scoped.where(Device.mn.in_(archived.to_list()))))
    return sorted(stored | registered)


def judge_all(
    db: Database,
    principal: Principal,
    first: datetime,
    last: datetime,
    rules: Rules | None = None,
) -> JudgeSummary:
    """Judge every device in scope with data between two instants; each device's events and
    findings are published to the alerts inbox (idempotently). A device whose judgement fails
    is logged and named in the summary; the others are still judged."""
    if last <= first:
        raise InputError(f"截止时间须晚于起始时间 (until {last.isoformat()} is not after since)")
    found_events = found_findings = 0
    failed: list[str] = []
    mns = devices_with_data(db, principal, int(first.timestamp()), int(last.timestamp()))
    for mn in mns:
        try:
            found_events += len(exceedances(db, principal, mn, first, last))
            found_findings += len(quality_findings(db, principal, mn, first, last, rules))
        except EcogovError:
            LOG.exception("judging device %s failed", mn)
            failed.append(mn)
    return JudgeSummary(len(mns), found_events, found_findings, tuple(failed))
