"""What the enforcement database tests share: principals, enterprises, a pool, a drawer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from ecogov.enforcement import draws, inspections
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.sources import service as sources
from ecogov.sources.demo import demo_uscc
from ecogov.sources.service import NewEnterprise

COUNTY = Principal("xh", Role.COUNTY_OFFICER, user_id=11, region_code="330106")
REVIEWER = Principal("xh2", Role.COUNTY_OFFICER, user_id=12, region_code="330106")
OTHER_COUNTY = Principal("sc", Role.COUNTY_OFFICER, user_id=13, region_code="330102")
CITY = Principal("hz", Role.CITY_OFFICER, user_id=14, region_code="330100")
LEADER = Principal("ld", Role.LEADER, user_id=15, region_code="330000")
INSPECTOR_A = Principal("ia", Role.COUNTY_OFFICER, user_id=21, region_code="330106")
INSPECTOR_B = Principal("ib", Role.COUNTY_OFFICER, user_id=22, region_code="330106")
INSPECTOR_C = Principal("ic", Role.COUNTY_OFFICER, user_id=23, region_code="330106")


def enterprise_principal(enterprise_id: int) -> Principal:
    """An enterprise user of ``enterprise_id``."""
    return Principal(
        f"qy{enterprise_id}",
        Role.ENTERPRISE,
        user_id=100 + enterprise_id,
        enterprise_id=enterprise_id,
    )


def enterprise(db: Database, index: int, region: str = "330106", level: str = "general") -> int:
    """Register a dyeing enterprise in ``region``; its id."""
    firm = sources.create_enterprise(
        db,
        SYSTEM,
        NewEnterprise(
            uscc=demo_uscc(index, region),
            name=f"测试印染{index}有限公司",
            industry_code="C1713",
            industry="棉印染精加工",
            region_code=region,
            key_level=level,
        ),
    )
    return firm.enterprise_id


def pool(db: Database, region: str = "330106") -> list[int]:
    """Three inspectors of ``region`` linked to the inspector principals; their ids."""
    people = (INSPECTOR_A, INSPECTOR_B, INSPECTOR_C)
    return [
        draws.add_inspector(
            db,
            SYSTEM,
            draws.NewInspector(
                region,
                f"检查员{p.username}",
                f"ZJ{region}{p.user_id}",
                "西湖分局",
                user_id=p.user_id,
            ),
        )
        for p in people
    ]


def checklist(db: Database) -> int:
    """A two-item routine checklist for any industry."""
    return inspections.add_checklist(
        db,
        SYSTEM,
        "*",
        "routine",
        "日常检查表",
        [("permit", "持证排污，按证载要求排放"), ("facility", "污染防治设施正常运行")],
    )


EVERYONE: Mapping[str, Any] = {
    "draw": {"proportions": {c: {"unrated": 1.0} for c in ("special", "key", "general")}}
}
"""Rules that draw every unrated object of the directory (so tests know which are drawn)."""


def first_two(
    objects: pl.DataFrame,
    inspectors: pl.DataFrame,
    rules: Mapping[str, Any],
    seed: str,
    previous: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    """A test drawer: the first object, with the first two inspectors."""
    pair = inspectors["inspector_id"].to_list()[:2]
    return {"tasks": [{"enterprise_id": objects["enterprise_id"][0], "inspectors": pair}]}
