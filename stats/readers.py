"""Read a report file (.txt, .docx, text-layer .pdf) into text, with size and format checks.

All failures raise :class:`stats.errors.ReportRejected` with a Vietnamese and an English
message; nothing here touches the database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from stats.errors import rejected
from troly06.config import get_settings

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


@dataclass(frozen=True)
class Document:
    """Text of one file plus how it was read."""

    text: str
    source_name: str
    fmt: str  # "txt" | "docx" | "pdf"
    raw: bytes

    @property
    def wrapped(self) -> bool:
        """PDF text layers wrap paragraphs into several lines."""
        return self.fmt == "pdf"


def _too_large(size: int, limit: int) -> Exception:
    return rejected(
        "too_large",
        f"Tệp quá lớn ({size / 1_048_576:.1f} MB); giới hạn là {limit / 1_048_576:.1f} MB.",
        f"File too large ({size} bytes; limit {limit} bytes).",
    )


def decode_text(raw: bytes) -> str:
    """Decode a text report: UTF-8 (with or without BOM) or UTF-16 with BOM."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            text = raw.decode("utf-8-sig")
            if "\x00" not in text:
                return text
        except UnicodeDecodeError:
            pass
    raise rejected("undecodable",
                   "Không đọc được nội dung tệp (không phải văn bản UTF-8).",
                   "Undecodable bytes: the file is not UTF-8/UTF-16 text.")


def _docx_text(raw: bytes) -> str:
    import docx  # python-docx, imported lazily

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - any parse failure is a rejected file
        raise rejected("unreadable", "Không mở được tệp Word (.docx).",
                       f"Cannot open the .docx file: {exc}") from exc
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    # Body order matters (a figure table belongs to the section above it): walk paragraphs
    # and tables as they come; a table row becomes one line, cells joined by ": ".
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                lines.append(": ".join(cells))
    return "\n".join(lines)


def _pdf_text(raw: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as exc:  # noqa: BLE001
        raise rejected("unreadable", "Không mở được tệp PDF.",
                       f"Cannot open the PDF file: {exc}") from exc
    if not text.strip():
        raise rejected("no_text_layer",
                       "Tệp PDF không có lớp văn bản (bản quét); cần bản PDF có chữ.",
                       "The PDF has no text layer (scanned image).")
    return text


def read_bytes(raw: bytes, source_name: str, *, max_bytes: int | None = None) -> Document:
    """Turn uploaded bytes into a :class:`Document` (format from suffix, else sniffed)."""
    limit = max_bytes if max_bytes is not None else get_settings().max_upload_bytes
    if len(raw) > limit:
        raise _too_large(len(raw), limit)
    if not raw.strip():
        raise rejected("empty", "Tệp rỗng, không có nội dung báo cáo.", "The file is empty.")
    suffix = Path(source_name).suffix.lower()
    if suffix == ".pdf" or raw.startswith(b"%PDF"):
        return Document(_pdf_text(raw), source_name, "pdf", raw)
    if suffix == ".docx" or raw.startswith(b"PK\x03\x04"):
        return Document(_docx_text(raw), source_name, "docx", raw)
    if suffix in TEXT_SUFFIXES or suffix not in {".doc", ".xls", ".xlsx", ".odt"}:
        return Document(decode_text(raw), source_name, "txt", raw)
    raise rejected("unsupported_format",
                   f"Định dạng {suffix} chưa được hỗ trợ; hãy gửi .txt, .docx hoặc .pdf.",
                   f"Unsupported format {suffix}; send .txt, .docx or .pdf.")


def read_path(path: str | Path, *, max_bytes: int | None = None) -> Document:
    """Read a report file; the size is checked before any byte is read."""
    path = Path(path)
    limit = max_bytes if max_bytes is not None else get_settings().max_upload_bytes
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise rejected("not_found", f"Không tìm thấy tệp {path.name}.",
                       f"File not found: {path}") from exc
    if size > limit:
        raise _too_large(size, limit)
    return read_bytes(path.read_bytes(), path.name, max_bytes=limit)
