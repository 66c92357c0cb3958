"""The plans domain's panels of the command centre (指挥中心): targets with traffic lights and
trends, overdue tasks by unit, open rectification items, escalations of the past week, and a map
of the region's subdivisions shaded by a chosen indicator.

Officers, leaders and admins see them; enterprises and the public see none.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from ecogov.plans import queries, tracking
from ecogov.plans.access import PLANS
from ecogov.plans.maplayers import TARGET_LEGEND
from ecogov.platform import clock, maps
from ecogov.platform.indicators import Indicator, registry
from ecogov.platform.permissions import allowed
from ecogov.platform.plugins import HomeContext, Panel
from ecogov.regions import service as regions

PANEL_ROWS: Final = 8
"""Rows a list panel shows before linking to the full ledger."""
MAP_DEFAULT: Final = ("air.good_day_ratio", "air.pm25_annual_mean", "water.share_I_III")
"""Indicators the map opens with, the first one installed."""


def _region_names(context: HomeContext, codes: list[str | None]) -> dict[str, str]:
    """Names of the regions a panel lists (its rows show names, codes beside)."""
    return regions.region_names(context.db, context.principal, [c for c in codes if c])


def _for_officers(context: HomeContext) -> bool:
    return allowed(context.principal, "read", PLANS)


def targets_panel(context: HomeContext) -> Panel | None:
    """The region's targets with a traffic light, latest value, projection and trend line."""
    if not _for_officers(context):
        return None
    today = clock.today()
    targets = tracking.region_targets(context.db, context.principal, context.region_code, today)
    if not targets:
        return None
    bound = [t for t in targets if t.indicator_key]
    return Panel(
        "plans/panel_targets.html",
        {"targets": bound, "unbound": len(targets) - len(bound)},
        order=10,
    )


def overdue_panel(context: HomeContext) -> Panel | None:
    """Overdue tasks of the region and below, grouped by lead unit."""
    if not _for_officers(context):
        return None
    today = clock.today()
    groups = queries.overdue_by_unit(context.db, context.principal, context.region_code, today)
    shown = groups[:PANEL_ROWS]
    return Panel(
        "plans/panel_overdue.html",
        {
            "groups": shown,
            "more": max(0, len(groups) - PANEL_ROWS),
            "today": today,
            "region_names": _region_names(context, [group.region_code for group in shown]),
        },
        order=20,
    )


def items_panel(context: HomeContext) -> Panel | None:
    """Open rectification items of the region and below, nearest deadline first."""
    if not _for_officers(context):
        return None
    open_rows = queries.item_ledger(
        context.db,
        context.principal,
        queries.ItemFilter(region=context.region_code, open_only=True),
    )
    counts: dict[str, int] = {}
    for row in open_rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return Panel(
        "plans/panel_items.html",
        {
            "rows": open_rows[:PANEL_ROWS],
            "total": len(open_rows),
            "counts": counts,
            "today": clock.today(),
        },
        order=30,
    )


def escalations_panel(context: HomeContext) -> Panel | None:
    """Escalation steps reached in the past seven days (六步法)."""
    if not _for_officers(context):
        return None
    now = clock.now()
    found = queries.escalations_since(
        context.db, context.principal, context.region_code, now - timedelta(days=7), now.date()
    )
    shown = found[:PANEL_ROWS]
    return Panel(
        "plans/panel_escalations.html",
        {
            "rows": shown,
            "total": len(found),
            "region_names": _region_names(
                context,
                [code for row in shown for code in (row.region_code, row.notified_region)],
            ),
        },
        order=40,
    )


def _default_indicator(indicators: dict[str, Indicator]) -> str:
    return next((key for key in MAP_DEFAULT if key in indicators), min(indicators))


def _scale_key(indicator: Indicator, legends: dict[str, maps.Legend]) -> str | None:
    """Key of the indicator's absolute classes (GB 3095 limits …), registered in ``legends``."""
    if indicator.scale is None:
        return None
    legend = indicator.scale(clock.today())
    legends.setdefault(legend.key, legend)
    return legend.key


def map_panel(context: HomeContext) -> Panel | None:
    """The region's subdivisions shaded by an indicator the user picks (values by JSON): each
    against its target (met, at risk, missed), else by the indicator's absolute classes."""
    indicators = registry()
    if not _for_officers(context) or not indicators:
        return None
    ordered = sorted(indicators.values(), key=lambda i: (i.manual, i.key))
    today = clock.today()
    every = maps.legends(today)
    legends = {TARGET_LEGEND: every[TARGET_LEGEND]}
    scales = {i.key: _scale_key(i, legends) for i in ordered}
    chosen = _default_indicator(indicators)
    config = maps.config(
        context.principal,
        context.region_code,
        context.language,
        when=today,
        drill="/?region={code}",
        areas=maps.Areas(
            legends=tuple(legends.values()),
            url="/api/v1/plans/indicators/map?indicator={indicator}&region={region}&year={year}",
            unit=indicators[chosen].unit,
        ),
        with_layers=False,
    )
    return Panel(
        "plans/panel_map.html",
        {
            "region": context.region_code,
            "indicators": ordered,
            "scales": scales,
            "chosen": chosen,
            "year": today.year,
            "map_config": config,
        },
        order=50,
    )


HOME_PANELS: Final = (targets_panel, overdue_panel, items_panel, escalations_panel, map_panel)
