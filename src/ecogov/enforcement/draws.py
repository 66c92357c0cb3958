"""The directory, the inspector pool and verifiable double-random draws (双随机、一公开).

A draw is public in three steps (GOVERNANCE.md §2.2; the verifiability is this platform's own):

1. :func:`publish_hash` — the sha256 of the draw's secret seed is published before the draw;
2. :func:`run_draw` — the drawer (the stateless engine, ``ecogov enforcement draw``) is run on the
   region's directory and pool with the draw's rules and seed; the result becomes inspection
   tasks and the result-publication deadline starts;
3. :func:`publish_result` — the seed is revealed with the result, so anyone can check that
   sha256(seed) is the published hash and re-run the draw from the published directory.

The drawer is a function boundary (:data:`Drawer`): frames of the directory and the pool, the
rules and the seed in, the tasks out; the service never draws by itself.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.enforcement.access import ENFORCEMENT, INSPECTOR_POOL
from ecogov.enforcement.models import CATEGORIES, Draw, InspectionObject, InspectionTask, Inspector
from ecogov.platform.clock import now as clock_now
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal, region_prefix
from ecogov.sources.models import Enterprise

PUBLISH_DAYS_DEFAULT: Final = 20
"""Days to publish a draw's result when its rules name none (national count not confirmed,
GOVERNANCE.md §2.2 [U]: configurable per draw as ``publish_days``)."""
TASK_DAYS_DEFAULT: Final = 30
"""Days an inspection task has, when the rules name none (``task_days``)."""
KEY_LEVEL_CATEGORY: Final = {
    "national": "key",
    "provincial": "key",
    "municipal": "key",
    "general": "general",
}
"""Directory category of a sources enterprise by its key-monitoring level (重点排污单位 → 重点)."""


@dataclass(frozen=True)
class DrawnTask:
    """One task a drawer returns: an object of the directory and its inspectors (≥ 2)."""

    object_id: int
    inspector_ids: tuple[int, ...]


Drawer = Callable[[pl.DataFrame, pl.DataFrame, Mapping[str, Any], str], Sequence[DrawnTask]]
"""(objects, inspectors, rules, seed) → tasks. Objects: ``object_id, enterprise_id, category,
credit_grade, risk_score``; inspectors: ``inspector_id, former_workplaces, conflicts``."""


# --- directory and pool --------------------------------------------------------------------------


def sync_directory(db: Database, principal: Principal, region_code: str) -> int:
    """Add the region's sources enterprises missing from the directory (key-monitored units as
    重点, others as 一般); returns how many were added. Existing entries keep their category."""
    authorize(principal, "create", ENFORCEMENT, region_code)
    with db.transaction(principal, action="enforcement.directory.sync") as session:
        present = set(session.scalars(select(InspectionObject.enterprise_id)))
        prefix = region_prefix(region_code)
        added = 0
        for enterprise in session.scalars(
            select(Enterprise).where(Enterprise.region_code.startswith(prefix))
        ):
            if enterprise.enterprise_id in present:
                continue
            session.add(
                InspectionObject(
                    region_code=enterprise.region_code,
                    enterprise_id=enterprise.enterprise_id,
                    name=enterprise.name,
                    industry_code=enterprise.industry_code,
                    category=KEY_LEVEL_CATEGORY.get(enterprise.key_level, "general"),
                )
            )
            added += 1
        return added


def set_category(db: Database, principal: Principal, object_id: int, category: str) -> None:
    """Set a directory object's category (重点/一般/特殊)."""
    if category not in CATEGORIES:
        raise InputError(f"类别“{category}”无效，可选 key/general/special（unknown category）")
    with db.transaction(principal, action="enforcement.directory.category") as session:
        found = session.get(InspectionObject, object_id)
        if found is None:
            raise NotFound(f"名录库中没有对象 {object_id}（no directory object {object_id}）")
        authorize(principal, "update", ENFORCEMENT, found)
        found.category = category


@dataclass(frozen=True)
class NewInspector:
    """An entry of the inspector pool."""

    region_code: str
    name: str
    certificate_no: str
    unit: str
    qualifications: tuple[str, ...] = ()
    former_workplaces: tuple[int, ...] = ()
    conflicts: tuple[int, ...] = ()
    user_id: int | None = None


def add_inspector(db: Database, principal: Principal, new: NewInspector) -> int:
    """Add an officer to the inspector pool; returns their id."""
    if not new.name.strip() or not new.certificate_no.strip():
        raise InputError("执法人员须填写姓名和执法证号（name and certificate number needed）")
    authorize(principal, "create", INSPECTOR_POOL, new.region_code)
    with db.transaction(principal, action="enforcement.pool.add") as session:
        taken = session.scalar(
            select(Inspector.id).where(Inspector.certificate_no == new.certificate_no)
        )
        if taken is not None:
            raise Conflict(f"执法证号 {new.certificate_no} 已在名录库中（already in the pool）")
        row = Inspector(
            region_code=new.region_code,
            name=new.name.strip(),
            certificate_no=new.certificate_no.strip(),
            unit=new.unit,
            qualifications=list(new.qualifications),
            former_workplaces=list(new.former_workplaces),
            conflicts=list(new.conflicts),
            user_id=new.user_id,
        )
        session.add(row)
        session.flush()
        return row.id


def directory_frame(session: Session, region_code: str) -> pl.DataFrame:
    """The region's active directory as the drawer reads it, in id order."""
    rows = session.execute(
        select(
            InspectionObject.id,
            InspectionObject.enterprise_id,
            InspectionObject.category,
            InspectionObject.credit_grade,
            InspectionObject.risk_score,
        )
        .where(
            InspectionObject.active,
            InspectionObject.region_code.startswith(region_prefix(region_code)),
        )
        .order_by(InspectionObject.id)
    ).all()
    schema = {
        "object_id": pl.Int64,
        "enterprise_id": pl.Int64,
        "category": pl.String,
        "credit_grade": pl.String,
        "risk_score": pl.Float64,
    }
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def pool_frame(session: Session, region_code: str) -> pl.DataFrame:
    """The region's active inspectors as the drawer reads them, in id order."""
    rows = session.execute(
        select(Inspector.id, Inspector.former_workplaces, Inspector.conflicts)
        .where(Inspector.active, Inspector.region_code.startswith(region_prefix(region_code)))
        .order_by(Inspector.id)
    ).all()
    schema: dict[str, pl.DataType] = {
        "inspector_id": pl.Int64(),
        "former_workplaces": pl.List(pl.Int64()),
        "conflicts": pl.List(pl.Int64()),
    }
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


# --- the draw ------------------------------------------------------------------------------------


def seed_hash(seed: str) -> str:
    """The published commitment of a seed: its sha256, hex."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def create_draw(
    db: Database,
    principal: Principal,
    region_code: str,
    title: str,
    rules: Mapping[str, Any],
    seed: str | None = None,
) -> int:
    """Plan a draw for a region with its rules; its seed is made here (secret until revealed)
    unless given."""
    if not title.strip():
        raise InputError("抽查任务须有名称（a draw needs a title）")
    authorize(principal, "create", ENFORCEMENT, region_code)
    secret = seed if seed is not None else secrets.token_hex(32)
    with db.transaction(principal, action="enforcement.draw.create") as session:
        draw = Draw(
            region_code=region_code,
            title=title.strip(),
            rules=dict(rules),
            seed=secret,
            seed_sha256=seed_hash(secret),
            created_by=principal.username,
        )
        session.add(draw)
        session.flush()
        return draw.id


def _draw(session: Session, principal: Principal, draw_id: int, expected: str) -> Draw:
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise NotFound(f"未找到抽查 {draw_id}（no draw {draw_id}）")
    authorize(principal, "update", ENFORCEMENT, draw)
    if draw.status != expected:
        raise Conflict(
            f"抽查当前为“{STATUS_NAMES[draw.status][0]}”，此步须在“{STATUS_NAMES[expected][0]}”"
            f"之后办理（draw is {draw.status}: this step follows {expected}）"
        )
    return draw


STATUS_NAMES: Final = {
    "planned": ("待公布哈希", "Planned"),
    "hash_published": ("已公布种子哈希", "Seed hash published"),
    "drawn": ("已抽取", "Drawn"),
    "published": ("已公开结果和种子", "Result and seed published"),
}


def publish_hash(db: Database, principal: Principal, draw_id: int) -> str:
    """Publish the sha256 of the draw's seed (before the draw); returns it."""
    with db.transaction(principal, action="enforcement.draw.publish_hash") as session:
        draw = _draw(session, principal, draw_id, "planned")
        draw.status = "hash_published"
        draw.hash_published_at = clock_now()
        return draw.seed_sha256


def run_draw(db: Database, principal: Principal, draw_id: int, drawer: Drawer) -> int:
    """Run the draw on the region's directory and pool; each drawn task becomes an inspection
    task (due after the rules' ``task_days``); the result must be published within the rules'
    ``publish_days``. Returns the number of tasks."""
    with db.transaction(principal, action="enforcement.draw.run") as session:
        draw = _draw(session, principal, draw_id, "hash_published")
        objects = directory_frame(session, draw.region_code)
        inspectors = pool_frame(session, draw.region_code)
        drawn = drawer(objects, inspectors, draw.rules, draw.seed)
        known = set(objects["object_id"].to_list())
        pool = set(inspectors["inspector_id"].to_list())
        moment = clock_now()
        today = moment.date()
        due = today + timedelta(days=_days(draw.rules, "task_days", TASK_DAYS_DEFAULT))
        result = []
        for number, task in enumerate(drawn, start=1):
            _check_task(task, known, pool)
            session.add(_task_row(session, draw, task, due))
            result.append(
                {"task_no": number, "object_id": task.object_id, "inspectors": task.inspector_ids}
            )
        draw.result = [dict(r) for r in result]
        draw.status = "drawn"
        draw.drawn_at = moment
        draw.publish_due = today + timedelta(
            days=_days(draw.rules, "publish_days", PUBLISH_DAYS_DEFAULT)
        )
        return len(result)


def _days(rules: Mapping[str, Any], key: str, default: int) -> int:
    value = rules.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 366:
        raise InputError(f"抽查规则 {key} 应为1到366之间的整数天数，收到 {value!r}（{key}: days）")
    return value


def _check_task(task: DrawnTask, objects: set[int], pool: set[int]) -> None:
    """A drawer's task must name a directory object and ≥ 2 distinct inspectors of the pool."""
    if task.object_id not in objects:
        raise Conflict(f"抽取结果含名录库外的对象 {task.object_id}（object not in the directory）")
    if len(set(task.inspector_ids)) < 2 or not set(task.inspector_ids) <= pool:
        raise Conflict(
            f"对象 {task.object_id} 的检查人员须为名录库中至少2名不同人员"
            "（a task needs at least 2 distinct inspectors of the pool）"
        )


def _task_row(session: Session, draw: Draw, task: DrawnTask, due: date) -> InspectionTask:
    target = session.get(InspectionObject, task.object_id)
    assert target is not None
    return InspectionTask(
        region_code=target.region_code,
        enterprise_id=target.enterprise_id,
        draw_id=draw.id,
        object_id=target.id,
        inspector_ids=list(task.inspector_ids),
        due=due,
    )


def publish_result(db: Database, principal: Principal, draw_id: int) -> str:
    """Reveal the seed with the result (一公开); returns the seed. The seed is checked against
    the hash published before the draw."""
    with db.transaction(principal, action="enforcement.draw.publish_result") as session:
        draw = _draw(session, principal, draw_id, "drawn")
        if seed_hash(draw.seed) != draw.seed_sha256:
            raise Conflict("种子与已公布的哈希不符（the seed does not match its published hash）")
        draw.status = "published"
        draw.seed_revealed_at = clock_now()
        return draw.seed


@dataclass(frozen=True)
class DrawView:
    """A draw as the public sees it: the seed only once revealed."""

    id: int
    region_code: str
    title: str
    status: str
    status_name: str
    rules: dict[str, Any]
    seed_sha256: str | None
    hash_published_at: datetime | None
    drawn_at: datetime | None
    publish_due: date | None
    seed: str | None
    seed_revealed_at: datetime | None
    result: list[dict[str, Any]] = field(default_factory=list)


def view(db: Database, principal: Principal, draw_id: int) -> DrawView:
    """A draw: the hash once published, the seed and result once revealed (officers of the
    region see the result as soon as it is drawn, to start the tasks)."""
    authorize(principal, "read", ENFORCEMENT)
    with db.transaction(principal) as session:
        draw = session.get(Draw, draw_id)
        if draw is None:
            raise NotFound(f"未找到抽查 {draw_id}（no draw {draw_id}）")
        return view_of(draw)


def view_of(draw: Draw) -> DrawView:
    """What may be shown of a draw in its status."""
    revealed = draw.status == "published"
    return DrawView(
        id=draw.id,
        region_code=draw.region_code,
        title=draw.title,
        status=draw.status,
        status_name=STATUS_NAMES[draw.status][0],
        rules=dict(draw.rules),
        seed_sha256=None if draw.status == "planned" else draw.seed_sha256,
        hash_published_at=draw.hash_published_at,
        drawn_at=draw.drawn_at,
        publish_due=draw.publish_due,
        seed=draw.seed if revealed else None,
        seed_revealed_at=draw.seed_revealed_at,
        result=list(draw.result or []),
    )


def my_tasks(db: Database, principal: Principal) -> list[InspectionTask]:
    """The inspection tasks of the inspector linked to the principal's account (an inspector
    sees their tasks; an officer not in the pool has none)."""
    authorize(principal, "read", ENFORCEMENT)
    if principal.user_id is None:
        return []
    with db.transaction(principal) as session:
        mine = set(
            session.scalars(select(Inspector.id).where(Inspector.user_id == principal.user_id))
        )
        if not mine:
            return []
        tasks = [
            t
            for t in session.scalars(select(InspectionTask).order_by(InspectionTask.due))
            if mine & set(t.inspector_ids)
        ]
        session.expunge_all()
        return tasks
