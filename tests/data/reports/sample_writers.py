"""Byte-stable writers of the sample documents: Word (python-docx) and text-layer PDF
(fpdf2, DejaVu font from matplotlib)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

STAMP = datetime(2026, 12, 1, tzinfo=UTC)


def write_docx(path: Path, blocks: list) -> None:
    """Paragraphs and tables in order (byte-stable)."""
    import docx

    document = docx.Document()
    document.core_properties.created = STAMP
    document.core_properties.modified = STAMP
    for block in blocks:
        if isinstance(block, str):
            for line in block.split("\n"):
                document.add_paragraph(line)
            continue
        grid = document.add_table(rows=0, cols=len(block[0]))
        grid.style = "Table Grid"
        for row in block:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = value
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 12, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))


def write_pdf(path: Path, blocks: list) -> None:
    """Text-layer PDF: paragraphs wrap, tables are drawn as grids (fpdf2)."""
    import matplotlib
    from fpdf import FPDF

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = FPDF(format="A4")
    pdf.set_creation_date(STAMP)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=10)
    for block in blocks:
        if isinstance(block, str):
            pdf.multi_cell(0, 5, block, new_x="LMARGIN", new_y="NEXT")
            continue
        widths = (12, 110, 30, 30)[-len(block[0]):] if len(block[0]) == 4 else None
        with pdf.table(col_widths=widths, text_align="LEFT") as grid:
            for row in block:
                cells = grid.row()
                for value in row:
                    cells.cell(value)
        pdf.ln(2)
    pdf.output(str(path))
