"""Text normalisation for captured plan documents (规划文本).

Web captures of bureau documents mix full-width and half-width forms (``，`` and ``,``,
``（一）`` and ``(一)``, ``Ⅲ类`` and ``III类``, ``９０％`` and ``90%``), scatter stray spaces
between Chinese characters and wrap the text in page furniture (breadcrumbs, hit counters,
share buttons, comment boxes). :func:`normalise` folds every variant to one canonical form:

* full-width letters, digits and symbols become ASCII (``９０％`` → ``90%``), Roman-numeral
  characters become ASCII letters (``Ⅲ`` → ``III``);
* the clause punctuation ``, ; : ( ) ! ?`` becomes full-width (``，；：（）！？``) except between
  two ASCII letters or digits, where it is part of a number or a code (``1,000``, ``09:35``);
* spaces next to a Chinese character are dropped, other runs of spaces collapse to one;
* traditional characters of :data:`TRADITIONAL` become simplified ones (``濃度`` → ``浓度``) and
  injected pinyin glosses are dropped (``長(zhǎng)三角`` → ``长三角``);
* a private-use character between digits is the decimal point some sites draw with a glyph of
  their own font (``4\ue01078万公顷`` = 4.78万公顷); other private-use characters are dropped.

:func:`normalise` is idempotent. :func:`clean_lines` also drops page furniture and everything
after a page footer; the patterns are data (:data:`FURNITURE`, :data:`FOOTERS`). Before that it
strips the anti-scraping noise forum reposts interleave (:func:`strip_jammer`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Final

__all__ = [
    "FOOTERS",
    "FURNITURE",
    "TRADITIONAL",
    "chinese_numeral",
    "clauses",
    "clean_lines",
    "join_wrapped",
    "normalise",
    "sentences",
    "strip_jammer",
]

# Traditional characters of captured mirrors (濃度, 天數, 減少) folded to simplified ones: pairs
# of (traditional, simplified), the characters plan texts about the environment use.
TRADITIONAL: Final = (
    "環环質质態态個个國国標标氣气為为濃浓點点區区發发體体數数續续報报況况穩稳達达優优實实現现級级會会項项進进總总動动來来護护問问題题斷断長长戰战類类聞闻計计連连審审別别專专關关減减狀状"
    "記记開开顯显堅坚調调時时額额從从衛卫務务據据創创網网勢势邊边寧宁強强隨随極极訊讯設设間间經经藍蓝約约黃黄紹绍過过準准飲饮濟济細细顆颗積积縣县滿满聲声順顺議议將将劉刘還还單单員员辦办"
    "組组鎮镇兩两華华舉举農农號号監监業业領领劃划協协績绩爐炉黨党綜综較较嚴严陽阳責责轄辖風风險险麗丽廳厅視视織织結结階阶導导圓圆鞏巩執执陣阵贏赢產产決决萬万測测趨趋屆届聽听統统規规機机"
    "線线學学臺台熱热場场圖图書书終终評评聯联門门剛刚這这雖虽鄭郑莊庄編编輯辑澤泽義义凈净見见圍围繞绕討讨詳详廣广壯壮際际確确緊紧節节該该濕湿對对運运輸输構构爭争淨净亂乱鍋锅幫帮車车鏈链"
    "條条範范違违傳传內内晝昼戶户礎础雙双與与遼辽輕轻難难錄录轉转揮挥獲获繼继試试鄉乡針针籌筹資资庫库汙污於于廢废處处億亿噸吨後后們们荊荆"
)
_TRADITIONAL_PAIRS: Final = "".join(TRADITIONAL)
_CLAUSE_PUNCTUATION: Final = ",;:()!?"
_KEEP_FULL_WIDTH: Final = frozenset(chr(ord(c) + 0xFEE0) for c in _CLAUSE_PUNCTUATION)


def _char_table() -> dict[int, str]:
    """Translation table: full-width ASCII forms, Roman numerals and odd spaces to canonical."""
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):  # ！ .. ～ (full-width ASCII block)
        if chr(code) not in _KEEP_FULL_WIDTH:
            table[code] = chr(code - 0xFEE0)
    for code in range(0x2160, 0x2180):  # Ⅰ .. ↀ (Roman numerals, upper and lower case)
        table[code] = unicodedata.normalize("NFKC", chr(code)).upper()
    table.update({0x3000: " ", 0x00A0: " ", 0x200B: "", 0xFEFF: ""})
    pairs = _TRADITIONAL_PAIRS
    table.update({ord(pairs[i]): pairs[i + 1] for i in range(0, len(pairs), 2)})
    return table


_CHARS: Final = _char_table()
_HALF_PUNCTUATION: Final = re.compile(r"[,;:()!?]")
_FULL_OF: Final = {c: chr(ord(c) + 0xFEE0) for c in _CLAUSE_PUNCTUATION}
_SPACES: Final = re.compile(r"[ \t\f\v\r]+")
# Some sites render the decimal point with a private-use glyph (4\ue01078万公顷 = 4.78万公顷).
_PRIVATE_DECIMAL: Final = re.compile(r"(?<=\d)[\ue000-\uf8ff](?=\d)")
_PRIVATE_USE: Final = re.compile(r"[\ue000-\uf8ff]")
_ASCII_ALNUM: Final = re.compile(r"[0-9A-Za-z]")
# Pinyin glosses some mirrors inject after a character: 長(zhǎng)三角 → 長三角.
_PINYIN_GLOSS: Final = re.compile(r"（[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}）")


def _widen(match: re.Match[str]) -> str:
    """Full-width form of one half-width clause mark unless it sits between ASCII alphanumerics."""
    text, start = match.string, match.start()
    before = text[start - 1] if start else ""
    after = text[start + 1] if start + 1 < len(text) else ""
    if _ASCII_ALNUM.fullmatch(before) and _ASCII_ALNUM.fullmatch(after):
        return match.group()
    return _FULL_OF[match.group()]


def _squeeze(match: re.Match[str]) -> str:
    """Drop a run of spaces touching a non-ASCII character; collapse any other run to one space."""
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if not before.isascii() or not after.isascii():
        return ""
    return " "


def normalise(text: str) -> str:
    """Fold width variants, Roman numerals and stray spaces to one form; keep line breaks.

    Each line is also stripped. Idempotent: ``normalise(normalise(t)) == normalise(t)``.
    """
    text = text.replace("\r\n", "\n").translate(_CHARS)
    text = _PRIVATE_USE.sub("", _PRIVATE_DECIMAL.sub(".", text))
    text = _PINYIN_GLOSS.sub("", _HALF_PUNCTUATION.sub(_widen, text))
    text = _SPACES.sub(_squeeze, text)
    return "\n".join(line.strip() for line in text.split("\n"))


# Page furniture (网页框架): whole lines that are site chrome, never document text.
FURNITURE: Final = tuple(
    re.compile(pattern)
    for pattern in (
        r"^当前位置",  # breadcrumb
        r"^首页\s*[>»]",
        r"^[>»](?!\s*\d)",  # a breadcrumb; >80 is a table cell
        r"(?:放大|缩小)字体",
        r"^(?:发布日期|发布时间|时间|日期|来源|信息来源|浏览次数|浏览量|热度|作者|编辑|责任编辑|字体)：",
        r"^核心提示",
        r"^\d{4}年\d{1,2}期$",  # gazette issue (公报期数)
        r"^[\d\- ]{7,}$",  # telephone number
        r"^[X×]$",  # close button
        r"^相关(?:解读|链接|文章)$",
        r"_.*_",  # browser title "标题_栏目_网站"
        r"\.(?:docx?|pdf|xlsx?|wps|zip)$",  # attachment download link
    )
)

# Page footers (页脚): the document ends at the first line matching one of these.
FOOTERS: Final = tuple(
    re.compile(pattern)
    for pattern in (
        r"^\[\s*最新资讯搜索",
        r"相关评论$",
        r"^扫一扫",
        r"^请输入以下评论内容",
        r"^原标题：",
        r"^相关资料下载",
        r"^(?:上一篇|下一篇)：",
        r"^【?(?:打印本页|关闭窗口)",
    )
)


# Anti-scraping noise (干扰码) of forum reposts: runs of random one- or two-character ASCII
# tokens, the first glued to the text before it (指标. w* k% q* V. p2 / >808 {# m/ \1 r).
# "|" alone is never a token (it separates table cells), only glued to another mark (|9);
# a run needs two odd tokens (a mark in them, or a letter with a digit: h7), so a row of plain
# numbers (85 87 90 92) or of letters is text.
_JAMMER_TOKEN: Final = r"(?:[!-{}~]\||\|[!-{}~]|[!-{}~]{1,2})"
_JAMMER: Final = re.compile(rf"[!-{{}}~](?: {_JAMMER_TOKEN}){{3,}}(?= |\n|$)")
_JAMMER_ODD: Final = re.compile(r"[^0-9A-Za-z]|[A-Za-z][0-9]|[0-9][A-Za-z]")
_JAMMER_ODD_TOKENS: Final = 2


def _jammer(match: re.Match[str]) -> str:
    """Nothing for a run of noise tokens, the run itself when it is text."""
    tokens = match.group().split(" ")[1:]
    odd = sum(bool(_JAMMER_ODD.search(token)) for token in tokens)
    return "" if odd >= _JAMMER_ODD_TOKENS else match.group()


def strip_jammer(text: str) -> str:
    """``text`` without the anti-scraping noise runs of a forum repost (see :data:`_JAMMER`):
    ``| >808 {# m/ \\1 r；`` → ``| >80``."""
    return _JAMMER.sub(_jammer, text)


def _matches_any(line: str, patterns: Iterable[re.Pattern[str]]) -> bool:
    """True when one of ``patterns`` is found in ``line``."""
    return any(pattern.search(line) for pattern in patterns)


def clean_lines(text: str) -> list[str]:
    """The non-empty normalised lines of ``text`` without page furniture, cut at the footer,
    with lines a PDF or web copy wrapped at a fixed width joined (:func:`join_wrapped`)."""
    lines: list[str] = []
    for line in normalise(strip_jammer(text)).split("\n"):
        if _matches_any(line, FOOTERS):
            break
        if line and not _matches_any(line, FURNITURE):
            lines.append(line)
    return join_wrapped(lines)


_WRAP_MIN: Final = 15  # shorter lines are titles or headings, never wrapped text
_WRAP_LINES: Final = 3  # lines of one width needed to call it the copy's wrap width …
_WRAP_SHARE: Final = 0.25  # … and their share of the lines at least _WRAP_MIN long
_WRAP_SLACK: Final = 3  # a wrapped line may fall this many characters short of the width
_PARAGRAPH_END: Final = re.compile(r"[。；！？：]$")
_LIST_START: Final = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十\d]{1,3}）|\d{1,2}[.、]\D)"
)


def join_wrapped(lines: list[str]) -> list[str]:
    """Lines with hard wraps undone: a copy that breaks its text at a fixed width (PDF text
    layers, pasted pages: ``…农村生`` / ``活污水治理率…``) has at least three lines of one
    length, a quarter of its longer lines; a line that long not ending a sentence continues
    on the next line, unless the next one opens a heading or a list item."""
    long = [len(line) for line in lines if len(line) >= _WRAP_MIN]
    widths = Counter(long).most_common(1)
    if not widths or widths[0][1] < max(_WRAP_LINES, _WRAP_SHARE * len(long)):
        return lines
    width = widths[0][0]
    joined: list[str] = []
    wrapped = False
    for line in lines:
        if wrapped and not _LIST_START.match(line):
            joined[-1] += line
        else:
            joined.append(line)
        wrapped = len(line) >= width - _WRAP_SLACK and not _PARAGRAPH_END.search(line)
    return joined


_SENTENCE_END: Final = re.compile(r"[。；！？●■◆]")
_CLAUSE_END: Final = re.compile(r"[，：]")


def sentences(paragraph: str) -> list[str]:
    """Sentences of a normalised paragraph (split at 。；！？ and bullets ●■◆), none empty."""
    return [piece.strip() for piece in _SENTENCE_END.split(paragraph) if piece.strip()]


def clauses(sentence: str) -> list[str]:
    """Clauses of a normalised sentence (split at ，：), without empty pieces."""
    return [piece.strip() for piece in _CLAUSE_END.split(sentence) if piece.strip()]


_DIGITS: Final = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}


_PLACES: Final = {"千": 1000, "百": 100, "十": 10}


def chinese_numeral(text: str) -> int | None:
    """Value of a Chinese numeral from 零 to 九千九百九十九 (一, 十二, 四十五, 一百, 一千零五),
    else None. Places fall from left to right; only 十 may stand without a digit before it."""
    if text in _DIGITS:
        return _DIGITS[text]
    if not text:
        return None
    total, digit, last = 0, None, 10_000
    for char in text:
        if char in _DIGITS:
            if digit:  # two digits in a row (一二), bar a 零 before a digit (一百零五)
                return None
            digit = _DIGITS[char]
        elif char in _PLACES and _PLACES[char] < last:
            last = _PLACES[char]
            multiplier = digit or (1 if last == 10 else None)
            if multiplier is None:
                return None
            total, digit = total + multiplier * last, None
        else:
            return None
    return total + (digit or 0)
