"""Rendering a composed report (:func:`ecogov.reports.layout.compose`) as Word (.docx, with
python-docx) and PDF (with reportlab; Chinese in the built-in CID font ``STSong-Light``, which
every PDF reader can show without an embedded font file)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, Final
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from ecogov.reports.layout import Chart, Element, Heading, Paragraph, Table

PDF_FONT: Final = "STSong-Light"
WORD_FONT: Final = "宋体"
CHART_WIDTH_CM: Final = 15.0
MEDIA_TYPES: Final = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _east_asian(run: Any, size: float | None = None) -> None:
    font = run.font
    font.name = WORD_FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), WORD_FONT)
    if size is not None:
        font.size = Pt(size)


def docx_bytes(elements: Sequence[Element]) -> bytes:
    """The report as a Word document: headings, paragraphs, tables, chart pictures."""
    document = Document()
    for element in elements:
        if isinstance(element, Heading):
            heading = document.add_heading(level=element.level)
            _east_asian(heading.add_run(element.text))
            if element.level == 0:
                heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(element, Paragraph):
            _east_asian(document.add_paragraph().add_run(element.text), 12)
        elif isinstance(element, Table):
            _east_asian(document.add_paragraph().add_run(element.caption), 10.5)
            table = document.add_table(rows=1, cols=len(element.headers), style="Table Grid")
            for cell, text in zip(table.rows[0].cells, element.headers, strict=True):
                _east_asian(cell.paragraphs[0].add_run(text), 9)
            for row in element.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    _east_asian(cell.paragraphs[0].add_run(text), 9)
        elif isinstance(element, Chart):
            document.add_picture(io.BytesIO(element.png), width=Cm(CHART_WIDTH_CM))
            caption = document.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _east_asian(caption.add_run(element.caption), 10.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _styles() -> dict[str, ParagraphStyle]:
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    base = {"fontName": PDF_FONT, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("title", fontSize=18, leading=26, alignment=1, **base),
        "h1": ParagraphStyle("h1", fontSize=14, leading=22, spaceBefore=10, **base),
        "body": ParagraphStyle("body", fontSize=11, leading=18, firstLineIndent=22, **base),
        "caption": ParagraphStyle("caption", fontSize=10, leading=14, alignment=1, **base),
        "cell": ParagraphStyle("cell", fontSize=8, leading=11, **base),
    }


def _pdf_table(element: Table, styles: dict[str, ParagraphStyle]) -> PdfTable:
    def cells(texts: list[str]) -> list[PdfParagraph]:
        return [PdfParagraph(escape(text), styles["cell"]) for text in texts]

    table = PdfTable([cells(element.headers), *(cells(row) for row in element.rows)], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def pdf_bytes(elements: Sequence[Element]) -> bytes:
    """The report as a PDF (A4), the same elements as the Word document."""
    styles = _styles()
    story: list[object] = []
    for element in elements:
        if isinstance(element, Heading):
            story.append(
                PdfParagraph(escape(element.text), styles["title" if element.level == 0 else "h1"])
            )
        elif isinstance(element, Paragraph):
            story.append(PdfParagraph(escape(element.text), styles["body"]))
        elif isinstance(element, Table):
            story += [
                PdfParagraph(escape(element.caption), styles["caption"]),
                _pdf_table(element, styles),
            ]
        elif isinstance(element, Chart):
            picture = Image(io.BytesIO(element.png))
            scale = CHART_WIDTH_CM * cm / picture.imageWidth
            picture.drawWidth, picture.drawHeight = CHART_WIDTH_CM * cm, picture.imageHeight * scale
            story += [picture, PdfParagraph(escape(element.caption), styles["caption"])]
        story.append(Spacer(1, 6))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    ).build(story)
    return buffer.getvalue()


def render(elements: Sequence[Element], fmt: str) -> bytes:
    """The report in ``fmt`` (``docx`` or ``pdf``)."""
    return docx_bytes(elements) if fmt == "docx" else pdf_bytes(elements)
