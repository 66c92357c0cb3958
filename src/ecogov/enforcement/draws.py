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

The draw keeps the directory, pool and previous teams it ran on; :func:`draw_file` gives them,
the rules and (once published) the seed and the result in the layouts of
docs/enforcement-files.md, so ``ecogov enforcement verify-draw`` re-runs it from the downloads.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.enforcement.access import ENFORCEMENT, INSPECTOR_POOL
from ecogov.enforcement.files import inspectors_file, objects_file, previous_file, rules_file
from ecogov.enforcement.models import CATEGORIES, Draw, InspectionObject, InspectionTask, Inspector
from ecogov.engine.enforcement.draw import INSPECTOR_SCHEMA, OBJECT_SCHEMA, draw, seed_hash
from ecogov.platform.clock import now as clock_now
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal, region_prefix
from ecogov.sources.models import Enterprise
from ecogov.standards.enforcement.draw import UNRATED
from ecogov.standards.enforcement.rules import RulesError, merge_rules

PUBLISH_DAYS_DEFAULT: Final = 20
"""Days to publish a draw's result unless the draw sets its own (national count not confirmed,
GOVERNANCE.md §2.2 [U]; 20 working days is a local example)."""
TASK_DAYS_DEFAULT: Final = 30
"""Days an inspection task has unless the draw sets its own (a design default)."""
KEY_LEVEL_CATEGORY: Final = {
    "national": "key",
    "provincial": "key",
    "municipal": "key",
    "general": "general",
}
"""Directory category of a sources enterprise by its key-monitoring level (重点排污单位 → 重点)."""


Previous = Mapping[str, Sequence[str]]
"""Enterprise id → the team of its last drawn task (the engine avoids the same pair twice)."""

Drawer = Callable[[pl.DataFrame, pl.DataFrame, Mapping[str, Any], str, Previous], dict[str, Any]]
"""(objects, inspectors, rules override, seed, previous teams) → the document to publish, whose
``tasks`` list ``enterprise_id`` and ``inspectors`` (the engine's :func:`draw` layout)."""


def engine_drawer(
    objects: pl.DataFrame,
    inspectors: pl.DataFrame,
    rules: Mapping[str, Any],
    seed: str,
    previous: Previous,
) -> dict[str, Any]:
    """The stateless engine's draw (what ``ecogov enforcement draw`` runs) under the national
    rules merged with the draw's override."""
    return draw(objects, inspectors, merge_rules(rules).draw, seed, previous=previous)


# --- directory and pool --------------------------------------------------------------------------


def sync_directory(db: Database, principal: Principal, region_code: str) -> int:
    """Add the region's sources enterprises missing from the directory (key-monitored units as
    重点, others as 一般); returns how many were added. Existing entries keep their category."""
    authorize(principal, "create", ENFORCEMENT, region_code)
    with db.transaction(principal, action="enforcement.directory.sync") as session:
        present = set(session.scalars(select(InspectionObject.enterprise_id)))
        prefix = region_prefix(region_code)
        added = 0
        for enterprise in session.scalars(  # in registry order: the directory's ids repeat
            select(Enterprise)
            .where(Enterprise.region_code.startswith(prefix))
            .order_by(Enterprise.enterprise_id)
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
    """The region's active directory in the engine's object layout (:data:`OBJECT_SCHEMA`):
    ids as text, an unrated object as ``unrated``."""
    rows = session.execute(
        select(
            InspectionObject.enterprise_id,
            InspectionObject.category,
            InspectionObject.credit_grade,
            InspectionObject.risk_score,
            InspectionObject.region_code,
        )
        .where(
            InspectionObject.active,
            InspectionObject.region_code.startswith(region_prefix(region_code)),
        )
        .order_by(InspectionObject.id)
    ).all()
    data = [(str(e), c, g or UNRATED, r or 0.0, code) for e, c, g, r, code in rows]
    return pl.DataFrame(data, schema=OBJECT_SCHEMA, orient="row")


def pool_frame(session: Session, region_code: str) -> pl.DataFrame:
    """The region's active inspectors in the engine's layout (:data:`INSPECTOR_SCHEMA`)."""
    rows = session.scalars(
        select(Inspector)
        .where(Inspector.active, Inspector.region_code.startswith(region_prefix(region_code)))
        .order_by(Inspector.id)
    ).all()
    data = [
        (
            str(i.id),
            i.unit,
            i.region_code,
            list(i.qualifications),
            [str(e) for e in i.former_workplaces],
            [str(e) for e in i.conflicts],
        )
        for i in rows
    ]
    return pl.DataFrame(data, schema=INSPECTOR_SCHEMA, orient="row")


def previous_teams(session: Session, region_code: str) -> dict[str, list[str]]:
    """Each enterprise's team in its latest drawn task of the region (for the avoidance rule
    "not the same pair on the same enterprise twice in a row")."""
    rows = session.execute(
        select(InspectionTask.enterprise_id, InspectionTask.inspector_ids)
        .where(
            InspectionTask.draw_id.is_not(None),
            InspectionTask.region_code.startswith(region_prefix(region_code)),
        )
        .order_by(InspectionTask.id)
    ).all()
    return {str(e): [str(i) for i in team] for e, team in rows}


# --- the draw ------------------------------------------------------------------------------------


def create_draw(
    db: Database,
    principal: Principal,
    region_code: str,
    title: str,
    rules: Mapping[str, Any],
    *,
    seed: str | None = None,
    task_days: int = TASK_DAYS_DEFAULT,
    publish_days: int = PUBLISH_DAYS_DEFAULT,
) -> int:
    """Plan a draw for a region with its rules (a rules-file override of the national rules,
    checked now); its seed is made here (secret until revealed) unless given."""
    if not title.strip():
        raise InputError("抽查任务须有名称（a draw needs a title）")
    for key, days in (("task_days", task_days), ("publish_days", publish_days)):
        if not 1 <= days <= 366:
            raise InputError(f"{key} 应为1到366之间的天数，收到 {days}（{key}: 1–366 days）")
    try:
        merge_rules(rules)
    except RulesError as error:
        raise InputError(f"抽查规则有误：{error}") from error
    authorize(principal, "create", ENFORCEMENT, region_code)
    secret = seed if seed is not None else secrets.token_hex(32)
    with db.transaction(principal, action="enforcement.draw.create") as session:
        row = Draw(
            region_code=region_code,
            title=title.strip(),
            rules=dict(rules),
            seed=secret,
            seed_sha256=seed_hash(secret),
            task_days=task_days,
            publish_days=publish_days,
            created_by=principal.username,
        )
        session.add(row)
        session.flush()
        return row.id


def _draw(session: Session, principal: Principal, draw_id: int, expected: str) -> Draw:
    row = session.get(Draw, draw_id)
    if row is None:
        raise NotFound(f"未找到抽查 {draw_id}（no draw {draw_id}）")
    authorize(principal, "update", ENFORCEMENT, row)
    if row.status != expected:
        raise Conflict(
            f"抽查当前为“{STATUS_NAMES[row.status][0]}”，此步须在“{STATUS_NAMES[expected][0]}”"
            f"之后办理（draw is {row.status}: this step follows {expected}）"
        )
    return row


STATUS_NAMES: Final = {
    "planned": ("待公布哈希", "Planned"),
    "hash_published": ("已公布种子哈希", "Seed hash published"),
    "drawn": ("已抽取", "Drawn"),
    "published": ("已公开结果和种子", "Result and seed published"),
}


def publish_hash(db: Database, principal: Principal, draw_id: int) -> str:
    """Publish the sha256 of the draw's seed (before the draw); returns it."""
    with db.transaction(principal, action="enforcement.draw.publish_hash") as session:
        row = _draw(session, principal, draw_id, "planned")
        row.status = "hash_published"
        row.hash_published_at = clock_now()
        return row.seed_sha256


def run_draw(
    db: Database, principal: Principal, draw_id: int, drawer: Drawer = engine_drawer
) -> int:
    """Run the draw on the region's directory and pool with the previous teams; each drawn
    task becomes an inspection task due after ``task_days``; the result is to be published
    within ``publish_days``. Returns the number of tasks; refused (nothing kept) when a task
    could not be staffed with two distinct inspectors of the pool."""
    with db.transaction(principal, action="enforcement.draw.run") as session:
        row = _draw(session, principal, draw_id, "hash_published")
        objects = directory_frame(session, row.region_code)
        inspectors = pool_frame(session, row.region_code)
        previous = previous_teams(session, row.region_code)
        document = drawer(objects, inspectors, row.rules, row.seed, previous)
        by_enterprise = {
            o.enterprise_id: o
            for o in session.scalars(
                select(InspectionObject).where(
                    InspectionObject.region_code.startswith(region_prefix(row.region_code))
                )
            )
        }
        pool = set(inspectors["inspector_id"].to_list())
        moment = clock_now()
        due = moment.date() + timedelta(days=row.task_days)
        tasks = list(document.get("tasks", []))
        for task in tasks:
            target, team = _check_task(task, by_enterprise, pool)
            session.add(
                InspectionTask(
                    region_code=target.region_code,
                    enterprise_id=target.enterprise_id,
                    draw_id=row.id,
                    object_id=target.id,
                    inspector_ids=team,
                    due=due,
                )
            )
        row.result = {k: v for k, v in document.items() if k != "seed"}
        row.inputs = {
            "objects": objects.rows(),
            "inspectors": inspectors.rows(),
            "previous": previous,
        }
        row.status = "drawn"
        row.drawn_at = moment
        row.publish_due = moment.date() + timedelta(days=row.publish_days)
        return len(tasks)


def _check_task(
    task: Mapping[str, Any], objects: Mapping[int | None, InspectionObject], pool: set[str]
) -> tuple[InspectionObject, list[int]]:
    """A drawn task must name a directory object and ≥ 2 distinct inspectors of the pool."""
    enterprise = str(task.get("enterprise_id"))
    target = objects.get(int(enterprise)) if enterprise.isdigit() else None
    if target is None:
        raise Conflict(f"抽取结果含名录库外的对象 {enterprise}（object not in the directory）")
    team = [str(i) for i in task.get("inspectors", [])]
    if len(set(team)) < 2 or not set(team) <= pool:
        raise Conflict(
            f"对象“{target.name}”未能配齐至少2名不同的执法人员（名录库人员不足或需回避），"
            "请补充执法人员后重新抽取（a task needs at least 2 distinct inspectors of the pool）"
        )
    return target, [int(i) for i in team]


def publish_result(db: Database, principal: Principal, draw_id: int) -> str:
    """Reveal the seed with the result (一公开); returns the seed. The seed is checked against
    the hash published before the draw."""
    with db.transaction(principal, action="enforcement.draw.publish_result") as session:
        row = _draw(session, principal, draw_id, "drawn")
        if seed_hash(row.seed) != row.seed_sha256:
            raise Conflict("种子与已公布的哈希不符（the seed does not match its published hash）")
        row.status = "published"
        row.seed_revealed_at = clock_now()
        return row.seed


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
    result: dict[str, Any] = field(default_factory=dict)
    """The published document (the seed in it once revealed)."""


def view(db: Database, principal: Principal, draw_id: int) -> DrawView:
    """A draw: the hash once published, the seed and result once revealed (officers of the
    region see the result as soon as it is drawn, to start the tasks)."""
    authorize(principal, "read", ENFORCEMENT)
    with db.transaction(principal) as session:
        row = session.get(Draw, draw_id)
        if row is None:
            raise NotFound(f"未找到抽查 {draw_id}（no draw {draw_id}）")
        return view_of(row)


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
        result=dict(draw.result or {}) | ({"seed": draw.seed} if revealed else {}),
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


DRAW_FILES: Final = {
    "objects.csv": ("抽查对象名录库", "Object directory", "text/csv; charset=utf-8"),
    "inspectors.csv": ("执法人员名录库", "Inspector pool", "text/csv; charset=utf-8"),
    "rules.toml": ("抽查规则", "Rules", "application/toml; charset=utf-8"),
    "previous.json": ("上一次抽查的检查组", "Previous teams", "application/json"),
    "seed.txt": ("随机种子", "Seed", "text/plain; charset=utf-8"),
    "published.json": ("公布的抽取结果", "Published result", "application/json"),
}
"""The files of a draw (docs/enforcement-files.md): name → (zh, en, media type)."""
REVEALED_FILES: Final = frozenset({"seed.txt", "published.json"})
"""Files that exist only once the seed and result are published."""


def draw_file(db: Database, principal: Principal, draw_id: int, name: str) -> bytes:
    """One of :data:`DRAW_FILES` of a draw: the directory, pool and previous teams it ran on (the
    region's current ones before it is run), its rules, and once published its seed and
    result. The pool is shown to whoever may read the pool, and to every reader once the
    result is public (its ids are in the result)."""
    if name not in DRAW_FILES:
        known = "、".join(DRAW_FILES)
        raise NotFound(f"抽查没有文件“{name}”，可下载：{known}（no such draw file）")
    authorize(principal, "read", ENFORCEMENT)
    with db.transaction(principal) as session:
        row = session.get(Draw, draw_id)
        if row is None:
            raise NotFound(f"未找到抽查 {draw_id}（no draw {draw_id}）")
        revealed = row.status == "published"
        if name in REVEALED_FILES and not revealed:
            raise Conflict(
                f"抽查结果尚未公开，{name} 在公开种子和结果后才能下载"
                f"（{name} is available once the seed and result are published）"
            )
        if name == "inspectors.csv" and not revealed:
            authorize(principal, "read", INSPECTOR_POOL, row)
        if name == "rules.toml":
            return rules_file(row.rules, merge_rules(row.rules).draw).encode()
        if name == "seed.txt":
            return f"{row.seed}\n".encode()
        if name == "published.json":
            document = view_of(row).result
            return json.dumps(document, ensure_ascii=False, indent=1).encode()
        inputs = row.inputs or {
            "objects": directory_frame(session, row.region_code).rows(),
            "inspectors": pool_frame(session, row.region_code).rows(),
            "previous": previous_teams(session, row.region_code),
        }
        if name == "objects.csv":
            return objects_file(pl.DataFrame(inputs["objects"], OBJECT_SCHEMA, orient="row"))
        if name == "inspectors.csv":
            frame = pl.DataFrame(inputs["inspectors"], INSPECTOR_SCHEMA, orient="row")
            return inspectors_file(frame)
        return previous_file(inputs["previous"]).encode()
