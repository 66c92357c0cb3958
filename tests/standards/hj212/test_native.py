"""The native scans of the parser's fast path against plain transcriptions of the rules they apply.

``clean_frame`` must accept exactly the frames that pass Table 2's checks (length field, ``##``,
CR LF, a 4-hex-digit CRC field, an ASCII data segment) and report the Appendix A CRC;
``match_layout`` must read exactly the CP areas a split at ``=`` ``;`` ``,`` reads as the given
layout with plain numbers (§6.3.3.2.2) and data flags where the kinds say so.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.hj212.crc import crc16_hj212, format_crc

pytest.importorskip("ecogov.standards.hj212._native", reason="the C module was not built here")

from ecogov.standards.hj212._native import clean_frame, match_layout

FLAGS = frozenset({"N", "F", "M", "S", "D", "C", "T", "B"})
NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def frame(segment: bytes, crc: str | None = None, length: int | None = None) -> bytes:
    """A frame around ``segment`` with its right CRC and length unless told otherwise."""
    declared = len(segment) if length is None else length
    field = format_crc(crc16_hj212(segment)) if crc is None else crc
    return b"##%04d%b%s\r\n" % (declared, segment, field.encode("latin-1"))


def clean_frame_oracle(raw: bytes, limit: int) -> tuple[str, str, int, int] | None:
    """Table 2's checks of a well-formed frame, written out one by one."""
    size = len(raw) - 12
    if not (0 <= size <= limit) or raw[:2] != b"##" or raw[-2:] != b"\r\n":
        return None
    length, segment, crc = raw[2:6], raw[6:-6], raw[-6:-2]
    if not all(48 <= b <= 57 for b in length) or int(length) != size:
        return None
    if not all(chr(b) in "0123456789abcdefABCDEF" for b in crc) or not segment.isascii():
        return None
    return segment.decode(), crc.decode(), int(crc, 16), crc16_hj212(segment)


SEGMENT = b"QN=20260301000100000;ST=32;CN=2061;PW=123456;MN=330106A1;Flag=5;CP=&&w01018-Avg=1.5&&"


def test_clean_frame_reads_a_frame() -> None:
    raw = frame(SEGMENT)
    assert clean_frame(raw, 1024) == (
        SEGMENT.decode(),
        format_crc(crc16_hj212(SEGMENT)),
        crc16_hj212(SEGMENT),
        crc16_hj212(SEGMENT),
    )


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b"", "empty"),
        (b"##0000\r\n", "shorter than the overhead"),
        (frame(SEGMENT, length=len(SEGMENT) + 1), "length field one too many"),
        (frame(SEGMENT).replace(b"##", b"#$", 1), "header"),
        (frame(SEGMENT)[:-1] + b"\r", "tail"),
        (frame(SEGMENT, crc="12G4"), "CRC field not hex"),
        (frame(SEGMENT.replace(b"330106A1", "330106甲".encode())), "not ASCII"),
        (b"##00-1" + SEGMENT + b"ABCD\r\n", "length field not digits"),
    ],
)
def test_clean_frame_refuses(raw: bytes, why: str) -> None:
    assert clean_frame(raw, 1024) is None, why


def test_clean_frame_keeps_the_declared_crc_apart_from_the_computed_one() -> None:
    """A wrong CRC is still a clean frame: which flavour it is, the caller decides."""
    found = clean_frame(frame(SEGMENT, crc="beef"), 1024)
    assert found is not None
    assert found[1:] == ("beef", 0xBEEF, crc16_hj212(SEGMENT))


def test_clean_frame_limit_is_inclusive() -> None:
    assert clean_frame(frame(SEGMENT), len(SEGMENT)) is not None
    assert clean_frame(frame(SEGMENT), len(SEGMENT) - 1) is None


def test_clean_frame_wants_bytes() -> None:
    with pytest.raises(TypeError):
        clean_frame(bytearray(frame(SEGMENT)), 1024)  # type: ignore[arg-type]


FRAME_BYTES = st.sampled_from(b"#\r\n0123456789ABCDEFabcdefg;=\x7f\x80\xe7")


@settings(max_examples=2000, deadline=None)
@given(
    st.binary(max_size=40),
    st.lists(st.tuples(st.integers(0, 200), FRAME_BYTES), max_size=3),
    st.integers(0, 60),
)
def test_clean_frame_agrees_with_the_oracle(
    segment: bytes, changes: list[tuple[int, int]], limit: int
) -> None:
    """Frames built right, then with a few bytes anywhere replaced by framing characters."""
    raw = bytearray(frame(segment))
    for index, byte in changes:
        raw[index % len(raw)] = byte
    assert clean_frame(bytes(raw), limit) == clean_frame_oracle(bytes(raw), limit)


NAMES = ("DataTime", "w01018-Avg", "w01018-Flag", "w21003-Avg", "w21003-Flag")
SEPARATORS = ";,;,"
KINDS = b"annnf"  # a time checked later, three numbers, a flag


def match_oracle(
    cp: str, names: tuple[str, ...], separators: str, kinds: bytes
) -> tuple[str, ...] | None:
    """Split at ``=`` ``;`` ``,`` as the parser's split path does, then check each piece; ASCII
    only (the fast path never sees anything else)."""
    if not cp.isascii():
        return None
    pieces = re.split(r"([;,=])", cp)
    values = []
    for index, name in enumerate(names):
        at = 4 * index
        expected = [name, "="] if index == 0 else [separators[index - 1], name, "="]
        got = pieces[at - 1 : at + 2] if index else pieces[0:2]
        if got != expected or len(pieces) <= at + 2:
            return None
        value = pieces[at + 2]
        if (kinds[index] == ord("n") and NUMBER.fullmatch(value) is None) or (
            kinds[index] == ord("f") and value not in FLAGS
        ):
            return None
        values.append(value)
    return tuple(values) if len(pieces) == 4 * len(names) - 1 else None


GOOD = "DataTime=20260301000000;w01018-Avg=12.5,w01018-Flag=-3;w21003-Avg=+0.25,w21003-Flag=N"


def test_match_layout_reads_values() -> None:
    assert match_layout(GOOD, NAMES, SEPARATORS, KINDS, FLAGS) == (
        "20260301000000",
        "12.5",
        "-3",
        "+0.25",
        "N",
    )
    assert match_oracle(GOOD, NAMES, SEPARATORS, KINDS) == match_layout(
        GOOD, NAMES, SEPARATORS, KINDS, FLAGS
    )


@pytest.mark.parametrize(
    ("cp", "why"),
    [
        (GOOD.replace("12.5", "12."), "number with a bare point"),
        (GOOD.replace("12.5", ".5"), "number without an integer part"),
        (GOOD.replace("12.5", "1e3"), "exponent"),
        (GOOD.replace("-3", "--3"), "two signs"),
        (GOOD.replace("Flag=N", "Flag=X"), "unknown data flag"),
        (GOOD.replace("Flag=N", "Flag=NN"), "flag of two letters"),
        (GOOD.replace(";w21003", ",w21003"), "other separator"),
        (GOOD.replace("w21003-Avg", "w21004-Avg"), "other name"),
        (GOOD + ";", "trailing separator"),
        (GOOD + "x", "trailing text"),
        (GOOD[:-2], "cut short"),
        (GOOD.replace("DataTime=", "DataTime=="), "equals sign in a value"),
        (GOOD.replace("12.5", "１２"), "not ASCII"),
        ("", "empty"),
    ],
)
def test_match_layout_refuses(cp: str, why: str) -> None:
    assert match_layout(cp, NAMES, SEPARATORS, KINDS, FLAGS) is None, why


def test_match_layout_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="one kind per name"):
        match_layout(GOOD, NAMES, SEPARATORS, b"an", FLAGS)
    with pytest.raises(TypeError):
        match_layout(GOOD, list(NAMES), SEPARATORS, KINDS, FLAGS)  # type: ignore[arg-type]


RIGHT_VALUES = {
    ord("a"): ["20260301000000", "", "x"],
    ord("n"): ["0", "12.5", "-3", "+0.25", "007"],
    ord("f"): sorted(FLAGS),
}
WRONG_VALUES = ["1.", ".5", "1e3", "+", "X", "NN", "", "=", "é", "12.5.1"]


def mostly(right: str, *wrong: str) -> st.SearchStrategy[str]:
    """``right`` nine times in ten, else one of ``wrong``."""
    return st.sampled_from([right] * 9 * len(wrong) + list(wrong))


@st.composite
def cp_texts(draw: st.DrawFn) -> str:
    """CP areas close to the layout: each name, separator and value mostly right, sometimes not."""
    pieces = []
    for index, name in enumerate(NAMES):
        if index:
            pieces.append(draw(mostly(SEPARATORS[index - 1], ";", ",", "")))
        pieces.append(draw(mostly(name, "w01018-Avg", "w01018", "")))
        pieces.append(draw(mostly("=", "", "==")))
        right = st.sampled_from(RIGHT_VALUES[KINDS[index]])
        pieces.append(draw(st.one_of(right, right, right, right, st.sampled_from(WRONG_VALUES))))
    return "".join(pieces) + draw(mostly("", ";", "5", ";x=1"))


@settings(max_examples=1000, deadline=None)
@given(cp_texts())
def test_match_layout_agrees_with_the_oracle(cp: str) -> None:
    assert match_layout(cp, NAMES, SEPARATORS, KINDS, FLAGS) == match_oracle(
        cp, NAMES, SEPARATORS, KINDS
    )
