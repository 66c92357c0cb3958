"""Complaints (信访投诉): intake from the portal, officers' phone logs and 12345 export files, the
receipt code, the handling machine with its clocks and escalation, clusters of duplicates, the
complainant's privacy, rewards and the link to a rectification item (GOVERNANCE.md §4).

Privacy: the identity (name, phone, e-mail, client address) lives in its own table and resource
kind; only :func:`identity_of` reads it, for the handling officers, and audits every read. What
the public sees of a complaint is :class:`PublicStatus` (status, dates, the answer) only.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ecogov.complaints.access import COMPLAINANTS, COMPLAINTS
from ecogov.complaints.models import (
    CATEGORIES,
    CHANNELS,
    ComplainantIdentity,
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    ComplaintReward,
)
from ecogov.complaints.workflow import COMPLAINT, PUBLIC_ANSWER_STATES, due_in
from ecogov.platform import alerts, audit
from ecogov.platform.clock import now as clock_now
from ecogov.platform.clock import today as clock_today
from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError, InputError, NotFound, TooManyRequests
from ecogov.platform.i18n import both
from ecogov.platform.permissions import authorize
from ecogov.platform.readers import (
    CellError,
    RowError,
    enforce,
    open_table,
    parse_datetime,
    require_text,
    resolve_columns,
    row_error,
)
from ecogov.platform.rejects import record_refused, record_run
from ecogov.platform.scope import SYSTEM, Principal, region_prefix
from ecogov.platform.statemachine import check_move, sweep
from ecogov.platform.uploads import base_name, checked_image
from ecogov.regions.models import Region
from ecogov.regions.service import boundary_covers
from ecogov.sources.models import Enterprise
from ecogov.standards.complaints import ComplaintRules, default_rules, distance_m
from ecogov.standards.periods import Period
from ecogov.standards.timebase import BEIJING

OVERDUE_KIND: Final = alerts.AlertKind(
    "complaints.overdue", "信访投诉办理超期", "Complaint overdue"
)
REPEAT_KIND: Final = alerts.AlertKind("complaints.repeat", "重复信访", "Repeated complaint")
VERIFIED_KIND: Final = alerts.AlertKind(
    "complaints.verified", "经查实的信访投诉", "Verified complaint"
)

# --- receipt codes ---------------------------------------------------------------------------

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: no I, L, O, U (read aloud and typed without confusion)."""
CODE_BODY: Final = 11
"""Random characters of a receipt code: 55 bits, beyond guessing by any rate-limited client."""
_READ_AS: Final = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def _check_char(body: str) -> str:
    digest = hashlib.sha256(body.encode("ascii")).digest()
    return ALPHABET[digest[0] % 32]


def new_code() -> str:
    """A fresh receipt code (查询码): 11 random base32 characters and a check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_BODY))
    return body + _check_char(body)


def normalise_code(text: str) -> str:
    """A typed receipt code in its stored form (upper case, no dashes or spaces, O→0, I/L→1);
    InputError when it is not 12 base32 characters or its check character is wrong."""
    code = text.strip().upper().translate(_READ_AS)
    if len(code) != CODE_BODY + 1 or any(c not in ALPHABET for c in code):
        raise InputError(both("complaints.error.code_form"))
    if _check_char(code[:-1]) != code[-1]:
        raise InputError(both("complaints.error.code_check"))
    return code


def display_code(code: str) -> str:
    """A code as shown and printed: ``XXXX-XXXX-XXXX``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- intake ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Photo:
    """A photo as uploaded (its declared type is not trusted: the bytes are checked)."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class NewComplaint:
    """What a complaint says: category, text, where (region, typed address and/or a point),
    photos, the enterprise concerned if known, and the optional identity and contact."""

    region_code: str
    category: str
    text: str
    address: str | None = None
    lon: float | None = None
    lat: float | None = None
    photos: Sequence[Photo] = ()
    enterprise_id: int | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    channel: str = "portal"
    external_no: str | None = None
    received_at: datetime | None = None


@dataclass(frozen=True)
class Receipt:
    """What the complainant gets back: the receipt code (shown once) and the complaint number."""

    id: int
    no: str
    code: str
    cluster_id: int | None = None


def _contact(new: NewComplaint) -> str | None:
    if new.phone and new.phone.strip():
        return "".join(c for c in new.phone if c.isdigit())
    if new.email and new.email.strip():
        return new.email.strip().casefold()
    return None


def _check(new: NewComplaint, rules: ComplaintRules) -> None:
    if new.category not in CATEGORIES:
        raise InputError(both("complaints.error.category", value=new.category))
    if new.channel not in CHANNELS:
        raise InputError(both("complaints.error.channel", value=new.channel))
    if not new.text.strip() or len(new.text) > rules.text_max_chars:
        raise InputError(both("complaints.error.text", limit=rules.text_max_chars))
    if not (new.address and new.address.strip()) and (new.lon is None or new.lat is None):
        raise InputError(both("complaints.error.place"))
    if (new.lon is None) != (new.lat is None) or (
        new.lon is not None
        and new.lat is not None
        and not (73 <= new.lon <= 136 and 3 <= new.lat <= 54)
    ):
        raise InputError(both("complaints.error.point"))
    if len(new.photos) > rules.photos.max_count:
        raise InputError(both("complaints.error.photos", limit=rules.photos.max_count))
    if len(new.region_code) != 6 or not new.region_code.isdigit():
        raise InputError(both("complaints.error.region", value=new.region_code))


def _check_abuse(
    db: Database, new: NewComplaint, client_ip: str | None, rules: ComplaintRules
) -> None:
    """Refuse (429) a public intake past the abuse limits, counted on the stored complaints."""
    moment = clock_now().astimezone(UTC)
    contact = _contact(new)
    with db.transaction(SYSTEM) as session:

        def count(column: Any, value: str, hours: int) -> int:
            return (
                session.scalar(
                    select(func.count(ComplainantIdentity.id)).where(
                        column == value,
                        ComplainantIdentity.received_at > moment - timedelta(hours=hours),
                    )
                )
                or 0
            )

        ip_col, contact_col = ComplainantIdentity.client_ip, ComplainantIdentity.contact_hash
        if client_ip and (
            count(ip_col, client_ip, 1) >= rules.abuse.per_ip_hour
            or count(ip_col, client_ip, 24) >= rules.abuse.per_ip_day
        ):
            raise TooManyRequests(both("complaints.error.too_many"), 3600)
        if contact and count(contact_col, _hash(contact), 24) >= rules.abuse.per_contact_day:
            raise TooManyRequests(both("complaints.error.too_many"), 86_400)


def _check_within_bureau(session: Session, new: NewComplaint) -> None:
    """Refuse a point outside the province of the complaint's region (the bureau's region, a
    province in use, whose boundary is stored): a click beside the map, or a typo."""
    if new.lon is None or new.lat is None:
        return
    province = new.region_code[:2] + "0000"
    if not boundary_covers(session, province, new.lon, new.lat):
        name = session.scalar(select(Region.name).where(Region.code == province)) or province
        raise InputError(both("complaints.error.outside", lon=new.lon, lat=new.lat, region=name))


def file_complaint(
    db: Database,
    principal: Principal,
    new: NewComplaint,
    client_ip: str | None = None,
    rules: ComplaintRules | None = None,
) -> Receipt:
    """Register a complaint (登记): from the portal (anonymous allowed: the only anonymous
    write), or logged by an officer from a 12345/12369 call. Checks the text, the place and the
    photos (type by their bytes, size), the abuse limits (public intake), then stores it with its
    receipt code's hash, links it into a case of duplicates and returns the receipt."""
    rules = rules or default_rules()
    authorize(principal, "create", COMPLAINTS)
    _check(new, rules)
    photos = _checked_photos(new, rules)
    if not principal.is_authenticated:
        _check_abuse(db, new, client_ip, rules)
    # The anonymous intake is stored by the system on the visitor's behalf (its number needs the
    # row's id, an update the public may not make); ``filed_by`` records who filed it.
    writer = principal if principal.is_authenticated else SYSTEM
    with db.transaction(writer, action="complaints.file") as session:
        complaint, code = _store(session, principal, new, photos, client_ip, rules)
        complaint_id, no = complaint.id, complaint.no
    cluster = link_cluster(db, complaint_id, rules)
    return Receipt(complaint_id, no, code, cluster)


def _checked_photos(new: NewComplaint, rules: ComplaintRules) -> list[tuple[Photo, str]]:
    return [
        (p, checked_image(p.filename, p.content, rules.photos.types, rules.photos.max_bytes))
        for p in new.photos
    ]


def _store(
    session: Session,
    principal: Principal,
    new: NewComplaint,
    photos: Sequence[tuple[Photo, str]],
    client_ip: str | None,
    rules: ComplaintRules,
) -> tuple[Complaint, str]:
    """Add a checked complaint with its identity, photos and first event in ``session``; the
    complaint (flushed: it has its id and number) and its receipt code."""
    _check_within_bureau(session, new)
    code = new_code()
    moment = (new.received_at or clock_now()).astimezone(UTC)
    received_on = moment.astimezone(BEIJING).date()
    contact = _contact(new)
    complaint = Complaint(
        region_code=new.region_code,
        enterprise_id=new.enterprise_id,
        no="",
        code_hash=_hash(code),
        channel=new.channel,
        external_no=new.external_no,
        category=new.category,
        text=new.text.strip(),
        address=(new.address or "").strip() or None,
        lon=new.lon,
        lat=new.lat,
        anonymous=not (new.name or contact),
        received_at=moment,
        received_on=received_on,
        state="registered",
        due_on=due_in(rules, "registered", received=received_on, accepted=None, today=received_on),
        filed_by=principal.username,
    )
    session.add(complaint)
    session.flush()
    complaint.no = f"{new.region_code}-{received_on.year}-{complaint.id:06d}"
    session.add(
        ComplainantIdentity(
            region_code=new.region_code,
            complaint_id=complaint.id,
            name=(new.name or "").strip() or None,
            phone=(new.phone or "").strip() or None,
            email=(new.email or "").strip() or None,
            contact_hash=_hash(contact) if contact else None,
            client_ip=client_ip,
            received_at=moment,
        )
    )
    for photo, media in photos:
        session.add(
            ComplaintPhoto(
                region_code=new.region_code,
                complaint_id=complaint.id,
                filename=base_name(photo.filename, "photo"),
                content_type=media,
                sha256=hashlib.sha256(photo.content).hexdigest(),
                content=photo.content,
            )
        )
    _event(session, complaint, "file", "registered", principal.username, None)
    session.flush()
    return complaint, code


def _event(
    session: Session, complaint: Complaint, move: str, target: str, actor: str, note: str | None
) -> None:
    session.add(
        ComplaintEvent(
            region_code=complaint.region_code,
            complaint_id=complaint.id,
            move=move,
            from_state="" if move == "file" else complaint.state,
            to_state=target,
            actor=actor,
            note=note,
            at=clock_now(),
        )
    )


# --- clusters --------------------------------------------------------------------------------


def same_case(a: Complaint, b: Complaint, rules: ComplaintRules) -> bool:
    """Whether two complaints are about the same thing: one category, received within the
    cluster window, and the same enterprise, the same typed address, or points within the
    cluster distance."""
    if a.category != b.category:
        return False
    if abs(a.received_at - b.received_at) > timedelta(days=rules.cluster.window_days):
        return False
    if a.enterprise_id is not None and a.enterprise_id == b.enterprise_id:
        return True
    if a.address and b.address and "".join(a.address.split()) == "".join(b.address.split()):
        return True
    if a.lon is None or a.lat is None or b.lon is None or b.lat is None:
        return False
    return distance_m(a.lon, a.lat, b.lon, b.lat) <= rules.cluster.distance_m


def link_cluster(
    db: Database, complaint_id: int, rules: ComplaintRules | None = None
) -> int | None:
    """Link a complaint into the case (cluster) of an earlier complaint about the same thing
    (:func:`same_case`): its ``cluster_id`` becomes that case's (the id of the case's first
    complaint). A case reaching the repeat threshold raises a 重复信访 alert. Returns the case
    id, None when the complaint stands alone."""
    rules = rules or default_rules()
    with db.transaction(SYSTEM, action="complaints.cluster") as session:
        complaint = session.get(Complaint, complaint_id)
        assert complaint is not None
        window = timedelta(days=rules.cluster.window_days)
        earlier = session.scalars(
            select(Complaint)
            .where(
                Complaint.id != complaint.id,
                Complaint.category == complaint.category,
                Complaint.received_at >= complaint.received_at - window,
                Complaint.received_at <= complaint.received_at,
            )
            .order_by(Complaint.received_at, Complaint.id)
        ).all()
        match = next((c for c in earlier if same_case(complaint, c, rules)), None)
        if match is None:
            return None
        if match.cluster_id is None:
            match.cluster_id = match.id
        complaint.cluster_id = match.cluster_id
        size = (
            session.scalar(
                select(func.count(Complaint.id)).where(Complaint.cluster_id == match.cluster_id)
            )
            or 0
        )
        cluster_id: int = match.cluster_id
        root = session.get(Complaint, cluster_id)
        assert root is not None
        draft = (
            _repeat_draft(root, complaint, size) if size >= rules.cluster.repeat_threshold else None
        )
    if draft is not None:
        alerts.publish(db, [draft])
    return cluster_id


def _repeat_draft(root: Complaint, latest: Complaint, size: int) -> alerts.AlertDraft:
    return alerts.AlertDraft(
        kind=REPEAT_KIND.key,
        severity="orange" if size < 2 * 3 else "red",
        title=f"重复信访：{root.no} 等 {size} 件（{root.address or root.category}）",
        region_code=root.region_code,
        window_start=root.received_at,
        window_end=max(root.received_at, latest.received_at) + timedelta(seconds=size),
        dedupe_key=f"complaints.repeat:{root.id}",
        evidence={"complaints": size, "category": root.category},
        link=f"/complaints/{root.id}",
        enterprise_id=root.enterprise_id,
        lon=root.lon,
        lat=root.lat,
    )


# --- moves -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveInput:
    """What a move may carry besides its note: the handling unit and region (转办), whether the
    site check verified the complaint (办理), the satisfaction (回访), the enterprise."""

    unit_name: str | None = None
    unit_region: str | None = None
    verified: bool | None = None
    satisfaction: str | None = None
    enterprise_id: int | None = None


SATISFACTION: Final = ("satisfied", "basically", "unsatisfied")
"""回访 answers: 满意、基本满意、不满意."""


def _load(session: Session, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(both("complaints.error.not_found", id=complaint_id))
    return complaint


def act(
    db: Database,
    principal: Principal,
    complaint_id: int,
    action: str,
    note: str | None = None,
    data: MoveInput | None = None,
    rules: ComplaintRules | None = None,
) -> str:
    """Make the move ``action`` on a complaint; returns its new state and restarts the clock of
    that state. Refused (zh-CN first) when the machine does not allow it from the current state,
    the principal is not an officer of the complaint's region, or its note or data is missing."""
    rules = rules or default_rules()
    data = data or MoveInput()
    authorize(principal, "advance", COMPLAINTS)
    today = clock_today()
    with db.transaction(principal, action=f"complaints.{action}") as session:
        complaint = _load(session, complaint_id)
        authorize(principal, "advance", COMPLAINTS, complaint)
        move = check_move(
            COMPLAINT, action, complaint.state, principal, complaint.region_code, note=note
        )
        _apply(session, principal, complaint, action, note, data, today)
        _event(session, complaint, action, move.target, principal.username, note)
        complaint.state = move.target
        complaint.due_on = due_in(
            rules,
            move.target,
            received=complaint.received_on,
            accepted=complaint.accepted_on,
            today=today,
            extended=complaint.extended,
        )
        verified = (
            _verified_draft(complaint)
            if action == "handle" and complaint.verified and complaint.enterprise_id is not None
            else None
        )
    if verified is not None:
        # The inbox tells its listeners (the enterprise's credit grade) of the verified complaint.
        alerts.publish(db, [verified])
    return move.target


def _apply(
    session: Session,
    principal: Principal,
    complaint: Complaint,
    action: str,
    note: str | None,
    data: MoveInput,
    today: date,
) -> None:
    if action == "accept":
        complaint.accepted_on = today
    elif action == "reject":
        complaint.reason = (note or "").strip()
    elif action == "assign":
        if not (data.unit_name and data.unit_name.strip()):
            raise InputError(both("complaints.error.unit"))
        region = data.unit_region or complaint.region_code
        authorize(principal, "advance", COMPLAINTS, region)
        complaint.unit_name = data.unit_name.strip()
        if region != complaint.region_code:
            for row in _children(session, complaint.id):
                row.region_code = region
            complaint.region_code = region
    elif action == "handle":
        if data.verified is None:
            raise InputError(both("complaints.error.verified"))
        complaint.verified = data.verified
        if data.enterprise_id is not None:
            if session.get(Enterprise, data.enterprise_id) is None:
                raise NotFound(both("complaints.error.enterprise", id=data.enterprise_id))
            complaint.enterprise_id = data.enterprise_id
    elif action == "extend":
        if complaint.extended:
            raise InputError(both("complaints.error.extended"))
        complaint.extended = True
    elif action == "answer":
        complaint.answer = (note or "").strip()
        complaint.answered_on = today
    elif action == "follow_up":
        if data.satisfaction not in SATISFACTION:
            raise InputError(both("complaints.error.satisfaction"))
        complaint.satisfaction = data.satisfaction


def _children(
    session: Session, complaint_id: int
) -> list[ComplaintEvent | ComplaintPhoto | ComplainantIdentity]:
    rows: list[ComplaintEvent | ComplaintPhoto | ComplainantIdentity] = []
    rows += session.scalars(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint_id)
    )
    rows += session.scalars(
        select(ComplaintPhoto).where(ComplaintPhoto.complaint_id == complaint_id)
    )
    rows += session.scalars(
        select(ComplainantIdentity).where(ComplainantIdentity.complaint_id == complaint_id)
    )
    return rows


# --- clocks and escalation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Tick:
    """What one run of the clocks did: complaints flagged overdue (escalated), warned."""

    overdue: tuple[int, ...]
    warned: tuple[int, ...]


def tick(db: Database, today: date | None = None, rules: ComplaintRules | None = None) -> Tick:
    """Run the complaint clocks at ``today``: a complaint whose clock ran out gets the
    scheduler's ``overdue_<state>`` move (once per state) and a red alert in the inbox of its
    region, seen by the level above too (督办); one within the warning days a yellow alert.
    Idempotent."""
    rules = rules or default_rules()
    today = today or clock_today()
    overdue, warned, drafts = [], [], []
    with db.transaction(SYSTEM, action="complaints.clock") as session:
        open_ = session.scalars(
            select(Complaint).where(Complaint.state.in_(COMPLAINT.open_states()))
        ).all()
        clocks = sweep(
            COMPLAINT,
            open_,
            today,
            days_left=lambda c: None if c.due_on is None else (c.due_on - today).days,
            warn_days=rules.warn_days,
        )
        for due in clocks.late:
            complaint = due.subject
            if not _flagged(session, complaint.id, due.move.name):
                _event(session, complaint, due.move.name, complaint.state, SYSTEM.username, None)
                overdue.append(complaint.id)
            drafts.append(_clock_draft(complaint, today, "red"))
        for complaint in clocks.warned:
            warned.append(complaint.id)
            drafts.append(_clock_draft(complaint, today, "yellow"))
    alerts.publish(db, drafts)
    return Tick(tuple(overdue), tuple(warned))


def _flagged(session: Session, complaint_id: int, move: str) -> bool:
    found = session.scalar(
        select(ComplaintEvent.id).where(
            ComplaintEvent.complaint_id == complaint_id, ComplaintEvent.move == move
        )
    )
    return found is not None


def _clock_draft(complaint: Complaint, today: date, severity: str) -> alerts.AlertDraft:
    assert complaint.due_on is not None
    days = (complaint.due_on - today).days
    state = COMPLAINT.state_name(complaint.state)
    start, end = alerts.clock_window(complaint.received_at, today)
    return alerts.AlertDraft(
        kind=OVERDUE_KIND.key,
        severity=severity,
        title=(
            f"信访投诉 {complaint.no}（{state}）时限 {complaint.due_on.isoformat()}，"
            f"{alerts.days_left_words(days)}"
        ),
        region_code=complaint.region_code,
        window_start=start,
        window_end=end,
        dedupe_key=f"complaints.clock:{complaint.id}:{complaint.state}",
        evidence={
            "complaint": complaint.no,
            "due": complaint.due_on.isoformat(),
            "days_left": days,
        },
        link=f"/complaints/{complaint.id}",
        enterprise_id=complaint.enterprise_id,
        lon=complaint.lon,
        lat=complaint.lat,
    )


# --- the public lookup -----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicStatus:
    """All the public learns of a complaint from its receipt code: number, category, status,
    dates, and the answer (or the reason it was not accepted). No identity, no text, no photos,
    no handling notes."""

    no: str
    category: str
    state: str
    state_name: str
    state_name_en: str
    received_on: date
    answered_on: date | None
    answer: str | None
    reason: str | None


def lookup(db: Database, code: str) -> PublicStatus:
    """The public status of the complaint with receipt code ``code`` (typed in any case, with
    or without dashes); 422 for a mistyped code, 404 for an unknown one."""
    stored = normalise_code(code)
    with db.transaction(SYSTEM) as session:
        complaint = session.scalar(select(Complaint).where(Complaint.code_hash == _hash(stored)))
        if complaint is None:
            raise NotFound(both("complaints.error.no_code"))
        shown = complaint.state in PUBLIC_ANSWER_STATES
        return PublicStatus(
            no=complaint.no,
            category=complaint.category,
            state=complaint.state,
            state_name=COMPLAINT.state_name(complaint.state),
            state_name_en=COMPLAINT.state_name(complaint.state, "en"),
            received_on=complaint.received_on,
            answered_on=complaint.answered_on if shown else None,
            answer=complaint.answer if shown else None,
            reason=complaint.reason if complaint.state == "rejected" else None,
        )


# --- reading (officers) --------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """A line of the complaint ledger (信访投诉台账): never any identity field."""

    id: int
    no: str
    channel: str
    category: str
    region_code: str
    unit_name: str | None
    address: str | None
    received_on: date
    state: str
    state_name: str
    due_on: date | None
    days_left: int | None
    overdue: bool
    cluster_id: int | None
    enterprise_id: int | None
    verified: bool | None
    satisfaction: str | None
    lon: float | None = None
    lat: float | None = None


def _row(c: Complaint, today: date) -> LedgerRow:
    days = None if c.due_on is None else (c.due_on - today).days
    return LedgerRow(
        c.id, c.no, c.channel, c.category, c.region_code, c.unit_name, c.address, c.received_on,
        c.state, COMPLAINT.state_name(c.state), c.due_on, days, days is not None and days < 0,
        c.cluster_id, c.enterprise_id, c.verified, c.satisfaction, c.lon, c.lat,
    )  # fmt: skip


def ledger(
    db: Database, principal: Principal, region: str | None = None, period: Period | None = None
) -> list[LedgerRow]:
    """The complaints the principal may read (their region and below), newest first; only
    those under ``region`` and received within ``period`` when given."""
    authorize(principal, "read", COMPLAINTS)
    today = clock_today()
    where: list[ColumnElement[bool]] = []
    if region:
        where.append(Complaint.region_code.startswith(region_prefix(region)))
    if period is not None:
        where.append(Complaint.received_on.between(period.first, period.last))
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(Complaint)
            .where(*where)
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
        )
        return [_row(c, today) for c in rows]


def hotspots(
    db: Database,
    principal: Principal,
    region: str | None = None,
    category: str | None = None,
    period: Period | None = None,
) -> list[LedgerRow]:
    """The complaints with a point the principal may read (the hot-spot map): under ``region``,
    of ``category``, received within ``period`` — all of them when not given."""
    authorize(principal, "read", COMPLAINTS)
    if category is not None and category not in CATEGORIES:
        raise InputError(both("complaints.error.category", value=category))
    today = clock_today()
    where: list[ColumnElement[bool]] = [Complaint.lon.is_not(None), Complaint.lat.is_not(None)]
    if region:
        where.append(Complaint.region_code.startswith(region_prefix(region)))
    if category:
        where.append(Complaint.category == category)
    if period is not None:
        where += [Complaint.received_on >= period.first, Complaint.received_on <= period.last]
    with db.transaction(principal) as session:
        rows = session.scalars(select(Complaint).where(*where).order_by(Complaint.id))
        return [_row(c, today) for c in rows]


@dataclass(frozen=True)
class DayCounts:
    """Complaints received on one day (Beijing date) under a region: how many, by category and
    by the state each is in now (keys of :data:`CATEGORIES` and the complaint machine)."""

    day: date
    total: int
    by_category: dict[str, int]
    by_state: dict[str, int]


def day_counts(db: Database, principal: Principal, region: str, day: date) -> DayCounts:
    """How many complaints the principal may read were received on ``day`` under ``region``,
    counted by category and by state in the database (the command centre's wall)."""
    authorize(principal, "read", COMPLAINTS, region)
    where = [Complaint.received_on == day, Complaint.region_code.startswith(region_prefix(region))]
    with db.transaction(principal) as session:
        rows = session.execute(
            select(Complaint.category, Complaint.state, func.count(Complaint.id))
            .where(*where)
            .group_by(Complaint.category, Complaint.state)
        ).all()
    by_category = dict.fromkeys(CATEGORIES, 0)
    by_state = dict.fromkeys(COMPLAINT.states, 0)
    for category, state, count in rows:
        by_category[category] += count
        by_state[state] += count
    return DayCounts(day, sum(by_category.values()), by_category, by_state)


@dataclass(frozen=True)
class ComplaintView:
    """A complaint as its page shows it to an officer: the record, its timeline, its photos'
    ids, the moves open now, the case it belongs to. The identity is not part of it."""

    row: LedgerRow
    text: str
    answer: str | None
    reason: str | None
    anonymous: bool
    extended: bool
    rectification_ref: str | None
    events: list[ComplaintEvent]
    photos: list[tuple[int, str]]
    cluster: list[LedgerRow]
    reward: ComplaintReward | None = None
    moves: list[str] = field(default_factory=list)


def view(db: Database, principal: Principal, complaint_id: int) -> ComplaintView:
    """One complaint with its timeline (oldest first), photos and the other complaints of its
    case; NotFound when it does not exist or is outside the principal's region."""
    authorize(principal, "read", COMPLAINTS)
    today = clock_today()
    with db.transaction(principal) as session:
        c = _load(session, complaint_id)
        events = session.scalars(
            select(ComplaintEvent)
            .where(ComplaintEvent.complaint_id == c.id)
            .order_by(ComplaintEvent.id)
        ).all()
        photos = session.execute(
            select(ComplaintPhoto.id, ComplaintPhoto.filename).where(
                ComplaintPhoto.complaint_id == c.id
            )
        ).all()
        cluster = []
        if c.cluster_id is not None:
            cluster = [
                _row(other, today)
                for other in session.scalars(
                    select(Complaint)
                    .where(Complaint.cluster_id == c.cluster_id)
                    .order_by(Complaint.id)
                )
            ]
        reward = session.scalar(select(ComplaintReward).where(ComplaintReward.complaint_id == c.id))
        moves = [m.name for m in COMPLAINT.moves_from(c.state) if m.actor != "system"]
        session.expunge_all()
        return ComplaintView(
            _row(c, today), c.text, c.answer, c.reason, c.anonymous, c.extended,
            c.rectification_ref, list(events), [(p.id, p.filename) for p in photos], cluster,
            reward, moves,
        )  # fmt: skip


@dataclass(frozen=True)
class Identity:
    """Who complained (for the handling officers only)."""

    name: str | None
    phone: str | None
    email: str | None


def identity_of(db: Database, principal: Principal, complaint_id: int) -> Identity:
    """The complainant's identity, for an officer handling the complaint (its region); every
    read is written to the audit log (who looked, when, at which complaint)."""
    authorize(principal, "read", COMPLAINANTS)
    with db.transaction(principal, action="complaints.identity.view") as session:
        complaint = _load(session, complaint_id)
        authorize(principal, "read", COMPLAINANTS, complaint)
        found = session.scalar(
            select(ComplainantIdentity).where(ComplainantIdentity.complaint_id == complaint.id)
        )
        audit.record(
            session,
            "complaints.identity.view",
            entity="complainant_identity",
            entity_id=str(complaint.id),
            details={"complaint": complaint.no},
        )
        if found is None:
            return Identity(None, None, None)
        return Identity(found.name, found.phone, found.email)


def photo(db: Database, principal: Principal, photo_id: int) -> ComplaintPhoto:
    """A complaint's photo (its region's officers only); served as an attachment."""
    authorize(principal, "read", COMPLAINTS)
    with db.transaction(principal) as session:
        found = session.get(ComplaintPhoto, photo_id)
        if found is None:
            raise NotFound(both("complaints.error.photo", id=photo_id))
        session.expunge(found)
        return found


# --- links: rectification, rewards, enterprise facts ----------------------------------------


def to_rectification(
    db: Database, principal: Principal, complaint_id: int, deadline_days: int = 30
) -> str:
    """Open a rectification item on a verified complaint through the alerts inbox (the
    ``rectification`` converter of the plans domain); returns its reference."""
    authorize(principal, "advance", COMPLAINTS)
    with db.transaction(principal) as session:
        c = _load(session, complaint_id)
        authorize(principal, "advance", COMPLAINTS, c)
        if not c.verified:
            raise InputError(both("complaints.error.not_verified"))
        if c.rectification_ref:
            return c.rectification_ref
        draft = _verified_draft(c)
    alerts.publish(db, [draft])  # already there when the site check verified it
    with db.transaction(SYSTEM) as session:
        alert_id = session.scalars(
            select(alerts.Alert.id)
            .where(alerts.Alert.dedupe_key == draft.dedupe_key)
            .order_by(alerts.Alert.id.desc())
        ).first()
    assert alert_id is not None  # just published
    request = alerts.ConversionRequest(deadline_days=deadline_days)
    ref = alerts.convert(db, principal, alert_id, "rectification", request)
    with db.transaction(principal, action="complaints.rectification") as session:
        _load(session, complaint_id).rectification_ref = ref
    return ref


def _verified_draft(c: Complaint) -> alerts.AlertDraft:
    """The inbox item of a verified complaint: published when the site check verifies it
    against an enterprise, and the alert its rectification item is made from."""
    moment = c.received_at
    return alerts.AlertDraft(
        kind=VERIFIED_KIND.key,
        severity="orange",
        title=f"经查实的信访投诉 {c.no}：{c.text[:60]}",
        region_code=c.region_code,
        window_start=moment,
        window_end=moment + timedelta(seconds=1),
        dedupe_key=f"complaints.verified:{c.id}",
        evidence={"complaint": c.no, "category": c.category},
        link=f"/complaints/{c.id}",
        enterprise_id=c.enterprise_id,
        lon=c.lon,
        lat=c.lat,
    )


def grant_reward(
    db: Database,
    principal: Principal,
    complaint_id: int,
    amount_yuan: Decimal,
    note: str | None = None,
    rules: ComplaintRules | None = None,
) -> int:
    """Record a reward for a report (有奖举报): only a verified, real-name report (the rules'
    conditions, GOVERNANCE.md §4.3), once per complaint, a positive amount."""
    rules = rules or default_rules()
    authorize(principal, "update", COMPLAINTS)
    if amount_yuan <= 0:
        raise InputError(both("complaints.error.amount"))
    with db.transaction(principal, action="complaints.reward") as session:
        c = _load(session, complaint_id)
        authorize(principal, "update", COMPLAINTS, c)
        if rules.reward_verified_only and not c.verified:
            raise InputError(both("complaints.error.not_verified"))
        if rules.reward_real_name_only and c.anonymous:
            raise InputError(both("complaints.error.anonymous_reward"))
        if session.scalar(select(ComplaintReward.id).where(ComplaintReward.complaint_id == c.id)):
            raise InputError(both("complaints.error.rewarded"))
        reward = ComplaintReward(
            region_code=c.region_code,
            complaint_id=c.id,
            amount_yuan=amount_yuan,
            decided_on=clock_today(),
            decided_by=principal.username,
            note=note,
        )
        session.add(reward)
        session.flush()
        return reward.id


@dataclass(frozen=True)
class VerifiedComplaint:
    """A verified complaint against an enterprise: a record its credit and risk rest on."""

    id: int
    enterprise_id: int
    no: str
    category: str
    received_on: date


def verified_complaints(
    db: Database, principal: Principal, enterprise_ids: Sequence[int], since: date, until: date
) -> list[VerifiedComplaint]:
    """The verified complaints against ``enterprise_ids`` received in [since, until] that the
    principal may read, oldest first (each links to its complaint page; no identity)."""
    authorize(principal, "read", COMPLAINTS)
    with db.transaction(principal) as session:
        rows = session.execute(
            select(
                Complaint.id, Complaint.enterprise_id, Complaint.no, Complaint.category,
                Complaint.received_on,
            )
            .where(
                Complaint.verified.is_(True),
                Complaint.enterprise_id.in_(list(enterprise_ids)),
                Complaint.received_on >= since,
                Complaint.received_on <= until,
            )
            .order_by(Complaint.received_on, Complaint.id)
        ).all()  # fmt: skip
        return [VerifiedComplaint(r[0], r[1], r[2], r[3], r[4]) for r in rows if r[1] is not None]


# --- 12345 export files ----------------------------------------------------------------------

COLUMNS: Final = {
    "工单编号": ("工单号", "order_no", "ticket"),
    "来电时间": ("受理时间", "时间", "received_at"),
    "区划代码": ("行政区划代码", "region_code"),
    "诉求类别": ("问题类别", "类别", "category"),
    "诉求内容": ("内容", "问题描述", "text"),
    "地址": ("事发地址", "address"),
    "来电人": ("姓名", "name"),
    "联系电话": ("电话", "phone"),
}
CATEGORY_WORDS: Final = (
    ("odour", ("异味", "臭", "气味")),
    ("noise", ("噪声", "噪音")),
    ("water", ("水",)),
    ("waste", ("固废", "垃圾", "废物", "危废")),
    ("air", ("大气", "废气", "烟", "尘", "空气")),
)
"""A 12345 category text → our category, first match wins (odour before air: 臭气 is odour)."""


def category_of(text: str) -> str:
    """Our category of a 12345 category text (``other`` when nothing matches)."""
    for category, words in CATEGORY_WORDS:
        if any(word in text for word in words):
            return category
    return "other"


@dataclass(frozen=True)
class ImportResult:
    """What an import of a 12345 export did."""

    run_id: int
    imported: int
    already: int
    rejected: int


def import_12345(
    db: Database,
    principal: Principal,
    file: str,
    source: Path | bytes,
    *,
    skip_bad_rows: bool = False,
) -> ImportResult:
    """Import a 12345 hotline export (xlsx or CSV, through the one reader): one complaint per
    ticket, channel ``import_12345``. One transaction: all or nothing unless ``skip_bad_rows``
    (raises ``RejectedFile``, nothing stored); the bad rows are recorded in the rejects ledger
    either way. Idempotent: a ticket already imported (its 工单编号) is skipped."""
    authorize(principal, "import", COMPLAINTS)
    rules = default_rules()
    name = base_name(file, "12345.xlsx")
    errors: list[RowError] = []
    filed: list[int] = []
    read = already = 0
    try:
        with open_table(name, source) as table:
            cols = resolve_columns(
                name, table.header, COLUMNS, ("工单编号", "来电时间", "区划代码", "诉求内容")
            )
            with db.transaction(principal, action="complaints.import") as session:
                for number, record in table.records():
                    read += 1
                    try:
                        new = _ticket(cols, record)
                        _check(new, rules)
                        if session.scalar(
                            select(Complaint.id).where(Complaint.external_no == new.external_no)
                        ):
                            already += 1
                            continue
                        filed.append(_store(session, principal, new, (), None, rules)[0].id)
                    except (CellError, EcogovError) as error:
                        for pending in list(session.new):  # a half-stored row's objects
                            session.expunge(pending)
                        errors.append(row_error(name, number, error))
                if errors and not skip_bad_rows:
                    raise _Refused
                run_id = record_run(
                    session,
                    domain="complaints",
                    fmt="12345",
                    file=name,
                    status="partial" if errors else "imported",
                    rows_read=read,
                    errors=errors,
                )
    except _Refused:
        record_refused(
            db, principal, domain="complaints", fmt="12345", file=name, rows_read=read,
            errors=errors,
        )  # fmt: skip
        enforce(name, errors, skip_bad_rows=False)
        raise
    for complaint_id in filed:  # a derived link, after the file's rows are stored
        link_cluster(db, complaint_id, rules)
    return ImportResult(run_id, len(filed), already, len(errors))


class _Refused(Exception):
    """Rolls the file's transaction back: it has bad rows and they are not to be skipped."""


def _ticket(cols: dict[str, str | None], record: dict[str, str]) -> NewComplaint:
    def cell(role: str) -> str:
        column = cols.get(role)
        return record.get(column, "") if column else ""

    number = require_text(cols["工单编号"] or "工单编号", cell("工单编号"), max_length=64)
    when = parse_datetime(cols["来电时间"] or "来电时间", cell("来电时间"), zone=BEIJING)
    region = cell("区划代码")
    if len(region) != 6 or not region.isdigit():
        raise CellError(
            cols["区划代码"], region, "区划代码应为6位数字", "region code must be 6 digits"
        )
    text = require_text(cols["诉求内容"] or "诉求内容", cell("诉求内容"), max_length=2000)
    address = cell("地址") or None
    if address is None:
        raise CellError(cols.get("地址"), "", "缺少事发地址", "no address")
    return NewComplaint(
        region_code=region,
        category=category_of(cell("诉求类别")),
        text=text,
        address=address,
        name=cell("来电人") or None,
        phone=cell("联系电话") or None,
        channel="import_12345",
        external_no=number,
        received_at=when,
    )
