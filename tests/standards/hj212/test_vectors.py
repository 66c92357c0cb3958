"""VECTORS.md §4: the guocay/hj212-protocol sample packets, framing checks, Flag decoding.

Valid vectors (correct CRC) parse with the right fields under the profile of the device kind
that sends them; the negative ones (length right, CRC wrong) are refused strictly with a CRC
reason and read tolerantly with the CRC violation listed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecogov.standards.hj212 import (
    HJ212_2017,
    HJ212_2017_FIELD,
    HJ212_2017_SURFACE_WATER,
    HJT212_2005,
    CRCError,
    FlagBits,
    HJ212Error,
    ProtocolProfile,
    frame_segment,
    parse_packet,
)
from ecogov.standards.hj212.errors import ViolationCode as V

from .test_crc import SEGMENT_2, VECTOR_SEGMENTS

# guocay/hj212-protocol ApplicationTest.java SAMPLE[0…6] as sent (note the lower-case "cc01").
SAMPLE = [
    b"##0317" + VECTOR_SEGMENTS[3][0] + b"cc01\r\n",
    b"##0275QN=20190901181526940;ST=32;CN=2011;PW=123456;MN=Y80110010000010;Flag=4;"
    b"CP=&&DataTime=20190901181500;a21005-Rtd=1.760,a21005-Flag=N;a21026-Rtd=106.400,"
    b"a21026-Flag=N;O3-Rtd=63.400,O3-Flag=N;a21004-Rtd=63.200,a21004-Flag=N;a34002-Rtd=9,"
    b"a34002-Flag=N;a34004-Rtd=4,a34004-Flag=N&&1100\r\n",
    b"##0136ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817;"
    b"B01-Rtd=36.91;011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&4980\r\n",
    b"##0213QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=Y80110010000010;Flag=4;"
    b"CP=&&DataTime=20191012133710;a21-Rtd=0.00;a21-Rtd=0.00;a21007-Rtd=0.033;"
    b"a21006-Rtd=0.036;a21001-Rtd=25.40;a21003-Rtd=101.94;a21002-Rtd=49.20&&f9c1\r\n",
    b"##0303" + VECTOR_SEGMENTS[4][0] + b"71c0\r\n",
    b"##0289" + VECTOR_SEGMENTS[5][0] + b"5780\r\n",
    b"##0204QN=20191112091100598;ST=31;CN=2051;PW=123456;MN=14513567846884;PNO=0002;PNUM=0002;"
    b"CP=&&DataTime=20230327090000;a01006-Avg=101.85,a01006-Min=101.84,a01006-Max=101.87,"
    b"a01006-ValidNum=10,a01006-TotalNum=10&&2800\r\n",
]

# SAMPLE index → (stated CRC, Appendix A CRC of the segment) for the negative vectors.
NEGATIVE = {1: ("1100", "2D00"), 2: ("4980", "3C00"), 3: ("f9c1", "7340"), 6: ("2800", "D801")}


def test_vector_1_is_the_appendix_a_example() -> None:
    frame = frame_segment(VECTOR_SEGMENTS[1][0].decode())
    assert frame.endswith(b"&&1C80\r\n")
    assert frame.startswith(b"##0101QN=")
    packet = parse_packet(frame, HJ212_2017, strict=True)
    assert packet.segment.cp.value("RtdInterval") == Decimal(30)
    assert packet.segment.needs_ack


def test_vector_2_needs_the_flag_version_2_profile() -> None:
    frame = frame_segment(SEGMENT_2.decode())
    assert frame[-6:-2] == b"71C0"
    packet = parse_packet(frame, HJ212_2017_SURFACE_WATER, strict=True)
    assert packet.segment.flag == 9
    assert packet.segment.flag_bits == FlagBits(version=2, split=False, ack=True)
    assert packet.segment.cp.value("QnRtn") == Decimal(1)
    with pytest.raises(HJ212Error) as refused:
        parse_packet(frame, HJ212_2017, strict=True)
    assert refused.value.codes == {V.FLAG_VERSION, V.MN_FORMAT}


def test_vector_3_real_time_air_data() -> None:
    packet = parse_packet(SAMPLE[0], HJ212_2017_FIELD, strict=True)
    assert packet.crc == "cc01"
    segment = packet.segment
    assert (segment.qn, segment.st, segment.cn, segment.mn) == (
        "20191012133710130",
        "22",
        "2011",
        "Y80110010000010",
    )
    factors = segment.cp.factors()
    assert list(factors) == ["a21005", "a21004", "a21007", "a21006", "a21001", "a21003", "a21002"]
    assert factors["a21003"]["Rtd"].value == Decimal("101.94")
    assert factors["a21003"]["Rtd"].raw == "101.94"
    assert factors["a21007"]["Flag"].value == "N"
    # The standard's own profile refuses the 15-character MN (EPC-96 requires 24 hex characters).
    with pytest.raises(HJ212Error) as refused:
        parse_packet(SAMPLE[0], HJ212_2017, strict=True)
    assert refused.value.codes == {V.MN_FORMAT}


@pytest.mark.parametrize(("index", "codes"), [(4, ["a2106", "a2107"]), (5, ["a214", "a215"])])
def test_vectors_4_and_5_truncated_codes(index: int, codes: list[str]) -> None:
    packet = parse_packet(SAMPLE[index], HJ212_2017_FIELD, strict=True)
    assert list(packet.segment.cp.factors())[:2] == codes
    with pytest.raises(HJ212Error) as refused:
        parse_packet(SAMPLE[index], HJ212_2017, strict=True)
    assert V.CP_FACTOR_CODE in refused.value.codes


@pytest.mark.parametrize("index", sorted(NEGATIVE))
def test_negative_vectors(index: int) -> None:
    stated, computed = NEGATIVE[index]
    for profile in (HJ212_2017, HJ212_2017_FIELD, HJT212_2005):
        with pytest.raises(CRCError) as refused:
            parse_packet(SAMPLE[index], profile, strict=True)
        assert V.CRC_MISMATCH in refused.value.codes
        assert f"Appendix A gives {computed}" in str(refused.value)
        packet = parse_packet(SAMPLE[index], profile, strict=False)
        assert packet.crc == stated
        assert packet.crc_flavour is None
        assert V.CRC_MISMATCH in {v.code for v in packet.violations}


def test_negative_vectors_other_reasons_are_listed_too() -> None:
    codes_1 = {v.code for v in parse_packet(SAMPLE[1], HJ212_2017, strict=False).violations}
    assert {V.CRC_MISMATCH, V.MN_FORMAT, V.CP_FACTOR_CODE} <= codes_1  # "O3" is not a code
    packet_2 = parse_packet(SAMPLE[2], HJ212_2017, strict=False)
    assert {V.FIELD_MISSING, V.CP_FACTOR_CODE} <= {v.code for v in packet_2.violations}
    assert packet_2.segment.cp.value("011-Rtd") == Decimal("231.0")
    # Under the 2005 profile only the CRC is wrong: no QN/Flag needed, 2005 codes accepted.
    codes_2005 = {v.code for v in parse_packet(SAMPLE[2], HJT212_2005, strict=False).violations}
    assert codes_2005 == {V.CRC_MISMATCH}
    codes_3 = {v.code for v in parse_packet(SAMPLE[3], HJ212_2017, strict=False).violations}
    assert {V.CP_DUPLICATE, V.CP_FACTOR_CODE} <= codes_3
    packet_6 = parse_packet(SAMPLE[6], HJ212_2017, strict=False)
    codes_6 = {v.code for v in packet_6.violations}
    assert {V.FIELD_ORDER, V.FIELD_MISSING, V.CP_FIELD_NAME} <= codes_6  # ValidNum is not Table 4
    assert (packet_6.segment.pnum, packet_6.segment.pno) == (2, 2)
    field_6 = parse_packet(SAMPLE[6], HJ212_2017_FIELD, strict=False)
    assert {v.code for v in field_6.violations} == {
        V.CRC_MISMATCH,
        V.FIELD_ORDER,
        V.FIELD_MISSING,  # Flag
    }
    assert field_6.segment.cp.value("a01006-ValidNum") == "10"


def test_length_and_header_and_tail_checks() -> None:
    good = SAMPLE[0]
    short = b"##0316" + good[6:]
    assert V.FRAME_LENGTH_MISMATCH in _codes(short)
    assert V.FRAME_HEADER in _codes(good[1:])
    assert V.FRAME_TAIL in _codes(good[:-2])
    assert V.FRAME_LENGTH_FORMAT in _codes(b"##03a7" + good[6:])
    assert good.index(b"QN") == 6
    assert len(good) == 2 + 4 + 317 + 4 + 2


@pytest.mark.parametrize(
    ("flag", "version", "split", "ack"),
    [(4, 1, False, False), (5, 1, False, True), (6, 1, True, False), (7, 1, True, True)]
    + [(n, 0, bool(n & 2), bool(n & 1)) for n in range(4)]
    + [(8, 2, False, False), (9, 2, False, True)],
)
def test_flag_decoding(flag: int, version: int, split: bool, ack: bool) -> None:
    bits = FlagBits.from_int(flag)
    assert (bits.version, bits.split, bits.ack) == (version, split, ack)
    assert bits.to_int() == flag


def _codes(frame: bytes, profile: ProtocolProfile = HJ212_2017_FIELD) -> set[V]:
    return {v.code for v in parse_packet(frame, profile, strict=False).violations}
