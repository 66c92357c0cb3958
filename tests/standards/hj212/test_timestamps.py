"""Time values of Table 3 (QN, milliseconds) and Table 4 (N14, hhmmss), as Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.hj212 import BEIJING, SegmentError, format_timestamp, parse_timestamp
from ecogov.standards.hj212.timestamps import (
    format_clock,
    is_valid_clock,
    is_valid_timestamp,
    parse_clock,
    qn_of_unix_ms,
    timestamp_of_unix,
    unix_of_timestamp,
)


def test_parse_is_aware_beijing_time() -> None:
    moment = parse_timestamp("20160801085857")
    assert moment == datetime(2016, 8, 1, 0, 58, 57, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(hours=8)
    assert parse_timestamp("20160801085857223").microsecond == 223000


@pytest.mark.parametrize(
    ("text", "millis", "valid"),
    [
        ("20160801085857", False, True),
        ("20160801085857223", True, True),
        ("20160801085857223", False, False),
        ("20160801085857", True, False),
        ("20160801085857", None, True),
        ("20160229000000", False, True),
        ("20150229000000", False, False),
        ("21000229000000", False, False),
        ("20000229000000", False, True),
        ("20161301000000", False, False),
        ("20160800000000", False, False),
        ("20160801240000", False, False),
        ("20160801236000", False, False),
        ("20160801235960", False, False),
        ("00000101000000", False, False),
        ("２０16080108585７", False, False),
        ("2016080108585x", False, False),
    ],
)
def test_validity(text: str, millis: bool | None, valid: bool) -> None:
    assert is_valid_timestamp(text, millis=millis) is valid


def test_invalid_text_raises_the_codec_error() -> None:
    with pytest.raises(SegmentError):
        parse_timestamp("20161301000000")
    with pytest.raises(SegmentError):
        parse_clock("246000")


def test_format_converts_to_beijing_time() -> None:
    assert format_timestamp(datetime(2016, 8, 1, 0, 58, 57, tzinfo=UTC)) == "20160801085857"
    naive = datetime(2016, 8, 1, 8, 58, 57, 223999)
    assert format_timestamp(naive, millis=True) == "20160801085857223"
    assert format_timestamp(datetime(2016, 8, 1, 8, tzinfo=BEIJING)) == "20160801080000"


def test_clock() -> None:
    assert is_valid_clock("235959")
    assert not is_valid_clock("240000")
    assert parse_clock("013000") == time(1, 30)
    assert format_clock(time(1, 30)) == "013000"


def test_unix_seconds_are_beijing_time_minus_eight_hours() -> None:
    assert unix_of_timestamp("19700101080000") == 0
    assert unix_of_timestamp("20260301080000") == int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())
    assert unix_of_timestamp("20260301080000123") == unix_of_timestamp("20260301080000")
    assert timestamp_of_unix(0) == "19700101080000"
    assert qn_of_unix_ms(1_999) == "19700101080001999"


@given(st.integers(694_224_000, 253_402_271_999))
def test_unix_texts_agree_with_the_datetime_functions(unix: int) -> None:
    """From 1992 (Asia/Shanghai kept daylight saving time in 1986-1991, long before HJ 212;
    the Unix functions are UTC+8 throughout) to 9999-12-31 23:59:59 Beijing time."""
    text = timestamp_of_unix(unix)
    assert text == format_timestamp(datetime.fromtimestamp(unix, BEIJING))
    assert is_valid_timestamp(text)
    assert unix_of_timestamp(text) == unix
    assert qn_of_unix_ms(unix * 1000 + 7) == format_timestamp(
        datetime.fromtimestamp(unix, BEIJING) + timedelta(milliseconds=7), millis=True
    )


def datetime_oracle(text: str, millis: bool | None) -> bool:
    """Validity as :class:`datetime` judges the fields of an all-digit text of the right size."""
    sizes = (14, 17) if millis is None else ((17,) if millis else (14,))
    if len(text) not in sizes or not (text.isascii() and text.isdigit()):
        return False
    try:
        datetime(int(text[:4]), int(text[4:6]), int(text[6:8]))
        time(int(text[8:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return True


TIMESTAMP_TEXT = st.text(alphabet="0123456789", min_size=14, max_size=17) | st.text(max_size=18)


@settings(max_examples=2000)
@given(TIMESTAMP_TEXT, st.sampled_from([False, True, None]))
def test_validity_agrees_with_datetime(text: str, millis: bool | None) -> None:
    assert is_valid_timestamp(text, millis=millis) is datetime_oracle(text, millis)


def time_oracle(text: str) -> bool:
    """Validity as :class:`datetime.time` judges the fields of an all-digit ``hhmmss``."""
    if len(text) != 6 or not (text.isascii() and text.isdigit()):
        return False
    try:
        time(int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return False
    return True


@settings(max_examples=1000)
@given(st.text(alphabet="0123456789", min_size=6, max_size=6) | st.text(max_size=8))
def test_clock_validity_agrees_with_time(text: str) -> None:
    assert is_valid_clock(text) is time_oracle(text)


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)))
def test_every_real_moment_is_valid(moment: datetime) -> None:
    text = f"{moment.year:04d}{moment:%m%d%H%M%S}"
    assert is_valid_timestamp(text)
    assert is_valid_timestamp(f"{text}123", millis=True)
    assert not is_valid_timestamp(text, millis=True)
