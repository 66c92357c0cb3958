"""The i18n guarantee on the command line (issue 14, defect 3): a refused command prints one
line, ``错误：`` and the reason with its Chinese before any English word, and exits 2 — usage
errors of the command line itself included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ecogov.cli import main
from tests.web.test_i18n_pages import TOKEN, _exempt

CHINESE = re.compile(r"[\u4e00-\u9fff]")
OPTION_OR_INPUT = re.compile(r"--[\w-]+|'[^']*'")


def _chinese_first(line: str) -> bool:
    """Whether the first Chinese character of ``line`` comes before its first English word;
    option names (``--parent``) and quoted input (``'33'``) are what the user typed, not words."""
    line = OPTION_OR_INPUT.sub("", line)
    first_chinese = CHINESE.search(line)
    words = (m for m in TOKEN.finditer(line) if not _exempt(m.group().strip(".-_")))
    first_word = next(words, None)
    return first_chinese is not None and (
        first_word is None or first_chinese.start() < first_word.start()
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["regions", "list", "--parent", "33"],  # a value of ours refused
        ["regions", "list", "--bogus"],  # an unknown option
        ["regions", "lst"],  # an unknown command
        ["regions", "list", "a", "b"],  # extra arguments
        ["users", "create"],  # a missing argument
        ["air", "aqi"],
        ["air", "aqi", "{tmp}/none.csv", "-o", "{tmp}/out.csv", "--kind", "weekly"],
        ["hj212", "parse", "{tmp}/none.txt"],  # an unreadable file
        ["water", "classify", "{tmp}/none.csv"],
        ["hj212", "simulate", "--cn", "9999"],
    ],
)
def test_refused_commands_print_chinese_first(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([arg.replace("{tmp}", str(tmp_path)) for arg in argv])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("错误："), err
    assert _chinese_first(lines[0].removeprefix("错误：")), err


def test_the_check_sees_english_first() -> None:
    assert not _chinese_first("cannot read x.csv（无法读取）")
    assert _chinese_first("无法读取 x.csv（cannot read x.csv）")
    assert _chinese_first("--parent 取值无效：'33' 不是6位数字的行政区划代码")
