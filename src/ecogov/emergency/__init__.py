"""Heavy-pollution weather emergency (重污染天气应急): warnings by the national levels, their
workflow, the emergency-reduction list and the after-event review (issue Wave 2 · 5 of 7,
item 3)."""

from __future__ import annotations

from pathlib import Path

from ecogov.emergency import api, demo, pages
from ecogov.emergency.access import KINDS, WARNING_KIND
from ecogov.emergency.messages import MESSAGES
from ecogov.emergency.service import ALERT_KINDS
from ecogov.platform.plugins import Domain, NavItem

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="emergency",
    models="ecogov.emergency.models",
    migrations=_HERE / "migrations",
    api=api.router,
    demo=demo.load,
    demo_order=65,
    pages=pages.router,
    nav=(NavItem("nav.emergency", "/emergency", order=26, requires=("read", WARNING_KIND.key)),),
    templates=_HERE / "templates",
    permissions=KINDS,
    alert_kinds=ALERT_KINDS,
    messages=MESSAGES,
)
