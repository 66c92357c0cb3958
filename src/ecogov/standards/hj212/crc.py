"""CRC16 of HJ 212-2017 Appendix A, computed fast, and CRC-16/MODBUS for non-conforming devices.

Appendix A's C function ``CRC16_Checkout`` does, for every byte ``b`` of the data segment::

    crc_reg = (crc_reg >> 8) ^ b;           /* not Modbus' crc ^= b */
    repeat 8 times: check = crc_reg & 1; crc_reg >>= 1; if (check) crc_reg ^= 0xA001;

starting from ``0xFFFF``; the result is sent as 4 hex digits, high byte first. The standard's worked
example (``…CP=&&RtdInterval=30&&``) gives ``1C80`` (its prose says ``1C08``, a typo).

Because ``(crc_reg >> 8) ^ b`` never exceeds 8 bits, the register after a byte is a table entry
``T[h ^ b]`` where ``h`` is the high byte of the register before it. The high byte therefore evolves
as ``h' = H[h ^ b]`` with ``H[x] = T[x] >> 8``, a linear map over GF(2)^8 whose 8th power is the
identity. So the state before the last byte is ``M^m·0xFF ⊕ ⨁ M^(m-i)·b_i`` and only the byte
position modulo 8 matters: the bytes are folded into 8 lanes with big-integer XOR (C speed) and
each lane goes through one precomputed table. The result is bit-for-bit the C function's; the test
suite checks it against a bitwise transcription of Appendix A on random data.

CRC-16/MODBUS (``crc ^= b`` then the same 8 shifts) appears in the field for some data loggers
(srdgame/lua-HJ212 ships both); profiles may accept it per device (open question 11).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

__all__ = [
    "CrcFlavour",
    "crc16",
    "crc16_hj212",
    "crc16_modbus",
    "format_crc",
]

_POLY: Final = 0xA001
_INIT: Final = 0xFFFF
_LANE_BITS: Final = 64


class CrcFlavour(StrEnum):
    """Which CRC16 a device computes over the data segment (Appendix A, or Modbus for some)."""

    HJ212 = "hj212"  # Appendix A: crc = (crc >> 8) ^ b
    MODBUS = "modbus"  # CRC-16/MODBUS: crc ^= b


def _shift8(register: int) -> int:
    """Eight rounds of Appendix A steps 4–6 (shift right, XOR 0xA001 when a 1 falls out)."""
    for _ in range(8):
        register = (register >> 1) ^ _POLY if register & 1 else register >> 1
    return register


_TABLE: Final = tuple(_shift8(x) for x in range(256))
_HIGH: Final = tuple(entry >> 8 for entry in _TABLE)


def _power_tables() -> tuple[tuple[int, ...], ...]:
    """``M^r`` as 256-entry tables for r = 0…7, where ``M[x] = _HIGH[x]`` (``M^8`` = identity)."""
    tables = [tuple(range(256))]
    for _ in range(7):
        previous = tables[-1]
        tables.append(tuple(_HIGH[previous[x]] for x in range(256)))
    return tuple(tables)


_POWERS: Final = _power_tables()
# Lane L (byte L of the folded value, least significant first) holds bytes at distance L+1 (mod 8)
# from the end of the prefix, so it is multiplied by M^((L+1) mod 8).
_LANES: Final = tuple(_POWERS[(lane + 1) % 8] for lane in range(8))
# Contribution of the initial state 0xFF after m bytes: M^(m mod 8)·0xFF.
_START: Final = tuple(_POWERS[r][_INIT >> 8] for r in range(8))
_L0, _L1, _L2, _L3, _L4, _L5, _L6, _L7 = _LANES
_FOLD_CACHE_LIMIT: Final = 4096
_FOLD_CACHE_MAX_LENGTH: Final = 2048  # twice the largest frame (§6.3.1: 1036 bytes)
_folds: dict[int, tuple[tuple[int, int], ...]] = {}


def _fold_steps(length: int) -> tuple[tuple[int, int], ...]:
    """Shifts and low masks that XOR-fold a ``length``-byte big integer into 64 bits.

    Each step keeps the lower ceil(w/2) of w 64-bit words and XORs the rest onto them; folding at
    whole words keeps every byte in its lane (position modulo 8). Cached per length up to twice
    a frame: frames of one kind have a handful of lengths.
    """
    steps = _folds.get(length)
    if steps is None:
        words = (length + 7) // 8
        found: list[tuple[int, int]] = []
        while words > 1:
            words = (words + 1) // 2
            found.append((words * _LANE_BITS, (1 << (words * _LANE_BITS)) - 1))
        steps = tuple(found)
        if length <= _FOLD_CACHE_MAX_LENGTH:
            if len(_folds) >= _FOLD_CACHE_LIMIT:
                _folds.clear()
            _folds[length] = steps
    return steps


def crc16_hj212(data: bytes) -> int:
    """CRC16 of HJ 212-2017 Appendix A (``CRC16_Checkout``) over ``data``, as an int 0…0xFFFF.

    Identical to the standard's C code for every input; ``data`` is the data segment only
    (§6.3.1 Table 2: not the ``##``, the length field, the CRC or the CR LF).
    """
    if not data:
        return _INIT
    prefix_length = len(data) - 1
    folded = int.from_bytes(data[:prefix_length], "big")
    for shift, mask in _folds.get(prefix_length) or _fold_steps(prefix_length):
        folded = (folded >> shift) ^ (folded & mask)
    lane = folded.to_bytes(8, "little")
    high = (
        _START[prefix_length & 7]
        ^ _L0[lane[0]]
        ^ _L1[lane[1]]
        ^ _L2[lane[2]]
        ^ _L3[lane[3]]
        ^ _L4[lane[4]]
        ^ _L5[lane[5]]
        ^ _L6[lane[6]]
        ^ _L7[lane[7]]
    )
    return _TABLE[high ^ data[prefix_length]]


def crc16_modbus(data: bytes) -> int:
    """CRC-16/MODBUS over ``data`` (init 0xFFFF, reflected polynomial 0xA001, ``crc ^= b``).

    Not the HJ 212 algorithm; offered for devices that compute it instead (STANDARDS.md F.5, open
    question 11). Table-driven; the table is the same one Appendix A's inner loop produces.
    """
    crc = _INIT
    table = _TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def crc16(data: bytes, flavour: CrcFlavour = CrcFlavour.HJ212) -> int:
    """CRC16 of ``data`` in the given flavour (Appendix A by default)."""
    if flavour is CrcFlavour.MODBUS:
        return crc16_modbus(data)
    return crc16_hj212(data)


def format_crc(value: int) -> str:
    """The CRC field text: 4 upper-case hex digits, high byte first (§6.3.1 Table 2, Appendix A)."""
    return f"{value & 0xFFFF:04X}"
