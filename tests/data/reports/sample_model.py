"""The shape of a 2025–2026 commune report sample (see ``make_2026_samples.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

HEADER_CT = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"


@dataclass
class Sample:
    """One sample: its file name, content and what a reader finds in it."""

    name: str
    expected: dict
    text: str = ""                                   # .txt / PDF paragraphs
    blocks: list = field(default_factory=list)       # .docx / .pdf: str paragraphs, tables
    extras: list = field(default_factory=list)       # [label, value] of unknown figures
    unread: list = field(default_factory=list)       # logical lines left unread


def table(*rows: tuple) -> list[tuple]:
    """A table as a list of rows (first row: the header)."""
    return list(rows)

