"""The command centre's big screen (指挥中心大屏): a full-screen, auto-refreshing, dark view of a
region for the wall (issue 17, item 4): the live AQI map, the real-time city ranking, water
classes, online-monitoring alerts as they arrive, open and overdue rectification items,
complaints today and the targets' traffic lights, from one JSON snapshot polled by one page."""

from __future__ import annotations

from pathlib import Path

from ecogov.bigscreen import api, pages
from ecogov.bigscreen.access import BIGSCREEN
from ecogov.bigscreen.messages import MESSAGES
from ecogov.platform.plugins import Domain, NavItem

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="bigscreen",
    api=api.router,
    pages=pages.router,
    messages=MESSAGES,
    templates=_HERE / "templates",
    static=_HERE / "static",
    permissions=(BIGSCREEN,),
    nav=(NavItem("bigscreen.nav", "/bigscreen", order=90, requires=("read", BIGSCREEN.key)),),
)
