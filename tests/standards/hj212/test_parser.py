"""Parser behaviour beyond the standard's examples: modes, encodings, profiles, rule families."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.hj212 import (
    BEIJING,
    HJ212_2017,
    HJ212_2025,
    HJT212_2005,
    CRCError,
    CrcFlavour,
    EncodingError,
    FramingError,
    HJ212Error,
    LengthUnit,
    ProtocolProfile,
    SegmentError,
    crc16_hj212,
    crc16_modbus,
    format_crc,
    frame_segment,
    parse_packet,
    peek_mn,
    strict_error,
)
from ecogov.standards.hj212.errors import ViolationCode as V
from ecogov.standards.hj212.packet import is_number
from ecogov.standards.hj212.parser import _careful_frame
from ecogov.standards.hj212.rules import numbers_well_formed

HEAD = "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"


def frame(cp: str, head: str = HEAD) -> bytes:
    return frame_segment(f"{head}CP=&&{cp}&&")


def codes(data: bytes | str, profile: ProtocolProfile = HJ212_2017) -> set[V]:
    packet = parse_packet(data, profile, strict=False)
    return {v.code for v in packet.violations}


def test_strict_is_the_profile_default_and_can_be_overridden() -> None:
    bad = frame("DataTime=20160832000000")
    with pytest.raises(SegmentError):
        parse_packet(bad)
    assert parse_packet(bad, strict=False).violations
    tolerant = replace(HJ212_2017, strict=False)
    assert parse_packet(bad, tolerant).violations
    with pytest.raises(SegmentError):
        parse_packet(bad, tolerant, strict=True)


def test_strict_error_is_what_a_strict_parse_raises() -> None:
    bad = frame("DataTime=20160832000000")
    packet = parse_packet(bad, strict=False)
    error = strict_error(packet, HJ212_2017)
    assert isinstance(error, SegmentError)
    with pytest.raises(SegmentError) as raised:
        parse_packet(bad)
    assert error.violations == raised.value.violations
    assert strict_error(packet, HJ212_2017, strict=False) is None
    assert strict_error(packet, replace(HJ212_2017, strict=False)) is None
    clean = parse_packet(frame("DataTime=20160801085857;w01018-Rtd=2.2,w01018-Flag=N"))
    assert strict_error(clean, HJ212_2017, strict=True) is None


def test_text_input_and_buffer_types() -> None:
    data = frame("DataTime=20160801085857;w01018-Rtd=2.2,w01018-Flag=N")
    for variant in (data, bytearray(data), memoryview(data), data.decode()):
        assert parse_packet(variant).segment.cp.value("w01018-Rtd") == Decimal("2.2")


@pytest.mark.parametrize("value", [None, 42, 1.5, ["##"], object()])
def test_non_text_input_raises_codec_error(value: object) -> None:
    with pytest.raises(EncodingError) as refused:
        parse_packet(value, strict=False)  # type: ignore[arg-type]
    assert refused.value.codes == {V.INPUT_TYPE}


def test_empty_input() -> None:
    with pytest.raises(FramingError):
        parse_packet(b"")
    assert codes(b"") == {V.FRAME_EMPTY}


def test_lone_surrogate_text() -> None:
    assert V.ENCODING in codes("##0001\udcff")


def test_values_are_typed() -> None:
    cp = "DataTime=20160801085857;w01018-Rtd=-2.20,w01018-Flag=N;PolId=w01018;CstartTime=013000"
    segment = parse_packet(frame(cp, HEAD.replace("2011", "3016"))).segment
    assert segment.cp.data_time == datetime(2016, 8, 1, 8, 58, 57, tzinfo=BEIJING)
    field = segment.cp.get("w01018-Rtd")
    assert field is not None
    assert field.value == Decimal("-2.20")
    assert field.raw == "-2.20"
    assert (field.code, field.suffix) == ("w01018", "Rtd")
    assert segment.cp.value("CstartTime") == time(1, 30)
    assert segment.qn_time == datetime(2016, 8, 1, 8, 58, 57, 223000, tzinfo=BEIJING)
    assert segment.command is not None
    assert segment.command.name.zh == "设置采样时间周期"
    assert segment.cp.get("absent") is None
    assert "PolId" in segment.cp


@pytest.mark.parametrize(
    ("cp", "code"),
    [
        ("w01018-Rtd=1e5", V.CP_NUMBER),
        ("w01018-Rtd=.5", V.CP_NUMBER),
        ("w01018-Rtd=5.", V.CP_NUMBER),
        ("w01018-Rtd=NaN", V.CP_NUMBER),
        ("w01018-Rtd=1_000", V.CP_NUMBER),
        ("w01018-Rtd=", V.CP_NUMBER),
        ("w01018-Flag=X", V.CP_DATA_FLAG),
        ("w01018-Flag=P", V.CP_DATA_FLAG),
        ("DataTime=20160230000000", V.CP_TIME),
        ("DataTime=20160801246000", V.CP_TIME),
        ("DataTime=20160801085857123", V.CP_TIME),
        ("RtdInterval=20", V.CP_RANGE),
        ("RtdInterval=3601", V.CP_RANGE),
        ("MinInterval=7", V.CP_RANGE),
        ("OverTime=0", V.CP_RANGE),
        ("SB1-RT=24.5", V.CP_RANGE),
        ("QnRtn=x", V.CP_NUMBER),
        ("w01018-SN=010000a8900016f000169dc1", V.CP_VALUE),
        ("w01018-EFlag=ABCDE", V.CP_VALUE),
        ("NewPW=1234567", V.CP_VALUE),
        ("PolId=zz", V.CP_VALUE),
        ("Datatime=20160801085857", V.CP_FIELD_NAME),
        ("w01018-rtd=1", V.CP_FIELD_NAME),
        ("w1018-Rtd=1", V.CP_FACTOR_CODE),
        ("SB1-Rtd=1", V.CP_FACTOR_CODE),
        ("w01018-RS=1", V.CP_FACTOR_CODE),
        ("w01018-Rtd=1;w01018-Rtd=2", V.CP_DUPLICATE),
        ("w01018-Rtd=1,w01001-Rtd=2", V.CP_RECORD),
        ("w01018-Rtd=1;", V.CP_FIELD_SYNTAX),
        ("w01018-Rtd", V.CP_FIELD_SYNTAX),
        ("=1", V.CP_FIELD_SYNTAX),
        ("w01018-Rtd=1=2", V.CP_FIELD_SYNTAX),
        ("i11001-Info=//unterminated", V.CP_FIELD_SYNTAX),
        ("w01018-Rtd = 1", V.FIELD_WHITESPACE),
        ("w01018-Rtd=１", V.NON_ASCII),
    ],
)
def test_cp_rules(cp: str, code: V) -> None:
    data = frame(cp)
    with pytest.raises(HJ212Error) as refused:
        parse_packet(data)
    assert code in refused.value.codes
    assert code in codes(data)


@pytest.mark.parametrize(
    ("head", "code"),
    [
        (HEAD.replace("QN=20160801085857223", "QN=2016080108585722"), V.QN_FORMAT),
        (HEAD.replace("QN=20160801085857223", "QN=20161301085857223"), V.QN_FORMAT),
        (HEAD.replace("ST=32", "ST=3"), V.ST_FORMAT),
        (HEAD.replace("CN=2011", "CN=201"), V.CN_FORMAT),
        (HEAD.replace("PW=123456", "PW=1234567"), V.PW_FORMAT),
        (HEAD.replace("MN=010000A8900016F000169DC0", "MN=010000A8900016F000169DC"), V.MN_FORMAT),
        (HEAD.replace("Flag=4", "Flag=04"), V.FLAG_FORMAT),
        (HEAD.replace("Flag=4", "Flag=256"), V.FLAG_FORMAT),
        (HEAD.replace("Flag=4", "Flag=0"), V.FLAG_VERSION),
        (HEAD.replace("Flag=4", "Flag=6"), V.SPLIT_FIELDS),
        (HEAD.replace("Flag=4;", "Flag=4;PNUM=2;PNO=1;"), V.SPLIT_FIELDS),
        (HEAD.replace("Flag=4;", "Flag=6;PNUM=2;PNO=3;"), V.SPLIT_FIELDS),
        (HEAD.replace("Flag=4;", "Flag=6;PNUM=0;PNO=1;"), V.SPLIT_FIELDS),
        (HEAD.replace("QN=20160801085857223;", ""), V.FIELD_MISSING),
        (HEAD.replace("Flag=4;", ""), V.FIELD_MISSING),
        (HEAD.replace("ST=32;CN=2011;", "CN=2011;ST=32;"), V.FIELD_ORDER),
        (HEAD.replace("ST=32;", "ST=32;ST=32;"), V.FIELD_DUPLICATE),
        (HEAD.replace("ST=32;", "ST=32;XX=1;"), V.FIELD_UNKNOWN),
        (HEAD.replace("ST=32;", "ST32;"), V.FIELD_SYNTAX),
        (HEAD.replace("ST=32;", "ST=32,"), V.SEGMENT_SEPARATOR),
        (HEAD.replace("ST=32;", "ST= 32;"), V.FIELD_WHITESPACE),
        (HEAD[:-1], V.SEGMENT_SEPARATOR),
    ],
)
def test_header_rules(head: str, code: V) -> None:
    data = frame("", head)
    with pytest.raises(HJ212Error) as refused:
        parse_packet(data)
    assert code in refused.value.codes


@pytest.mark.parametrize(
    ("head", "code"),
    [
        (HEAD.replace("ST=32;", "ST;32;"), V.FIELD_SYNTAX),
        (HEAD.replace("223;ST=32;", "223=ST=32;"), V.QN_FORMAT),
        (HEAD.replace("PW=123456;", "PW;123456;"), V.FIELD_SYNTAX),
        (HEAD.replace("Flag=4;", "Flag;4;"), V.FIELD_SYNTAX),
    ],
)
def test_misplaced_header_separators_are_reported(head: str, code: V) -> None:
    """An ``=``/``;`` swap keeps the header's pieces in order; it is still a violation, also for a
    device whose well-formed header the parser already knows."""
    cp = "DataTime=20160801080000;w01018-Avg=1.5,w01018-Flag=N"
    assert not parse_packet(frame(cp)).violations  # the device's header is now known
    data = frame(cp, head)
    assert code in codes(data)
    with pytest.raises(SegmentError):
        parse_packet(data)


KNOWN_LAYOUT = "DataTime=20160801080000;w01018-Avg={avg},w01018-Flag={flag};w00000-Avg=2"


@pytest.mark.parametrize(
    ("avg", "flag", "violation"),
    [
        ("+1.50", "N", None),
        ("-0", "T", None),
        ("1.", "N", V.CP_NUMBER),
        (".5", "N", V.CP_NUMBER),
        ("1e3", "N", V.CP_NUMBER),
        ("1.5", "X", V.CP_DATA_FLAG),
        ("1.5", "", V.CP_DATA_FLAG),
        ("", "N", V.CP_NUMBER),
    ],
)
def test_known_device_layout_values_are_checked_as_for_a_new_one(
    avg: str, flag: str, violation: V | None
) -> None:
    """A device's last CP layout is tried first; its values get exactly the careful checks."""
    warm = frame(KNOWN_LAYOUT.format(avg="1.5", flag="N"))
    assert not parse_packet(warm).violations
    data = frame(KNOWN_LAYOUT.format(avg=avg, flag=flag))
    packet = parse_packet(data, strict=False)
    assert packet == _careful_frame(data, HJ212_2017, [])
    assert {v.code for v in packet.violations} == (set() if violation is None else {violation})
    if violation is None:
        assert packet.segment.cp.get("w01018-Avg") is not None
        assert packet.segment.cp.raws[1:3] == (avg, flag)


def test_known_device_changing_layout_and_bad_time() -> None:
    assert not parse_packet(frame(KNOWN_LAYOUT.format(avg="1", flag="N"))).violations
    other = frame("DataTime=20160801090000;w21003-Avg=0.5,w21003-Flag=N")
    assert parse_packet(other) == _careful_frame(other, HJ212_2017, [])
    assert parse_packet(other).segment.cp.names == ("DataTime", "w21003-Avg", "w21003-Flag")
    bad_time = frame(KNOWN_LAYOUT.format(avg="1", flag="N").replace("080000", "250000"))
    assert codes(bad_time) == {V.CP_TIME}


def test_cp_area_delimiters_and_length() -> None:
    assert V.CP_MISSING in codes(frame_segment(HEAD[:-1]))
    assert V.CP_DELIMITER in codes(frame_segment(HEAD + "CP=&&w01018-Rtd=1"))
    long_cp = ";".join(f"w{n:05d}-Rtd=1.0" for n in range(70))
    assert V.CP_TOO_LONG in codes(frame(long_cp))
    too_long = frame(";".join(f"w{n:05d}-Rtd=1.0" for n in range(80)))
    assert V.FRAME_TOO_LONG in codes(too_long)


def test_crc_rules_and_modbus_profile() -> None:
    segment = HEAD + "CP=&&&&"
    body = segment.encode()
    modbus = b"##%04d%b%b\r\n" % (len(body), body, format_crc(crc16_modbus(body)).encode())
    with pytest.raises(CRCError) as refused:
        parse_packet(modbus)
    assert "CRC-16/MODBUS" in str(refused.value)
    compatible = replace(HJ212_2017, crc_flavours=(CrcFlavour.HJ212, CrcFlavour.MODBUS))
    assert parse_packet(modbus, compatible).crc_flavour is CrcFlavour.MODBUS
    assert parse_packet(frame(""), compatible).crc_flavour is CrcFlavour.HJ212
    broken = frame("")[:-6] + b"ZZZZ\r\n"
    assert V.CRC_FORMAT in codes(broken)
    with pytest.raises(FramingError):
        parse_packet(broken)


def test_garbage_before_header_is_reported_but_the_packet_is_read() -> None:
    packet = parse_packet(b"xx" + frame("w01018-Rtd=1"), strict=False)
    assert {v.code for v in packet.violations} == {V.FRAME_GARBAGE}
    assert packet.segment.cp.value("w01018-Rtd") == Decimal(1)


def test_utf8_length_counts_bytes_and_character_profile() -> None:
    cp = "DataTime=20160801085857;i11001-Info=//清洗管路//"
    by_bytes = frame(cp)
    assert parse_packet(by_bytes).ok
    text = (HEAD + f"CP=&&{cp}&&").encode()
    chars = len(HEAD + f"CP=&&{cp}&&")
    by_chars = by_bytes[:2] + b"%04d" % chars + by_bytes[6:]
    assert len(text) != chars
    refused = parse_packet(by_chars, strict=False)
    assert [v.code for v in refused.violations] == [V.FRAME_LENGTH_MISMATCH]
    assert "counts characters" in refused.violations[0].message
    counting_chars = replace(HJ212_2017, length_unit=LengthUnit.CHARACTERS)
    assert parse_packet(by_chars, counting_chars).ok


def test_gbk_only_with_a_profile_that_allows_it() -> None:
    segment = HEAD + "CP=&&DataTime=20160801085857;i11001-Info=//清洗管路//&&"
    body = segment.encode("gbk")
    data = b"##%04d%b%s\r\n" % (len(body), body, format_crc(crc16_hj212(body)).encode())
    with pytest.raises(EncodingError):
        parse_packet(data)
    tolerant = parse_packet(data, strict=False)
    assert {v.code for v in tolerant.violations} == {V.ENCODING}
    gbk = replace(HJ212_2017, text_encodings=("utf-8", "gbk"))
    packet = parse_packet(data, gbk)
    assert packet.segment.cp.value("i11001-Info") == "//清洗管路//"


def test_invalid_utf8_is_replaced_in_tolerant_mode() -> None:
    body = (HEAD + "CP=&&i11001-Info=//\xff\xfe//&&").encode("latin-1")
    data = b"##%04d%b%s\r\n" % (len(body), body, format_crc(crc16_hj212(body)).encode())
    packet = parse_packet(data, strict=False)
    assert [v.code for v in packet.violations] == [V.ENCODING]
    assert packet.violations[0].position == 6 + body.index(b"\xff")
    assert "\ufffd" in str(packet.segment.cp.value("i11001-Info"))


def test_info_log_may_contain_separators() -> None:
    cp = "DataTime=20160801085857;PolId=w01018;i11001-Info=//a;b,c=d//"
    packet = parse_packet(frame(cp))
    assert packet.segment.cp.value("i11001-Info") == "//a;b,c=d//"


def test_2005_profile() -> None:
    head = "ST=32;CN=2011;PW=123456;MN=LD130133000015;"
    data = frame("DataTime=20160824003817;011-Rtd=231.0,011-Flag=P;B01-Rtd=36.91", head)
    packet = parse_packet(data, HJT212_2005)
    assert packet.segment.flag is None
    assert packet.segment.qn is None
    assert packet.segment.cp.value("011-Rtd") == Decimal("231.0")
    assert codes(data) >= {V.FIELD_MISSING, V.CP_FACTOR_CODE, V.CP_DATA_FLAG}


def test_2025_placeholder_profile() -> None:
    data = frame("NewSK=abc", HEAD.replace("Flag=4", "Flag=8"))
    assert parse_packet(data, HJ212_2025).ok
    assert codes(data) == {V.FLAG_VERSION, V.CP_FIELD_NAME}


def test_lenient_timestamps() -> None:
    data = frame("DataTime=20160801085857123", HEAD.replace("223;", ";"))
    assert codes(data) == {V.QN_FORMAT, V.CP_TIME}
    lenient = replace(HJ212_2017, lenient_timestamps=True)
    packet = parse_packet(data, lenient)
    assert packet.segment.cp.data_time == datetime(2016, 8, 1, 8, 58, 57, 123000, tzinfo=BEIJING)


def test_peek_mn() -> None:
    assert peek_mn(frame("")) == "010000A8900016F000169DC0"
    assert peek_mn("QN=1;MN=ABC&&") == "ABC"
    assert peek_mn(b"no device here") is None
    assert peek_mn(12) is None  # type: ignore[arg-type]


def test_violation_positions_point_into_the_frame() -> None:
    data = frame("w01018-Rtd=1;w01018-Flag=X")
    packet = parse_packet(data, strict=False)
    (violation,) = packet.violations
    assert violation.position is not None
    assert data[violation.position :].startswith(b"w01018-Flag=X")
    assert str(violation).startswith(f"数据标记错误（第 {violation.position} 字节）：")
    assert str(violation).endswith("(Table 8) [cp-data-flag]")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789.-+ e", max_size=6), min_size=1, max_size=6))
def test_bulk_number_check_equals_the_per_number_rule(numbers: list[str]) -> None:
    joined = ",".join(numbers).encode("ascii")
    assert numbers_well_formed(joined) == all(is_number(n) for n in numbers)
