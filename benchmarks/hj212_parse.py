"""Benchmark: parsing typical HJ 212 hourly (2061) packets, the codec against a naive parser.

Target (issue 6): ≥ 50,000 packets/s per core, ≥ 3× a naive parser that splits the text and
checks the CRC bit by bit as Appendix A's C code does. Rates are CPU time of this process (one
core), best of several runs, over 2,000 distinct packets of water and flue-gas outlets (five
factors each, Cou/Min/Avg/Max/Flag) — the shape of Table C.48 packets. Both parsers must agree
on every value first.

Prints ``RESULT name=hj212_parse value=<packets/s> unit=packets/s baseline=naive
ratio=<ours/naive>``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ecogov.standards.hj212 import (
    CPArea,
    DataSegment,
    format_timestamp,
    frame_segment,
    parse_packet,
)
from ecogov.standards.timebase import BEIJING

PACKETS = 2000
RUNS = 5
TARGET = 50_000.0
FACTORS = {
    "32": ("w00000", "w01018", "w21003", "w21011", "w21001"),
    "31": ("a00000", "a21026", "a21002", "a34013", "a19001"),
}


def typical_packets(count: int, seed: int = 212) -> list[bytes]:
    """``count`` distinct 2061 packets of devices on water (ST 32) and gas (ST 31) outlets."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, tzinfo=BEIJING)
    frames = []
    for index in range(count):
        st = "32" if index % 3 else "31"
        moment = start + timedelta(hours=index)
        records: list[dict[str, str]] = [{"DataTime": format_timestamp(moment)}]
        for code in FACTORS[st]:
            mean = rng.uniform(0.5, 80)
            records.append(
                {
                    f"{code}-Cou": f"{mean * 3.6:.2f}",
                    f"{code}-Min": f"{mean * 0.8:.2f}",
                    f"{code}-Avg": f"{mean:.2f}",
                    f"{code}-Max": f"{mean * 1.2:.2f}",
                    f"{code}-Flag": "N",
                }
            )
        segment = DataSegment(
            qn=format_timestamp(moment + timedelta(seconds=61), millis=True),
            st=st,
            cn="2061",
            pw=f"{index % 1_000_000:06d}",
            mn=f"330106{index:018X}",
            flag=5,
            cp=CPArea.from_records(records),
        )
        frames.append(frame_segment(segment.text()))
    return frames


def naive_crc(data: bytes) -> int:
    """HJ 212-2017 Appendix A ``CRC16_Checkout``, transcribed bit by bit."""
    crc = 0xFFFF
    for byte in data:
        crc = (crc >> 8) ^ byte
        for _ in range(8):
            lsb = crc & 1
            crc >>= 1
            if lsb:
                crc ^= 0xA001
    return crc


def naive_parse(frame: bytes) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Header fields and factor values by splitting the text, after a bitwise CRC check."""
    text = frame.decode("utf-8")
    if not text.startswith("##") or not text.endswith("\r\n"):
        raise ValueError("not a frame")
    length = int(text[2:6])
    body = text[6 : 6 + length]
    if naive_crc(body.encode("utf-8")) != int(text[6 + length : 10 + length], 16):
        raise ValueError("CRC mismatch")
    head, _, cp = body.partition("CP=&&")
    header = dict(item.split("=", 1) for item in head.rstrip(";").split(";"))
    values: dict[str, dict[str, Any]] = {}
    for record in cp[:-2].split(";"):
        for item in record.split(","):
            name, value = item.split("=", 1)
            code, dash, kind = name.partition("-")
            if dash:
                values.setdefault(code, {})[kind] = value if kind == "Flag" else float(value)
    return header, values


def ours(frame: bytes) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """The codec's strict parse, in the same shape as the naive one."""
    segment = parse_packet(frame).segment
    header = {"QN": segment.qn or "", "ST": segment.st or "", "CN": segment.cn or ""}
    values = {
        code: {kind: item.raw if kind == "Flag" else float(item.raw) for kind, item in f.items()}
        for code, f in segment.cp.factors().items()
    }
    return header, values


def rate(parse: Callable[[bytes], object], frames: list[bytes], runs: int) -> float:
    """Best packets per CPU-second over ``runs`` passes."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        for frame in frames:
            parse(frame)
        best = min(best, time.process_time() - started)
    return len(frames) / best


def main() -> None:
    frames = typical_packets(PACKETS)
    for frame in frames:
        mine, theirs = ours(frame), naive_parse(frame)
        assert mine[1] == theirs[1], "the parsers disagree"
        assert mine[0].items() <= theirs[0].items()
    size = sum(map(len, frames)) / len(frames)
    ours_rate = rate(parse_packet, frames, RUNS)
    naive_rate = rate(naive_parse, frames[: PACKETS // 10], RUNS)
    print(f"packets: {PACKETS} typical 2061 frames, {size:.0f} bytes on average")
    print(f"codec parse_packet (strict): {ours_rate:,.0f} packets/s per core (CPU time)")
    print(f"naive split + bitwise CRC: {naive_rate:,.0f} packets/s per core")
    print(f"target {TARGET:,.0f} packets/s: {'met' if ours_rate >= TARGET else 'not met'}")
    print(
        f"RESULT name=hj212_parse value={ours_rate:.0f} unit=packets/s baseline=naive "
        f"ratio={ours_rate / naive_rate:.2f}"
    )


if __name__ == "__main__":
    main()
