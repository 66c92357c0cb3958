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
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import IO, Final

from ecogov.standards.hj212 import (
    HJ212_2017,
    CPArea,
    DataSegment,
    Frame,
    Framer,
    HJ212Error,
    Packet,
    execution_result,
    format_timestamp,
    frame_segment,
    notice_answer,
    parse_packet,
    request_answer,
)
from ecogov.standards.timebase import BEIJING

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
STEPS: Final = {"2011": 30, "2031": 86_400, "2051": 600, "2061": 3600}
"""Seconds between the DataTimes of successive uploads of each kind."""
DEFECTS: Final = ("noise", "split", "sticky", "crc", "resend", "flag")
NOISE: Final = b"AT+CSQ\r\n+CSQ: 23,99\r\n\x00\xff"


@dataclass(frozen=True)
class SimulatedDevice:
    """A registered device the simulator speaks for: MN, PW and ST."""

    mn: str
    pw: str
    st: str


@dataclass(frozen=True)
class SimulationConfig:
    """How the simulated loggers behave; times in seconds."""

    host: str = "127.0.0.1"
    port: int = 9212
    seconds: float = 10.0
    interval: float = 1.0
    commands: tuple[str, ...] = ("2011", "2051", "2061")
    defects: float = 0.02
    timeout: float = 10.0
    drain: float = 30.0
    start: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=BEIJING))


@dataclass
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
    """Appends one JSON line per acknowledged packet (or does nothing without a file)."""

    def __init__(self, path: Path | None) -> None:
        self._out: IO[str] | None = None if path is None else path.open("a", encoding="utf-8")

    def write(self, pending: Pending) -> None:
        """Log an acknowledged packet."""
        if self._out is not None:
            record = {
                "mn": pending.mn,
                "cn": pending.cn,
                "data_time": pending.data_time,
                "qn": pending.qn,
                "cp": pending.cp,
            }
            self._out.write(json.dumps(record, separators=(",", ":")) + "\n")

    def close(self) -> None:
        """Flush and close the file."""
        if self._out is not None:
            self._out.close()


class SimulatedLogger:
    """One data logger: its connection, its data clock and its unacknowledged packets."""

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
        self.clock = {cn: int(config.start.timestamp()) for cn in config.commands}
        self.turn = 0
        self.last_qn = ""
        self.pending: list[Pending] = []
        self.last_acked: Pending | None = None
        self.framer = Framer()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def run(self, deadline: float) -> None:
        """Upload every ``interval`` seconds (from a random phase, as loggers' clocks differ)
        until ``deadline`` (monotonic), then until every packet is acknowledged or the drain
        time is over. A late exchange is followed at once by the next packet."""
        give_up = deadline + self.config.drain
        next_at = time.monotonic() + self.rng.uniform(0, self.config.interval)
        while time.monotonic() < give_up:
            if not self.pending:
                if next_at >= deadline:
                    break
                await asyncio.sleep(next_at - time.monotonic())
                next_at = max(next_at + self.config.interval, time.monotonic())
                self._next_packets()
            await self._exchange()
        await self._disconnect()

    def _next_packets(self) -> None:
        """Prepare the next packet: two at once when the sticky defect is drawn, the last one
        again when the resend defect is (as if its 9014 had been lost)."""
        if self.last_acked is not None and self._defect("resend"):
            self.pending.append(self.last_acked)
            return
        count = 2 if self._defect("sticky") else 1
        for _ in range(count):
            cn = self.config.commands[self.turn % len(self.config.commands)]
            self.turn += 1
            self.pending.append(self._packet(cn))

    def _defect(self, kind: str) -> bool:
        """Whether this packet gets the ``kind`` defect."""
        return self.rng.random() < self.config.defects / len(DEFECTS)

    def _qn(self) -> str:
        """A request id (Table 3), strictly increasing for this logger."""
        qn = format_timestamp(datetime.now(BEIJING), millis=True)
        if qn <= self.last_qn:
            qn = str(int(self.last_qn) + 1)
        self.last_qn = qn
        return qn

    def _packet(self, cn: str, data_time: int | None = None, ack: bool = True) -> Pending:
        """The next upload of kind ``cn`` (or the one at ``data_time``)."""
        if data_time is None:
            data_time = self.clock[cn]
            self.clock[cn] += STEPS[cn]
        segment = DataSegment(
            qn=self._qn(),
            st=self.device.st,
            cn=cn,
            pw=self.device.pw,
            mn=self.device.mn,
            flag=5 if ack else 4,
            cp=self._cp(cn, data_time),
        )
        text = segment.text()
        cp_text = text.partition(";CP=&&")[2][:-2]
        return Pending(
            frame_segment(text), self.device.mn, cn, data_time, segment.qn or "", cp_text
        )

    def _cp(self, cn: str, data_time: int) -> CPArea:
        """Values of every factor: ``Rtd`` for real-time data, ``Min/Avg/Max`` otherwise."""
        names, separators = cp_layout(self.device.st, cn)
        raws = [_n14(data_time)]
        faulty = self.rng.randrange(len(self.factors)) if self._defect("flag") else -1
        for index, (code, (mean, spread)) in enumerate(self.factors.items()):
            value = max(0.0, self.rng.gauss(mean, spread))
            if cn == "2011":
                raws.append(f"{value:.2f}")
            else:
                raws += (f"{value * 0.8:.2f}", f"{value:.2f}", f"{value * 1.2:.2f}")
            if code in CONVERTED:
                raws.append(f"{value * 1.1:.2f}")
            raws.append(self.rng.choice("DC") if index == faulty else "N")
        return CPArea(names, tuple(raws), separators)

    async def _exchange(self) -> None:
        """Send the pending packets and wait for their answers; reconnect on a broken link."""
        try:
            if self.writer is None:
                await self._connect()
            await self._send(self.pending)
            async with asyncio.timeout(self.config.timeout):
                await self._await_answers()
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            await self._disconnect()
            self.stats.reconnects += 1
            await asyncio.sleep(min(2.0, 0.2 + self.rng.random()))

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.config.host, self.config.port)
        self.framer = Framer()

    async def _disconnect(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _send(self, packets: list[Pending]) -> None:
        """Write packets, with the transport defects drawn for them."""
        assert self.writer is not None
        now = time.monotonic()
        data = b""
        for pending in packets:
            pending.sent_at = now
            self.stats.sent += 1
            frame = pending.frame
            pending.corrupt = self._defect("crc")
            if pending.corrupt:
                frame = frame[:-3] + (b"0" if frame[-3:-2] != b"0" else b"1") + frame[-2:]
            data += (NOISE if self._defect("noise") else b"") + frame
        if self._defect("split") and len(data) > 8:
            cut = self.rng.randrange(1, len(data) - 1)
            self.writer.write(data[:cut])
            await self.writer.drain()
            await asyncio.sleep(0.001)
            data = data[cut:]
        self.writer.write(data)
        await self.writer.drain()

    async def _await_answers(self) -> None:
        """Read frames until every pending packet is acknowledged; refused ones are resent."""
        while self.pending:
            for packet in await self._read_packets():
                await self._on_packet(packet)

    async def _read_packets(self) -> list[Packet]:
        assert self.reader is not None
        chunk = await self.reader.read(65536)
        if not chunk:
            raise asyncio.IncompleteReadError(b"", None)
        packets = []
        for item in self.framer.feed(chunk):
            if isinstance(item, Frame):
                with contextlib.suppress(HJ212Error):
                    packets.append(parse_packet(item.data, HJ212_2017, strict=False))
        return packets

    async def _on_packet(self, packet: Packet) -> None:
        """An answer to one of our packets, or a reverse command from the platform."""
        segment = packet.segment
        match = next((p for p in self.pending if p.qn == segment.qn), None)
        if segment.cn == "9014" and match is not None:
            self.pending.remove(match)
            self.stats.acked += 1
            self.stats.latencies.append(time.monotonic() - match.sent_at)
            self.log.write(match)
            self.last_acked = match
        elif segment.cn == "9011" and match is not None:
            self.stats.refused += 1
            if match.corrupt:  # line noise spoiled it: send it again
                await self._send([match])
            else:  # refused for good (unknown MN, wrong PW …): give it up
                self.pending.remove(match)
        elif segment.st != "91" and segment.needs_ack:
            self.stats.commands += 1
            await self._answer_command(segment)

    async def _answer_command(self, command: DataSegment) -> None:
        """Answer a reverse command as a compliant logger does (Appendix C)."""
        assert self.writer is not None
        if command.cn == "2012":
            self.writer.write(frame_segment(notice_answer(command).text()))
            await self.writer.drain()
            return
        frames = [frame_segment(request_answer(command, 1).text())]
        frames += [p.frame for p in self._command_uploads(command)]
        frames.append(frame_segment(execution_result(command, 1).text()))
        self.writer.write(b"".join(frames))
        await self.writer.drain()

    def _command_uploads(self, command: DataSegment) -> list[Pending]:
        """The data a command asks for: site time, interval, or history uploads (no ack)."""
        reply = {"1011": "SystemTime", "1061": "RtdInterval"}.get(command.cn or "")
        if reply is not None:
            value = _n14(int(time.time())) if reply == "SystemTime" else "30"
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


def _n14(unix: int) -> str:
    """Unix seconds as HJ 212 ``YYYYMMDDhhmmss`` Beijing time (Table 4 N14)."""
    return format_timestamp(datetime.fromtimestamp(unix, BEIJING))


async def simulate(
    devices: list[SimulatedDevice], config: SimulationConfig, acked_log: Path | None = None
) -> dict[str, float | int]:
    """Run one simulated logger per device for ``config.seconds``; returns the summary."""
    stats = SimulationStats()
    log = AckLog(acked_log)
    started = time.monotonic()
    deadline = started + config.seconds
    loggers = [
        SimulatedLogger(device, config, stats, log, seed=index)
        for index, device in enumerate(devices)
    ]
    try:
        await asyncio.gather(*(logger.run(deadline) for logger in loggers))
    finally:
        log.close()
    return stats.summary(len(devices), time.monotonic() - started)
