"""Verified complaints (信访投诉经查实) as credit and risk evidence: the complaints domain's records
through its service, one record per complaint so each point links to the complaint's page
(kind ``complaints.verified`` of the rules' evidence mappings)."""

from __future__ import annotations

from ecogov.complaints.service import VERIFIED_KIND, verified_complaints
from ecogov.enforcement.evidence import EvidenceQuery, EvidenceRecord
from ecogov.platform.db import Database
from ecogov.platform.scope import Principal

KIND = VERIFIED_KIND.key
"""``complaints.verified``: the records' kind, and the alert the complaints domain publishes
when it verifies one (which wakes the credit listener; the record is counted here, once)."""


def complaint_records(
    db: Database, principal: Principal, query: EvidenceQuery
) -> list[EvidenceRecord]:
    """The enterprises' verified complaints received in the period."""
    return [
        EvidenceRecord(
            c.enterprise_id,
            KIND,
            f"complaint:{c.id}",
            link(f"complaint:{c.id}"),
            c.received_on,
            1.0,
            f"经查实的信访投诉 {c.no}",
        )
        for c in verified_complaints(db, principal, query.enterprise_ids, query.start, query.end)
    ]


def link(ref: str) -> str:
    """The page of ``complaint:<id>``."""
    return f"/complaints/{ref.split(':', 1)[1]}"
