"""HJ 212 codec — 污染物在线监控（监测）系统数据传输标准 (2017 edition, 2005, 2025 placeholder).

Parse and build the packets online-monitoring data loggers send to a platform:

* :func:`parse_packet` — one frame, strict (refuse with every violation) or tolerant (keep what
  can be read, list the violations); only :class:`HJ212Error` subclasses ever escape.
* :class:`Framer` — cut a TCP byte stream into frames (sticky/split reads, garbage, resync).
* :class:`Reassembler` — join PNUM/PNO split packets.
* :func:`build_packet`, :func:`frame_segment`, the answers and :func:`reverse_command` (to an
  :class:`Addressee`, per :data:`REVERSE_COMMANDS`) — write packets.
* :class:`ProtocolProfile` — the per-device contract (edition, CRC flavour, tolerances).
* :mod:`~ecogov.standards.hj212.codes` — Tables 5–9 and Appendix B code tables.

Times are Beijing time, returned timezone-aware (fixed UTC+08:00, ``standards.timebase``).
"""

from ecogov.standards.hj212.builder import (
    REVERSE_COMMANDS,
    Addressee,
    ReverseCommand,
    build_packet,
    data_answer,
    execution_result,
    frame_segment,
    new_qn,
    notice_answer,
    request,
    request_answer,
    reverse_command,
)
from ecogov.standards.hj212.codes import (
    AIR_FACTORS,
    COMMAND_CODES,
    DATA_FLAGS_2005,
    DATA_FLAGS_2017,
    EXE_RTN,
    FACTORS,
    QN_RTN,
    SYSTEM_CODES,
    WATER_FACTORS,
    Factor,
    code_2005_to_2017,
    code_2017_to_2005,
    lookup_factor,
)
from ecogov.standards.hj212.crc import CrcFlavour, crc16, crc16_hj212, crc16_modbus, format_crc
from ecogov.standards.hj212.errors import (
    BuildError,
    CRCError,
    EncodingError,
    FramingError,
    HJ212Error,
    ReassemblyError,
    SegmentError,
    Violation,
    ViolationCode,
)
from ecogov.standards.hj212.framer import Frame, Framer, FramerEvent
from ecogov.standards.hj212.packet import (
    CPArea,
    CPField,
    CPRecord,
    CPValue,
    DataSegment,
    FlagBits,
    Packet,
    format_value,
)
from ecogov.standards.hj212.parser import Known, parse_known, parse_packet, peek_mn, strict_error
from ecogov.standards.hj212.profiles import (
    HJ212_2017,
    HJ212_2017_FIELD,
    HJ212_2017_SURFACE_WATER,
    HJ212_2025,
    HJT212_2005,
    CodeRule,
    LengthUnit,
    MnRule,
    ProtocolProfile,
    ProtocolVersion,
)
from ecogov.standards.hj212.split import Reassembled, Reassembler, ReassemblyEvent
from ecogov.standards.hj212.timestamps import BEIJING, format_timestamp, parse_timestamp

__all__ = [
    "AIR_FACTORS",
    "BEIJING",
    "COMMAND_CODES",
    "DATA_FLAGS_2005",
    "DATA_FLAGS_2017",
    "EXE_RTN",
    "FACTORS",
    "HJ212_2017",
    "HJ212_2017_FIELD",
    "HJ212_2017_SURFACE_WATER",
    "HJ212_2025",
    "HJT212_2005",
    "QN_RTN",
    "REVERSE_COMMANDS",
    "SYSTEM_CODES",
    "WATER_FACTORS",
    "Addressee",
    "BuildError",
    "CPArea",
    "CPField",
    "CPRecord",
    "CPValue",
    "CRCError",
    "CodeRule",
    "CrcFlavour",
    "DataSegment",
    "EncodingError",
    "Factor",
    "FlagBits",
    "Frame",
    "Framer",
    "FramerEvent",
    "FramingError",
    "HJ212Error",
    "Known",
    "LengthUnit",
    "MnRule",
    "Packet",
    "ProtocolProfile",
    "ProtocolVersion",
    "Reassembled",
    "Reassembler",
    "ReassemblyError",
    "ReassemblyEvent",
    "ReverseCommand",
    "SegmentError",
    "Violation",
    "ViolationCode",
    "build_packet",
    "code_2005_to_2017",
    "code_2017_to_2005",
    "crc16",
    "crc16_hj212",
    "crc16_modbus",
    "data_answer",
    "execution_result",
    "format_crc",
    "format_timestamp",
    "format_value",
    "frame_segment",
    "lookup_factor",
    "new_qn",
    "notice_answer",
    "parse_known",
    "parse_packet",
    "parse_timestamp",
    "peek_mn",
    "request",
    "request_answer",
    "reverse_command",
    "strict_error",
]
