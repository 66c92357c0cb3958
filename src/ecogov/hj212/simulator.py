"""Simulated data loggers (数采仪模拟器) for testing and benchmarking the receiver.

Each simulated logger connects to the receiver, uploads real-time (2011), minute (2051) and
hourly (2061) data at its interval with Flag bit A set, and waits for each 9014 (stop-and-wait,
as HJ 212-2017 §6.2 has a sender do): an unanswered packet is sent again after the timeout, on
a new connection if the old one broke, until it is acknowledged. Every acknowledged packet can
be written to an *acked log* (one JSON line: MN, CN, DataTime, QN, CP), which is what a test
checks the store against.

Realistic defects, each with probability ``defects`` per packet: modem noise before a frame,
a frame written in several TCP segments, two frames in one write, a corrupted CRC (refused with
9011 QnRtn=9, then sent again intact), a resend of an acknowledged packet, and a data flag
other than N (instrument fault or calibration). The loggers also answer reverse commands: 9011,
the data asked for (1011 time, 1061 interval, 2031/2051/2061 history), then 9012.

Thousands of loggers share one event loop, so the exchange runs in protocol callbacks: an
acknowledgement sends the next packet at once (or schedules it at the logger's interval)
without a task switch. Packets are rendered from a per-layout ``%`` template; a 9014 is
recognised by its header (QN, ST=91, CN=9014, PW, MN) without a full parse, anything else is
parsed by the codec. One sweeper per run times out unanswered packets and flushes the acked log.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import random
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from json.encoder import encode_basestring_ascii as _json_string
from pathlib import Path
from typing import IO, Final, cast

from ecogov.standards.hj212 import (
    HJ212_2017,
    CPArea,
    DataSegment,
    Frame,
    Framer,
    HJ212Error,
    execution_result,
    frame_segment,
    notice_answer,
    parse_packet,
    request_answer,
)
from ecogov.standards.hj212.timestamps import qn_of_unix_ms, timestamp_of_unix
from ecogov.standards.timebase import BEIJING, BEIJING_OFFSET_S

FACTORS: Final = {
    "31": {  # flue gas: flow [m³/s], O2 [%], SO2, NOx, particulates [mg/m³]
        "a00000": (30.0, 3.0),
        "a19001": (9.0, 0.8),
        "a21026": (15.0, 5.0),
        "a21002": (32.0, 8.0),
        "a34013": (4.0, 1.5),
    },
    "32": {  # wastewater: flow [L/s], pH, COD, NH3-N, TP [mg/L]
        "w00000": (20.0, 4.0),
        "w01001": (7.2, 0.3),
        "w01018": (42.0, 12.0),
        "w21003": (2.0, 0.8),
        "w21011": (0.3, 0.1),
    },
}
"""Simulated factors per system code (ST): mean and standard deviation of their values."""
CONVERTED: Final = frozenset({"a21026", "a21002", "a34013"})
"""Gas pollutants that also carry converted (折算, Zs) values."""
OXYGEN: Final = "a19001"
REFERENCE_O2: Final = 9.0
"""Reference oxygen [%] of the simulated converted values: ``Zs = C·(21 − 9)/(21 − O2)``, with
the packet's own O2 (drawn before the pollutants), so an honest logger's converted values are
consistent with its oxygen."""
STEPS: Final = {"2011": 30, "2031": 86_400, "2051": 600, "2061": 3600}
"""Seconds between the DataTimes of successive uploads of each kind."""
DEFECTS: Final = ("noise", "split", "sticky", "crc", "resend", "flag")
NOISE: Final = b"AT+CSQ\r\n+CSQ: 23,99\r\n\x00\xff"
ACK_HEADER: Final = b";ST=91;CN=9014;"
"""What follows the QN in a 9014 (§6.6.5: the answer echoes QN, PW and MN)."""
NORMALS: Final = 65_536
NORMALS_SEED: Final = 212
MIN_LIVE_INTERVAL: Final = 0.1
"""Seconds at least between two looks of a live logger for uploads due."""
SWEEP_S: Final = 0.25
"""How often [s] (at most) unanswered packets are checked for their timeout."""


@dataclass(frozen=True)
class SimulatedDevice:
    """A registered device the simulator speaks for: MN, PW and ST."""

    mn: str
    pw: str
    st: str


@dataclass(frozen=True)
class SimulationConfig:
    """How the simulated loggers behave; times in seconds. Ack latencies of packets sent in the
    first ``warmup`` seconds (connections opening, the receiver's caches filling) are left out
    of the percentiles."""

    host: str = "127.0.0.1"
    port: int = 9212
    seconds: float = 10.0
    interval: float = 1.0
    commands: tuple[str, ...] = ("2011", "2051", "2061")
    defects: float = 0.02
    timeout: float = 10.0
    drain: float = 30.0
    warmup: float = 0.0
    start: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=BEIJING))
    live: bool = False
    """Follow the wall clock (a running demo feed): each kind of upload is sent once its
    interval has ended, DataTimes on their step from ``start`` (every ``interval`` seconds the
    logger looks what is due), instead of one packet of the next kind every ``interval``."""


@dataclass(slots=True)
class Pending:
    """A packet sent and not yet acknowledged."""

    frame: bytes
    mn: str
    cn: str
    data_time: int
    qn: str
    cp: str
    sent_at: float = 0.0
    corrupt: bool = False


@dataclass
class SimulationStats:
    """What the simulated loggers did."""

    sent: int = 0
    acked: int = 0
    refused: int = 0
    reconnects: int = 0
    commands: int = 0
    latencies: list[float] = field(default_factory=list)
    measure_from: float = 0.0

    def summary(self, devices: int, seconds: float) -> dict[str, float | int]:
        """Counts, acknowledged packets per second and ack latency percentiles [ms]."""
        ordered = sorted(self.latencies)

        def percentile(share: float) -> float:
            if not ordered:
                return 0.0
            return round(1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)

        return {
            "devices": devices,
            "seconds": round(seconds, 2),
            "sent": self.sent,
            "acked": self.acked,
            "refused": self.refused,
            "reconnects": self.reconnects,
            "commands": self.commands,
            "acked_per_s": round(self.acked / seconds, 1) if seconds > 0 else 0.0,
            "p50_ms": percentile(0.5),
            "p99_ms": percentile(0.99),
        }


class AckLog:
    """Appends one JSON line per acknowledged packet (or does nothing without a file).

    Lines are buffered and written by :meth:`flush` (the sweeper calls it a few times a second)
    and :meth:`close`.
    """

    def __init__(self, path: Path | None) -> None:
        self._out: IO[str] | None = None if path is None else path.open("a", encoding="utf-8")
        self._lines: list[str] = []

    def write(self, pending: Pending) -> None:
        """Log an acknowledged packet."""
        if self._out is not None:
            quote = _json_string
            self._lines.append(
                f'{{"mn":{quote(pending.mn)},"cn":{quote(pending.cn)},'
                f'"data_time":{pending.data_time},"qn":{quote(pending.qn)},'
                f'"cp":{quote(pending.cp)}}}\n'
            )

    def flush(self) -> None:
        """Write the buffered lines to the file."""
        if self._out is not None and self._lines:
            self._out.write("".join(self._lines))
            self._lines.clear()
            self._out.flush()

    def close(self) -> None:
        """Flush and close the file."""
        if self._out is not None:
            self.flush()
            self._out.close()


class _Link(asyncio.Protocol):
    """One TCP connection of a simulated logger; events of a replaced connection are ignored."""

    def __init__(self, logger: SimulatedLogger) -> None:
        self.logger = logger
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is no subclass

    def data_received(self, data: bytes) -> None:
        if self.logger.link is self:
            self.logger.received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.logger.link is self:
            self.logger.broken()


class SimulatedLogger:
    """One data logger: its connection, its data clock and its unacknowledged packets.

    :meth:`run` connects (and reconnects after a failure); the exchange itself is driven by
    the connection's callbacks: :meth:`received` handles answers and commands, and once
    nothing is pending the next packet is sent (see :meth:`_advance`).
    """

    def __init__(
        self,
        device: SimulatedDevice,
        config: SimulationConfig,
        stats: SimulationStats,
        log: AckLog,
        seed: int,
    ) -> None:
        self.device = device
        self.config = config
        self.stats = stats
        self.log = log
        self.rng = random.Random(seed)
        self.factors = FACTORS.get(device.st, FACTORS["32"])
        self.clock = {cn: _first_data_time(config, cn) for cn in config.commands}
        self.turn = 0
        self.last_qn = ""
        self.pending: list[Pending] = []
        self.last_acked: Pending | None = None
        self.framer = Framer()
        self.link: _Link | None = None
        self.next_at = 0.0
        self.deadline = 0.0
        self.defect_chance = config.defects / len(DEFECTS)
        self._ack_tail = f";PW={device.pw};MN={device.mn};".encode()
        self._header, self._auth = _header_pieces(device)
        self._wake: asyncio.Future[bool] | None = None
        self._timer: asyncio.TimerHandle | None = None

    async def run(self, deadline: float) -> None:
        """Upload every ``interval`` seconds (from a random phase, as loggers' clocks differ)
        until ``deadline`` (monotonic), then until every packet is acknowledged or the drain
        time is over. A late exchange is followed at once by the next packet."""
        loop = asyncio.get_running_loop()
        give_up = deadline + self.config.drain
        self.deadline = deadline
        self.next_at = time.monotonic() + self.rng.uniform(0, self.config.interval)
        while time.monotonic() < give_up:
            if not self.pending and self.next_at >= deadline:
                break
            self._wake = loop.create_future()
            try:
                if self.link is None:
                    await self._connect()
                self._advance()
                async with asyncio.timeout(max(0.0, give_up - time.monotonic())):
                    finished = await self._wake
            except TimeoutError:
                break
            except OSError:
                finished = False
            if finished:
                break
            self._disconnect()
            self.stats.reconnects += 1
            await asyncio.sleep(min(2.0, 0.2 + self.rng.random()))
        self._disconnect()

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        link = _Link(self)
        await loop.create_connection(lambda: link, self.config.host, self.config.port)
        self.framer = Framer()
        self.link = link

    def _disconnect(self) -> None:
        link, self.link = self.link, None
        self._cancel_timer()
        if link is not None and link.transport is not None:
            link.transport.close()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _wake_run(self, finished: bool) -> None:
        """Hand control back to :meth:`run`: the run is over, or the link must be replaced."""
        if self._wake is not None and not self._wake.done():
            self._wake.set_result(finished)

    def broken(self) -> None:
        """The connection broke (or a packet timed out): reconnect and send again."""
        if self.link is not None:
            self._cancel_timer()
            self._wake_run(False)

    def check_timeout(self, now: float) -> None:
        """Give up on the connection when the oldest pending packet is unanswered too long."""
        if self.pending and self.link is not None:
            oldest = min(p.sent_at for p in self.pending)
            if oldest and now - oldest > self.config.timeout:
                self.broken()

    def _advance(self) -> None:
        """Send what is pending, or the next packet when it is due (scheduled otherwise), or
        end the run after the deadline."""
        if self.link is None or self._timer is not None:
            return
        if self.pending:
            self._send(self.pending)
            return
        if self.next_at >= self.deadline:
            self._wake_run(True)
            return
        now = time.monotonic()
        if self.next_at > now:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self.next_at - now, self._due)
            return
        self.next_at = max(self.next_at + self.config.interval, now)
        self._next_packets()
        if not self.pending:  # live, and nothing due yet: look again after the interval
            self.next_at = max(self.next_at, now + MIN_LIVE_INTERVAL)
            self._advance()
            return
        self._send(self.pending)

    def _due(self) -> None:
        self._timer = None
        self._advance()

    def _next_packets(self) -> None:
        """Prepare the next packet: two at once when the sticky defect is drawn, the last one
        again when the resend defect is (as if its 9014 had been lost)."""
        if self.config.live:
            wall = time.time()
            self.pending += [
                self._packet(cn)
                for cn in self.config.commands
                if _closed(self.clock[cn], cn) <= wall
            ]
            return
        if self.last_acked is not None and self._defect():
            self.pending.append(self.last_acked)
            return
        count = 2 if self._defect() else 1
        for _ in range(count):
            cn = self.config.commands[self.turn % len(self.config.commands)]
            self.turn += 1
            self.pending.append(self._packet(cn))

    def _defect(self) -> bool:
        """Whether this packet gets a given defect (each kind equally likely)."""
        return self.defect_chance > 0 and self.rng.random() < self.defect_chance

    def _qn(self) -> str:
        """A request id (Table 3), strictly increasing for this logger."""
        qn = qn_of_unix_ms(time.time_ns() // 1_000_000)
        if qn <= self.last_qn:
            qn = str(int(self.last_qn) + 1)
        self.last_qn = qn
        return qn

    def _packet(self, cn: str, data_time: int | None = None, ack: bool = True) -> Pending:
        """The next upload of kind ``cn`` (or the one at ``data_time``)."""
        if data_time is None:
            data_time = self.clock[cn]
            self.clock[cn] += STEPS[cn]
        qn = self._qn()
        cp = self._cp(cn, data_time)
        text = f"QN={qn}{self._header}{cn}{self._auth}{5 if ack else 4};CP=&&{cp}&&"
        return Pending(frame_segment(text), self.device.mn, cn, data_time, qn, cp)

    def _cp(self, cn: str, data_time: int) -> str:
        """Values of every factor: ``Rtd`` for real-time data, ``Min/Avg/Max`` otherwise."""
        faulty = self.rng.randrange(len(self.factors)) if self._defect() else -1
        flags = [self.rng.choice("DC") if i == faulty else "N" for i in range(len(self.factors))]
        return _cp_text(self.device.st, cn, timestamp_of_unix(data_time), self.rng, flags)

    def _send(self, packets: list[Pending]) -> None:
        """Write packets, with the transport defects drawn for them."""
        link = self.link
        assert link is not None
        transport = link.transport
        assert transport is not None
        now = time.monotonic()
        data = b""
        for pending in packets:
            pending.sent_at = now
            self.stats.sent += 1
            frame = pending.frame
            pending.corrupt = self._defect()
            if pending.corrupt:
                frame = frame[:-3] + (b"0" if frame[-3:-2] != b"0" else b"1") + frame[-2:]
            data += (NOISE if self._defect() else b"") + frame
        if self._defect() and len(data) > 8:
            cut = self.rng.randrange(1, len(data) - 1)
            transport.write(data[:cut])
            rest = data[cut:]
            asyncio.get_running_loop().call_later(0.001, self._write_rest, link, rest)
            return
        transport.write(data)

    def _write_rest(self, link: _Link, rest: bytes) -> None:
        """The second TCP segment of a split write (if the connection is still the same)."""
        if self.link is link and link.transport is not None and not link.transport.is_closing():
            link.transport.write(rest)

    def received(self, data: bytes) -> None:
        """Bytes from the receiver: acknowledgements, refusals and reverse commands."""
        if not self.framer.buffered and data.endswith(b"\r\n") and data.startswith(b"##"):
            head = data[2:6]
            if head.isdigit() and int(head) + 12 == len(data):  # exactly one whole frame
                self._on_frame(data)
                return
        for item in self.framer.feed(data):
            if isinstance(item, Frame):
                self._on_frame(item.data)

    def _on_frame(self, frame: bytes) -> None:
        """One frame: a 9014 of a pending packet is recognised by its header, the rest parsed."""
        if frame.startswith(b"QN=", 6):
            end = frame.find(b";", 9)
            qn = frame[9:end].decode("ascii", "replace")
            if frame.startswith(ACK_HEADER, end) and frame.startswith(
                self._ack_tail, end + len(ACK_HEADER) - 1
            ):
                for match in self.pending:
                    if match.qn == qn:
                        self._acknowledged(match)
                        return
        with contextlib.suppress(HJ212Error):
            self._on_segment(parse_packet(frame, HJ212_2017, strict=False).segment)

    def _acknowledged(self, match: Pending) -> None:
        self.pending.remove(match)
        stats = self.stats
        stats.acked += 1
        if match.sent_at >= stats.measure_from:
            stats.latencies.append(time.monotonic() - match.sent_at)
        self.log.write(match)
        self.last_acked = match
        if not self.pending:
            self._advance()

    def _on_segment(self, segment: DataSegment) -> None:
        """An answer to one of our packets, or a reverse command from the platform."""
        match = next((p for p in self.pending if p.qn == segment.qn), None)
        if segment.cn == "9014" and match is not None:
            self._acknowledged(match)
        elif segment.cn == "9011" and match is not None:
            self.stats.refused += 1
            if match.corrupt:  # line noise spoiled it: send it again
                self._send([match])
            else:  # refused for good (unknown MN, wrong PW …): give it up
                self.pending.remove(match)
                if not self.pending:
                    self._advance()
        elif segment.st != "91" and segment.needs_ack:
            self.stats.commands += 1
            self._answer_command(segment)

    def _answer_command(self, command: DataSegment) -> None:
        """Answer a reverse command as a compliant logger does (Appendix C)."""
        transport = None if self.link is None else self.link.transport
        assert transport is not None
        if command.cn == "2012":
            transport.write(frame_segment(notice_answer(command).text()))
            return
        frames = [frame_segment(request_answer(command, 1).text())]
        frames += [p.frame for p in self._command_uploads(command)]
        frames.append(frame_segment(execution_result(command, 1).text()))
        transport.write(b"".join(frames))

    def _command_uploads(self, command: DataSegment) -> list[Pending]:
        """The data a command asks for: site time, interval, or history uploads (no ack)."""
        reply = {"1011": "SystemTime", "1061": "RtdInterval"}.get(command.cn or "")
        if reply is not None:
            value = timestamp_of_unix(int(time.time())) if reply == "SystemTime" else "30"
            segment = DataSegment(
                qn=command.qn,
                st=self.device.st,
                cn=command.cn,
                pw=self.device.pw,
                mn=self.device.mn,
                flag=4,
                cp=CPArea.from_records([{reply: value}]),
            )
            return [Pending(frame_segment(segment.text()), self.device.mn, "", 0, "", "")]
        step = {"2031": 86_400, "2051": 600, "2061": 3600}.get(command.cn or "")
        begin, end = command.cp.value("BeginTime"), command.cp.value("EndTime")
        if step is None or not isinstance(begin, datetime) or not isinstance(end, datetime):
            return []
        first, last = int(begin.timestamp()), int(end.timestamp())
        history_cn = command.cn or "2061"
        return [
            self._packet(history_cn, moment, ack=False)
            for moment in range(first, min(last, first + 23 * step) + 1, step)
        ]


def _first_data_time(config: SimulationConfig, cn: str) -> int:
    """The DataTime of a logger's first ``cn`` upload [Unix s]: ``start``, or live the start of
    the interval ``start`` falls in (on the step of ``cn``, Beijing time)."""
    start = int(config.start.timestamp())
    if not config.live:
        return start
    step = STEPS[cn]
    return start - (start + BEIJING_OFFSET_S) % step


def _closed(data_time: int, cn: str) -> int:
    """When the upload of ``cn`` at ``data_time`` is due [Unix s]: real-time data at once,
    means once their interval has ended."""
    return data_time if cn == "2011" else data_time + STEPS[cn]


def _cp_text(st: str, cn: str, data_time: str, rng: random.Random, flags: list[str]) -> str:
    """A CP area of :func:`cp_template` with values drawn around each factor's mean and the
    given data flags (one per factor)."""
    factors = FACTORS.get(st, FACTORS["32"])
    normals = _normals()
    drawn = rng.randrange(len(normals) - len(factors))
    realtime = cn == "2011"
    values: list[str | float] = [data_time]
    to_converted = 1.1
    for index, (code, (mean, spread)) in enumerate(factors.items()):
        value = max(0.0, mean + spread * normals[drawn + index])
        if code == OXYGEN:
            to_converted = (21 - REFERENCE_O2) / max(1.0, 21 - value)
        if realtime:
            values.append(value)
        else:
            values += (value * 0.8, value, value * 1.2)
        if code in CONVERTED:
            values.append(value * to_converted)
        values.append(flags[index])
    return cp_template(st, cn) % tuple(values)


def upload_template(device: SimulatedDevice, cn: str, rng: random.Random) -> str:
    """The data segment of one ``cn`` upload of ``device`` asking for a 9014, its values drawn
    as the simulated loggers draw them (flags N), with ``{QN}`` and ``{DT}`` standing for its QN
    and DataTime: what a load generator renders packets from."""
    flags = ["N"] * len(FACTORS.get(device.st, FACTORS["32"]))
    cp = _cp_text(device.st, cn, "{DT}", rng, flags)
    header, auth = _header_pieces(device)
    return f"QN={{QN}}{header}{cn}{auth}5;CP=&&{cp}&&"


def _header_pieces(device: SimulatedDevice) -> tuple[str, str]:
    """The fixed text of ``device``'s headers around the CN and the Flag: an upload's header is
    ``QN=<qn>`` + the first + CN + the second + Flag (§6.3.2 Table 3)."""
    return f";ST={device.st};CN=", f";PW={device.pw};MN={device.mn};Flag="


@cache
def _normals() -> tuple[float, ...]:
    """Standard normal deviates a packet's values are drawn from (a random run of them per
    packet: one draw instead of one per factor)."""
    rng = random.Random(NORMALS_SEED)
    return tuple(rng.gauss(0.0, 1.0) for _ in range(NORMALS))


@cache
def cp_layout(st: str, cn: str) -> tuple[tuple[str, ...], str]:
    """Field names and separators of the simulated CP area of ``cn`` uploads on system ``st``:
    ``DataTime``, then per factor ``Rtd`` (2011) or ``Min``/``Avg``/``Max``, the converted value
    of gas pollutants, and ``Flag`` (§6.3.3: one record per factor)."""
    kinds, converted = (("Rtd",), "ZsRtd") if cn == "2011" else (("Min", "Avg", "Max"), "ZsAvg")
    records: list[dict[str, str]] = [{"DataTime": ""}]
    for code in FACTORS.get(st, FACTORS["32"]):
        fields = [f"{code}-{kind}" for kind in kinds]
        if code in CONVERTED:
            fields.append(f"{code}-{converted}")
        records.append(dict.fromkeys([*fields, f"{code}-Flag"], ""))
    layout = CPArea.from_records(records)
    return layout.names, layout.separators


@cache
def cp_template(st: str, cn: str) -> str:
    """The CP text of :func:`cp_layout` as a ``%`` template: DataTime and flags as text,
    values with two decimals."""
    names, separators = cp_layout(st, cn)
    raws = tuple("%s" if n == "DataTime" or n.endswith("-Flag") else "%.2f" for n in names)
    return CPArea(names, raws, separators).text()


async def _sweep(loggers: list[SimulatedLogger], log: AckLog, every: float) -> None:
    """Time out unanswered packets and flush the acked log, until cancelled."""
    while True:
        await asyncio.sleep(every)
        now = time.monotonic()
        for logger in loggers:
            logger.check_timeout(now)
        log.flush()


async def simulate(
    devices: list[SimulatedDevice], config: SimulationConfig, acked_log: Path | None = None
) -> dict[str, float | int]:
    """Run one simulated logger per device for ``config.seconds``; returns the summary."""
    log = AckLog(acked_log)
    started = time.monotonic()
    stats = SimulationStats(measure_from=started + config.warmup)
    deadline = started + config.seconds
    loggers = [
        SimulatedLogger(device, config, stats, log, seed=index)
        for index, device in enumerate(devices)
    ]
    sweeper = asyncio.create_task(_sweep(loggers, log, min(SWEEP_S, config.timeout / 4)))
    # Everything alive now (the caller's whole heap included) outlives the run: a full collection
    # scanning it would stall every logger at once and show up as ack latency.
    gc.collect()
    gc.freeze()
    try:
        await asyncio.gather(*(logger.run(deadline) for logger in loggers))
    finally:
        gc.unfreeze()
        sweeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeper
        log.close()
    return stats.summary(len(devices), time.monotonic() - started)
