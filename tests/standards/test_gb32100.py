"""Unified social credit codes: the GB 32100-2015 check character and structure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.sources.demo import demo_uscc, organisation_code
from ecogov.standards.gb32100 import (
    ALPHABET,
    WEIGHTS,
    InvalidCreditCode,
    check_character,
    validate_uscc,
)

PUBLISHED = "91350100M000100Y43"
"""The example code printed in GB 32100-2015 guidance and used across validators."""


def test_weights_are_powers_of_three_mod_31() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31
    assert not set("IOZSV") & set(ALPHABET)


def test_published_example_is_valid() -> None:
    assert check_character(PUBLISHED[:17]) == "3"
    assert validate_uscc(f" {PUBLISHED.lower()} ") == PUBLISHED


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "17 characters, not 18"),
        ("91350100M000100Y44", "check character is '4', GB 32100-2015 gives '3'"),
        ("9135A100M000100Y43", "positions 3–8 must be the region code digits"),
        ("91350100M000I00Y43", "'I' at position 13 is not used"),
    ],
)
def test_invalid_codes_say_which_rule_failed(code: str, message: str) -> None:
    with pytest.raises(InvalidCreditCode, match=message):
        validate_uscc(code)


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_exactly_one_check_character_is_accepted(first17: str) -> None:
    accepted = [c for c in ALPHABET if c == check_character(first17)]
    assert len(accepted) == 1
    if first17[2:8].isdigit():
        assert validate_uscc(first17 + accepted[0]) == first17 + accepted[0]


def test_demo_codes_are_valid_and_distinct() -> None:
    codes = {demo_uscc(index, "330106") for index in range(2000)}
    assert len(codes) == 2000
    assert all(validate_uscc(code) == code for code in codes)


def test_organisation_code_check_digit_gb11714() -> None:
    assert organisation_code(12345678) == "123456788"  # Σ = 201 ≡ 3 (mod 11); 11 − 3 = 8


@given(st.integers(min_value=0, max_value=99_999_999))
def test_organisation_code_makes_the_weighted_sum_divisible_by_11(number: int) -> None:
    code = organisation_code(number)
    check = 10 if code[8] == "X" else int(code[8])
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    assert (sum(int(d) * w for d, w in zip(code[:8], weights, strict=True)) + check) % 11 == 0
