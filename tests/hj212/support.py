"""Helpers of the HJ 212 tests: registered devices, upload frames, an in-process receiver, and
a blocking socket client that reads whole frames."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ecogov.hj212.intake import Intake, RegisteredDevice
from ecogov.hj212.receiver import Receiver, ReceiverSettings, serve
from ecogov.hj212.store import Batch, write_batch
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.sources import service as sources
from ecogov.sources.demo import demo_uscc
from ecogov.sources.service import NewEnterprise
from ecogov.standards.hj212 import (
    HJ212_2017,
    CPArea,
    DataSegment,
    Frame,
    Framer,
    Packet,
    format_timestamp,
    frame_segment,
    parse_packet,
)
from ecogov.standards.timebase import BEIJING

HOUR = datetime(2026, 3, 1, 8, tzinfo=BEIJING)
TEST_SETTINGS = ReceiverSettings(port=0, status_interval=0.5, command_interval=0.2)


@dataclass(frozen=True)
class Registered:
    """A registered device: MN, PW, ST and registry ids."""

    mn: str
    pw: str
    st: str
    device_id: int
    enterprise_id: int
    outlet_id: int


def make_devices(db: Database, count: int, region: str = "330106") -> list[Registered]:
    """Register one enterprise with ``count`` water outlets, each with a data logger."""
    enterprise = sources.create_enterprise(
        db,
        SYSTEM,
        NewEnterprise(
            uscc=demo_uscc(90_000 + count, region),
            name="测试印染有限公司",
            industry_code="C1713",
            industry="棉印染精加工",
            region_code=region,
        ),
    )
    devices = []
    for index in range(count):
        outlet = sources.add_outlet(
            db, SYSTEM, enterprise.enterprise_id, code=f"DW{index + 1:03d}", name="", medium="water"
        )
        mn = f"{region}{index + 1:018X}"
        device = sources.register_device(db, SYSTEM, outlet.id, mn=mn, pw=f"{index:06d}")
        devices.append(
            Registered(mn, f"{index:06d}", "32", device.id, enterprise.enterprise_id, outlet.id)
        )
    return devices


def upload(
    device: Registered,
    cn: str = "2061",
    moment: datetime = HOUR,
    *,
    cod: str = "40.1",
    flag: int = 5,
    qn: str | None = None,
    pw: str | None = None,
) -> bytes:
    """A data upload frame of ``device`` (COD and ammonia, DataTime ``moment``)."""
    suffix = "Rtd" if cn == "2011" else "Avg"
    cp = CPArea.from_records(
        [
            {"DataTime": moment},
            {f"w01018-{suffix}": cod, "w01018-Flag": "N"},
            {f"w21003-{suffix}": "2.5", "w21003-Flag": "N"},
        ]
    )
    segment = DataSegment(
        qn=qn or format_timestamp(moment, millis=True),
        st=device.st,
        cn=cn,
        pw=device.pw if pw is None else pw,
        mn=device.mn,
        flag=flag,
        cp=cp,
    )
    return frame_segment(segment.text())


def split_upload(device: Registered, flag: int = 7, moment: datetime = HOUR) -> list[bytes]:
    """The hourly :func:`upload` of ``device`` at ``moment`` as two split parts (PNUM=2), as in
    Table C.50: each repeats DataTime, the second has the next QN."""
    whole = parse_packet(upload(device, moment=moment)).segment
    names, raws = whole.cp.names, whole.cp.raws
    parts = [
        CPArea(names[:3], raws[:3], ";,"),
        CPArea((names[0], *names[3:]), (raws[0], *raws[3:]), ";,"),
    ]
    first_qn = int(whole.qn or "0")
    return [
        frame_segment(
            replace(
                whole, qn=str(first_qn + number - 1), flag=flag, pnum=2, pno=number, cp=cp
            ).text()
        )
        for number, cp in enumerate(parts, start=1)
    ]


def store_hours(db: Database, device: Registered, cods: list[str], start: datetime = HOUR) -> None:
    """Store hourly uploads of ``device`` (COD means ``cods``) as the receiver would."""
    batch = Batch()
    registry = {device.mn: RegisteredDevice(device.mn, device.pw, HJ212_2017, 1, device.st)}
    intake = Intake(registry)
    for hour, cod in enumerate(cods):
        frame = upload(device, moment=start + timedelta(hours=hour), cod=cod)
        batch.add(intake.frame(frame, "test", 0))
    with db.transaction(SYSTEM) as session:
        write_batch(session.connection(), batch)


@contextmanager
def running_receiver(db: Database, **changes: object) -> Iterator[Receiver]:
    """A receiver on an ephemeral loopback port, in a thread of its own, stopped afterwards."""
    settings = replace(TEST_SETTINGS, **changes)  # type: ignore[arg-type]
    started = threading.Event()
    found: dict[str, object] = {}

    async def main() -> None:
        stop = asyncio.Event()
        found["stop"], found["loop"] = stop, asyncio.get_running_loop()
        await serve(db.url, settings, stop, lambda receiver: _ready(receiver, found, started))

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert started.wait(30), "receiver did not start"
    receiver = found["receiver"]
    assert isinstance(receiver, Receiver)
    try:
        yield receiver
    finally:
        loop, stop = found["loop"], found["stop"]
        assert isinstance(loop, asyncio.AbstractEventLoop)
        assert isinstance(stop, asyncio.Event)
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)


def _ready(receiver: Receiver, found: dict[str, object], started: threading.Event) -> None:
    found["receiver"] = receiver
    started.set()


class Client:
    """A blocking loopback connection that reads replies frame by frame."""

    def __init__(self, port: int, timeout: float = 5.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.framer = Framer()
        self.frames: list[bytes] = []

    def send(self, data: bytes) -> None:
        """Write bytes as they are."""
        self.sock.sendall(data)

    def replies(self, count: int, timeout: float = 5.0) -> list[Packet]:
        """The next ``count`` frames from the receiver, parsed."""
        deadline = time.monotonic() + timeout
        while len(self.frames) < count:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.frames += [e.data for e in self.framer.feed(chunk) if isinstance(e, Frame)]
        taken, self.frames = self.frames[:count], self.frames[count:]
        return [parse_packet(frame, strict=False) for frame in taken]

    def close(self) -> None:
        """Close the connection."""
        self.sock.close()


def qn_rtn(packet: Packet) -> str | None:
    """The QnRtn (Table 7) of a 9011 as sent."""
    found = packet.segment.cp.get("QnRtn")
    return None if found is None else found.raw


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll ``condition()`` until it is true (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
