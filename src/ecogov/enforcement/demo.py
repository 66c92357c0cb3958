"""Demo data of the enforcement domain in 西湖区 (330106), made through the services (模拟数据).

Inspectors with logins (``zhifa1``…``zhifa3``, county officers in the inspector pool), the
inspection-object directory synced from the demo enterprises, a double-random draw published in
its three steps (hash, draw, seed and result), inspections by the drawn inspectors with findings,
penalty cases in every stage of the case machine — one past its decision limit, one with an
extension, one with a daily continuous penalty — and credit grades computed by the engine from
those records. Dates are counted back from the clock's today; the seed is fixed, so a load on
the same day gives the same data. Loading again changes nothing (the demo draw marks it done).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Final

import polars as pl
from sqlalchemy import func, select

from ecogov.accounts.models import User
from ecogov.accounts.service import create_user, principal_for
from ecogov.enforcement import cases, draws, inspections
from ecogov.enforcement.credit import Evaluation, TracedPoint, record_evaluation
from ecogov.enforcement.models import (
    Checklist,
    Draw,
    Finding,
    InspectionObject,
    InspectionTask,
    Inspector,
    PenaltyCase,
)
from ecogov.engine.enforcement.credit import EVIDENCE_SCHEMA, rate
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.standards.enforcement.penalty import Round
from ecogov.standards.enforcement.rules import NATIONAL_RULES

REGION: Final = "330106"
UNIT: Final = "杭州市生态环境局西湖分局"
DRAW_TITLE: Final = "西湖区第四季度双随机抽查（演示）"
DRAW_SEED: Final = "ecogov-demo-330106-Q4"
DRAW_RULES: Final = {
    "draw": {"proportions": {"key": {"unrated": 0.5}, "general": {"unrated": 0.2}}}
}
"""Every other key unit and one general unit in five: a draw of a dozen tasks."""
INSPECTORS: Final = (
    ("zhifa1", "zhifa1-demo", "王执法", "33010620260001"),
    ("zhifa2", "zhifa2-demo", "李执法", "33010620260002"),
    ("zhifa3", "zhifa3-demo", "陈执法", "33010620260003"),
)
"""Demo inspectors: login, password, name, law-enforcement certificate number."""
OFFICER: Final = "xihu"
"""The county officer (accounts demo) who reviews and decides the cases the inspectors file."""
FINDINGS: Final = (
    ("废气排放口颗粒物浓度超过排污许可限值", "orange"),
    ("危险废物贮存场所未设置标识、台账不全", "yellow"),
    ("污染防治设施未正常运行", "red"),
)
STAGES: Final = (
    ("filed", 10, "未按排污许可证规定报送执行报告案"),
    ("investigating", 100, "超标排放水污染物案（已超办案期限）"),
    ("investigating", 85, "未批先建案（已延长办案期限）"),
    ("reviewing", 60, "危险废物贮存不规范案"),
    ("notified", 50, "自动监测设备不正常运行案"),
    ("hearing", 45, "未依法公开环境信息案"),
    ("decided", 40, "超标排放大气污染物案"),
    ("served", 35, "噪声超标排放案"),
    ("executing", 70, "拒不改正超标排放案（按日连续处罚）"),
    ("closed", 120, "无证排污案"),
)
"""Cases of the demo: the stage it stops in, days since 立案, title."""
PATH: Final = (
    "investigate",
    "submit_review",
    "notify",
    "request_hearing",
    "decide",
    "serve",
    "execute",
    "close",
)
DRAWN_DAYS_AGO: Final = 130
"""The draw ran this many days before today; its inspections five days later, before any case."""
FINE: Final = Decimal("100000.00")
BASIS: Final = "《中华人民共和国水污染防治法》第八十三条"


def load(db: Database) -> list[str]:
    """Load the enforcement demo (once); returns the inspector logins to show."""
    logins = [f"  {u} / {p} — 执法人员 {n}，{REGION}" for u, p, n, _ in INSPECTORS]
    with db.transaction(SYSTEM) as session:
        done = session.scalar(select(func.count()).where(Draw.title == DRAW_TITLE))
    if done:
        return ["enforcement: demo already loaded (模拟数据)", *logins]
    today = clock.today()
    people = _people(db)
    officer = _principal(db, OFFICER)
    draws.sync_directory(db, officer, REGION)
    _checklist(db)
    with clock.frozen(today - timedelta(days=DRAWN_DAYS_AGO)):
        draw_id = draws.create_draw(db, officer, REGION, DRAW_TITLE, DRAW_RULES, seed=DRAW_SEED)
        draws.publish_hash(db, officer, draw_id)
        tasks = draws.run_draw(db, officer, draw_id)
        draws.publish_result(db, officer, draw_id)
    with clock.frozen(today - timedelta(days=DRAWN_DAYS_AGO - 5)):
        findings = _inspections(db, people, draw_id)
    filed = _cases(db, people[0], officer, findings, today)
    cases.tick(db, today)
    graded = _credit(db, today)
    summary = (
        f"enforcement: {tasks} drawn tasks, {len(findings)} findings, {filed} cases, "
        f"{graded} credit grades in {REGION} (模拟数据); inspector logins:"
    )
    return [summary, *logins]


def _people(db: Database) -> list[Principal]:
    """The inspectors' logins and pool entries (created when missing)."""
    with db.transaction(SYSTEM) as session:
        existing = set(session.scalars(select(User.username)))
    for username, password, name, _ in INSPECTORS:
        if username not in existing:
            create_user(
                db,
                SYSTEM,
                username=username,
                password=password,
                role=Role.COUNTY_OFFICER,
                region_code=REGION,
                display_name=f"{name}（{UNIT}）",
            )
    people = [_principal(db, username) for username, *_ in INSPECTORS]
    for person, (_, _, name, certificate) in zip(people, INSPECTORS, strict=True):
        draws.add_inspector(
            db,
            SYSTEM,
            draws.NewInspector(
                REGION, name, certificate, UNIT, ("执法证",), user_id=person.user_id
            ),
        )
    return people


def _principal(db: Database, username: str) -> Principal:
    with db.transaction(SYSTEM) as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None, f"demo user {username} is missing (load accounts first)"
        return principal_for(user)


def _checklist(db: Database) -> None:
    with db.transaction(SYSTEM) as session:
        present = session.scalar(
            select(Checklist.id).where(
                Checklist.industry_prefix == "*", Checklist.check_type == "routine"
            )
        )
    if present is None:
        inspections.add_checklist(
            db,
            SYSTEM,
            "*",
            "routine",
            "日常监督检查表",
            [
                ("permit", "持证排污，按证载要求排放"),
                ("facility", "污染防治设施正常运行"),
                ("waste", "危险废物规范化管理"),
            ],
        )


def _inspections(db: Database, people: list[Principal], draw_id: int) -> list[int]:
    """The first drawn tasks inspected by their first inspector; findings on three of them.
    Returns the finding ids."""
    with db.transaction(SYSTEM) as session:
        by_inspector = {i.id: i.user_id for i in session.scalars(select(Inspector))}
        tasks = session.scalars(
            select(InspectionTask)
            .where(InspectionTask.draw_id == draw_id)
            .order_by(InspectionTask.id)
        ).all()
        jobs = [(t.id, t.inspector_ids[0]) for t in tasks[:5]]
    by_user = {p.user_id: p for p in people}
    for number, (task_id, inspector_id) in enumerate(jobs):
        who = by_user[by_inspector[inspector_id]]
        problem = FINDINGS[number] if number < len(FINDINGS) else None
        answers = {"permit": "ok", "facility": "problem" if problem else "ok", "waste": "ok"}
        found = [inspections.NewFinding(problem[0], problem[1], "facility")] if problem else []
        inspections.record(
            db, who, inspections.NewInspection(task_id, "routine", answers, found, note="演示检查")
        )
    with db.transaction(SYSTEM) as session:
        return list(session.scalars(select(Finding.id).order_by(Finding.id)))


def _cases(
    db: Database,
    filer: Principal,
    officer: Principal,
    findings: list[int],
    today: date,
) -> int:
    """One case per stage of :data:`STAGES`, the first ones filed on the findings; documents
    added as each move needs them."""
    with db.transaction(SYSTEM) as session:
        firms = list(
            session.scalars(
                select(InspectionObject.enterprise_id)
                .where(InspectionObject.region_code == REGION)
                .order_by(InspectionObject.id)
            )
        )
    for number, (stage, age, title) in enumerate(STAGES):
        start = today - timedelta(days=age)
        with clock.frozen(start):
            if number < len(findings):
                case_id = inspections.to_case(db, filer, findings[number], title)
            else:
                enterprise = firms[number % len(firms)]
                assert enterprise is not None
                case_id = cases.file_case(db, filer, cases.NewCase(enterprise, title))
        steps = PATH[: PATH.index(_last_move(stage)) + 1] if stage != "filed" else ()
        day = start
        for move in steps:
            if move == "request_hearing" and stage != "hearing":
                continue
            day += timedelta(days=3)
            with clock.frozen(day):
                _move(db, officer, case_id, move)
        if "延长" in title:
            _document(db, filer, case_id, cases.EXTENSION_DOCUMENT)
            with clock.frozen(start + timedelta(days=80)):
                cases.act(
                    db, officer, case_id, cases.EXTEND, "需补充环境影响鉴定，经负责人批准延长"
                )
        if "按日" in title:
            served = start + timedelta(days=20)
            rounds = [Round(served, served + timedelta(days=12))]
            cases.record_daily_penalty(db, officer, case_id, rounds)
    return len(STAGES)


def _last_move(stage: str) -> str:
    """The move that brings a case into ``stage``."""
    return {
        "investigating": "investigate",
        "reviewing": "submit_review",
        "notified": "notify",
        "hearing": "request_hearing",
        "decided": "decide",
        "served": "serve",
        "executing": "execute",
        "closed": "close",
    }[stage]


def _move(db: Database, officer: Principal, case_id: int, move: str) -> None:
    needed = cases.NEEDS_DOCUMENT.get(move)
    if needed is not None:
        _document(db, officer, case_id, needed)
    decision = cases.Decision(FINE, BASIS) if move == "decide" else None
    cases.act(db, officer, case_id, move, decision=decision)


def _document(db: Database, who: Principal, case_id: int, kind: str) -> None:
    name = cases.DOCUMENTS[kind][0]
    content = f"{name}（演示文书，模拟数据）".encode()
    cases.add_document(db, who, case_id, kind, f"{name}.txt", "text/plain", content)


def _credit(db: Database, today: date) -> int:
    """Grades of the directory's enterprises from the demo's findings and cases (the engine
    under the national rules); each stored with its traced points. Returns how many."""
    with db.transaction(SYSTEM) as session:
        ids = [str(e) for e in session.scalars(select(InspectionObject.enterprise_id))]
        records = [
            (
                str(f.enterprise_id),
                "discharge_compliance",
                today,
                1.0,
                f"finding:{f.id}",
                "现场检查",
            )
            for f in session.scalars(select(Finding))
        ] + [
            (
                str(c.enterprise_id),
                "administrative_penalty",
                c.decided_on,
                1.0,
                f"case:{c.id}",
                "行政处罚",
            )
            for c in session.scalars(select(PenaltyCase).where(PenaltyCase.decided_on.is_not(None)))
        ]
    evidence = pl.DataFrame(records, schema=EVIDENCE_SCHEMA, orient="row")
    method = NATIONAL_RULES.credit
    result = rate(evidence, method, enterprises=ids)
    traces: dict[str, list[TracedPoint]] = {}
    for row in result.trace.iter_rows(named=True):
        point = TracedPoint(
            row["indicator"], -float(row["deducted"]), row["evidence_id"], row["kind"] == "veto"
        )
        traces.setdefault(row["enterprise_id"], []).append(point)
    for row in result.grades.iter_rows(named=True):
        record_evaluation(
            db,
            Evaluation(
                int(row["enterprise_id"]),
                NATIONAL_RULES.name,
                row["grade"],
                row["score"],
                traces.get(row["enterprise_id"], []),
            ),
            today,
        )
    return result.grades.height
