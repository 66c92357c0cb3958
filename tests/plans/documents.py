"""Plan documents built in the test from text: Word (python-docx, with a real table) and PDF
with a text layer (reportlab, CID font STSong-Light), as bureaus publish them."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

PDF_LINE: int = 30  # characters per PDF line: the text is hard-wrapped as PDF copies are


def docx_bytes(paragraphs: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
    """A .docx of ``paragraphs`` followed by a table of ``table`` rows (first row the header);
    a cell repeated in the next column of its row is merged with it."""
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                if c and text == row[c - 1]:
                    grid.cell(r, c - 1).merge(grid.cell(r, c))
                else:
                    grid.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(paragraphs: Sequence[str]) -> bytes:
    """A PDF whose text layer holds ``paragraphs``, wrapped every :data:`PDF_LINE` characters."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    y = 800.0
    for paragraph in paragraphs:
        for start in range(0, len(paragraph), PDF_LINE):
            if y < 60:
                canvas.showPage()
                y = 800.0
            canvas.setFont("STSong-Light", 11)
            canvas.drawString(40, y, paragraph[start : start + PDF_LINE])
            y -= 16
    canvas.save()
    return buffer.getvalue()
