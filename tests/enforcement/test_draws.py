"""The draw service: hash published before the draw, the draw made by the engine, tasks created,
the seed revealed after with the result; and the directory and pool it draws from."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from ecogov.enforcement import draws
from ecogov.engine.enforcement.draw import draw, seed_hash
from ecogov.platform.clock import frozen
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, PermissionDenied
from ecogov.platform.scope import SYSTEM
from ecogov.standards.enforcement.rules import merge_rules
from tests.enforcement.support import (
    COUNTY,
    EVERYONE,
    INSPECTOR_A,
    INSPECTOR_B,
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
    enterprise(db, 2)  # the two of 330106; the third is in another county
    enterprise(db, 3, region="330102")
    assert draws.sync_directory(db, COUNTY, "330106") == 2
    assert draws.sync_directory(db, COUNTY, "330106") == 0  # idempotent
    return pool(db)


def test_hash_then_draw_then_seed_and_result(db: Database) -> None:
    _setup(db)
    draw_id = draws.create_draw(db, COUNTY, "330106", "2026年第二季度", EVERYONE, seed="s3cr3t")
    planned = draws.view(db, COUNTY, draw_id)
    assert (planned.seed_sha256, planned.seed) == (None, None)  # nothing public before the hash
    with pytest.raises(Conflict, match="已公布种子哈希"):
        draws.run_draw(db, COUNTY, draw_id)
    with frozen(DAY):
        assert draws.publish_hash(db, COUNTY, draw_id) == seed_hash("s3cr3t")
    with pytest.raises(Conflict):
        draws.publish_result(db, COUNTY, draw_id)  # no result before the draw
    with db.transaction(SYSTEM) as session:  # what the public directory and pool say
        objects = draws.directory_frame(session, "330106")
        inspectors = draws.pool_frame(session, "330106")
    with frozen(DAY + timedelta(days=1)):
        assert draws.run_draw(db, COUNTY, draw_id) == 2
    drawn = draws.view(db, COUNTY, draw_id)
    assert drawn.seed is None  # still secret after the draw
    assert "seed" not in drawn.result
    assert drawn.publish_due == DAY + timedelta(days=1 + draws.PUBLISH_DAYS_DEFAULT)
    with frozen(DAY + timedelta(days=2)):
        assert draws.publish_result(db, COUNTY, draw_id) == "s3cr3t"
    published = draws.view(db, LEADER, draw_id)
    assert published.status_name == "已公开结果和种子"
    assert published.seed == "s3cr3t"
    assert seed_hash(published.seed) == published.seed_sha256
    # anyone re-running the engine on the published inputs gets the published result
    again = draw(objects, inspectors, merge_rules(EVERYONE).draw, published.seed, previous={})
    assert again == published.result


def test_the_draw_becomes_tasks_of_pairs_of_the_pool(db: Database) -> None:
    inspectors = _setup(db)
    draw_id = draws.create_draw(db, COUNTY, "330106", "抽查", EVERYONE, task_days=10)
    draws.publish_hash(db, COUNTY, draw_id)
    with frozen(DAY):
        draws.run_draw(db, COUNTY, draw_id)
    mine = [draws.my_tasks(db, p) for p in (INSPECTOR_A, INSPECTOR_B, INSPECTOR_C)]
    assert sum(len(tasks) for tasks in mine) == 2 * 2  # two tasks, two inspectors each
    for tasks in mine:
        for task in tasks:
            assert task.due == DAY + timedelta(days=10)
            assert len(set(task.inspector_ids)) == 2
            assert set(task.inspector_ids) <= set(inspectors)
    assert draws.my_tasks(db, COUNTY) == []  # not in the pool: no tasks


def test_the_next_draw_knows_the_previous_teams(db: Database) -> None:
    _setup(db)
    first = draws.create_draw(db, COUNTY, "330106", "第一次", EVERYONE)
    draws.publish_hash(db, COUNTY, first)
    draws.run_draw(db, COUNTY, first)
    with db.transaction(SYSTEM) as session:
        previous = draws.previous_teams(session, "330106")
    with db.transaction(SYSTEM) as session:
        drawn = draws.directory_frame(session, "330106")["enterprise_id"].to_list()
    assert sorted(previous) == sorted(drawn)
    assert all(len(team) == 2 for team in previous.values())


def _lonely(
    objects: pl.DataFrame,
    inspectors: pl.DataFrame,
    rules: object,
    seed: str,
    previous: object,
) -> dict[str, object]:
    one = inspectors["inspector_id"][0]
    return {"tasks": [{"enterprise_id": objects["enterprise_id"][0], "inspectors": [one, one]}]}


def test_a_task_needs_two_distinct_inspectors(db: Database) -> None:
    _setup(db)
    draw_id = draws.create_draw(db, COUNTY, "330106", "抽查", {})
    draws.publish_hash(db, COUNTY, draw_id)
    with pytest.raises(Conflict, match="至少2名"):
        draws.run_draw(db, COUNTY, draw_id, _lonely)
    assert draws.view(db, COUNTY, draw_id).status == "hash_published"  # nothing kept
    assert draws.run_draw(db, COUNTY, draw_id, first_two) == 1


def test_a_pool_too_small_is_refused_with_the_reason(db: Database) -> None:
    enterprise(db, 1)
    draws.sync_directory(db, COUNTY, "330106")
    draw_id = draws.create_draw(db, COUNTY, "330106", "抽查", EVERYONE)
    draws.publish_hash(db, COUNTY, draw_id)
    with pytest.raises(Conflict, match="未能配齐至少2名"):
        draws.run_draw(db, COUNTY, draw_id)


@pytest.mark.parametrize("days", [0, 400])
def test_bad_days_are_refused(db: Database, days: int) -> None:
    with pytest.raises(InputError, match="publish_days"):
        draws.create_draw(db, COUNTY, "330106", "抽查", {}, publish_days=days)


def test_bad_rules_are_refused_with_the_key(db: Database) -> None:
    with pytest.raises(InputError, match=r"抽查规则有误.*draw\.team_size"):
        draws.create_draw(db, COUNTY, "330106", "抽查", {"draw": {"team_size": 1}})


def test_the_directory_frame_is_the_regions_only(db: Database) -> None:
    _setup(db)
    draws.sync_directory(db, SYSTEM, "330102")
    with db.transaction(SYSTEM) as session:
        frame = draws.directory_frame(session, "330106")
    assert frame["category"].to_list() == ["key", "general"]
    assert frame["grade"].to_list() == ["unrated", "unrated"]


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
