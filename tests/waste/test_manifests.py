"""The transfer manifest: every state × move of its table, each actor, the receipt time limit on
the simulated clock, idempotent creation, concurrent receipts, cross-province approvals,
corrections as versions, and who sees which manifest."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, time
from functools import partial

import pytest
from sqlalchemy import select

from ecogov.platform import clock
from ecogov.platform.alerts import Alert
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound, PermissionDenied
from ecogov.platform.permissions import allowed
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.platform.statemachine import MoveRefused
from ecogov.standards.timebase import BEIJING
from ecogov.standards.waste.transfer import parse_manifest_number
from ecogov.waste import manifests, parties
from ecogov.waste.access import MANIFESTS
from ecogov.waste.manifests import (
    MANIFEST,
    Correction,
    NewManifest,
    Receipt,
    correct_manifest,
    create_manifest,
    fire_time_limits,
    get_manifest,
    list_manifests,
    move_manifest,
)
from ecogov.waste.models import Manifest
from ecogov.waste.parties import NewApproval
from tests.waste.support import (
    CODE,
    HANGZHOU_OFFICER,
    LEADER,
    OTHER_CODE,
    PROVINCE_OFFICER,
    XIHU_OFFICER,
    YUHANG_OFFICER,
    Chain,
    build_chain,
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING)  # a Monday


@pytest.fixture
def chain(db: Database) -> Chain:
    return build_chain(db)


def new(chain: Chain, amount: float = 2.0, receiver: int | None = None) -> NewManifest:
    return NewManifest(
        chain.generator.id,
        chain.carrier.id,
        receiver if receiver is not None else chain.receiver.id,
        CODE,
        amount,
        packaging="桶装 200 L × 10",
    )


def actor_of(chain: Chain, move: str) -> Principal:
    actor = MANIFEST.move(move).actor
    if actor in (manifests.Actor.GENERATOR, manifests.Actor.SENDER_OR_RECEIVER):
        return chain.generator_user
    if actor is manifests.Actor.CARRIER:
        return chain.carrier_user
    return chain.receiver_user


def do(db: Database, chain: Chain, number: str, move: str, who: Principal | None = None) -> str:
    """Make ``move`` with the data it needs; the new state."""
    who = who or actor_of(chain, move)
    shipped = get_manifest(db, SYSTEM, number).manifest.shipped_t
    if move == "correct":
        change = Correction(received=round(shipped * 0.95, 3))
        return correct_manifest(db, who, number, change, "过磅单录入错误").status
    receipt = Receipt(received=shipped)
    if move == "receive_with_discrepancy":
        receipt = Receipt(received=shipped * 0.75, discrepancy="quantity")
    note = "说明" if MANIFEST.move(move).needs_note else None
    return move_manifest(db, who, number, move, note=note, receipt=receipt).status


PATHS: dict[str, tuple[str, ...]] = {
    "draft": (),
    "signed_out": ("sign_out",),
    "in_transit": ("sign_out", "pick_up"),
    "delivered": ("sign_out", "pick_up", "deliver"),
    "received": ("sign_out", "pick_up", "deliver", "receive"),
    "received_discrepancy": ("sign_out", "pick_up", "deliver", "receive_with_discrepancy"),
    "rejected": ("sign_out", "pick_up", "deliver", "reject"),
    "closed": ("sign_out", "pick_up", "deliver", "receive", "close"),
    "under_correction": ("sign_out", "pick_up", "deliver", "receive", "request_correction"),
    "corrected": (
        "sign_out", "pick_up", "deliver", "receive", "request_correction", "correct",
    ),
    "cancelled": ("cancel",),
}  # fmt: skip


def test_every_state_has_a_path() -> None:
    assert set(PATHS) == set(MANIFEST.states)


def manifest_in(db: Database, chain: Chain, state: str, amount: float = 2.0) -> str:
    with clock.frozen(START):
        number = create_manifest(db, chain.generator_user, new(chain, amount)).manifest_no
        for move in PATHS[state]:
            do(db, chain, number, move)
    return number


@pytest.mark.parametrize("state", list(PATHS))
def test_every_move_from_every_state(db: Database, chain: Chain, state: str) -> None:
    amount = 2.0
    for move in MANIFEST.moves:
        amount += 0.1  # a distinct content per manifest (no idempotent reuse of drafts)
        number = manifest_in(db, chain, state, amount)
        with clock.frozen(START):
            if state in move.sources:
                assert do(db, chain, number, move.name) == move.target
            else:
                with pytest.raises(MoveRefused):
                    do(db, chain, number, move.name)
                assert get_manifest(db, SYSTEM, number).manifest.status == state


def test_the_whole_chain_is_numbered_timed_and_audited(db: Database, chain: Chain) -> None:
    number = manifest_in(db, chain, "closed")
    parsed = parse_manifest_number(number)
    assert (parsed.year, parsed.city_code, parsed.serial) == (2026, "330100", 1)
    detail = get_manifest(db, chain.receiver_user, number)
    assert [e.move for e in detail.events] == [
        "create", "sign_out", "pick_up", "deliver", "receive", "close",
    ]  # fmt: skip
    g, c, r = (p.username for p in (chain.generator_user, chain.carrier_user, chain.receiver_user))
    assert [e.actor for e in detail.events] == [g, g, c, c, r, r]
    view = detail.manifest
    assert view.received_t == 2.0
    assert view.confirm_due == date(2026, 3, 9)  # 5 working days after Monday 2 March
    assert view.confirmed_at is not None
    with db.transaction(SYSTEM) as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "waste_manifest")
        ).all()
    for move in ("create", "sign_out", "pick_up", "deliver", "receive", "close"):
        assert f"waste.manifest.{move}" in actions


@pytest.mark.parametrize(
    "move", ["sign_out", "cancel", "pick_up", "deliver", "receive", "reject", "close"]
)
def test_each_move_is_refused_to_every_other_actor(db: Database, chain: Chain, move: str) -> None:
    source = next(s for s in PATHS if s in MANIFEST.move(move).sources)
    number = manifest_in(db, chain, source)
    right = actor_of(chain, move)
    for who in (chain.generator_user, chain.carrier_user, chain.receiver_user):
        if who == right:
            continue
        with pytest.raises(PermissionDenied, match="须由"):
            do(db, chain, number, move, who)
    for officer in (XIHU_OFFICER, LEADER):  # they read the manifest but never move it
        with pytest.raises(PermissionDenied):
            do(db, chain, number, move, officer)
    with pytest.raises(NotFound):  # the outsider does not even see it
        do(db, chain, number, move, chain.outsider)
    assert get_manifest(db, SYSTEM, number).manifest.status == source


def test_only_the_generator_creates(db: Database, chain: Chain) -> None:
    for who in (chain.carrier_user, chain.receiver_user):
        with pytest.raises(PermissionDenied):
            create_manifest(db, who, new(chain))
    with pytest.raises(PermissionDenied):
        create_manifest(db, chain.outsider, new(chain))
    with pytest.raises(PermissionDenied):
        create_manifest(db, LEADER, new(chain))


def test_notes_discrepancies_and_weights(db: Database, chain: Chain) -> None:
    number = manifest_in(db, chain, "delivered")
    receiver = chain.receiver_user
    with pytest.raises(InputError, match="有差异接收"):  # 25 % short: not a plain receipt
        move_manifest(db, receiver, number, "receive", receipt=Receipt(received=1.5))
    with pytest.raises(MoveRefused, match="理由"):
        move_manifest(
            db, receiver, number, "receive_with_discrepancy", receipt=Receipt(1.5, "t", "quantity")
        )
    with pytest.raises(InputError, match="quantity/code/packaging"):
        move_manifest(
            db, receiver, number, "receive_with_discrepancy", note="少了", receipt=Receipt(1.5)
        )
    view = move_manifest(
        db, receiver, number, "receive_with_discrepancy", note="少 5 桶",
        receipt=Receipt(1500, "kg", "quantity"),
    )  # fmt: skip
    assert (view.status, view.received_t, view.discrepancy) == (
        "received_discrepancy",
        1.5,
        "quantity",
    )
    assert view.discrepancy_note == "少 5 桶"
    within = manifest_in(db, chain, "delivered", amount=2.5)
    accepted = move_manifest(db, receiver, within, "receive", receipt=Receipt(2.45))
    assert accepted.status == "received"  # 2 % off: within the weighing tolerance


def test_a_correction_is_a_new_version_keeping_the_first(db: Database, chain: Chain) -> None:
    number = manifest_in(db, chain, "corrected")
    detail = get_manifest(db, chain.generator_user, number)
    assert detail.manifest.version == 2
    assert detail.manifest.received_t == 1.9
    assert [v.version for v in detail.versions] == [1, 2]
    assert detail.versions[0].content["received_t"] is None
    assert detail.versions[1].content["received_t"] == 1.9
    assert detail.versions[1].reason == "过磅单录入错误"
    correction = detail.events[-1]
    assert correction.move == "correct"
    assert correction.data == {"received_t": [2.0, 1.9]}
    again = manifest_in(db, chain, "under_correction", amount=3.0)
    with pytest.raises(InputError, match="未改变"):
        correct_manifest(db, chain.receiver_user, again, Correction(received=3.0), "无变化")


def test_the_receipt_limit_fires_one_alert_after_five_working_days(
    db: Database, chain: Chain
) -> None:
    # Delivered on Thursday 30 April 2026: 1–5 May is the Labour Day holiday, Saturday 9 May a
    # make-up working day: working days 6, 7, 8, 9 and 11 May, so the limit is Monday 11 May.
    delivered = datetime(2026, 4, 30, 15, 0, tzinfo=BEIJING)
    with clock.frozen(delivered):
        number = create_manifest(db, chain.generator_user, new(chain)).manifest_no
        for move in ("sign_out", "pick_up", "deliver"):
            do(db, chain, number, move)
        on_time = create_manifest(db, chain.generator_user, new(chain, 3.0)).manifest_no
        for move in ("sign_out", "pick_up", "deliver", "receive", "close"):
            do(db, chain, on_time, move)
    view = get_manifest(db, SYSTEM, number).manifest
    assert view.confirm_due == date(2026, 5, 11)
    with clock.frozen(datetime.combine(date(2026, 5, 11), time(23, 59), BEIJING)):
        assert fire_time_limits(db) == []
    with clock.frozen(date(2026, 5, 12)):
        assert fire_time_limits(db) == [number]
        assert fire_time_limits(db) == []  # fires once
    with db.transaction(SYSTEM) as session:
        alerts = session.scalars(select(Alert)).all()
    assert len(alerts) == 1
    assert alerts[0].kind == "waste.manifest_late"
    assert alerts[0].region_code == "330205"
    assert alerts[0].evidence["confirm_due"] == "2026-05-11"
    assert get_manifest(db, SYSTEM, number).events[-1].move == "time_limit"


def test_resubmitting_changes_nothing(db: Database, chain: Chain) -> None:
    with clock.frozen(START):
        first = create_manifest(db, chain.generator_user, new(chain), idempotency_key="req-1")
        again = create_manifest(db, chain.generator_user, new(chain), idempotency_key="req-1")
        assert again == first
        with pytest.raises(Conflict, match="idempotency"):
            create_manifest(db, chain.generator_user, new(chain, 9.0), idempotency_key="req-1")
        plain = create_manifest(db, chain.generator_user, new(chain, 4.0))
        assert create_manifest(db, chain.generator_user, new(chain, 4.0)) == plain
        do(db, chain, plain.manifest_no, "sign_out")
        # once signed out, the same content is a new trip
        later = create_manifest(db, chain.generator_user, new(chain, 4.0))
    assert later.manifest_no != plain.manifest_no
    assert len(list_manifests(db, SYSTEM)) == 3
    serials = sorted(
        parse_manifest_number(m.manifest_no).serial for m in list_manifests(db, SYSTEM)
    )
    assert serials == [1, 2, 3]


def _race(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            outcome = call()
        except BaseException as error:
            with lock:
                errors.append(error)
        else:
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_concurrent_receipts_exactly_one_wins(db: Database, chain: Chain) -> None:
    for round_ in range(3):
        number = manifest_in(db, chain, "delivered", amount=2.0 + round_)
        weighed = 2.0 + round_

        def receive(amount: float, no: str = number) -> object:
            return move_manifest(
                db, chain.receiver_user, no, "receive", receipt=Receipt(received=amount)
            )

        results, errors = _race([partial(receive, weighed), partial(receive, weighed * 0.99)])
        assert len(results) == 1, errors
        assert len(errors) == 1
        assert isinstance(errors[0], Conflict)
        detail = get_manifest(db, SYSTEM, number)
        assert [e.move for e in detail.events].count("receive") == 1
        assert detail.manifest.received_t == results[0].received_t  # type: ignore[attr-defined]


def test_concurrent_creation_gives_unique_numbers_and_one_per_key(
    db: Database, chain: Chain
) -> None:
    with clock.frozen(START):
        results, errors = _race(
            [
                partial(create_manifest, db, chain.generator_user, new(chain, 1.0 + i))
                for i in range(4)
            ]
        )
        assert not errors
        numbers = {r.manifest_no for r in results}  # type: ignore[attr-defined]
        assert len(numbers) == 4
        keyed, errors = _race(
            [
                lambda: create_manifest(db, chain.generator_user, new(chain, 7.0), "same-key")
                for _ in range(3)
            ]
        )
        assert not errors
        assert len({r.manifest_no for r in keyed}) == 1  # type: ignore[attr-defined]
    assert len(list_manifests(db, SYSTEM)) == 5


def test_a_cross_province_transfer_needs_an_approval(db: Database, chain: Chain) -> None:
    with clock.frozen(START):
        far = create_manifest(
            db, chain.generator_user, new(chain, 40.0, receiver=chain.far_receiver.id)
        ).manifest_no
        with pytest.raises(InputError, match="跨省转移审批"):
            do(db, chain, far, "sign_out")
        approval = NewApproval(
            "浙危废跨省〔2026〕1号", chain.generator.id, chain.far_receiver.id, CODE, 50.0,
            date(2026, 1, 1), date(2026, 12, 31),
        )  # fmt: skip
        with pytest.raises(PermissionDenied):
            parties.record_approval(db, chain.generator_user, approval)
        parties.record_approval(db, PROVINCE_OFFICER, approval)
        assert do(db, chain, far, "sign_out") == "signed_out"
        assert get_manifest(db, SYSTEM, far).manifest.approval_no == "浙危废跨省〔2026〕1号"
        second = create_manifest(
            db, chain.generator_user, new(chain, 20.0, receiver=chain.far_receiver.id)
        ).manifest_no
        with pytest.raises(InputError, match="余量"):  # 40 + 20 > 50 t approved
            do(db, chain, second, "sign_out")
    with clock.frozen(date(2027, 1, 4)):
        third = create_manifest(
            db, chain.generator_user, new(chain, 5.0, receiver=chain.far_receiver.id)
        ).manifest_no
        with pytest.raises(InputError, match="跨省转移审批"):  # the approval has lapsed
            do(db, chain, third, "sign_out")


def test_an_unlicensed_receiver_is_refused(db: Database, chain: Chain) -> None:
    unlicensed = NewManifest(
        chain.generator.id, chain.carrier.id, chain.far_receiver.id, OTHER_CODE, 1.0
    )
    with clock.frozen(START), pytest.raises(InputError, match="经营许可证"):
        create_manifest(db, chain.generator_user, unlicensed)


def test_each_party_sees_its_manifest_and_officers_their_region(db: Database, chain: Chain) -> None:
    number = manifest_in(db, chain, "in_transit")
    for who in (
        chain.generator_user, chain.carrier_user, chain.receiver_user,
        XIHU_OFFICER, HANGZHOU_OFFICER, PROVINCE_OFFICER, LEADER, SYSTEM,
    ):  # fmt: skip
        assert [m.manifest_no for m in list_manifests(db, who)] == [number], who
        assert get_manifest(db, who, number).manifest.manifest_no == number
    for who in (chain.outsider, YUHANG_OFFICER):
        assert list_manifests(db, who) == []
        with pytest.raises(NotFound):
            get_manifest(db, who, number)
    assert get_manifest(db, chain.carrier_user, number).possible == ("deliver",)
    assert get_manifest(db, chain.receiver_user, number).possible == ()


NINGBO_OFFICER = Principal("nb", Role.CITY_OFFICER, region_code="330200")
"""City officer of the receiver's city."""
BEILUN_OFFICER = Principal("bl", Role.COUNTY_OFFICER, region_code="330205")
"""County officer of the receiver's county."""
SHANGCHENG_OFFICER = Principal("sc", Role.COUNTY_OFFICER, region_code="330102")
"""County officer of the carrier's county."""


def test_officers_of_the_receiver_and_carrier_regions_read_but_never_move_it(
    db: Database, chain: Chain
) -> None:
    number = manifest_in(db, chain, "corrected")
    origin = get_manifest(db, XIHU_OFFICER, number)
    for who in (NINGBO_OFFICER, BEILUN_OFFICER, SHANGCHENG_OFFICER):
        assert [m.manifest_no for m in list_manifests(db, who)] == [number], who
        seen = get_manifest(db, who, number)
        assert (seen.events, seen.versions) == (origin.events, origin.versions)
        assert len(seen.versions) == 2
        assert seen.possible == ()
        with pytest.raises(PermissionDenied):
            correct_manifest(db, who, number, Correction(received=1.8), "复核")
    with db.transaction(SYSTEM) as session:
        row = session.scalars(select(Manifest).where(Manifest.manifest_no == number)).one()
        assert (row.region_code, row.carrier_region_code, row.destination_region_code) == (
            "330106",
            "330102",
            "330205",
        )
        assert allowed(BEILUN_OFFICER, "read", MANIFESTS, row)
        assert not allowed(BEILUN_OFFICER, "update", MANIFESTS, row)
        assert allowed(XIHU_OFFICER, "update", MANIFESTS, row)
    other_county = Principal("yz", Role.COUNTY_OFFICER, region_code="330206")
    assert list_manifests(db, other_county) == []


def test_the_carrier_picks_up_with_a_registered_vehicle(db: Database, chain: Chain) -> None:
    number = manifest_in(db, chain, "signed_out")
    with pytest.raises(InputError, match="浙B99999"):
        move_manifest(db, chain.carrier_user, number, "pick_up", vehicle="浙B99999")
    view = move_manifest(db, chain.carrier_user, number, "pick_up", vehicle="浙A54321")
    assert (view.status, view.vehicle) == ("in_transit", "浙A54321")
