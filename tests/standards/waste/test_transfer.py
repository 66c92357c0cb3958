"""Transfer rules of 《危险废物转移管理办法》 (令第23号): manifest numbers and time limits."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.waste.transfer import (
    TIME_LIMITS,
    LimitUnit,
    ManifestNumberError,
    format_manifest_number,
    parse_manifest_number,
    time_limit,
)


def test_number_is_year_province_city_serial() -> None:
    # Art. 15: 4-digit year + province (2) + prefecture-level city (2) + 6-digit serial.
    assert format_manifest_number(2026, "330106", 42) == "20263301000042"
    parsed = parse_manifest_number("20263301000042")
    assert (parsed.year, parsed.city_code, parsed.serial) == (2026, "330100", 42)


@given(st.integers(1000, 9999), st.integers(11, 82), st.integers(1, 99), st.integers(1, 999_999))
def test_number_round_trip(year: int, province: int, city: int, serial: int) -> None:
    region = f"{province:02d}{city:02d}00"
    text = format_manifest_number(year, region, serial)
    assert len(text) == 14
    assert parse_manifest_number(text).text == text


@pytest.mark.parametrize("text", ["2026330100004", "2026330100004x", "20263301000000", ""])
def test_bad_numbers_are_refused_in_chinese(text: str) -> None:
    with pytest.raises(ManifestNumberError) as caught:
        parse_manifest_number(text)
    assert str(caught.value).startswith("联单编号")


def test_serial_and_region_bounds() -> None:
    with pytest.raises(ManifestNumberError):
        format_manifest_number(2026, "3301", 1)
    with pytest.raises(ManifestNumberError):
        format_manifest_number(2026, "330100", 1_000_000)


def test_receipt_confirmation_is_five_working_days_from_2022() -> None:
    row = time_limit("manifest.receipt_confirmation", date(2026, 3, 1))
    assert (row.amount, row.unit) == (5, LimitUnit.WORKING_DAYS)
    assert "第十八条" in row.basis
    with pytest.raises(KeyError):
        time_limit("manifest.receipt_confirmation", date(2021, 12, 31))


def test_every_limit_cites_its_basis_and_keys_are_unique_per_start() -> None:
    keys = [(row.key, row.valid_from) for row in TIME_LIMITS]
    assert len(keys) == len(set(keys))
    assert all(row.basis and row.amount > 0 for row in TIME_LIMITS)
