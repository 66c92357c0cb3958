"""Surface water in the alerts inbox: sections whose class in an evaluated period is worse than
their target class (水质目标, GB 3838-2002 class per 环办〔2011〕22号), published whenever sections
are evaluated.

One alert per section merges the periods while it stays off target. Severity by how many classes
the section is below target: one → yellow, two → orange, three or more (or 劣V against a target
of III or better) → red.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

import polars as pl

from ecogov.engine.water import CLASS_LABELS
from ecogov.platform import alerts
from ecogov.platform.alerts import AlertDraft, AlertKind
from ecogov.platform.db import Database

KIND: Final = AlertKind("water.below_target", "断面水质未达目标", "Section below its target")
KINDS: Final = (KIND,)
CLASS_NUMBER: Final = {label: number for number, label in CLASS_LABELS.items()}


def severity_of(water_class: str, target: str) -> str:
    """Severity of a section of class ``water_class`` against target class ``target``."""
    gap = CLASS_NUMBER.get(water_class, 6) - CLASS_NUMBER.get(target, 6)
    if gap >= 3 or (water_class == "劣V" and CLASS_NUMBER.get(target, 6) <= 3):
        return "red"
    return "orange" if gap == 2 else "yellow"


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def drafts(
    rows: pl.DataFrame, places: pl.DataFrame, start: datetime, end: datetime, label: str
) -> list[AlertDraft]:
    """Drafts for the section rows (:data:`SECTION_COLUMNS`) that do not attain their target;
    ``places`` gives ``section``, ``lon``, ``lat``."""
    if rows.is_empty():
        return []
    located = rows.filter(pl.col("attains") == False).join(  # noqa: E712
        places.select("section", "lon", "lat"), on="section", how="left"
    )
    found: list[AlertDraft] = []
    for row in located.iter_rows(named=True):
        if row["class"] is None or row["target"] is None or row["region_code"] is None:
            continue
        failing = row.get("failing_items") or ""
        found.append(
            AlertDraft(
                kind=KIND.key,
                severity=severity_of(row["class"], row["target"]),
                title=(
                    f"{row['name']}断面 {label} 水质{row['class']}类，未达{row['target']}类目标"
                    + (f"（超标项目：{failing}）" if failing else "")
                ),
                region_code=row["region_code"],
                window_start=start.astimezone(UTC),
                window_end=end.astimezone(UTC),
                dedupe_key=f"{KIND.key}:{row['section']}",
                evidence={
                    "period": label,
                    "class": row["class"],
                    "target": row["target"],
                    "failing_items": failing,
                    "main_pollutants": row.get("main_pollutants"),
                    "months": row.get("months"),
                },
                link=f"/water/sections/{row['section']}",
                site_code=row["section"],
                site_name=row["name"],
                lon=_float(row["lon"]),
                lat=_float(row["lat"]),
            )
        )
    return found


def publish(
    db: Database,
    rows: pl.DataFrame,
    places: pl.DataFrame,
    start: datetime,
    end: datetime,
    label: str,
) -> alerts.Published:
    """Publish the sections below target of an evaluation (idempotent)."""
    return alerts.publish(db, drafts(rows, places, start, end, label))
