"""CRC16 of HJ 212-2017 Appendix A against VECTORS.md §4 and a bitwise transcription of its C."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.hj212 import CrcFlavour, crc16, crc16_hj212, crc16_modbus, format_crc


def appendix_a_bitwise(data: bytes) -> int:
    """Line-by-line transcription of ``CRC16_Checkout`` (Appendix A), the test oracle."""
    crc_reg = 0xFFFF
    for byte in data:
        crc_reg = (crc_reg >> 8) ^ byte
        for _ in range(8):
            check = crc_reg & 0x0001
            crc_reg >>= 1
            if check == 0x0001:
                crc_reg ^= 0xA001
    return crc_reg


def modbus_bitwise(data: bytes) -> int:
    """CRC-16/MODBUS, bit by bit."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


SEGMENT_1 = (
    b"QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    b"CP=&&RtdInterval=30&&"
)
SEGMENT_2 = b"QN=20201008154743635;ST=91;CN=9014;PW=123456;MN=SD000001;Flag=9;CP=&&QnRtn=1&&"

# VECTORS.md §4, data segments 1–5 with their length and expected CRC.
VECTOR_SEGMENTS = {
    1: (SEGMENT_1, 101, "1C80"),
    2: (SEGMENT_2, 78, "71C0"),
    3: (
        b"QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=Y80110010000010;Flag=4;"
        b"CP=&&DataTime=20191012133710;a21005-Rtd=0.00,a21005-Flag=N;a21004-Rtd=0.00,"
        b"a21004-Flag=N;a21007-Rtd=0.033,a21007-Flag=N;a21006-Rtd=0.036,a21006-Flag=N;"
        b"a21001-Rtd=25.40,a21001-Flag=N;a21003-Rtd=101.94,a21003-Flag=N;a21002-Rtd=49.20,"
        b"a21002-Flag=N&&",
        317,
        "CC01",
    ),
    4: (
        b"QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=Y80110010000010;Flag=4;"
        b"CP=&&DataTime=20191012133710;a2106-Rtd=0.036,a2106-Flag=N;a2107-Rtd=0.033,"
        b"a2107-Flag=N;a2104-Rtd=0.00,a2104-Flag=N;a2105-Rtd=0.00,a2105-Flag=N;"
        b"a2102-Rtd=49.20,a2102-Flag=N;a2103-Rtd=101.94,a2103-Flag=N;a2101-Rtd=25.40,"
        b"a2101-Flag=N&&",
        303,
        "71C0",
    ),
    5: (
        b"QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=Y80110010000010;Flag=4;"
        b"CP=&&DataTime=20191012133710;a214-Rtd=0.00,a214-Flag=N;a215-Rtd=0.00,"
        b"a215-Flag=N;a216-Rtd=0.036,a216-Flag=N;a217-Rtd=0.033,a217-Flag=N;"
        b"a211-Rtd=25.40,a211-Flag=N;a212-Rtd=49.20,a212-Flag=N;a213-Rtd=101.94,"
        b"a213-Flag=N&&",
        289,
        "5780",
    ),
}


@pytest.mark.parametrize("number", sorted(VECTOR_SEGMENTS))
def test_vectors_section_4(number: int) -> None:
    segment, length, expected = VECTOR_SEGMENTS[number]
    assert len(segment) == length
    assert format_crc(crc16_hj212(segment)) == expected
    assert appendix_a_bitwise(segment) == crc16_hj212(segment)


def test_modbus_differs_on_the_vectors() -> None:
    assert format_crc(crc16_modbus(SEGMENT_1)) == "0759"
    assert format_crc(crc16_modbus(SEGMENT_2)) == "F028"
    assert crc16(SEGMENT_1, CrcFlavour.MODBUS) == 0x0759
    assert crc16(SEGMENT_1, CrcFlavour.HJ212) == 0x1C80


def test_empty_and_short_inputs() -> None:
    assert crc16_hj212(b"") == 0xFFFF
    for size in range(1, 40):
        data = bytes(range(size))
        assert crc16_hj212(data) == appendix_a_bitwise(data)


def test_format_is_four_upper_case_hex_digits() -> None:
    assert format_crc(0x1C80) == "1C80"
    assert format_crc(0x00AB) == "00AB"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2100))
def test_table_driven_equals_bitwise(data: bytes) -> None:
    assert crc16_hj212(data) == appendix_a_bitwise(data)
    assert crc16_modbus(data) == modbus_bitwise(data)


@pytest.mark.parametrize("size", [*range(140), 511, 512, 513, 1023, 1024, 1025, 2049, 4097])
def test_every_fold_schedule_equals_bitwise(size: int) -> None:
    """Lengths around every 64-bit word boundary, and beyond the cached fold schedules."""
    data = bytes((index * 151 + size) % 256 for index in range(size))
    first = crc16_hj212(data)
    assert first == appendix_a_bitwise(data)
    assert crc16_hj212(data) == first  # again, with the fold schedule cached
