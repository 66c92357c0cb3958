"""Complaint (信访投诉) rules as data (GOVERNANCE.md §4): the handling time limits with their
sources, the window and distance within which complaints are linked into one case, the abuse
limits of the public intake, the photo checks, and the reward conditions (有奖举报).

The national defaults are ``rules.json`` beside this module; a province overrides any part of
them with a document of the same shape (:func:`rules` merges it), without code. Pure: no I/O
beyond reading the shipped default once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Final

from ecogov.standards.workdays import add_working_days

__all__ = [
    "Abuse",
    "Cluster",
    "ComplaintRules",
    "Limit",
    "Photos",
    "default_rules",
    "distance_m",
    "limit_end",
    "rules",
]

_DEFAULT: Final = Path(__file__).with_name("rules.json")


@dataclass(frozen=True)
class Limit:
    """A handling time limit: ``days`` (working or calendar) counted from the date named by
    ``starts`` (``received``, ``accepted``, ``answered``, ``followed_up``), with the extension
    allowed once by approval, its basis and source."""

    key: str
    days: int
    working: bool
    starts: str
    name_zh: str
    name_en: str
    basis: str
    source: str
    extension_days: int = 0


@dataclass(frozen=True)
class Cluster:
    """Complaints about one enterprise, one place (within ``distance_m`` [m]) or one address, of
    one category, within ``window_days`` [d] are one case; ``repeat_threshold`` complaints in a
    case make it a repeated complaint (重复信访)."""

    window_days: int
    distance_m: float
    repeat_threshold: int
    source: str


@dataclass(frozen=True)
class Abuse:
    """The most complaints one client address [per hour, per day] and one contact [per day]
    may file through the public intake."""

    per_ip_hour: int
    per_ip_day: int
    per_contact_day: int
    source: str


@dataclass(frozen=True)
class Photos:
    """How many photos a complaint may carry, the largest [bytes], and the accepted types."""

    max_count: int
    max_bytes: int
    types: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class ComplaintRules:
    """A complete rule set (national defaults, or a province's override merged into them)."""

    name: str
    limits: Mapping[str, Limit]
    warn_days: int
    cluster: Cluster
    abuse: Abuse
    photos: Photos
    text_max_chars: int
    reward_real_name_only: bool
    reward_verified_only: bool
    reward_source: str


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), Mapping):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


@cache
def _shipped() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(_DEFAULT.read_text(encoding="utf-8"))
    return document


def _positive(document: Mapping[str, Any], key: str, where: str) -> int:
    value = document[key]
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{where}.{key} 应为正整数，收到 {value!r}（must be a positive integer）")
    return value


def rules(override: Mapping[str, Any] | None = None) -> ComplaintRules:
    """The rule set: the national defaults with ``override`` (a province's document of the same
    shape) merged in. A value of the wrong kind is refused (ValueError, Chinese first)."""
    doc = _merge(_shipped(), override or {})
    limits = {
        key: Limit(
            key,
            _positive(row, "days", f"limits.{key}"),
            bool(row["working"]),
            str(row["from"]),
            str(row["name_zh"]),
            str(row["name_en"]),
            str(row["basis"]),
            str(row["source"]),
            int(row.get("extension_days", 0)),
        )
        for key, row in doc["limits"].items()
    }
    cluster, abuse, photos = doc["cluster"], doc["abuse"], doc["photos"]
    return ComplaintRules(
        name=str(doc["name"]),
        limits=limits,
        warn_days=int(doc["warn_days"]),
        cluster=Cluster(
            _positive(cluster, "window_days", "cluster"),
            float(cluster["distance_m"]),
            _positive(cluster, "repeat_threshold", "cluster"),
            str(cluster["source"]),
        ),
        abuse=Abuse(
            _positive(abuse, "per_ip_hour", "abuse"),
            _positive(abuse, "per_ip_day", "abuse"),
            _positive(abuse, "per_contact_day", "abuse"),
            str(abuse["source"]),
        ),
        photos=Photos(
            int(photos["max_count"]),
            _positive(photos, "max_bytes", "photos"),
            tuple(str(t) for t in photos["types"]),
            str(photos["source"]),
        ),
        text_max_chars=_positive(doc, "text_max_chars", "rules"),
        reward_real_name_only=bool(doc["reward"]["real_name_only"]),
        reward_verified_only=bool(doc["reward"]["verified_only"]),
        reward_source=str(doc["reward"]["source"]),
    )


@cache
def default_rules() -> ComplaintRules:
    """The national defaults (``rules.json``)."""
    return rules()


def limit_end(limit: Limit, start: date, *, extended: bool = False) -> date:
    """The last day of ``limit`` counted from ``start``: ``days`` calendar days later, or the
    ``days``-th working day after (:func:`ecogov.standards.workdays.add_working_days`); with
    ``extended``, plus the approved extension [calendar days] (《信访工作条例》第三十四条)."""
    end = add_working_days(start, limit.days) if limit.working else start + timedelta(limit.days)
    return end + timedelta(days=limit.extension_days) if extended else end


EARTH_RADIUS_M: Final = 6_371_008.8
"""Mean Earth radius [m] (IUGG), for :func:`distance_m`."""


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance [m] between two points given in degrees (haversine formula on a
    sphere of :data:`EARTH_RADIUS_M`; within 0.5 % of the ellipsoid, ample for "the same
    place")."""
    from math import asin, cos, radians, sin, sqrt

    phi1, phi2 = radians(lat1), radians(lat2)
    dphi, dlmb = phi2 - phi1, radians(lon2 - lon1)
    h = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(h)))
