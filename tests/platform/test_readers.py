"""The one reader of CSV and Excel tables: encodings, rows, headers, typed cells, the policy."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from ecogov.platform.errors import InputError
from ecogov.platform.readers import (
    CellError,
    RejectedFile,
    RowError,
    batched,
    cell_text,
    decode_text,
    detect_encoding,
    enforce,
    open_table,
    parse_datetime,
    parse_number,
    require_text,
    resolve_columns,
    utf8_source,
)
from ecogov.standards.timebase import BEIJING

TEXT = "站点,时间,污染物,浓度\n1001A,2018-02-20 07:00,PM2.5,38\n\n1002A,2018-02-20 07:00,SO2,\n"
ALIASES = {
    "station": ("站点", "站点编码"),
    "time": ("时间",),
    "pollutant": ("污染物",),
    "value": ("浓度", "值"),
    "flag": ("标记",),
}


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _read(name: str, data: bytes | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with open_table(name, data) as table:
        return table.header, list(table.rows())


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8-sig"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")],
)
def test_the_three_encodings_read_alike(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / "obs.csv"
    path.write_bytes(TEXT.encode(encoding))
    assert detect_encoding(path, path.name) == expected
    header, rows = _read(path.name, path)
    assert header == ["站点", "时间", "污染物", "浓度"]  # no BOM left in the first header
    # Rows are numbered as a spreadsheet shows them; the blank row 3 is skipped.
    assert rows == [
        (2, ["1001A", "2018-02-20 07:00", "PM2.5", "38"]),
        (4, ["1002A", "2018-02-20 07:00", "SO2", ""]),
    ]
    assert decode_text(path.read_bytes(), path.name) == TEXT


def test_bytes_that_are_no_text_are_refused_in_chinese() -> None:
    with pytest.raises(InputError, match="既不是 UTF-8 也不是 GB18030"):
        detect_encoding(b"\x81\x20\xff\xfe\x00", "x.csv")


def test_a_bad_byte_late_in_a_large_file_still_decides_the_encoding() -> None:
    data = ("a,b\n" + "1,2\n" * 400_000).encode() + "甲,乙\n".encode("gb18030")
    assert detect_encoding(data, "big.csv") == "gb18030"


def test_excel_cells_read_as_csv_text() -> None:
    data = _xlsx(
        [
            ["站点编码", "时间", "污染物", "值"],
            ["1001A", datetime(2018, 2, 20, 7), "O3", 120.0],
            [None, None, None, None],
            ["1002A", date(2018, 2, 20), "CO", 0.5],
        ]
    )
    header, rows = _read("obs.xlsx", data)
    assert header == ["站点编码", "时间", "污染物", "值"]
    assert rows == [
        (2, ["1001A", "2018-02-20 07:00:00", "O3", "120"]),
        (4, ["1002A", "2018-02-20 00:00:00", "CO", "0.5"]),  # Excel stores dates as datetimes
    ]


def test_not_a_workbook() -> None:
    with pytest.raises(InputError, match=r"不是可读的 Excel .xlsx 工作簿.*not a readable \.xlsx"):
        open_table("x.xlsx", b"not a zip")


def test_the_header_may_follow_a_title_row() -> None:
    data = _xlsx([["2026 年重点任务台账"], [], ["序号", "工作任务", "进展情况"], [1, "任务", "ok"]])
    roles = {"序号": (), "进展情况": ()}
    with open_table("t.xlsx", data, header_search_rows=10, is_header=roles) as table:
        assert table.header_row == 3
        assert list(table.records()) == [(4, {"序号": "1", "工作任务": "任务", "进展情况": "ok"})]
    with pytest.raises(InputError, match="前 2 行中没有包含 序号、进展情况 的表头行"):
        open_table("t.xlsx", data, header_search_rows=2, is_header=roles)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "文件为空"),
        ("a,,b\n", "第 1 行（表头）必须为每一列命名"),
        ("a,b,a\n", "表头重复列 a"),
    ],
)
def test_malformed_headers(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        open_table("x.csv", text.encode())


def test_headers_match_aliases_in_any_width_and_case() -> None:
    found = resolve_columns(
        "x.csv", ["ＳＴＡＴＩＯＮ", "时 间", "污染物", "Value"], ALIASES, ["station"]
    )
    assert found == {
        "station": "ＳＴＡＴＩＯＮ",
        "time": "时 间",
        "pollutant": "污染物",
        "value": "Value",
        "flag": None,
    }
    with pytest.raises(InputError, match=r"表头缺少列 value（浓度/值）.*lacks column\(s\) value"):
        resolve_columns("x.csv", ["站点", "时间", "污染物"], ALIASES, ["station", "value"])


def test_row_errors_say_where_in_chinese_and_english() -> None:
    error = CellError("浓度", "abc", "“abc”不是数字", "'abc' is not a number").at("obs.csv", 17)
    assert error == RowError("obs.csv", 17, "浓度", "abc", "“abc”不是数字", "'abc' is not a number")
    assert str(error) == "obs.csv 第 17 行，列「浓度」：“abc”不是数字"
    assert error.text("en") == "obs.csv row 17, column 浓度: 'abc' is not a number"


def test_all_or_nothing_unless_bad_rows_are_skipped() -> None:
    errors = [
        RowError("f.csv", row, "v", "x", "“x”不是数字", "'x' is not a number")
        for row in range(2, 15)
    ]
    enforce("f.csv", [], skip_bad_rows=False)
    enforce("f.csv", errors, skip_bad_rows=True)
    with pytest.raises(RejectedFile) as refused:
        enforce("f.csv", errors, skip_bad_rows=False)
    message = str(refused.value)
    assert message.startswith("f.csv：13 行有错误，未导入任何数据")
    assert "f.csv 第 2 行，列「v」：“x”不是数字" in message
    assert "（另有 3 处）" in message
    assert "13 bad row(s), nothing imported: row 2: 'x' is not a number" in message
    assert message.endswith("(+3 more)")
    assert refused.value.errors == tuple(errors)
    assert isinstance(refused.value, InputError)  # a CLI exit 2, an API 422


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_finite_number_reads_back(value: float) -> None:
    assert parse_number("v", repr(value)) == value
    assert parse_number("v", f"  {value!r}\t") == value


@given(st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False))
def test_a_minimum_refuses_what_lies_below(value: float) -> None:
    with pytest.raises(CellError) as refused:
        parse_number("PM2.5", repr(value), minimum=0)
    assert refused.value.column == "PM2.5"
    assert "应为不小于 0 的数字" in refused.value.reason_zh


@given(st.text().filter(lambda t: t.strip() not in {"", "-", "-;", "—", "NA", "N/A", "null"}))
def test_text_that_is_no_number_is_refused_with_its_value(text: str) -> None:
    try:
        float(text.strip())
    except ValueError:
        with pytest.raises(CellError) as refused:
            parse_number("v", text)
        assert refused.value.value == text.strip()
        assert "不是数字" in refused.value.reason_zh


@pytest.mark.parametrize("token", ["", "-", "—", "NA", "null", None])
def test_missing_tokens_are_no_value(token: str | None) -> None:
    assert parse_number("v", token) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-02-20T07:00:00", datetime(2018, 2, 20, 7, tzinfo=BEIJING)),
        ("2018-02-20 07:00", datetime(2018, 2, 20, 7, tzinfo=BEIJING)),
        ("2018/02/20 07:00", datetime(2018, 2, 20, 7, tzinfo=BEIJING)),
        ("2018-02-20", datetime(2018, 2, 20, tzinfo=BEIJING)),
        ("20180220", datetime(2018, 2, 20, tzinfo=BEIJING)),
        ("2018-02-19T23:00:00Z", datetime(2018, 2, 19, 23, tzinfo=UTC)),
        ("2018-02-20T07:00+05:30", datetime(2018, 2, 20, 7, tzinfo=timezone(timedelta(hours=5.5)))),
    ],
)
def test_times_naive_are_beijing(text: str, expected: datetime) -> None:
    assert parse_datetime("time", text, zone=BEIJING) == expected


def test_a_time_that_is_no_time() -> None:
    with pytest.raises(CellError, match="is not a date or time") as refused:
        parse_datetime("时间", "yesterday", zone=BEIJING)
    assert refused.value.reason_zh == "“yesterday”不是日期时间（应为 YYYY-MM-DD HH:MM）"


def test_required_text() -> None:
    assert require_text("name", "西溪", max_length=4) == "西溪"
    with pytest.raises(CellError, match="is empty"):
        require_text("name", "")
    with pytest.raises(CellError, match="longer than 2"):
        require_text("name", "西溪湿地", max_length=2)


def test_cell_text() -> None:
    assert cell_text(None) == ""
    assert cell_text(3.0) == "3"
    assert cell_text(3.5) == "3.5"
    assert cell_text(" x ") == "x"


@given(st.lists(st.integers()), st.integers(min_value=1, max_value=7))
def test_batches_keep_every_item_in_order(items: list[int], size: int) -> None:
    batches = list(batched(items, size))
    assert [item for batch in batches for item in batch] == items
    assert all(len(batch) == size for batch in batches[:-1])
    assert all(0 < len(batch) <= size for batch in batches)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_utf8_source_for_vectorized_readers(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(TEXT.encode(encoding))
    converted = utf8_source(path, path.name)
    if encoding == "utf-8":
        assert converted == path  # untouched, not read into memory
    else:
        assert converted == TEXT.encode("utf-8")
    assert utf8_source(TEXT.encode(encoding), "x.csv") == TEXT.encode("utf-8")
