"""HJ 212 packets and stored records as JSON-ready dictionaries (CLI, API, exports).

Values follow Table 4's kinds: numbers become JSON numbers, times ISO 8601 text in Beijing time,
flags and codes stay text. A factor's fields are grouped by code, then by field kind:
``{"w01018": {"Avg": 40.1, "Flag": "N"}}``.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from ecogov.standards.hj212 import (
    CPArea,
    CPField,
    HJ212Error,
    Packet,
    ProtocolProfile,
    parse_packet,
)

_CP_SEPARATOR = re.compile(r"([;,])")


def json_value(item: CPField) -> Any:
    """The Table 4 typed value of a CP field in a JSON-friendly form."""
    value = item.value
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and "." not in item.raw
            else float(value)
        )
    if isinstance(value, datetime | time):
        return value.isoformat()
    return value


def factor_values(cp: CPArea) -> dict[str, dict[str, Any]]:
    """The CP fields of each factor code, by field kind (Avg, Rtd, Flag …)."""
    return {
        code: {suffix: json_value(item) for suffix, item in fields.items()}
        for code, fields in cp.factors().items()
    }


def cp_area(text: str) -> CPArea:
    """The CP area of a stored data record (its text as received, without ``//…//`` values)."""
    if not text:
        return CPArea()
    pieces = _CP_SEPARATOR.split(text)
    names: list[str] = []
    raws: list[str] = []
    for piece in pieces[0::2]:
        name, _, raw = piece.partition("=")
        names.append(name)
        raws.append(raw)
    return CPArea(tuple(names), tuple(raws), "".join(pieces[1::2]))


def edition(profile: ProtocolProfile) -> str:
    """The year of the profile's edition: ``2017`` of ``HJ 212-2017``."""
    return str(profile.version).rsplit("-", 1)[-1]


def packet_json(packet: Packet, profile: ProtocolProfile) -> dict[str, Any]:
    """A parsed packet: header fields, DataTime, factor values and the rules it breaks."""
    segment = packet.segment
    data_time = segment.cp.data_time
    found: dict[str, Any] = {
        "ok": True,
        "version": edition(profile),
        "st": segment.st,
        "cn": segment.cn,
        "pw": segment.pw,
        "mn": segment.mn,
        "flag": segment.flag,
        "qn": segment.qn,
        "data_time": None if data_time is None else data_time.isoformat(),
        "values": factor_values(segment.cp),
        "violations": [
            {
                "code": str(v.code),
                "position": v.position,
                "message_zh": v.message_zh,
                "message": v.message,
            }
            for v in packet.violations
        ],
    }
    if segment.pnum is not None:
        found["pnum"], found["pno"] = segment.pnum, segment.pno
    return found


def parse_line(line: bytes, number: int, profile: ProtocolProfile, strict: bool) -> dict[str, Any]:
    """One input line (one packet, CR LF optional) as the ``parse`` command prints it.

    Strict: any violation refuses the packet. Tolerant: a packet is ``ok`` when its data segment
    could be read (it has a CN), with its violations listed.
    """
    frame = line.rstrip(b"\r\n") + b"\r\n"
    try:
        packet = parse_packet(frame, profile, strict=strict)
    except HJ212Error as error:
        return {"ok": False, "line": number, "error": str(error)}
    if packet.segment.cn is None:
        return {"ok": False, "line": number, "error": "; ".join(map(str, packet.violations))}
    return packet_json(packet, profile)
