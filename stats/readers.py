"""Read a report file (.txt, .docx, text-layer .pdf) into text, with size and format checks.

All failures raise :class:`stats.errors.ReportRejected` with a Vietnamese and an English
message; nothing here touches the database.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from stats.errors import ReportRejected, rejected
from troly06.config import get_settings

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
# Hostile-file bounds (a weekly report is a few pages; these are 10-100x what one needs).
DOCX_MAX_ENTRIES = 300
DOCX_MAX_INFLATED = 30 * 1024 * 1024     # all entries, uncompressed
DOCX_MAX_RATIO = 200                     # per entry, uncompressed / compressed
PDF_MAX_PAGES = 60
MAX_TEXT_CHARS = 400_000                 # extracted text of any format
MAX_LINE_CHARS = 20_000


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


def _too_complex(vi: str, en: str) -> Exception:
    return rejected("too_complex", vi, en)


def check_docx_container(raw: bytes) -> None:
    """Refuse a .docx whose zip would inflate past the bounds, before anything opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise rejected("unreadable", "Không mở được tệp Word (.docx).",
                       f"Cannot open the .docx file: {exc}") from exc
    if len(infos) > DOCX_MAX_ENTRIES:
        raise _too_complex(f"Tệp Word có quá nhiều thành phần ({len(infos)}).",
                           f"Too many zip entries ({len(infos)} > {DOCX_MAX_ENTRIES}).")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > DOCX_MAX_INFLATED or (info.file_size > 1_000_000 and ratio > DOCX_MAX_RATIO):
            raise _too_complex("Tệp Word giải nén ra quá lớn (nghi là tệp độc hại).",
                               "The .docx inflates past the limit (zip bomb).")


def check_text(text: str) -> str:
    """Refuse extracted text that no weekly report has: too long, or a giant line."""
    if len(text) > MAX_TEXT_CHARS:
        raise _too_complex(f"Nội dung tệp quá dài ({len(text):,} ký tự).".replace(",", "."),
                           f"Extracted text too long ({len(text)} > {MAX_TEXT_CHARS} chars).")
    start = 0
    while True:  # linear scan for the longest line, no split of a huge string
        end = text.find("\n", start)
        stop = len(text) if end < 0 else end
        if stop - start > MAX_LINE_CHARS:
            raise _too_complex("Tệp có dòng quá dài, không phải báo cáo thông thường.",
                               f"A line longer than {MAX_LINE_CHARS} characters.")
        if end < 0:
            return text
        start = end + 1


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN_CHARS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
              f"{_W}noBreakHyphen": "-"}


def _run_text(run) -> str:  # noqa: ANN001 - an lxml element
    """Text of a ``w:r`` as python-docx gives it (tabs, breaks, non-breaking hyphens)."""
    out = []
    for item in run:
        if item.tag == f"{_W}t":
            out.append(item.text or "")
        elif item.tag in _RUN_CHARS:
            out.append(_RUN_CHARS[item.tag])
    return "".join(out)


def _paragraph_text(p) -> str:  # noqa: ANN001
    """Runs of a ``w:p`` and of its hyperlinks, in order (python-docx's ``Paragraph.text``)."""
    out = []
    for child in p:
        if child.tag == f"{_W}r":
            out.append(_run_text(child))
        elif child.tag == f"{_W}hyperlink":
            out.extend(_run_text(r) for r in child if r.tag == f"{_W}r")
    return "".join(out)


def _table_lines(tbl) -> list[str]:  # noqa: ANN001
    """One line per row, "cell | cell | cell": a cell spanning columns once, a vertically
    merged cell repeated under its first row (as python-docx's ``row.cells`` reads it)."""
    lines: list[str] = []
    above: dict[int, str] = {}  # grid column -> text of the cell a vMerge continues
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        column = 0
        for tc in tr.iterchildren(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, merge = 1, None
            if props is not None:
                grid = props.find(f"{_W}gridSpan")
                if grid is not None:
                    span = max(1, int(grid.get(f"{_W}val", "1") or 1))
                vmerge = props.find(f"{_W}vMerge")
                if vmerge is not None:
                    merge = vmerge.get(f"{_W}val", "continue")
            text = "\n".join(_paragraph_text(p) for p in tc.iterchildren(f"{_W}p"))
            if merge == "continue":
                text = above.get(column, "")
            else:
                above[column] = text
            # keep "|" a separator; empty cells too (columns stay under their header)
            cells.append(" ".join(text.split()).replace("|", "/"))
            column += span
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _docx_text(raw: bytes) -> str:
    """Body text of a .docx: paragraphs and tables in document order, read straight from
    ``word/document.xml`` (lxml, entities never resolved; 20x faster than python-docx)."""
    from lxml import etree

    check_docx_container(raw)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            xml = zf.read("word/document.xml")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                                 remove_comments=True)
        root = etree.fromstring(xml, parser)
        body = root.find(f"{_W}body")
        if body is None:
            raise ValueError("no w:body")
    except Exception as exc:  # noqa: BLE001 - any parse failure is a rejected file
        raise rejected("unreadable", "Không mở được tệp Word (.docx).",
                       f"Cannot open the .docx file: {exc}") from exc
    # Body order matters (a figure table belongs to the section above it): walk paragraphs
    # and tables as they come; a table row becomes one line "cell | cell | cell" (the
    # parser's label reader takes "label | value" rows, with the header row's column names).
    lines: list[str] = []
    for child in body:
        if child.tag == f"{_W}p":
            lines.append(_paragraph_text(child))
        elif child.tag == f"{_W}tbl":
            lines.extend(_table_lines(child))
    return "\n".join(lines)


def _pdf_text(raw: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        if len(reader.pages) > PDF_MAX_PAGES:
            raise _too_complex(f"Tệp PDF có quá nhiều trang ({len(reader.pages)}).",
                               f"Too many PDF pages ({len(reader.pages)} > {PDF_MAX_PAGES}).")
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            part = page.extract_text() or ""
            size += len(part)
            if size > MAX_TEXT_CHARS:
                raise _too_complex("Nội dung tệp PDF quá dài.",
                                   f"Extracted PDF text over {MAX_TEXT_CHARS} characters.")
            parts.append(part)
        text = "\n".join(parts)
    except ReportRejected:
        raise
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
        return Document(check_text(_pdf_text(raw)), source_name, "pdf", raw)
    if suffix == ".docx" or raw.startswith(b"PK\x03\x04"):
        return Document(check_text(_docx_text(raw)), source_name, "docx", raw)
    if suffix in TEXT_SUFFIXES or suffix not in {".doc", ".xls", ".xlsx", ".odt"}:
        return Document(check_text(decode_text(raw)), source_name, "txt", raw)
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
