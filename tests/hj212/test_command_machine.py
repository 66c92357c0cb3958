"""The reverse-command state machine: every state × target against the flow of HJ 212-2017 §6.2
(stated apart here), its timeouts as clocks on a simulated clock, its Chinese names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from ecogov.hj212 import commands
from ecogov.hj212.commands import COMMANDS, CommandRequest, Timing, command_machine
from ecogov.hj212.models import COMMAND_STATES, Command
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict
from ecogov.platform.scope import SYSTEM, Role
from ecogov.platform.statemachine import due_moves
from tests.helpers import login, make_user
from tests.hj212.support import make_devices

FLOW = {
    "queued": {"sent", "expired"},
    "sent": {"sent", "accepted", "refused", "succeeded", "failed", "timed_out"},
    "accepted": {"succeeded", "failed", "timed_out"},
}
"""Where a command may go from each open state; the other states are final."""
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_every_state_and_target() -> None:
    assert COMMANDS.states == COMMAND_STATES
    for state in COMMAND_STATES:
        assert COMMANDS.is_final(state) == (state not in FLOW)
        for target in COMMAND_STATES:
            command = Command(state=state, cn="1011")
            if target in FLOW.get(state, ()):
                commands.move(command, target, T0)
                assert command.state == target
                assert (command.finished_at == T0) == COMMANDS.is_final(target)
                continue
            with pytest.raises(Conflict, match=f"cannot go from {state} to {target}") as refused:
                commands.move(command, target, T0)
            assert "反控命令不能从" in str(refused.value)
            assert command.state == state


def test_every_move_is_the_receivers() -> None:
    assert {m.actor for m in COMMANDS.moves} == {"system"}
    for move in COMMANDS.moves:
        for state in sorted(move.sources):
            assert COMMANDS.move_to(state, move.target).target == move.target


timings = st.builds(
    Timing,
    request_timeout=st.integers(0, 60).map(float),
    retries=st.integers(1, 4),
    execution_timeout=st.integers(0, 900).map(float),
    queue_expiry=st.integers(-1, 3600).map(float),
)
moments = st.none() | st.integers(0, 4000).map(lambda s: T0 + timedelta(seconds=s))


def expected(command: Command, timing: Timing, now: datetime) -> str | None:
    """The timed move due now, as Table 1 of HJ 212-2017 and the queue expiry say."""
    started = {"queued": command.created_at, "sent": command.sent_at}
    started["accepted"] = command.answered_at
    limits = {
        "queued": timing.queue_expiry,
        "sent": timing.request_timeout,
        "accepted": timing.execution_timeout,
    }
    start = started.get(command.state)
    if start is None or not now - start > timedelta(seconds=limits[command.state]):
        return None
    if command.state == "queued":
        return "expire"
    if command.state == "sent" and command.attempts < timing.retries:
        return "resend"
    return "time_out"


@given(
    timing=timings,
    state=st.sampled_from(COMMAND_STATES),
    created=moments,
    sent=moments,
    answered=moments,
    attempts=st.integers(0, 5),
    now=st.integers(0, 5000).map(lambda s: T0 + timedelta(seconds=s)),
)
def test_timeouts_fire_on_a_simulated_clock(
    timing: Timing,
    state: str,
    created: datetime | None,
    sent: datetime | None,
    answered: datetime | None,
    attempts: int,
    now: datetime,
) -> None:
    command = Command(
        state=state, created_at=created, sent_at=sent, answered_at=answered, attempts=attempts
    )
    due = due_moves(command_machine(timing), [command], now)
    assert [d.move.name for d in due] == (
        [] if (e := expected(command, timing, now)) is None else [e]
    )


def test_machines_per_timing_share_states_and_moves() -> None:
    quick = command_machine(Timing(request_timeout=1, retries=1))
    assert quick is command_machine(Timing(request_timeout=1, retries=1))  # built once
    assert (quick.states, quick.moves) == (COMMANDS.states, COMMANDS.moves)
    clocks = {row.move: row.clock for row in COMMANDS.describe()}
    assert clocks["expire"] == "排队待发: 排队超过 86400 秒未下发"
    assert "已下发: 10 秒未应答，已发送 3 次" in clocks["time_out"]
    assert "设备已接受: 接受后 600 秒无执行结果" in clocks["time_out"]
    assert clocks["resend"] == "已下发: 10 秒未应答，已发送不足 3 次"


def test_device_page_names_command_states_in_chinese(client: TestClient, db: Database) -> None:
    (device,) = make_devices(db, 1)
    commands.send_command(db, SYSTEM, device.mn, CommandRequest("1011"))
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    page = client.get(f"/hj212/devices/{device.mn}").text
    assert '<td data-state="queued">排队待发</td>' in page
    english = client.get(f"/hj212/devices/{device.mn}?lang=en").text
    assert '<td data-state="queued">Queued</td>' in english
