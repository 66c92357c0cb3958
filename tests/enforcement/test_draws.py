"""The draw service: hash published before the draw, the draw made by the drawer, tasks created,
the seed revealed after with the result; and the directory and pool it draws from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest

from ecogov.enforcement import draws
from ecogov.platform.clock import frozen
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, PermissionDenied
from ecogov.platform.scope import SYSTEM
from tests.enforcement.support import (
    COUNTY,
    INSPECTOR_A,
    INSPECTOR_C,
    LEADER,
    OTHER_COUNTY,
    enterprise,
    first_two,
    pool,
)

DAY = date(2026, 5, 6)


def _setup(db: Database) -> list[int]:
    enterprise(db, 1, level="national")
    enterprise(db, 2)
    enterprise(db, 3, region="330102")
    assert draws.sync_directory(db, COUNTY, "330106") == 2
    assert draws.sync_directory(db, COUNTY, "330106") == 0  # idempotent
    return pool(db)


def test_hash_then_draw_then_seed_and_result(db: Database) -> None:
    inspectors = _setup(db)
    draw_id = draws.create_draw(db, COUNTY, "330106", "2026年第二季度", {"count": 2}, seed="s3cr3t")
    planned = draws.view(db, COUNTY, draw_id)
    assert (planned.seed_sha256, planned.seed) == (None, None)  # nothing public before the hash
    with pytest.raises(Conflict, match="已公布种子哈希"):
        draws.run_draw(db, COUNTY, draw_id, first_two)
    with frozen(DAY):
        digest = draws.publish_hash(db, COUNTY, draw_id)
    assert digest == draws.seed_hash("s3cr3t")
    with pytest.raises(Conflict):
        draws.publish_result(db, COUNTY, draw_id)  # no result before the draw
    with frozen(DAY + timedelta(days=1)):
        assert draws.run_draw(db, COUNTY, draw_id, first_two) == 2
    drawn = draws.view(db, COUNTY, draw_id)
    assert drawn.seed is None  # still secret after the draw
    assert drawn.publish_due == DAY + timedelta(days=1 + draws.PUBLISH_DAYS_DEFAULT)
    assert [r["inspectors"] for r in drawn.result] == [inspectors[:2], inspectors[:2]]
    with frozen(DAY + timedelta(days=2)):
        assert draws.publish_result(db, COUNTY, draw_id) == "s3cr3t"
    published = draws.view(db, LEADER, draw_id)
    assert published.status_name == "已公开结果和种子"
    assert published.seed == "s3cr3t"
    assert draws.seed_hash(published.seed) == published.seed_sha256


def test_the_draw_becomes_tasks_of_the_pair(db: Database) -> None:
    _setup(db)
    draw_id = draws.create_draw(db, COUNTY, "330106", "抽查", {"count": 1, "task_days": 10})
    draws.publish_hash(db, COUNTY, draw_id)
    with frozen(DAY):
        draws.run_draw(db, COUNTY, draw_id, first_two)
    (task,) = draws.my_tasks(db, INSPECTOR_A)
    assert task.due == DAY + timedelta(days=10)
    assert task.draw_id == draw_id
    assert draws.my_tasks(db, INSPECTOR_C) == []  # not drawn: sees no task
    assert draws.my_tasks(db, COUNTY) == []  # not in the pool


def _lonely(
    objects: pl.DataFrame, inspectors: pl.DataFrame, rules: Mapping[str, Any], seed: str
) -> Sequence[draws.DrawnTask]:
    first = objects["object_id"][0]
    return [draws.DrawnTask(first, (inspectors["inspector_id"][0],) * 2)]


def test_a_task_needs_two_distinct_inspectors(db: Database) -> None:
    _setup(db)
    draw_id = draws.create_draw(db, COUNTY, "330106", "抽查", {})
    draws.publish_hash(db, COUNTY, draw_id)
    with pytest.raises(Conflict, match="至少2名"):
        draws.run_draw(db, COUNTY, draw_id, _lonely)
    assert draws.view(db, COUNTY, draw_id).status == "hash_published"  # nothing kept


@pytest.mark.parametrize("days", [0, 400, "20", True])
def test_bad_rule_days_are_refused(db: Database, days: object) -> None:
    _setup(db)
    draw_id = draws.create_draw(db, COUNTY, "330106", "抽查", {"publish_days": days})
    draws.publish_hash(db, COUNTY, draw_id)
    with pytest.raises(InputError, match="publish_days"):
        draws.run_draw(db, COUNTY, draw_id, first_two)


def test_the_directory_frame_is_the_regions_only(db: Database) -> None:
    _setup(db)
    draws.sync_directory(db, SYSTEM, "330102")
    with db.transaction(SYSTEM) as session:
        frame = draws.directory_frame(session, "330106")
    assert frame["category"].to_list() == ["key", "general"]


def test_other_counties_and_leaders_do_not_draw(db: Database) -> None:
    _setup(db)
    with pytest.raises(PermissionDenied):
        draws.create_draw(db, OTHER_COUNTY, "330106", "抽查", {})
    with pytest.raises(PermissionDenied):
        draws.create_draw(db, LEADER, "330106", "抽查", {})


def test_the_pool_refuses_a_certificate_twice(db: Database) -> None:
    pool(db)
    with pytest.raises(Conflict, match="已在名录库"):
        draws.add_inspector(
            db, COUNTY, draws.NewInspector("330106", "重复", f"ZJ330106{INSPECTOR_A.user_id}", "x")
        )
