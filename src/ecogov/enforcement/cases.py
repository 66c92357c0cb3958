"""Administrative penalty cases (行政处罚) on the platform's state-machine engine.

The ordinary procedure of 《生态环境行政处罚办法》 (部令第30号, GOVERNANCE.md §3.1 PUN-NEWS):
立案 → 调查取证 → 案件审查 → 告知 (→ 听证) → 决定 → 送达 → 执行 → 结案, and withdrawal (撤销立案)
before the notice. Who moves a case: officers of its region (``executor``, as for plans items); the
notice and the decision are refused to the officer who filed the case (审查与调查分离, four-eyes).
The decision, the service and the closing each need their document (处罚决定书, 送达回证,
执行记录).

Statutory clocks (dates on the case, set as it moves; the limits are the cited data of
:mod:`ecogov.standards.enforcement.penalty`, GOVERNANCE.md §3.2 APL):

* decision within 90 days of 立案 (行政处罚法 Art. 60; 处罚办法 Art. 57) — ``decision_due``;
* service within 7 working days of the decision (Art. 61, days of Art. 85) — ``service_due``;
* payment within 15 days of service (Art. 67) — ``payment_due``.

A clock that runs out fires the scheduler's self-move ``flag_overdue`` (recorded once per clock)
and publishes a red alert to the inbox; within :data:`WARN_DAYS` of its end a yellow warning.

The decision limit may be extended (案件办理期限延长, 处罚办法 Art. 57): first by at most 30 days
with the head's approval (负责人批准), then by at most 30 more by collective discussion
(集体讨论决定) — the ``extensions`` and ``approvals`` of the cited limit. An extension is the move
:func:`extend_move` of the case's state: it needs the reason, an approval document
(``extension_approval``) per extension, someone other than the filer, and a clock not yet run
out; it moves ``decision_due``. Suspended time (中止调查) is not modelled.

A decided case may record its daily continuous penalty (按日连续处罚, 按日连续处罚办法 Arts. 7,
17–20): the original fine and the re-inspection rounds, computed by
:func:`ecogov.standards.enforcement.penalty.daily_penalty` (:func:`record_daily_penalty`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.enforcement import credit
from ecogov.enforcement.access import ENFORCEMENT
from ecogov.enforcement.models import CaseDocument, CaseEvent, DailyPenalty, PenaltyCase
from ecogov.plans.workflow import Actor
from ecogov.platform import alerts
from ecogov.platform.clock import today as clock_today
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import SYSTEM, Principal
from ecogov.platform.statemachine import Labels, Machine, Move, TimeLimit, check_move, sweep
from ecogov.platform.uploads import base_name
from ecogov.sources.models import Enterprise
from ecogov.standards.enforcement.penalty import (
    DailyPenaltyError,
    ProcedureLimit,
    Round,
    RoundResult,
    daily_penalty,
    procedure_limit,
)
from ecogov.standards.workdays import add_working_days

DECISION: Final = procedure_limit("decision")
"""行政处罚法 Art. 60, 处罚办法 Art. 57: decide within 90 days of 立案."""
SERVICE: Final = procedure_limit("service")
"""行政处罚法 Art. 61 (working days by Art. 85): serve the decision within 7 days."""
PAYMENT: Final = procedure_limit("payment")
"""行政处罚法 Art. 67: pay within 15 days of receiving the decision."""
WARN_DAYS: Final = 5
"""Days before a clock's end from which a yellow warning is published (a design choice)."""

STATES: Final[dict[str, Labels]] = {
    "filed": ("立案", "Filed"),
    "investigating": ("调查取证", "Investigating"),
    "reviewing": ("案件审查", "Under review"),
    "notified": ("告知", "Notified"),
    "hearing": ("听证", "Hearing"),
    "decided": ("决定", "Decided"),
    "served": ("送达", "Served"),
    "executing": ("执行", "Executing"),
    "closed": ("结案", "Closed"),
}
MOVES: Final[dict[str, Labels]] = {
    "investigate": ("开始调查取证", "Start investigating"),
    "submit_review": ("提交案件审查", "Submit for review"),
    "return_investigation": ("退回补充调查", "Return for more investigation"),
    "notify": ("送达告知书", "Notify the party"),
    "request_hearing": ("当事人申请听证", "Party requests a hearing"),
    "decide": ("作出处罚决定", "Decide"),
    "serve": ("送达决定书", "Serve the decision"),
    "execute": ("进入执行", "Start execution"),
    "close": ("结案", "Close"),
    "withdraw": ("撤销立案", "Withdraw"),
    "flag_overdue": ("超过法定时限", "Past the statutory time limit"),
    "extend": ("延长办案期限", "Extend the decision limit"),
}
DOCUMENTS: Final[dict[str, Labels]] = {
    "filing": ("立案审批表", "Filing approval"),
    "record": ("调查询问笔录", "Investigation record"),
    "notice": ("行政处罚事先告知书", "Prior notice"),
    "hearing": ("听证笔录", "Hearing record"),
    "decision": ("行政处罚决定书", "Penalty decision"),
    "service_receipt": ("送达回证", "Proof of service"),
    "execution": ("执行记录（缴款凭证）", "Execution record (payment receipt)"),
    "extension_approval": (
        "延长办案期限审批表（集体讨论记录）",
        "Extension approval (or collective-discussion record)",
    ),
    "other": ("其他材料", "Other"),
}
NEEDS_DOCUMENT: Final = {"decide": "decision", "serve": "service_receipt", "close": "execution"}
"""The document a move needs on the case before it is allowed."""

_BEFORE_DECISION = ("filed", "investigating", "reviewing", "notified", "hearing")
_CLOCK_OF: Final[dict[str, tuple[str, Labels]]] = {
    **dict.fromkeys(
        _BEFORE_DECISION,
        ("decision_due", ("立案之日起90日内作出处罚决定", "decide within 90 days of filing")),
    ),
    "decided": ("service_due", ("决定后7个工作日内送达", "serve within 7 working days")),
    "served": ("payment_due", ("送达之日起15日内缴纳罚款", "pay within 15 days of service")),
    "executing": ("payment_due", ("送达之日起15日内缴纳罚款", "pay within 15 days of service")),
}
"""The statutory clock running in each state: the case's date attribute and what is due."""


def overdue_move(state: str) -> str:
    """The scheduler's self-move of ``state`` fired when its clock runs out."""
    return f"overdue_{state}"


EXTEND: Final = "extend"
"""The action name of an extension of the decision limit, whatever the state."""
EXTENSION_DOCUMENT: Final = "extension_approval"
"""The document each extension needs (one more per extension)."""
DAILY_PENALTY_STATES: Final = frozenset({"decided", "served", "executing"})
"""States in which a daily penalty may be recorded: after the original decision (DAILY Art. 7)."""


def extend_move(state: str) -> str:
    """The extension move of ``state`` (it stays in the state; the decision clock moves)."""
    return f"{EXTEND}_{state}"


_CLOCKS: Final = tuple(
    TimeLimit(state, overdue_move(state), deadline=attribute, label=label)
    for state, (attribute, label) in _CLOCK_OF.items()
)


def _move(
    name: str, sources: str, target: str, *, note: bool = False, four: bool = False
) -> Move[str]:
    evidence = name in NEEDS_DOCUMENT
    return Move(name, frozenset(sources.split()), target, Actor.EXECUTOR, evidence, note, four)


_OVERDUE: Final = ("超过法定时限", "Past the statutory time limit")

CASE: Final = Machine[str](
    subject="penalty_case",
    title=("行政处罚案件", "Penalty case"),
    initial="filed",
    states=tuple(STATES),
    moves=(
        _move("investigate", "filed", "investigating"),
        _move("submit_review", "investigating", "reviewing"),
        _move("return_investigation", "reviewing", "investigating", note=True),
        _move("notify", "reviewing", "notified", four=True),
        _move("request_hearing", "notified", "hearing"),
        _move("decide", "notified hearing", "decided", four=True),
        _move("serve", "decided", "served"),
        _move("execute", "served", "executing"),
        _move("close", "executing", "closed"),
        _move("withdraw", "filed investigating reviewing", "closed", note=True),
        *(
            Move(extend_move(s), frozenset({s}), s, Actor.EXECUTOR.value, True, True, True)
            for s in _BEFORE_DECISION
        ),
        *(Move(overdue_move(s), frozenset({s}), s, Actor.SYSTEM.value) for s in _CLOCK_OF),
    ),
    state_names=STATES,
    move_names={
        **MOVES,
        **{extend_move(s): MOVES[EXTEND] for s in _BEFORE_DECISION},
        **{overdue_move(s): _OVERDUE for s in _CLOCK_OF},
    },
    finals=frozenset({"closed"}),
    limits=_CLOCKS,
)
"""The penalty-case machine (its table is in docs/workflows.md)."""

CASE_DEADLINE_KIND: Final = alerts.AlertKind(
    "enforcement.case_deadline", "案件法定时限预警", "Case time limit"
)


# --- filing and moving -------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCase:
    """What filing a case (立案) needs."""

    enterprise_id: int
    title: str
    legal_basis: str | None = None
    finding_id: int | None = None


def file_case_in(session: Session, principal: Principal, new: NewCase, today: date) -> PenaltyCase:
    """File a case in the caller's transaction (also used when a finding becomes a case)."""
    if not new.title.strip():
        raise InputError("案件名称不能为空（a case needs a title）")
    enterprise = session.get(Enterprise, new.enterprise_id)
    if enterprise is None:
        raise NotFound(f"未找到企业 {new.enterprise_id}（no enterprise {new.enterprise_id}）")
    authorize(principal, "create", ENFORCEMENT, enterprise)
    case = PenaltyCase(
        region_code=enterprise.region_code,
        enterprise_id=enterprise.enterprise_id,
        case_no="",
        title=new.title.strip(),
        legal_basis=new.legal_basis,
        finding_id=new.finding_id,
        filed_on=today,
        decision_due=limit_end(DECISION, today),
        filed_by=principal.username,
    )
    session.add(case)
    session.flush()
    case.case_no = f"{case.region_code}-{today.year}-{case.id:05d}"
    _event(session, case, "file", "filed", principal.username, None)
    return case


def file_case(db: Database, principal: Principal, new: NewCase) -> int:
    """File a case (立案) against an enterprise; its decision clock starts today."""
    with db.transaction(principal, action="enforcement.case.file") as session:
        return file_case_in(session, principal, new, clock_today()).id


def _event(
    session: Session, case: PenaltyCase, move: str, target: str, actor: str, note: str | None
) -> None:
    session.add(
        CaseEvent(
            region_code=case.region_code,
            enterprise_id=case.enterprise_id,
            case_id=case.id,
            move=move,
            from_state=case.state if move != "file" else "",
            to_state=target,
            actor=actor,
            note=note,
        )
    )


def _load(session: Session, case_id: int) -> PenaltyCase:
    case = session.get(PenaltyCase, case_id)
    if case is None:
        raise NotFound(f"未找到案件 {case_id}（no case {case_id}）")
    return case


def _documents_of(session: Session, case_id: int, kind: str) -> int:
    found = session.scalars(
        select(CaseDocument.id).where(CaseDocument.case_id == case_id, CaseDocument.kind == kind)
    ).all()
    return len(found)


def _has_evidence(session: Session, case: PenaltyCase, action: str) -> bool:
    """Whether the case holds the document ``action`` needs (an extension: one approval per
    extension, this one included)."""
    if action.startswith(f"{EXTEND}_"):
        return _documents_of(session, case.id, EXTENSION_DOCUMENT) > case.extensions
    needed = NEEDS_DOCUMENT.get(action)
    return needed is not None and _documents_of(session, case.id, needed) > 0


@dataclass(frozen=True)
class Decision:
    """What the decision (决定) states: the fine and its legal basis."""

    fine_yuan: Decimal
    legal_basis: str


def act(
    db: Database,
    principal: Principal,
    case_id: int,
    action: str,
    note: str | None = None,
    decision: Decision | None = None,
    extension_days: int | None = None,
) -> str:
    """Make the move ``action`` on a case; returns its new state. ``extend`` is the extension
    move of the case's state (``extension_days``: default the most the rules allow for it).
    Refused (with the reason, zh-CN first) when the machine does not allow it now, the principal
    may not make it, its document or note is missing, a decision lacks its fine and legal
    basis, or an extension is one too many, too long or too late."""
    authorize(principal, "advance", ENFORCEMENT)
    audited = EXTEND if action.startswith(EXTEND) else action
    with db.transaction(principal, action=f"enforcement.case.{audited}") as session:
        case = _load(session, case_id)
        authorize(principal, "advance", ENFORCEMENT, case)
        if action == EXTEND:
            if case.state not in _BEFORE_DECISION:
                raise Conflict(
                    f"案件处于“{CASE.state_name(case.state)}”阶段，只有作出处罚决定前可以延长办案期限"
                    f"（the decision limit can be extended only before the decision）"
                )
            action = extend_move(case.state)
        move = check_move(
            CASE,
            action,
            case.state,
            principal,
            case.region_code,
            has_evidence=_has_evidence(session, case, action),
            note=note,
            requested_by=case.filed_by,
        )
        today = clock_today()
        if move.name.startswith(f"{EXTEND}_"):
            note = _extend(case, extension_days, today, note or "")
        _apply(case, action, decision, today)
        _event(session, case, action, move.target, principal.username, note)
        case.state = move.target
        enterprise_id = case.enterprise_id
    if move.target in CREDIT_EVIDENCE_STATES and enterprise_id is not None:
        credit.evaluate(db, [enterprise_id])
    return move.target


CREDIT_EVIDENCE_STATES: Final = frozenset({"decided", "served", "executing", "closed"})
"""States whose reaching changes the enterprise's credit evidence (a decision, a payment clock,
its execution): the grade is evaluated again."""


def _extend(case: PenaltyCase, days: int | None, today: date, reason: str) -> str:
    """Extend the decision limit by ``days`` (default: the most allowed); returns the event's
    note (the approval, the days and the reason)."""
    allowed = DECISION.extensions
    if case.extensions >= len(allowed):
        raise Conflict(
            f"办案期限已延长 {case.extensions} 次，不能再延长（最长 "
            f"{DECISION.days + sum(allowed)} 日，{DECISION.basis}）"
            f"（no further extension: {DECISION.days + sum(allowed)} days at most）"
        )
    most = allowed[case.extensions]
    days = most if days is None else days
    if not 1 <= days <= most:
        raise InputError(
            f"第 {case.extensions + 1} 次延长应为 1 至 {most} 日，收到 {days}"
            f"（extension {case.extensions + 1}: 1–{most} days）"
        )
    assert case.decision_due is not None
    if today > case.decision_due:
        raise Conflict(
            f"办案期限已于 {case.decision_due.isoformat()} 届满，须在届满前批准延长"
            f"（the limit ran out on {case.decision_due.isoformat()}: extend before it ends）"
        )
    approval = DECISION.approvals[case.extensions]
    case.extensions += 1
    case.extended_days += days
    case.decision_due += timedelta(days=days)
    return f"第 {case.extensions} 次延长 {days} 日（{approval}），至 {case.decision_due}：{reason}"


def _apply(case: PenaltyCase, action: str, decision: Decision | None, today: date) -> None:
    """What a move sets on the case besides its state: the decision's amount and basis and its
    publication, and the next statutory clock."""
    if action == "decide":
        if decision is None or decision.fine_yuan < 0 or not decision.legal_basis.strip():
            raise InputError(
                "作出处罚决定须填写罚款金额（元，不小于0）和法律依据"
                "（a decision needs the fine in yuan, not negative, and its legal basis）"
            )
        case.fine_yuan = decision.fine_yuan
        case.legal_basis = decision.legal_basis.strip()
        case.decided_on = today
        case.service_due = limit_end(SERVICE, today)
        case.published = True
    elif action == "serve":
        case.served_on = today
        case.payment_due = limit_end(PAYMENT, today)
    elif action in ("close", "withdraw"):
        case.closed_on = today


def limit_end(limit: ProcedureLimit, start: date) -> date:
    """The last day of a statutory limit counted from ``start`` (working or calendar days, as
    the limit says; extensions are not applied)."""
    if limit.working:
        return add_working_days(start, limit.days)
    return start + timedelta(days=limit.days)


def add_document(
    db: Database,
    principal: Principal,
    case_id: int,
    kind: str,
    filename: str,
    content_type: str,
    content: bytes,
) -> int:
    """Attach a document of ``kind`` (:data:`DOCUMENTS`) to a case."""
    if kind not in DOCUMENTS:
        known = "、".join(f"{k}（{v[0]}）" for k, v in DOCUMENTS.items())
        raise InputError(f"文书类型“{kind}”无效，可选：{known}（unknown document kind）")
    if not content:
        raise InputError(f"{filename}：文件为空（empty file）")
    with db.transaction(principal, action="enforcement.case.document") as session:
        case = _load(session, case_id)
        authorize(principal, "update", ENFORCEMENT, case)
        document = CaseDocument(
            region_code=case.region_code,
            enterprise_id=case.enterprise_id,
            case_id=case.id,
            kind=kind,
            filename=base_name(filename, "document"),
            content_type=content_type,
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            added_by=principal.username,
        )
        session.add(document)
        session.flush()
        return document.id


# --- daily continuous penalty (按日连续处罚) ---------------------------------------------------


@dataclass(frozen=True)
class DailyPenaltyView:
    """A case's daily continuous penalty: its inputs and the computation, round by round."""

    case_id: int
    original_fine_yuan: Decimal
    discharge_stopped: bool
    rounds: tuple[RoundResult, ...]
    days: int
    amount_yuan: Decimal
    basis: str
    recorded_by: str


def _yuan(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def record_daily_penalty(
    db: Database,
    principal: Principal,
    case_id: int,
    rounds: Sequence[Round],
    original_fine_yuan: Decimal | None = None,
    *,
    discharge_stopped: bool = False,
) -> DailyPenaltyView:
    """Record (or correct) the daily continuous penalty of a decided case: the original fine
    (default: the case's fine) and the rounds of 责令改正 order served → re-inspection finding
    the violation, computed by the standard's :func:`daily_penalty` (DAILY Arts. 17–20).
    Refused before the original decision (DAILY Art. 7) and on inputs the rules reject."""
    authorize(principal, "update", ENFORCEMENT)
    with db.transaction(principal, action="enforcement.case.daily_penalty") as session:
        case = _load(session, case_id)
        authorize(principal, "update", ENFORCEMENT, case)
        if case.state not in DAILY_PENALTY_STATES:
            raise Conflict(
                f"案件处于“{CASE.state_name(case.state)}”阶段：按日连续处罚须在原处罚决定作出后"
                "（按日连续处罚办法第七条）（a daily penalty follows the original decision）"
            )
        fine = original_fine_yuan if original_fine_yuan is not None else case.fine_yuan
        if fine is None:
            raise InputError("须填写原处罚数额（元）（the original fine is needed）")
        try:
            computed = daily_penalty(float(fine), rounds, discharge_stopped=discharge_stopped)
        except DailyPenaltyError as error:
            raise InputError(f"{error.zh}（{error.en}）") from None
        row = session.scalar(select(DailyPenalty).where(DailyPenalty.case_id == case.id))
        if row is None:
            row = DailyPenalty(
                region_code=case.region_code, enterprise_id=case.enterprise_id, case_id=case.id
            )
            session.add(row)
        row.original_fine_yuan = Decimal(fine).quantize(Decimal("0.01"))
        row.rounds = [
            {
                "order_served": r.order_served.isoformat(),
                "violation_found": r.violation_found.isoformat(),
            }
            for r in rounds
        ]
        row.discharge_stopped = discharge_stopped
        row.days = computed.days
        row.amount_yuan = _yuan(computed.amount)
        row.basis = computed.basis
        row.recorded_by = principal.username
        session.flush()
        return _daily_view(row)


def _daily_view(row: DailyPenalty) -> DailyPenaltyView:
    rounds = [
        Round(date.fromisoformat(r["order_served"]), date.fromisoformat(r["violation_found"]))
        for r in row.rounds
    ]
    computed = daily_penalty(
        float(row.original_fine_yuan), rounds, discharge_stopped=row.discharge_stopped
    )
    return DailyPenaltyView(
        row.case_id,
        row.original_fine_yuan,
        row.discharge_stopped,
        computed.rounds,
        row.days,
        row.amount_yuan,
        row.basis,
        row.recorded_by,
    )


def daily_penalty_of(db: Database, principal: Principal, case_id: int) -> DailyPenaltyView | None:
    """The case's recorded daily continuous penalty (None: none recorded)."""
    authorize(principal, "read", ENFORCEMENT)
    with db.transaction(principal) as session:
        _load(session, case_id)
        row = session.scalar(select(DailyPenalty).where(DailyPenalty.case_id == case_id))
        return None if row is None else _daily_view(row)


# --- clocks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """The statutory clock a case is running: what is due, by when, days left (negative: late)."""

    due: str
    due_en: str
    end: date
    days_left: int


def clock_of(case: PenaltyCase, today: date) -> Clock | None:
    """The clock of the case's state on ``today`` (None: no clock runs, e.g. closed)."""
    for limit in CASE.limits:
        if limit.state == case.state:
            end = limit.end(case)
            if end is None or limit.label is None:
                return None
            return Clock(limit.label[0], limit.label[1], end, (end - today).days)
    return None


@dataclass(frozen=True)
class Tick:
    """What one run of the clocks did: cases flagged overdue, warnings and alerts published."""

    overdue: tuple[int, ...]
    warned: tuple[int, ...]


def tick(db: Database, today: date | None = None) -> Tick:
    """Run the case clocks at ``today`` (default: the settable clock): flag each case whose
    clock ran out (once per clock and state) and publish a red alert for it; publish a yellow
    warning for cases within :data:`WARN_DAYS` of their clock's end. Idempotent."""
    today = today or clock_today()
    overdue, warned, drafts = [], [], []
    with db.transaction(SYSTEM, action="enforcement.case.clock") as session:
        cases = session.scalars(select(PenaltyCase).where(PenaltyCase.state != "closed")).all()
        clocks = sweep(CASE, cases, today, days_left=_days_left(today), warn_days=WARN_DAYS)
        for due in clocks.late:
            case = due.subject
            if not _flagged(session, case.id, due.move.name):
                _event(session, case, due.move.name, case.state, SYSTEM.username, None)
                overdue.append(case.id)
            drafts.append(_draft(case, today, "red"))
        for case in clocks.warned:
            warned.append(case.id)
            drafts.append(_draft(case, today, "yellow"))
    alerts.publish(db, drafts)
    return Tick(tuple(overdue), tuple(warned))


def _days_left(today: date) -> Callable[[PenaltyCase], int | None]:
    def days_left(case: PenaltyCase) -> int | None:
        clock = clock_of(case, today)
        return None if clock is None else clock.days_left

    return days_left


def _flagged(session: Session, case_id: int, move: str) -> bool:
    found = session.scalar(
        select(CaseEvent.id).where(CaseEvent.case_id == case_id, CaseEvent.move == move)
    )
    return found is not None


def _draft(case: PenaltyCase, today: date, severity: str) -> alerts.AlertDraft:
    clock = clock_of(case, today)
    assert clock is not None
    verb = alerts.days_left_words(clock.days_left)
    start, end = alerts.clock_window(datetime.combine(case.filed_on, time(), tzinfo=UTC), today)
    return alerts.AlertDraft(
        kind=CASE_DEADLINE_KIND.key,
        severity=severity,
        title=f"案件 {case.case_no}“{clock.due}”时限 {clock.end.isoformat()}，{verb}",
        region_code=case.region_code,
        window_start=start,
        window_end=end,
        dedupe_key=f"enforcement.case:{case.id}:{case.state}",
        evidence={
            "case_no": case.case_no,
            "due": clock.end.isoformat(),
            "days_left": clock.days_left,
        },
        link=f"/enforcement/cases/{case.id}",
        enterprise_id=case.enterprise_id,
    )


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """A line of the case ledger (案件台账): the case, its state and its running clock."""

    id: int
    case_no: str
    title: str
    enterprise_id: int | None
    region_code: str
    state: str
    state_name: str
    fine_yuan: Decimal | None
    filed_on: date
    clock: Clock | None
    extensions: int = 0
    extended_days: int = 0
    daily_days: int | None = None
    """Days of the recorded daily continuous penalty (None: none recorded)."""
    daily_amount_yuan: Decimal | None = None


def ledger(db: Database, principal: Principal, state: str | None = None) -> list[LedgerRow]:
    """The cases the principal may read (their region; an enterprise its own), newest first."""
    authorize(principal, "read", ENFORCEMENT)
    today = clock_today()
    with db.transaction(principal) as session:
        query = select(PenaltyCase).order_by(PenaltyCase.id.desc())
        if state is not None:
            query = query.where(PenaltyCase.state == state)
        daily = {d.case_id: d for d in session.scalars(select(DailyPenalty))}
        return [
            LedgerRow(
                c.id,
                c.case_no,
                c.title,
                c.enterprise_id,
                c.region_code,
                c.state,
                CASE.state_name(c.state),
                c.fine_yuan,
                c.filed_on,
                clock_of(c, today),
                c.extensions,
                c.extended_days,
                daily[c.id].days if c.id in daily else None,
                daily[c.id].amount_yuan if c.id in daily else None,
            )
            for c in session.scalars(query)
        ]


def events(db: Database, principal: Principal, case_id: int) -> Sequence[CaseEvent]:
    """Every move of a case, oldest first."""
    authorize(principal, "read", ENFORCEMENT)
    with db.transaction(principal) as session:
        _load(session, case_id)
        rows = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        ).all()
        session.expunge_all()
        return rows
