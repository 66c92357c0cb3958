"""Enforcement domain (执法监管): environmental credit rating, verifiable double-random
inspections, inspection records, penalty cases and off-site targeting by risk
(GOVERNANCE.md §2–§3)."""

from __future__ import annotations

from pathlib import Path

from ecogov.enforcement import api, cli, pages
from ecogov.enforcement.access import ENFORCEMENT, KINDS
from ecogov.enforcement.cases import CASE_DEADLINE_KIND
from ecogov.enforcement.inspections import FINDING_KIND
from ecogov.platform.plugins import Domain, NavItem

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="enforcement",
    models="ecogov.enforcement.models",
    migrations=_HERE / "migrations",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    templates=_HERE / "templates",
    nav=(NavItem("nav.enforcement", "/enforcement", order=45, requires=("read", ENFORCEMENT.key)),),
    permissions=KINDS,
    alert_kinds=(CASE_DEADLINE_KIND, FINDING_KIND),
    messages={
        "nav.enforcement": ("执法监管", "Enforcement"),
        "audit.entity.enf_object": ("抽查对象", "Inspection object"),
        "audit.entity.enf_inspector": ("执法人员", "Inspector"),
        "audit.entity.enf_draw": ("双随机抽查", "Draw"),
        "audit.entity.enf_task": ("检查任务", "Inspection task"),
        "audit.entity.enf_checklist": ("检查表", "Checklist"),
        "audit.entity.enf_inspection": ("现场检查", "Inspection"),
        "audit.entity.enf_photo": ("检查照片", "Inspection photo"),
        "audit.entity.enf_finding": ("检查发现问题", "Finding"),
        "audit.entity.enf_case": ("行政处罚案件", "Penalty case"),
        "audit.entity.enf_case_event": ("案件办理记录", "Case event"),
        "audit.entity.enf_case_document": ("案件文书", "Case document"),
        "audit.entity.enf_credit": ("信用评价", "Credit evaluation"),
        "audit.entity.enf_credit_point": ("信用评价扣分项", "Credit point"),
        "audit.entity.enf_credit_repair": ("信用修复申请", "Credit repair"),
        "enf.cases_by_state": ("案件办理阶段", "Cases by stage"),
        "enf.late": ("超期", "Late"),
        "enf.ledger": ("案件台账", "Case ledger"),
        "enf.export": ("导出", "Export"),
        "enf.case_no": ("案件编号", "Case no."),
        "enf.case": ("案件名称", "Case"),
        "enf.cases": ("行政处罚案件", "Penalty cases"),
        "enf.stage": ("办理阶段", "Stage"),
        "enf.due": ("法定时限事项", "Due"),
        "enf.deadline": ("时限截止日", "Deadline"),
        "enf.days_left": ("剩余天数", "Days left"),
        "enf.fine": ("罚款金额（元）", "Fine (yuan)"),
        "enf.legal_basis": ("法律依据", "Legal basis"),
        "enf.filed_on": ("立案日期", "Filed on"),
        "enf.filed": ("立案", "Filed"),
        "enf.draws": ("双随机抽查", "Draws"),
        "enf.draw": ("抽查名称", "Draw"),
        "enf.draw_title": ("抽查名称", "Title"),
        "enf.new_draw": ("新建抽查", "New draw"),
        "enf.status": ("状态", "Status"),
        "enf.publish_due": ("结果公开截止", "Publish by"),
        "enf.draw.planned": ("待公布哈希", "Planned"),
        "enf.draw.hash_published": ("已公布种子哈希", "Seed hash published"),
        "enf.draw.drawn": ("已抽取", "Drawn"),
        "enf.draw.published": ("已公开结果和种子", "Published"),
        "enf.step.hash": ("① 公布随机种子的 SHA-256 哈希", "① Seed SHA-256 published"),
        "enf.step.draw": ("② 抽取对象和执法人员", "② Objects and inspectors drawn"),
        "enf.step.reveal": ("③ 公开种子和抽取结果", "③ Seed and result published"),
        "enf.next.publish-hash": ("公布种子哈希", "Publish the seed hash"),
        "enf.next.run": ("开始抽取", "Run the draw"),
        "enf.next.publish-result": ("公开种子和结果", "Publish seed and result"),
        "enf.verify": (
            "任何人可用公开的名录库、执法人员库、规则和种子运行 "
            "ecogov enforcement verify-draw 核验本结果",
            "Anyone can check this result with ecogov enforcement verify-draw on the published "
            "directory, pool, rules and seed",
        ),
        "enf.tasks": ("检查任务", "Inspection tasks"),
        "enf.enterprise": ("企业", "Enterprise"),
        "enf.category": ("监管类别", "Category"),
        "enf.category.key": ("重点监管对象", "Key"),
        "enf.category.general": ("一般监管对象", "General"),
        "enf.category.special": ("特殊监管对象", "Special"),
        "enf.grade": ("信用等级", "Credit grade"),
        "enf.unrated": ("未评价", "Unrated"),
        "enf.inspectors": ("执法人员", "Inspectors"),
        "enf.inspector": ("执法人员", "Inspector"),
        "enf.unit": ("所在单位", "Unit"),
        "enf.workload": ("执法人员工作量", "Inspector workload"),
        "enf.open": ("待检查", "Open"),
        "enf.done": ("已完成", "Done"),
        "enf.overdue": ("已逾期", "Overdue"),
        "enf.note": ("理由说明", "Note"),
        "enf.history": ("办理记录", "History"),
        "enf.when": ("时间", "When"),
        "enf.move": ("操作", "Move"),
        "enf.who": ("办理人", "Who"),
        "enf.credit": ("信用评价记录", "Credit history"),
        "enf.score": ("得分", "Score"),
        "enf.points": ("扣分依据", "Traced points"),
        "enf.veto": ("一票否决", "veto"),
        "enf.inspections": ("现场检查记录", "Inspections"),
        "enf.findings": ("发现问题", "Findings"),
        "enf.no_findings": ("未发现问题", "No findings"),
    },
)
