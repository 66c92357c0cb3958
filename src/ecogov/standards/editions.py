"""Which edition of the air-quality standards applies to a date — the effective dates, once.

Two rule sets exist (STANDARDS.md §0):

* **2012 rules** — HJ 633-2012 (AQI), GB 3095-2012 with its 2018 amendment (limits), HJ 663-2013
  (assessment): for data dated before 2026-03-01.
* **2026 rules** — HJ 633-2026, GB 3095-2026, HJ 663-2026: for data dated from 2026-03-01
  (all three published February 2026, in force 2026-03-01). GB 3095-2026 has two stages of limits:
  transitional until 2030-12-31, final from 2031-01-01 (GB 3095-2026 foreword and §4.4).

Dates are Beijing dates (UTC+08:00; China has used no daylight-saving time since 1991). Every other
module takes an :class:`Edition` or :class:`LimitStage` argument; this module is the only place
that maps dates to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from ecogov.standards.timebase import BEIJING, beijing_wall

__all__ = [
    "BEIJING",
    "EDITION_SPECS",
    "LIMIT_STAGE_SPECS",
    "Edition",
    "EditionSpec",
    "LimitStage",
    "LimitStageSpec",
    "beijing_date",
    "edition_for",
    "edition_spec",
    "limit_stage_for",
]


_ONE_HOUR = timedelta(hours=1)


class Edition(StrEnum):
    """Rule set of the ambient-air standards (HJ 633 + GB 3095 + HJ 663)."""

    E2012 = "2012"
    E2026 = "2026"


class LimitStage(StrEnum):
    """Stage of the GB 3095 concentration limits (and of the measurement-state convention)."""

    GB3095_2012 = "GB 3095-2012"
    GB3095_2012_AMENDED_2018 = "GB 3095-2012 (2018 amendment)"
    GB3095_2026_TRANSITIONAL = "GB 3095-2026 transitional"
    GB3095_2026_FINAL = "GB 3095-2026 final"


@dataclass(frozen=True, slots=True)
class EditionSpec:
    """One rule set: the standards it is made of and the first Beijing date it applies to."""

    edition: Edition
    applies_from: date
    aqi_standard: str
    limits_standard: str
    assessment_standard: str
    note: str


@dataclass(frozen=True, slots=True)
class LimitStageSpec:
    """One stage of GB 3095 limits with its first Beijing date and measurement-state convention."""

    stage: LimitStage
    edition: Edition
    applies_from: date
    gaseous_state: str
    particulate_state: str
    source: str


EDITION_SPECS: tuple[EditionSpec, ...] = (
    EditionSpec(
        edition=Edition.E2012,
        applies_from=date.min,
        aqi_standard="HJ 633-2012",
        limits_standard="GB 3095-2012",
        assessment_standard="HJ 663-2013",
        note=(
            "Used for all data before 2026-03-01 (HJ 633-2012 and GB 3095-2012 were phased in from "
            "2012 and in force nationwide on 2016-01-01; HJ 663-2013 from 2013-10-01)."
        ),
    ),
    EditionSpec(
        edition=Edition.E2026,
        applies_from=date(2026, 3, 1),
        aqi_standard="HJ 633-2026",
        limits_standard="GB 3095-2026",
        assessment_standard="HJ 663-2026",
        note="Published 2026-02-13/14, in force 2026-03-01; replaces the 2012/2013 editions.",
    ),
)

_STANDARD_STATE = "standard state (273.15 K, 101.325 kPa)"
_REFERENCE_STATE = "reference state (298.15 K, 1013.25 hPa)"
_ACTUAL_STATE = "actual ambient temperature and pressure"

LIMIT_STAGE_SPECS: tuple[LimitStageSpec, ...] = (
    LimitStageSpec(
        stage=LimitStage.GB3095_2012,
        edition=Edition.E2012,
        applies_from=date.min,
        gaseous_state=_STANDARD_STATE,
        particulate_state=_STANDARD_STATE,
        source="GB 3095-2012 Tables 1-2",
    ),
    LimitStageSpec(
        stage=LimitStage.GB3095_2012_AMENDED_2018,
        edition=Edition.E2012,
        applies_from=date(2018, 9, 1),
        gaseous_state=_REFERENCE_STATE,
        particulate_state=_ACTUAL_STATE,
        source="GB 3095-2012 amendment No. 1 (修改单), effective 2018-09-01; limits unchanged",
    ),
    LimitStageSpec(
        stage=LimitStage.GB3095_2026_TRANSITIONAL,
        edition=Edition.E2026,
        applies_from=date(2026, 3, 1),
        gaseous_state=_REFERENCE_STATE,
        particulate_state=_ACTUAL_STATE,
        source="GB 3095-2026 Table 1 transitional limits, §4.4 (until 2030-12-31), §4.3",
    ),
    LimitStageSpec(
        stage=LimitStage.GB3095_2026_FINAL,
        edition=Edition.E2026,
        applies_from=date(2031, 1, 1),
        gaseous_state=_REFERENCE_STATE,
        particulate_state=_ACTUAL_STATE,
        source="GB 3095-2026 Table 1 limits, §4.4 (nationwide from 2031-01-01), §4.3",
    ),
)


def beijing_date(when: date | datetime, *, hour_ending: bool = False) -> date:
    """Beijing calendar date of ``when`` (STANDARDS.md §0; monitoring days are Beijing days).

    A ``date`` is returned unchanged. An aware ``datetime`` is converted to UTC+08:00; a naive one
    is taken as Beijing local time. With ``hour_ending=True`` the datetime labels the *end* of a
    one-hour period (CNEMC convention: the value stamped 00:00 covers 23:00-24:00 of the previous
    day), so the date of the hour's start is returned. Editions: any.
    """
    if not isinstance(when, datetime):
        return when
    local = beijing_wall(when)
    return (local - _ONE_HOUR).date() if hour_ending else local.date()


def edition_spec(edition: Edition) -> EditionSpec:
    """The :class:`EditionSpec` of ``edition`` (STANDARDS.md §0). Editions: 2012, 2026."""
    return next(spec for spec in EDITION_SPECS if spec.edition is edition)


def edition_for(
    when: date | datetime, *, fixed: Edition | None = None, hour_ending: bool = False
) -> Edition:
    """Rule set for data dated ``when``: 2012 rules before 2026-03-01, 2026 rules from that day.

    Source: HJ 633-2026, GB 3095-2026 and HJ 663-2026 forewords (in force 2026-03-01, replacing
    HJ 633-2012, GB 3095-2012 and HJ 663-2013). ``fixed`` overrides the date (e.g. to re-evaluate
    history under the new rules). ``when`` is read as in :func:`beijing_date`. Editions: 2012, 2026.
    """
    if fixed is not None:
        return fixed
    day = beijing_date(when, hour_ending=hour_ending)
    return max(
        (spec for spec in EDITION_SPECS if spec.applies_from <= day),
        key=lambda spec: spec.applies_from,
    ).edition


def limit_stage_for(
    when: date | datetime, *, fixed: Edition | None = None, hour_ending: bool = False
) -> LimitStage:
    """GB 3095 limit stage for data dated ``when`` (GB 3095-2026 §4.4; GB 3095-2012 amendment).

    Within the applicable edition (see :func:`edition_for`; ``fixed`` pins it) the latest stage
    that has started on that Beijing date is returned; when the edition is pinned to one whose
    first stage starts later than ``when``, that first stage is returned (e.g. 2025 data
    re-evaluated under GB 3095-2026 use the transitional limits). Editions: 2012, 2026.
    """
    edition = edition_for(when, fixed=fixed, hour_ending=hour_ending)
    day = beijing_date(when, hour_ending=hour_ending)
    stages = [spec for spec in LIMIT_STAGE_SPECS if spec.edition is edition]
    started = [spec for spec in stages if spec.applies_from <= day] or stages[:1]
    return max(started, key=lambda spec: spec.applies_from).stage
