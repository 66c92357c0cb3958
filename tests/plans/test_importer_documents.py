"""Plan documents in every input format (issue 19): Word, PDF, Excel and text, decided by
content, read through the platform's one reader."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from ecogov.plans.corpus import documents, score
from ecogov.plans.importer import parse_plan
from ecogov.platform.errors import InputError
from ecogov.platform.readers import read_document
from tests.plans.documents import docx_bytes, pdf_bytes

CORPUS = Path(__file__).parent / "corpus"
BY_NUMBER = {document.name[:3]: document for document in documents(CORPUS)}


def _paragraphs(number: str) -> list[str]:
    return [line for line in BY_NUMBER[number].text.splitlines() if line.strip()]


@pytest.mark.parametrize("number", ["007", "014"])
def test_word_and_pdf_copies_of_a_corpus_text_give_its_labelled_targets(number: str) -> None:
    document = BY_NUMBER[number]
    year = document.source["year"]
    for data in (docx_bytes(_paragraphs(number)), pdf_bytes(_paragraphs(number))):
        counts = score(parse_plan(read_document(data, "plan"), year=year), document.labels)
        assert counts.recall == 1.0
        assert counts.precision == 1.0


def test_a_word_table_reads_in_document_order_with_merged_cells_once() -> None:
    data = docx_bytes(
        ["湖州市2021年大气污染防治工作要点", "一、主要任务"],
        [
            ["序号", "工作任务", "牵头单位", "配合单位"],
            ["1", "开展VOCs治理", "市生态环境局", "市经信局"],
            ["2", "推进扬尘管控", "市住建局", "市住建局"],
        ],
    )
    lines = read_document(data, "要点.docx").splitlines()
    assert lines[:3] == ["湖州市2021年大气污染防治工作要点", "一、主要任务", "序号"]
    assert lines[-3:] == ["2", "推进扬尘管控", "市住建局"]


def test_an_excel_responsibility_table_reads_one_cell_per_line() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["序号", "工作任务", "牵头单位"], [1, "开展VOCs治理", "市生态环境局"]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    text = read_document(buffer.getvalue(), "责任表.xlsx")
    cells = ["序号", "工作任务", "牵头单位", "1", "开展VOCs治理", "市生态环境局"]
    assert text.splitlines() == cells


def test_gb18030_text_and_the_format_is_told_by_content_not_name() -> None:
    assert read_document("到2025年森林覆盖率达到45%".encode("gb18030"), "plan.pdf").startswith(
        "到2025年"
    )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.4 broken", "无法读取的 PDF"),
        (b"\xd0\xcf\x11\xe0" + bytes(100), "旧版 Office"),
        (b"PK\x03\x04 not a zip", "无法读取的 ZIP"),
        (b"\xff\xfe\x00\xd8", "既不是 UTF-8"),
    ],
)
def test_unreadable_documents_are_refused_in_chinese_naming_the_file(
    data: bytes, words: str
) -> None:
    with pytest.raises(InputError) as error:
        read_document(data, "规划.doc")
    assert "规划.doc" in str(error.value)
    assert words in str(error.value)


def test_a_pdf_without_text_is_refused() -> None:
    with pytest.raises(InputError, match="没有文字层"):
        read_document(pdf_bytes([]), "扫描件.pdf")
