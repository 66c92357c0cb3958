"""The one alerts inbox (预警收件箱): every domain publishes the problems it finds here.

"问题入库上图、闭环管控": a problem found by any computation goes into the database, onto the map,
and is tracked to closure. A domain declares the kinds of alert it raises (``Domain.alert_kinds``)
and publishes :class:`AlertDraft` objects with :func:`publish` when its computation runs:

* an alert has a kind, a severity, a subject (region, optionally an enterprise and a site), a time
  window, evidence (JSON) and a link to the series or record it rests on, and a dedupe key;
* while an alert with the same dedupe key is open (open, acknowledged or converted), publishing the
  key again merges into it: the window extends, the occurrences are counted, the severity rises
  if the new one is higher, the evidence is the newest; evidence no newer than what an alert of
  that key already covered changes nothing, so producers may republish on every run;
* an officer acknowledges, dismisses or converts an alert into a rectification item; conversion
  goes through a converter a domain registers (``Domain.alert_converters``; the plans domain
  provides ``rectification``), since the platform names no domain; rules held as data
  (:class:`AlertRule`: kind pattern + minimum severity → converter) convert automatically;
* closing the item closes the alert (:func:`settle`, called by the domain that owns the item).

Severity levels are the four colours of Chinese early warnings (预警级别): blue, yellow, orange,
red (蓝色、黄色、橙色、红色), red the highest — the scale of the Emergency Response Law of the
PRC (《中华人民共和国突发事件应对法》第四十二条: 一级、二级、三级和四级，分别用红色、橙色、
黄色和蓝色标示，一级为最高级别), also used by the heavy-pollution weather warnings (重污染天气预警).
"""

from __future__ import annotations

import fnmatch
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    Integer,
    String,
    Text,
    case,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecogov.platform.errors import Conflict, InputError, NotFound
from ecogov.platform.i18n import Catalogue, register, translate
from ecogov.platform.maps import Legend, LegendItem, MapLayer, register_platform_layer
from ecogov.platform.models import Base, IdMixin, RegionScoped, UTCDateTime, utcnow
from ecogov.platform.permissions import (
    REGIONAL,
    ResourceKind,
    Scope,
    authorize,
    grant,
    officers,
    register_kind,
)
from ecogov.platform.scope import (
    SYSTEM,
    Principal,
    Role,
    region_prefix,
    region_within,
)

if TYPE_CHECKING:
    from ecogov.platform.db import Database

LOG = logging.getLogger(__name__)


# --- levels and states as data ------------------------------------------------------------------


@dataclass(frozen=True)
class Severity:
    """A warning level: its key, rank (1 lowest), names and display colour."""

    key: str
    rank: int
    name_zh: str
    name_en: str
    colour: str


SEVERITIES: Final = (
    Severity("blue", 1, "蓝色预警", "Blue", "#1e6fd9"),
    Severity("yellow", 2, "黄色预警", "Yellow", "#e6b800"),
    Severity("orange", 3, "橙色预警", "Orange", "#ff7e00"),
    Severity("red", 4, "红色预警", "Red", "#e00000"),
)
SEVERITY: Final = {severity.key: severity for severity in SEVERITIES}
SEVERITY_SOURCE: Final = "《中华人民共和国突发事件应对法》第四十二条：红、橙、黄、蓝四级"

STATUSES: Final = {
    "open": ("待处理", "Open"),
    "acknowledged": ("已确认", "Acknowledged"),
    "converted": ("已转整改", "Converted"),
    "closed": ("已销号", "Closed"),
    "dismissed": ("已排除", "Dismissed"),
}
ACTIVE_STATUSES: Final = ("open", "acknowledged", "converted")
"""States in which an alert is the one its dedupe key merges into."""
CONVERTIBLE_STATUSES: Final = ("open", "acknowledged")


def severity_rank(key: str) -> int:
    """The rank of severity ``key`` (InputError for an unknown one)."""
    if key not in SEVERITY:
        raise InputError(translate("alerts.error.severity").format(value=key))
    return SEVERITY[key].rank


# --- what domains declare --------------------------------------------------------------------


@dataclass(frozen=True)
class AlertKind:
    """A kind of alert a domain raises (``hj212.exceedance`` …), with its names."""

    key: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class AlertDraft:
    """What a producer publishes: one problem it found now.

    ``window_start``/``window_end`` bound the data the problem was found in (timezone-aware);
    ``evidence`` is JSON-safe (values with units in the keys); ``link`` the page of the series
    or record; ``dedupe_key`` names the problem so republishing it merges.
    """

    kind: str
    severity: str
    title: str
    region_code: str
    window_start: datetime
    window_end: datetime
    dedupe_key: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    link: str | None = None
    enterprise_id: int | None = None
    site_code: str | None = None
    site_name: str | None = None
    lon: float | None = None
    lat: float | None = None


def days_left_words(days_left: int) -> str:
    """A clock's days left in an alert title: "已超期 N 天" past its end, else "剩余 N 天"."""
    return f"已超期 {-days_left} 天" if days_left < 0 else f"剩余 {days_left} 天"


def clock_window(start: datetime, today: date) -> tuple[datetime, datetime]:
    """The window of a clock's alert: from the record's start to ``today`` (midnight UTC), never
    ending before it starts."""
    return start, max(start, datetime.combine(today, time(), tzinfo=UTC))


@dataclass(frozen=True)
class AlertView:
    """An alert as pages, the API and converters see it."""

    id: int
    kind: str
    severity: str
    title: str
    region_code: str
    enterprise_id: int | None
    site_code: str | None
    site_name: str | None
    window_start: datetime
    window_end: datetime
    evidence: dict[str, Any]
    link: str | None
    dedupe_key: str
    occurrences: int
    status: str
    first_seen: datetime
    last_seen: datetime
    converted_ref: str | None
    converted_link: str | None
    note: str | None
    lon: float | None
    lat: float | None


Convert = Callable[["Database", Principal, AlertView, "ConversionRequest"], str]
"""(database, acting principal, alert, request) → reference of the item made (``kind:id``)."""


@dataclass(frozen=True)
class ConversionRequest:
    """What an officer (or a rule) asks of a conversion: deadline and responsible unit."""

    deadline: date | None = None
    unit_name: str | None = None
    deadline_days: int = 30
    note: str | None = None


@dataclass(frozen=True)
class AlertConverter:
    """Turns an alert into an item tracked to closure (a rectification item …).

    ``link`` gives the page of an item from its reference (``rectification:12`` → URL).
    """

    name: str
    name_zh: str
    name_en: str
    convert: Convert
    link: Callable[[str], str | None]


def kinds() -> dict[str, AlertKind]:
    """Every alert kind of every installed domain, by key."""
    from ecogov.platform.plugins import domains

    found: dict[str, AlertKind] = {}
    for domain in domains():
        for kind in domain.alert_kinds:
            if kind.key in found:
                raise ValueError(f"alert kind {kind.key} declared twice")
            found[kind.key] = kind
    return found


AlertListener = Callable[["Database", Sequence["AlertView"]], None]
"""Called with the alerts just published (new or merged) or dismissed, outside their
transaction: a domain follows the evidence they are (e.g. credit grades re-evaluated)."""


def listeners() -> tuple[AlertListener, ...]:
    """Every alert listener of every installed domain (``Domain.alert_listeners``)."""
    from ecogov.platform.plugins import domains

    return tuple(listener for domain in domains() for listener in domain.alert_listeners)


def converters() -> dict[str, AlertConverter]:
    """Every alert converter of every installed domain, by name."""
    from ecogov.platform.plugins import domains

    found: dict[str, AlertConverter] = {}
    for domain in domains():
        for converter in domain.alert_converters:
            if converter.name in found:
                raise ValueError(f"alert converter {converter.name} declared twice")
            found[converter.name] = converter
    return found


# --- tables --------------------------------------------------------------------------------------


class Alert(IdMixin, RegionScoped, Base):
    """An alert (预警) in the inbox of its region: officers see their region and below."""

    __tablename__ = "alert"
    # A leader's second sign-off closes a converted item, and with it the alert (settle).
    __leader_writes__ = frozenset({"update"})

    kind: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(8), index=True)
    title: Mapped[str] = mapped_column(String(256))
    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)
    site_code: Mapped[str | None] = mapped_column(String(64))
    site_name: Mapped[str | None] = mapped_column(String(128))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(256))
    dedupe_key: Mapped[str] = mapped_column(String(160), index=True)
    open_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    converted_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    handled_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertRule(IdMixin, Base):
    """An auto-conversion rule (自动转办规则): alerts whose kind matches ``kind_pattern``
    (``fnmatch``: ``hj212.*``, ``*``) at ``min_severity`` or above, within ``region_code``
    (None: everywhere), are converted by ``converter`` as soon as they are published, with a
    deadline ``deadline_days`` ahead. ``source`` cites the rule's authority. Only admins edit
    rules (platform reference data)."""

    __tablename__ = "alert_rule"

    kind_pattern: Mapped[str] = mapped_column(String(64))
    min_severity: Mapped[str] = mapped_column(String(8))
    converter: Mapped[str] = mapped_column(String(32), default="rectification")
    region_code: Mapped[str | None] = mapped_column(String(6))
    deadline_days: Mapped[int] = mapped_column(Integer, default=30)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(Text)


DEFAULT_RULE_SOURCE: Final = (
    "红色预警即时立案整改：《中华人民共和国突发事件应对法》第四十二条（红色为最高预警级别）；"
    "问题“入库上图、闭环管控”（red alerts open a rectification item at once）。"
)


# --- messages ------------------------------------------------------------------------------------

EVIDENCE_LABELS: Final = {
    "due": ("时限截止日", "Deadline"),
    "days_left": ("剩余天数（负数为超期）", "Days left (negative: late)"),
    "mn": ("设备编号(MN)", "Device MN"),
    "factor": ("监测因子", "Factor"),
    "factor_name": ("因子名称", "Factor name"),
    "averaging": ("均值类型", "Averaging"),
    "averaging_name": ("均值类型名称", "Averaging (name)"),
    "check_name": ("筛查规则名称", "Check (name)"),
    "basis": ("评价依据", "Basis"),
    "basis_name": ("评价依据名称", "Basis (name)"),
    "peak": ("峰值", "Peak"),
    "limit": ("限值", "Limit"),
    "unit": ("单位", "Unit"),
    "multiple": ("超标倍数", "Multiple of the limit"),
    "hours": ("持续时长（小时）", "Hours"),
    "check": ("筛查规则", "Check"),
    "cause": ("原因", "Cause"),
    "period": ("评价时段", "Period"),
    "failing_items": ("超标项目", "Items not attaining"),
    "heavy_days": ("重度及以上污染天数", "Days of AQI > 200"),
    "good_day_ratio_pct": ("优良天数比例（%）", "Good days [%]"),
    "composite_index": ("综合指数", "Composite index"),
    "pm25_mean_ugm3": ("PM₂.₅平均浓度（µg/m³）", "PM2.5 mean [µg/m³]"),
    "valid_days": ("有效天数", "Valid days"),
    "class": ("水质类别", "Water class"),
    "target": ("目标类别", "Target class"),
    "main_pollutants": ("主要污染指标", "Main pollutants"),
    "months": ("监测月数", "Months"),
    "target_id": ("目标编号", "Target id"),
    "plan": ("所属规划", "Plan"),
    "indicator": ("指标", "Indicator"),
    "comparator": ("比较", "Comparator"),
    "goal": ("目标值", "Goal"),
    "latest": ("最新值", "Latest value"),
    "projection": ("全年预计值", "Whole-year projection"),
    "status": ("目标状态", "Target status"),
}
"""Names of the evidence fields today's producers publish (a new producer adds its own)."""
CODE_EVIDENCE: Final = frozenset(
    {"mn", "factor", "averaging", "basis", "check", "indicator", "comparator", "status"}
)
"""Evidence fields holding a code (``a21026``, ``hourly``, ``at_risk``), shown as code; their
names are in sibling fields (``factor_name``…) or in the alert's title."""


def evidence_label(key: str, language: str = "zh") -> str:
    """The display name of an evidence field (the key itself when none is registered)."""
    label = translate(f"alerts.evidence.{key}", language)
    return key if label == f"alerts.evidence.{key}" else label


MESSAGES: Catalogue = {
    "nav.alerts": ("预警收件箱", "Alerts inbox"),
    "alerts.inbox": ("预警收件箱", "Alerts inbox"),
    "alerts.detail": ("预警详情", "Alert"),
    "alerts.kind": ("类型", "Kind"),
    "alerts.severity": ("级别", "Severity"),
    "alerts.status": ("状态", "Status"),
    "alerts.title": ("问题", "Problem"),
    "alerts.region": ("区域", "Region"),
    "alerts.site": ("点位/对象", "Site"),
    "alerts.enterprise": ("企业", "Enterprise"),
    "alerts.window": ("时段", "Window"),
    "alerts.occurrences": ("发生次数", "Occurrences"),
    "alerts.last_seen": ("最近发现", "Last seen"),
    "alerts.first_seen": ("首次发现", "First seen"),
    "alerts.evidence": ("证据", "Evidence"),
    "alerts.link": ("查看数据", "Open the data"),
    "alerts.item": ("整改事项", "Rectification item"),
    "alerts.all": ("全部", "All"),
    "alerts.convert": ("转为整改事项", "Convert to a rectification item"),
    "alerts.acknowledge": ("确认", "Acknowledge"),
    "audit.entity.alert": ("预警", "Alert"),
    "audit.entity.alert_rule": ("自动转办规则", "Auto-conversion rule"),
    "audit.action.alerts.publish": ("发布预警", "Publish alerts"),
    "audit.action.alerts.acknowledge": ("确认预警", "Acknowledge an alert"),
    "audit.action.alerts.dismiss": ("排除预警", "Dismiss an alert"),
    "audit.action.alerts.convert": ("预警转整改", "Convert an alert"),
    "audit.action.alerts.resolve": ("事由消除关闭预警", "Close an alert whose cause ended"),
    "audit.action.alerts.rule.create": ("新建自动转办规则", "Create an auto-conversion rule"),
    "audit.action.alerts.rule.update": ("修改自动转办规则", "Change an auto-conversion rule"),
    "alerts.dismiss": ("排除（误报）", "Dismiss (false alarm)"),
    "alerts.note": ("说明", "Note"),
    "alerts.deadline": ("整改期限", "Deadline"),
    "alerts.unit": ("责任单位", "Responsible unit"),
    "alerts.page": (
        "第 {page} / {pages} 页，共 {total} 条",
        "Page {page} of {pages}, {total} alerts",
    ),
    "alerts.previous": ("上一页", "Previous"),
    "alerts.next": ("下一页", "Next"),
    "alerts.rules": ("自动转办规则", "Auto-conversion rules"),
    "alerts.map": ("预警地图图层", "Alerts map layer"),
    "alerts.error.severity": (
        "预警级别“{value}”无效（应为 blue、yellow、orange、red）",
        "unknown severity '{value}' (blue, yellow, orange or red)",
    ),
    "alerts.error.status": ("预警状态“{value}”无效", "unknown alert status '{value}'"),
    "alerts.error.kind": ("预警类型“{value}”未登记", "alert kind '{value}' is not registered"),
    "alerts.error.key": ("预警缺少去重键或去重键过长", "dedupe key empty or too long"),
    "alerts.error.window": ("预警时段的结束早于开始", "the alert's window ends before it starts"),
    "alerts.error.not_found": (
        "预警 {id} 不存在或不在您的管辖范围内",
        "alert {id} does not exist or is outside your scope",
    ),
    "alerts.error.officer": (
        "只有生态环境部门工作人员可以处理预警",
        "only the bureau's officers handle alerts",
    ),
    "alerts.error.reader": (
        "预警收件箱仅对生态环境部门工作人员和领导开放",
        "the alerts inbox is for the bureau's officers and leaders",
    ),
    "alerts.error.state": (
        "预警 {id} 当前状态为“{status}”，不能{action}",
        "alert {id} is {status}: it cannot be {action}",
    ),
    "alerts.error.converter": ("没有名为“{value}”的转办方式", "no converter called '{value}'"),
    "alerts.error.note": ("排除预警须说明理由", "dismissing an alert needs a reason"),
    "alerts.error.page": ("页码须为 1 至 100000 之间的整数", "page must be between 1 and 100000"),
    "alerts.error.region": (
        "区划代码“{value}”无效（应为6位数字）",
        "region code '{value}' is not 6 digits",
    ),
    "alerts.error.rule_pattern": (
        "规则须写明预警类型（可用 * 通配）",
        "a rule needs a kind pattern",
    ),
    "alerts.error.rule_source": ("规则须注明依据", "a rule needs its source"),
    "alerts.error.rule_admin": (
        "只有平台管理员可以修改自动转办规则",
        "only admins change the rules",
    ),
    "alerts.error.rule_not_found": ("自动转办规则 {id} 不存在", "rule {id} does not exist"),
    "alerts.error.deadline_days": ("整改期限天数须在 1 至 365 之间", "deadline days: 1 to 365"),
    "alerts.action.convert": ("转为整改事项", "converted"),
    "alerts.action.acknowledge": ("确认", "acknowledged"),
    "alerts.action.dismiss": ("排除", "dismissed"),
    **{f"alerts.evidence.{key}": names for key, names in EVIDENCE_LABELS.items()},
    **{f"alerts.severity.{s.key}": (s.name_zh, s.name_en) for s in SEVERITIES},
    **{f"alerts.status.{key}": names for key, names in STATUSES.items()},
}
register(MESSAGES)

ALERTS_KIND = ResourceKind(
    "platform.alerts",
    "预警",
    "alerts",
    {
        "read": {**grant(REGIONAL, Scope.REGION), Role.ADMIN: Scope.ALL},
        "advance": officers(),
        "manage": {Role.ADMIN: Scope.ALL},
    },
    refusals={
        "read": MESSAGES["alerts.error.reader"],
        "advance": MESSAGES["alerts.error.officer"],
        "manage": MESSAGES["alerts.error.rule_admin"],
    },
)
"""The alerts inbox in the permission table: officers and leaders read their region's alerts,
officers handle them, admins also change the auto-conversion rules."""
register_kind(ALERTS_KIND)


def severity_legend(when: date) -> Legend:
    """The four warning levels and their colours, as the map's legend of the alerts layer."""
    items = tuple(LegendItem(s.key, s.name_zh, s.name_en, s.colour) for s in SEVERITIES)
    return Legend("alerts.severity", "预警级别", "Warning level", items, source=SEVERITY_SOURCE)


register_platform_layer(
    MapLayer(
        key="alerts",
        title_zh="预警",
        title_en="Alerts",
        url="/api/v1/alerts/map.geojson?region={region}",
        legend="alerts.severity",
        link="/alerts/{id}",
        tooltip=(("级别", "Level", "severity_name"), ("地点", "Site", "site_name")),
        roles=frozenset({Role.ADMIN, *REGIONAL}),
        order=90,
    ),
    severity_legend,
)


def _message(key: str, language: str = "zh", **values: Any) -> str:
    """A message of this module, zh-CN first then English (errors carry both)."""
    zh = translate(key, "zh").format(**values)
    if language == "zh":
        en = translate(key, "en").format(**values)
        return f"{zh} ({en})"
    return translate(key, "en").format(**values)


# --- publishing ----------------------------------------------------------------------------------


def check_draft(draft: AlertDraft) -> None:
    """Refuse a draft a producer got wrong (InputError with the reason)."""
    severity_rank(draft.severity)
    if draft.kind not in kinds():
        raise InputError(_message("alerts.error.kind", value=draft.kind))
    if draft.window_end < draft.window_start:
        raise InputError(_message("alerts.error.window"))
    code = draft.region_code
    if len(code) != 6 or not code.isdigit():
        raise InputError(_message("alerts.error.region", value=code))
    if not draft.dedupe_key or len(draft.dedupe_key) > 160:
        raise InputError(_message("alerts.error.key"))


def _merge(alert: Alert, draft: AlertDraft, now: datetime) -> bool:
    """Merge a newer finding of the same problem into an active alert; False when nothing is
    new (the draft lies within what the alert already covers at no higher severity)."""
    higher = severity_rank(draft.severity) > severity_rank(alert.severity)
    newer = draft.window_end > alert.window_end
    if not (higher or newer):
        return False
    if newer:
        alert.occurrences += 1
        alert.window_end = draft.window_end
        alert.evidence = dict(draft.evidence)
        alert.title = draft.title[:256]
        alert.link = draft.link
    alert.window_start = min(alert.window_start, draft.window_start)
    if higher:
        alert.severity = draft.severity
    alert.last_seen = now
    return True


def _new(draft: AlertDraft, now: datetime) -> Alert:
    return Alert(
        kind=draft.kind,
        severity=draft.severity,
        title=draft.title[:256],
        region_code=draft.region_code,
        enterprise_id=draft.enterprise_id,
        site_code=draft.site_code,
        site_name=draft.site_name,
        lon=draft.lon if draft.lon is not None and math.isfinite(draft.lon) else None,
        lat=draft.lat if draft.lat is not None and math.isfinite(draft.lat) else None,
        window_start=draft.window_start,
        window_end=draft.window_end,
        evidence=dict(draft.evidence),
        link=draft.link,
        dedupe_key=draft.dedupe_key,
        open_key=draft.dedupe_key,
        occurrences=1,
        status="open",
        first_seen=now,
        last_seen=now,
    )


def _latest_windows(session: Session, keys: Sequence[str]) -> dict[str, datetime]:
    """The furthest window end any settled alert of each key covered."""
    rows = session.execute(
        select(Alert.dedupe_key, func.max(Alert.window_end))
        .where(Alert.dedupe_key.in_(keys), Alert.status.not_in(ACTIVE_STATUSES))
        .group_by(Alert.dedupe_key)
    ).all()
    return {str(key): end for key, end in rows}


def _as_aware(value: datetime | str) -> datetime:
    # SQLite aggregates bypass the column type and hand back naive UTC text values.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=utcnow().tzinfo)


@dataclass(frozen=True)
class Published:
    """What :func:`publish` did: alert ids created, merged, and those converted by a rule."""

    created: tuple[int, ...] = ()
    merged: tuple[int, ...] = ()
    converted: tuple[int, ...] = ()


def publish(db: Database, drafts: Iterable[AlertDraft]) -> Published:
    """Publish what a producer found (as the system: producers run for any reader).

    A draft a producer got wrong (:func:`check_draft`) is logged and skipped. Idempotent: a
    draft already covered by an alert of its dedupe key changes nothing, so a
    computation may republish its whole result on every run at the cost of one query. Drafts of
    one key are taken in the order of their window ends (several events of a run merge as they
    would one run after another). New and raised alerts are then matched against the
    auto-conversion rules. A concurrent publisher opening the same key first is merged into.
    """
    by_key: dict[str, list[AlertDraft]] = {}
    for draft in drafts:
        try:
            check_draft(draft)
        except InputError as refusal:  # one bad finding must not take the producer's page down
            LOG.warning("alert draft %s skipped: %s", draft.dedupe_key, refusal)
            continue
        by_key.setdefault(draft.dedupe_key, []).append(draft)
    if not by_key:
        return Published()
    for queue in by_key.values():
        queue.sort(key=lambda d: (d.window_end, severity_rank(d.severity)))
    try:
        try:
            published = _publish_once(db, by_key)
        except IntegrityError:  # another publisher opened one of the keys meanwhile: merge
            published = _publish_once(db, by_key)
    except OperationalError:
        # A busy or unreachable database must not fail the page that computed the problem;
        # the next run publishes it again (publishing is idempotent).
        LOG.exception("alerts of %d keys not published this time", len(by_key))
        return Published()
    _notify(db, published.created + published.merged)
    return published


def _notify(db: Database, alert_ids: Sequence[int]) -> None:
    """Tell every listener which alerts are new or changed (after their transaction). A
    listener's failure is logged: it must not undo or fail the publication."""
    found = listeners()
    if not alert_ids or not found:
        return
    with db.transaction(SYSTEM) as session:
        views = [view_of(alert) for alert in session.scalars(
            select(Alert).where(Alert.id.in_(alert_ids)).order_by(Alert.id)
        )]  # fmt: skip
    for listener in found:
        try:
            listener(db, views)
        except Exception:  # a follower's bug must not fail the producer
            LOG.exception("alert listener %s failed", getattr(listener, "__qualname__", listener))


def _publish_once(db: Database, by_key: Mapping[str, Sequence[AlertDraft]]) -> Published:
    keys = list(by_key)
    created: list[Alert] = []
    merged: list[Alert] = []
    with db.transaction(SYSTEM, action="alerts.publish") as session:
        active = {
            alert.dedupe_key: alert
            for alert in session.scalars(select(Alert).where(Alert.open_key.in_(keys)))
        }
        settled = _latest_windows(session, [key for key in keys if key not in active])
        now = utcnow()
        for key, queue in by_key.items():
            alert = active.get(key)
            changed = False
            for draft in queue:
                if alert is not None:
                    changed = _merge(alert, draft, now) or changed
                elif key not in settled or draft.window_end > _as_aware(settled[key]):
                    alert = _new(draft, now)
                    session.add(alert)
                    created.append(alert)
            if changed and alert is not None and key in active:
                merged.append(alert)
        session.flush()
        candidates = [(a.id, a.kind, a.severity, a.region_code, a.status) for a in created + merged]
    converted = _apply_rules(db, candidates)
    return Published(tuple(a.id for a in created), tuple(a.id for a in merged), tuple(converted))


def matching_rule(
    rules: Sequence[AlertRule], kind: str, severity: str, region_code: str
) -> AlertRule | None:
    """The first enabled rule (by id) converting an alert of this kind, severity and region."""
    rank = severity_rank(severity)
    for rule in sorted(rules, key=lambda r: r.id):
        if (
            rule.enabled
            and fnmatch.fnmatchcase(kind, rule.kind_pattern)
            and rank >= severity_rank(rule.min_severity)
            and (rule.region_code is None or region_within(region_code, rule.region_code))
        ):
            return rule
    return None


def _apply_rules(db: Database, candidates: Sequence[tuple[int, str, str, str, str]]) -> list[int]:
    pending = [c for c in candidates if c[4] in CONVERTIBLE_STATUSES]
    if not pending:
        return []
    with db.transaction(SYSTEM) as session:
        rules = list(session.scalars(select(AlertRule)))
    converted: list[int] = []
    for alert_id, kind, severity, region_code, _ in pending:
        rule = matching_rule(rules, kind, severity, region_code)
        if rule is None or rule.converter not in converters():
            continue
        request = ConversionRequest(
            deadline_days=rule.deadline_days, note=f"自动转办规则 #{rule.id}：{rule.source}"
        )
        convert(db, SYSTEM, alert_id, rule.converter, request)
        converted.append(alert_id)
    return converted


# --- reading -------------------------------------------------------------------------------------


def require_reader(principal: Principal) -> None:
    """The inbox is read by officers and leaders of a region and admins (the permission table)."""
    authorize(principal, "read", ALERTS_KIND)


def require_handler(principal: Principal) -> None:
    """Alerts are handled (acknowledged, dismissed, converted) by officers and admins."""
    authorize(principal, "advance", ALERTS_KIND)


def _converted_link(ref: str | None) -> str | None:
    if not ref or ":" not in ref:
        return None
    converter = converters().get(ref.split(":", 1)[0])
    return converter.link(ref) if converter else None


def view_of(alert: Alert) -> AlertView:
    """The plain view of an alert row."""
    return AlertView(
        id=alert.id,
        kind=alert.kind,
        severity=alert.severity,
        title=alert.title,
        region_code=alert.region_code,
        enterprise_id=alert.enterprise_id,
        site_code=alert.site_code,
        site_name=alert.site_name,
        window_start=alert.window_start,
        window_end=alert.window_end,
        evidence=dict(alert.evidence or {}),
        link=alert.link,
        dedupe_key=alert.dedupe_key,
        occurrences=alert.occurrences,
        status=alert.status,
        first_seen=alert.first_seen,
        last_seen=alert.last_seen,
        converted_ref=alert.converted_ref,
        converted_link=_converted_link(alert.converted_ref),
        note=alert.note,
        lon=alert.lon,
        lat=alert.lat,
    )


MAX_PAGE: Final = 100_000


@dataclass(frozen=True)
class InboxFilter:
    """Filters of the inbox: region (and below), kind (or ``prefix.*``), severity (this level
    and above when ``at_least``), status; ``active`` for open, acknowledged and converted;
    ``since``/``until``: the window ends at or after ``since`` and before ``until``;
    ``seen_since``: last seen at or after that moment. ``newest_first`` orders by the last
    sighting alone (a ticker of what arrives) instead of most severe first."""

    region: str | None = None
    kind: str | None = None
    severity: str | None = None
    at_least: bool = False
    status: str | None = None
    page: int = 1
    per_page: int = 25
    since: datetime | None = None
    until: datetime | None = None
    seen_since: datetime | None = None
    newest_first: bool = False


@dataclass(frozen=True)
class InboxPage:
    """One page of the inbox, most severe and most recent first."""

    alerts: list[AlertView]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the filtered inbox has (at least 1)."""
        return max(1, math.ceil(self.total / self.per_page))


def _severity_order() -> Any:
    return case({s.key: s.rank for s in SEVERITIES}, value=Alert.severity, else_=0)


def _conditions(flt: InboxFilter) -> list[Any]:
    conditions: list[Any] = []
    if flt.region:
        if len(flt.region) != 6 or not flt.region.isdigit():
            raise InputError(_message("alerts.error.region", value=flt.region))
        conditions.append(Alert.region_code.startswith(region_prefix(flt.region)))
    if flt.kind:
        if flt.kind.endswith("*"):
            conditions.append(Alert.kind.startswith(flt.kind.rstrip("*"), autoescape=True))
        else:
            conditions.append(Alert.kind == flt.kind)
    if flt.severity:
        rank = severity_rank(flt.severity)
        if flt.at_least:
            conditions.append(Alert.severity.in_([s.key for s in SEVERITIES if s.rank >= rank]))
        else:
            conditions.append(Alert.severity == flt.severity)
    if flt.status == "active":
        conditions.append(Alert.status.in_(ACTIVE_STATUSES))
    elif flt.status:
        if flt.status not in STATUSES:
            raise InputError(_message("alerts.error.status", value=flt.status))
        conditions.append(Alert.status == flt.status)
    if flt.since is not None:
        conditions.append(Alert.window_end >= flt.since)
    if flt.until is not None:
        conditions.append(Alert.window_end < flt.until)
    if flt.seen_since is not None:
        conditions.append(Alert.last_seen >= flt.seen_since)
    return conditions


def inbox(db: Database, principal: Principal, flt: InboxFilter) -> InboxPage:
    """The alerts the principal may see (own region and below), filtered and paged."""
    require_reader(principal)
    if not 1 <= flt.page <= MAX_PAGE:
        raise InputError(_message("alerts.error.page"))
    per_page = min(max(flt.per_page, 1), 200)
    conditions = _conditions(flt)
    first = () if flt.newest_first else (_severity_order().desc(),)
    with db.transaction(principal) as session:
        total = session.scalar(select(func.count(Alert.id)).where(*conditions)) or 0
        rows = session.scalars(
            select(Alert)
            .where(*conditions)
            .order_by(*first, Alert.last_seen.desc(), Alert.id.desc())
            .offset((flt.page - 1) * per_page)
            .limit(per_page)
        )
        return InboxPage([view_of(alert) for alert in rows], total, flt.page, per_page)


def _load(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id) if 0 < alert_id < 2**63 else None
    if alert is None:
        raise NotFound(_message("alerts.error.not_found", id=alert_id))
    return alert


def of_enterprises(
    db: Database,
    principal: Principal,
    enterprise_ids: Sequence[int],
    start: datetime,
    end: datetime,
) -> list[AlertView]:
    """The alerts about these enterprises whose window meets [start, end], false alarms
    (dismissed) left out, oldest first: the evidence other domains (credit, risk) rest on."""
    require_reader(principal)
    if not enterprise_ids:
        return []
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(Alert)
            .where(
                Alert.enterprise_id.in_(list(enterprise_ids)),
                Alert.status != "dismissed",
                Alert.window_end >= start,
                Alert.window_start <= end,
            )
            .order_by(Alert.window_end, Alert.id)
        )
        return [view_of(alert) for alert in rows]


def get(db: Database, principal: Principal, alert_id: int) -> AlertView:
    """One alert (NotFound when absent or outside the principal's scope)."""
    require_reader(principal)
    with db.transaction(principal) as session:
        return view_of(_load(session, alert_id))


def rules(db: Database, principal: Principal) -> list[AlertRule]:
    """The auto-conversion rules, in the order they are tried."""
    require_reader(principal)
    with db.transaction(principal) as session:
        return list(session.scalars(select(AlertRule).order_by(AlertRule.id)))


@dataclass(frozen=True)
class RuleChange:
    """A new auto-conversion rule, or the fields of one to change (None: unchanged)."""

    kind_pattern: str | None = None
    min_severity: str | None = None
    converter: str | None = None
    region_code: str | None = None
    deadline_days: int | None = None
    enabled: bool | None = None
    source: str | None = None


def _check_rule(rule: AlertRule) -> None:
    severity_rank(rule.min_severity)
    if not rule.kind_pattern or not rule.kind_pattern.strip():
        raise InputError(_message("alerts.error.rule_pattern"))
    if rule.converter not in converters():
        raise InputError(_message("alerts.error.converter", value=rule.converter))
    if rule.region_code is not None and (
        len(rule.region_code) != 6 or not rule.region_code.isdigit()
    ):
        raise InputError(_message("alerts.error.region", value=rule.region_code))
    if not 1 <= rule.deadline_days <= 365:
        raise InputError(_message("alerts.error.deadline_days"))
    if not rule.source or not rule.source.strip():
        raise InputError(_message("alerts.error.rule_source"))


def _require_admin(principal: Principal) -> None:
    authorize(principal, "manage", ALERTS_KIND)


def add_rule(db: Database, principal: Principal, change: RuleChange) -> int:
    """Add an auto-conversion rule (admins; audited); returns its id."""
    _require_admin(principal)
    rule = AlertRule(
        kind_pattern=(change.kind_pattern or "").strip(),
        min_severity=change.min_severity or "red",
        converter=change.converter or "rectification",
        region_code=change.region_code,
        deadline_days=30 if change.deadline_days is None else change.deadline_days,
        enabled=True if change.enabled is None else change.enabled,
        source=(change.source or "").strip(),
    )
    _check_rule(rule)
    with db.transaction(principal, action="alerts.rule.create") as session:
        session.add(rule)
        session.flush()
        return rule.id


def update_rule(db: Database, principal: Principal, rule_id: int, change: RuleChange) -> None:
    """Change an auto-conversion rule, e.g. switch it off (admins; audited)."""
    _require_admin(principal)
    with db.transaction(principal, action="alerts.rule.update") as session:
        rule = session.get(AlertRule, rule_id) if 0 < rule_id < 2**63 else None
        if rule is None:
            raise NotFound(_message("alerts.error.rule_not_found", id=rule_id))
        for name in ("kind_pattern", "min_severity", "converter", "region_code"):
            value = getattr(change, name)
            if value is not None:
                setattr(rule, name, value.strip() if isinstance(value, str) else value)
        if change.deadline_days is not None:
            rule.deadline_days = change.deadline_days
        if change.enabled is not None:
            rule.enabled = change.enabled
        if change.source is not None:
            rule.source = change.source.strip()
        _check_rule(rule)


# --- handling ------------------------------------------------------------------------------------


def _refuse_state(alert: Alert, action: str) -> Conflict:
    status = translate(f"alerts.status.{alert.status}", "zh")
    return Conflict(
        _message(
            "alerts.error.state",
            id=alert.id,
            status=status,
            action=translate(f"alerts.action.{action}", "zh"),
        )
    )


def acknowledge(db: Database, principal: Principal, alert_id: int, note: str | None = None) -> str:
    """An officer has seen the alert and takes it on (确认); returns the new status."""
    require_handler(principal)
    with db.transaction(principal, action="alerts.acknowledge") as session:
        alert = _load(session, alert_id)
        if alert.status != "open":
            raise _refuse_state(alert, "acknowledge")
        alert.status = "acknowledged"
        alert.handled_by = principal.username
        if note and note.strip():
            alert.note = note.strip()
        return alert.status


def dismiss(db: Database, principal: Principal, alert_id: int, note: str) -> str:
    """A false alarm (排除), with the reason; the key may open a new alert for newer data."""
    require_handler(principal)
    if not note or not note.strip():
        raise InputError(_message("alerts.error.note"))
    with db.transaction(principal, action="alerts.dismiss") as session:
        alert = _load(session, alert_id)
        if alert.status not in CONVERTIBLE_STATUSES:
            raise _refuse_state(alert, "dismiss")
        alert.status = "dismissed"
        alert.open_key = None
        alert.handled_by = principal.username
        alert.note = note.strip()
        alert.closed_at = utcnow()
        status = alert.status
    _notify(db, [alert_id])
    return status


def resolve(db: Database, principal: Principal, dedupe_key: str, note: str) -> list[int]:
    """The producer's cause of the open alert of ``dedupe_key`` has ended (e.g. a warning was
    lifted): close it (关闭) with the note, audited; an alert already converted into an item
    stays with its item (:func:`settle`). Returns the ids closed."""
    require_handler(principal)
    with db.transaction(principal, action="alerts.resolve") as session:
        found = session.scalars(
            select(Alert).where(Alert.open_key == dedupe_key)
            .where(Alert.status.in_(CONVERTIBLE_STATUSES))
        ).all()  # fmt: skip
        for alert in found:
            alert.status = "closed"
            alert.open_key = None
            alert.handled_by = principal.username
            alert.note = note.strip() or None
            alert.closed_at = utcnow()
        closed = [alert.id for alert in found]
    if closed:
        _notify(db, closed)
    return closed


def convert(
    db: Database,
    principal: Principal,
    alert_id: int,
    converter: str = "rectification",
    request: ConversionRequest | None = None,
) -> str:
    """Turn an alert into an item tracked to closure (转为整改事项); returns the item's reference.

    The converter (registered by the domain owning the item) creates the item in its own
    transaction as ``principal``; the alert then records it and counts as converted.
    """
    require_handler(principal)
    found = converters().get(converter)
    if found is None:
        raise InputError(_message("alerts.error.converter", value=converter))
    with db.transaction(principal) as session:
        alert = _load(session, alert_id)
        if alert.status not in CONVERTIBLE_STATUSES:
            raise _refuse_state(alert, "convert")
        view = view_of(alert)
    ref = found.convert(db, principal, view, request or ConversionRequest())
    with db.transaction(principal, action="alerts.convert") as session:
        alert = _load(session, alert_id)
        alert.status = "converted"
        alert.converted_ref = ref
        alert.handled_by = principal.username
        if request and request.note:
            alert.note = request.note
        return ref


def settle(session: Session, ref: str, *, closed: bool) -> int:
    """Follow the item ``ref`` (``rectification:12``) an alert was converted into: closing it
    closes the alert (销号); reopening it makes the alert converted (active) again. Called in the
    owning domain's transaction; returns how many alerts changed."""
    changed = 0
    for alert in session.scalars(select(Alert).where(Alert.converted_ref == ref)):
        if closed and alert.status == "converted":
            alert.status = "closed"
            alert.open_key = None
            alert.closed_at = utcnow()
            changed += 1
        elif not closed and alert.status == "closed":
            taken = session.scalar(select(Alert.id).where(Alert.open_key == alert.dedupe_key))
            if taken is None:
                alert.status = "converted"
                alert.open_key = alert.dedupe_key
                alert.closed_at = None
                changed += 1
    return changed


# --- the map layer -------------------------------------------------------------------------------


def geojson(db: Database, principal: Principal, region: str | None = None) -> dict[str, Any]:
    """Active alerts as a GeoJSON FeatureCollection for the map's alerts layer.

    Alerts with a site carry its point [WGS-84 lon, lat]; the others a null geometry and their
    ``region_code``, for the map to shade the region.
    """
    require_reader(principal)
    conditions = _conditions(InboxFilter(region=region, status="active"))
    with db.transaction(principal) as session:
        rows = list(
            session.scalars(
                select(Alert)
                .where(*conditions)
                .order_by(_severity_order().desc(), Alert.id)
                .limit(5000)
            )
        )
        features = [
            {
                "type": "Feature",
                "id": alert.id,
                "geometry": (
                    {"type": "Point", "coordinates": [alert.lon, alert.lat]}
                    if alert.lon is not None and alert.lat is not None
                    else None
                ),
                "properties": {
                    "id": alert.id,
                    "kind": alert.kind,
                    "severity": alert.severity,
                    "severity_name": SEVERITY[alert.severity].name_zh,
                    "category": alert.severity,
                    "name": alert.title,
                    "colour": SEVERITY[alert.severity].colour,
                    "title": alert.title,
                    "region_code": alert.region_code,
                    "site_name": alert.site_name,
                    "status": alert.status,
                    "occurrences": alert.occurrences,
                    "url": f"/alerts/{alert.id}",
                },
            }
            for alert in rows
        ]
    return {"type": "FeatureCollection", "features": features}
