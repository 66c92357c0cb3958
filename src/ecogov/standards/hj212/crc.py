"""CRC16 of HJ 212-2017 Appendix A, and CRC-16/MODBUS for non-conforming devices.

Appendix A's C function ``CRC16_Checkout`` does, for every byte ``b`` of the data segment::

    crc_reg = (crc_reg >> 8) ^ b;           /* not Modbus' crc ^= b */
    repeat 8 times: check = crc_reg & 1; crc_reg >>= 1; if (check) crc_reg ^= 0xA001;

starting from ``0xFFFF``; the result is sent as 4 hex digits, high byte first. The standard's worked
example (``…CP=&&RtdInterval=30&&``) gives ``1C80`` (its prose says ``1C08``, a typo).

The loops run in C (``_native.c``, built at install): after the XOR the register is below 256, so
the 8 rounds are one lookup in a 256-entry table. The test suite checks both functions against
bitwise transcriptions of Appendix A and of Modbus on random data.

CRC-16/MODBUS (``crc ^= b`` then the same 8 shifts) appears in the field for some data loggers
(srdgame/lua-HJ212 ships both); profiles may accept it per device (open question 11).
"""

from __future__ import annotations

from enum import StrEnum

from ecogov.standards.hj212.kernels import crc16_hj212, crc16_modbus

__all__ = [
    "CrcFlavour",
    "crc16",
    "crc16_hj212",
    "crc16_modbus",
    "format_crc",
]


class CrcFlavour(StrEnum):
    """Which CRC16 a device computes over the data segment (Appendix A, or Modbus for some)."""

    HJ212 = "hj212"  # Appendix A: crc = (crc >> 8) ^ b
    MODBUS = "modbus"  # CRC-16/MODBUS: crc ^= b


def crc16(data: bytes, flavour: CrcFlavour = CrcFlavour.HJ212) -> int:
    """CRC16 of ``data`` in the given flavour (Appendix A by default)."""
    if flavour is CrcFlavour.MODBUS:
        return crc16_modbus(data)
    return crc16_hj212(data)


def format_crc(value: int) -> str:
    """The CRC field text: 4 upper-case hex digits, high byte first (§6.3.1 Table 2, Appendix A)."""
    return f"{value & 0xFFFF:04X}"
