"""Complaints domain (信访投诉): intake, the handling workflow with statutory time limits,
duplicates and clusters, and the complainant's privacy (GOVERNANCE.md §4)."""

from __future__ import annotations

from pathlib import Path

from ecogov.complaints import api, cli, maplayers, pages
from ecogov.complaints.access import KINDS
from ecogov.complaints.messages import MESSAGES
from ecogov.complaints.service import OVERDUE_KIND, REPEAT_KIND, VERIFIED_KIND
from ecogov.platform.plugins import Domain, NavItem, PublicWrite
from ecogov.standards.complaints import default_rules

_HERE = Path(__file__).resolve().parent
_PHOTOS = default_rules().photos
_INTAKE_KB = (_PHOTOS.max_count * _PHOTOS.max_bytes) // 2**10 + 64
"""The public intake's body cap [KiB]: its photos at their largest plus the form."""


def _demo(db: object) -> list[str]:
    from ecogov.complaints.demo import load

    return load(db)  # type: ignore[arg-type]


domain = Domain(
    name="complaints",
    models="ecogov.complaints.models",
    migrations=_HERE / "migrations",
    api=api.router,
    pages=pages.router,
    templates=_HERE / "templates",
    cli=cli.app,
    legends=(maplayers.category_legend,),
    map_layers=(maplayers.COMPLAINTS_LAYER,),
    nav=(NavItem("nav.complaints", "/complaints", order=46, requires=("read", KINDS[0].key)),),
    permissions=KINDS,
    alert_kinds=(OVERDUE_KIND, REPEAT_KIND, VERIFIED_KIND),
    messages=MESSAGES,
    demo=_demo,
    demo_order=46,
    public_write_paths=(
        PublicWrite("/api/v1/public/complaints", _INTAKE_KB),
        PublicWrite("/portal/complaints/new", _INTAKE_KB),
    ),
)
