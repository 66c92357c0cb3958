"""Normalisation of captured plan text: width folding, furniture removal, clause splitting."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.plans.importer.text import (
    chinese_numeral,
    clauses,
    clean_lines,
    normalise,
    sentences,
    strip_jammer,
)

# Characters the captures mix: CJK text, both widths of digits and punctuation, Roman numerals,
# odd spaces, private-use glyphs and line breaks.
MIXED = st.text(
    alphabet=st.sampled_from(
        list("市局达到以上一二（）()，,;；:：.．%％０９09AaＡⅢⅤ \u3000\u00a0\t\n\r\ue010")
    ),
    max_size=60,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(一)推进,落实;目标:达到９０％", "（一）推进，落实；目标：达到90%"),
        ("（一）推进，落实；目标：达到90%", "（一）推进，落实；目标：达到90%"),
        ("省控Ⅲ类及以上水质断面，劣Ⅴ类", "省控III类及以上水质断面，劣V类"),
        ("ＰＭ２．５年均浓度", "PM2.5年均浓度"),
        ("湖州市 生态文明示范创建", "湖州市生态文明示范创建"),
        ("项 目 内 容", "项目内容"),
        ("达到90% 以上", "达到90%以上"),
        ("时间:2021-05-06 09:35", "时间：2021-05-06 09:35"),
        ("新增1,000吨", "新增1,000吨"),
        ("　　一、主要目标　", "一、主要目标"),
        ("湿地面积不低于4\ue01078万公顷", "湿地面积不低于4.78万公顷"),
        ("\ue000标题", "标题"),
        ("甲\r\n乙", "甲\n乙"),
    ],
)
def test_normalise_folds_variants(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@given(MIXED)
@settings(max_examples=300)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


def test_clean_lines_drops_furniture_and_stops_at_footer() -> None:
    capture = "\n".join(
        [
            "当前位置: 首页 » 最新资讯 » 正文",
            "放大字体  缩小字体 发布日期:2021-06-19  浏览次数:428",
            "2021年福州市生态环境保护工作要点_年度计划_福州市生态环境局",
            "时间:2021-05-06 09:35 浏览量:595",
            "2018年7期",
            "",
            "2021年福州市生态环境保护工作要点",
            "  一、主要目标 ",
            "方案.docx",
            "扫一扫在手机上查看当前页面",
            "二、不应出现",
        ]
    )
    assert clean_lines(capture) == ["2021年福州市生态环境保护工作要点", "一、主要目标"]


def test_sentences_and_clauses() -> None:
    paragraph = "2020年，力争达到85%；全市改善。"
    assert sentences(paragraph) == ["2020年，力争达到85%", "全市改善"]
    assert clauses("主要目标是：确保完成，全面达标") == ["主要目标是", "确保完成", "全面达标"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        *[("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("四十五", 45), ("两", 2)],
        *[("一百", 100), ("两百", 200), ("一百零五", 105), ("三千二百", 3200), ("一千零十", 1010)],
    ],
)
def test_chinese_numeral(text: str, value: int) -> None:
    assert chinese_numeral(text) == value


@pytest.mark.parametrize("text", ["百", "十十", "一二", "三十四五", "", "x", "十百", "千"])
def test_chinese_numeral_rejects_non_numerals(text: str) -> None:
    assert chinese_numeral(text) is None


def _written(number: int) -> str:
    """``number`` (1–9999) as Chinese numerals are written: 一千零五, 十二, 三百一十."""
    digits, text, gap = "零一二三四五六七八九", "", False
    for place, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // place % 10
        if digit == 0:
            gap = bool(text)
            continue
        text += ("零" if gap else "") + digits[digit] + name
        gap = False
    return text[1:] if text.startswith("一十") else text


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numeral_reads_what_is_written(number: int) -> None:
    assert chinese_numeral(_written(number)) == number


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("优良天数比率（%）. w* k% q* V. p2", "优良天数比率（%）"),
        ("| >809 {# m/ \\1 r; \\) m% t", "| >80"),
        ("| 25左右& d' s9 `4 q# o5 l", "| 25左右"),
        ("预期性1 h7 C3 X5 I9 H2 K j e", "预期性"),
        ("30, }! a3 |9 b* x2 e& i | 40", "30 | 40"),
    ],
)
def test_anti_scraping_noise_is_stripped(text: str, cleaned: str) -> None:
    assert strip_jammer(text).rstrip() == cleaned


@pytest.mark.parametrize(
    "text", ["85 87 90 92 95", "| 1 | 2 | 3 | 4 |", "A B C D E", "SO2 NOx O3 CO"]
)
def test_rows_of_plain_tokens_are_text(text: str) -> None:
    assert strip_jammer(text) == text
