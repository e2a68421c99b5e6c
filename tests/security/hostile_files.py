"""Hostile report files, generated (never committed): shared by tests/security and bench/.

Each is small on the wire and expensive to read naively: a zip bomb dressed as a .docx, a PDF
whose thousands of pages all reuse one content stream, 800 KB of text without a newline.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable


def zip_bomb_docx() -> bytes:
    """A .docx-looking zip whose document.xml inflates to ~200 MB of zeros (~200 KB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as entry:
            block = b"0" * (1024 * 1024)
            for _ in range(200):
                entry.write(block)
    return buf.getvalue()


def shared_stream_pdf(pages: int = 3000) -> bytes:
    """A small PDF whose thousands of pages all reuse one content stream."""
    stream = b"BT /F1 12 Tf 72 712 Td (Bao cao De an 06) Tj ET\n" * 200
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"5 0 R" for _ in range(1))
               + b"] /Count " + str(pages).encode() + b" >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
               + b"\nendstream"]
    kids = b" ".join(b"6 0 R" for _ in range(pages))
    objects.append(b"<< /Type /Pages /Parent 2 0 R /Kids [" + kids + b"] /Count "
                   + str(pages).encode() + b" >>")
    objects.append(b"<< /Type /Page /Parent 5 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                   b"/Resources << /Font << /F1 3 0 R >> >> >>")
    out = io.BytesIO(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF"
              .encode())
    return out.getvalue()


def one_line_text() -> bytes:
    """A report title followed by 800 KB without a newline."""
    return b"Bao cao De an 06 " + b"x" * 800_000


# (upload file name, generator)
HOSTILE: list[tuple[str, Callable[[], bytes]]] = [
    ("bomb.docx", zip_bomb_docx),
    ("shared.pdf", shared_stream_pdf),
    ("oneline.txt", one_line_text),
]
