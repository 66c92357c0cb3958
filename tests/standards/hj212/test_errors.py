"""Every codec violation reads Chinese first (name, rule and clause of HJ 212-2017), the English
particulars second — the same words from the C kernels and the Python fallback, since the text
comes from the code (this folder also runs with ``ECOGOV_NATIVE=0``, see test_kernels)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.hj212 import HJ212Error, parse_packet
from ecogov.standards.hj212.errors import VIOLATION_TEXTS, Violation, ViolationCode

CHINESE = re.compile(r"[\u4e00-\u9fff]")
CLAUSE = re.compile(r"§6\.\d|表 \d|附录 [A-C]")
GOOD = (
    b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;"
    b"Flag=5;CP=&&RtdInterval=30&&1C80\r\n"
)


def test_every_code_has_a_chinese_name_and_rule_citing_its_clause() -> None:
    assert set(VIOLATION_TEXTS) == set(ViolationCode)
    for code, text in VIOLATION_TEXTS.items():
        assert CHINESE.search(text.name_zh), code
        assert CHINESE.search(text.rule_zh), code
        assert text.name_en, code
        assert not CHINESE.search(text.name_en), code
        if code not in {ViolationCode.INPUT_TYPE, ViolationCode.INTERNAL}:
            assert CLAUSE.search(text.rule_zh), f"{code}: {text.rule_zh} cites no clause"
    names = [text.name_zh for text in VIOLATION_TEXTS.values()]
    assert len(set(names)) == len(names)


def test_a_violation_reads_chinese_first_then_english_then_its_code() -> None:
    violation = Violation(ViolationCode.FRAME_GARBAGE, "3 bytes before the ## header", 0)
    assert (
        violation.message_zh
        == "包外多余字节（第 0 字节）：包头 ## 之前或两包之间有多余字节（表 2）"
    )
    assert violation.text == f"{violation.message_zh} / 3 bytes before the ## header"
    assert str(violation) == f"{violation.text} [frame-garbage]"
    assert (
        Violation(ViolationCode.INTERNAL, "boom").message_zh
        == "解析内部错误：解析报文时发生意外错误"
    )


def test_a_malformed_packets_error_is_chinese_first() -> None:
    bad_crc = GOOD[:-6] + b"1C81\r\n"
    try:
        parse_packet(bad_crc, strict=True)
    except HJ212Error as error:
        text = str(error)
    else:
        raise AssertionError("a wrong CRC is refused")
    zh, en = text.split(" / ")
    assert zh == (
        f"CRC 校验不符（第 {len(GOOD) - 6} 字节）："
        "CRC 校验码与按附录 A 算出的数据段校验值不一致（表 2）"
    )
    assert en == "CRC 1C81 does not match the data segment: Appendix A gives 1C80 [crc-mismatch]"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_whatever_the_input_every_violation_reads_chinese_first(data: bytes | str) -> None:
    for violation in parse_packet(data, strict=False).violations:
        zh, separator, rest = str(violation).partition(" / ")
        assert separator, str(violation)
        assert zh == violation.message_zh
        assert CHINESE.search(zh), zh
        assert rest == f"{violation.message} [{violation.code}]"
