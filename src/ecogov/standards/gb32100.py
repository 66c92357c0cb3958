"""Unified social credit codes (统一社会信用代码) of GB 32100-2015.

Layout (§4): position 1 registration authority (登记管理部门代码), 2 institution category
(机构类别代码), 3–8 the registering authority's administrative-division code (GB/T 2260), 9–17
the organisation code (主体标识码, GB 11714), 18 the check character. The 31 characters in use are
the digits and the capital letters except I, O, Z, S and V (Table 1 of the standard's Annex).

The check character (§5, Annex A): with character values ``C_i`` (0–30), weights
``W_i = 3^(i-1) mod 31`` for positions 1–17, ``C_18 = 31 − (Σ C_i·W_i mod 31)``, where 31 maps to
0 (the character ``0``).
"""

from __future__ import annotations

from typing import Final


class InvalidCreditCode(ValueError):
    """A unified social credit code breaks a GB 32100-2015 rule; ``str()`` is the zh-CN message,
    then the English one (``zh``, ``en``: each alone)."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""GB 32100-2015 code characters, in the order of their values 0–30."""
WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))
"""Weights of positions 1–17 (Annex A): 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, …"""
_VALUES: Final = {char: value for value, char in enumerate(ALPHABET)}
LENGTH: Final = 18


def check_character(first17: str) -> str:
    """The GB 32100-2015 check character (position 18) of the first 17 characters (Annex A).

    Raises :class:`InvalidCreditCode` when a character is outside the code's alphabet.
    """
    total = 0
    for position, (char, weight) in enumerate(zip(first17, WEIGHTS, strict=True), start=1):
        value = _VALUES.get(char)
        if value is None:
            raise InvalidCreditCode(
                f"第 {position} 位字符“{char}”不是统一社会信用代码的字符"
                "（GB 32100-2015：数字及除 I、O、Z、S、V 外的大写字母）",
                f"character {char!r} at position {position} is not used in credit codes "
                "(GB 32100-2015: digits and capitals except I, O, Z, S, V)",
            )
        total += value * weight
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """``code`` normalised (trimmed, upper-case) when it is a valid unified social credit code.

    Checks the length (18), the alphabet, that positions 3–8 are digits (a GB/T 2260 code) and the
    check character (GB 32100-2015 Annex A); raises :class:`InvalidCreditCode` saying which rule
    failed.
    """
    text = code.strip().upper()
    if len(text) != LENGTH:
        raise InvalidCreditCode(
            f"统一社会信用代码“{code}”有 {len(text)} 位，应为 18 位（GB 32100-2015）",
            f"credit code {code!r} has {len(text)} characters, not 18 (GB 32100-2015)",
        )
    if not text[2:8].isdigit():
        raise InvalidCreditCode(
            f"统一社会信用代码 {text}：第 3–8 位应为行政区划代码数字，实为“{text[2:8]}”",
            f"credit code {text}: positions 3–8 must be the region code digits, got {text[2:8]!r}",
        )
    expected = check_character(text[:17])
    if text[17] != expected:
        raise InvalidCreditCode(
            f"统一社会信用代码 {text}：校验码为“{text[17]}”，按 GB 32100-2015 应为“{expected}”",
            f"credit code {text}: check character is {text[17]!r}, "
            f"GB 32100-2015 gives {expected!r}",
        )
    return text
