"""Reverse commands: who may send them, what they carry, and their flow to the 9012 result."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from ecogov.hj212 import commands
from ecogov.hj212.commands import CommandRequest, Timing
from ecogov.hj212.intake import CommandEvent
from ecogov.hj212.models import Command
from ecogov.hj212.service import records
from ecogov.hj212.simulator import SimulatedDevice, SimulationConfig, simulate
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound, PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.sources import service as sources
from ecogov.standards.hj212 import frame_segment, parse_packet
from tests.hj212.support import (
    HOUR,
    Client,
    Registered,
    make_devices,
    running_receiver,
    upload,
    wait_for,
)

OFFICER = Principal("hz", Role.CITY_OFFICER, region_code="330100")
FAR_OFFICER = Principal("nb", Role.CITY_OFFICER, region_code="330200")


def state_of(db: Database, command_id: int) -> commands.CommandView:
    return commands.get_command(db, SYSTEM, command_id)


def test_officers_queue_commands_in_their_region_only(db: Database) -> None:
    (device,) = make_devices(db, 1)
    view = commands.send_command(db, OFFICER, device.mn, CommandRequest("1011"))
    assert (view.state, view.cn, view.requested_by, view.params) == ("queued", "1011", "hz", {})
    assert len(view.qn) == 17
    with pytest.raises(NotFound):
        commands.send_command(db, FAR_OFFICER, device.mn, CommandRequest("1011"))
    owner = Principal("qy", Role.ENTERPRISE, enterprise_id=device.enterprise_id)
    with pytest.raises(PermissionDenied):
        commands.send_command(db, owner, device.mn, CommandRequest("1011"))
    assert [c.id for c in commands.list_commands(db, owner)] == [view.id]  # but sees it


def test_command_fields_are_checked(db: Database) -> None:
    (device,) = make_devices(db, 1)
    begin = HOUR
    view = commands.send_command(
        db, SYSTEM, device.mn, CommandRequest("2061", begin=begin, end=begin + timedelta(hours=3))
    )
    assert view.params == {"BeginTime": "20260301080000", "EndTime": "20260301110000"}
    for bad, reason in (
        (CommandRequest("2061", begin=begin), "needs end"),
        (CommandRequest("2061", begin=begin, end=begin - timedelta(hours=1)), "before begin"),
        (CommandRequest("1062", rtd_interval=5), "outside 30≤n≤3600"),
        (CommandRequest("3011"), "needs pol_id"),
        (CommandRequest("9999"), "not a reverse command"),
    ):
        with pytest.raises(InputError, match=reason):
            commands.send_command(db, SYSTEM, device.mn, bad)
    interval = commands.send_command(db, SYSTEM, device.mn, CommandRequest("1062", rtd_interval=60))
    assert interval.params == {"RtdInterval": "60"}


def test_flow_until_9012_with_the_device_answering(db: Database) -> None:
    (device,) = make_devices(db, 1)
    with running_receiver(db) as receiver:
        client = Client(receiver.port)
        client.send(upload(device))  # the device announces itself with data
        client.replies(1)
        view = commands.send_command(db, OFFICER, device.mn, CommandRequest("1011"))
        (request,) = client.replies(1, timeout=10)
        assert (request.segment.cn, request.segment.qn, request.segment.pw) == (
            "1011",
            view.qn,
            device.pw,
        )
        wait_for(lambda: state_of(db, view.id).state == "sent")
        client.send(_answer(device, view.qn, "9011", "QnRtn=1"))
        wait_for(lambda: state_of(db, view.id).state == "accepted")
        client.send(_answer(device, view.qn, "1011", "SystemTime=20260301080001", st="32"))
        client.send(_answer(device, view.qn, "9012", "ExeRtn=1"))
        wait_for(lambda: state_of(db, view.id).state == "succeeded")
        client.close()
    done = state_of(db, view.id)
    assert (done.qn_rtn, done.exe_rtn, done.response) == (1, 1, {"SystemTime": "20260301080001"})
    assert done.finished_at is not None


def test_refusal_and_notice(db: Database) -> None:
    (device,) = make_devices(db, 1)
    with running_receiver(db) as receiver:
        client = Client(receiver.port)
        client.send(upload(device))
        client.replies(1)
        refused = commands.send_command(
            db, SYSTEM, device.mn, CommandRequest("3012", pol_id="w01018")
        )
        notice = commands.send_command(db, SYSTEM, device.mn, CommandRequest("2012"))
        client.replies(2, timeout=10)
        client.send(_answer(device, refused.qn, "9011", "QnRtn=2"))
        client.send(_answer(device, notice.qn, "9013", ""))
        wait_for(lambda: state_of(db, refused.id).state == "refused")
        wait_for(lambda: state_of(db, notice.id).state == "succeeded")
        client.close()


def test_timeouts_retries_and_expiry(db: Database) -> None:
    (device,) = make_devices(db, 1)
    view = commands.send_command(db, SYSTEM, device.mn, CommandRequest("1061"))
    timing = Timing(request_timeout=0.0, retries=2, execution_timeout=0.0, queue_expiry=3600)
    assert commands.take_due(db, set(), timing) == []  # device offline: stays queued
    assert [d.mn for d in commands.take_due(db, {device.mn}, timing)] == [device.mn]
    assert commands.take_due(db, {device.mn}, timing)  # unanswered: sent again
    assert state_of(db, view.id).attempts == 2
    assert commands.take_due(db, {device.mn}, timing) == []
    assert state_of(db, view.id).state == "timed_out"
    stale = commands.send_command(db, SYSTEM, device.mn, CommandRequest("1061"))
    commands.take_due(db, set(), replace(timing, queue_expiry=-1))
    assert state_of(db, stale.id).state == "expired"


def test_illegal_moves_are_refused(db: Database) -> None:
    (device,) = make_devices(db, 1)
    view = commands.send_command(db, SYSTEM, device.mn, CommandRequest("1011"))
    with db.transaction(SYSTEM) as session:
        command = session.get(Command, view.id)
        assert command is not None
        with pytest.raises(Conflict, match="cannot go from queued to succeeded"):
            commands.move(command, "succeeded", HOUR)


def test_time_calibration_request_queues_a_1012(db: Database) -> None:
    (device,) = make_devices(db, 1)
    event = CommandEvent("calibration", device.mn, "1013", "20260301080000001", {})
    with db.transaction(SYSTEM) as session:
        commands.apply_events(session, [event], Timing())
    with db.transaction(SYSTEM) as session:
        (queued,) = session.scalars(select(Command))
        assert (queued.cn, queued.state, queued.requested_by) == ("1012", "queued", "receiver")
        assert set(queued.params) == {"SystemTime"}


def _answer(device: Registered, qn: str, cn: str, cp: str, st: str = "91") -> bytes:
    """What the device sends back about command ``qn``."""
    segment = f"QN={qn};ST={st};CN={cn};PW={device.pw};MN={device.mn};Flag=4;CP=&&{cp}&&"
    frame = frame_segment(segment)
    assert parse_packet(frame).ok
    return frame


def test_simulated_loggers_answer_commands(db: Database) -> None:
    devices = make_devices(db, 2)
    simulated = [SimulatedDevice(d.mn, d.pw, d.st) for d in devices]
    target = devices[0].mn
    with running_receiver(db) as receiver:
        config = SimulationConfig(port=receiver.port, seconds=4, interval=0.1, defects=0.0)
        thread = threading.Thread(target=asyncio.run, args=(simulate(simulated, config),))
        thread.start()
        wait_for(lambda: target in receiver.by_mn)
        clock = commands.send_command(db, OFFICER, target, CommandRequest("1011"))
        refetch = commands.send_command(
            db, OFFICER, target,
            CommandRequest("2061", begin=HOUR, end=HOUR + timedelta(hours=2)),
        )  # fmt: skip
        wait_for(lambda: state_of(db, refetch.id).state == "succeeded", timeout=15)
        wait_for(lambda: state_of(db, clock.id).state == "succeeded", timeout=15)
        thread.join(timeout=30)
    response = state_of(db, clock.id).response
    assert response is not None
    assert set(response) == {"SystemTime"}
    history = records(db, SYSTEM, target, cn="2061", since=HOUR, until=HOUR + timedelta(hours=3))
    assert [r.data_time for r in history] == [HOUR + timedelta(hours=h) for h in range(3)]


@pytest.mark.parametrize("profile", ["HJ/T 212-2005", "HJ 212-2025 (provisional)"])
def test_commands_for_a_device_on_another_profile_are_built_with_its_profile(
    db: Database, profile: str
) -> None:
    """A 2005 logger gets 2005 Flag bits, not 2017's (the codec refused the command before)."""
    (device,) = make_devices(db, 1)
    other = sources.register_device(
        db, SYSTEM, device.outlet_id, mn=device.mn[:-1] + "F", pw="654321", profile=profile
    )
    view = commands.send_command(db, SYSTEM, other.mn, CommandRequest("1011"))
    assert view.state == "queued"  # the codec accepted it under the device's own profile


def test_other_workers_leave_commands_of_devices_connected_elsewhere(db: Database) -> None:
    (device,) = make_devices(db, 1)
    stale = commands.send_command(db, SYSTEM, device.mn, CommandRequest("1061"))
    timing = Timing(queue_expiry=-1)
    assert commands.take_due(db, set(), timing, everyone=False) == []
    assert state_of(db, stale.id).state == "queued"  # not this worker's to expire
    commands.take_due(db, set(), timing)
    assert state_of(db, stale.id).state == "expired"
