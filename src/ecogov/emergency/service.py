"""Heavy-pollution warnings: suggested from the city forecast by the criteria of
:mod:`ecogov.standards.warnings`, decided by the officers on the warning machine
(:mod:`ecogov.emergency.workflow`), and — once published or adjusted — opening the
emergency-reduction list: one alert in the inbox for the city, and per enterprise with a measure
at the level an alert converted into a rectification item (the task of that unit, tracked to
closure by the plans domain).

The forecast is injected (:data:`ForecastSource`): :func:`forecast_source` gives the forecast
domain's ``city_daily_forecast(db, principal, city_code)`` (a layer below); tests pass constructed
forecasts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Final, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.emergency.access import REDUCTION_KIND, WARNING_KIND
from ecogov.emergency.models import LEVELS, AirWarning, ReductionMeasure, WarningEvent, WarningTask
from ecogov.emergency.workflow import ACTIVE, WARNING
from ecogov.forecast.service import city_daily_forecast
from ecogov.plans.models import RectificationItem
from ecogov.platform import alerts, clock
from ecogov.platform.alerts import AlertDraft, AlertKind, ConversionRequest
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound
from ecogov.platform.i18n import both, texts, translate
from ecogov.platform.permissions import authorize
from ecogov.platform.readers import (
    CellError,
    RowError,
    enforce,
    open_table,
    parse_number,
    require_text,
    resolve_columns,
    row_error,
)
from ecogov.platform.scope import Principal
from ecogov.platform.statemachine import check_move
from ecogov.sources.models import Enterprise
from ecogov.standards.timebase import BEIJING
from ecogov.standards.warnings import (
    Assessment,
    WarningCriteria,
    assess,
    default_criteria,
    hourly_from_daily,
)

WARNING_ALERT: Final = AlertKind("emergency.warning", "重污染天气预警", "Heavy-pollution warning")
REDUCTION_ALERT: Final = AlertKind(
    "emergency.reduction", "应急减排任务", "Emergency-reduction task"
)
ALERT_KINDS: Final = (WARNING_ALERT, REDUCTION_ALERT)
LEVEL_NAMES: Final[dict[str, tuple[str, str]]] = {
    "none": ("无预警", "No warning"),
    "blue": ("蓝色预警", "Blue"),
    "yellow": ("黄色预警", "Yellow"),
    "orange": ("橙色预警", "Orange"),
    "red": ("红色预警", "Red"),
}
_LEVEL_ALIASES: Final = {
    **{k: k for k in LEVELS},
    **{LEVEL_NAMES[k][0]: k for k in LEVELS},
    **{LEVEL_NAMES[k][0][:2]: k for k in LEVELS},
    **{LEVEL_NAMES[k][0][:1]: k for k in LEVELS},
}


class CityForecastDay(Protocol):
    """One day of a city forecast, as the forecast domain provides it."""

    @property
    def date(self) -> date: ...
    @property
    def aqi(self) -> int: ...
    @property
    def hourly_aqi(self) -> Sequence[tuple[datetime, int]]: ...


ForecastSource = Callable[[Database, Principal, str], Sequence[CityForecastDay]]
"""(database, principal, city code) → the city's daily forecast from today on."""


def forecast_source() -> ForecastSource | None:
    """The forecast domain's ``city_daily_forecast`` (its ``issued_on`` defaulting to today fits
    :data:`ForecastSource`). The pages and the API ask here, so a test can stand in a
    constructed forecast, or None for a deployment without forecasts (the pages then say so
    instead of suggesting)."""
    return city_daily_forecast


@dataclass(frozen=True)
class ForecastDay:
    """A constructed forecast day (tests, demo): what :class:`CityForecastDay` requires."""

    date: date
    aqi: int
    hourly_aqi: Sequence[tuple[datetime, int]] = field(default_factory=tuple)


def forecast_series(days: Sequence[CityForecastDay]) -> list[tuple[datetime, int]]:
    """The hourly AQI of a forecast: its hours where given, else each day's AQI over 24 h."""
    series: list[tuple[datetime, int]] = []
    for day in sorted(days, key=lambda d: d.date):
        hourly = list(day.hourly_aqi)
        if hourly:
            series += [(t.astimezone(BEIJING).replace(tzinfo=None), a) for t, a in hourly]
        else:
            series += hourly_from_daily([(day.date, day.aqi)])
    return series


# --- suggesting ------------------------------------------------------------------------------


def _active(session: Session, city_code: str) -> AirWarning | None:
    return session.scalar(
        select(AirWarning)
        .where(AirWarning.region_code == city_code)
        .where(AirWarning.state.in_(("suggested", *ACTIVE)))
        .order_by(AirWarning.id.desc())
    )


def _event(warning: AirWarning, move: str, before: str, level_before: str | None,
           principal: Principal, note: str | None) -> WarningEvent:  # fmt: skip
    return WarningEvent(
        warning_id=warning.id,
        region_code=warning.region_code,
        move=move,
        from_state=before,
        to_state=warning.state,
        level_before=level_before,
        level_after=warning.level,
        actor=principal.username,
        note=note,
        at=clock.utcnow(),
    )


def judge(days: Sequence[CityForecastDay], rules: WarningCriteria | None = None) -> Assessment:
    """The warning level a forecast calls for, by the edition applying on its first day."""
    if not days:
        raise InputError(both("emergency.error.no_forecast"))
    rules = rules or default_criteria()
    first = min(day.date for day in days)
    return assess(forecast_series(days), rules.edition_for(first))


def suggest(
    db: Database,
    principal: Principal,
    city_code: str,
    forecast: ForecastSource,
    rules: WarningCriteria | None = None,
) -> int | None:
    """Suggest a warning for ``city_code`` from its forecast (建议): the level by the criteria
    with its reason; None when no level holds. A city with a warning suggested or in force gets
    no second one (the officer adjusts that one)."""
    authorize(principal, "create", WARNING_KIND, city_code)
    days = forecast(db, principal, city_code)
    found = judge(days, rules)
    if found.level == "none" or found.reason is None:
        return None
    dates = [day.date for day in days]
    with db.transaction(principal, action="emergency.suggest") as session:
        existing = _active(session, city_code)
        if existing is not None:
            return existing.id
        warning = AirWarning(
            region_code=city_code,
            level=found.level,
            suggested_level=found.level,
            state="suggested",
            edition=found.edition,
            reason_zh=found.reason.text("zh"),
            reason_en=found.reason.text("en"),
            forecast=[{"date": d.date.isoformat(), "aqi": d.aqi} for d in days],
            starts_on=min(dates),
            ends_on=max(dates),
            issued_on=clock.today(),
            suggested_by=principal.username,
        )
        session.add(warning)
        session.flush()
        session.add(_event(warning, "suggest", "", None, principal, warning.reason_zh))
        return warning.id


# --- deciding --------------------------------------------------------------------------------


def _load(session: Session, warning_id: int) -> AirWarning:
    warning = session.get(AirWarning, warning_id)
    if warning is None:
        raise NotFound(both("emergency.error.no_warning", id=warning_id))
    return warning


def decide(
    db: Database,
    principal: Principal,
    warning_id: int,
    action: str,
    note: str | None,
    level: str | None = None,
) -> str:
    """Make the move ``action`` (publish, reject, adjust, lift) with the officer's note; publish
    may set and adjust must change the level. Publishing or adjusting opens the reduction tasks
    of the level (:func:`open_tasks`). Returns the new state."""
    authorize(principal, "advance", WARNING_KIND)
    if level is not None and level not in LEVELS:
        raise InputError(both("emergency.error.level", level=level))
    with db.transaction(principal, action=f"emergency.{action}") as session:
        warning = _load(session, warning_id)
        move = check_move(WARNING, action, warning.state, principal, warning.region_code, note=note)
        if action == "adjust" and (level is None or level == warning.level):
            raise InputError(both("emergency.error.same_level", level=warning.level))
        before, level_before = warning.state, warning.level
        warning.state = move.target
        if level is not None and action in ("publish", "adjust"):
            warning.level = level
        if action == "publish":
            warning.published_at = clock.utcnow()
        if action == "lift":
            warning.lifted_at = clock.utcnow()
        session.add(_event(warning, action, before, level_before, principal, note))
        state = warning.state
    if state in ACTIVE:
        open_tasks(db, principal, warning_id)
    if state == "lifted":
        alerts.resolve(db, principal, _city_alert_key(warning_id), f"预警已解除：{note}")
    return state


# --- the emergency-reduction list ------------------------------------------------------------


@dataclass(frozen=True)
class ReductionRow:
    """One enterprise's measure at a level, with the task a warning opened for it."""

    enterprise_id: int
    enterprise: str
    region_code: str
    level: str
    cut_pct: float
    measures: str
    factors: tuple[str, ...]
    item_ref: str | None = None


def _window(warning: AirWarning) -> tuple[datetime, datetime]:
    start = datetime.combine(warning.starts_on, time(), BEIJING)
    return start, datetime.combine(warning.ends_on + timedelta(days=1), time(), BEIJING)


def _city_alert_key(warning_id: int) -> str:
    return f"emergency.warning:{warning_id}"


def task_text(level: str, measures: str) -> str:
    """What a unit's task under a warning reads (the catalogue's wording, Chinese)."""
    colour = LEVEL_NAMES[level][0].removesuffix("预警")
    return translate("emergency.task.title", "zh").format(level=colour, measures=measures)


def _city_alert(warning: AirWarning) -> AlertDraft:
    start, end = _window(warning)
    zh = LEVEL_NAMES[warning.level][0]
    return AlertDraft(
        kind=WARNING_ALERT.key,
        severity=warning.level,
        title=f"重污染天气{zh}（{warning.starts_on:%m-%d}至{warning.ends_on:%m-%d}）",
        region_code=warning.region_code,
        window_start=start,
        window_end=end,
        dedupe_key=_city_alert_key(warning.id),
        evidence={"warning_id": warning.id, "reason": warning.reason_zh},
        link=f"/emergency/{warning.id}",
    )


def open_tasks(db: Database, principal: Principal, warning_id: int) -> list[str]:
    """Open what a warning in force calls for: its alert in the city's inbox, and per enterprise
    of the city with a measure at the warning's level a task (an alert converted into a
    rectification item for that enterprise, due at the warning's end). Idempotent per warning,
    enterprise and level. Returns the item references made now."""
    with db.transaction(principal) as session:
        warning = _load(session, warning_id)
        city_alert = _city_alert(warning)
        done = set(session.scalars(
            select(WarningTask.enterprise_id).where(WarningTask.warning_id == warning.id)
            .where(WarningTask.level == warning.level)
        ))  # fmt: skip
        level, start, end = warning.level, *_window(warning)
        ends_on, region = warning.ends_on, warning.region_code
    alerts.publish(db, [city_alert])
    made: list[str] = []
    for row in reduction_list(db, principal, region, level):
        if row.enterprise_id in done:
            continue
        draft = AlertDraft(
            kind=REDUCTION_ALERT.key,
            severity=level,
            title=task_text(level, row.measures),
            region_code=row.region_code,
            window_start=start,
            window_end=end,
            dedupe_key=f"emergency.reduction:{warning_id}:{row.enterprise_id}:{level}",
            evidence={"cut_pct": row.cut_pct, "measures": row.measures, "warning_id": warning_id},
            link=f"/emergency/{warning_id}",
            enterprise_id=row.enterprise_id,
            site_name=row.enterprise,
        )
        published = alerts.publish(db, [draft])
        for alert_id in published.created:
            request = ConversionRequest(
                deadline=ends_on, unit_name=row.enterprise, note=f"预警 #{warning_id} 应急减排"
            )
            ref = alerts.convert(db, principal, alert_id, "rectification", request)
            with db.transaction(principal, action="emergency.task") as session:
                session.add(
                    WarningTask(
                        warning_id=warning_id,
                        region_code=row.region_code,
                        enterprise_id=row.enterprise_id,
                        level=level,
                        alert_id=alert_id,
                        item_ref=ref,
                    )
                )
            made.append(ref)
    return made


def reduction_list(
    db: Database, principal: Principal, region_code: str | None = None, level: str | None = None
) -> list[ReductionRow]:
    """The emergency-reduction list in the principal's scope (an enterprise sees its own), of a
    region and a level when given, by enterprise name."""
    authorize(principal, "read", REDUCTION_KIND)
    stmt = select(ReductionMeasure, Enterprise.name).join(
        Enterprise, Enterprise.enterprise_id == ReductionMeasure.enterprise_id
    )
    if region_code is not None:
        stmt = stmt.where(ReductionMeasure.region_code.startswith(_prefix(region_code)))
    if level is not None:
        stmt = stmt.where(ReductionMeasure.level == level)
    with db.transaction(principal) as session:
        rows = session.execute(stmt.order_by(Enterprise.name, ReductionMeasure.level)).all()
        return [
            ReductionRow(
                m.enterprise_id or 0, name, m.region_code, m.level, m.cut_pct, m.measures,
                tuple(f for f in m.factors.split(",") if f),
            )
            for m, name in rows
        ]  # fmt: skip


def _prefix(region_code: str) -> str:
    return region_code.rstrip("0") if region_code.endswith("00") else region_code


@dataclass(frozen=True)
class TaskView:
    """A unit's task under a warning: its rectification item and where that item stands."""

    enterprise_id: int
    level: str
    item_ref: str
    item_id: int | None
    status: str | None


def tasks_of(db: Database, principal: Principal, warning_id: int) -> dict[int, TaskView]:
    """Enterprise id → its newest task under the warning (any level) with the item's state."""
    with db.transaction(principal) as session:
        tasks = session.scalars(
            select(WarningTask).where(WarningTask.warning_id == warning_id).order_by(WarningTask.id)
        ).all()
        ids = {t.id: _item_id(t.item_ref) for t in tasks}
        wanted = [i for i in ids.values() if i is not None]
        rows = session.execute(
            select(RectificationItem.id, RectificationItem.status)
            .where(RectificationItem.id.in_(wanted))
        )  # fmt: skip
        states: dict[int, str] = dict(rows.all())
        return {
            t.enterprise_id or 0: TaskView(
                t.enterprise_id or 0, t.level, t.item_ref, ids[t.id], states.get(ids[t.id] or 0)
            )
            for t in tasks
        }


def _item_id(ref: str) -> int | None:
    number = ref.rpartition(":")[2]
    return int(number) if number.isdigit() else None


COLUMNS: Final[Mapping[str, Sequence[str]]] = {
    "uscc": ("统一社会信用代码", "信用代码"),
    "level": ("预警级别", "级别"),
    "cut_pct": ("限产比例", "限产比例(%)", "减排比例"),
    "measures": ("减排措施", "措施"),
    "factors": ("减排因子", "因子"),
}


@dataclass(frozen=True)
class ImportResult:
    """What an import of the list did."""

    created: int
    updated: int
    unchanged: int
    errors: tuple[RowError, ...] = ()


def import_measures(
    db: Database,
    principal: Principal,
    file: str,
    source: bytes | Path,
    *,
    skip_bad_rows: bool = False,
) -> ImportResult:
    """Import the emergency-reduction list (CSV or .xlsx through the platform's reader): one row
    per enterprise (by unified social credit code) and level, upserted so re-importing the same
    file changes nothing. Bad rows refuse the file unless ``skip_bad_rows``."""
    authorize(principal, "import", REDUCTION_KIND)
    parsed: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    with open_table(file, source) as table:
        cols = resolve_columns(
            file, table.header, COLUMNS, ("uscc", "level", "cut_pct", "measures")
        )
        for number, record in table.records():
            try:
                parsed.append((number, _parse_row(cols, record)))
            except CellError as exc:
                errors.append(row_error(file, number, exc))
    created = updated = unchanged = 0
    with db.transaction(principal, action="emergency.import") as session:
        usccs = {row["uscc"] for _, row in parsed}
        enterprises = {
            e.uscc: e for e in session.scalars(select(Enterprise).where(Enterprise.uscc.in_(usccs)))
        }
        for number, row in parsed:
            enterprise = enterprises.get(row["uscc"])
            if enterprise is None:
                errors.append(row_error(file, number, CellError(
                    cols["uscc"] or "", row["uscc"],
                    *texts("emergency.error.enterprise", uscc=row["uscc"]))))  # fmt: skip
        enforce(file, errors, skip_bad_rows=skip_bad_rows)
        now = clock.utcnow()
        for _, row in parsed:
            enterprise = enterprises.get(row["uscc"])
            if enterprise is None:
                continue
            measure = session.scalar(
                select(ReductionMeasure)
                .where(ReductionMeasure.enterprise_id == enterprise.enterprise_id)
                .where(ReductionMeasure.level == row["level"])
            )
            values = {k: row[k] for k in ("cut_pct", "measures", "factors")}
            if measure is None:
                session.add(ReductionMeasure(
                    enterprise_id=enterprise.enterprise_id, region_code=enterprise.region_code,
                    level=row["level"], source_file=file, imported_at=now, **values,
                ))  # fmt: skip
                created += 1
            elif any(getattr(measure, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(measure, k, v)
                measure.source_file, measure.imported_at = file, now
                updated += 1
            else:
                unchanged += 1
    return ImportResult(created, updated, unchanged, tuple(errors))


def _parse_row(cols: Mapping[str, str | None], record: Mapping[str, str]) -> dict[str, Any]:
    """One row of the list, typed (CellError names the bad cell)."""
    cell = {role: record[col] if col else "" for role, col in cols.items()}
    level = _LEVEL_ALIASES.get(cell["level"])
    if level is None:
        error = texts("emergency.error.level", level=cell["level"])
        raise CellError(cols["level"] or "level", cell["level"], *error)
    cut = parse_number(cols["cut_pct"] or "", cell["cut_pct"], minimum=0)
    if cut is None or cut > 100:
        error = texts("emergency.error.cut", value=cell["cut_pct"])
        raise CellError(cols["cut_pct"] or "", cell["cut_pct"], *error)
    factors = [f.strip() for f in cell["factors"].replace("，", ",").split(",")]
    return {
        "uscc": require_text(cols["uscc"] or "", cell["uscc"], max_length=18),
        "level": level,
        "cut_pct": cut,
        "measures": require_text(cols["measures"] or "", cell["measures"]),
        "factors": ",".join(f for f in factors if f),
    }


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventView:
    """One decision of a warning's trail: who, when, the move, the states and levels before and
    after, and the officer's note."""

    move: str
    from_state: str
    to_state: str
    level_before: str | None
    level_after: str
    actor: str
    note: str | None
    at: datetime


@dataclass(frozen=True)
class WarningView:
    """A warning with its decision trail."""

    id: int
    region_code: str
    level: str
    suggested_level: str
    state: str
    edition: str
    reason_zh: str
    reason_en: str
    forecast: list[dict[str, Any]]
    starts_on: date
    ends_on: date
    issued_on: date
    events: list[EventView]
    published_at: datetime | None = None
    lifted_at: datetime | None = None


def warnings(db: Database, principal: Principal) -> list[WarningView]:
    """The warnings in the principal's region, newest first."""
    authorize(principal, "read", WARNING_KIND)
    with db.transaction(principal) as session:
        found = session.scalars(select(AirWarning).order_by(AirWarning.id.desc())).all()
        return [_view(w, []) for w in found]


def in_force(db: Database, principal: Principal) -> list[WarningView]:
    """The warnings in force in the principal's region (published or adjusted), one per city,
    highest level first: the page's banner."""
    found = [w for w in warnings(db, principal) if w.state in ACTIVE]
    return sorted(found, key=lambda w: (-LEVELS.index(w.level), w.region_code))


def get(db: Database, principal: Principal, warning_id: int) -> WarningView:
    """One warning with its decision trail (oldest first)."""
    authorize(principal, "read", WARNING_KIND)
    with db.transaction(principal) as session:
        warning = _load(session, warning_id)
        events = [
            EventView(e.move, e.from_state, e.to_state, e.level_before, e.level_after, e.actor,
                      e.note, e.at)
            for e in session.scalars(
                select(WarningEvent).where(WarningEvent.warning_id == warning_id)
                .order_by(WarningEvent.id)
            )
        ]  # fmt: skip
        return _view(warning, events)


def _view(w: AirWarning, events: list[EventView]) -> WarningView:
    return WarningView(
        w.id, w.region_code, w.level, w.suggested_level, w.state, w.edition, w.reason_zh,
        w.reason_en, list(w.forecast), w.starts_on, w.ends_on, w.issued_on, events,
        w.published_at, w.lifted_at,
    )  # fmt: skip
