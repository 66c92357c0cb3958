"""Penalty procedure time limits (GOVERNANCE.md §3.1–§3.2, §3.4) and the daily continuous penalty
(按日连续处罚, §3.3) as data and pure functions.

Every limit carries its basis and validity: the single laws apply to events before the
《生态环境法典》 takes effect on 2026-08-15 (§0); after it the Code applies, whose article
mapping is known only for 按日连续处罚 (Art. 1060, [1] CODE-ECOLAW) — the other rows keep their
basis (MEE rules were not repealed as far as found) and are marked for re-checking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

__all__ = [
    "CODE_IN_FORCE",
    "DAILY_PENALTY_BASES",
    "PROCEDURE_LIMITS",
    "REINSPECTION_DAYS",
    "DailyPenalty",
    "DailyPenaltyError",
    "ProcedureLimit",
    "Round",
    "RoundResult",
    "basis_on",
    "daily_penalty",
    "procedure_limit",
]

CODE_IN_FORCE: Final = date(2026, 8, 15)
"""《中华人民共和国生态环境法典》 in force (GOVERNANCE §0, [2] CODE-ECOLAW, NEWS-CODE)."""


@dataclass(frozen=True, slots=True)
class ProcedureLimit:
    """A time limit of the penalty procedure: ``days`` (``working`` or calendar days) from
    ``starts``, extensions allowed (at most ``extensions[i]`` days for the i-th, approved by
    ``approvals[i]``), and the rule it comes from, valid in [valid_from, valid_to)."""

    key: str
    name_zh: str
    days: int
    working: bool
    starts_zh: str
    extensions: tuple[int, ...]
    basis: str
    source: str
    valid_from: date
    valid_to: date | None
    approvals: tuple[str, ...] = ()


_PUN30 = date(2023, 7, 1)
_APL21 = date(2021, 7, 15)
_SEAL = date(2015, 1, 1)

PROCEDURE_LIMITS: Final = (
    ProcedureLimit("filing", "立案审查", 15, False, "发现违法线索", (15,),
                   "《生态环境行政处罚办法》第十八条", "[1] PUN-16; 起算点 [U]", _PUN30, None,
                   ("负责人批准",)),
    ProcedureLimit("decision", "作出处罚决定", 90, False, "立案之日", (30, 30),
                   "《生态环境行政处罚办法》第五十七条；《行政处罚法》第六十条",
                   "[1] PUN-16; [P] APL 60; 不计入期间 [U]", _PUN30, None,
                   ("负责人批准", "集体讨论决定")),
    ProcedureLimit("hearing_request", "申请听证", 5, True, "收到告知书", (),
                   "《行政处罚法》第六十四条、第八十五条", "[P] APL 64, 85", _APL21, None),
    ProcedureLimit("hearing_notice", "通知听证时间地点（听证前）", 7, True, "举行听证", (),
                   "《行政处罚法》第六十四条、第八十五条", "[P] APL 64, 85", _APL21, None),
    ProcedureLimit("service", "送达处罚决定书（当事人不在场）", 7, True, "作出决定", (),
                   "《行政处罚法》第六十一条、第八十五条", "[P] APL 61, 85", _APL21, None),
    ProcedureLimit("payment", "缴纳罚款", 15, False, "收到处罚决定书", (),
                   "《行政处罚法》第六十七条", "[P] APL 67", _APL21, None),
    ProcedureLimit("daily_order_service", "送达责令改正违法行为决定书", 3, True, "收到监测报告", (),
                   "《环境保护主管部门实施按日连续处罚办法》第八条", "[P] DAILY 8", _SEAL, None),
    ProcedureLimit("daily_reinspection", "复查（暗查）", 30, False, "送达责令改正决定书", (),
                   "《环境保护主管部门实施按日连续处罚办法》第十条", "[P] DAILY 10", _SEAL, None),
    ProcedureLimit("seal_term", "查封、扣押期限", 30, False, "查封、扣押之日", (30,),
                   "《环境保护主管部门实施查封、扣押办法》第十五条", "[P] SEAL 15", _SEAL, None,
                   ("经批准（审批层级待核 [U]）",)),
    ProcedureLimit("seal_release_decision", "解除查封申请的决定", 5, True, "收到申请", (),
                   "《环境保护主管部门实施查封、扣押办法》第十九条", "[P] SEAL 19", _SEAL, None),
)  # fmt: skip
"""Late payment adds 3 % of the fine per day up to the fine (APL Art. 72) — an amount, not a
limit: it is the case service's to compute."""


def procedure_limit(key: str) -> ProcedureLimit:
    """The limit ``key`` of :data:`PROCEDURE_LIMITS` (KeyError when unknown)."""
    for limit in PROCEDURE_LIMITS:
        if limit.key == key:
            return limit
    raise KeyError(key)


DAILY_PENALTY_BASES: Final = (
    ("《中华人民共和国环境保护法》第五十九条；《环境保护主管部门实施按日连续处罚办法》（环境保护部令第28号）",
     "[P] EPL 59; [P] DAILY", date(2015, 1, 1), CODE_IN_FORCE),
    ("《中华人民共和国生态环境法典》第一千零六十条；《环境保护主管部门实施按日连续处罚办法》（环境保护部令第28号）",
     "[1] CODE-ECOLAW; [P] DAILY; 条文对应待核 [U]", CODE_IN_FORCE, None),
)  # fmt: skip
"""(basis, source, valid_from, valid_to) of the daily continuous penalty."""

REINSPECTION_DAYS: Final = 30
"""DAILY Art. 10: the covert re-inspection within 30 days of serving the order [P]."""


def basis_on(day: date) -> str:
    """The legal basis of a daily continuous penalty for an order served on ``day``."""
    for basis, _source, start, end in DAILY_PENALTY_BASES:
        if start <= day and (end is None or day < end):
            return basis
    raise DailyPenaltyError(
        f"{day.isoformat()} 早于按日连续处罚办法施行日（2015-01-01）",
        f"{day.isoformat()} is before the daily-penalty measures took effect (2015-01-01)",
    )


class DailyPenaltyError(ValueError):
    """Inputs a daily penalty cannot be computed from; ``str()`` is zh-CN then English."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


@dataclass(frozen=True, slots=True)
class Round:
    """One round: the 责令改正 order served on ``order_served``, the re-inspection that found
    the violation still going on ``violation_found`` (DAILY Art. 13, 17)."""

    order_served: date
    violation_found: date


@dataclass(frozen=True, slots=True)
class RoundResult:
    """The days and amount of one round; ``late_reinspection`` when found after 30 days."""

    round: Round
    days: int
    amount: float
    late_reinspection: bool


@dataclass(frozen=True, slots=True)
class DailyPenalty:
    """The whole computation: per round, total days, total amount and the basis."""

    original_fine: float
    rounds: tuple[RoundResult, ...]
    days: int
    amount: float
    basis: str


def daily_penalty(
    original_fine: float, rounds: Sequence[Round], *, discharge_stopped: bool = False
) -> DailyPenalty:
    """按日连续处罚 (GOVERNANCE §3.3, DAILY Arts. 17–20): each round counts the days from the
    day after the order is served to the day the re-inspection found the violation (the served
    day excluded, the found day included); rounds accumulate; the daily amount is the original
    fine, so the total is ``original_fine × days``. No penalty when 限产/停产/查封 stopped the
    discharge (Art. 20).

    Raises:
        DailyPenaltyError: a fine ≤ 0, a round found on or before its order was served, or
            rounds that overlap (a new round needs a new order after the previous finding).
    """
    if not original_fine > 0:
        raise DailyPenaltyError("原处罚数额应大于 0", "the original fine must be > 0")
    if not rounds:
        raise DailyPenaltyError("至少需要一轮复查", "at least one re-inspection round is needed")
    results: list[RoundResult] = []
    previous: Round | None = None
    for number, item in enumerate(rounds, start=1):
        if item.violation_found <= item.order_served:
            raise DailyPenaltyError(
                f"第 {number} 轮：复查发现日期应晚于责令改正决定书送达日期",
                f"round {number}: the violation must be found after the order was served",
            )
        if previous is not None and item.order_served < previous.violation_found:
            raise DailyPenaltyError(
                f"第 {number} 轮：责令改正决定书送达早于上一轮复查发现日期（轮次重叠）",
                f"round {number}: its order was served before the previous round's finding",
            )
        days = 0 if discharge_stopped else (item.violation_found - item.order_served).days
        late = item.violation_found > item.order_served + timedelta(days=REINSPECTION_DAYS)
        results.append(RoundResult(item, days, days * original_fine, late))
        previous = item
    total_days = sum(r.days for r in results)
    return DailyPenalty(
        original_fine=original_fine,
        rounds=tuple(results),
        days=total_days,
        amount=total_days * original_fine,
        basis=basis_on(rounds[0].order_served),
    )
